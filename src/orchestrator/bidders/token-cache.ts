/**
 * The participants behind recently used bidder tokens, kept in memory so
 * that a bidder's requests do not each read the database. This is sound
 * because one orchestrator process owns its database: every write that
 * changes what a token resolves to (a new token for the same bidder, an
 * exclusion) goes through this process and updates the cache.
 */

/** The participant that a token hash resolves to. */
export interface TokenHolder {
  auctionId: string;
  bidderId: string;
  excludedReason: string | null;
}

/** Entries kept before the cache starts over; about 20 MB at this size. */
const MAX_ENTRIES = 100_000;

export class TokenCache {
  private readonly byHash = new Map<string, TokenHolder>();
  private readonly hashOf = new Map<string, string>();
  private forgotten = 0;

  get(tokenHash: string): TokenHolder | undefined {
    return this.byHash.get(tokenHash);
  }

  /** Number of forget calls so far. A read that began before one of them is not cached. */
  get generation(): number {
    return this.forgotten;
  }

  /** Caches what a read begun at the given generation found, unless a participant was forgotten since. */
  set(tokenHash: string, holder: TokenHolder, generation: number): void {
    if (generation !== this.forgotten) {
      return;
    }
    if (this.byHash.size >= MAX_ENTRIES) {
      this.byHash.clear();
      this.hashOf.clear();
    }
    this.byHash.set(tokenHash, holder);
    this.hashOf.set(participantKey(holder.auctionId, holder.bidderId), tokenHash);
  }

  /** Drops the participant's entry, so its next request reads the database. */
  forget(auctionId: string, bidderId: string): void {
    this.forgotten += 1;
    const key = participantKey(auctionId, bidderId);
    const tokenHash = this.hashOf.get(key);
    if (tokenHash !== undefined) {
      this.byHash.delete(tokenHash);
      this.hashOf.delete(key);
    }
  }
}

function participantKey(auctionId: string, bidderId: string): string {
  return `${auctionId}\n${bidderId}`;
}
