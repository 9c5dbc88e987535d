/** The auction page: rules, live state, the bid form with receipts, and the outcome. */
import type { AuctionInfo, AuctionState, EvaluatorSet } from '../../client/types.js';
import { BidPanel } from '../components/bid-panel.js';
import { Countdown } from '../components/countdown.js';
import { LivePanel } from '../components/live-panel.js';
import { OutcomePanel } from '../components/outcome-panel.js';
import { rulesTable } from '../components/rules-table.js';
import { el, replaceChildren } from '../dom.js';
import { isFinal } from '../format.js';
import { LiveAuction } from '../live-auction.js';
import { findResult, getAuction, getEvaluators, getTransitions } from '../public-api.js';

/** Renders the auction page into root. @throws SealbidApiError when the auction cannot be loaded. */
export async function renderAuctionPage(root: HTMLElement, auctionId: string): Promise<void> {
  const [auction, evaluators, history] = await Promise.all([getAuction(auctionId), getEvaluators(), getTransitions(auctionId)]);
  document.title = `${auction.title} · sealbid`;

  const countdown = new Countdown(auction.closesAt, auction.state);
  const live = new LivePanel(auction.state, auction.sealedBids);
  const outcome = new OutcomePanel(auction, evaluators);
  const refreshState = () => {
    getAuction(auctionId).then((fresh) => applyState(fresh.state, fresh.stateReason), () => undefined);
  };
  const bids = new BidPanel(auction, evaluators, (session) => outcome.setSession(session), refreshState);
  for (const transition of history) {
    live.logChange(transition.to, transition.reason, transition.at);
  }

  replaceChildren(
    root,
    el('h1', { 'data-test': 'auction-title' }, auction.title),
    countdown.element,
    el('div', { class: 'columns' }, el('div', {}, rulesSection(auction, evaluators), live.element), el('div', {}, outcome.element, bids.element)),
  );

  const applyState = (state: AuctionState, reason: string | null) => {
    live.setState(state, reason);
    countdown.update(state);
    bids.setState(state);
    outcome.showEnded(state, reason);
  };
  applyState(auction.state, auction.stateReason);
  await bids.start();

  new LiveAuction(auctionId, {
    onSnapshot: (snapshot) => {
      applyState(snapshot.state, snapshot.reason);
      live.setCount(snapshot.sealedBids);
      if (snapshot.result !== null) {
        outcome.showResult(snapshot.result);
      }
    },
    onState: (change) => {
      live.logChange(change.state, change.reason, change.at);
      applyState(change.state, change.reason);
    },
    onBids: (count) => live.setCount(count),
    onResult: (result) => outcome.showResult(result),
    onStatus: (status, detail) => live.setStatus(status, detail),
  }).start();

  // A settled auction's result is in the first snapshot; this covers a page opened after the socket failed.
  if (isFinal(auction.state)) {
    const result = await findResult(auctionId);
    if (result !== null) {
      outcome.showResult(result);
    }
  }
}

function rulesSection(auction: AuctionInfo, evaluators: EvaluatorSet): HTMLElement {
  return el('section', { class: 'panel', 'aria-labelledby': 'rules-heading' }, el('h2', { id: 'rules-heading' }, 'Rules'), rulesTable(auction, evaluators));
}
