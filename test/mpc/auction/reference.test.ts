import { referenceOutcome } from '../../../src/mpc/index.js';
import { baseRules } from './auction-harness.js';
import { EDGE_CASES } from './edge-cases.js';

describe('referenceOutcome', () => {
  for (const edge of EDGE_CASES) {
    it(`gives the expected outcome: ${edge.name}`, () => {
      const outcome = referenceOutcome(edge.bids, edge.rules, edge.sealedReserve ?? undefined);
      expect(outcome).toEqual({ ...edge.expected, validBids: edge.bids.length });
    });
  }

  it('follows the given tie order', () => {
    const rules = baseRules({ price: 'second' });
    expect(referenceOutcome([9n, 9n, 9n], rules, null, [2, 0, 1]).winner).toBe(2);
    expect(referenceOutcome([9n, 3n, 9n], rules, null, [1, 2, 0]).winner).toBe(2);
  });

  it('rejects invalid rules', () => {
    expect(() => referenceOutcome([1n], baseRules({ bits: 0 }))).toThrow(RangeError);
  });
});
