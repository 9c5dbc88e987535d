/**
 * The auction lifecycle as a pure transition table:
 *
 *   draft -> open -> closed -> computing -> settled
 *
 * with cancelled reachable before computing starts and failed reachable once
 * the auction has closed. Both failed and cancelled are final and carry a
 * reason; settled is final too.
 */
import { StateConflictError, InvalidRequestError } from '../common/domain-errors.js';

export const AUCTION_STATES = ['draft', 'open', 'closed', 'computing', 'settled', 'failed', 'cancelled'] as const;

export type AuctionState = (typeof AUCTION_STATES)[number];

const NEXT_STATES: Readonly<Record<AuctionState, readonly AuctionState[]>> = {
  draft: ['open', 'cancelled'],
  open: ['closed', 'cancelled'],
  closed: ['computing', 'failed', 'cancelled'],
  computing: ['settled', 'failed'],
  settled: [],
  failed: [],
  cancelled: [],
};

const STATES_WITH_REASON: ReadonlySet<AuctionState> = new Set(['failed', 'cancelled']);

/** Returns whether the lifecycle allows moving from one state to another. */
export function canTransition(from: AuctionState, to: AuctionState): boolean {
  return NEXT_STATES[from].includes(to);
}

/** Returns whether a state is final. */
export function isFinal(state: AuctionState): boolean {
  return NEXT_STATES[state].length === 0;
}

/**
 * Checks one transition and its reason.
 * @throws StateConflictError when the lifecycle does not allow the move.
 * @throws InvalidRequestError when failed or cancelled lacks a reason, or another state has one.
 */
export function checkTransition(auctionId: string, from: AuctionState, to: AuctionState, reason: string | null): void {
  if (!canTransition(from, to)) {
    const allowed = NEXT_STATES[from];
    const next = allowed.length === 0 ? 'none, because it is final' : allowed.join(', ');
    throw new StateConflictError(`auction ${auctionId} is ${from} and cannot become ${to} (allowed next states: ${next})`);
  }
  if (STATES_WITH_REASON.has(to) && (reason === null || reason.trim() === '')) {
    throw new InvalidRequestError(`moving auction ${auctionId} to ${to} needs a reason`);
  }
  if (!STATES_WITH_REASON.has(to) && reason !== null) {
    throw new InvalidRequestError(`only failed and cancelled carry a reason, not ${to}`);
  }
}
