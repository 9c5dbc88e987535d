/**
 * Every evaluator's receipt for a bid with its verdict, and a download of
 * the receipts as JSON so the bidder can prove later what was acknowledged.
 */
import type { ReceiptCheck } from '../../client/verify.js';
import type { EvaluatorSet } from '../../client/types.js';
import { el } from '../dom.js';
import { formatClock, shortId } from '../format.js';

/** The bid whose receipts are shown. */
export interface ReceiptsInput {
  auctionId: string;
  bidderId: string;
  submissionId: string;
  replaces: string | null;
  checks: ReceiptCheck[];
  evaluators: EvaluatorSet;
  /** Whether the envelope hashes were compared with those stored when the bid was sealed here. */
  hashesCompared: boolean;
}

/** Renders the receipts table with its download button. */
export function receiptsView(input: ReceiptsInput): HTMLElement {
  const verified = input.checks.filter((check) => check.problem === null).length;
  const summary = verified === input.checks.length
    ? `All ${input.checks.length} evaluator receipts verify.`
    : `${input.checks.length - verified} of ${input.checks.length} evaluator receipts do not verify.`;

  return el(
    'section',
    { class: 'receipts', 'data-test': 'receipts', 'aria-label': 'Evaluator receipts' },
    el('p', { class: verified === input.checks.length ? 'verdict verdict-ok' : 'verdict verdict-bad', 'data-test': 'receipts-verdict' }, summary),
    receiptsTable(input.checks),
    input.hashesCompared ? null : el('p', { class: 'hint' }, 'This bid was sealed in another browser, so the envelope hashes were not compared with the sealed envelopes.'),
    downloadButton(input),
  );
}

function receiptsTable(checks: ReceiptCheck[]): HTMLElement {
  const body = el('tbody');
  for (const check of checks) {
    const receipt = check.signed?.receipt;
    body.append(
      el(
        'tr',
        { 'data-test': 'receipt-row', 'data-evaluator': check.evaluator, 'data-verified': String(check.problem === null) },
        el('td', {}, String(check.evaluator)),
        el('td', { title: receipt?.receivedAt ?? '' }, receipt === undefined ? '—' : formatClock(receipt.receivedAt)),
        el('td', { class: 'mono', title: receipt?.envelopeHash ?? '' }, receipt === undefined ? '—' : shortId(receipt.envelopeHash)),
        el('td', { class: check.problem === null ? 'ok' : 'bad' }, check.problem === null ? '✓ Verified' : `✗ ${check.problem}`),
      ),
    );
  }
  return el(
    'table',
    { class: 'table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Evaluator'), el('th', {}, 'Received'), el('th', {}, 'Envelope hash'), el('th', {}, 'Receipt'))),
    body,
  );
}

function downloadButton(input: ReceiptsInput): HTMLElement {
  const button = el('button', { type: 'button', class: 'secondary', 'data-test': 'download-receipts' }, 'Download receipts (JSON)');
  button.addEventListener('click', () => {
    const blob = new Blob([JSON.stringify(receiptsDocument(input), null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: `sealbid-receipts-${input.auctionId.slice(0, 8)}-${input.submissionId.slice(0, 8)}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return button;
}

/** Builds the downloaded file: the receipts with the evaluator keys that verify them. It contains no amount. */
function receiptsDocument(input: ReceiptsInput) {
  return {
    auctionId: input.auctionId,
    bidderId: input.bidderId,
    submissionId: input.submissionId,
    replaces: input.replaces,
    checkedAt: new Date().toISOString(),
    evaluators: input.evaluators.evaluators.map((evaluator) => ({ party: evaluator.party, signingKey: evaluator.signingKey })),
    receipts: input.checks.map((check) => ({
      evaluator: check.evaluator,
      receipt: check.signed?.receipt ?? null,
      signature: check.signed?.signature ?? null,
      verified: check.problem === null,
      problem: check.problem,
    })),
  };
}
