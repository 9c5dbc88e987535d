import { Injectable } from '@nestjs/common';

/** Most share vectors kept in all; 250,000 vectors of 64 shares take about 100 MB. */
export const MAX_OPENED_SHARE_VECTORS = 250_000;

/** The stored envelope a share vector was opened from. */
export interface OpenedFrom {
  submissionId: string;
  bidderId: string;
  hash: string;
  wonBitKey: string | null;
}

interface Entry extends OpenedFrom {
  shares: Uint32Array;
}

/**
 * Share vectors that the intake opened to check each envelope, kept in memory
 * until the auction's run completes, so the run does not open the envelopes a
 * second time. The database keeps only the sealed envelopes, so after a
 * restart, or past the size limit, the run opens them again. An entry is used
 * only for the envelope it was opened from: same submission, bidder, hash and
 * won-bit key. Wiped entries are overwritten with zeros.
 */
@Injectable()
export class OpenedShares {
  private readonly auctions = new Map<string, Map<string, Entry>>();
  private count = 0;

  constructor(private readonly limit = MAX_OPENED_SHARE_VECTORS) {}

  /** Keeps the vector of a stored envelope, or wipes it when the limit is reached. The caller must not reuse it. */
  keep(auctionId: string, from: OpenedFrom, shares: Uint32Array): void {
    let entries = this.auctions.get(auctionId);
    const previous = entries?.get(from.submissionId);
    if (previous) {
      previous.shares.fill(0);
      this.count--;
    }
    if (this.count >= this.limit) {
      entries?.delete(from.submissionId);
      shares.fill(0);
      return;
    }
    if (!entries) {
      entries = new Map();
      this.auctions.set(auctionId, entries);
    }
    entries.set(from.submissionId, { ...from, shares });
    this.count++;
  }

  /** Returns a copy of the vector opened from this envelope, or undefined when none is kept. */
  copy(auctionId: string, from: OpenedFrom): Uint32Array | undefined {
    return this.entryFor(auctionId, from)?.shares.slice();
  }

  /** Tells whether a vector opened from this envelope is kept. */
  has(auctionId: string, from: OpenedFrom): boolean {
    return this.entryFor(auctionId, from) !== undefined;
  }

  /** Wipes and drops every vector of the auction. */
  forget(auctionId: string): void {
    const entries = this.auctions.get(auctionId);
    if (!entries) {
      return;
    }
    for (const entry of entries.values()) {
      entry.shares.fill(0);
    }
    this.count -= entries.size;
    this.auctions.delete(auctionId);
  }

  private entryFor(auctionId: string, from: OpenedFrom): Entry | undefined {
    const entry = this.auctions.get(auctionId)?.get(from.submissionId);
    const same = entry && entry.bidderId === from.bidderId && entry.hash === from.hash && entry.wonBitKey === (from.wonBitKey ?? null);
    return same ? entry : undefined;
  }

  /** Number of vectors kept. */
  get size(): number {
    return this.count;
  }
}
