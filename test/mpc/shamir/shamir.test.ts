import fc from 'fast-check';
import { P, reconstructSecret, shareSecrets, type PointShare } from '../../../src/mpc/index.js';
import { add, sub } from '../../../src/mpc/field/fast-field.js';
import { referenceField as F } from '../../../src/mpc/field/reference-field.js';
import { inconsistentIndices, reconstructVectors } from '../../../src/mpc/shamir/shamir.js';
import { combinations, range1 } from '../combinations.js';
import { scriptedRandom, seededRandom } from '../seeded-random.js';

const element = fc.oneof(fc.constantFrom(0, 1, P - 1), fc.integer({ min: 0, max: P - 1 }));
const nonZero = fc.integer({ min: 1, max: P - 1 });

/** (n, t) pairs with t up to 3: n = 2t + 1 and a larger n for each t. */
const SETTINGS: Array<[number, number]> = [
  [3, 1],
  [4, 1],
  [6, 1],
  [5, 2],
  [7, 2],
  [7, 3],
  [9, 3],
];

function pointShares(vectors: Uint32Array[], parties: number[], index = 0): PointShare[] {
  return parties.map((party) => ({ party, share: vectors[party - 1][index] }));
}

/**
 * Returns the coefficients (constant term first) of the polynomial of degree
 * points.length - 1 through the given points, computed on the reference field.
 */
function interpolate(points: Array<[number, number]>): bigint[] {
  const result = new Array<bigint>(points.length).fill(0n);

  points.forEach(([xj, yj], j) => {
    let basis = [1n];
    let denominator = 1n;
    points.forEach(([xm], m) => {
      if (m !== j) {
        // Multiply the basis polynomial by (x - xm).
        const next = new Array<bigint>(basis.length + 1).fill(0n);
        basis.forEach((c, i) => {
          next[i + 1] = F.add(next[i + 1], c);
          next[i] = F.sub(next[i], F.mul(c, BigInt(xm)));
        });
        basis = next;
        denominator = F.mul(denominator, F.sub(BigInt(xj), BigInt(xm)));
      }
    });
    const scale = F.div(BigInt(yj), denominator);
    basis.forEach((c, i) => {
      result[i] = F.add(result[i], F.mul(scale, c));
    });
  });
  return result;
}

describe('Shamir sharing laws', () => {
  it('any t + 1 shares reconstruct', () => {
    for (const [parties, degree] of SETTINGS) {
      const subsets = combinations(range1(parties), degree + 1);
      fc.assert(
        fc.property(element, (secret) => {
          const vectors = shareSecrets(Uint32Array.of(secret), parties, degree);
          for (const subset of subsets) {
            expect([parties, degree, subset, reconstructSecret(pointShares(vectors, subset), degree)]).toEqual([
              parties,
              degree,
              subset,
              secret,
            ]);
          }
        }),
        { numRuns: 15 },
      );
    }
  });

  it('any t + 1 shares reconstruct in any order', () => {
    const settingAndOrder = fc.constantFrom(...SETTINGS).chain(([parties, degree]) =>
      fc.tuple(
        fc.constant(degree),
        fc.constant(parties),
        fc.shuffledSubarray(range1(parties), { minLength: degree + 1, maxLength: parties }),
      ),
    );
    fc.assert(
      fc.property(settingAndOrder, element, ([degree, parties, order], secret) => {
        const vectors = shareSecrets(Uint32Array.of(secret), parties, degree);
        return reconstructSecret(pointShares(vectors, order), degree) === secret;
      }),
      { numRuns: 300 },
    );
  });

  it('all n shares of an honest sharing reconstruct', () => {
    for (const [parties, degree] of SETTINGS) {
      const secrets = Uint32Array.of(0, 1, P - 1, 12345);
      const vectors = shareSecrets(secrets, parties, degree);
      secrets.forEach((secret, i) => {
        expect(reconstructSecret(pointShares(vectors, range1(parties), i), degree)).toBe(secret);
      });
      expect(inconsistentIndices(vectors, degree)).toEqual([]);
      expect(Array.from(reconstructVectors(vectors, degree))).toEqual(Array.from(secrets));
    }
  });

  it('t shares are uniform for any secret (bijection)', () => {
    // The map from the t random coefficients to the t shares of a fixed
    // secret goes between two sets of size P^t. Reaching an arbitrary target
    // shows it is onto, hence one-to-one, so uniform coefficients give
    // uniform shares for every secret.
    for (const [parties, degree] of SETTINGS) {
      for (const subset of combinations(range1(parties), degree)) {
        fc.assert(
          fc.property(element, fc.array(element, { minLength: degree, maxLength: degree }), (secret, targets) => {
            const points: Array<[number, number]> = [[0, secret], ...subset.map((x, i): [number, number] => [x, targets[i]])];
            const coefficients = interpolate(points).slice(1).map(Number);
            const vectors = shareSecrets(Uint32Array.of(secret), parties, degree, scriptedRandom(coefficients));
            return subset.every((party, i) => vectors[party - 1][0] === targets[i]);
          }),
          { numRuns: 10 },
        );
      }
    }
  });

  it('t shares are uniform for any secret (histograms)', () => {
    // Deterministic: a seeded source and a fixed sample, so the check cannot
    // flake. The 64-bucket statistic has 63 degrees of freedom (chi-square
    // mean 63, standard deviation about 11), and 130 lies far in its tail.
    for (const degree of [1, 2, 3]) {
      const histograms = [0, P - 1].map((secret, s) => shareHistogram(secret, degree, seededRandom(1000 * degree + s)));
      for (const counts of histograms) {
        expect([degree, chiSquareUniform(counts) < 130]).toEqual([degree, true]);
      }
      expect([degree, chiSquareTwoSample(histograms[0], histograms[1]) < 130]).toEqual([degree, true]);
    }
  });

  it('the histogram check catches a biased random source', () => {
    // Coefficients below 2^20 leave the shares of secret 0 in few buckets.
    const biased = (count: number): Uint32Array => seededRandom(3)(count).map((value) => value >>> 6);
    expect(chiSquareUniform(shareHistogram(0, 1, biased))).toBeGreaterThan(1000);
    expect(chiSquareTwoSample(shareHistogram(0, 1, biased), shareHistogram(P - 1, 1, seededRandom(4)))).toBeGreaterThan(1000);
  });
});

const HISTOGRAM_SAMPLES = 12_800;

/**
 * Shares secret many times at n = 2t + 1 parties and counts the joint top
 * bits of the shares of parties 1..t in 64 buckets.
 */
function shareHistogram(secret: number, degree: number, random: (count: number) => Uint32Array): number[] {
  const bucketBits = 6 / degree;
  const secrets = new Uint32Array(HISTOGRAM_SAMPLES).fill(secret);
  const vectors = shareSecrets(secrets, 2 * degree + 1, degree, random);
  const counts = new Array<number>(64).fill(0);

  for (let i = 0; i < HISTOGRAM_SAMPLES; i++) {
    let bucket = 0;
    for (let party = 1; party <= degree; party++) {
      bucket = (bucket << bucketBits) | (vectors[party - 1][i] >>> (26 - bucketBits));
    }
    counts[bucket]++;
  }
  return counts;
}

function chiSquareUniform(counts: number[]): number {
  const expected = HISTOGRAM_SAMPLES / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

function chiSquareTwoSample(a: number[], b: number[]): number {
  return a.reduce((sum, countA, i) => {
    const countB = b[i];
    return countA + countB === 0 ? sum : sum + (countA - countB) ** 2 / (countA + countB);
  }, 0);
}

describe('reconstructSecret', () => {
  it('detects a single altered share among all n', () => {
    for (const [parties, degree] of SETTINGS) {
      fc.assert(
        fc.property(element, nonZero, fc.integer({ min: 1, max: parties }), (secret, delta, altered) => {
          const shares = pointShares(shareSecrets(Uint32Array.of(secret), parties, degree), range1(parties));
          shares[altered - 1] = { party: altered, share: add(shares[altered - 1].share, delta) };
          expect(() => reconstructSecret(shares, degree)).toThrow(/do not lie on one polynomial of degree/);
        }),
        { numRuns: 30 },
      );
    }
  });

  it('detects a single altered share among t + 2', () => {
    for (const [parties, degree] of SETTINGS) {
      const vectors = shareSecrets(Uint32Array.of(42), parties, degree);
      for (const subset of combinations(range1(parties), degree + 2)) {
        for (let altered = 0; altered < subset.length; altered++) {
          const shares = pointShares(vectors, subset);
          shares[altered] = { ...shares[altered], share: sub(shares[altered].share, 1) };
          expect(() => reconstructSecret(shares, degree)).toThrow(Error);
        }
      }
    }
  });

  it('rejects fewer than t + 1 shares', () => {
    const vectors = shareSecrets(Uint32Array.of(5), 7, 3);
    expect(() => reconstructSecret(pointShares(vectors, [1, 2, 3]), 3)).toThrow(RangeError);
    expect(() => reconstructSecret(pointShares(vectors, [1, 2, 3]), 3)).toThrow('reconstruction needs t + 1 = 4 shares, got 3');
    expect(() => reconstructSecret([], 1)).toThrow(RangeError);
  });

  it('rejects an invalid degree', () => {
    const vectors = shareSecrets(Uint32Array.of(5), 3, 1);
    expect(() => reconstructSecret(pointShares(vectors, [1, 2, 3]), 0)).toThrow(/degree t must be an integer of at least 1/);
  });

  it('rejects a repeated party among the first t + 1 shares', () => {
    const vectors = shareSecrets(Uint32Array.of(5), 3, 1);
    expect(() => reconstructSecret(pointShares(vectors, [1, 1, 2]), 1)).toThrow(RangeError);
  });

  it('rejects a repeated party among the extra shares', () => {
    const vectors = shareSecrets(Uint32Array.of(5), 3, 1);
    expect(() => reconstructSecret(pointShares(vectors, [1, 2, 2]), 1)).toThrow(RangeError);
  });
});

describe('shareSecrets', () => {
  it('rejects a degree that would reveal the secret', () => {
    // Degree 0 hands every party the secret itself.
    for (const degree of [0, -1, 1.5, NaN]) {
      expect(() => shareSecrets(Uint32Array.of(7), 3, degree)).toThrow(RangeError);
    }
  });

  it('rejects fewer parties than t + 1', () => {
    for (const [parties, degree] of [
      [1, 1],
      [2, 2],
      [0, 1],
      [2.5, 1],
    ]) {
      expect(() => shareSecrets(Uint32Array.of(7), parties, degree)).toThrow(RangeError);
    }
  });

  it('rejects a secret outside the field', () => {
    expect(() => shareSecrets(Uint32Array.of(1, P), 3, 1)).toThrow(RangeError);
    expect(() => shareSecrets(Uint32Array.of(1, P), 3, 1)).toThrow('secret 1 is not a field element');
  });

  it('draws t fresh coefficients per secret', () => {
    const requests: number[] = [];
    const random = (count: number): Uint32Array => {
      requests.push(count);
      return seededRandom(1)(count);
    };
    shareSecrets(new Uint32Array(5), 7, 3, random);
    expect(requests).toEqual([15]);
  });

  it('gives independent polynomials to equal secrets', () => {
    const vectors = shareSecrets(new Uint32Array(4).fill(9), 3, 1, seededRandom(7));
    expect(new Set(vectors[0]).size).toBe(4);
  });
});

describe('inconsistentIndices', () => {
  it('names exactly the altered elements', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SETTINGS),
        fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 5 }),
        (setting, altered) => {
          const [parties, degree] = setting;
          const vectors = shareSecrets(new Uint32Array(16).fill(3), parties, degree);
          for (const index of altered) {
            const party = (index % parties) + 1;
            vectors[party - 1][index] = add(vectors[party - 1][index], 1);
          }
          return JSON.stringify(inconsistentIndices(vectors, degree)) === JSON.stringify([...altered].sort((a, b) => a - b));
        },
      ),
      { numRuns: 100 },
    );
  });
});
