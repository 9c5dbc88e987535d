/**
 * Auction settings in domain form, their conversion to and from database
 * rows and API bodies, and their check against the MPC core's rules.
 */
import { AmountError, formatMinorUnits, toMinorUnits } from '../../client/amount.js';
import { checkRules, minValidBids, type AuctionRules } from '../../mpc/auction/rules.js';
import { InvalidRequestError } from '../common/domain-errors.js';
import type { Auction } from '../generated/prisma/client.js';
import type { AuctionSettingsDto } from './dto/auction-settings.dto.js';

export type SettingsReserve = { kind: 'none' } | { kind: 'public'; amount: bigint } | { kind: 'sealed' };

/** Everything the operator configures about an auction, amounts in minor units. */
export interface AuctionSettings {
  direction: AuctionRules['direction'];
  price: AuctionRules['price'];
  bits: number;
  decimals: number;
  reserve: SettingsReserve;
  minPrice: bigint | null;
  minValidBids: number | null;
  ties: AuctionRules['ties'];
  disclosure: AuctionRules['disclosure'];
  closesAt: Date | null;
}

export const DEFAULT_SETTINGS: AuctionSettings = {
  direction: 'highest-wins',
  price: 'first',
  bits: 32,
  decimals: 0,
  reserve: { kind: 'none' },
  minPrice: null,
  minValidBids: null,
  ties: 'earliest',
  disclosure: 'public',
  closesAt: null,
};

/** Reads the settings stored in an auction row. */
export function settingsFromRow(row: Auction): AuctionSettings {
  return {
    direction: row.direction === 'lowest_wins' ? 'lowest-wins' : 'highest-wins',
    price: row.price,
    bits: row.bits,
    decimals: row.decimals,
    reserve: reserveFromRow(row),
    minPrice: row.minPrice === null ? null : BigInt(row.minPrice.toFixed(0)),
    minValidBids: row.minValidBids,
    ties: row.ties,
    disclosure: row.disclosure === 'amount_only' ? 'amount-only' : 'public',
    closesAt: row.closesAt,
  };
}

function reserveFromRow(row: Auction): SettingsReserve {
  if (row.reserveKind === 'public' && row.reserve !== null) {
    return { kind: 'public', amount: BigInt(row.reserve.toFixed(0)) };
  }
  return row.reserveKind === 'sealed' ? { kind: 'sealed' } : { kind: 'none' };
}

/** Returns the columns that store the settings. */
export function settingsToColumns(settings: AuctionSettings) {
  return {
    direction: settings.direction === 'lowest-wins' ? ('lowest_wins' as const) : ('highest_wins' as const),
    price: settings.price,
    bits: settings.bits,
    decimals: settings.decimals,
    reserveKind: settings.reserve.kind,
    reserve: settings.reserve.kind === 'public' ? settings.reserve.amount.toString() : null,
    minPrice: settings.minPrice === null ? null : settings.minPrice.toString(),
    minValidBids: settings.minValidBids,
    ties: settings.ties,
    disclosure: settings.disclosure === 'amount-only' ? ('amount_only' as const) : ('public' as const),
    closesAt: settings.closesAt,
  };
}

/**
 * Applies a create or configure body to the current settings and checks the result.
 * @throws InvalidRequestError naming the first invalid setting.
 */
export function mergeSettings(current: AuctionSettings, body: AuctionSettingsDto): AuctionSettings {
  const bits = body.bits ?? current.bits;
  const decimals = body.decimals ?? current.decimals;
  const format = { bits, decimals };
  const rescaled = bits !== current.bits || decimals !== current.decimals;

  const merged: AuctionSettings = {
    direction: body.direction ?? current.direction,
    price: body.price ?? current.price,
    bits,
    decimals,
    reserve: body.reserve === undefined ? keepReserve(current.reserve, rescaled) : parseReserve(body.reserve, format),
    minPrice: body.minPrice === undefined ? keepMinPrice(current.minPrice, rescaled) : parseOptionalAmount(body.minPrice, format, 'minPrice'),
    minValidBids: body.minValidBids === undefined ? current.minValidBids : body.minValidBids,
    ties: body.ties ?? current.ties,
    disclosure: body.disclosure ?? current.disclosure,
    closesAt: body.closesAt === undefined ? current.closesAt : new Date(body.closesAt),
  };
  checkSettings(merged);
  return merged;
}

/**
 * Checks a combination of settings with the MPC core's rule check.
 * @throws InvalidRequestError with the rule check's message.
 */
export function checkSettings(settings: AuctionSettings): void {
  try {
    checkRules(toRules(settings));
  } catch (error) {
    throw new InvalidRequestError(`invalid auction settings: ${(error as Error).message}`);
  }
}

/** Converts settings to the rules the evaluators compute with. */
export function toRules(settings: AuctionSettings): AuctionRules {
  const rules: AuctionRules = {
    bits: settings.bits,
    direction: settings.direction,
    price: settings.price,
    ties: settings.ties,
    disclosure: settings.disclosure,
  };
  if (settings.reserve.kind === 'public') {
    rules.reserve = { kind: 'public', amount: settings.reserve.amount };
  } else if (settings.reserve.kind === 'sealed') {
    rules.reserve = { kind: 'sealed' };
  }
  if (settings.minPrice !== null) {
    rules.minPrice = settings.minPrice;
  }
  if (settings.minValidBids !== null) {
    rules.minValidBids = settings.minValidBids;
  }
  return rules;
}

/** Returns the number of valid bids the auction needs, with the default filled in. */
export function effectiveMinValidBids(settings: AuctionSettings): number {
  return minValidBids(toRules(settings));
}

/** Writes a minor-unit amount in the auction's major units. */
export function formatAmount(settings: Pick<AuctionSettings, 'decimals'>, minor: bigint | null): string | null {
  return minor === null ? null : formatMinorUnits(minor, settings.decimals);
}

function parseReserve(body: { kind: SettingsReserve['kind']; amount?: string }, format: { bits: number; decimals: number }) {
  if (body.kind !== 'public') {
    if (body.amount !== undefined) {
      throw new InvalidRequestError(`reserve.amount is only allowed with reserve.kind "public", not "${body.kind}"`);
    }
    return { kind: body.kind } as SettingsReserve;
  }
  if (body.amount === undefined) {
    throw new InvalidRequestError('reserve.amount is required when reserve.kind is "public"');
  }
  return { kind: 'public' as const, amount: parseAmount(body.amount, format, 'reserve.amount') };
}

function parseOptionalAmount(text: string | null, format: { bits: number; decimals: number }, label: string): bigint | null {
  return text === null ? null : parseAmount(text, format, label);
}

function parseAmount(text: string, format: { bits: number; decimals: number }, label: string): bigint {
  try {
    return toMinorUnits(text, format, label);
  } catch (error) {
    if (error instanceof AmountError) {
      throw new InvalidRequestError(error.message);
    }
    throw error;
  }
}

// Amounts are stored in minor units, so a new width or number of decimals changes their meaning.
function keepReserve(reserve: SettingsReserve, rescaled: boolean): SettingsReserve {
  if (rescaled && reserve.kind === 'public') {
    throw new InvalidRequestError('changing bits or decimals needs the public reserve given again in the same request');
  }
  return reserve;
}

function keepMinPrice(minPrice: bigint | null, rescaled: boolean): bigint | null {
  if (rescaled && minPrice !== null) {
    throw new InvalidRequestError('changing bits or decimals needs minPrice given again in the same request');
  }
  return minPrice;
}
