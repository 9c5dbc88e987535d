import { AUCTION_STATES, canTransition, checkTransition, isFinal, type AuctionState } from '../../src/orchestrator/auctions/lifecycle.js';
import { InvalidRequestError, StateConflictError } from '../../src/orchestrator/common/domain-errors.js';

const ALLOWED: Array<[AuctionState, AuctionState]> = [
  ['draft', 'open'],
  ['draft', 'cancelled'],
  ['open', 'closed'],
  ['open', 'cancelled'],
  ['closed', 'computing'],
  ['closed', 'failed'],
  ['closed', 'cancelled'],
  ['computing', 'settled'],
  ['computing', 'failed'],
];

describe('auction lifecycle', () => {
  test('allows exactly the listed transitions', () => {
    for (const from of AUCTION_STATES) {
      for (const to of AUCTION_STATES) {
        const expected = ALLOWED.some(([a, b]) => a === from && b === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  test('settled, failed and cancelled are final', () => {
    expect(AUCTION_STATES.filter(isFinal)).toEqual(['settled', 'failed', 'cancelled']);
  });

  test('rejects a skipped state with the allowed ones', () => {
    expect(() => checkTransition('a1', 'draft', 'closed', null)).toThrow(StateConflictError);
    expect(() => checkTransition('a1', 'draft', 'closed', null)).toThrow('allowed next states: open, cancelled');
  });

  test('rejects leaving a final state', () => {
    expect(() => checkTransition('a1', 'settled', 'failed', 'late')).toThrow('none, because it is final');
  });

  test('failed and cancelled need a reason', () => {
    expect(() => checkTransition('a1', 'open', 'cancelled', null)).toThrow(InvalidRequestError);
    expect(() => checkTransition('a1', 'computing', 'failed', '  ')).toThrow('needs a reason');
    expect(() => checkTransition('a1', 'computing', 'failed', 'evaluator 2 disagreed')).not.toThrow();
  });

  test('other states carry no reason', () => {
    expect(() => checkTransition('a1', 'open', 'closed', 'why')).toThrow('only failed and cancelled carry a reason');
  });
});
