/** Verification of receipts, results and the evaluator set against expected values. */
import { fromBase64Url, verifyReceipt, verifyResult } from '../crypto/index.js';
import { VerificationError } from './errors.js';
import type { SealedEnvelope, SealTarget } from './seal.js';
import type { EvaluatorKeys, EvaluatorSet, ResultInfo, SignedReceipt } from './types.js';

/**
 * Checks that the set is well formed (parties 1..n, n >= 2t + 1) and, when
 * pinned keys are given, that every key equals its pinned value.
 * @throws VerificationError naming the first mismatch.
 */
export function checkEvaluatorSet(set: EvaluatorSet, pinned?: EvaluatorKeys[]): EvaluatorSet {
  const parties = set.evaluators.map((evaluator) => evaluator.party).sort((a, b) => a - b);
  if (set.parties !== parties.length || parties.some((party, index) => party !== index + 1)) {
    throw new VerificationError(`the orchestrator listed evaluators ${parties.join(', ')} but claims n = ${set.parties}`);
  }
  if (!Number.isInteger(set.degree) || set.degree < 1 || set.parties < 2 * set.degree + 1) {
    throw new VerificationError(`the evaluator set has n = ${set.parties} and t = ${set.degree}, but n >= 2t + 1 with t >= 1 is required`);
  }
  if (pinned === undefined) {
    return set;
  }

  for (const expected of pinned) {
    const given = set.evaluators.find((evaluator) => evaluator.party === expected.party);
    if (given === undefined || given.signingKey !== expected.signingKey || given.sealingKey !== expected.sealingKey) {
      throw new VerificationError(`evaluator ${expected.party}'s keys at the orchestrator differ from the pinned keys: do not bid`);
    }
  }
  if (pinned.length !== set.parties) {
    throw new VerificationError(`${pinned.length} evaluators are pinned but the orchestrator lists ${set.parties}`);
  }
  return set;
}

/**
 * Checks one receipt per evaluator: each names this auction, bidder,
 * submission and evaluator, the hash of the envelope sealed to it, arrived on
 * time, and carries a valid signature of that evaluator's signing key.
 * @throws VerificationError naming every evaluator whose receipt is wrong or missing.
 */
export function verifyReceipts(receipts: SignedReceipt[], target: SealTarget, sealed: SealedEnvelope[], set: EvaluatorSet): void {
  const problems: string[] = [];
  for (const evaluator of set.evaluators) {
    const signed = receipts.find((item) => item?.receipt?.evaluator === evaluator.party);
    const expectedHash = sealed.find((item) => item.evaluator === evaluator.party)?.hash;
    const problem = receiptProblem(signed, target, expectedHash, evaluator);
    if (problem !== null) {
      problems.push(`evaluator ${evaluator.party}: ${problem}`);
    }
  }
  if (problems.length > 0) {
    throw new VerificationError(`receipts did not verify, so the bid may not be recorded: ${problems.join('; ')}`);
  }
}

function receiptProblem(
  signed: SignedReceipt | undefined,
  target: SealTarget,
  expectedHash: string | undefined,
  evaluator: EvaluatorKeys,
): string | null {
  if (signed === undefined) {
    return 'no receipt';
  }
  const receipt = signed.receipt;
  if (receipt.auctionId !== target.auctionId || receipt.bidderId !== target.bidderId || receipt.submissionId !== target.submissionId) {
    return 'the receipt names another auction, bidder or submission';
  }
  if (receipt.envelopeHash !== expectedHash) {
    return 'the receipt names another envelope';
  }
  if (receipt.onTime !== true) {
    return 'the envelope arrived after the close';
  }
  if (!verifyReceipt(receipt, signed.signature, fromBase64Url(evaluator.signingKey, 'signing key'))) {
    return 'invalid signature';
  }
  return null;
}

/**
 * Checks that every evaluator of the set signed the published statement.
 * @throws VerificationError naming every evaluator whose signature is missing or invalid.
 */
export function verifyResultSignatures(result: ResultInfo, set: EvaluatorSet): void {
  const statement = {
    auctionId: result.auctionId,
    runId: result.runId,
    submissionSetHash: result.submissionSetHash,
    outcome: result.outcome,
  };
  const failed = set.evaluators.filter((evaluator) => {
    const entry = result.signatures.find((item) => item.evaluator === evaluator.party);
    return entry === undefined || !verifyResult(statement, entry.signature, fromBase64Url(evaluator.signingKey, 'signing key'));
  });
  if (failed.length > 0) {
    const names = failed.map((evaluator) => evaluator.party).join(', ');
    throw new VerificationError(`the result of auction ${result.auctionId} lacks a valid signature of evaluator ${names}: do not trust it`);
  }
}
