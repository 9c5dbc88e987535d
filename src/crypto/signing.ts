/**
 * Ed25519 signatures (RFC 8032) over canonical, domain-separated statements:
 * intake receipts, auction results and any other statement an evaluator signs.
 * Each kind of statement has its own domain label, so a signature over one
 * kind never verifies as another.
 */
import type { AuctionOutcome, Rejection } from '../mpc/auction/outcome.js';
import { fromBase64Url, toBase64Url } from './base64url.js';
import { canonicalMessage, type CanonicalValue } from './canonical.js';
import { curves } from './curves.js';

export { openWonBit, sealWonBit, type WonBitBinding } from './won-bit.js';

export const RECEIPT_DOMAIN = 'sealbid/receipt/v1';
export const RESULT_DOMAIN = 'sealbid/result/v1';
const SIGNATURE_BYTES = 64;
const PUBLIC_KEY_BYTES = 32;

/** Statement an evaluator signs when it accepts an envelope. */
export interface Receipt {
  auctionId: string;
  bidderId: string;
  submissionId: string;
  /** Index (1 to n) of the signing evaluator. */
  evaluator: number;
  /** envelopeHash() of the stored envelope. */
  envelopeHash: string;
  /** Time of intake by the evaluator's clock, ISO 8601 in UTC. */
  receivedAt: string;
  /** Whether the envelope arrived before the auction's closing time. */
  onTime: boolean;
}

/** An auction outcome in JSON-safe form: the price is a decimal string. */
export interface PublicOutcome {
  status: AuctionOutcome['status'];
  noSaleReason: AuctionOutcome['noSaleReason'];
  winner: number | null;
  /** Price in minor units as a decimal string, or null when nothing was sold. */
  price: string | null;
  validBids: number;
  rejected: Rejection[];
}

/** Statement an evaluator signs when a computation finishes. */
export interface ResultStatement {
  auctionId: string;
  runId: string;
  /** Hash of the agreed, ordered submission set the run computed on. */
  submissionSetHash: string;
  outcome: PublicOutcome;
}

/** Converts an outcome of the MPC core into its JSON-safe form. */
export function toPublicOutcome(outcome: AuctionOutcome): PublicOutcome {
  return {
    status: outcome.status,
    noSaleReason: outcome.noSaleReason,
    winner: outcome.winner,
    price: outcome.price === null ? null : outcome.price.toString(10),
    validBids: outcome.validBids,
    rejected: outcome.rejected.map((rejection) => ({ bid: rejection.bid, reason: rejection.reason })),
  };
}

/**
 * Signs a statement under a domain label and returns the base64url signature.
 * @throws TypeError when the statement has no canonical encoding or the key is not 32 bytes.
 */
export function signStatement(domain: string, statement: CanonicalValue, secretKey: Uint8Array): string {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new TypeError('Ed25519 secret key must be a 32-byte Uint8Array');
  }
  return toBase64Url(curves().sign(canonicalMessage(domain, statement), secretKey));
}

/**
 * Checks a base64url signature over a statement under a domain label.
 * Returns false, never throws, for a malformed signature, key or statement.
 */
export function verifyStatement(
  domain: string,
  statement: CanonicalValue,
  signature: string,
  publicKey: Uint8Array,
): boolean {
  try {
    const signatureBytes = fromBase64Url(signature, 'signature');
    if (signatureBytes.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) {
      return false;
    }
    return curves().verify(signatureBytes, canonicalMessage(domain, statement), publicKey);
  } catch {
    return false;
  }
}

/** Signs an intake receipt. @throws TypeError as signStatement does. */
export function signReceipt(receipt: Receipt, secretKey: Uint8Array): string {
  return signStatement(RECEIPT_DOMAIN, receiptFields(receipt), secretKey);
}

/** Checks a receipt signature, returning false for any mismatch or malformed input. */
export function verifyReceipt(receipt: Receipt, signature: string, publicKey: Uint8Array): boolean {
  return verifyStatement(RECEIPT_DOMAIN, receiptFields(receipt), signature, publicKey);
}

/** Signs a result statement. @throws TypeError as signStatement does. */
export function signResult(result: ResultStatement, secretKey: Uint8Array): string {
  return signStatement(RESULT_DOMAIN, resultFields(result), secretKey);
}

/** Checks a result signature, returning false for any mismatch or malformed input. */
export function verifyResult(result: ResultStatement, signature: string, publicKey: Uint8Array): boolean {
  return verifyStatement(RESULT_DOMAIN, resultFields(result), signature, publicKey);
}

// Picking fields explicitly keeps extra properties (say, a database id) out of the signed bytes.
function receiptFields(receipt: Receipt): CanonicalValue {
  return {
    auctionId: receipt.auctionId,
    bidderId: receipt.bidderId,
    submissionId: receipt.submissionId,
    evaluator: receipt.evaluator,
    envelopeHash: receipt.envelopeHash,
    receivedAt: receipt.receivedAt,
    onTime: receipt.onTime,
  };
}

function resultFields(result: ResultStatement): CanonicalValue {
  const outcome = result.outcome;
  return {
    auctionId: result.auctionId,
    runId: result.runId,
    submissionSetHash: result.submissionSetHash,
    outcome: {
      status: outcome.status,
      noSaleReason: outcome.noSaleReason,
      winner: outcome.winner,
      price: outcome.price,
      validBids: outcome.validBids,
      rejected: outcome.rejected.map((rejection) => ({ bid: rejection.bid, reason: rejection.reason })),
    },
  };
}
