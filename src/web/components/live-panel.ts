/** The live part of the auction page: state, sealed-bid count, connection and a log of state changes. */
import type { AuctionState } from '../../client/types.js';
import { el, replaceChildren } from '../dom.js';
import { describeState, describeTransition, formatClock } from '../format.js';
import type { LiveStatus } from '../live-auction.js';

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: updates appear as they happen',
  reconnecting: 'Live updates interrupted, reconnecting',
  failed: 'Live updates unavailable',
};

/** Shows what the WebSocket pushes. */
export class LivePanel {
  readonly element: HTMLElement;
  private readonly state = el('p', { class: 'state', 'data-test': 'state' });
  private readonly count = el('strong', { 'data-test': 'bid-count' }, '0');
  private readonly connection = el('p', { class: 'hint', 'data-test': 'live-status' });
  private readonly log = el('ol', { class: 'event-log', 'data-test': 'event-log' });

  constructor(state: AuctionState, sealedBids: number) {
    this.element = el(
      'section',
      { class: 'panel', 'aria-labelledby': 'live-heading' },
      el('h2', { id: 'live-heading' }, 'Live state'),
      this.state,
      el('p', { class: 'count' }, 'Sealed bids: ', this.count),
      el('p', { class: 'hint' }, 'The count is public; the amounts stay sealed.'),
      this.connection,
      el('h3', {}, 'State changes'),
      this.log,
    );
    this.setState(state);
    this.setCount(sealedBids);
  }

  /** Shows the current state. */
  setState(state: AuctionState, reason: string | null = null): void {
    this.state.setAttribute('data-state', state);
    replaceChildren(this.state, el('span', { class: `badge badge-${state}` }, state), ' ', describeState(state), reason === null ? '' : ` (${reason})`);
  }

  /** Shows the number of sealed bids in force. */
  setCount(count: number): void {
    replaceChildren(this.count, String(count));
  }

  /** Adds a state change to the log. */
  logChange(state: AuctionState, reason: string | null, at: string): void {
    this.log.append(el('li', { 'data-state': state, title: at }, `${formatClock(at)} ${describeTransition(state)}${reason === null ? '' : ` (${reason})`}`));
  }

  /** Shows the connection state. */
  setStatus(status: LiveStatus, detail?: string): void {
    this.connection.setAttribute('data-status', status);
    replaceChildren(this.connection, detail === undefined ? STATUS_TEXT[status] : `${STATUS_TEXT[status]}: ${detail}`);
  }
}
