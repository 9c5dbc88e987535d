import fc from 'fast-check';
import { P } from '../../../src/mpc/index.js';
import { mul } from '../../../src/mpc/field/fast-field.js';
import { multiply, reduceDegree, select, type Selection } from '../../../src/mpc/protocol/multiply.js';
import { openAll, runParties, shareAt } from '../harness.js';

/** (n, t) pairs: n = 2t + 1, and n above 2t + 1 where some parties do not reshare. */
const SETTINGS: Array<[number, number]> = [
  [3, 1],
  [4, 1],
  [5, 2],
  [6, 2],
  [7, 3],
];

const element = fc.oneof(fc.constantFrom(0, 1, P - 1), fc.integer({ min: 0, max: P - 1 }));
const elements = fc.array(element, { minLength: 0, maxLength: 20 });

describe('reduceDegree', () => {
  it('keeps the value of a degree-2t sharing and returns degree t', async () => {
    for (const [parties, degree] of SETTINGS) {
      await fc.assert(
        fc.asyncProperty(elements, async (secrets) => {
          const doubled = shareAt(secrets, parties, 2 * degree);
          const outputs = await runParties(parties, degree, (runtime) => reduceDegree(runtime, doubled[runtime.party - 1]));
          expect(openAll(outputs, degree)).toEqual(secrets);
        }),
        { numRuns: 10 },
      );
    }
  });

  it('reduces degree where the points are too large for exact integer sums', async () => {
    // With 29 parties of degree 14 the recombination and the subshares of parties 4..29 use field arithmetic per term.
    await fc.assert(
      fc.asyncProperty(elements, async (secrets) => {
        const doubled = shareAt(secrets, 29, 28);
        const outputs = await runParties(29, 14, (runtime) => reduceDegree(runtime, doubled[runtime.party - 1]));
        expect(openAll(outputs, 14)).toEqual(secrets);
      }),
      { numRuns: 3 },
    );
  });

  it('takes one round and counts one multiplication per value', async () => {
    const doubled = shareAt([1, 2, 3, 4], 5, 4);
    const stats = await runParties(5, 2, async (runtime) => {
      await reduceDegree(runtime, doubled[runtime.party - 1]);
      return runtime.stats;
    });
    for (const s of stats) {
      expect(s.rounds).toBe(1);
      expect(s.multiplications).toBe(4);
    }
  });
});

describe('multiply', () => {
  it('multiplies sharings element by element', async () => {
    for (const [parties, degree] of SETTINGS) {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(element, element), { maxLength: 20 }), async (pairs) => {
          const x = shareAt(pairs.map(([a]) => a), parties, degree);
          const y = shareAt(pairs.map(([, b]) => b), parties, degree);
          const outputs = await runParties(parties, degree, (runtime) => multiply(runtime, x[runtime.party - 1], y[runtime.party - 1]));
          expect(openAll(outputs, degree)).toEqual(pairs.map(([a, b]) => mul(a, b)));
        }),
        { numRuns: 10 },
      );
    }
  });

  it('supports a chain of products', async () => {
    const values = [3, 5, 7, P - 1];
    const shared = shareAt(values, 5, 2);
    const outputs = await runParties(5, 2, async (runtime) => {
      let product = shared[runtime.party - 1];
      for (let round = 0; round < 3; round++) {
        product = await multiply(runtime, product, shared[runtime.party - 1]);
      }
      return product;
    });
    expect(openAll(outputs, 2)).toEqual(values.map((v) => mul(mul(v, v), mul(v, v))));
  });

  it('rejects operands of different lengths', async () => {
    await expect(
      runParties(3, 1, (runtime) => multiply(runtime, new Uint32Array(2), new Uint32Array(3))),
    ).rejects.toThrow('operands have 2 and 3 elements; they must be equal');
  });
});

describe('select', () => {
  /** A batch of count choices over values of the given width, as plain numbers. */
  const batch = fc.integer({ min: 1, max: 4 }).chain((width) =>
    fc.record({
      width: fc.constant(width),
      rows: fc.array(
        fc.record({
          choice: fc.constantFrom(0, 1),
          base: fc.array(element, { minLength: width, maxLength: width }),
          alternative: fc.array(element, { minLength: width, maxLength: width }),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    }),
  );

  it('picks the alternative where the choice is 1, all batches in one round', async () => {
    for (const [parties, degree] of SETTINGS) {
      await fc.assert(
        fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 3 }), async (batches) => {
          const shared = batches.map(({ width, rows }) => ({
            width,
            choice: shareAt(rows.map((r) => r.choice), parties, degree),
            base: shareAt(rows.flatMap((r) => r.base), parties, degree),
            alternative: shareAt(rows.flatMap((r) => r.alternative), parties, degree),
          }));

          const results = await runParties(parties, degree, async (runtime) => {
            const selections: Selection[] = shared.map((s) => ({
              width: s.width,
              choice: s.choice[runtime.party - 1],
              base: s.base[runtime.party - 1],
              alternative: s.alternative[runtime.party - 1],
            }));
            return { out: await select(runtime, selections), rounds: runtime.stats.rounds };
          });

          batches.forEach(({ rows }, b) => {
            const expected = rows.flatMap((r) => (r.choice === 1 ? r.alternative : r.base));
            expect(openAll(results.map((r) => r.out[b]), degree)).toEqual(expected);
          });
          expect(results.map((r) => r.rounds)).toEqual(new Array(parties).fill(1));
        }),
        { numRuns: 8 },
      );
    }
  });
});
