import { sub } from '../field/fast-field.js';
import { compareWithPublic } from '../protocol/compare.js';
import { amountToBits } from '../shamir/bid-sharing.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';
import type { AuctionRules } from './rules.js';

/**
 * Tournament keys: the larger key is the better bid. The key of an amount is
 * its bits for highest-wins and their complements for lowest-wins. With a
 * minimum price an eligibility bit (1 when the bid is at or above it) becomes
 * the most significant bit, so every eligible bid beats every disqualified one.
 */
export interface Keys {
  bits: Uint32Array;
  width: number;
  /** Whether bit width - 1 is the eligibility bit. */
  hasEligibility: boolean;
}

/** Builds the keys of count bids given as flat amount bit sharings. ceil(log2 bits) rounds with a minimum price. */
export async function buildKeys(runtime: PartyRuntime, amounts: Uint32Array, count: number, rules: AuctionRules): Promise<Keys> {
  const k = rules.bits;
  const amountKeys = toKeySpace(amounts, rules);
  if (rules.minPrice === undefined) {
    return { bits: amountKeys, width: k, hasEligibility: false };
  }

  const floor = amountToBits(rules.minPrice, k);
  const { below } = await compareWithPublic(runtime, amounts, floor, count, k);
  const bits = new Uint32Array(count * (k + 1));
  for (let j = 0; j < count; j++) {
    bits.set(amountKeys.subarray(j * k, (j + 1) * k), j * (k + 1));
    bits[j * (k + 1) + k] = sub(1, below[j]);
  }
  return { bits, width: k + 1, hasEligibility: true };
}

/** Maps amount bits to key bits and back: the identity for highest-wins, complements for lowest-wins. */
export function toKeySpace(amounts: Uint32Array, rules: AuctionRules): Uint32Array {
  if (rules.direction === 'highest-wins') {
    return amounts.slice();
  }
  const out = new Uint32Array(amounts.length);
  for (let i = 0; i < amounts.length; i++) {
    out[i] = sub(1, amounts[i]);
  }
  return out;
}

/** Maps opened key bits (public 0 or 1 values) back to the amount they stand for. */
export function publicKeyToAmountBits(keyBits: Uint32Array, rules: AuctionRules): Uint32Array {
  return rules.direction === 'highest-wins' ? keyBits : keyBits.map((bit) => 1 - bit);
}
