import fc from 'fast-check';
import { P } from '../../../src/mpc/index.js';
import { add, mul } from '../../../src/mpc/field/fast-field.js';
import { firstPoints, integerLagrangeAtZero, lagrangeCoefficients } from '../../../src/mpc/shamir/lagrange.js';
import { evaluate } from '../../../src/mpc/shamir/shamir.js';

describe('lagrangeCoefficients', () => {
  it('evaluates the interpolating polynomial at the target', () => {
    const setting = fc.integer({ min: 1, max: 5 }).chain((degree) =>
      fc.tuple(
        fc.constant(degree),
        fc.uniqueArray(fc.integer({ min: 1, max: 20 }), { minLength: degree + 1, maxLength: degree + 1 }),
        fc.array(fc.integer({ min: 0, max: P - 1 }), { minLength: degree, maxLength: degree }),
      ),
    );
    fc.assert(
      fc.property(setting, fc.integer({ min: 0, max: P - 1 }), fc.integer({ min: 0, max: 30 }), ([degree, points, coefficients], secret, target) => {
        const c = Uint32Array.from(coefficients);
        const lambda = lagrangeCoefficients(points, target);
        let value = 0;
        points.forEach((x, j) => {
          value = add(value, mul(lambda[j], evaluate(secret, c, 0, degree, x)));
        });
        return value === evaluate(secret, c, 0, degree, target);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects repeated points', () => {
    expect(() => lagrangeCoefficients([1, 2, 2], 0)).toThrow(RangeError);
    expect(() => lagrangeCoefficients([1, 2, 2], 0)).toThrow('evaluation points must be distinct, got 1, 2, 2');
  });

  it('numbers the first parties from 1', () => {
    expect(firstPoints(3)).toEqual([1, 2, 3]);
  });
});

describe('integerLagrangeAtZero', () => {
  it('gives signed integers congruent to the field coefficients at 0', () => {
    for (let count = 1; count <= 26; count++) {
      const integers = integerLagrangeAtZero(count);
      const field = lagrangeCoefficients(firstPoints(count), 0);
      expect(integers).not.toBeNull();
      expect(integers!.map((c) => ((c % P) + P) % P)).toEqual(Array.from(field));
    }
  });

  it('is 3, -3, 1 for three points', () => {
    expect(integerLagrangeAtZero(3)).toEqual([3, -3, 1]);
  });

  it('returns null once a sum of coefficient multiples could reach 2^52', () => {
    expect(integerLagrangeAtZero(27)).toBeNull();
    expect(integerLagrangeAtZero(255)).toBeNull();
  });
});
