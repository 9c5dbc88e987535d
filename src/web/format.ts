/**
 * Plain-language descriptions of auction rules, states, outcomes and times for
 * the bidder pages. Pure functions, so they run in Node tests as well.
 */
import { formatMinorUnits } from '../client/amount.js';
import type { AuctionSettings, AuctionState, ResultInfo } from '../client/types.js';

const STATE_TEXT: Record<AuctionState, string> = {
  draft: 'Draft: not open for bids yet',
  open: 'Open for sealed bids',
  closed: 'Closed: the evaluators are agreeing on the bids',
  computing: 'Closed: the evaluators are computing the result',
  settled: 'Settled: the result is published',
  failed: 'Failed: no result',
  cancelled: 'Cancelled by the operator',
};

const TRANSITION_TEXT: Record<AuctionState, string> = {
  draft: 'Created',
  open: 'Opened for bids',
  closed: 'Closed: no more bids',
  computing: 'Computing the result',
  settled: 'Result published',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const NO_SALE_TEXT: Record<string, string> = {
  'too-few-valid-bids': 'too few valid bids, so nothing was opened',
  'no-eligible-bid': 'no bid met the reserve',
  'no-second-eligible-bid': 'no second bid met the reserve, so no second price exists',
};

/** Returns a sentence for a lifecycle state. */
export function describeState(state: AuctionState): string {
  return STATE_TEXT[state] ?? state;
}

/** Returns a short label for a move into a state, for the log of state changes. */
export function describeTransition(state: AuctionState): string {
  return TRANSITION_TEXT[state] ?? state;
}

/** Returns whether the state is final (settled, failed or cancelled). */
export function isFinal(state: AuctionState): boolean {
  return state === 'settled' || state === 'failed' || state === 'cancelled';
}

/** Returns who wins, in words. */
export function describeDirection(settings: AuctionSettings): string {
  return settings.direction === 'lowest-wins' ? 'Lowest bid wins (procurement)' : 'Highest bid wins';
}

/** Returns what the winner pays or is paid, in words. */
export function describePrice(settings: AuctionSettings): string {
  if (settings.price === 'first') {
    return 'First price: the price is the winning bid itself';
  }
  const runnerUp = settings.direction === 'lowest-wins' ? 'second-lowest' : 'second-highest';
  return `Second price: the price is the ${runnerUp} eligible bid`;
}

/** Returns the largest bid the auction accepts, in major units. */
export function maxBid(settings: AuctionSettings): string {
  return formatMinorUnits((1n << BigInt(settings.bits)) - 1n, settings.decimals);
}

/** Returns the accepted bid range and precision, in words. */
export function describeRange(settings: AuctionSettings): string {
  const places = settings.decimals === 0 ? 'whole numbers only' : `at most ${settings.decimals} decimal place${settings.decimals === 1 ? '' : 's'}`;
  return `From 0 to ${maxBid(settings)}, ${places}`;
}

/** Returns the reserve rule, with its amount only when the operator made it public. */
export function describeReserve(settings: AuctionSettings): string {
  const reserve = settings.reserve;
  if (reserve.kind === 'public') {
    const side = settings.direction === 'lowest-wins' ? 'above' : 'below';
    return `${reserve.amount}: a bid ${side} it cannot win`;
  }
  if (reserve.kind === 'sealed') {
    return 'Sealed: the operator set a reserve whose amount stays secret';
  }
  return 'None';
}

/** Returns the minimum price rule of a lowest-wins auction, or null when there is none. */
export function describeMinPrice(settings: AuctionSettings): string | null {
  return settings.minPrice === null ? null : `${settings.minPrice}: a lower bid is disqualified as abnormally low`;
}

/** Returns what the published result reveals, in words. */
export function describeDisclosure(settings: AuctionSettings): string {
  return settings.disclosure === 'amount-only'
    ? 'Amount only: the price is published, and each bidder learns privately whether it won'
    : 'Public: the price and the winning bidder are published';
}

/** Returns the tie rule, in words. */
export function describeTies(settings: AuctionSettings): string {
  return settings.ties === 'lottery' ? 'A joint random draw among the tied bids' : 'The earliest of the tied bids wins';
}

/**
 * Formats the time left until a deadline as "2 d 03:04:05", "03:04:05" or
 * "04:05"; returns null once the deadline has passed.
 */
export function formatTimeLeft(milliseconds: number): string | null {
  if (milliseconds <= 0) {
    return null;
  }
  const total = Math.ceil(milliseconds / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const clock = [hours, minutes, seconds].map((part) => String(part).padStart(2, '0'));

  if (days > 0) {
    return `${days} d ${clock.join(':')}`;
  }
  return hours > 0 ? clock.join(':') : clock.slice(1).join(':');
}

/** Formats the time of day of an ISO 8601 time in the reader's locale, with seconds. */
export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'medium' });
}

/** Formats an ISO 8601 time in the reader's locale, with seconds. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Shortens an id or hash for display; the full value goes into a title attribute or a download. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/**
 * Returns the price of a result in major units, taken from the signed outcome
 * (minor units) and not from the orchestrator's unsigned formatted copy.
 */
export function signedPrice(result: ResultInfo, settings: AuctionSettings): string | null {
  return result.outcome.price === null ? null : formatMinorUnits(BigInt(result.outcome.price), settings.decimals);
}

/** Returns the headline of a published result, such as "Sold at 120.00" or "No sale: …". */
export function describeOutcome(result: ResultInfo, settings: AuctionSettings): string {
  if (result.outcome.status === 'settled') {
    return `Sold at ${signedPrice(result, settings)}`;
  }
  const reason = result.outcome.noSaleReason;
  return `No sale: ${reason === null ? 'no reason given' : (NO_SALE_TEXT[reason] ?? reason)}`;
}

/** Returns the winner line of a result, respecting amount-only disclosure. */
export function describeWinner(result: ResultInfo, settings: AuctionSettings): string {
  if (result.outcome.status !== 'settled') {
    return 'Nobody';
  }
  if (settings.disclosure === 'amount-only') {
    return 'Not published: each bidder learns privately whether it won';
  }
  const position = `${bidPosition(result.outcome.winner ?? 0)} of the agreed set`;
  return result.winnerBidderId === null ? `Unknown bidder at ${position}` : `Bidder ${result.winnerBidderId} (${position})`;
}

/** Names a bid by its 0-based position in the agreed submission set, counting from 1 for readers. */
export function bidPosition(position: number): string {
  return `bid #${position + 1}`;
}
