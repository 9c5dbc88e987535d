/**
 * The submission set of one computation: the ordered bids (and the sealed
 * reserve, if any) that the evaluators compute on. Positions in the outcome
 * index the bids in this order. Evaluators sign the set's hash among
 * themselves before computing, so all of them use the same set.
 */
import { canonicalDigestHex } from './canonical.js';
import { signStatement, verifyStatement } from './signing.js';

const SET_HASH_DOMAIN = 'sealbid/submission-set/v1';
const AGREEMENT_DOMAIN = 'sealbid/submission-set-agreement/v1';

/** One bid of the set. */
export interface SubmissionRef {
  bidderId: string;
  submissionId: string;
  /** Envelope hash at each evaluator in party order, when the orchestrator pins them. */
  envelopeHashes?: string[] | null;
  /** Public reason when the operator excluded the bid, which then counts as invalid. */
  excluded?: string | null;
}

/** The ordered set one run computes on. */
export interface SubmissionSet {
  auctionId: string;
  bids: SubmissionRef[];
  /** Submission id of the operator's sealed reserve, or null. */
  reserveSubmissionId: string | null;
}

/** Statement an evaluator signs to agree on the submission set of a run. */
export interface SubmissionSetAgreement {
  auctionId: string;
  runId: string;
  submissionSetHash: string;
  /** Index (1 to n) of the signing evaluator. */
  evaluator: number;
}

/**
 * Computes the hex SHA-256 of a submission set's canonical encoding.
 * @throws TypeError when an id is not a string.
 */
export function submissionSetHash(set: SubmissionSet): string {
  return canonicalDigestHex(SET_HASH_DOMAIN, {
    auctionId: set.auctionId,
    bids: set.bids.map((bid) => ({
      bidderId: bid.bidderId,
      submissionId: bid.submissionId,
      envelopeHashes: bid.envelopeHashes ?? null,
      excluded: bid.excluded ?? null,
    })),
    reserveSubmissionId: set.reserveSubmissionId,
  });
}

/** Signs a submission set agreement with an Ed25519 secret key. */
export function signSubmissionSetAgreement(agreement: SubmissionSetAgreement, secretKey: Uint8Array): string {
  return signStatement(AGREEMENT_DOMAIN, agreementFields(agreement), secretKey);
}

/** Checks a submission set agreement signature, returning false for any mismatch. */
export function verifySubmissionSetAgreement(
  agreement: SubmissionSetAgreement,
  signature: string,
  publicKey: Uint8Array,
): boolean {
  return verifyStatement(AGREEMENT_DOMAIN, agreementFields(agreement), signature, publicKey);
}

function agreementFields(agreement: SubmissionSetAgreement): Record<string, string | number> {
  return {
    auctionId: agreement.auctionId,
    runId: agreement.runId,
    submissionSetHash: agreement.submissionSetHash,
    evaluator: agreement.evaluator,
  };
}
