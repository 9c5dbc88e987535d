import { checkRules, minValidBids, type AuctionRules } from '../../../src/mpc/index.js';
import { baseRules } from './auction-harness.js';

describe('checkRules', () => {
  it('accepts valid rules unchanged', () => {
    const cases: AuctionRules[] = [
      baseRules(),
      baseRules({ bits: 1 }),
      baseRules({ bits: 64, reserve: { kind: 'public', amount: (1n << 64n) - 1n } }),
      baseRules({ price: 'second' }),
      baseRules({ price: 'second', reserve: { kind: 'sealed' }, minValidBids: 1 }),
      baseRules({ direction: 'lowest-wins', minPrice: 5n, reserve: { kind: 'public', amount: 5n } }),
      baseRules({ ties: 'lottery', disclosure: 'amount-only', minValidBids: 4 }),
    ];
    for (const rules of cases) {
      const copy = { ...rules };
      expect(checkRules(rules)).toBe(rules);
      expect(rules).toEqual(copy);
    }
  });

  it('rejects bit widths outside 1..64', () => {
    for (const bits of [0, -1, 65, 1.5, NaN]) {
      expect(() => checkRules(baseRules({ bits }))).toThrow(RangeError);
      expect(() => checkRules(baseRules({ bits }))).toThrow(`bid width must be an integer from 1 to 64 bits, got ${bits}`);
    }
  });

  it('rejects a public reserve outside the bid range', () => {
    for (const amount of [-1n, 256n, 1000n]) {
      const rules = baseRules({ reserve: { kind: 'public', amount } });
      expect(() => checkRules(rules)).toThrow(RangeError);
      expect(() => checkRules(rules)).toThrow(`reserve must be an integer from 0 to 255, got ${amount}`);
    }
    expect(() => checkRules(baseRules({ reserve: { kind: 'public', amount: 5 as never } }))).toThrow(/reserve must be an integer/);
  });

  it('rejects a minimum price for highest-wins', () => {
    expect(() => checkRules(baseRules({ minPrice: 1n }))).toThrow('a minimum price applies only to lowest-wins auctions; remove it or use lowest-wins');
  });

  it('rejects a minimum price outside the bid range', () => {
    for (const minPrice of [-1n, 256n]) {
      expect(() => checkRules(baseRules({ direction: 'lowest-wins', minPrice }))).toThrow(`minimum price must be an integer from 0 to 255, got ${minPrice}`);
    }
  });

  it('rejects a minimum price above the ceiling', () => {
    const rules = baseRules({ direction: 'lowest-wins', minPrice: 6n, reserve: { kind: 'public', amount: 5n } });
    expect(() => checkRules(rules)).toThrow('the minimum price must not exceed the reserve (ceiling)');
  });

  it('rejects a minimum of valid bids below 1 or not an integer', () => {
    for (const minimum of [0, -2, 1.5, NaN]) {
      expect(() => checkRules(baseRules({ minValidBids: minimum }))).toThrow(`minimum number of valid bids must be a positive integer, got ${minimum}`);
    }
  });

  it('rejects second price without reserve and a minimum of 1', () => {
    expect(() => checkRules(baseRules({ price: 'second', minValidBids: 1 }))).toThrow(
      'a second-price auction without a reserve needs a minimum of at least 2 valid bids',
    );
  });
});

describe('minValidBids', () => {
  it('defaults to 2 for second price without reserve and 1 otherwise', () => {
    expect(minValidBids(baseRules({ price: 'second' }))).toBe(2);
    expect(minValidBids(baseRules({ price: 'second', reserve: { kind: 'sealed' } }))).toBe(1);
    expect(minValidBids(baseRules({ price: 'second', reserve: { kind: 'public', amount: 0n } }))).toBe(1);
    expect(minValidBids(baseRules())).toBe(1);
    expect(minValidBids(baseRules({ minValidBids: 5 }))).toBe(5);
  });
});
