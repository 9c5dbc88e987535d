/**
 * Evaluator faults during a computation, with real processes. Evaluator 1
 * delays every protocol message so that a run lasts several seconds. Then
 * evaluator 3 is killed and restarted, killed for good, or paused (SIGSTOP)
 * so that it stops responding mid-round. A run that lost an evaluator aborts,
 * a new run settles the auction with the reference result once the
 * evaluator is back, and the auction fails naming the evaluator when it does
 * not come back in time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { OperatorClient } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { comparable, expectedOutcome, openAuction, submitBids, testAmounts, waitForEnd, type ReferenceSettings } from '../cli/support/e2e.js';

jest.setTimeout(10 * 60_000);

const FAULT_MODULE = join(process.cwd(), 'test', 'threats', 'support', 'faulty-evaluator.ts');
const SETTINGS: ReferenceSettings = { bits: 20, decimals: 2, direction: 'highest-wins', price: 'second', reserve: null };
const RECOVERY_MS = 15_000;
const ROUND_TIMEOUT_MS = 3_000;

let cluster: Cluster;
let operator: OperatorClient;

beforeAll(async () => {
  cluster = await startCluster({
    evaluators: 3,
    env: { SEALBID_ROUND_TIMEOUT_MS: String(ROUND_TIMEOUT_MS), SEALBID_RECOVERY_TIMEOUT_MS: String(RECOVERY_MS) },
    services: {
      'evaluator-1': { execArgv: ['--import', FAULT_MODULE], env: { SEALBID_TEST_FAULT: 'slow-rounds', SEALBID_TEST_SEND_DELAY_MS: '150' } },
    },
  });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
});
afterAll(async () => {
  await cluster?.stop();
});

/** Opens an auction with bids, closes it and waits until its run has been computing for a while. */
async function computingAuction(title: string, seed: number) {
  const amounts = testAmounts(8, seed);
  const auctionId = await openAuction(operator, title, { bits: SETTINGS.bits, decimals: SETTINGS.decimals, price: SETTINGS.price }, 60_000);
  await submitBids(cluster, operator, auctionId, amounts, auctionId.slice(0, 8));
  await operator.closeAuction(auctionId);
  const deadline = Date.now() + 30_000;
  while ((await operator.getAuction(auctionId)).state !== 'computing') {
    if (Date.now() > deadline) {
      throw new Error(`auction ${auctionId} did not start computing`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The delayed messages make the run last several seconds; stop it well inside.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return { auctionId, amounts };
}

describe('evaluator faults during a run', () => {
  test('killed evaluator is back: a new run settles', async () => {
    const { auctionId, amounts } = await computingAuction('killed and back', 21);
    await cluster.killEvaluator(3);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await cluster.startEvaluator(3);

    const ended = await waitForEnd(operator, auctionId);
    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');
    const result = await operator.getResult(auctionId);
    expect(result.runId).not.toBe(`${auctionId}.run-1`);
    expect(comparable(result)).toEqual(expectedOutcome(amounts, SETTINGS));
  });

  test('evaluator that does not come back fails the auction', async () => {
    const { auctionId } = await computingAuction('killed for good', 22);
    await cluster.killEvaluator(3);
    try {
      const ended = await waitForEnd(operator, auctionId, RECOVERY_MS + 60_000);
      expect(ended.state).toBe('failed');
      expect(ended.stateReason).toMatch(
        new RegExp(`^result not published: an evaluator did not come back within ${RECOVERY_MS / 1000} s after run ${auctionId}\\.run-1 failed: evaluator 3 is unreachable`),
      );
      expect(ended.stateReason).toMatch(/peer-disconnected: lost connection to party 3/);
    } finally {
      await cluster.startEvaluator(3);
    }
  });

  test('peer that stops answering times out, then a new run settles', async () => {
    const { auctionId, amounts } = await computingAuction('paused', 23);
    const pid = cluster.evaluators[2].pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      await new Promise((resolve) => setTimeout(resolve, ROUND_TIMEOUT_MS + 3_000));
      for (const evaluator of cluster.evaluators.slice(0, 2)) {
        const log = readFileSync(evaluator.logFile, 'utf8');
        expect(log).toMatch(
          new RegExp(`run ${auctionId}\\.run-1 of auction ${auctionId} failed \\((round-timeout|peer-failed)\\)`),
        );
      }
      const timedOut = cluster.evaluators.slice(0, 2).filter((evaluator) => {
        return new RegExp(`failed \\(round-timeout\\): run ${auctionId}\\.run-1 timed out after ${ROUND_TIMEOUT_MS} ms in round \\d+ \\(\\w+\\) waiting for parties 3`).test(
          readFileSync(evaluator.logFile, 'utf8'),
        );
      });
      expect(timedOut.length).toBeGreaterThan(0);
    } finally {
      process.kill(pid, 'SIGCONT');
    }

    const ended = await waitForEnd(operator, auctionId);
    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');
    expect(comparable(await operator.getResult(auctionId))).toEqual(expectedOutcome(amounts, SETTINGS));
  });
});
