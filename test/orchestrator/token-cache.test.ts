import { TokenCache } from '../../src/orchestrator/bidders/token-cache.js';

const holder = { auctionId: 'a-1', bidderId: 'b-1', excludedReason: null };

describe('token cache', () => {
  it('returns entries until forgotten', () => {
    const cache = new TokenCache();
    cache.set('h1', holder, cache.generation);

    expect(cache.get('h1')).toEqual(holder);
    cache.forget('a-1', 'b-2');
    expect(cache.get('h1')).toEqual(holder);
    cache.forget('a-1', 'b-1');
    expect(cache.get('h1')).toBeUndefined();
  });

  it('drops reads older than forget', () => {
    const cache = new TokenCache();
    const generation = cache.generation;
    cache.forget('a-1', 'b-1');

    cache.set('h1', holder, generation);

    expect(cache.get('h1')).toBeUndefined();
  });
});
