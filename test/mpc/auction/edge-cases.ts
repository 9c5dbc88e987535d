import type { AuctionOutcome, AuctionRules } from '../../../src/mpc/index.js';
import { baseRules } from './auction-harness.js';

/** An auction with its outcome worked out by hand. */
export interface EdgeCase {
  name: string;
  bids: bigint[];
  rules: AuctionRules;
  /** The amount of a sealed reserve, when the rules name one. */
  sealedReserve?: bigint;
  expected: Omit<AuctionOutcome, 'rejected' | 'validBids'>;
}

const MAX_8 = 255n;
const MAX_48 = (1n << 48n) - 1n;

const sold = (winner: number, price: bigint): EdgeCase['expected'] => ({ status: 'settled', noSaleReason: null, winner, price });
const noSale = (noSaleReason: AuctionOutcome['noSaleReason']): EdgeCase['expected'] => ({
  status: 'no-sale',
  noSaleReason,
  winner: null,
  price: null,
});

const highestSecond = (overrides: Partial<AuctionRules> = {}): AuctionRules => baseRules({ price: 'second', ...overrides });
const lowest = (overrides: Partial<AuctionRules> = {}): AuctionRules => baseRules({ direction: 'lowest-wins', ...overrides });
const publicReserve = (amount: bigint): AuctionRules['reserve'] => ({ kind: 'public', amount });
const SEALED: AuctionRules['reserve'] = { kind: 'sealed' };

/** Named edge cases; the MPC computation and the reference must both give the expected outcome. */
export const EDGE_CASES: EdgeCase[] = [
  { name: 'one bid, first price', bids: [42n], rules: baseRules(), expected: sold(0, 42n) },
  { name: 'one bid, second price without reserve', bids: [42n], rules: highestSecond(), expected: noSale('too-few-valid-bids') },
  { name: 'no bid', bids: [], rules: baseRules(), expected: noSale('too-few-valid-bids') },
  { name: 'all bids equal, highest wins', bids: [7n, 7n, 7n], rules: baseRules(), expected: sold(0, 7n) },
  { name: 'all bids equal, lowest wins', bids: [7n, 7n, 7n], rules: lowest(), expected: sold(0, 7n) },
  { name: 'all bids equal, second price', bids: [7n, 7n, 7n, 7n], rules: highestSecond(), expected: sold(0, 7n) },
  { name: '0 and 2^8 - 1, highest wins', bids: [0n, MAX_8], rules: baseRules(), expected: sold(1, MAX_8) },
  { name: '0 and 2^8 - 1, lowest wins', bids: [MAX_8, 0n], rules: lowest(), expected: sold(1, 0n) },
  { name: '0 and 2^8 - 1, second price', bids: [MAX_8, 0n], rules: highestSecond(), expected: sold(0, 0n) },
  { name: '0 and 2^8 - 1, lowest wins second price', bids: [0n, MAX_8], rules: lowest({ price: 'second' }), expected: sold(0, MAX_8) },
  { name: '0 and 2^48 - 1, highest wins', bids: [MAX_48, 0n], rules: baseRules({ bits: 48 }), expected: sold(0, MAX_48) },
  { name: '0 and 2^48 - 1, lowest wins', bids: [MAX_48, 0n], rules: lowest({ bits: 48 }), expected: sold(1, 0n) },
  { name: 'only 0 bids', bids: [0n, 0n], rules: highestSecond(), expected: sold(0, 0n) },
  { name: 'only 2^8 - 1 bids, lowest wins', bids: [MAX_8, MAX_8], rules: lowest({ price: 'second' }), expected: sold(0, MAX_8) },
  { name: 'tie at the top, first price', bids: [5n, 9n, 3n, 9n], rules: baseRules(), expected: sold(1, 9n) },
  { name: 'tie at the top, second price', bids: [5n, 9n, 3n, 9n], rules: highestSecond(), expected: sold(1, 9n) },
  { name: 'tie at the top, lowest wins', bids: [5n, 2n, 8n, 2n], rules: lowest({ price: 'second' }), expected: sold(1, 2n) },
  { name: 'tie at second place', bids: [9n, 5n, 5n, 1n], rules: highestSecond(), expected: sold(0, 5n) },
  { name: 'tie at second place, later winner', bids: [5n, 1n, 5n, 9n], rules: highestSecond(), expected: sold(3, 5n) },
  { name: 'tie at second place, lowest wins', bids: [8n, 5n, 1n, 5n], rules: lowest({ price: 'second' }), expected: sold(2, 5n) },
  {
    name: 'public reserve equal to the best bid',
    bids: [3n, 9n],
    rules: baseRules({ reserve: publicReserve(9n) }),
    expected: sold(1, 9n),
  },
  {
    name: 'public reserve one above the best bid',
    bids: [3n, 9n],
    rules: baseRules({ reserve: publicReserve(10n) }),
    expected: noSale('no-eligible-bid'),
  },
  {
    name: 'ceiling equal to the best bid, lowest wins',
    bids: [8n, 4n],
    rules: lowest({ reserve: publicReserve(4n) }),
    expected: sold(1, 4n),
  },
  {
    name: 'ceiling one below the best bid, lowest wins',
    bids: [8n, 4n],
    rules: lowest({ reserve: publicReserve(3n) }),
    expected: noSale('no-eligible-bid'),
  },
  {
    name: 'sealed reserve equal to the best bid',
    bids: [3n, 9n],
    rules: baseRules({ reserve: SEALED }),
    sealedReserve: 9n,
    expected: sold(1, 9n),
  },
  {
    name: 'sealed reserve one above the best bid',
    bids: [3n, 9n],
    rules: baseRules({ reserve: SEALED }),
    sealedReserve: 10n,
    expected: noSale('no-eligible-bid'),
  },
  {
    name: 'second price, reserve equal to the runner-up',
    bids: [20n, 9n],
    rules: highestSecond({ reserve: publicReserve(9n) }),
    expected: sold(0, 9n),
  },
  {
    name: 'second price, reserve below the runner-up',
    bids: [50n, 30n],
    rules: highestSecond({ reserve: publicReserve(10n) }),
    expected: sold(0, 30n),
  },
  {
    name: 'second price, reserve above the runner-up',
    bids: [50n, 5n],
    rules: highestSecond({ reserve: publicReserve(10n) }),
    expected: sold(0, 10n),
  },
  {
    name: 'second price, ceiling above the runner-up, lowest wins',
    bids: [8n, 5n],
    rules: lowest({ price: 'second', reserve: publicReserve(20n) }),
    expected: sold(1, 8n),
  },
  {
    name: 'second price, ceiling below the runner-up, lowest wins',
    bids: [5n, 30n],
    rules: lowest({ price: 'second', reserve: publicReserve(20n) }),
    expected: sold(0, 20n),
  },
  {
    name: 'second price, sealed reserve below the runner-up',
    bids: [30n, 50n],
    rules: highestSecond({ reserve: SEALED }),
    sealedReserve: 10n,
    expected: sold(1, 30n),
  },
  {
    name: 'second price, one valid bid pays the public reserve',
    bids: [50n],
    rules: highestSecond({ reserve: publicReserve(10n) }),
    expected: sold(0, 10n),
  },
  {
    name: 'second price, one valid bid pays the sealed reserve',
    bids: [50n],
    rules: highestSecond({ reserve: SEALED }),
    sealedReserve: 10n,
    expected: sold(0, 10n),
  },
  {
    name: 'second price, one valid bid pays the ceiling, lowest wins',
    bids: [5n],
    rules: lowest({ price: 'second', reserve: publicReserve(20n) }),
    expected: sold(0, 20n),
  },
  {
    name: 'second price, one valid bid pays the sealed ceiling, lowest wins',
    bids: [5n],
    rules: lowest({ price: 'second', reserve: SEALED }),
    sealedReserve: 20n,
    expected: sold(0, 20n),
  },
  {
    name: 'second price, one valid bid below the reserve',
    bids: [5n],
    rules: highestSecond({ reserve: publicReserve(10n) }),
    expected: noSale('no-eligible-bid'),
  },
  {
    name: 'minimum price disqualifies the lowest bid',
    bids: [3n, 12n, 10n],
    rules: lowest({ minPrice: 5n }),
    expected: sold(2, 10n),
  },
  {
    name: 'minimum price equal to a bid',
    bids: [9n, 5n],
    rules: lowest({ minPrice: 5n }),
    expected: sold(1, 5n),
  },
  {
    name: 'minimum price above every bid',
    bids: [1n, 2n],
    rules: lowest({ minPrice: 5n }),
    expected: noSale('no-eligible-bid'),
  },
  {
    name: 'minimum price, second price skips the disqualified bid',
    bids: [3n, 12n, 10n],
    rules: lowest({ price: 'second', minPrice: 5n }),
    expected: sold(2, 12n),
  },
  {
    name: 'minimum price leaves no eligible runner-up',
    bids: [1n, 10n],
    rules: lowest({ price: 'second', minPrice: 5n }),
    expected: noSale('no-second-eligible-bid'),
  },
  {
    name: 'minimum price and ceiling, runner-up above the ceiling',
    bids: [6n, 4n, 15n],
    rules: lowest({ price: 'second', minPrice: 5n, reserve: publicReserve(12n) }),
    expected: sold(0, 12n),
  },
  {
    name: 'minimum price and ceiling, runner-up disqualified',
    bids: [6n, 4n],
    rules: lowest({ price: 'second', minPrice: 5n, reserve: publicReserve(12n) }),
    expected: sold(0, 12n),
  },
  {
    name: 'fewer valid bids than the minimum',
    bids: [4n, 5n],
    rules: baseRules({ minValidBids: 3 }),
    expected: noSale('too-few-valid-bids'),
  },
  {
    name: 'exactly the minimum of valid bids',
    bids: [4n, 5n, 1n],
    rules: baseRules({ minValidBids: 3 }),
    expected: sold(1, 5n),
  },
  {
    name: 'amount-only disclosure hides the winner',
    bids: [4n, 5n, 1n],
    rules: baseRules({ disclosure: 'amount-only' }),
    expected: { status: 'settled', noSaleReason: null, winner: null, price: 5n },
  },
  {
    name: 'one-bit bids',
    bids: [0n, 1n, 1n],
    rules: baseRules({ bits: 1, price: 'second' }),
    expected: sold(1, 1n),
  },
];
