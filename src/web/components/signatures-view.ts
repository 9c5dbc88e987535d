/** Every evaluator's signature on a published result, each checked in the browser. */
import type { EvaluatorSet, ResultInfo } from '../../client/types.js';
import { checkResultSignatures } from '../../client/verify.js';
import { el } from '../dom.js';
import { shortId } from '../format.js';

/** The overall verdict on a result's signatures. */
export interface SignatureVerdict {
  trusted: boolean;
  text: string;
}

/**
 * Checks that the result is for this auction and that every evaluator of
 * the set signed it, and returns the verdict as one sentence.
 */
export function signatureVerdict(result: ResultInfo, auctionId: string, set: EvaluatorSet): SignatureVerdict {
  if (result.auctionId !== auctionId) {
    return { trusted: false, text: `The server sent the result of another auction (${result.auctionId}): do not trust it.` };
  }
  const failed = checkResultSignatures(result, set).filter((check) => !check.valid);
  if (failed.length === 0) {
    return { trusted: true, text: `All ${set.parties} evaluator signatures on this result verify.` };
  }
  const names = failed.map((check) => check.evaluator).join(', ');
  return { trusted: false, text: `The signature of evaluator ${names} does not verify: do not trust this result, and tell the operator.` };
}

/** Renders the verdict line alone. */
export function verdictLine(verdict: SignatureVerdict): HTMLElement {
  return el('p', { class: verdict.trusted ? 'verdict verdict-ok' : 'verdict verdict-bad', 'data-test': 'signature-verdict', 'data-trusted': String(verdict.trusted) }, verdict.text);
}

/** Renders one row per evaluator with its key, signature and verdict. */
export function signaturesTable(result: ResultInfo, set: EvaluatorSet): HTMLElement {
  const body = el('tbody');
  for (const check of checkResultSignatures(result, set)) {
    const key = set.evaluators.find((evaluator) => evaluator.party === check.evaluator)?.signingKey ?? '';
    body.append(
      el(
        'tr',
        { 'data-test': 'signature-row', 'data-evaluator': check.evaluator, 'data-valid': String(check.valid) },
        el('td', {}, `Evaluator ${check.evaluator}`),
        el('td', { class: 'mono', title: key }, shortId(key)),
        el('td', { class: 'mono', title: check.signature ?? '' }, check.signature === null ? 'missing' : shortId(check.signature)),
        el('td', { class: check.valid ? 'ok' : 'bad' }, check.valid ? '✓ Valid' : '✗ Invalid or missing'),
      ),
    );
  }
  return el(
    'table',
    { class: 'table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Evaluator'), el('th', {}, 'Signing key'), el('th', {}, 'Signature'), el('th', {}, 'Check'))),
    body,
  );
}
