import { checkParams, reconstructionCount, type ShamirParams } from '../../../src/mpc/index.js';

describe('checkParams', () => {
  it('accepts n = 2t + 1 and larger n unchanged', () => {
    const cases: ShamirParams[] = [
      { parties: 3, degree: 1 },
      { parties: 4, degree: 1 },
      { parties: 5, degree: 2 },
      { parties: 7, degree: 3 },
      { parties: 9, degree: 3 },
      { parties: 9, degree: 4 },
      { parties: 255, degree: 127 },
    ];
    for (const params of cases) {
      const copy = { ...params };
      expect(checkParams(params)).toBe(params);
      expect(params).toEqual(copy);
    }
  });

  it('rejects a degree below 1 or not an integer', () => {
    for (const degree of [0, -1, 1.5, NaN, Infinity]) {
      expect(() => checkParams({ parties: 9, degree })).toThrow(RangeError);
      expect(() => checkParams({ parties: 9, degree })).toThrow(`degree t must be an integer of at least 1, got ${degree}`);
    }
  });

  it('rejects fewer than 2t + 1 parties', () => {
    const cases: Array<[number, number]> = [
      [2, 1],
      [1, 1],
      [0, 1],
      [-3, 1],
      [4, 2],
      [6, 3],
      [8, 4],
    ];
    for (const [parties, degree] of cases) {
      expect(() => checkParams({ parties, degree })).toThrow(RangeError);
      expect(() => checkParams({ parties, degree })).toThrow(
        `party count n must be at least 2t + 1 = ${2 * degree + 1} for degree t = ${degree}, got ${parties}`,
      );
    }
  });

  it('rejects a party count that is not an integer or above 255', () => {
    for (const parties of [3.5, NaN, Infinity, 256, 1000]) {
      expect(() => checkParams({ parties, degree: 1 })).toThrow(RangeError);
      expect(() => checkParams({ parties, degree: 1 })).toThrow(/party count n must be an integer of at most 255/);
    }
  });

  it('never clamps a rejected value into range', () => {
    const params = { parties: 4, degree: 2 };
    expect(() => checkParams(params)).toThrow(RangeError);
    expect(params).toEqual({ parties: 4, degree: 2 });
  });
});

describe('reconstructionCount', () => {
  it('is t + 1, separate from the degree t', () => {
    expect(reconstructionCount({ parties: 3, degree: 1 })).toBe(2);
    expect(reconstructionCount({ parties: 7, degree: 3 })).toBe(4);
  });
});
