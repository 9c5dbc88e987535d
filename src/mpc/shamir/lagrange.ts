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

/** Returns [1, 2, ..., count]: the evaluation points of the first count parties. */
export function firstPoints(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}
