/**
 * Fuzz test against real processes on 127.0.0.1: 10,000 random and mutated
 * requests to every HTTP route of the orchestrator and 10,000 to evaluator 1,
 * plus random WebSocket frames to the event and peer endpoints. No request
 * may get a 5xx, no process may exit, and the accepted bids must be exactly
 * as before. The auction then settles with the reference result.
 *
 * Run with `npm run test:slow`. SEALBID_FUZZ_SEED repeats a run.
 */
import { jest } from '@jest/globals';
import WebSocket from 'ws';

import { OperatorClient, sealAmount, type EvaluatorSet, type SignedReceipt } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { comparable, expectedOutcome, openAuction, waitForEnd, type ReferenceSettings } from '../cli/support/e2e.js';
import { encodeBody, encodePart, mutate, pathId, Random, randomValue, type FuzzRequest } from './support/fuzz.js';

jest.setTimeout(30 * 60_000);

const REQUESTS_PER_SERVICE = 10_000;
const WORKERS = 8;
const SEED = Number(process.env.SEALBID_FUZZ_SEED ?? Date.now() % 2 ** 31);
const SETTINGS: ReferenceSettings = { bits: 32, decimals: 0, direction: 'highest-wins', price: 'second', reserve: null };
const AMOUNTS = ['310', '720', '505', '690', '100'];

interface Bidder {
  id: string;
  token: string;
  submissionId: string;
  envelopes: Array<{ evaluator: number; envelope: unknown }>;
  receipts: SignedReceipt[];
}

let cluster: Cluster;
let operator: OperatorClient;
let set: EvaluatorSet;
let target: string;
let decoy: string;
const bidders: Bidder[] = [];

beforeAll(async () => {
  cluster = await startCluster({ evaluators: 3 });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
  set = await operator.getEvaluators();
  target = await openAuction(operator, 'fuzz target', { bits: SETTINGS.bits, price: SETTINGS.price }, 30 * 60_000);
  decoy = (await operator.createAuction('fuzz decoy', {})).id;

  for (const [index, amount] of AMOUNTS.entries()) {
    const id = `fz-${index}`;
    await operator.registerBidder(`Bidder ${id}`, id);
    const token = await operator.issueToken(target, id);
    const submissionId = crypto.randomUUID();
    const sealed = sealAmount(BigInt(amount), { auctionId: target, bidderId: id, submissionId, bits: SETTINGS.bits }, set);
    const envelopes = sealed.map((item) => ({ evaluator: item.evaluator, envelope: item.envelope }));
    const response = await fetch(`${cluster.orchestratorUrl}/v1/auctions/${target}/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ submissionId, envelopes }),
    });
    expect(response.status).toBe(201);
    const receipts = ((await response.json()) as { receipts: SignedReceipt[] }).receipts;
    bidders.push({ id, token, submissionId, envelopes, receipts });
  }
});
afterAll(async () => {
  await cluster?.stop();
});

/** Returns the auth headers of one request: none, valid or invalid credentials of every kind. */
function credentials(random: Random, valid: Array<Record<string, string>>): Record<string, string> {
  const invalid: Array<Record<string, string>> = [
    {},
    { 'x-api-key': 'wrong-operator-key-000000' },
    { authorization: 'Bearer x' },
    { authorization: 'Basic Zm9vOmJhcg==' },
  ];
  return random.chance(0.5) ? random.pick(valid) : random.pick(invalid);
}

function orchestratorRequest(random: Random): FuzzRequest {
  const operatorKey = { 'x-api-key': cluster.operatorApiKey };
  const bidder = random.pick(bidders);
  const bidderAuth = { authorization: `Bearer ${bidder.token}` };
  const id = pathId(random, target);
  const json = { 'content-type': random.chance(0.9) ? 'application/json' : random.pick(['text/plain', 'application/x-www-form-urlencoded', '']) };
  // The operator key only ever changes the decoy auction or new objects, so the bids under test stay put.
  const safe = random.chance(0.5) ? decoy : crypto.randomUUID();
  const routes: Array<() => FuzzRequest> = [
    () => ({ method: 'GET', path: random.pick(['/v1/auctions', '/v1/evaluators', '/v1/health', '/v1/openapi.json', '/v1/docs', '/', '/index.html', '/v1/nope']), headers: credentials(random, [operatorKey]) }),
    () => ({ method: 'GET', path: `/v1/auctions/${id}${random.pick(['', '/state', '/bids/count', '/result', '/submission-set', '/participants'])}`, headers: credentials(random, [operatorKey]) }),
    () => ({ method: 'GET', path: `/v1/auctions/${id}/${random.pick(['me', 'won-bit'])}`, headers: credentials(random, [bidderAuth]) }),
    () => ({ method: 'POST', path: '/v1/auctions', headers: { ...json, ...credentials(random, [operatorKey]) }, body: encodeBody(random, mutate(random, { title: 'Lot', bits: 16, price: 'second', reserve: { kind: 'public', amount: '5' } })) }),
    () => ({ method: 'PATCH', path: `/v1/auctions/${safe}`, headers: { ...json, ...credentials(random, [operatorKey]) }, body: encodeBody(random, mutate(random, { title: 'Lot', decimals: 2, minValidBids: 2 })) }),
    () => ({ method: 'POST', path: `/v1/auctions/${safe}/${random.pick(['open', 'close', 'cancel'])}`, headers: { ...json, ...credentials(random, [operatorKey]) }, body: encodeBody(random, mutate(random, { closesAt: new Date(Date.now() + 60_000).toISOString(), reason: 'fuzz' })) }),
    () => ({ method: 'POST', path: `/v1/auctions/${id === target ? safe : id}/${random.pick(['participants', 'exclusions'])}`, headers: { ...json, ...credentials(random, [operatorKey]) }, body: encodeBody(random, mutate(random, { bidderId: 'fz-new', reason: 'fuzz' })) }),
    () => ({ method: random.pick(['POST', 'GET']), path: '/v1/bidders', headers: { ...json, ...credentials(random, [operatorKey]) }, body: encodeBody(random, mutate(random, { name: 'Fuzz', id: `fz-r${random.below(1e6)}` })) }),
    () => ({ method: 'POST', path: `/v1/auctions/${id}/submissions`, headers: { ...json, ...credentials(random, [bidderAuth]) }, body: encodeBody(random, mutate(random, { submissionId: bidder.submissionId, envelopes: bidder.envelopes })) }),
    () => ({ method: 'POST', path: `/v1/auctions/${safe}/reserve`, headers: { ...json, ...credentials(random, [operatorKey]) }, body: encodeBody(random, mutate(random, { submissionId: crypto.randomUUID(), envelopes: bidder.envelopes })) }),
    () => ({ method: random.pick(['DELETE', 'PUT', 'OPTIONS', 'HEAD']), path: `/v1/auctions/${id}`, headers: credentials(random, [operatorKey, bidderAuth]) }),
  ];
  return random.pick(routes)();
}

function evaluatorRequest(random: Random): FuzzRequest {
  const token = { authorization: `Bearer ${cluster.evaluators[0].orchestratorToken}` };
  const bidder = random.pick(bidders);
  const json = { 'content-type': 'application/json' };
  const id = pathId(random, target);
  // With the valid token, only other auctions may be registered, moved or cancelled.
  const other = `fz-${random.below(1e9)}`;
  const registration = { rules: { bits: 32, direction: 'highest-wins', price: 'second', ties: 'earliest', disclosure: 'public' }, closesAt: new Date(Date.now() + 60_000).toISOString(), parties: 3, degree: 1 };
  const intake = { bidderId: bidder.id, submissionId: bidder.submissionId, kind: 'bid', envelope: bidder.envelopes[0].envelope };
  const compute = { runId: `${target}.run-9`, bids: bidders.map((entry) => ({ bidderId: entry.id, submissionId: entry.submissionId })), reserveSubmissionId: null };
  const routes: Array<() => FuzzRequest> = [
    () => ({ method: 'GET', path: random.pick(['/v1/identity', '/v1/openapi.json', '/', '/v1/auctions', '/v1/peers']), headers: credentials(random, [token]) }),
    () => ({ method: 'PUT', path: `/v1/auctions/${random.chance(0.5) ? other : id}`, headers: { ...json, ...(random.chance(0.5) ? {} : { authorization: 'Bearer wrong' }) }, body: encodeBody(random, mutate(random, registration)) }),
    () => ({ method: 'PUT', path: `/v1/auctions/${other}`, headers: { ...json, ...token }, body: encodeBody(random, mutate(random, registration)) }),
    () => ({ method: 'POST', path: `/v1/auctions/${other}/cancel`, headers: { ...json, ...credentials(random, [token]) }, body: encodeBody(random, mutate(random, { reason: 'fuzz' })) }),
    () => ({ method: 'POST', path: `/v1/auctions/${id}/envelopes`, headers: { ...json, ...credentials(random, [token]) }, body: encodeBody(random, mutate(random, intake)) }),
    () => ({ method: 'POST', path: `/v1/auctions/${id}/compute`, headers: { ...json, ...credentials(random, [token]) }, body: encodeBody(random, mutate(random, compute)) }),
    () => ({ method: 'GET', path: `/v1/auctions/${id}/result?runId=${encodePart(String(randomValue(random)))}`, headers: credentials(random, [token]) }),
    () => ({ method: random.pick(['DELETE', 'PATCH', 'OPTIONS', 'HEAD']), path: `/v1/auctions/${id}`, headers: credentials(random, [token]) }),
  ];
  return random.pick(routes)();
}

/** Sends `count` requests from `generate` with a few workers and returns every 5xx or network failure. */
async function fire(baseUrl: string, count: number, random: Random, generate: (random: Random) => FuzzRequest): Promise<string[]> {
  const failures: string[] = [];
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      const request = generate(random);
      const withBody = request.body !== undefined && !['GET', 'HEAD'].includes(request.method);
      try {
        const response = await fetch(`${baseUrl}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: withBody ? request.body : undefined,
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        if (response.status >= 500) {
          failures.push(`${response.status} for ${request.method} ${request.path.slice(0, 120)} ${String(request.body).slice(0, 200)}`);
        }
      } catch (error) {
        failures.push(`${(error as Error).message} for ${request.method} ${request.path.slice(0, 120)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return failures;
}

/** Opens WebSocket connections to a path and sends random text and binary frames on each. */
async function fuzzSocket(url: string, random: Random, connections: number, frames: number): Promise<void> {
  for (let c = 0; c < connections; c++) {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve) => {
      socket.once('open', () => {
        for (let f = 0; f < frames; f++) {
          const roll = random.below(3);
          if (roll === 0) socket.send(JSON.stringify(mutate(random, { event: 'subscribe', data: { auctionId: target } })));
          else if (roll === 1) socket.send(Buffer.from(Array.from({ length: random.below(300) }, () => random.below(256))));
          else socket.send(JSON.stringify(mutate(random, { type: 'hello', version: 1, party: 2, nonce: 'AAAA', ephemeralKey: 'AAAA', signature: 'AAAA' })));
        }
        setTimeout(() => socket.terminate(), 50);
      });
      socket.once('close', () => resolve());
      socket.once('error', () => resolve());
    });
  }
}

describe('fuzz', () => {
  test(`random and mutated requests (seed ${SEED})`, async () => {
    const random = new Random(SEED);
    const before = await Promise.all(bidders.map(async (bidder) => (await fetch(`${cluster.orchestratorUrl}/v1/auctions/${target}/me`, { headers: { authorization: `Bearer ${bidder.token}` } })).json()));

    const orchestratorFailures = await fire(cluster.orchestratorUrl, REQUESTS_PER_SERVICE, random, orchestratorRequest);
    const evaluatorFailures = await fire(cluster.evaluators[0].url, REQUESTS_PER_SERVICE, random, evaluatorRequest);
    await fuzzSocket(`${cluster.orchestratorUrl.replace('http', 'ws')}/v1/events`, random, 20, 25);
    await fuzzSocket(`${cluster.evaluators[0].url.replace('http', 'ws')}/v1/peers`, random, 40, 5);

    expect(orchestratorFailures.slice(0, 5)).toEqual([]);
    expect(evaluatorFailures.slice(0, 5)).toEqual([]);

    // Every process is still up, and the evaluators are still connected to each other.
    expect((await fetch(`${cluster.orchestratorUrl}/v1/health`)).status).toBe(200);
    for (const evaluator of cluster.evaluators) {
      const identity = (await (await fetch(`${evaluator.url}/v1/identity`)).json()) as { health: { status: string } };
      expect({ party: evaluator.party, health: identity.health.status }).toEqual({ party: evaluator.party, health: 'ok' });
    }

    // The accepted bids are unchanged at the orchestrator and at the evaluator.
    const after = await Promise.all(bidders.map(async (bidder) => (await fetch(`${cluster.orchestratorUrl}/v1/auctions/${target}/me`, { headers: { authorization: `Bearer ${bidder.token}` } })).json()));
    expect(after).toEqual(before);
    expect((await operator.getAuction(target)).sealedBids).toBe(bidders.length);
    for (const bidder of bidders) {
      const response = await fetch(`${cluster.evaluators[0].url}/v1/auctions/${target}/envelopes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.evaluators[0].orchestratorToken}` },
        body: JSON.stringify({ bidderId: bidder.id, submissionId: bidder.submissionId, kind: 'bid', envelope: bidder.envelopes[0].envelope }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(bidder.receipts[0]);
    }

    await operator.closeAuction(target);
    const ended = await waitForEnd(operator, target);
    expect(ended.stateReason).toBeNull();
    expect(comparable(await operator.getResult(target))).toEqual(expectedOutcome(AMOUNTS, SETTINGS));
  });
});
