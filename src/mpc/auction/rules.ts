/**
 * Rules of one sealed-bid auction, as the evaluators compute it.
 *
 * Amounts are non-negative integers in minor units below 2^bits. A bid is
 * eligible when it meets the reserve and, for lowest-wins, is at or above the
 * minimum price; the winner is the best eligible bid. Valid bids are those that
 * passed input validation and were not excluded by the operator: their count
 * is public, and with fewer than minValidBids nothing is opened.
 */

export type Direction = 'highest-wins' | 'lowest-wins';
export type PriceRule = 'first' | 'second';
export type TieRule = 'earliest' | 'lottery';
export type Disclosure = 'public' | 'amount-only';

/** A reserve known to everyone, or one the operator sealed as shares like a bid. */
export type Reserve = { kind: 'public'; amount: bigint } | { kind: 'sealed' };

export interface AuctionRules {
  /** Bid width k: every amount is written in this many bits, 1 to 64. */
  bits: number;
  direction: Direction;
  price: PriceRule;
  /** Floor for highest-wins, ceiling for lowest-wins. */
  reserve?: Reserve;
  /** For lowest-wins only: a bid below it is disqualified as abnormally low. */
  minPrice?: bigint;
  /** Defaults to 2 for second price without reserve, otherwise 1. */
  minValidBids?: number;
  ties: TieRule;
  disclosure: Disclosure;
}

export const MAX_BITS = 64;

/** Returns the minimum number of valid bids that the rules ask for, with the default filled in. */
export function minValidBids(rules: AuctionRules): number {
  if (rules.minValidBids !== undefined) {
    return rules.minValidBids;
  }
  return rules.price === 'second' && rules.reserve === undefined ? 2 : 1;
}

/**
 * Checks the rules and returns them unchanged.
 * @throws RangeError naming the first invalid setting and what is allowed.
 */
export function checkRules(rules: AuctionRules): AuctionRules {
  const { bits } = rules;
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_BITS) {
    throw new RangeError(`bid width must be an integer from 1 to ${MAX_BITS} bits, got ${bits}`);
  }
  const limit = 1n << BigInt(bits);

  if (rules.reserve?.kind === 'public') {
    checkAmount('reserve', rules.reserve.amount, limit);
  }
  if (rules.minPrice !== undefined) {
    if (rules.direction !== 'lowest-wins') {
      throw new RangeError('a minimum price applies only to lowest-wins auctions; remove it or use lowest-wins');
    }
    checkAmount('minimum price', rules.minPrice, limit);
    if (rules.reserve?.kind === 'public' && rules.minPrice > rules.reserve.amount) {
      throw new RangeError('the minimum price must not exceed the reserve (ceiling)');
    }
  }

  const minimum = minValidBids(rules);
  if (!Number.isInteger(minimum) || minimum < 1) {
    throw new RangeError(`minimum number of valid bids must be a positive integer, got ${minimum}`);
  }
  if (rules.price === 'second' && rules.reserve === undefined && minimum < 2) {
    throw new RangeError('a second-price auction without a reserve needs a minimum of at least 2 valid bids');
  }
  return rules;
}

function checkAmount(name: string, amount: bigint, limit: bigint): void {
  if (typeof amount !== 'bigint' || amount < 0n || amount >= limit) {
    throw new RangeError(`${name} must be an integer from 0 to ${limit - 1n}, got ${String(amount)}`);
  }
}
