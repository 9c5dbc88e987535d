import { amountToBits } from '../../../src/mpc/index.js';
import { compareWithPublic, greaterThan } from '../../../src/mpc/protocol/compare.js';
import { openAll, runParties, shareBits } from '../harness.js';

/** (n, t) pairs with t up to 3, at n = 2t + 1 and above. */
const SETTINGS: Array<[number, number]> = [
  [3, 1],
  [5, 2],
  [7, 3],
  [9, 3],
];

function allValues(width: number): bigint[] {
  return Array.from({ length: 2 ** width }, (_, v) => BigInt(v));
}

describe('comparison sweep over all pairs of widths 5 and 6', () => {
  for (const [parties, degree] of SETTINGS) {
    it(`greaterThan at n = ${parties}, t = ${degree}`, async () => {
      for (const width of [5, 6]) {
        const values = allValues(width);
        const pairs = values.flatMap((x) => values.map((y): [bigint, bigint] => [x, y]));
        const a = shareBits(pairs.map(([x]) => x), width, parties, degree);
        const b = shareBits(pairs.map(([, y]) => y), width, parties, degree);

        const outputs = await runParties(parties, degree, (runtime) =>
          greaterThan(runtime, a[runtime.party - 1], b[runtime.party - 1], pairs.length, width),
        );
        const bits = openAll(outputs, degree);
        const wrong = pairs.filter(([x, y], i) => bits[i] !== (x > y ? 1 : 0));
        expect([width, wrong]).toEqual([width, []]);
      }
    });

    it(`compareWithPublic at n = ${parties}, t = ${degree}`, async () => {
      for (const width of [5, 6]) {
        const values = allValues(width);
        const shared = shareBits(values, width, parties, degree);

        const outputs = await runParties(parties, degree, async (runtime) => {
          const results = [];
          for (const constant of values) {
            results.push(await compareWithPublic(runtime, shared[runtime.party - 1], amountToBits(constant, width), values.length, width));
          }
          return results;
        });

        values.forEach((constant, c) => {
          const above = openAll(outputs.map((o) => o[c].above), degree);
          const below = openAll(outputs.map((o) => o[c].below), degree);
          expect([width, constant, above]).toEqual([width, constant, values.map((x) => (x > constant ? 1 : 0))]);
          expect([width, constant, below]).toEqual([width, constant, values.map((x) => (x < constant ? 1 : 0))]);
        });
      }
    });
  }
});
