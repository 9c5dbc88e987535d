import fc from 'fast-check';
import { P } from '../../../src/mpc/field/prime.js';
import { add, fromInteger, inv, isElement, mul, neg, pow, reduce, sqrt, sub } from '../../../src/mpc/field/fast-field.js';
import { referenceField as F } from '../../../src/mpc/field/reference-field.js';

const EDGES = [0, 1, 2, P - 2, P - 1, (P - 1) / 2, (P + 1) / 2, 2 ** 13, 2 ** 25];

/** Field elements with the edge values drawn often. */
const element = fc.oneof(fc.constantFrom(...EDGES), fc.integer({ min: 0, max: P - 1 }));
const nonZero = element.filter((a) => a !== 0);
const runs = { numRuns: 2000 };

const ref = (value: bigint): number => Number(value);

describe('fast field against the @noble/curves reference', () => {
  it('uses a prime modulus that is 3 mod 4', () => {
    expect(F.ORDER).toBe(BigInt(P));
    expect(P % 4).toBe(3);
    expect(F.isValid(BigInt(P - 1))).toBe(true);
  });

  it('uses a prime modulus', () => {
    const divisors: number[] = [];
    for (let divisor = 2; divisor * divisor <= P; divisor++) {
      if (P % divisor === 0) {
        divisors.push(divisor);
      }
    }
    expect(divisors).toEqual([]);
  });

  it('add agrees', () => {
    fc.assert(fc.property(element, element, (a, b) => add(a, b) === ref(F.add(BigInt(a), BigInt(b)))), runs);
  });

  it('sub agrees', () => {
    fc.assert(fc.property(element, element, (a, b) => sub(a, b) === ref(F.sub(BigInt(a), BigInt(b)))), runs);
  });

  it('reduce agrees on every integer of magnitude below 2^52', () => {
    const limit = 2 ** 52 - 1;
    const edges = fc.constantFrom(0, P, -P, P - 1, -1, limit, -limit, limit - (limit % P), 2 ** 51, -(2 ** 51));
    const wide = fc.oneof(edges, fc.integer({ min: -limit, max: limit }), fc.integer({ min: -4 * P, max: 4 * P }));
    fc.assert(fc.property(wide, (value) => reduce(value) === ref(F.create(BigInt(value) % BigInt(P) + BigInt(P)))), runs);
  });

  it('mul agrees', () => {
    fc.assert(fc.property(element, element, (a, b) => mul(a, b) === ref(F.mul(BigInt(a), BigInt(b)))), runs);
  });

  it('mul agrees on every pair of edge values', () => {
    for (const a of EDGES) {
      for (const b of EDGES) {
        expect([a, b, mul(a, b)]).toEqual([a, b, ref(F.mul(BigInt(a), BigInt(b)))]);
      }
    }
  });

  it('neg agrees', () => {
    fc.assert(fc.property(element, (a) => neg(a) === ref(F.neg(BigInt(a)))), runs);
  });

  it('inv agrees', () => {
    fc.assert(fc.property(nonZero, (a) => inv(a) === ref(F.inv(BigInt(a))) && mul(a, inv(a)) === 1), runs);
  });

  it('inv rejects 0', () => {
    expect(() => inv(0)).toThrow(RangeError);
    expect(() => inv(0)).toThrow(/0 has no inverse/);
  });

  it('pow agrees', () => {
    const exponent = fc.oneof(
      fc.constantFrom(0n, 1n, 2n, BigInt(P - 2), BigInt(P - 1), BigInt(P), BigInt(P) * 3n + 1n),
      fc.bigInt({ min: 0n, max: 1n << 80n }),
    );
    fc.assert(fc.property(element, exponent, (a, e) => pow(a, e) === ref(F.pow(BigInt(a), e))), runs);
  });

  it('pow accepts number exponents', () => {
    fc.assert(fc.property(element, fc.nat(), (a, e) => pow(a, e) === pow(a, BigInt(e))), { numRuns: 300 });
  });

  it('sqrt agrees', () => {
    fc.assert(
      fc.property(element, (a) => {
        const root = sqrt(a);
        const isSquare = F.eql(F.pow(BigInt(a), BigInt((P - 1) / 2)), F.ONE) || a === 0;
        if (!isSquare) {
          expect(() => F.sqrt(BigInt(a))).toThrow();
          return root === null;
        }
        const expected = ref(F.sqrt(BigInt(a)));
        return root !== null && mul(root, root) === a && (root === expected || root === neg(expected));
      }),
      runs,
    );
  });

  it('sqrt finds a root of every square', () => {
    fc.assert(
      fc.property(element, (r) => {
        const root = sqrt(mul(r, r));
        return root === r || root === neg(r);
      }),
      runs,
    );
  });

  it('sqrt handles the edge values', () => {
    expect(sqrt(0)).toBe(0);
    expect(sqrt(1)).not.toBeNull();
    expect(mul(sqrt(1)!, sqrt(1)!)).toBe(1);
    // -1 is never a square modulo a prime that is 3 mod 4.
    expect(sqrt(P - 1)).toBeNull();
  });

  it('fromInteger agrees with the reduction of the reference', () => {
    const integer = fc.oneof(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.constantFrom(-1n, 0n, BigInt(P), BigInt(-P)));
    fc.assert(fc.property(integer, (value) => fromInteger(value) === ref(F.create(value))), runs);
  });

  it('isElement accepts exactly the integers in [0, P)', () => {
    for (const value of [0, 1, P - 1]) {
      expect([value, isElement(value)]).toEqual([value, true]);
    }
    for (const value of [-1, P, P + 1, 0.5, NaN, Infinity]) {
      expect([value, isElement(value)]).toEqual([value, false]);
    }
  });
});
