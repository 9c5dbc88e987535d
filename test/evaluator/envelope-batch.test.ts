/**
 * POST /v1/envelope-batches against one evaluator. Every envelope of a batch
 * gets the response the single-envelope route would give it, and the stored
 * rows equal those of the same envelopes sent one by one.
 */
import { envelopeHash, openEnvelope, verifyReceipt } from '../../src/crypto/index.js';
import { EvaluatorDatabase } from '../../src/evaluator/database/evaluator-database.js';
import { OpenedShares } from '../../src/evaluator/intake/opened-shares.js';
import { request } from './support/http.js';
import { registerOpen, sealFor, startLoneEvaluator, type LoneEvaluator } from './support/lone-evaluator.js';

let lone: LoneEvaluator;

beforeAll(async () => {
  lone = await startLoneEvaluator();
});

afterAll(async () => {
  await lone?.stop();
});

function item(auctionId: string, bidderId: string, submissionId: string, amount = 42n) {
  return { auctionId, bidderId, submissionId, envelope: sealFor(lone.keys, { auctionId, bidderId, submissionId }, amount) };
}

function sendBatch(envelopes: unknown[]) {
  return request('POST', `${lone.base}/envelope-batches`, { envelopes });
}

async function storedRows(auctionId: string) {
  const database = lone.evaluator.app.get(EvaluatorDatabase);
  const rows = await database.client.envelope.findMany({ where: { auctionId }, orderBy: { submissionId: 'asc' }, include: { receipt: true } });
  return rows.map((row) => [row.submissionId, row.bidderId, row.replacedBy, row.receipt !== null]);
}

describe('envelope batches', () => {
  it('stores envelopes of several auctions', async () => {
    await registerOpen(lone.base, 'ba-1');
    await registerOpen(lone.base, 'ba-2');
    const items = [item('ba-1', 'b1', 's1'), item('ba-2', 'b1', 's1'), item('ba-1', 'b2', 's2')];

    const { status, body } = await sendBatch(items);

    expect(status).toBe(200);
    expect(body.results.map((result: { statusCode: number }) => result.statusCode)).toEqual([201, 201, 201]);
    body.results.forEach((result: any, index: number) => {
      expect(result.receipt).toMatchObject({ auctionId: items[index].auctionId, submissionId: items[index].submissionId, onTime: true });
      expect(verifyReceipt(result.receipt, result.signature, lone.keys.signing.publicKey)).toBe(true);
    });
    expect(await storedRows('ba-1')).toEqual([
      ['s1', 'b1', null, true],
      ['s2', 'b2', null, true],
    ]);
  });

  it('rejects failing envelopes one by one', async () => {
    await registerOpen(lone.base, 'ba-3');
    const good = item('ba-3', 'b1', 's1');
    const wrongBinding = { ...item('ba-3', 'b2', 's2'), submissionId: 's3' };
    const malformed = { auctionId: 'ba-3', bidderId: 'b4', submissionId: 's4', envelope: { version: 2 } };
    const unknown = item('ba-missing', 'b5', 's5');

    const { status, body } = await sendBatch([good, wrongBinding, malformed, unknown]);

    expect(status).toBe(200);
    const answers = body.results.map((result: any) => [result.statusCode, result.error ?? null]);
    expect(answers).toEqual([
      [201, null],
      [422, 'invalid-envelope'],
      [400, 'invalid-request'],
      [404, 'auction-not-found'],
    ]);
    expect(body.results[2].message).toContain('envelope.version must be 1');
    expect(await storedRows('ba-3')).toEqual([['s1', 'b1', null, true]]);
  });

  it('keeps opened shares of stored envelopes', async () => {
    await registerOpen(lone.base, 'ba-7');
    const good = item('ba-7', 'b1', 's1', 200n);
    const single = item('ba-7', 'b3', 's3', 7n);
    const wrongBinding = { ...item('ba-7', 'b2', 's2'), submissionId: 's4' };

    const batch = await sendBatch([good, wrongBinding]);
    const alone = await request('POST', `${lone.base}/auctions/ba-7/envelopes`, { bidderId: 'b3', submissionId: 's3', envelope: single.envelope });

    expect(batch.body.results.map((result: { statusCode: number }) => result.statusCode)).toEqual([201, 422]);
    expect(alone.status).toBe(201);
    const opened = lone.evaluator.app.get(OpenedShares);
    for (const [sent, receipt] of [[good, batch.body.results[0].receipt], [single, alone.body.receipt]]) {
      const from = { submissionId: sent.submissionId, bidderId: sent.bidderId, hash: receipt.envelopeHash, wonBitKey: null };
      const expected = openEnvelope(sent.envelope, lone.keys.sealing.secretKey, { ...from, auctionId: 'ba-7', evaluator: 1 });
      expect(Array.from(opened.copy('ba-7', from) ?? [])).toEqual(Array.from(expected));
    }
    expect(opened.has('ba-7', { submissionId: 's4', bidderId: 'b2', hash: envelopeHash(wrongBinding.envelope), wonBitKey: null })).toBe(false);
  });

  it('keeps sender order and repeats', async () => {
    await registerOpen(lone.base, 'ba-4');
    const first = item('ba-4', 'b1', 's1', 10n);
    const once = await sendBatch([first, item('ba-4', 'b2', 't1', 11n)]);

    const { body } = await sendBatch([first, item('ba-4', 'b1', 's2', 12n), item('ba-4', 'b1', 's3', 13n)]);

    expect(body.results.map((result: any) => result.statusCode)).toEqual([200, 201, 201]);
    expect(body.results[0]).toEqual({ ...once.body.results[0], statusCode: 200 });
    expect(await storedRows('ba-4')).toEqual([
      ['s1', 'b1', 's2', true],
      ['s2', 'b1', 's3', true],
      ['s3', 'b1', null, true],
      ['t1', 'b2', null, true],
    ]);
  });

  it('rejects late envelopes with receipts', async () => {
    await registerOpen(lone.base, 'ba-5', {}, 1500);
    await sendBatch([item('ba-5', 'b1', 's1')]);
    await new Promise((resolve) => setTimeout(resolve, 1600));

    const { body } = await sendBatch([item('ba-5', 'b2', 's2'), item('ba-5', 'b3', 's3')]);

    expect(body.results.map((result: any) => [result.statusCode, result.error])).toEqual([
      [409, 'auction-closed'],
      [409, 'auction-closed'],
    ]);
    expect(body.results[0].receipt).toMatchObject({ submissionId: 's2', onTime: false });
    expect(verifyReceipt(body.results[0].receipt, body.results[0].signature, lone.keys.signing.publicKey)).toBe(true);
    expect(await storedRows('ba-5')).toEqual([['s1', 'b1', null, true]]);
  });

  it('rejects invalid batches whole', async () => {
    const empty = await sendBatch([]);
    const oversized = await sendBatch(Array.from({ length: 257 }, (_, index) => ({ auctionId: 'x', index })));
    const anonymous = await request('POST', `${lone.base}/envelope-batches`, { envelopes: [{}] }, null);

    expect([empty.status, empty.body.message]).toEqual([400, 'envelopes must hold at least one envelope']);
    expect([oversized.status, oversized.body.message]).toEqual([400, 'envelopes may hold at most 256 envelopes; split the batch']);
    expect(anonymous.status).toBe(401);
  });
});
