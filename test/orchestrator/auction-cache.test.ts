import { AuctionCache } from '../../src/orchestrator/auctions/auction-cache.js';
import type { Auction } from '../../src/orchestrator/generated/prisma/client.js';

const row = { id: 'a-1', state: 'open', sealedBids: 2, sealedReserves: 0 } as Auction;

describe('auction cache', () => {
  it('applies changed columns', () => {
    const cache = new AuctionCache();
    cache.remember(row, cache.generation);

    const changed = cache.changed('a-1', { sealedBids: 3 });

    expect(changed).toMatchObject({ state: 'open', sealedBids: 3 });
    expect(cache.get('a-1')).toEqual(changed);
    expect(row.sealedBids).toBe(2);
  });

  it('ignores changes to missing rows', () => {
    const cache = new AuctionCache();

    expect(cache.changed('a-1', { state: 'closed' })).toBeUndefined();
    expect(cache.get('a-1')).toBeUndefined();
  });

  it('forgets a row and older reads', () => {
    const cache = new AuctionCache();
    cache.remember(row, cache.generation);
    const generation = cache.generation;

    cache.forget('a-1');
    cache.remember(row, generation);

    expect(cache.get('a-1')).toBeUndefined();
  });

  it('drops reads older than a write', () => {
    const cache = new AuctionCache();
    const generation = cache.generation;
    cache.changed('a-1', { sealedBids: 3 });

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
