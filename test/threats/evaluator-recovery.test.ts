/**
 * Recovery from a failed run against scripted evaluators. A run that failed
 * for lack of an evaluator is given up, and a new run over the same set
 * starts once every evaluator is back. The auction fails when one is not
 * back within SEALBID_RECOVERY_TIMEOUT_MS. No new run starts after a failure
 * that a new run would repeat, or when it could change a lottery draw.
 */
import { BidderClient, OperatorClient } from '../../src/client/index.js';
import { generateSigningKeyPair, signResult, toBase64Url, type PublicOutcome } from '../../src/crypto/index.js';
import { judgeRun } from '../../src/orchestrator/computation/run-verdict.js';
import type { PinnedEvaluator } from '../../src/orchestrator/config/evaluator-list.js';
import { OPERATOR_KEY, startHarness, waitFor, type Harness } from '../orchestrator/support/orchestrator-harness.js';

const SALE: PublicOutcome = { status: 'settled', noSaleReason: null, winner: 0, price: '40', validBids: 2, rejected: [] };
const RECOVERY_MS = 1_500;

let harness: Harness;
let operator: OperatorClient;

beforeAll(async () => {
  harness = await startHarness(3, { SEALBID_RECOVERY_TIMEOUT_MS: String(RECOVERY_MS) });
  operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
});
afterEach(() => {
  for (const fake of harness.fakes) {
    Object.assign(fake.script, { outcome: null, failRunIds: new Set(), failCode: 'protocol-aborted', healthy: true });
  }
});
afterAll(async () => {
  await harness?.stop();
});

async function closedAuction(settings: Parameters<OperatorClient['createAuction']>[1] = {}): Promise<string> {
  const auction = await operator.createAuction('Lot', settings);
  await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
  for (const [index, amount] of ['40', '30'].entries()) {
    const bidderId = `${auction.id.slice(0, 8)}-r${index}`;
    await operator.registerBidder(`Bidder ${index}`, bidderId);
    await new BidderClient({ baseUrl: harness.url, auctionId: auction.id, token: await operator.issueToken(auction.id, bidderId) }).submitBid(amount);
  }
  for (const fake of harness.fakes) {
    fake.script.outcome = SALE;
  }
  return auction.id;
}

async function finalState(auctionId: string) {
  return waitFor(`auction ${auctionId} to end`, async () => {
    const auction = await operator.getAuction(auctionId);
    return ['settled', 'failed'].includes(auction.state) ? auction : undefined;
  }, 20_000);
}

function runsOf(auctionId: string): string[][] {
  return harness.fakes.map((fake) => [...fake.runs.keys()].filter((runId) => runId.startsWith(auctionId)).sort());
}

describe('failed runs', () => {
  test('an unavailable evaluator gets a new run', async () => {
    const auctionId = await closedAuction();
    harness.fakes[0].script.failRunIds = new Set([`${auctionId}.run-1`]);
    harness.fakes[0].script.failCode = 'peer-disconnected';
    await operator.closeAuction(auctionId);

    const ended = await finalState(auctionId);
    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');
    expect((await operator.getResult(auctionId)).runId).toBe(`${auctionId}.run-2`);
    expect(runsOf(auctionId)).toEqual(Array(3).fill([`${auctionId}.run-1`, `${auctionId}.run-2`]));
  });

  test('fails when an evaluator stays away', async () => {
    const auctionId = await closedAuction();
    harness.fakes[0].script.failRunIds = new Set([`${auctionId}.run-1`]);
    harness.fakes[0].script.failCode = 'round-timeout';
    harness.fakes[2].script.healthy = false;
    await operator.closeAuction(auctionId);

    const ended = await finalState(auctionId);
    expect(ended.state).toBe('failed');
    expect(ended.stateReason).toMatch(
      new RegExp(`^result not published: an evaluator did not come back within 1.5 s after run ${auctionId}.run-1 failed: evaluator 3 is up but not connected to every peer; last failure: evaluator 1 reported that the run failed: round-timeout`),
    );
    expect(runsOf(auctionId)).toEqual(Array(3).fill([`${auctionId}.run-1`]));
  });

  test('a failure a new run would repeat is final', async () => {
    const auctionId = await closedAuction();
    harness.fakes[1].script.failRunIds = new Set([`${auctionId}.run-1`]);
    harness.fakes[1].script.failCode = 'submission-set-mismatch';
    await operator.closeAuction(auctionId);

    const ended = await finalState(auctionId);
    expect(ended.stateReason).toMatch(/^result not published: evaluator 2 reported that the run failed: submission-set-mismatch/);
    expect(runsOf(auctionId)).toEqual(Array(3).fill([`${auctionId}.run-1`]));
  });

  test('a lottery is not drawn twice', async () => {
    const auctionId = await closedAuction({ ties: 'lottery' });
    harness.fakes[2].script.failRunIds = new Set([`${auctionId}.run-1`]);
    harness.fakes[2].script.failCode = 'peer-disconnected';
    await operator.closeAuction(auctionId);

    const ended = await finalState(auctionId);
    expect(ended.state).toBe('failed');
    expect(ended.stateReason).toMatch(/a new run would draw the tie lottery again, so none is started$/);
  });
});

describe('run verdict', () => {
  const keys = [1, 2, 3].map(() => generateSigningKeyPair());
  const evaluators: PinnedEvaluator[] = keys.map((key, index) => ({
    party: index + 1,
    url: 'http://127.0.0.1:1',
    signingKey: toBase64Url(key.publicKey),
    sealingKey: toBase64Url(key.publicKey),
    token: 'x'.repeat(32),
  }));
  const expected = { auctionId: 'a-1', runId: 'a-1.run-1', submissionSetHash: 'f'.repeat(64) };
  const context = { expected, evaluators, degree: 1, lottery: false };
  const signed = (party: number, key = keys[party - 1].secretKey) => {
    const statement = { ...expected, outcome: SALE };
    return { party, result: { statement, signature: signResult(statement, key), wonBits: null } };
  };

  test('publishes when all agree', () => {
    expect(judgeRun(context, [signed(1), signed(2), signed(3)]).kind).toBe('publish');
  });

  test('retries transient failures only', () => {
    const lost = { party: 3, error: 'reported that the run failed: peer-disconnected: lost party 1', transient: true };
    expect(judgeRun(context, [signed(1), signed(2), lost])).toMatchObject({ kind: 'retry' });
    expect(judgeRun(context, [signed(1), signed(2), { ...lost, transient: false }])).toMatchObject({ kind: 'fail' });
  });

  test('a forged result is not retried away', () => {
    const lost = { party: 3, error: 'did not report a final state', transient: true };
    const verdict = judgeRun(context, [signed(1), signed(2, generateSigningKeyPair().secretKey), lost]);
    expect(verdict.kind).toBe('fail');
    expect((verdict as { reason: string }).reason).toMatch(/evaluator 2 returned a result whose signature does not verify/);
  });
});
