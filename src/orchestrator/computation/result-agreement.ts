/**
 * The publication rule: a result is published only when every evaluator
 * returned a result for the expected run, signed with its pinned key, over
 * the expected submission set, with the same outcome as all the others.
 */
import { canonicalEncode, fromBase64Url, verifyResult, type PublicOutcome } from '../../crypto/index.js';
import type { PinnedEvaluator } from '../config/evaluator-list.js';
import type { SignedOpeningTranscript, SignedResult } from '../evaluators/evaluator-types.js';

/**
 * One evaluator's contribution: a signed result or the reason it has none.
 * transient marks a failure that a new run may not repeat, such as a lost
 * peer connection, a restart or a missing answer. openings is the
 * evaluator's signed opening transcript when it reported one.
 */
export type CollectedResult =
  | { party: number; result: SignedResult; openings?: SignedOpeningTranscript | null }
  | { party: number; error: string; transient?: boolean; openings?: SignedOpeningTranscript | null };

/** The run that every result must belong to. */
export interface ExpectedRun {
  auctionId: string;
  runId: string;
  submissionSetHash: string;
}

/** One evaluator's signature over the agreed statement. */
export interface ResultSignature {
  evaluator: number;
  signature: string;
}

export type Agreement =
  | { agreed: true; outcome: PublicOutcome; signatures: ResultSignature[] }
  | { agreed: false; reason: string };

/**
 * Checks the collected results against the publication rule. When the
 * outcomes differ, the outcome signed by most evaluators (ties: the lowest
 * party's) is the reference and every other evaluator is named.
 */
export function agreeOnResults(expected: ExpectedRun, evaluators: PinnedEvaluator[], collected: CollectedResult[]): Agreement {
  const problems: string[] = [];
  const valid: Array<{ party: number; result: SignedResult }> = [];

  for (const evaluator of evaluators) {
    const item = collected.find((entry) => entry.party === evaluator.party);
    const problem = item === undefined ? 'returned no result' : resultProblem(item, evaluator, expected);
    if (problem === null) {
      valid.push(item as { party: number; result: SignedResult });
    } else {
      problems.push(`evaluator ${evaluator.party} ${problem}`);
    }
  }
  if (problems.length > 0) {
    return { agreed: false, reason: problems.join('; ') };
  }

  const reference = referenceOutcome(valid.map((entry) => entry.result.statement.outcome));
  const dissenters = valid.filter((entry) => outcomeKey(entry.result.statement.outcome) !== reference);
  if (dissenters.length > 0) {
    const names = dissenters.map((entry) => `evaluator ${entry.party}`).join(', ');
    return { agreed: false, reason: `${names} signed a different outcome than the other evaluators` };
  }

  return {
    agreed: true,
    outcome: valid[0].result.statement.outcome,
    signatures: valid.map((entry) => ({ evaluator: entry.party, signature: entry.result.signature })),
  };
}

/** Returns why an evaluator's contribution cannot be published, or null for a valid signed result of the expected run. */
export function resultProblem(item: CollectedResult, evaluator: PinnedEvaluator, expected: ExpectedRun): string | null {
  if ('error' in item) {
    return item.error;
  }
  const statement = item.result?.statement;
  if (statement === undefined || statement === null || typeof item.result.signature !== 'string') {
    return 'returned a result without a statement or signature';
  }
  if (statement.auctionId !== expected.auctionId || statement.runId !== expected.runId) {
    return `signed a result for another run (${statement.runId}) instead of ${expected.runId}`;
  }
  if (statement.submissionSetHash !== expected.submissionSetHash) {
    return 'signed a result over a different submission set';
  }
  if (!verifyResult(statement, item.result.signature, fromBase64Url(evaluator.signingKey, 'signing key'))) {
    return 'returned a result whose signature does not verify against its pinned signing key';
  }
  return null;
}

function referenceOutcome(outcomes: PublicOutcome[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) {
    const key = outcomeKey(outcome);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = outcomeKey(outcomes[0]);
  for (const [key, count] of counts) {
    if (count > (counts.get(best) ?? 0)) {
      best = key;
    }
  }
  return best;
}

function outcomeKey(outcome: PublicOutcome): string {
  const encoded = canonicalEncode({
    status: outcome.status,
    noSaleReason: outcome.noSaleReason,
    winner: outcome.winner,
    price: outcome.price,
    validBids: outcome.validBids,
    rejected: outcome.rejected.map((rejection) => ({ bid: rejection.bid, reason: rejection.reason })),
  });
  return Array.from(encoded, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
