/**
 * The bidder's part of the auction page: sign-in with the bidder token, the
 * bid in force with its receipts, the bid form and the outcome of a submit.
 */
import { AmountError, toMinorUnits } from '../../client/amount.js';
import type { SubmittedBid } from '../../client/bidder-client.js';
import { ReceiptVerificationError, SealbidApiError } from '../../client/errors.js';
import type { AuctionInfo, AuctionState, BidderInfo, EvaluatorSet, SubmissionResponse } from '../../client/types.js';
import { checkReceipts } from '../../client/verify.js';
import { forgetToken, loadBid, loadToken, saveBid, saveToken, takeTokenFromFragment } from '../bidder-storage.js';
import { openSession, type BidderSession } from '../bidder-session.js';
import { el, replaceChildren } from '../dom.js';
import { shortId } from '../format.js';
import { describeFailure } from '../messages.js';
import { BidForm } from './bid-form.js';
import { failureBox, noticeBox } from './failure-box.js';
import { receiptsView } from './receipts-view.js';
import { tokenForm } from './token-form.js';

/** Envelope hashes that a bid's receipts must name. */
type EnvelopeHashes = Array<{ evaluator: number; hash: string }>;

/** The bid panel of one auction page. */
export class BidPanel {
  readonly element: HTMLElement;
  private readonly identity = el('div', { 'data-test': 'identity' });
  private readonly current = el('div', { 'data-test': 'current-bid' });
  private readonly status = el('div', { 'data-test': 'bid-status', 'aria-live': 'polite' });
  private readonly form: BidForm;
  private session: BidderSession | null = null;
  private excluded = false;
  private state: AuctionState;

  /**
   * onSession is called on every sign-in and sign-out. onClosedRefusal is
   * called when the orchestrator rejected a bid because the auction is no
   * longer open, so the page can reload the auction's state.
   */
  constructor(
    private readonly auction: AuctionInfo,
    private readonly evaluators: EvaluatorSet,
    private readonly onSession: (session: BidderSession | null) => void,
    private readonly onClosedRefusal: () => void,
  ) {
    this.state = auction.state;
    this.form = new BidForm(auction.settings, (amount) => this.submit(amount));
    this.form.element.hidden = true;
    this.element = el(
      'section',
      { class: 'panel', 'aria-labelledby': 'bid-heading' },
      el('h2', { id: 'bid-heading' }, 'Your bid'),
      this.identity,
      this.form.element,
      this.status,
      this.current,
    );
  }

  /** Signs in with the token from the bidder link or from this browser, or else shows the token form. */
  async start(): Promise<void> {
    if (!window.isSecureContext) {
      replaceChildren(this.identity, noticeBox('warn', 'Bidding needs a secure connection', 'Sealing a bid needs the browser\'s secure random numbers, which it offers only over HTTPS (or on localhost). Ask the operator for the https:// address of this auction.'));
      return;
    }
    const fromLink = takeTokenFromFragment(this.auction.id);
    const token = fromLink === 'invalid' ? null : (fromLink ?? loadToken(this.auction.id));
    if (token === null) {
      this.askForToken(fromLink === 'invalid' ? 'The link contains a malformed bidder token. Paste the token the operator sent you, or ask for a new link.' : null);
      return;
    }
    const problem = await this.signIn(token);
    if (problem !== null) {
      this.askForToken(problem);
    }
  }

  /** Follows the auction's state: the form is usable only while the auction is open. */
  setState(state: AuctionState): void {
    this.state = state;
    this.refreshForm();
  }

  private askForToken(problem: string | null = null): void {
    const form = tokenForm((token) => this.signIn(token));
    replaceChildren(this.identity, form);
    if (problem !== null) {
      replaceChildren(form.querySelector('.field-error') as Element, problem);
    }
  }

  /** Returns null once signed in, or a message saying why the token was not accepted. */
  private async signIn(token: string): Promise<string | null> {
    try {
      const { session, me } = await openSession(this.auction.id, token);
      saveToken(this.auction.id, token);
      this.session = session;
      this.excluded = me.excludedReason !== null;
      this.showIdentity(me);
      this.showCurrentBid(me.submission, null);
      this.refreshForm();
      this.onSession(session);
      return null;
    } catch (error) {
      if (error instanceof SealbidApiError && error.status === 401) {
        forgetToken(this.auction.id);
        return 'The orchestrator does not accept this token for this auction. Ask the operator for a new bidder link.';
      }
      const failure = describeFailure(error);
      return `${failure.title}. ${failure.detail} ${failure.action}`;
    }
  }

  private showIdentity(me: BidderInfo): void {
    const forget = el('button', { type: 'button', class: 'link-button', 'data-test': 'forget-token' }, 'Forget the token on this device');
    forget.addEventListener('click', () => this.signOut());
    replaceChildren(
      this.identity,
      el('p', {}, 'Bidding as ', el('strong', { 'data-test': 'bidder-id' }, me.bidderId), '. ', forget),
      me.excludedReason === null ? null : failureBox({
        kind: 'excluded',
        title: 'The operator excluded you from this auction',
        detail: `Reason: ${me.excludedReason}`,
        action: 'Your bid does not count. Contact the operator if you think this is a mistake.',
      }),
    );
  }

  private signOut(): void {
    forgetToken(this.auction.id);
    this.session = null;
    this.onSession(null);
    replaceChildren(this.current);
    replaceChildren(this.status);
    this.refreshForm();
    this.askForToken();
  }

  /** Shows the bid in force with its receipts, re-checked against the envelope hashes sealed here when known. */
  private showCurrentBid(submission: SubmissionResponse | null, sealedHashes: EnvelopeHashes | null): void {
    const session = this.session;
    if (session === null || submission === null) {
      replaceChildren(this.current, el('p', { 'data-test': 'no-bid' }, 'You have no bid in this auction yet.'));
      this.form.setReplacing(false);
      return;
    }
    const stored = sealedHashes ?? loadBid(this.auction.id, submission.submissionId)?.hashes ?? null;
    const hashes = stored ?? submission.receipts.map((signed) => ({ evaluator: signed.receipt.evaluator, hash: signed.receipt.envelopeHash }));
    const target = { auctionId: this.auction.id, bidderId: session.bidderId, submissionId: submission.submissionId, bits: this.auction.settings.bits };
    const checks = checkReceipts(submission.receipts, target, hashes, this.evaluators);

    replaceChildren(
      this.current,
      el('p', {}, 'Your bid in force: submission ', el('span', { class: 'mono', title: submission.submissionId }, shortId(submission.submissionId)), '.'),
      receiptsView({ ...target, replaces: submission.replaces, checks, evaluators: this.evaluators, hashesCompared: stored !== null }),
    );
    this.form.setReplacing(true);
  }

  private refreshForm(): void {
    if (this.session === null || this.excluded) {
      this.form.element.hidden = true;
      return;
    }
    this.form.element.hidden = false;
    if (this.state === 'open') {
      this.form.setOpen(true, '');
    } else if (this.state === 'draft') {
      this.form.setOpen(false, 'The auction is not open yet. The form unlocks when the operator opens it.');
    } else {
      this.form.setOpen(false, 'The auction is closed: bids are no longer accepted. A bid accepted before the close still counts.');
    }
  }

  private async submit(amount: string): Promise<void> {
    const session = this.session;
    if (session === null) {
      return;
    }
    try {
      toMinorUnits(amount, this.auction.settings, 'bid');
    } catch (error) {
      if (error instanceof AmountError) {
        replaceChildren(this.status, failureBox(describeFailure(error)));
        return;
      }
      throw error;
    }

    replaceChildren(this.status, noticeBox('info', 'Sealing your bid…', 'This browser splits the amount into shares and seals one share to each evaluator, then waits for every evaluator\'s receipt.'));
    try {
      const submitted = await session.client.submitBid(amount);
      this.showSubmitted(amount, submitted, session);
      this.form.clear();
    } catch (error) {
      this.showFailure(error);
    }
  }

  private showSubmitted(amount: string, submitted: SubmittedBid, session: BidderSession): void {
    const stored = saveBid(this.auction.id, {
      submissionId: submitted.submissionId,
      hashes: submitted.envelopeHashes,
      wonBitSecretKey: submitted.wonBitSecretKey,
      submittedAt: new Date().toISOString(),
    });
    replaceChildren(
      this.status,
      el('div', { 'data-test': 'bid-accepted' }, noticeBox('ok', `Bid recorded by all ${this.evaluators.parties} evaluators`, `Your bid of ${amount} was split into shares and sealed in this browser. Each evaluator received only its own sealed share.`)),
      submitted.replaces === null ? null : el('div', { 'data-test': 'amendment' }, noticeBox('info', 'This bid replaced your earlier bid', `The earlier bid (submission ${shortId(submitted.replaces)}) no longer counts. Only this bid does.`)),
      stored || submitted.wonBitSecretKey === null ? null : noticeBox('warn', 'This browser could not store the won-bit key', 'Keep this page open until the result is published: after closing it, this browser cannot learn privately whether you won.'),
    );
    const submission = { submissionId: submitted.submissionId, auctionId: this.auction.id, bidderId: session.bidderId, replaces: submitted.replaces, receipts: submitted.receipts };
    this.showCurrentBid(submission, submitted.envelopeHashes);
  }

  private showFailure(error: unknown): void {
    const failure = describeFailure(error);
    replaceChildren(this.status, failureBox(failure));
    if (failure.kind === 'closed') {
      this.onClosedRefusal();
    }
    if (error instanceof ReceiptVerificationError && this.session !== null) {
      const submissionId = error.checks.find((check) => check.signed !== null)?.signed?.receipt.submissionId ?? 'unknown';
      this.status.append(receiptsView({
        auctionId: this.auction.id,
        bidderId: this.session.bidderId,
        submissionId,
        replaces: null,
        checks: error.checks,
        evaluators: this.evaluators,
        hashesCompared: true,
      }));
    }
  }
}
