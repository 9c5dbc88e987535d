/** The outcome part of the auction page: result headline, signature verdict and the bidder's own outcome. */
import type { AuctionInfo, AuctionState, EvaluatorSet, ResultInfo } from '../../client/types.js';
import type { BidderSession } from '../bidder-session.js';
import { el, replaceChildren } from '../dom.js';
import { describeOutcome, describeState, describeWinner } from '../format.js';
import { noticeBox } from './failure-box.js';
import { privateOutcomeBox } from './private-outcome-box.js';
import { signatureVerdict, verdictLine } from './signatures-view.js';

/** Shows nothing until the auction ends, then its outcome. */
export class OutcomePanel {
  readonly element: HTMLElement;
  private readonly body = el('div');
  private result: ResultInfo | null = null;
  private session: BidderSession | null = null;

  constructor(
    private readonly auction: AuctionInfo,
    private readonly evaluators: EvaluatorSet,
  ) {
    this.element = el('section', { class: 'panel', 'aria-labelledby': 'outcome-heading', 'data-test': 'outcome' }, el('h2', { id: 'outcome-heading' }, 'Result'), this.body);
    this.element.hidden = true;
  }

  /** Sets the signed-in bidder, whose own outcome is shown with the result. */
  setSession(session: BidderSession | null): void {
    this.session = session;
    this.render();
  }

  /** Shows a published result. */
  showResult(result: ResultInfo): void {
    this.result = result;
    this.render();
  }

  /** Shows why an auction ended without a result. */
  showEnded(state: AuctionState, reason: string | null): void {
    if (state !== 'failed' && state !== 'cancelled') {
      return;
    }
    this.element.hidden = false;
    replaceChildren(this.body, noticeBox('warn', describeState(state), reason === null ? 'No reason was given.' : `Reason: ${reason}`));
  }

  private render(): void {
    const result = this.result;
    if (result === null) {
      return;
    }
    const settings = this.auction.settings;
    this.element.hidden = false;
    replaceChildren(
      this.body,
      el('p', { class: 'headline', 'data-test': 'outcome-headline' }, describeOutcome(result, settings)),
      el('p', {}, `Winner: ${describeWinner(result, settings)}. Valid bids: ${result.outcome.validBids}.`),
      verdictLine(signatureVerdict(result, this.auction.id, this.evaluators)),
      this.session === null ? null : privateOutcomeBox(this.session, this.auction, result),
      el('p', {}, el('a', { href: `/auctions/${this.auction.id}/result`, 'data-test': 'result-link' }, 'Full result with every evaluator\'s signature')),
    );
  }
}
