/**
 * The orchestrator is killed with SIGKILL at random moments while bidders
 * keep submitting and amending, then started again on the same data folder.
 * After every restart each bidder's bid in force is its last bid that got
 * its receipts, or a later one whose response the kill cut off. So no
 * acknowledged bid is lost or rolled back. Finally the auction settles with
 * the reference result over the bids in force.
 */
import { jest } from '@jest/globals';

import { BidderClient, OperatorClient } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { comparable, expectedOutcome, openAuction, waitForEnd, type ReferenceSettings } from '../cli/support/e2e.js';

jest.setTimeout(15 * 60_000);

const BIDDERS = 6;
const KILLS = 5;
const SETTINGS: ReferenceSettings = { bits: 24, decimals: 0, direction: 'highest-wins', price: 'first', reserve: null };

interface Bidder {
  id: string;
  client: BidderClient;
  /** Submission ids that came back with receipts, oldest first, with their amounts. */
  receipted: Array<{ submissionId: string; amount: string }>;
  /** Attempts since the last receipted one whose response never arrived. */
  unacknowledged: number;
}

let cluster: Cluster;
let operator: OperatorClient;
let paused = false;
let running = true;
let inFlight = 0;
let cutOff = 0;

beforeAll(async () => {
  cluster = await startCluster({ evaluators: 3 });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
});
afterAll(async () => {
  running = false;
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Submits amendments one after another until stopped, noting which ones were acknowledged. */
async function keepBidding(bidder: Bidder, seed: number): Promise<void> {
  let attempt = 0;
  while (running) {
    if (paused) {
      await sleep(50);
      continue;
    }
    attempt += 1;
    const amount = String(1_000 + seed * 1_000 + attempt);
    inFlight += 1;
    try {
      const bid = await bidder.client.submitBid(amount);
      bidder.receipted.push({ submissionId: bid.submissionId, amount });
      bidder.unacknowledged = 0;
    } catch {
      bidder.unacknowledged += 1;
      cutOff += 1;
      await sleep(100);
    } finally {
      inFlight -= 1;
    }
  }
}

/** Checks every bidder's bid in force against the acknowledgements it received. */
async function checkBids(bidders: Bidder[]): Promise<void> {
  for (const bidder of bidders) {
    const inForce = (await bidder.client.me()).submission;
    const last = bidder.receipted.at(-1);
    expect({ bidder: bidder.id, hasBid: inForce !== null }).toEqual({ bidder: bidder.id, hasBid: true });
    const earlier = bidder.receipted.slice(0, -1).map((entry) => entry.submissionId);
    // An earlier acknowledged bid in force would mean a later acknowledged one was lost.
    expect({ bidder: bidder.id, rolledBack: earlier.includes(inForce!.submissionId) }).toEqual({ bidder: bidder.id, rolledBack: false });
    if (bidder.unacknowledged === 0) {
      expect({ bidder: bidder.id, inForce: inForce!.submissionId }).toEqual({ bidder: bidder.id, inForce: last!.submissionId });
    }
    expect(inForce!.receipts.map((signed) => [signed.receipt.evaluator, signed.receipt.onTime])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
  }
  expect((await operator.getAuction(auctionId)).sealedBids).toBe(bidders.length);
}

let auctionId: string;

function countAcknowledged(bidders: Bidder[]): number {
  return bidders.reduce((sum, bidder) => sum + bidder.receipted.length, 0);
}

async function untilAcknowledgedAfter(bidders: Bidder[], count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (countAcknowledged(bidders) <= count) {
    if (Date.now() > deadline) {
      throw new Error(`no bid was acknowledged within 120 s after ${count} acknowledgements`);
    }
    await sleep(20);
  }
}

test('acknowledged bids survive SIGKILL of the orchestrator', async () => {
  auctionId = await openAuction(operator, 'orchestrator crash', { bits: SETTINGS.bits }, 10 * 60_000);
  const bidders: Bidder[] = [];
  for (let index = 0; index < BIDDERS; index++) {
    const id = `crash-${index}`;
    await operator.registerBidder(`Bidder ${id}`, id);
    const client = new BidderClient({ baseUrl: cluster.orchestratorUrl, auctionId, token: await operator.issueToken(auctionId, id) });
    const first = await client.submitBid(String(500 + index));
    bidders.push({ id, client, receipted: [{ submissionId: first.submissionId, amount: String(500 + index) }], unacknowledged: 0 });
  }

  const loops = bidders.map((bidder, index) => keepBidding(bidder, index));
  for (let kill = 0; kill < KILLS; kill++) {
    // Kill only after a new bid was acknowledged since the last restart, so a slow machine still kills mid-stream.
    await untilAcknowledgedAfter(bidders, countAcknowledged(bidders));
    await sleep(Math.floor(Math.random() * 500));
    await cluster.killOrchestrator();
    paused = true;
    while (inFlight > 0) {
      await sleep(20);
    }
    await cluster.startOrchestrator();
    await checkBids(bidders);
    paused = false;
  }
  running = false;
  await Promise.all(loops);

  expect(countAcknowledged(bidders)).toBeGreaterThanOrEqual(BIDDERS + KILLS);
  // Six bidders are always mid-request, so kills cut some requests off.
  expect(cutOff).toBeGreaterThan(0);
  await checkBids(bidders);

  // A last acknowledged bid each, without kills, makes every amount in force known for the reference.
  const amounts = new Map<string, string>();
  for (const [index, bidder] of bidders.entries()) {
    const amount = String(90_000 + index * 7);
    await bidder.client.submitBid(amount);
    amounts.set(bidder.id, amount);
  }

  await operator.closeAuction(auctionId);
  const ended = await waitForEnd(operator, auctionId);
  expect(ended.stateReason).toBeNull();
  expect(ended.state).toBe('settled');
  const set = await operator.submissionSet(auctionId);
  const ordered = set.bids.map((bid) => amounts.get(bid.bidderId) as string);
  expect(comparable(await operator.getResult(auctionId))).toEqual(expectedOutcome(ordered, SETTINGS));
});
