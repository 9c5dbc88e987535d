import { Injectable } from '@nestjs/common';

/**
 * Maximum number of share vectors kept in all. 250,000 vectors of 64 shares
 * contain 64 MB of shares, and an estimated 75 to 125 MB more for the objects,
 * map entries and strings around them.
 */
export const MAX_OPENED_SHARE_VECTORS = 250_000;

/** The stored envelope a share vector was opened from. */
export interface OpenedFrom {
  submissionId: string;
  bidderId: string;
  hash: string;
  wonBitKey: string | null;
}

/** The columns of a stored envelope that a kept vector records, which a run needs besides the shares. */
export interface KeptEnvelope extends OpenedFrom {
  kind: 'bid' | 'reserve';
}

interface Entry extends KeptEnvelope {
  shares: Uint32Array;
}

/**
 * Share vectors that the intake opened to check each envelope, kept in memory
 * until the auction's run completes, so the run does not open the envelopes a
 * second time. The database keeps only the sealed envelopes, so after a
 * restart, or past the size limit, the run opens them again. An entry is used
 * only for the envelope it was opened from: same submission, bidder, hash and
 * won-bit key. Wiped entries are overwritten with zeros. An auction that never
 * completes a run (one that failed) loses its vectors when the retention sweep
 * calls forgetIdle.
 *
 * Provided through a factory (auctions.module.ts), because Nest cannot inject
 * the numeric limit.
 */
@Injectable()
export class OpenedShares {
  private readonly auctions = new Map<string, Map<string, Entry>>();
  /** Time of the last keep per auction, in milliseconds since the epoch. */
  private readonly lastKept = new Map<string, number>();
  private count = 0;

  constructor(private readonly limit = MAX_OPENED_SHARE_VECTORS) {}

  /** Keeps the vector of a stored envelope, or wipes it when the limit is reached. The caller must not reuse it. */
  keep(auctionId: string, from: KeptEnvelope, shares: Uint32Array): void {
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
    this.lastKept.set(auctionId, Date.now());
    this.count++;
  }

  /** Returns a copy of the vector opened from this envelope, or undefined when none is kept. */
  copy(auctionId: string, from: OpenedFrom): Uint32Array | undefined {
    return this.entryFor(auctionId, from)?.shares.slice();
  }

  /** Copies the vector opened from this envelope into target and returns true, or returns false when none of that length is kept. */
  copyInto(auctionId: string, from: OpenedFrom, target: Uint32Array): boolean {
    const shares = this.entryFor(auctionId, from)?.shares;
    if (shares === undefined || shares.length !== target.length) {
      return false;
    }
    target.set(shares);
    return true;
  }

  /**
   * Returns the stored columns of the envelope whose vector is kept under this
   * submission id, or undefined. These columns of a row never change once it
   * is stored, and a vector is kept only after its row is stored, so they
   * equal the row's.
   */
  keptEnvelope(auctionId: string, submissionId: string): KeptEnvelope | undefined {
    const entry = this.auctions.get(auctionId)?.get(submissionId);
    if (entry === undefined) {
      return undefined;
    }
    const { bidderId, kind, hash, wonBitKey } = entry;
    return { submissionId, bidderId, kind, hash, wonBitKey };
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
    this.lastKept.delete(auctionId);
  }

  /** Wipes and drops the vectors of every auction that had none kept since cutoffMs; returns how many auctions. */
  forgetIdle(cutoffMs: number): number {
    const idle = [...this.lastKept].filter(([, keptAt]) => keptAt < cutoffMs).map(([auctionId]) => auctionId);
    idle.forEach((auctionId) => this.forget(auctionId));
    return idle.length;
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
