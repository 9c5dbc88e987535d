import fc from 'fast-check';
import { auctionCase, expectReferenceOutcome } from './auction-cases.js';
import { agreedOutcome, auctionAt, auctionOfAmounts, publicPart, shareAmounts, type SharedBid } from './auction-harness.js';
import { EDGE_CASES } from './edge-cases.js';
import { MALICIOUS_KINDS, maliciousBid } from './malicious-bids.js';

const PARTY_COUNTS = [3, 5, 7];
const WIDTHS = [1, 2, 8, 32, 48];

describe('runAuction sweep against referenceOutcome', () => {
  for (const parties of PARTY_COUNTS) {
    for (const bits of WIDTHS) {
      it(`matches on random rules at n = ${parties}, k = ${bits}`, async () => {
        await fc.assert(
          fc.asyncProperty(auctionCase(bits, { maxBids: 9 }), async (c) => {
            const results = await auctionOfAmounts(parties, c.amounts, c.rules, c.sealedReserve);
            expectReferenceOutcome(results, c, parties);
          }),
          { numRuns: Math.max(10, Math.round(600 / (parties * Math.log2(2 * bits)))) },
        );
      });
    }
  }
});

describe('runAuction edge cases at n = 5 and 7', () => {
  for (const parties of [5, 7]) {
    it(`give the expected outcomes at n = ${parties}`, async () => {
      for (const edge of EDGE_CASES) {
        const results = await auctionOfAmounts(parties, edge.bids, edge.rules, edge.sealedReserve);
        const outcome = agreedOutcome(results);
        expect([edge.name, publicPart(outcome)]).toEqual([edge.name, { ...edge.expected, validBids: edge.bids.length }]);
      }
    });
  }
});

describe('runAuction with many malicious bidders', () => {
  it('excludes every bad bid at any party', async () => {
    const setting = fc.record({
      parties: fc.constantFrom(...PARTY_COUNTS),
      c: fc.constantFrom(1, 2, 8, 48).chain((bits) => auctionCase(bits, { ties: 'earliest', maxBids: 5 })),
      bad: fc.array(fc.record({ kind: fc.constantFrom(...MALICIOUS_KINDS), position: fc.nat(), party: fc.nat() }), { minLength: 1, maxLength: 4 }),
    });

    await fc.assert(
      fc.asyncProperty(setting, async ({ parties, c, bad }) => {
        const bids: SharedBid[] = shareAmounts(c.amounts, c.rules.bits, parties);
        const honest = bids.slice();
        const reasons = new Map<SharedBid, string>();
        for (const { kind, position, party } of bad) {
          const made = maliciousBid(kind, c.rules.bits, parties, (party % parties) + 1);
          bids.splice(position % (bids.length + 1), 0, made.bid);
          reasons.set(made.bid, made.reason);
        }
        const positions = honest.map((bid) => bids.indexOf(bid));
        const sealedReserve = c.sealedReserve === undefined ? undefined : shareAmounts([c.sealedReserve], c.rules.bits, parties)[0];

        const results = await auctionAt({ parties, rules: c.rules, bids, sealedReserve });
        const expectedRejections = bids.flatMap((bid, i) => (reasons.has(bid) ? [{ bid: i, reason: reasons.get(bid) }] : []));
        expect(results[0].outcome.rejected).toEqual(expectedRejections);
        expectReferenceOutcome(results, c, parties, positions);
      }),
      { numRuns: 40 },
    );
  });
});
