/** Why a bid was left out of the computation. */
export interface Rejection {
  /** Position of the bid in the agreed submission order. */
  bid: number;
  reason: string;
}

export type NoSaleReason = 'too-few-valid-bids' | 'no-eligible-bid' | 'no-second-eligible-bid';

/**
 * The public outcome of one auction, identical at every party. Only what the
 * disclosure policy allows is set: under 'amount-only' the winner is null and
 * each bidder learns its own won bit privately.
 */
export interface AuctionOutcome {
  status: 'settled' | 'no-sale';
  noSaleReason: NoSaleReason | null;
  /** Position of the winning bid in the submission order, or null. */
  winner: number | null;
  /** Price in minor units, or null when nothing was sold. */
  price: bigint | null;
  validBids: number;
  rejected: Rejection[];
}

/** What one party holds after the computation. */
export interface PartyAuctionResult {
  outcome: AuctionOutcome;
  /**
   * This party's Shamir share (degree t) of each bid's won bit, indexed by
   * submission position, set only under the 'amount-only' policy with a sale.
   * Each share must reach only the bidder it belongs to.
   */
  wonBitShares: Uint32Array | null;
}
