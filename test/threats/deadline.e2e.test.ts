/**
 * Deadlines with real processes whose clocks disagree: the orchestrator runs
 * 3 s ahead and evaluator 2 runs 8 s ahead of the other evaluators. Each
 * service rejects a late bid by its own clock, and an evaluator's rejection
 * comes with its signed receipt stating onTime false. A rejected amendment
 * leaves the earlier bid in force, and a bid accepted before every close
 * counts.
 */
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { BidderClient, OperatorClient, SealbidApiError, type SignedReceipt } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { fromBase64Url, verifyReceipt } from '../../src/crypto/index.js';
import { comparable, expectedOutcome, submitOne, waitForEnd, type ReferenceSettings, type TestBid } from '../cli/support/e2e.js';

jest.setTimeout(5 * 60_000);

const ORCHESTRATOR_SKEW_MS = 3_000;
const EVALUATOR_2_SKEW_MS = 8_000;
const CLOSE_IN_MS = 25_000;
const SKEW_MODULE = join(process.cwd(), 'test', 'threats', 'support', 'clock-skew.mjs');
const SETTINGS: ReferenceSettings = { bits: 32, decimals: 0, direction: 'highest-wins', price: 'first', reserve: null };

let cluster: Cluster;
let operator: OperatorClient;

beforeAll(async () => {
  const skewed = (ms: number) => ({ execArgv: ['--import', SKEW_MODULE], env: { SEALBID_TEST_CLOCK_SKEW_MS: String(ms) } });
  cluster = await startCluster({
    evaluators: 3,
    services: { orchestrator: skewed(ORCHESTRATOR_SKEW_MS), 'evaluator-2': skewed(EVALUATOR_2_SKEW_MS) },
  });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
});
afterAll(async () => {
  await cluster?.stop();
});

/** Waits until `msBefore` milliseconds before the real closing time. */
async function until(closesAt: number, msBefore: number): Promise<void> {
  const wait = closesAt - msBefore - Date.now();
  if (wait < 0) {
    throw new Error(`the test ran ${-wait} ms behind its schedule; the machine is too busy for this timing`);
  }
  await new Promise((resolve) => setTimeout(resolve, wait));
}

async function rejection(promise: Promise<unknown>): Promise<SealbidApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SealbidApiError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the bid to be refused');
}

function expectOnTime(receipts: SignedReceipt[]): void {
  expect(receipts.map((signed) => signed.receipt.evaluator)).toEqual([1, 2, 3]);
  for (const signed of receipts) {
    expect(signed.receipt.onTime).toBe(true);
  }
}

describe('deadlines by each clock', () => {
  test('late bids are refused by each service', async () => {
    // The orchestrator's clock is ahead, so it takes the closing time as its own now + CLOSE_IN_MS.
    const auction = await operator.createAuction('clock skew', { bits: SETTINGS.bits, decimals: SETTINGS.decimals });
    const closesAt = Date.now() + CLOSE_IN_MS;
    await operator.openAuction(auction.id, new Date(closesAt).toISOString());

    // Admitted now, because bidders can be admitted only while the auction is open.
    await operator.registerBidder('Bidder too-late', 'too-late');
    const tooLateBidder = new BidderClient({
      baseUrl: cluster.orchestratorUrl,
      auctionId: auction.id,
      token: await operator.issueToken(auction.id, 'too-late'),
    });

    const bids: TestBid[] = [];
    bids.push(await submitOne(cluster, operator, auction.id, 'early-a', '500'));
    bids.push(await submitOne(cluster, operator, auction.id, 'early-b', '700'));
    expectOnTime((await bids[0].client.me()).submission?.receipts ?? []);

    // Just before evaluator 2's close, which comes first: accepted everywhere and counted.
    await until(closesAt, EVALUATOR_2_SKEW_MS + 2_500);
    const lastMinute = await submitOne(cluster, operator, auction.id, 'last-minute', '600');
    expectOnTime((await lastMinute.client.me()).submission?.receipts ?? []);
    bids.push(lastMinute);

    // After evaluator 2's close but before the orchestrator's: evaluator 2 refuses by its clock.
    await until(closesAt, 5_500);
    const before = await bids[1].client.me();
    const amendment = await rejection(bids[1].client.submitBid('9000'));
    expect(amendment.status).toBe(409);
    expect(amendment.message).toMatch(/evaluator 2 received the envelope after the auction closed by its clock/);
    const late = (amendment.body?.receipts ?? []) as SignedReceipt[];
    expect(late).toHaveLength(1);
    expect(late[0].receipt).toMatchObject({ auctionId: auction.id, bidderId: 'early-b', evaluator: 2, onTime: false });
    expect(Date.parse(late[0].receipt.receivedAt)).toBeGreaterThanOrEqual(closesAt);
    expect(verifyReceipt(late[0].receipt, late[0].signature, fromBase64Url(cluster.evaluators[1].signingKey))).toBe(true);
    expect((await bids[1].client.me()).submission?.submissionId).toBe(before.submission?.submissionId);

    // After the orchestrator's close, which evaluators 1 and 3 have not reached: refused by the orchestrator.
    await until(closesAt, 1_500);
    const tooLate = await rejection(tooLateBidder.submitBid('99999'));
    expect(tooLate.status).toBe(409);
    expect(tooLate.message).toMatch(/by the orchestrator's clock|sealed submissions are accepted only while it is open/);

    const ended = await waitForEnd(operator, auction.id);
    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');
    expect(ended.sealedBids).toBe(3);
    const result = await operator.getResult(auction.id);
    expect(comparable(result)).toEqual(expectedOutcome(['500', '700', '600'], SETTINGS));
  });
});
