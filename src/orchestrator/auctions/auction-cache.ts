/**
 * Auction rows kept in memory, so that the requests of an open auction do
 * not each read its row. This is sound because one orchestrator process owns
 * its database, and every write to an auction row goes through this process
 * and updates the cache once it has committed.
 */
import type { Auction } from '../generated/prisma/client.js';

/** Rows kept before the cache starts over. */
const MAX_ROWS = 10_000;

export class AuctionCache {
  private readonly rows = new Map<string, Auction>();
  private writes = 0;

  /** Number of writes so far. A read that began before one of them is not cached. */
  get generation(): number {
    return this.writes;
  }

  get(auctionId: string): Auction | undefined {
    return this.rows.get(auctionId);
  }

  /** Caches a row read at the given generation, unless a write came since. */
  remember(row: Auction, generation: number): void {
    if (generation === this.writes) {
      this.put(row);
    }
  }

  /** Replaces the row with one that a committed write returned. */
  written(row: Auction): void {
    this.writes += 1;
    this.put(row);
  }

  /** Applies committed changes of some columns to the cached row, and returns the row, or undefined when it is not cached. */
  changed(auctionId: string, fields: Partial<Auction>): Auction | undefined {
    this.writes += 1;
    const row = this.rows.get(auctionId);
    if (row === undefined) {
      return undefined;
    }
    const next = { ...row, ...fields };
    this.rows.set(auctionId, next);
    return next;
  }

  /** Drops the row, so that the next read loads it from the database. */
  forget(auctionId: string): void {
    this.writes += 1;
    this.rows.delete(auctionId);
  }

  private put(row: Auction): void {
    if (this.rows.size >= MAX_ROWS && !this.rows.has(row.id)) {
      this.rows.clear();
    }
    this.rows.set(row.id, row);
  }
}
