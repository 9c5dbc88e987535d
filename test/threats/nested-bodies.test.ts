/**
 * Arrays and other non-objects where a request body expects nested objects
 * get 400, not 500. The fuzz test found that the evaluator returned 500 for
 * a compute request whose bid list contained an array.
 */
import type { RunningEvaluator } from '../../src/evaluator/bootstrap.js';
import { TOKEN } from '../evaluator/support/cluster.js';
import { startLoneEvaluator, type LoneEvaluator } from '../evaluator/support/lone-evaluator.js';
import { OPERATOR_KEY, startHarness, type Harness } from '../orchestrator/support/orchestrator-harness.js';

let harness: Harness;
let lone: LoneEvaluator;
let evaluator: RunningEvaluator;

beforeAll(async () => {
  harness = await startHarness();
  lone = await startLoneEvaluator();
  evaluator = lone.evaluator;
});

afterAll(async () => {
  await lone?.stop();
  await harness?.stop();
});

async function post(url: string, headers: Record<string, string>, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { message: string | string[] } };
}

describe('nested request bodies', () => {
  test('evaluator compute rejects non-object bids', async () => {
    const auctionId = 'nested-1';
    const register = await fetch(`${evaluator.url}/v1/auctions/${auctionId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        rules: { bits: 8, direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'public' },
        closesAt: new Date(Date.now() - 1000 + 2000).toISOString(),
        parties: 3,
        degree: 1,
      }),
    });
    expect(register.status).toBe(201);

    for (const bids of [[[]], [null], ['b1'], [7], [{ bidderId: 'b1', submissionId: 's1' }, []]]) {
      const response = await post(`${evaluator.url}/v1/auctions/${auctionId}/compute`, { authorization: `Bearer ${TOKEN}` }, { runId: 'nested-1.run-1', bids });
      expect({ bids, status: response.status }).toEqual({ bids, status: 400 });
      expect({ bids, message: String(response.body.message) }).toEqual({ bids, message: expect.stringMatching(/bids/) });
    }
  });

  test('orchestrator rejects non-object envelopes', async () => {
    const created = await post(`${harness.url}/v1/auctions`, { 'x-api-key': OPERATOR_KEY }, { title: 'Lot' });
    const auctionId = (created.body as unknown as { id: string }).id;
    const submissionId = crypto.randomUUID();
    const bodies: unknown[] = [
      { submissionId, envelopes: [[]] },
      { submissionId, envelopes: [null] },
      { submissionId, envelopes: [{ evaluator: 1, envelope: [] }] },
      { submissionId, envelopes: [{ evaluator: 1, envelope: 'x' }] },
    ];
    for (const body of bodies) {
      const response = await post(`${harness.url}/v1/auctions/${auctionId}/reserve`, { 'x-api-key': OPERATOR_KEY }, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    for (const reserve of [[], 'none', 5]) {
      const response = await post(`${harness.url}/v1/auctions`, { 'x-api-key': OPERATOR_KEY }, { title: 'Lot', reserve });
      expect({ reserve, status: response.status }).toEqual({ reserve, status: 400 });
    }
  });
});
