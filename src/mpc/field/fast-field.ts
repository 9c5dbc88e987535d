import { P } from './prime.js';

/**
 * Arithmetic modulo P on JavaScript numbers. Elements are integers in [0, P);
 * products stay below 2^52 and so are exact in float64. Property tests check
 * every operation against the @noble/curves reference field.
 */

const INVERSE_P = 1 / P;

/** Returns (a + b) mod P. */
export function add(a: number, b: number): number {
  const sum = a + b;
  return sum >= P ? sum - P : sum;
}

/** Returns (a - b) mod P. */
export function sub(a: number, b: number): number {
  const difference = a - b;
  return difference < 0 ? difference + P : difference;
}

/** Returns -a mod P. */
export function neg(a: number): number {
  return a === 0 ? 0 : P - a;
}

/** Returns (a * b) mod P. */
export function mul(a: number, b: number): number {
  return reduce(a * b);
}

/**
 * Returns value mod P for any integer value with |value| < 2^52, so a sum of
 * small multiples of elements needs one reduction, not one per term. The
 * quotient estimate may be one off, which the two fixups correct; the bound
 * keeps the quotient times P exact in a float64 even then.
 */
export function reduce(value: number): number {
  const remainder = value - Math.floor(value * INVERSE_P) * P;
  if (remainder < 0) {
    return remainder + P;
  }
  return remainder >= P ? remainder - P : remainder;
}

/** Returns base^exponent mod P for a non-negative integer exponent. */
export function pow(base: number, exponent: number | bigint): number {
  let result = 1;
  let power = base;
  let rest = BigInt(exponent);
  while (rest > 0n) {
    if (rest & 1n) {
      result = mul(result, power);
    }
    power = mul(power, power);
    rest >>= 1n;
  }
  return result;
}

/**
 * Returns the multiplicative inverse of a mod P.
 * @throws RangeError when a is 0, which has no inverse.
 */
export function inv(a: number): number {
  if (a === 0) {
    throw new RangeError('0 has no inverse in the field');
  }
  return pow(a, P - 2);
}

/** Returns one square root of a mod P, or null when a is not a square. P is 3 mod 4. */
export function sqrt(a: number): number | null {
  const root = pow(a, (BigInt(P) + 1n) / 4n);
  return mul(root, root) === a ? root : null;
}

/** Maps any integer, negative ones included, to its residue mod P. */
export function fromInteger(value: number | bigint): number {
  const residue = BigInt(value) % BigInt(P);
  return Number(residue < 0n ? residue + BigInt(P) : residue);
}

/** Tells whether value is an element of the field: an integer in [0, P). */
export function isElement(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < P;
}
