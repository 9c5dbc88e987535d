/**
 * End to end with real processes: three evaluators and an orchestrator, 25
 * bids per auction through the SDK, results compared with the plaintext
 * reference for first and second price, both directions, with and without a
 * reserve. Every auction is opened and bid on first, with one closing time,
 * so the tests then only close and check them.
 */
import { jest } from '@jest/globals';

import { OperatorClient, type AuctionSettingsInput } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { comparable, expectedOutcome, openAuction, submitBids, testAmounts, waitForEnd, type ReferenceSettings, type TestBid } from './support/e2e.js';

jest.setTimeout(15 * 60_000);

const BIDS = 25;
// Bounds the wait when an evaluator keeps its original closing time after an early close.
const CLOSE_IN_MS = 120_000;

interface PreparedAuction {
  auctionId: string;
  amounts: string[];
  bids: TestBid[];
  settings: ReferenceSettings;
}

type Variant = Pick<ReferenceSettings, 'direction' | 'price' | 'reserve'>;
const CASES: Array<[string, Variant]> = [];
for (const direction of ['highest-wins', 'lowest-wins'] as const) {
  for (const price of ['first', 'second'] as const) {
    CASES.push([`${direction} ${price} price`, { direction, price, reserve: null }]);
    // A reserve in the middle of the amounts, so some bids are eligible and some are not.
    CASES.push([`${direction} ${price} price with reserve`, { direction, price, reserve: { amount: '2500.00', sealed: false } }]);
  }
}

let cluster: Cluster;
let operator: OperatorClient;
const prepared = new Map<string, PreparedAuction>();

async function prepare(name: string, settings: ReferenceSettings, count: number, seed: number): Promise<void> {
  const input: AuctionSettingsInput = {
    direction: settings.direction,
    price: settings.price,
    bits: settings.bits,
    decimals: settings.decimals,
    disclosure: settings.disclosure ?? 'public',
    reserve: settings.reserve === null ? { kind: 'none' } : settings.reserve.sealed ? { kind: 'sealed' } : { kind: 'public', amount: settings.reserve.amount },
  };
  const auctionId = await openAuction(operator, name, input, CLOSE_IN_MS);
  if (settings.reserve?.sealed) {
    await operator.submitSealedReserve(auctionId, settings.reserve.amount);
  }
  const amounts = testAmounts(count, seed);
  const bids = await submitBids(cluster, operator, auctionId, amounts, auctionId.slice(0, 8));
  prepared.set(name, { auctionId, amounts, bids, settings });
}

async function closeAndWait(auction: PreparedAuction) {
  await operator.closeAuction(auction.auctionId);
  return waitForEnd(operator, auction.auctionId);
}

beforeAll(async () => {
  cluster = await startCluster({ evaluators: 3 });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });

  for (const [index, [name, variant]] of CASES.entries()) {
    await prepare(name, { bits: 32, decimals: 2, ...variant }, BIDS, index + 1);
  }
  await prepare('sealed reserve', { bits: 32, decimals: 2, direction: 'highest-wins', price: 'second', reserve: { amount: '2500.00', sealed: true } }, BIDS, 99);
  await prepare('amount only', { bits: 32, decimals: 2, direction: 'highest-wins', price: 'first', disclosure: 'amount-only', reserve: null }, 8, 7);
});
afterAll(async () => {
  await cluster?.stop();
});

describe('auctions through real services', () => {
  test.each(CASES)('%s matches the reference', async (name) => {
    const auction = prepared.get(name) as PreparedAuction;
    expect((await operator.getAuction(auction.auctionId)).sealedBids).toBe(BIDS);

    const ended = await closeAndWait(auction);
    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');

    const result = await auction.bids[0].client.getResult();
    const expected = expectedOutcome(auction.amounts, auction.settings);
    expect(comparable(result)).toEqual(expected);
    expect(result.winnerBidderId).toBe(expected.winner === null ? null : auction.bids[expected.winner].bidderId);
    expect(result.signatures.map((signature) => signature.evaluator)).toEqual([1, 2, 3]);
  });

  test('sealed reserve matches the reference', async () => {
    const auction = prepared.get('sealed reserve') as PreparedAuction;
    expect((await closeAndWait(auction)).state).toBe('settled');
    expect(comparable(await operator.getResult(auction.auctionId))).toEqual(expectedOutcome(auction.amounts, auction.settings));
  });

  test('amount-only tells only the winner', async () => {
    const auction = prepared.get('amount only') as PreparedAuction;
    expect((await closeAndWait(auction)).state).toBe('settled');
    const result = await operator.getResult(auction.auctionId);
    expect(result.outcome.winner).toBeNull();
    expect(result.winnerBidderId).toBeNull();
    expect(result.outcome.price).toBe(expectedOutcome(auction.amounts, auction.settings).price);

    const plain = expectedOutcome(auction.amounts, { ...auction.settings, disclosure: 'public' });
    const won = await Promise.all(auction.bids.map((bid) => bid.client.openWonBit(bid.wonBitSecretKey as string)));
    expect(won).toEqual(auction.bids.map((_, position) => position === plain.winner));
  });
});
