import fc from 'fast-check';
import { amountToBits } from '../../../src/mpc/index.js';
import { compareWithPublic, greaterThan } from '../../../src/mpc/protocol/compare.js';
import { degreeFor, openAll, runParties, shareBits } from '../harness.js';

const PARTY_COUNTS = [3, 5, 7];

const ceilLog2 = (width: number): number => Math.ceil(Math.log2(width));

/** Runs greaterThan on the pairs at n parties; returns the opened bits and the rounds it took. */
async function mpcGreaterThan(pairs: Array<[bigint, bigint]>, width: number, parties: number): Promise<{ bits: number[]; rounds: number }> {
  const degree = degreeFor(parties);
  const a = shareBits(pairs.map(([x]) => x), width, parties, degree);
  const b = shareBits(pairs.map(([, y]) => y), width, parties, degree);

  const results = await runParties(parties, degree, async (runtime) => {
    const out = await greaterThan(runtime, a[runtime.party - 1], b[runtime.party - 1], pairs.length, width);
    return { out, rounds: runtime.stats.rounds };
  });
  return { bits: openAll(results.map((r) => r.out), degree), rounds: results[0].rounds };
}

/** Runs compareWithPublic of every value against each constant; returns [above, below] bits per constant. */
async function mpcCompareWithPublic(
  values: bigint[],
  constants: bigint[],
  width: number,
  parties: number,
): Promise<{ above: number[][]; below: number[][]; rounds: number }> {
  const degree = degreeFor(parties);
  const shared = shareBits(values, width, parties, degree);

  const results = await runParties(parties, degree, async (runtime) => {
    const outcomes = [];
    for (const constant of constants) {
      outcomes.push(await compareWithPublic(runtime, shared[runtime.party - 1], amountToBits(constant, width), values.length, width));
    }
    return { outcomes, rounds: runtime.stats.rounds };
  });
  return {
    above: constants.map((_, c) => openAll(results.map((r) => r.outcomes[c].above), degree)),
    below: constants.map((_, c) => openAll(results.map((r) => r.outcomes[c].below), degree)),
    rounds: results[0].rounds,
  };
}

function allValues(width: number): bigint[] {
  return Array.from({ length: 2 ** width }, (_, v) => BigInt(v));
}

/** Pairs of width-bit values, often equal or differing in one bit, where comparison is hardest. */
const widthAndPairs = fc.integer({ min: 1, max: 64 }).chain((width) => {
  const max = (1n << BigInt(width)) - 1n;
  const value = fc.oneof(fc.bigInt({ min: 0n, max }), fc.constantFrom(0n, max));
  const pair = fc.oneof(
    fc.tuple(value, value),
    value.map((v): [bigint, bigint] => [v, v]),
    fc.tuple(value, fc.nat({ max: width - 1 })).map(([v, bit]): [bigint, bigint] => [v, v ^ (1n << BigInt(bit))]),
  );
  return fc.tuple(fc.constant(width), fc.array(pair, { minLength: 1, maxLength: 8 }));
});

describe('greaterThan', () => {
  for (const parties of PARTY_COUNTS) {
    it(`matches plaintext on widths 1 to 4 at n = ${parties}`, async () => {
      for (let width = 1; width <= 4; width++) {
        const values = allValues(width);
        const pairs = values.flatMap((x) => values.map((y): [bigint, bigint] => [x, y]));
        const { bits, rounds } = await mpcGreaterThan(pairs, width, parties);

        pairs.forEach(([x, y], i) => {
          expect([width, x, y, bits[i]]).toEqual([width, x, y, x > y ? 1 : 0]);
        });
        expect([width, rounds]).toEqual([width, 1 + ceilLog2(width)]);
      }
    });

    it(`matches plaintext on random pairs at n = ${parties}`, async () => {
      await fc.assert(
        fc.asyncProperty(widthAndPairs, async ([width, pairs]) => {
          const { bits, rounds } = await mpcGreaterThan(pairs, width, parties);
          expect(bits).toEqual(pairs.map(([x, y]) => (x > y ? 1 : 0)));
          expect(rounds).toBe(1 + ceilLog2(width));
        }),
        { numRuns: parties === 3 ? 100 : 40 },
      );
    });
  }
});

describe('compareWithPublic', () => {
  for (const parties of PARTY_COUNTS) {
    it(`matches plaintext on widths 1 to 4 at n = ${parties}`, async () => {
      for (let width = 1; width <= 4; width++) {
        const values = allValues(width);
        const { above, below, rounds } = await mpcCompareWithPublic(values, values, width, parties);

        values.forEach((constant, c) => {
          values.forEach((x, i) => {
            expect([width, x, constant, above[c][i], below[c][i]]).toEqual([width, x, constant, x > constant ? 1 : 0, x < constant ? 1 : 0]);
          });
        });
        expect([width, rounds]).toEqual([width, values.length * ceilLog2(width)]);
      }
    });

    it(`matches plaintext on random values at n = ${parties}`, async () => {
      await fc.assert(
        fc.asyncProperty(widthAndPairs, async ([width, pairs]) => {
          const values = pairs.map(([x]) => x);
          const constant = pairs[0][1];
          const { above, below } = await mpcCompareWithPublic(values, [constant], width, parties);
          expect(above[0]).toEqual(values.map((x) => (x > constant ? 1 : 0)));
          expect(below[0]).toEqual(values.map((x) => (x < constant ? 1 : 0)));
        }),
        { numRuns: parties === 3 ? 100 : 40 },
      );
    });
  }
});
