import { P } from '../../../src/mpc/index.js';
import { complementBits, dealJointRandomness, jointRandomPublic, randomBits } from '../../../src/mpc/protocol/randomness.js';
import { degreeFor, openAll, runParties, shareAt } from '../harness.js';
import { seededRandom } from '../seeded-random.js';

const PARTY_COUNTS = [3, 5, 7];

describe('dealJointRandomness', () => {
  it('deals degree-t random sharings, degree-2t zeros and the public extras', async () => {
    for (const parties of PARTY_COUNTS) {
      const degree = degreeFor(parties);
      const results = await runParties(parties, degree, (runtime) =>
        dealJointRandomness(runtime, 6, 4, Uint32Array.of(runtime.party, 7)),
      );

      const random = openAll(results.map((r) => r.random), degree);
      expect(random).toHaveLength(6);
      expect(new Set(random).size).toBe(6);
      expect(openAll(results.map((r) => r.zeros), 2 * degree)).toEqual([0, 0, 0, 0]);
      for (const result of results) {
        expect(result.extras.map((extra) => Array.from(extra))).toEqual(
          Array.from({ length: parties }, (_, j) => [j + 1, 7]),
        );
      }
    }
  });

  it('takes one round', async () => {
    const rounds = await runParties(3, 1, async (runtime) => {
      await dealJointRandomness(runtime, 2, 2);
      return runtime.stats.rounds;
    });
    expect(rounds).toEqual([1, 1, 1]);
  });
});

describe('jointRandomPublic', () => {
  it('gives the same field elements to every party', async () => {
    for (const parties of PARTY_COUNTS) {
      const results = await runParties(parties, degreeFor(parties), (runtime) => jointRandomPublic(runtime, 8));
      const first = Array.from(results[0]);

      expect(first).toHaveLength(8);
      expect(first.every((value) => Number.isInteger(value) && value >= 0 && value < P)).toBe(true);
      for (const result of results) {
        expect(Array.from(result)).toEqual(first);
      }
    }
  });

  it('differs between runs', async () => {
    const a = await runParties(3, 1, (runtime) => jointRandomPublic(runtime, 4));
    const b = await runParties(3, 1, (runtime) => jointRandomPublic(runtime, 4));
    expect(Array.from(a[0])).not.toEqual(Array.from(b[0]));
  });

  it('depends on every party, not on one alone', async () => {
    // Fixing the randomness of all parties but one still changes the output.
    const fixed = (seedOfParty3: number) => (party: number) => seededRandom(party === 3 ? seedOfParty3 : 100 + party);
    const a = await runParties(3, 1, (runtime) => jointRandomPublic(runtime, 4), { random: fixed(1) });
    const b = await runParties(3, 1, (runtime) => jointRandomPublic(runtime, 4), { random: fixed(2) });
    const c = await runParties(3, 1, (runtime) => jointRandomPublic(runtime, 4), { random: fixed(1) });

    expect(Array.from(a[0])).not.toEqual(Array.from(b[0]));
    expect(Array.from(a[0])).toEqual(Array.from(c[0]));
  });
});

describe('randomBits', () => {
  it('yields degree-t sharings of 0 and 1 only', async () => {
    for (const parties of PARTY_COUNTS) {
      const degree = degreeFor(parties);
      const results = await runParties(parties, degree, (runtime) => randomBits(runtime, 200));
      const bits = openAll(results, degree);

      expect(bits).toHaveLength(200);
      expect(bits.filter((b) => b !== 0 && b !== 1)).toEqual([]);
      // Each value occurs with probability 1/2, so missing one has probability 2^-199.
      expect(bits).toContain(0);
      expect(bits).toContain(1);
    }
  });

  it('returns an empty batch for count 0', async () => {
    const results = await runParties(3, 1, (runtime) => randomBits(runtime, 0));
    expect(results.map((r) => r.length)).toEqual([0, 0, 0]);
  });
});

describe('complementBits', () => {
  it('maps a sharing of b to a sharing of 1 - b', () => {
    const shares = shareAt([0, 1, 1, 0], 3, 1);
    expect(openAll(shares.map(complementBits), 1)).toEqual([1, 0, 0, 1]);
  });
});
