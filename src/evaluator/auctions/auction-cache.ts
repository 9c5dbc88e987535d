/**
 * The auction rows this process last read or wrote, so that a request can
 * skip reading its auction again. A cached row may be stale: every statement
 * that acts on one checks the state, closing time and rules it relied on, and
 * a caller whose check fails reads the row afresh.
 */
import type { Auction } from '../generated/prisma/client.js';

/** Maximum number of cached auctions; the least recently stored one is dropped first. */
const MAX_CACHED_AUCTIONS = 1024;

export class AuctionCache {
  private readonly rows = new Map<string, Auction>();

  /** Returns the cached row of the auction, or undefined. */
  get(auctionId: string): Auction | undefined {
    return this.rows.get(auctionId);
  }

  /** Stores the row as the latest known state of its auction. */
  put(auction: Auction): void {
    this.rows.delete(auction.id);
    this.rows.set(auction.id, auction);
    if (this.rows.size > MAX_CACHED_AUCTIONS) {
      const oldest = this.rows.keys().next().value as string;
      this.rows.delete(oldest);
    }
  }

  /** Forgets the auction, so that the next request reads it from the database. */
  drop(auctionId: string): void {
    this.rows.delete(auctionId);
  }
}
