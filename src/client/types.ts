/** Response shapes of the orchestrator's /v1 API as the SDK reads them. */
import type { PublicOutcome, Receipt } from '../crypto/index.js';

export type AuctionState = 'draft' | 'open' | 'closed' | 'computing' | 'settled' | 'failed' | 'cancelled';

/** Auction settings; amounts are decimal strings in major units. */
export interface AuctionSettings {
  direction: 'highest-wins' | 'lowest-wins';
  price: 'first' | 'second';
  bits: number;
  decimals: number;
  reserve: { kind: 'none' | 'public' | 'sealed'; amount: string | null };
  minPrice: string | null;
  minValidBids: number;
  ties: 'earliest' | 'lottery';
  disclosure: 'public' | 'amount-only';
}

/** An auction as the orchestrator shows it. */
export interface AuctionInfo {
  id: string;
  title: string;
  state: AuctionState;
  stateReason: string | null;
  settings: AuctionSettings;
  closesAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  sealedBids: number;
  sealedReserveReceived: boolean;
}

/** One evaluator with the public keys bidders seal to and verify with (base64url). */
export interface EvaluatorKeys {
  party: number;
  signingKey: string;
  sealingKey: string;
  url?: string;
}

/** The evaluator set: n parties, degree t, and their keys. */
export interface EvaluatorSet {
  parties: number;
  degree: number;
  evaluators: EvaluatorKeys[];
}

/** A receipt with the evaluator's signature. */
export interface SignedReceipt {
  receipt: Receipt;
  signature: string;
}

/** An accepted submission as the orchestrator returns it. */
export interface SubmissionResponse {
  submissionId: string;
  auctionId: string;
  bidderId: string;
  replaces: string | null;
  receipts: SignedReceipt[];
}

/** A published result. */
export interface ResultInfo {
  auctionId: string;
  runId: string;
  submissionSetHash: string;
  outcome: PublicOutcome;
  price: string | null;
  winnerBidderId: string | null;
  signatures: Array<{ evaluator: number; signature: string }>;
  publishedAt: string;
}

/** The calling bidder as GET /auctions/:id/me returns it. */
export interface BidderInfo {
  auctionId: string;
  bidderId: string;
  excludedReason: string | null;
  submission: SubmissionResponse | null;
}

/** The inputs of sealing a bid, read in one request: the auction, the evaluator set and the calling bidder. */
export interface BiddingContext {
  auction: AuctionInfo;
  evaluators: EvaluatorSet;
  bidder: Omit<BidderInfo, 'submission'>;
}

/** Sealed won-bit shares for one bidder. */
export interface WonBitShares {
  auctionId: string;
  runId: string;
  bidderId: string;
  submissionId: string;
  shares: Array<{ evaluator: number; sealed: unknown }>;
}
