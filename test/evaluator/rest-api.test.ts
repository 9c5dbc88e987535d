/**
 * The evaluator's REST contract, against one evaluator started in this process
 * (its peers are absent, which intake and validation do not need).
 */
import { WebSocket } from 'ws';

import {
  generateSealingKeyPair,
  generateSigningKeyPair,
  sealEnvelope,
  submissionSetHash,
  toBase64Url,
  verifyReceipt,
} from '../../src/crypto/index.js';
import type { RunningEvaluator } from '../../src/evaluator/bootstrap.js';
import { EvaluatorDatabase } from '../../src/evaluator/database/evaluator-database.js';
import type { EvaluatorKeys } from '../../src/evaluator/keys/index.js';
import { RetentionService } from '../../src/evaluator/retention/retention.service.js';
import { request } from './support/http.js';
import { registerOpen as registerLoneOpen, RULES as rules, sealFor, startLoneEvaluator, type LoneEvaluator } from './support/lone-evaluator.js';

let lone: LoneEvaluator;
let keys: EvaluatorKeys;
let evaluator: RunningEvaluator;
let base: string;

beforeAll(async () => {
  lone = await startLoneEvaluator();
  ({ keys, evaluator, base } = lone);
});

afterAll(async () => {
  await lone?.stop();
});

function registerOpen(auctionId: string, overrides: Record<string, unknown> = {}, closesInMs = 60_000) {
  return registerLoneOpen(base, auctionId, overrides, closesInMs);
}

function envelopeFor(auctionId: string, bidderId: string, submissionId: string, amount = 42n, evaluatorIndex = 1, bits = 8, wonBitKey: string | null = null) {
  return sealFor(keys, { auctionId, bidderId, submissionId }, amount, { evaluatorIndex, bits, wonBitKey });
}

async function submit(auctionId: string, body: Record<string, unknown>) {
  return request('POST', `${base}/auctions/${auctionId}/envelopes`, body);
}

describe('identity and documents', () => {
  it('identity is public and names the keys', async () => {
    const { status, body } = await request('GET', `${base}/identity`, undefined, null);
    expect(status).toBe(200);
    expect(body.party).toBe(1);
    expect(body.parties).toBe(3);
    expect(body.degree).toBe(1);
    expect(body.sealingKey).toBe(toBase64Url(keys.sealing.publicKey));
    expect(body.signingKey).toBe(toBase64Url(keys.signing.publicKey));
    expect(body.version).toBe('0.1.0');
    expect(body.health).toEqual({
      status: 'degraded',
      database: 'ok',
      peers: [
        { party: 2, connected: false },
        { party: 3, connected: false },
      ],
    });
  });

  it('serves the OpenAPI document', async () => {
    const { status, body } = await request('GET', `${base}/openapi.json`, undefined, null);
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/identity',
        '/v1/auctions/{auctionId}',
        '/v1/auctions/{auctionId}/envelopes',
        '/v1/auctions/{auctionId}/compute',
        '/v1/auctions/{auctionId}/result',
      ]),
    );
  });

  it('closes a peer connection that fails the handshake', async () => {
    const socket = new WebSocket(`${evaluator.url.replace('http', 'ws')}/v1/peers`);
    const challenge = await new Promise<any>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      socket.once('error', reject);
    });
    expect(challenge).toMatchObject({ type: 'challenge', version: 1, party: 1 });

    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const impostor = generateSigningKeyPair();
    socket.send(JSON.stringify({ type: 'hello', version: 1, party: 2, nonce: 'AAAA', ephemeralKey: challenge.ephemeralKey, signature: toBase64Url(impostor.publicKey) }));
    expect(await closed).toBe(1008);
  });

  it('rejects requests without the token', async () => {
    const missing = await request('PUT', `${base}/auctions/a`, {}, null);
    const wrong = await request('PUT', `${base}/auctions/a`, {}, 'x'.repeat(40));
    expect(missing.status).toBe(401);
    expect(missing.body.error).toBe('unauthorized');
    expect(wrong.status).toBe(401);
  });
});

describe('auction registration', () => {
  it('creates, repeats and moves the close', async () => {
    const closesAt = new Date(Date.now() + 60_000).toISOString();
    const body = { rules, closesAt, parties: 3, degree: 1 };
    const created = await request('PUT', `${base}/auctions/reg-1`, body);
    const repeated = await request('PUT', `${base}/auctions/reg-1`, body);
    const moved = await request('PUT', `${base}/auctions/reg-1`, { ...body, closesAt: new Date(Date.now() + 90_000).toISOString() });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ auctionId: 'reg-1', state: 'open', envelopes: 0, parties: 3, degree: 1, closesAt });
    expect(created.body.rules).toEqual(rules);
    expect(repeated.status).toBe(200);
    expect(moved.status).toBe(200);
    expect(moved.body.closesAt).not.toBe(closesAt);
  });

  it('rejects invalid registrations', async () => {
    const mismatch = await registerOpen('reg-2', { parties: 5, degree: 2 });
    const badRules = await registerOpen('reg-2', { rules: { ...rules, minPrice: '5' } });
    const unknownField = await registerOpen('reg-2', { colour: 'red' });
    const badAmount = await registerOpen('reg-2', { rules: { ...rules, reserve: { kind: 'public', amount: '-1' } } });
    const badId = await request('PUT', `${base}/auctions/${'x'.repeat(200)}`, {});

    expect([mismatch.status, mismatch.body.error]).toEqual([409, 'configuration-mismatch']);
    expect([badRules.status, badRules.body.error]).toEqual([400, 'invalid-rules']);
    expect(badRules.body.message).toMatch(/minimum price applies only to lowest-wins/);
    expect([unknownField.status, unknownField.body.message]).toEqual([400, 'property colour should not exist']);
    expect(badAmount.status).toBe(400);
    expect(badAmount.body.message).toMatch(/reserve.amount must be a decimal string/);
    expect(badId.status).toBe(400);
  });

  it('locks the rules once envelopes arrive', async () => {
    await registerOpen('reg-3');
    await submit('reg-3', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('reg-3', 'b1', 's1') });
    const changed = await registerOpen('reg-3', { rules: { ...rules, price: 'second', minValidBids: 2 } });
    expect([changed.status, changed.body.error]).toEqual([409, 'auction-locked']);
  });
});

describe('envelope intake', () => {
  it('signs a receipt and repeats it', async () => {
    await registerOpen('in-1');
    const envelope = envelopeFor('in-1', 'b1', 's1');
    const first = await submit('in-1', { bidderId: 'b1', submissionId: 's1', envelope });
    const again = await submit('in-1', { bidderId: 'b1', submissionId: 's1', envelope });

    expect(first.status).toBe(201);
    expect(first.body.receipt).toMatchObject({ auctionId: 'in-1', bidderId: 'b1', submissionId: 's1', evaluator: 1, onTime: true });
    expect(verifyReceipt(first.body.receipt, first.body.signature, keys.signing.publicKey)).toBe(true);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('rejects a reused submission id', async () => {
    await registerOpen('in-2');
    await submit('in-2', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('in-2', 'b1', 's1') });
    const other = await submit('in-2', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('in-2', 'b1', 's1', 7n) });
    expect([other.status, other.body.error]).toEqual([409, 'submission-conflict']);
  });

  it('rejects envelopes that do not open', async () => {
    await registerOpen('in-3');
    const cases = [
      { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('in-3', 'b1', 's1', 42n, 2) },
      { bidderId: 'b2', submissionId: 's2', envelope: envelopeFor('in-3', 'b1', 's2') },
      { bidderId: 'b3', submissionId: 's3', envelope: envelopeFor('other', 'b3', 's3') },
      { bidderId: 'b4', submissionId: 's4', envelope: envelopeFor('in-3', 'b4', 's4', 42n, 1, 16) },
      {
        bidderId: 'b5',
        submissionId: 's5',
        envelope: sealEnvelope(new Uint32Array(8), generateSealingKeyPair().publicKey, { auctionId: 'in-3', bidderId: 'b5', submissionId: 's5', evaluator: 1 }),
      },
    ];
    for (const body of cases) {
      const { status, body: error } = await submit('in-3', body);
      expect({ submission: body.submissionId, status, code: error.error }).toEqual({ submission: body.submissionId, status: 422, code: 'invalid-envelope' });
    }
    const count = await request('PUT', `${base}/auctions/in-3`, { rules, closesAt: new Date(Date.now() + 60_000).toISOString(), parties: 3, degree: 1 });
    expect(count.body.envelopes).toBe(0);
  });

  it('rejects malformed bodies', async () => {
    await registerOpen('in-4');
    const envelope = envelopeFor('in-4', 'b1', 's1');
    const noEnvelope = await submit('in-4', { bidderId: 'b1', submissionId: 's1' });
    const badVersion = await submit('in-4', { bidderId: 'b1', submissionId: 's1', envelope: { ...envelope, version: 2 } });
    const extra = await submit('in-4', { bidderId: 'b1', submissionId: 's1', envelope: { ...envelope, extra: 1 } });
    const badKind = await submit('in-4', { bidderId: 'b1', submissionId: 's1', kind: 'other', envelope });

    expect(noEnvelope.status).toBe(400);
    expect(badVersion.body.message).toMatch(/envelope.version must be 1/);
    expect(extra.body.message).toMatch(/envelope.property extra should not exist/);
    expect(badKind.status).toBe(400);
  });

  it('checks disclosure and reserve rules', async () => {
    await registerOpen('in-5', { rules: { ...rules, disclosure: 'amount-only' } });
    const noKey = await submit('in-5', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('in-5', 'b1', 's1') });
    const wonBitKey = toBase64Url(generateSealingKeyPair().publicKey);
    const withKey = await submit('in-5', {
      bidderId: 'b1',
      submissionId: 's1',
      envelope: envelopeFor('in-5', 'b1', 's1', 42n, 1, 8, wonBitKey),
      wonBitKey,
    });
    const reserve = await submit('in-5', { bidderId: 'operator', submissionId: 'r1', kind: 'reserve', envelope: envelopeFor('in-5', 'operator', 'r1') });
    // A relay that swaps the bidder's won-bit key for its own breaks the envelope's binding.
    const swapped = await submit('in-5', {
      bidderId: 'b2',
      submissionId: 's2',
      envelope: envelopeFor('in-5', 'b2', 's2', 42n, 1, 8, wonBitKey),
      wonBitKey: toBase64Url(generateSealingKeyPair().publicKey),
    });

    expect([noKey.status, noKey.body.error]).toEqual([400, 'won-bit-key-missing']);
    expect(withKey.status).toBe(201);
    expect([swapped.status, swapped.body.error]).toEqual([422, 'invalid-envelope']);
    expect([reserve.status, reserve.body.error]).toEqual([400, 'reserve-not-sealed']);
  });

  it('rejects late envelopes but repeats receipts', async () => {
    await registerOpen('in-6', {}, 1500);
    const envelope = envelopeFor('in-6', 'b1', 's1');
    const onTime = await submit('in-6', { bidderId: 'b1', submissionId: 's1', envelope });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const late = await submit('in-6', { bidderId: 'b2', submissionId: 's2', envelope: envelopeFor('in-6', 'b2', 's2') });
    const repeat = await submit('in-6', { bidderId: 'b1', submissionId: 's1', envelope });

    expect(onTime.status).toBe(201);
    expect([late.status, late.body.error]).toEqual([409, 'auction-closed']);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(onTime.body);
  });

  it('records an amendment as a replacement', async () => {
    await registerOpen('in-7');
    await submit('in-7', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('in-7', 'b1', 's1', 10n) });
    await submit('in-7', { bidderId: 'b2', submissionId: 't1', envelope: envelopeFor('in-7', 'b2', 't1', 11n) });
    const amended = await submit('in-7', { bidderId: 'b1', submissionId: 's2', envelope: envelopeFor('in-7', 'b1', 's2', 12n) });

    const database = evaluator.app.get(EvaluatorDatabase);
    const rows = await database.client.envelope.findMany({ where: { auctionId: 'in-7' }, orderBy: { submissionId: 'asc' } });
    expect(amended.status).toBe(201);
    expect(rows.map((row) => [row.submissionId, row.replacedBy])).toEqual([
      ['s1', 's2'],
      ['s2', null],
      ['t1', null],
    ]);
  });
});

describe('changes made behind the service', () => {
  it('intake rechecks a cancelled auction', async () => {
    await registerOpen('st-1');
    const envelope = envelopeFor('st-1', 'b1', 's1');
    const first = await submit('st-1', { bidderId: 'b1', submissionId: 's1', envelope });
    const database = evaluator.app.get(EvaluatorDatabase);
    await database.client.auction.update({ where: { id: 'st-1' }, data: { state: 'cancelled' } });

    const late = await submit('st-1', { bidderId: 'b2', submissionId: 's2', envelope: envelopeFor('st-1', 'b2', 's2') });
    const repeat = await submit('st-1', { bidderId: 'b1', submissionId: 's1', envelope });

    expect([late.status, late.body.error]).toEqual([409, 'auction-cancelled']);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    expect(await database.client.envelope.count({ where: { auctionId: 'st-1' } })).toBe(1);
  });

  it('intake rechecks a moved close', async () => {
    await registerOpen('st-2');
    await submit('st-2', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('st-2', 'b1', 's1') });
    const database = evaluator.app.get(EvaluatorDatabase);
    const closedAt = new Date(Date.now() - 1000);
    await database.client.auction.update({ where: { id: 'st-2' }, data: { closesAt: closedAt } });

    const late = await submit('st-2', { bidderId: 'b2', submissionId: 's2', envelope: envelopeFor('st-2', 'b2', 's2') });

    expect([late.status, late.body.error]).toEqual([409, 'auction-closed']);
    expect(late.body.receipt).toMatchObject({ submissionId: 's2', onTime: false });
    expect(verifyReceipt(late.body.receipt, late.body.signature, keys.signing.publicKey)).toBe(true);
    expect(await database.client.envelope.count({ where: { auctionId: 'st-2' } })).toBe(1);
  });

  it('registration rechecks a closed auction', async () => {
    await registerOpen('st-3');
    const database = evaluator.app.get(EvaluatorDatabase);
    await database.client.auction.update({ where: { id: 'st-3' }, data: { closesAt: new Date(Date.now() - 1000) } });

    const moved = await registerOpen('st-3', {}, 120_000);

    expect([moved.status, moved.body.error]).toEqual([409, 'auction-locked']);
  });

  it('compute rechecks a cancelled auction', async () => {
    await registerOpen('st-4', {}, -1000);
    const database = evaluator.app.get(EvaluatorDatabase);
    await database.client.auction.update({ where: { id: 'st-4' }, data: { state: 'cancelled' } });

    const compute = await request('POST', `${base}/auctions/st-4/compute`, { runId: 'st-4.r1', bids: [] });

    expect([compute.status, compute.body.error]).toEqual([409, 'auction-cancelled']);
    expect(await database.client.run.count({ where: { auctionId: 'st-4' } })).toBe(0);
  });
});

describe('compute requests', () => {
  it('reads a large body only from the orchestrator', async () => {
    await registerOpen('co-big');
    const hashes = Array.from({ length: 255 }, (_, index) => index.toString(16).padStart(64, '0'));
    const bids = Array.from({ length: 1_100 }, (_, index) => ({ bidderId: `b${index}`, submissionId: `s${index}`, envelopeHashes: hashes }));
    const body = { runId: 'co-big.r1', bids };
    expect(JSON.stringify(body).length).toBeGreaterThan(16 * 1024 * 1024);

    // Read and validated: 255 hashes per bid do not match the 3 evaluators.
    const authenticated = await request('POST', `${base}/auctions/co-big/compute`, body);
    expect([authenticated.status, authenticated.body.error]).toEqual([400, 'invalid-submission-set']);

    const anonymous = await request('POST', `${base}/auctions/co-big/compute`, body, null);
    expect(anonymous.status).toBe(413);
  });

  it('rejects malformed bid items', async () => {
    await registerOpen('co-7', {}, 0);
    const cases: Array<[unknown, string]> = [
      ['not an object', 'bids[0] must be an object with bidderId and submissionId'],
      [{ bidderId: 'a', submissionId: 's1', extra: 1 }, 'bids[0] has the unknown field "extra"; remove it'],
      [{ bidderId: 'bad id', submissionId: 's1' }, 'bids[0].bidderId must be 1 to 128 characters'],
      [{ bidderId: 'a' }, 'bids[0].submissionId must be 1 to 128 characters'],
      [{ bidderId: 'a', submissionId: 's1', envelopeHashes: 'x' }, 'bids[0].envelopeHashes must be an array of at most 255 hashes'],
      [{ bidderId: 'a', submissionId: 's1', envelopeHashes: ['ABC'] }, 'bids[0].envelopeHashes must hold lowercase hex SHA-256 hashes'],
      [{ bidderId: 'a', submissionId: 's1', excluded: '' }, 'bids[0].excluded must be 1 to 500 printable characters'],
    ];

    for (const [bid, message] of cases) {
      const { status, body } = await request('POST', `${base}/auctions/co-7/compute`, { runId: 'co-7.r1', bids: [bid] });
      expect([status, body.error]).toEqual([400, 'invalid-request']);
      expect(body.message).toContain(message);
    }
  });

  it('rejects a run before the close', async () => {
    await registerOpen('co-1');
    const { status, body } = await request('POST', `${base}/auctions/co-1/compute`, { runId: 'co-1.r1', bids: [] });
    expect([status, body.error]).toEqual([409, 'auction-not-closed']);
  });

  it('closes early at the closedAt of a run', async () => {
    await registerOpen('co-early');
    const closedAt = new Date(Date.now() - 1_000).toISOString();

    const started = await request('POST', `${base}/auctions/co-early/compute`, { runId: 'co-early.r1', bids: [], closedAt });

    expect(started.status).toBe(202);
    const stored = await evaluator.app.get(EvaluatorDatabase).client.auction.findUniqueOrThrow({ where: { id: 'co-early' } });
    expect(stored.closesAt.toISOString()).toBe(closedAt);
    const late = await submit('co-early', { bidderId: 'late', submissionId: 'late-1', envelope: envelopeFor('co-early', 'late', 'late-1') });
    expect([late.status, late.body.error]).toEqual([409, 'auction-closed']);
  });

  it('holds the compute response for waitMs', async () => {
    await registerOpen('co-wait', {}, 0);
    const began = Date.now();

    const started = await request('POST', `${base}/auctions/co-wait/compute?waitMs=300`, { runId: 'co-wait.r1', bids: [] });

    // A lone evaluator never reaches agreement, so the response comes after waitMs with the run still agreeing.
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ runId: 'co-wait.r1', state: 'agreeing', agreement: null, result: null, error: null });
  });

  it('rejects an invalid compute waitMs', async () => {
    await registerOpen('co-bad-wait', {}, 0);

    const { status, body } = await request('POST', `${base}/auctions/co-bad-wait/compute?waitMs=soon`, { runId: 'co-bad-wait.r1', bids: [] });

    expect([status, body.error]).toEqual([400, 'invalid-request']);
    expect(body.message).toContain('waitMs must be a whole number of milliseconds');
    const runs = await evaluator.app.get(EvaluatorDatabase).client.run.count({ where: { auctionId: 'co-bad-wait' } });
    expect(runs).toBe(0);
  });

  it('never moves a closing time later', async () => {
    await registerOpen('co-later', {}, 0);
    const database = evaluator.app.get(EvaluatorDatabase);
    const before = (await database.client.auction.findUniqueOrThrow({ where: { id: 'co-later' } })).closesAt;

    const started = await request('POST', `${base}/auctions/co-later/compute`, { runId: 'co-later.r1', bids: [], closedAt: new Date(Date.now() + 60_000).toISOString() });

    expect(started.status).toBe(202);
    expect((await database.client.auction.findUniqueOrThrow({ where: { id: 'co-later' } })).closesAt).toEqual(before);
  });

  it('rejects an invalid closedAt', async () => {
    await registerOpen('co-bad-close');

    const { status, body } = await request('POST', `${base}/auctions/co-bad-close/compute`, { runId: 'co-bad-close.r1', bids: [], closedAt: 'yesterday' });

    expect([status, body.error, body.message]).toEqual([400, 'invalid-request', 'closedAt must be an ISO 8601 date and time']);
  });

  it('rejects invalid submission sets', async () => {
    await registerOpen('co-2', {}, 0);
    const twice = await request('POST', `${base}/auctions/co-2/compute`, {
      runId: 'co-2.r1',
      bids: [
        { bidderId: 'a', submissionId: 's1' },
        { bidderId: 'a', submissionId: 's2' },
      ],
    });
    const hashes = await request('POST', `${base}/auctions/co-2/compute`, {
      runId: 'co-2.r1',
      bids: [{ bidderId: 'a', submissionId: 's1', envelopeHashes: ['0'.repeat(64)] }],
    });
    const reserve = await request('POST', `${base}/auctions/co-2/compute`, { runId: 'co-2.r1', bids: [], reserveSubmissionId: 'r1' });
    const mismatch = await request('POST', `${base}/auctions/co-2/compute`, { runId: 'co-2.r1', bids: [], submissionSetHash: 'f'.repeat(64) });

    expect([twice.status, twice.body.error]).toEqual([400, 'invalid-submission-set']);
    expect([hashes.status, hashes.body.error]).toEqual([400, 'invalid-submission-set']);
    expect([reserve.status, reserve.body.error]).toEqual([400, 'invalid-submission-set']);
    expect([mismatch.status, mismatch.body.error]).toEqual([400, 'submission-set-hash-mismatch']);
  });

  it('accepts a matching set hash and reports the run', async () => {
    await registerOpen('co-3', {}, 0);
    const bids = [{ bidderId: 'a', submissionId: 's1' }];
    const hash = submissionSetHash({ auctionId: 'co-3', bids, reserveSubmissionId: null });
    const started = await request('POST', `${base}/auctions/co-3/compute`, { runId: 'co-3.r1', bids, submissionSetHash: hash });
    const repeated = await request('POST', `${base}/auctions/co-3/compute`, { runId: 'co-3.r1', bids });
    const conflicting = await request('POST', `${base}/auctions/co-3/compute`, { runId: 'co-3.r1', bids: [] });
    const busy = await request('POST', `${base}/auctions/co-3/compute`, { runId: 'co-3.r2', bids });

    expect(started.status).toBe(202);
    expect(started.body).toEqual({ runId: 'co-3.r1', state: 'agreeing', submissionSetHash: hash });
    expect(repeated.status).toBe(200);
    expect([conflicting.status, conflicting.body.error]).toEqual([409, 'run-conflict']);
    expect([busy.status, busy.body.error]).toEqual([409, 'run-in-progress']);

    // The peers are absent, so the agreement times out.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await request('GET', `${base}/auctions/co-3/result`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ runId: 'co-3.r1', state: 'failed', result: null, error: { code: 'agreement-timeout' } });
    expect(result.body.error.message).toMatch(/no submission set signature from parties 2, 3/);
  });

  it('holds a result request until the run ends', async () => {
    await registerOpen('co-5', {}, 0);
    const bids = [{ bidderId: 'a', submissionId: 's1' }];
    await request('POST', `${base}/auctions/co-5/compute`, { runId: 'co-5.r1', bids });

    // The peers are absent, so the agreement times out after about a second, well within the wait.
    const started = Date.now();
    const result = await request('GET', `${base}/auctions/co-5/result?runId=co-5.r1&waitMs=20000`);
    const elapsed = Date.now() - started;

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ runId: 'co-5.r1', state: 'failed', error: { code: 'agreement-timeout' } });
    expect(elapsed).toBeLessThan(20_000);
  });

  it('returns a run in progress when the wait passes', async () => {
    await registerOpen('co-6', {}, 0);
    await request('POST', `${base}/auctions/co-6/compute`, { runId: 'co-6.r1', bids: [{ bidderId: 'a', submissionId: 's1' }] });

    const result = await request('GET', `${base}/auctions/co-6/result?waitMs=50`);

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ runId: 'co-6.r1', state: 'agreeing' });
  });

  it('rejects an invalid wait', async () => {
    await registerOpen('co-7');
    const negative = await request('GET', `${base}/auctions/co-7/result?waitMs=-1`);
    const tooLong = await request('GET', `${base}/auctions/co-7/result?waitMs=600000`);

    expect([negative.status, negative.body.error]).toEqual([400, 'invalid-request']);
    expect([tooLong.status, tooLong.body.error]).toEqual([400, 'invalid-request']);
  });

  it('reports missing runs and auctions', async () => {
    await registerOpen('co-4');
    const noRun = await request('GET', `${base}/auctions/co-4/result`);
    const noAuction = await request('GET', `${base}/auctions/nowhere/result`);
    const badRunId = await request('GET', `${base}/auctions/co-4/result?runId=${encodeURIComponent('a b')}`);

    expect([noRun.status, noRun.body.error]).toEqual([404, 'run-not-found']);
    expect([noAuction.status, noAuction.body.error]).toEqual([404, 'auction-not-found']);
    expect(badRunId.status).toBe(400);
  });
});

describe('cancellation and retention', () => {
  it('cancel erases envelopes and blocks intake', async () => {
    await registerOpen('ca-1');
    await submit('ca-1', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('ca-1', 'b1', 's1') });
    const cancelled = await request('POST', `${base}/auctions/ca-1/cancel`, { reason: 'operator withdrew the lot' });
    const again = await request('POST', `${base}/auctions/ca-1/cancel`, {});
    const late = await submit('ca-1', { bidderId: 'b2', submissionId: 's2', envelope: envelopeFor('ca-1', 'b2', 's2') });

    const database = evaluator.app.get(EvaluatorDatabase);
    const rows = await database.client.envelope.findMany({ where: { auctionId: 'ca-1' }, include: { receipt: true } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect(again.status).toBe(200);
    expect([late.status, late.body.error]).toEqual([409, 'auction-cancelled']);
    expect(rows).toHaveLength(1);
    expect(rows[0].sealed).toBeNull();
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].receipt).not.toBeNull();
  });

  it('sweep erases envelopes after retention', async () => {
    await registerOpen('re-1');
    await registerOpen('re-2');
    await submit('re-1', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('re-1', 'b1', 's1') });
    await submit('re-2', { bidderId: 'b1', submissionId: 's1', envelope: envelopeFor('re-2', 'b1', 's1') });
    const database = evaluator.app.get(EvaluatorDatabase);
    await database.client.auction.update({ where: { id: 're-1' }, data: { state: 'settled', settledAt: new Date(Date.now() - 120_000) } });
    await database.client.auction.update({ where: { id: 're-2' }, data: { state: 'settled', settledAt: new Date(Date.now() - 1_000) } });

    const erased = await evaluator.app.get(RetentionService).sweep();
    const first = await database.client.envelope.findFirst({ where: { auctionId: 're-1' } });
    const second = await database.client.envelope.findFirst({ where: { auctionId: 're-2' } });
    const compute = await request('POST', `${base}/auctions/re-1/compute`, { runId: 're-1.r9', bids: [] });

    expect(erased).toBe(1);
    expect(first?.sealed).toBeNull();
    expect(second?.sealed).not.toBeNull();
    expect([compute.status, compute.body.error]).toEqual([409, 'envelopes-erased']);
  });
});
