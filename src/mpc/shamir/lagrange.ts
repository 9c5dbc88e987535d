import { P } from '../field/prime.js';
import { referenceField as F } from '../field/reference-field.js';

const cache = new Map<string, Uint32Array>();

/**
 * Returns the Lagrange coefficients that evaluate, at target, the polynomial of
 * degree points.length - 1 through the given evaluation points:
 * f(target) = sum_j coefficients[j] * f(points[j]). Computed once per point set
 * and target on the reference field, then cached.
 * @throws RangeError when the points repeat.
 */
export function lagrangeCoefficients(points: readonly number[], target = 0): Uint32Array {
  const key = `${target}:${points.join(',')}`;
  const cached = cache.get(key);
  if (cached) {
    return cached;
  }

  if (new Set(points).size !== points.length) {
    throw new RangeError(`evaluation points must be distinct, got ${points.join(', ')}`);
  }
  const coefficients = new Uint32Array(points.length);
  const x = BigInt(target);
  for (let j = 0; j < points.length; j++) {
    let numerator = 1n;
    let denominator = 1n;
    for (let m = 0; m < points.length; m++) {
      if (m !== j) {
        numerator = F.mul(numerator, F.sub(x, BigInt(points[m])));
        denominator = F.mul(denominator, F.sub(BigInt(points[j]), BigInt(points[m])));
      }
    }
    coefficients[j] = Number(F.div(numerator, denominator));
  }

  cache.set(key, coefficients);
  return coefficients;
}

/**
 * Returns the Lagrange coefficients at 0 for the points 1..count as signed
 * integers: lambda_j = (-1)^(j-1) * C(count, j). They are congruent to
 * lagrangeCoefficients(firstPoints(count), 0). Returns null when the sum of
 * |lambda_j| * (P - 1) could reach 2^52, the bound of fast-field's reduce.
 */
export function integerLagrangeAtZero(count: number): number[] | null {
  const coefficients: number[] = [];
  let binomial = 1;
  let bound = 0;
  for (let j = 1; j <= count; j++) {
    binomial = (binomial * (count - j + 1)) / j;
    coefficients.push(j % 2 === 1 ? binomial : -binomial);
    bound += binomial;
  }
  return bound * P < 2 ** 52 ? coefficients : null;
}

/** Returns [1, 2, ..., count]: the evaluation points of the first count parties. */
export function firstPoints(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}
