/** The result page: the published outcome and every evaluator's signature on it, checked in the browser. */
import type { AuctionInfo, EvaluatorSet, ResultInfo } from '../../client/types.js';
import { loadToken } from '../bidder-storage.js';
import { openSession } from '../bidder-session.js';
import { noticeBox } from '../components/failure-box.js';
import { privateOutcomeBox } from '../components/private-outcome-box.js';
import { signaturesTable, signatureVerdict, verdictLine } from '../components/signatures-view.js';
import { el, replaceChildren } from '../dom.js';
import { bidPosition, describeOutcome, describeState, describeWinner, formatTime, isFinal, shortId, signedPrice } from '../format.js';
import { LiveAuction } from '../live-auction.js';
import { findResult, getAuction, getEvaluators } from '../public-api.js';

/** Renders the result page into root; waits live for the result when it is not published yet. */
export async function renderResultPage(root: HTMLElement, auctionId: string): Promise<void> {
  const [auction, evaluators, result] = await Promise.all([getAuction(auctionId), getEvaluators(), findResult(auctionId)]);
  document.title = `Result: ${auction.title} · sealbid`;
  const body = el('div', { 'data-test': 'result-body' });
  replaceChildren(
    root,
    el('h1', {}, `Result: ${auction.title}`),
    el('p', {}, el('a', { href: `/auctions/${auctionId}` }, 'Back to the auction page')),
    body,
  );

  if (result !== null) {
    await showResult(body, auction, evaluators, result);
    return;
  }
  replaceChildren(body, waitingNotice(auction));
  const live = new LiveAuction(auctionId, {
    onSnapshot: (snapshot) => {
      if (snapshot.result !== null) {
        live.stop();
        void showResult(body, auction, evaluators, snapshot.result);
      }
    },
    onState: (change) => replaceChildren(body, waitingNotice({ ...auction, state: change.state, stateReason: change.reason })),
    onBids: () => undefined,
    onResult: (published) => {
      live.stop();
      void showResult(body, auction, evaluators, published);
    },
    onStatus: () => undefined,
  });
  live.start();
}

function waitingNotice(auction: AuctionInfo): HTMLElement {
  if (isFinal(auction.state)) {
    return noticeBox('warn', describeState(auction.state), auction.stateReason === null ? 'There is no result.' : `Reason: ${auction.stateReason}`);
  }
  return el('div', { 'data-test': 'result-pending' }, noticeBox('info', 'No result yet', `${describeState(auction.state)}. This page shows the result as soon as it is published.`));
}

async function showResult(body: HTMLElement, auction: AuctionInfo, evaluators: EvaluatorSet, result: ResultInfo): Promise<void> {
  const verdict = signatureVerdict(result, auction.id, evaluators);
  const mine = el('div');
  replaceChildren(
    body,
    el(
      'section',
      { class: 'panel', 'aria-labelledby': 'outcome-heading' },
      el('h2', { id: 'outcome-heading' }, 'Outcome'),
      el('p', { class: 'headline', 'data-test': 'outcome-headline' }, describeOutcome(result, auction.settings)),
      verdictLine(verdict),
      mine,
      outcomeDetails(auction, result),
    ),
    el(
      'section',
      { class: 'panel', 'aria-labelledby': 'signatures-heading' },
      el('h2', { id: 'signatures-heading' }, 'Evaluator signatures'),
      el('p', { class: 'hint' }, 'Each evaluator signed the outcome together with the hash of the agreed bid set. This browser checked every signature against the evaluator\'s public key.'),
      signaturesTable(result, evaluators),
    ),
  );

  const token = loadToken(auction.id);
  if (token !== null) {
    try {
      const { session } = await openSession(auction.id, token);
      replaceChildren(mine, privateOutcomeBox(session, auction, result));
    } catch {
      // Without a valid token the public result is all this page shows.
    }
  }
}

function outcomeDetails(auction: AuctionInfo, result: ResultInfo): HTMLElement {
  const settings = auction.settings;
  const rows: Array<[string, string]> = [
    ['Price', signedPrice(result, settings) ?? 'None'],
    ['Winner', describeWinner(result, settings)],
    ['Valid bids', String(result.outcome.validBids)],
    ['Left out', result.outcome.rejected.length === 0 ? 'None' : result.outcome.rejected.map((entry) => `${bidPosition(entry.bid)}: ${entry.reason}`).join('; ')],
    ['Published', formatTime(result.publishedAt)],
    ['Run', result.runId],
    ['Bid set hash', shortId(result.submissionSetHash)],
  ];
  const list = el('dl', { class: 'rules', 'data-test': 'outcome-details' });
  for (const [term, description] of rows) {
    list.append(el('dt', {}, term), el('dd', { title: term === 'Bid set hash' ? result.submissionSetHash : '' }, description));
  }
  return list;
}
