import fc from 'fast-check';
import { P, shareBid, type BidInput } from '../../../src/mpc/index.js';
import { add } from '../../../src/mpc/field/fast-field.js';
import { REASON_INCONSISTENT, REASON_NOT_A_BIT, validateBids, type ValidationResult } from '../../../src/mpc/protocol/validate.js';
import { degreeFor, runParties, shareAt } from '../harness.js';

const PARTY_COUNTS = [3, 5, 7];
const BITS = 8;

/** One bid as the parties receive it: index 0 is party 1's input. */
type SharedBid = BidInput[];

function honestBid(amount: bigint, parties: number): SharedBid {
  return shareBid(amount, BITS, { parties, degree: degreeFor(parties) });
}

/** Shares a bid whose bit at position index is the non-bit value, on a proper degree-t polynomial. */
function nonBitBid(value: number, index: number, parties: number): SharedBid {
  const values = new Array<number>(BITS).fill(0);
  values[index] = value;
  return shareAt(values, parties, degreeFor(parties));
}

/** Shares an honest bid, then moves one party's share of one bit off the polynomial. */
function offPolynomialBid(party: number, index: number, parties: number): SharedBid {
  const bid = honestBid(77n, parties) as Uint32Array[];
  bid[party - 1][index] = add(bid[party - 1][index], 1);
  return bid;
}

/** Replaces one party's input of an honest bid. */
function withInputAt(party: number, input: BidInput, parties: number): SharedBid {
  const bid = honestBid(5n, parties);
  bid[party - 1] = input;
  return bid;
}

async function validateAt(parties: number, bids: SharedBid[]): Promise<Array<ValidationResult & { rounds: number }>> {
  return runParties(parties, degreeFor(parties), async (runtime) => {
    const result = await validateBids(runtime, bids.map((bid) => bid[runtime.party - 1]), BITS);
    return { ...result, rounds: runtime.stats.rounds };
  });
}

/** Checks that every party agrees, and returns party 1's result. */
function agreed(results: Array<ValidationResult & { rounds: number }>): ValidationResult {
  const [first] = results;
  for (const result of results) {
    expect(result.valid).toEqual(first.valid);
    expect(result.rejected).toEqual(first.rejected);
    expect(Array.from(result.seed)).toEqual(Array.from(first.seed));
  }
  return first;
}

describe('validateBids', () => {
  it('accepts honest bids in three rounds', async () => {
    for (const parties of PARTY_COUNTS) {
      const bids = [0n, 1n, 200n, 255n].map((amount) => honestBid(amount, parties));
      const results = await validateAt(parties, bids);
      const result = agreed(results);

      expect(result.valid).toEqual([0, 1, 2, 3]);
      expect(result.rejected).toEqual([]);
      expect(result.seed).toHaveLength(5);
      expect(results.map((r) => r.rounds)).toEqual(new Array(parties).fill(3));
    }
  });

  it('accepts an empty list of bids', async () => {
    const result = agreed(await validateAt(3, []));
    expect(result.valid).toEqual([]);
    expect(result.rejected).toEqual([]);
  });

  it('rejects a shared value that is not a bit', async () => {
    for (const parties of PARTY_COUNTS) {
      for (const value of [2, P - 1, 3, P - 2]) {
        const bids = [honestBid(9n, parties), nonBitBid(value, value % BITS, parties), honestBid(3n, parties)];
        const result = agreed(await validateAt(parties, bids));

        expect([parties, value, result.valid]).toEqual([parties, value, [0, 2]]);
        expect(result.rejected).toEqual([{ bid: 1, reason: REASON_NOT_A_BIT }]);
      }
    }
  });

  it('rejects shares off a degree-t polynomial at any party', async () => {
    for (const parties of PARTY_COUNTS) {
      for (let party = 1; party <= parties; party++) {
        const bids = [offPolynomialBid(party, party % BITS, parties), honestBid(1n, parties)];
        const result = agreed(await validateAt(parties, bids));

        expect([parties, party, result.valid]).toEqual([parties, party, [1]]);
        expect(result.rejected).toEqual([{ bid: 0, reason: REASON_INCONSISTENT }]);
      }
    }
  });

  it('rejects a bid shared at degree t + 1', async () => {
    for (const parties of PARTY_COUNTS) {
      const degree = degreeFor(parties);
      const bids = [honestBid(2n, parties), shareAt([1, 0, 1, 0, 1, 0, 1, 0], parties, degree + 1)];
      const result = agreed(await validateAt(parties, bids));

      expect(result.valid).toEqual([0]);
      expect(result.rejected).toEqual([{ bid: 1, reason: REASON_INCONSISTENT }]);
    }
  });

  it('rejects a share vector of the wrong length at one party', async () => {
    for (const parties of PARTY_COUNTS) {
      const bids = [honestBid(1n, parties), withInputAt(parties, new Uint32Array(BITS - 1), parties), withInputAt(1, new Uint32Array(BITS + 2), parties)];
      const result = agreed(await validateAt(parties, bids));

      expect(result.valid).toEqual([0]);
      expect(result.rejected).toEqual([
        { bid: 1, reason: `evaluator ${parties}: expected ${BITS} bit shares, got ${BITS - 1}` },
        { bid: 2, reason: `evaluator 1: expected ${BITS} bit shares, got ${BITS + 2}` },
      ]);
    }
  });

  it('rejects a share outside the field at one party', async () => {
    const bad = new Uint32Array(BITS).fill(1);
    bad[3] = P;
    const bids = [withInputAt(2, bad, 3), honestBid(4n, 3)];
    const result = agreed(await validateAt(3, bids));

    expect(result.valid).toEqual([1]);
    expect(result.rejected).toEqual([{ bid: 0, reason: 'evaluator 2: a share is outside the field' }]);
  });

  it('rejects a bid that one party could not use', async () => {
    for (const parties of PARTY_COUNTS) {
      const bids = [withInputAt(2, { rejected: 'envelope failed to decrypt' }, parties), honestBid(6n, parties)];
      const result = agreed(await validateAt(parties, bids));

      expect(result.valid).toEqual([1]);
      expect(result.rejected).toEqual([{ bid: 0, reason: 'evaluator 2: envelope failed to decrypt' }]);
    }
  });

  it('keeps the lowest-numbered party reason when several reject', async () => {
    const bid = honestBid(6n, 5);
    bid[3] = { rejected: 'late' };
    bid[1] = { rejected: 'unsigned' };
    const result = agreed(await validateAt(5, [bid]));
    expect(result.rejected).toEqual([{ bid: 0, reason: 'evaluator 2: unsigned' }]);
  });

  it('separates honest and malicious bids in any mix', async () => {
    const kind = fc.constantFrom('honest', 'non-bit', 'off-polynomial', 'short', 'rejected');
    const setting = fc.tuple(fc.constantFrom(...PARTY_COUNTS), fc.array(kind, { maxLength: 6 }), fc.nat());

    await fc.assert(
      fc.asyncProperty(setting, async ([parties, kinds, pick]) => {
        const party = (pick % parties) + 1;
        const bids = kinds.map((k): SharedBid => {
          switch (k) {
            case 'honest':
              return honestBid(BigInt(pick % 256), parties);
            case 'non-bit':
              return nonBitBid(2, pick % BITS, parties);
            case 'off-polynomial':
              return offPolynomialBid(party, pick % BITS, parties);
            case 'short':
              return withInputAt(party, new Uint32Array(1), parties);
            default:
              return withInputAt(party, { rejected: 'missing' }, parties);
          }
        });
        const result = agreed(await validateAt(parties, bids));

        expect(result.valid).toEqual(kinds.flatMap((k, i) => (k === 'honest' ? [i] : [])));
        expect(result.rejected.map((r) => r.bid)).toEqual(kinds.flatMap((k, i) => (k === 'honest' ? [] : [i])));
      }),
      { numRuns: 25 },
    );
  });

  it('draws a new seed in every run', async () => {
    const bids = [honestBid(1n, 3)];
    const a = agreed(await validateAt(3, bids));
    const b = agreed(await validateAt(3, bids));
    expect(Array.from(a.seed)).not.toEqual(Array.from(b.seed));
  });
});
