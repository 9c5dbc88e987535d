/** Verification of receipts, results and the evaluator set against expected values. */
import { fromBase64Url, verifyReceipt, verifyResult } from '../crypto/index.js';
import { ReceiptVerificationError, VerificationError } from './errors.js';
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
    const listed = set.evaluators.find((evaluator) => evaluator.party === expected.party);
    if (listed === undefined || listed.signingKey !== expected.signingKey || listed.sealingKey !== expected.sealingKey) {
      throw new VerificationError(`evaluator ${expected.party}'s keys at the orchestrator differ from the pinned keys: do not bid`);
    }
  }
  if (pinned.length !== set.parties) {
    throw new VerificationError(`${pinned.length} evaluators are pinned but the orchestrator lists ${set.parties}`);
  }
  return set;
}

/** The outcome of checking one evaluator's receipt. */
export interface ReceiptCheck {
  evaluator: number;
  /** The receipt that names this evaluator, or null when it sent none. */
  signed: SignedReceipt | null;
  /** Reason the receipt does not verify, or null when it does. */
  problem: string | null;
}

/**
 * Checks one receipt per evaluator: each names this auction, bidder,
 * submission and evaluator, the hash of the envelope sealed to it, arrived on
 * time, and carries a valid signature of that evaluator's signing key.
 * Returns one check per evaluator of the set, in party order.
 * @throws TypeError when a signing key of the set is not base64url.
 */
export function checkReceipts(
  receipts: SignedReceipt[],
  target: SealTarget,
  sealed: Array<Pick<SealedEnvelope, 'evaluator' | 'hash'>>,
  set: EvaluatorSet,
): ReceiptCheck[] {
  const evaluators = [...set.evaluators].sort((a, b) => a.party - b.party);
  return evaluators.map((evaluator) => {
    const signed = receipts.find((item) => item?.receipt?.evaluator === evaluator.party) ?? null;
    const expectedHash = sealed.find((item) => item.evaluator === evaluator.party)?.hash;
    return { evaluator: evaluator.party, signed, problem: receiptProblem(signed ?? undefined, target, expectedHash, evaluator) };
  });
}

/**
 * Checks every receipt as checkReceipts does.
 * @throws ReceiptVerificationError naming every evaluator whose receipt is wrong or missing,
 *   with the check of each receipt.
 */
export function verifyReceipts(
  receipts: SignedReceipt[],
  target: SealTarget,
  sealed: Array<Pick<SealedEnvelope, 'evaluator' | 'hash'>>,
  set: EvaluatorSet,
): void {
  const checks = checkReceipts(receipts, target, sealed, set);
  const problems = checks.filter((check) => check.problem !== null).map((check) => `evaluator ${check.evaluator}: ${check.problem}`);
  if (problems.length > 0) {
    throw new ReceiptVerificationError(`receipts did not verify, so the bid may not be recorded: ${problems.join('; ')}`, checks);
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

/** The outcome of checking one evaluator's signature on a published result. */
export interface SignatureCheck {
  evaluator: number;
  /** The signature, base64url, or null when the result carries none of this evaluator. */
  signature: string | null;
  valid: boolean;
}

/**
 * Checks each evaluator's signature over the published statement.
 * Returns one check per evaluator of the set, in party order.
 * @throws TypeError when a signing key of the set is not base64url.
 */
export function checkResultSignatures(result: ResultInfo, set: EvaluatorSet): SignatureCheck[] {
  const statement = {
    auctionId: result.auctionId,
    runId: result.runId,
    submissionSetHash: result.submissionSetHash,
    outcome: result.outcome,
  };
  const evaluators = [...set.evaluators].sort((a, b) => a.party - b.party);
  return evaluators.map((evaluator) => {
    const signature = result.signatures.find((item) => item.evaluator === evaluator.party)?.signature ?? null;
    const valid = signature !== null && verifyResult(statement, signature, fromBase64Url(evaluator.signingKey, 'signing key'));
    return { evaluator: evaluator.party, signature, valid };
  });
}

/**
 * Checks that every evaluator of the set signed the published statement.
 * @throws VerificationError naming every evaluator whose signature is missing or invalid.
 */
export function verifyResultSignatures(result: ResultInfo, set: EvaluatorSet): void {
  const failed = checkResultSignatures(result, set).filter((check) => !check.valid);
  if (failed.length > 0) {
    const names = failed.map((check) => check.evaluator).join(', ');
    throw new VerificationError(`the result of auction ${result.auctionId} lacks a valid signature of evaluator ${names}: do not trust it`);
  }
}
