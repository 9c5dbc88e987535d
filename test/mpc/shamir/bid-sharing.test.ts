import fc from 'fast-check';
import { amountToBits, bitsToAmount, shareBid } from '../../../src/mpc/index.js';
import { openAll } from '../harness.js';

const THREE = { parties: 3, degree: 1 };

describe('shareBid', () => {
  it('shares every bit of the amount at degree t', () => {
    const widthAndAmount = fc
      .integer({ min: 1, max: 64 })
      .chain((bits) => fc.tuple(fc.constant(bits), fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n })));
    const params = fc.constantFrom({ parties: 3, degree: 1 }, { parties: 5, degree: 2 }, { parties: 9, degree: 3 });

    fc.assert(
      fc.property(widthAndAmount, params, ([bits, amount], sharing) => {
        const vectors = shareBid(amount, bits, sharing);
        expect(vectors).toHaveLength(sharing.parties);
        expect(vectors.every((vector) => vector.length === bits)).toBe(true);
        return bitsToAmount(openAll(vectors, sharing.degree)) === amount;
      }),
      { numRuns: 100 },
    );
  });

  it('accepts the extremes 0 and 2^k - 1', () => {
    for (const bits of [1, 2, 8, 32, 48, 64]) {
      const largest = (1n << BigInt(bits)) - 1n;
      expect(bitsToAmount(openAll(shareBid(0n, bits, THREE), 1))).toBe(0n);
      expect(bitsToAmount(openAll(shareBid(largest, bits, THREE), 1))).toBe(largest);
    }
  });

  it('rejects a negative amount', () => {
    expect(() => shareBid(-1n, 8, THREE)).toThrow(RangeError);
    expect(() => shareBid(-1n, 8, THREE)).toThrow('amount must be an integer from 0 to 2^8 - 1 in minor units');
  });

  it('rejects an amount of 2^k or more', () => {
    for (const [amount, bits] of [
      [256n, 8],
      [257n, 8],
      [2n, 1],
      [1n << 64n, 64],
    ] as Array<[bigint, number]>) {
      expect(() => shareBid(amount, bits, THREE)).toThrow(RangeError);
      expect(() => shareBid(amount, bits, THREE)).toThrow(`amount must be an integer from 0 to 2^${bits} - 1`);
    }
  });

  it('rejects an amount that is not a bigint integer', () => {
    for (const amount of [1.5, 3, NaN, '7', null]) {
      expect(() => shareBid(amount as never, 8, THREE)).toThrow(RangeError);
      expect(() => shareBid(amount as never, 8, THREE)).toThrow(/amount must be an integer/);
    }
  });

  it('rejects bit widths outside 1..64', () => {
    for (const bits of [0, -1, 65, 1.5, NaN, Infinity]) {
      expect(() => shareBid(0n, bits, THREE)).toThrow(RangeError);
      expect(() => shareBid(0n, bits, THREE)).toThrow(`bid width must be an integer from 1 to 64 bits, got ${bits}`);
    }
  });

  it('rejects invalid sharing parameters', () => {
    expect(() => shareBid(1n, 8, { parties: 2, degree: 1 })).toThrow(/party count n must be at least 2t \+ 1/);
    expect(() => shareBid(1n, 8, { parties: 3, degree: 0 })).toThrow(/degree t must be an integer of at least 1/);
  });

  it('never puts the amount into an error', () => {
    const secret = 987654321987n;
    try {
      shareBid(secret, 32, THREE);
      throw new Error('expected shareBid to reject');
    } catch (error) {
      expect((error as Error).message).not.toContain(String(secret));
    }
  });
});

describe('amountToBits and bitsToAmount', () => {
  it('round-trip every amount of the width, least significant bit first', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (amount) => bitsToAmount(amountToBits(amount, 64)) === amount),
      { numRuns: 500 },
    );
    expect(Array.from(amountToBits(6n, 4))).toEqual([0, 1, 1, 0]);
    expect(bitsToAmount([1, 0, 1])).toBe(5n);
  });
});
