/** Conversion between the wire form of auction rules (decimal strings) and the MPC core's AuctionRules. */
import { checkRules, type AuctionRules } from '../../mpc/index.js';
import { badRequest } from '../common/domain-error.js';

/** Auction rules as JSON: amounts are decimal strings of minor units. */
export interface WireRules {
  bits: number;
  direction: AuctionRules['direction'];
  price: AuctionRules['price'];
  reserve?: { kind: 'public'; amount: string } | { kind: 'sealed' };
  minPrice?: string;
  minValidBids?: number;
  ties: AuctionRules['ties'];
  disclosure: AuctionRules['disclosure'];
}

/** Rules as validated from a request body, before the reserve's shape is settled. */
export interface RulesInput extends Omit<WireRules, 'reserve'> {
  reserve?: { kind: 'public' | 'sealed'; amount?: string };
}

/** Converts wire rules to core rules without checking them. */
export function toAuctionRules(wire: WireRules): AuctionRules {
  const rules: AuctionRules = {
    bits: wire.bits,
    direction: wire.direction,
    price: wire.price,
    ties: wire.ties,
    disclosure: wire.disclosure,
  };
  if (wire.reserve?.kind === 'public') {
    rules.reserve = { kind: 'public', amount: BigInt(wire.reserve.amount) };
  } else if (wire.reserve?.kind === 'sealed') {
    rules.reserve = { kind: 'sealed' };
  }
  if (wire.minPrice !== undefined) {
    rules.minPrice = BigInt(wire.minPrice);
  }
  if (wire.minValidBids !== undefined) {
    rules.minValidBids = wire.minValidBids;
  }
  return rules;
}

/**
 * Normalises validated wire rules (dropping absent fields) and checks them with the core.
 * @throws DomainError 400 invalid-rules naming the first invalid setting.
 */
export function checkWireRules(input: RulesInput): WireRules {
  const wire: WireRules = {
    bits: input.bits,
    direction: input.direction,
    price: input.price,
    ties: input.ties,
    disclosure: input.disclosure,
  };
  if (input.reserve?.kind === 'public') {
    if (input.reserve.amount === undefined) {
      throw badRequest('invalid-rules', 'invalid auction rules: a public reserve needs reserve.amount');
    }
    wire.reserve = { kind: 'public', amount: input.reserve.amount };
  } else if (input.reserve?.kind === 'sealed') {
    wire.reserve = { kind: 'sealed' };
  }
  if (input.minPrice !== undefined) {
    wire.minPrice = input.minPrice;
  }
  if (input.minValidBids !== undefined) {
    wire.minValidBids = input.minValidBids;
  }

  try {
    checkRules(toAuctionRules(wire));
  } catch (error) {
    throw badRequest('invalid-rules', `invalid auction rules: ${(error as Error).message}`);
  }
  return wire;
}
