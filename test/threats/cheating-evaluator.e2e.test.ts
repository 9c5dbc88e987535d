/**
 * A dishonest evaluator among real processes: evaluator 2 runs with a
 * fault-injecting module that a file switches between auctions. A wrong
 * opening share or a different signed result publishes nothing, and the
 * auction fails naming the evaluator wherever the signed reports allow it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { OperatorClient } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { comparable, expectedOutcome, openAuction, submitBids, waitForEnd, type ReferenceSettings } from '../cli/support/e2e.js';

jest.setTimeout(10 * 60_000);

const FAULT_MODULE = join(process.cwd(), 'test', 'threats', 'support', 'faulty-evaluator.ts');
const SETTINGS: ReferenceSettings = { bits: 16, decimals: 0, direction: 'highest-wins', price: 'second', reserve: null };
const AMOUNTS = ['120', '450', '300', '451', '90'];

let cluster: Cluster;
let operator: OperatorClient;
let faultDir: string;
let faultFile: string;

beforeAll(async () => {
  faultDir = mkdtempSync(join(tmpdir(), 'sealbid-fault-'));
  faultFile = join(faultDir, 'fault');
  writeFileSync(faultFile, '');
  cluster = await startCluster({
    evaluators: 3,
    services: { 'evaluator-2': { execArgv: ['--import', FAULT_MODULE], env: { SEALBID_TEST_FAULT: `file:${faultFile}` } } },
  });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(faultDir, { recursive: true, force: true });
});

/** Runs one auction with evaluator 2 set to the fault, and returns how it ended. */
async function auctionWithFault(fault: string, title: string) {
  writeFileSync(faultFile, fault);
  const auctionId = await openAuction(operator, title, { bits: SETTINGS.bits, price: SETTINGS.price }, 60_000);
  await submitBids(cluster, operator, auctionId, AMOUNTS, `${auctionId.slice(0, 8)}`);
  await operator.closeAuction(auctionId);
  const ended = await waitForEnd(operator, auctionId);
  writeFileSync(faultFile, '');
  return { auctionId, ended };
}

describe('dishonest evaluator', () => {
  test('wrong opening share is named', async () => {
    const { auctionId, ended } = await auctionWithFault('wrong-opening-share', 'wrong share');

    expect(ended.state).toBe('failed');
    expect(ended.stateReason).toMatch(/^result not published: the opening in round \d+ of run \S+ was inconsistent at evaluators 1, 3/);
    expect(ended.stateReason).toMatch(/the signed opening transcripts show that evaluator 2 sent a wrong share/);
    await expect(operator.getResult(auctionId)).rejects.toMatchObject({ status: 404 });
  });

  test('share sent wrong to one peer names two suspects', async () => {
    const { auctionId, ended } = await auctionWithFault('wrong-opening-share-to-1', 'equivocated share');

    expect(ended.state).toBe('failed');
    expect(ended.stateReason).toMatch(/was inconsistent at evaluator 1;/);
    expect(ended.stateReason).toMatch(/fit a wrong share from any of evaluators 1, 2, so no single evaluator can be named/);
    await expect(operator.getResult(auctionId)).rejects.toMatchObject({ status: 404 });
  });

  test('different signed result is named', async () => {
    const { auctionId, ended } = await auctionWithFault('wrong-result', 'wrong result');

    expect(ended.state).toBe('failed');
    expect(ended.stateReason).toBe('result not published: evaluator 2 signed a different outcome than the other evaluators');
    await expect(operator.getResult(auctionId)).rejects.toMatchObject({ status: 404 });
  });

  test('honest again settles correctly', async () => {
    const { auctionId, ended } = await auctionWithFault('', 'honest');

    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');
    expect(comparable(await operator.getResult(auctionId))).toEqual(expectedOutcome(AMOUNTS, SETTINGS));
  });
});
