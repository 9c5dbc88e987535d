import { add, mul, isElement } from '../field/fast-field.js';
import { secureRandom, type RandomSource } from '../random.js';
import { firstPoints, lagrangeCoefficients } from './lagrange.js';
import { checkParams, MAX_PARTIES, type ShamirParams } from './params.js';

/**
 * Shares each secret with a fresh random polynomial of the given degree.
 * Returns one vector per party (index 0 is party 1): element i of party j's
 * vector is f_i(j).
 * Zero sharings of degree 2t among 2t + 1 parties use this too, so it asks
 * only for t >= 1 and n >= t + 1, not for n >= 2t + 1.
 * @throws RangeError for invalid parameters or a secret outside the field.
 */
export function shareSecrets(
  secrets: Uint32Array,
  parties: number,
  degree: number,
  random: RandomSource = secureRandom,
): Uint32Array[] {
  if (!Number.isInteger(degree) || degree < 1) {
    throw new RangeError(`degree must be an integer of at least 1, got ${degree}`);
  }
  if (!Number.isInteger(parties) || parties < degree + 1 || parties > MAX_PARTIES) {
    throw new RangeError(`party count must be an integer from ${degree + 1} to ${MAX_PARTIES}, got ${parties}`);
  }
  for (let i = 0; i < secrets.length; i++) {
    if (!isElement(secrets[i])) {
      throw new RangeError(`secret ${i} is not a field element`);
    }
  }
  const coefficients = random(secrets.length * degree);
  const shares: Uint32Array[] = [];

  for (let party = 1; party <= parties; party++) {
    const vector = new Uint32Array(secrets.length);
    for (let i = 0; i < secrets.length; i++) {
      vector[i] = evaluate(secrets[i], coefficients, i * degree, degree, party);
    }
    shares.push(vector);
  }
  return shares;
}

/** Evaluates secret + c_1 x + ... + c_t x^t by Horner's rule, with c_l at coefficients[offset + l - 1]. */
export function evaluate(
  secret: number,
  coefficients: Uint32Array,
  offset: number,
  degree: number,
  x: number,
): number {
  let value = 0;
  for (let l = degree - 1; l >= 0; l--) {
    value = mul(add(value, coefficients[offset + l]), x);
  }
  return add(value, secret);
}

/** A share together with the party (evaluation point) that holds it. */
export interface PointShare {
  party: number;
  share: number;
}

/**
 * Reconstructs a degree-t sharing from at least t + 1 shares. When more than
 * t + 1 shares are given, every extra one must lie on the polynomial through
 * the first t + 1, so a single altered share is detected.
 * @throws RangeError with too few shares or repeated parties; Error when the shares are inconsistent.
 */
export function reconstructSecret(shares: readonly PointShare[], degree: number): number {
  checkParams({ parties: Math.max(shares.length, 2 * degree + 1), degree });
  const parties = shares.map((s) => s.party);
  if (new Set(parties).size !== parties.length) {
    throw new RangeError(`each party may give one share, got parties ${parties.join(', ')}`);
  }
  if (shares.length < degree + 1) {
    throw new RangeError(`reconstruction needs t + 1 = ${degree + 1} shares, got ${shares.length}`);
  }
  const base = shares.slice(0, degree + 1);
  const points = base.map((s) => s.party);

  for (const extra of shares.slice(degree + 1)) {
    const expected = combine(lagrangeCoefficients(points, extra.party), base);
    if (expected !== extra.share) {
      throw new Error(
        `shares do not lie on one polynomial of degree ${degree}: party ${extra.party} disagrees with parties ${points.join(', ')}`,
      );
    }
  }
  return combine(lagrangeCoefficients(points, 0), base);
}

function combine(coefficients: Uint32Array, shares: readonly PointShare[]): number {
  let value = 0;
  for (let j = 0; j < shares.length; j++) {
    value = add(value, mul(coefficients[j], shares[j].share));
  }
  return value;
}

/**
 * Checks that element i of the n party vectors lies on one polynomial of the
 * given degree, for every i. Returns the indices that do not.
 */
export function inconsistentIndices(vectors: readonly Uint32Array[], degree: number): number[] {
  const base = firstPoints(degree + 1);
  const bad: number[] = [];

  for (let extra = degree + 2; extra <= vectors.length; extra++) {
    const coefficients = lagrangeCoefficients(base, extra);
    const actual = vectors[extra - 1];
    for (let i = 0; i < actual.length; i++) {
      let expected = 0;
      for (let j = 0; j <= degree; j++) {
        expected = add(expected, mul(coefficients[j], vectors[j][i]));
      }
      if (expected !== actual[i]) {
        bad.push(i);
      }
    }
  }
  return [...new Set(bad)].sort((a, b) => a - b);
}

/** Reconstructs element-wise from the vectors of parties 1..degree+1. */
export function reconstructVectors(vectors: readonly Uint32Array[], degree: number): Uint32Array {
  const coefficients = lagrangeCoefficients(firstPoints(degree + 1), 0);
  const length = vectors[0].length;
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    let value = 0;
    for (let j = 0; j <= degree; j++) {
      value = add(value, mul(coefficients[j], vectors[j][i]));
    }
    out[i] = value;
  }
  return out;
}

export { checkParams, type ShamirParams };
