/**
 * Restarts with real processes: neither an orchestrator restart nor an
 * evaluator restart while an auction is open loses an accepted bid.
 */
import { jest } from '@jest/globals';

import { OperatorClient } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { comparable, expectedOutcome, openAuction, submitBids, testAmounts, waitForEnd, type ReferenceSettings } from './support/e2e.js';

jest.setTimeout(10 * 60_000);

const SETTINGS: ReferenceSettings = { bits: 32, decimals: 2, direction: 'highest-wins', price: 'second', reserve: null };
const CLOSE_IN_MS = 120_000;

let cluster: Cluster;
let operator: OperatorClient;
const exits: Array<{ service: string; description: string; logFile: string }> = [];

beforeAll(async () => {
  cluster = await startCluster({ evaluators: 3, onExit: (service, description, logFile) => exits.push({ service, description, logFile }) });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
});
afterAll(async () => {
  await cluster?.stop();
});

async function openWithBids(title: string, amounts: string[]) {
  const auctionId = await openAuction(operator, title, { bits: SETTINGS.bits, decimals: SETTINGS.decimals, price: SETTINGS.price }, CLOSE_IN_MS);
  const bids = await submitBids(cluster, operator, auctionId, amounts, `${auctionId.slice(0, 8)}-a`);
  return { auctionId, bids };
}

async function finishAndCompare(auctionId: string, amounts: string[]) {
  expect((await operator.getAuction(auctionId)).sealedBids).toBe(amounts.length);
  await operator.closeAuction(auctionId);
  const ended = await waitForEnd(operator, auctionId);
  expect(ended.stateReason).toBeNull();
  expect(ended.state).toBe('settled');
  expect(comparable(await operator.getResult(auctionId))).toEqual(expectedOutcome(amounts, SETTINGS));
}

describe('restarts while an auction is open', () => {
  test('orchestrator restart keeps accepted bids', async () => {
    const amounts = testAmounts(15, 11);
    const { auctionId } = await openWithBids('orchestrator restart', amounts.slice(0, 10));

    await cluster.restartOrchestrator();
    expect((await operator.getAuction(auctionId)).state).toBe('open');
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(10);

    await submitBids(cluster, operator, auctionId, amounts.slice(10), `${auctionId.slice(0, 8)}-b`);
    await finishAndCompare(auctionId, amounts);
  });

  test('evaluator restart keeps accepted bids', async () => {
    const amounts = testAmounts(15, 12);
    const { auctionId } = await openWithBids('evaluator restart', amounts.slice(0, 10));

    await cluster.restartEvaluator(2);

    await submitBids(cluster, operator, auctionId, amounts.slice(10), `${auctionId.slice(0, 8)}-b`);
    await finishAndCompare(auctionId, amounts);
  });

  test('amendment before a restart stays in force', async () => {
    const amounts = testAmounts(5, 13);
    const { auctionId, bids } = await openWithBids('amendment', amounts);
    await bids[0].client.submitBid('9999.99');

    await cluster.restartOrchestrator();
    await cluster.restartEvaluator(1);

    // An amendment is ordered by its own acceptance, so it comes after every other bid.
    await finishAndCompare(auctionId, [...amounts.slice(1), '9999.99']);
  });

  test('reports a crash but not a restart', async () => {
    expect(exits).toEqual([]);
    const evaluator = cluster.evaluators[2];

    process.kill(evaluator.pid as number, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (exits.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    expect(exits).toEqual([{ service: 'evaluator-3', description: 'signal SIGKILL', logFile: evaluator.logFile }]);
  });
});
