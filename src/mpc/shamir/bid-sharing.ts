import { secureRandom, type RandomSource } from '../random.js';
import { MAX_BITS } from '../auction/rules.js';
import { checkParams, type ShamirParams } from './params.js';
import { shareSecrets } from './shamir.js';

/**
 * Writes amount in bits bits and shares every bit with its own fresh
 * degree-t polynomial. Returns one vector of bits shares per party (index 0
 * is party 1); element i is the share of bit i, of weight 2^i.
 * @throws RangeError for a non-integer or negative amount, one of 2^bits or
 * more, or invalid sharing parameters.
 */
export function shareBid(
  amount: bigint,
  bits: number,
  params: ShamirParams,
  random: RandomSource = secureRandom,
): Uint32Array[] {
  checkParams(params);
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_BITS) {
    throw new RangeError(`bid width must be an integer from 1 to ${MAX_BITS} bits, got ${bits}`);
  }
  if (typeof amount !== 'bigint' || amount < 0n || amount >= 1n << BigInt(bits)) {
    throw new RangeError(`amount must be an integer from 0 to 2^${bits} - 1 in minor units`);
  }
  return shareSecrets(amountToBits(amount, bits), params.parties, params.degree, random);
}

/** Returns the bits of amount, least significant first. */
export function amountToBits(amount: bigint, bits: number): Uint32Array {
  const out = new Uint32Array(bits);
  for (let i = 0; i < bits; i++) {
    out[i] = Number((amount >> BigInt(i)) & 1n);
  }
  return out;
}

/** Returns the integer whose bits, least significant first, are given. */
export function bitsToAmount(bits: ArrayLike<number>): bigint {
  let amount = 0n;
  for (let i = bits.length - 1; i >= 0; i--) {
    amount = (amount << 1n) | BigInt(bits[i]);
  }
  return amount;
}
