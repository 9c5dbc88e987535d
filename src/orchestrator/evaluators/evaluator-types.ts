/** Shapes exchanged with the evaluator services (see docs/evaluator-api.md). */
import type { Envelope, OpeningTranscript, Receipt, ResultStatement } from '../../crypto/index.js';

/** A receipt as an evaluator returns it. */
export interface SignedReceipt {
  receipt: Receipt;
  signature: string;
}

/** The envelope forwarded to one evaluator. */
export interface EnvelopeIntake {
  auctionId: string;
  submissionId: string;
  bidderId: string;
  kind: 'bid' | 'reserve';
  envelope: Envelope;
  /** Bidder's X25519 public key (base64url) under amount-only disclosure. */
  wonBitKey: string | null;
}

/** A sealed won-bit share for one bid. */
export interface SealedWonBit {
  bidderId: string;
  submissionId: string;
  sealed: Envelope;
}

/** An evaluator's signed result of one run. */
export interface SignedResult {
  statement: ResultStatement;
  signature: string;
  /** Under amount-only with a sale: one sealed won-bit share per bid, in submission order. */
  wonBits: SealedWonBit[] | null;
}

/** An evaluator's signed report of what it received in each opening of a run. */
export interface SignedOpeningTranscript {
  statement: OpeningTranscript;
  signature: string;
}

/** The status of a run at one evaluator. */
export type RunStatus =
  | { state: 'agreeing' | 'computing' }
  | { state: 'completed'; result: SignedResult; openings: SignedOpeningTranscript | null }
  | { state: 'failed'; code: string | null; reason: string; openings: SignedOpeningTranscript | null }
  | { state: 'unknown' };

/** The body of GET /v1/auctions/:id/result as the evaluator sends it. */
export interface EvaluatorRunBody {
  runId: string;
  state: 'agreeing' | 'computing' | 'completed' | 'failed';
  submissionSetHash: string;
  result: { statement: ResultStatement; evaluator: number; signature: string } | null;
  wonBits: SealedWonBit[] | null;
  error: { code: string; message: string } | null;
  /** Absent from evaluators older than opening transcripts. */
  openings?: SignedOpeningTranscript | null;
}
