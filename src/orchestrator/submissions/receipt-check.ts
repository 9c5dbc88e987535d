/** Checks of evaluator receipts before the orchestrator trusts and stores them. */
import { fromBase64Url, verifyReceipt, type Receipt } from '../../crypto/index.js';
import type { PinnedEvaluator } from '../config/evaluator-list.js';
import type { SignedReceipt } from '../evaluators/evaluator-types.js';

/** The problem receiptProblem returns for a valid receipt whose envelope arrived after the close. */
export const LATE_RECEIPT_PROBLEM = 'received the envelope after the auction closed by its clock';

/** Fields the receipt must name. */
export interface ExpectedReceipt {
  auctionId: string;
  bidderId: string;
  submissionId: string;
  envelopeHash: string;
}

/**
 * Checks one receipt against the evaluator's pinned key and the expected
 * envelope. Returns null for a valid receipt, otherwise the problem.
 */
export function receiptProblem(signed: SignedReceipt, evaluator: PinnedEvaluator, expected: ExpectedReceipt): string | null {
  const receipt: Receipt | undefined = signed?.receipt;
  if (receipt === undefined || typeof signed.signature !== 'string') {
    return 'returned no receipt';
  }
  const mismatch = mismatchedField(receipt, evaluator.party, expected);
  if (mismatch !== null) {
    return `returned a receipt for another ${mismatch}`;
  }
  if (!verifyReceipt(receipt, signed.signature, fromBase64Url(evaluator.signingKey, 'signing key'))) {
    return 'returned a receipt whose signature does not verify against its pinned signing key';
  }
  if (receipt.onTime !== true) {
    return LATE_RECEIPT_PROBLEM;
  }
  return null;
}

function mismatchedField(receipt: Receipt, party: number, expected: ExpectedReceipt): string | null {
  if (receipt.auctionId !== expected.auctionId) return 'auction';
  if (receipt.bidderId !== expected.bidderId) return 'bidder';
  if (receipt.submissionId !== expected.submissionId) return 'submission';
  if (receipt.evaluator !== party) return 'evaluator';
  if (receipt.envelopeHash !== expected.envelopeHash) return 'envelope';
  return null;
}
