/**
 * Authentication, authorisation and channel policy. Operator routes need the
 * operator key, and a bidder token works only for its own bidder and
 * auction. A bidder cannot submit envelopes bound to another bidder. A peer
 * channel without TLS is allowed on loopback addresses only, unless the
 * operator allows it explicitly.
 */
import { BidderClient, OperatorClient, SealbidApiError, sealAmount } from '../../src/client/index.js';
import { toBase64Url } from '../../src/crypto/index.js';
import { incomingPeerProblem, isLoopback } from '../../src/evaluator/common/loopback.js';
import { loadEvaluatorConfig } from '../../src/evaluator/config/evaluator-config.js';
import { OPERATOR_KEY, startHarness, type Harness } from '../orchestrator/support/orchestrator-harness.js';

let harness: Harness;
let operator: OperatorClient;

beforeAll(async () => {
  harness = await startHarness();
  operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
});
afterAll(async () => {
  await harness?.stop();
});

async function openAuction(): Promise<string> {
  const auction = await operator.createAuction('Lot', { decimals: 2 });
  await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
  return auction.id;
}

async function admit(auctionId: string, bidderId: string): Promise<{ client: BidderClient; token: string }> {
  await operator.registerBidder(`Bidder ${bidderId}`, bidderId).catch((error: SealbidApiError) => {
    if (error.status !== 409) throw error;
  });
  const token = await operator.issueToken(auctionId, bidderId);
  return { client: new BidderClient({ baseUrl: harness.url, auctionId, token }), token };
}

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${harness.url}/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error: string; message: string } };
}

function operatorRoutes(auctionId: string): Array<[string, string, unknown?]> {
  return [
    ['POST', '/auctions', { title: 'x' }],
    ['PATCH', `/auctions/${auctionId}`, { title: 'y' }],
    ['POST', `/auctions/${auctionId}/open`, {}],
    ['POST', `/auctions/${auctionId}/close`, {}],
    ['POST', `/auctions/${auctionId}/cancel`, { reason: 'no' }],
    ['GET', `/auctions/${auctionId}/submission-set`],
    ['POST', '/bidders', { name: 'mallory' }],
    ['GET', '/bidders'],
    ['POST', `/auctions/${auctionId}/participants`, { bidderId: 'mallory' }],
    ['GET', `/auctions/${auctionId}/participants`],
    ['POST', `/auctions/${auctionId}/exclusions`, { bidderId: 'x', reason: 'y' }],
    ['POST', `/auctions/${auctionId}/reserve`, { submissionId: crypto.randomUUID(), envelopes: [] }],
  ];
}

describe('operator key', () => {
  test('every operator route needs it', async () => {
    const auctionId = await openAuction();
    const { token } = await admit(auctionId, 'op-check');
    const attempts: Array<[string, Record<string, string>]> = [
      ['no key', {}],
      ['wrong key', { 'x-api-key': 'not-the-operator-key-000000' }],
      ['bidder token', { authorization: `Bearer ${token}` }],
    ];
    for (const [method, path, body] of operatorRoutes(auctionId)) {
      for (const [label, headers] of attempts) {
        const response = await call(method, path, headers, body);
        expect({ route: `${method} ${path}`, label, status: response.status, error: response.body.error }).toEqual({
          route: `${method} ${path}`,
          label,
          status: 401,
          error: 'unauthorized',
        });
      }
    }
    expect((await operator.getAuction(auctionId)).state).toBe('open');
  });
});

describe('bidder tokens', () => {
  test('work only for their own auction', async () => {
    const mine = await openAuction();
    const other = await openAuction();
    const { token } = await admit(mine, 'scoped');
    await admit(other, 'scoped');

    for (const [method, path] of [
      ['GET', `/auctions/${other}/me`],
      ['GET', `/auctions/${other}/won-bit`],
      ['POST', `/auctions/${other}/submissions`],
    ] as const) {
      const response = await call(method, path, { authorization: `Bearer ${token}` }, method === 'POST' ? {} : undefined);
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({ route: `${method} ${path}`, status: 401 });
    }
    const me = await call('GET', `/auctions/${mine}/me`, { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect((me.body as unknown as { bidderId: string }).bidderId).toBe('scoped');
  });

  test('cannot bid as another bidder', async () => {
    const auctionId = await openAuction();
    const victim = await admit(auctionId, 'victim');
    const first = await victim.client.submitBid('10.00');
    const attacker = await admit(auctionId, 'attacker');

    // Envelopes sealed for the victim's id, sent with the attacker's token: the orchestrator
    // forwards them under the attacker's id, so they fail to open at every evaluator.
    const set = await operator.getEvaluators();
    const submissionId = crypto.randomUUID();
    const sealed = sealAmount(99_999n, { auctionId, bidderId: 'victim', submissionId, bits: 32 }, set);
    const envelopes = sealed.map((item) => ({ evaluator: item.evaluator, envelope: item.envelope }));
    const response = await call('POST', `/auctions/${auctionId}/submissions`, { authorization: `Bearer ${attacker.token}` }, { submissionId, envelopes });

    expect(response.status).toBe(422);
    expect(response.body.error).toBe('invalid-envelope');
    expect(response.body.message).toMatch(/evaluator 1 .*failed authentication/);
    expect((await victim.client.me()).submission?.submissionId).toBe(first.submissionId);
    expect((await attacker.client.me()).submission).toBeNull();
  });
});

describe('peer channel without TLS', () => {
  const key = toBase64Url(new Uint8Array(32).fill(7));
  const env = (host2: string, host3: string, extra: Record<string, string> = {}) => ({
    SEALBID_EVALUATOR_INDEX: '1',
    SEALBID_ORCHESTRATOR_TOKEN: 'x'.repeat(32),
    SEALBID_PEERS: JSON.stringify([
      { index: 2, url: `${host2}/v1/peers`, signingPublicKey: key },
      { index: 3, url: `${host3}/v1/peers`, signingPublicKey: key },
    ]),
    ...extra,
  });

  test('dials loopback or TLS only by default', () => {
    expect(() => loadEvaluatorConfig(env('ws://10.0.0.2:7102', 'ws://127.0.0.1:7103'))).toThrow(
      /SEALBID_PEERS\[0\]\.url uses ws:\/\/ \(no TLS\) to 10\.0\.0\.2.*SEALBID_ALLOW_INSECURE_PEERS=true/,
    );
    expect(() => loadEvaluatorConfig(env('ws://127.0.0.1:7102', 'ws://evaluator-3:7103'))).toThrow(/SEALBID_PEERS\[1\]\.url uses ws:\/\//);
    expect(loadEvaluatorConfig(env('wss://10.0.0.2:7102', 'ws://localhost:7103')).allowInsecurePeers).toBe(false);
    expect(loadEvaluatorConfig(env('ws://[::1]:7102', 'ws://127.0.0.1:7103')).peers).toHaveLength(2);
  });

  test('dials anywhere when allowed', () => {
    const config = loadEvaluatorConfig(env('ws://10.0.0.2:7102', 'ws://evaluator-3:7103', { SEALBID_ALLOW_INSECURE_PEERS: 'true' }));
    expect(config.allowInsecurePeers).toBe(true);
    expect(() => loadEvaluatorConfig(env('ws://127.0.0.1:7102', 'ws://127.0.0.1:7103', { SEALBID_ALLOW_INSECURE_PEERS: 'yes' }))).toThrow(
      /SEALBID_ALLOW_INSECURE_PEERS must be true or false/,
    );
  });

  test('accepts plain connections from loopback only', () => {
    expect(incomingPeerProblem('127.0.0.1', false, false)).toBeNull();
    expect(incomingPeerProblem('::ffff:127.0.0.1', false, false)).toBeNull();
    expect(incomingPeerProblem('::1', false, false)).toBeNull();
    expect(incomingPeerProblem('10.0.0.2', true, false)).toBeNull();
    expect(incomingPeerProblem('10.0.0.2', false, true)).toBeNull();
    expect(incomingPeerProblem('10.0.0.2', false, false)).toMatch(/from 10\.0\.0\.2 without TLS refused/);
    expect(incomingPeerProblem('::ffff:192.168.1.4', false, false)).toMatch(/without TLS refused/);
    expect(incomingPeerProblem(undefined, false, false)).toMatch(/unknown address/);
  });

  test('recognises loopback names', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) {
      expect({ host, loopback: isLoopback(host) }).toEqual({ host, loopback: true });
    }
    for (const host of ['10.0.0.1', '128.0.0.1', '::2', 'example.com', 'localhost.example.com', '::ffff:10.0.0.1', '']) {
      expect({ host, loopback: isLoopback(host) }).toEqual({ host, loopback: false });
    }
  });
});
