/** A live countdown to an auction's closing time that follows the auction's state. */
import type { AuctionState } from '../../client/types.js';
import { el, replaceChildren } from '../dom.js';
import { formatTime, formatTimeLeft } from '../format.js';

/** Shows the time left while open, then when the auction closed. */
export class Countdown {
  readonly element = el('p', { class: 'countdown', 'data-test': 'countdown' });
  private timer: number | undefined;

  constructor(
    private closesAt: string | null,
    private state: AuctionState,
  ) {
    this.render();
    this.timer = window.setInterval(() => this.render(), 1000);
  }

  /** Updates the state and, when known, the closing time. */
  update(state: AuctionState, closesAt?: string | null): void {
    this.state = state;
    if (closesAt !== undefined) {
      this.closesAt = closesAt;
    }
    this.render();
  }

  /** Stops the clock. */
  stop(): void {
    window.clearInterval(this.timer);
  }

  private render(): void {
    if (this.state === 'draft') {
      replaceChildren(this.element, 'Not open for bids yet');
      return;
    }
    if (this.closesAt === null) {
      replaceChildren(this.element, this.state === 'open' ? 'Open until the operator closes it' : 'Closed');
      return;
    }
    const left = formatTimeLeft(Date.parse(this.closesAt) - Date.now());
    const at = formatTime(this.closesAt);
    if (this.state !== 'open') {
      replaceChildren(this.element, `Closed (deadline ${at})`);
    } else if (left === null) {
      // The page's clock may differ from the server's: the state event decides when bidding ends.
      replaceChildren(this.element, `Deadline ${at} reached: closing…`);
    } else {
      replaceChildren(this.element, 'Closes in ', el('strong', { 'data-test': 'time-left' }, left), ` (at ${at})`);
    }
  }
}
