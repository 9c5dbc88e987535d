import { AuctionCache } from '../../src/orchestrator/auctions/auction-cache.js';
import type { Auction } from '../../src/orchestrator/generated/prisma/client.js';

const row = { id: 'a-1', state: 'open', sealedBids: 2, sealedReserves: 0 } as Auction;

describe('auction cache', () => {
  it('keeps rows and applies count changes', () => {
    const cache = new AuctionCache();
    cache.remember(row, cache.generation);

    cache.countsChanged('a-1', { sealedBids: 3 });

    expect(cache.get('a-1')).toMatchObject({ state: 'open', sealedBids: 3 });
    expect(row.sealedBids).toBe(2);
  });

  it('drops reads older than a write', () => {
    const cache = new AuctionCache();
    const generation = cache.generation;
    cache.countsChanged('a-1', { sealedBids: 3 });

    cache.remember(row, generation);

    expect(cache.get('a-1')).toBeUndefined();
  });

  it('replaces a row after a write', () => {
    const cache = new AuctionCache();
    cache.remember(row, cache.generation);

    cache.written({ ...row, state: 'closed' } as Auction);

    expect(cache.get('a-1')?.state).toBe('closed');
  });
});
