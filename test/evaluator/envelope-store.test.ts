import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openDatabase, type Database } from '../../src/db/index.js';
import { PrismaClient } from '../../src/evaluator/generated/prisma/client.js';
import { insertEnvelope, insertEnvelopes, type AcceptedEnvelope } from '../../src/evaluator/intake/envelope-store.js';

const closesAt = new Date('2030-01-02T04:00:00.000Z');
const rules = { bits: 8 };
const guard = { closesAt, rules };

let dataDir: string;
let database: Database<PrismaClient>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sealbid-envelope-store-'));
  database = await openDatabase({ role: 'evaluator', dataDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  await database.client.auction.create({ data: { id: 'a-1', rules, closesAt, parties: 3, degree: 1 } });
  await database.client.auction.create({ data: { id: 'a-2', rules, closesAt, parties: 3, degree: 1 } });
  await database.client.auction.create({ data: { id: 'a-3', rules, closesAt, parties: 3, degree: 1 } });
});

afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function accepted(submissionId: string, bidderId: string, kind: 'bid' | 'reserve' = 'bid', auctionId = 'a-1', receivedAt = '2030-01-02T03:04:05.678Z'): AcceptedEnvelope {
  const receipt = {
    auctionId,
    bidderId,
    submissionId,
    evaluator: 1,
    envelopeHash: submissionId.padEnd(64, '0'),
    receivedAt,
    onTime: true,
  };
  const envelope = { version: 1 as const, ephemeralPublicKey: 'key', nonce: 'nonce', ciphertext: `ct-${submissionId}` };
  return { auctionId, submissionId, bidderId, kind, envelope, wonBitKey: kind === 'bid' ? 'won-bit-key' : null, receipt, signature: `sig-${submissionId}`, shares: new Uint32Array(32) };
}

async function stored(submissionId: string, auctionId = 'a-1') {
  return database.client.envelope.findUniqueOrThrow({
    where: { auctionId_submissionId: { auctionId, submissionId } },
    include: { receipt: true },
  });
}

describe('envelope store', () => {
  it('stores the envelope with its receipt', async () => {
    const row = accepted('s-1', 'b-1');
    expect(await insertEnvelope(database.client, row, guard)).toBe(true);

    const envelope = await stored('s-1');
    expect(envelope.sealed).toEqual(row.envelope);
    expect(envelope.hash).toBe(row.receipt.envelopeHash);
    expect(envelope.kind).toBe('bid');
    expect(envelope.wonBitKey).toBe('won-bit-key');
    expect(envelope.receivedAt.toISOString()).toBe('2030-01-02T03:04:05.678Z');
    expect(envelope.replacedBy).toBeNull();
    expect(envelope.receipt?.receipt).toEqual(row.receipt);
    expect(envelope.receipt?.signature).toBe('sig-s-1');
  });

  it('marks the same bidder previous envelope as replaced', async () => {
    await insertEnvelope(database.client, accepted('s-2', 'b-2'), guard);
    await insertEnvelope(database.client, accepted('s-3', 'b-3'), guard);
    await insertEnvelope(database.client, accepted('s-4', 'b-2'), guard);

    expect((await stored('s-2')).replacedBy).toBe('s-4');
    expect((await stored('s-3')).replacedBy).toBeNull();
    expect((await stored('s-4')).replacedBy).toBeNull();
  });

  it('replaces the previous reserve whoever sent it', async () => {
    await insertEnvelope(database.client, accepted('r-1', 'operator:reserve', 'reserve'), guard);
    await insertEnvelope(database.client, accepted('r-2', 'operator:other', 'reserve'), guard);

    expect((await stored('r-1')).replacedBy).toBe('r-2');
    expect((await stored('s-1')).replacedBy).toBeNull();
  });

  it('rejects a taken submission id and changes nothing', async () => {
    await insertEnvelope(database.client, accepted('s-5', 'b-5'), guard);
    await expect(insertEnvelope(database.client, accepted('s-5', 'b-6'), guard)).rejects.toThrow();

    expect((await stored('s-5')).bidderId).toBe('b-5');
    expect((await stored('s-5')).replacedBy).toBeNull();
  });

  it('stores nothing once the guard fails', async () => {
    const client = database.client;
    const late = accepted('g-1', 'b-1', 'bid', 'a-2', '2030-01-02T04:00:00.000Z');
    const movedClose = { closesAt: new Date('2030-01-02T05:00:00.000Z'), rules };
    const otherRules = { closesAt, rules: { bits: 16 } };

    expect(await insertEnvelope(client, late, guard)).toBe(false);
    expect(await insertEnvelope(client, accepted('g-2', 'b-1', 'bid', 'a-2'), movedClose)).toBe(false);
    expect(await insertEnvelope(client, accepted('g-3', 'b-1', 'bid', 'a-2'), otherRules)).toBe(false);
    expect(await insertEnvelope(client, accepted('g-4', 'b-1', 'bid', 'unknown-auction'), guard)).toBe(false);
    expect(await client.envelope.count({ where: { auctionId: 'a-2' } })).toBe(0);
    expect(await client.receipt.count({ where: { auctionId: 'a-2' } })).toBe(0);
  });

  it('keeps the previous envelope when the guard fails', async () => {
    const client = database.client;
    expect(await insertEnvelope(client, accepted('c-1', 'b-1', 'bid', 'a-2'), guard)).toBe(true);
    await client.auction.update({ where: { id: 'a-2' }, data: { state: 'cancelled' } });

    expect(await insertEnvelope(client, accepted('c-2', 'b-1', 'bid', 'a-2'), guard)).toBe(false);
    expect((await stored('c-1', 'a-2')).replacedBy).toBeNull();
    expect(await client.envelope.count({ where: { auctionId: 'a-2' } })).toBe(1);
  });

  it('stores a batch in one statement, each envelope under its own guard', async () => {
    const client = database.client;
    await insertEnvelope(client, accepted('m-1', 'b-1', 'bid', 'a-3'), guard);
    const batch = [
      { accepted: accepted('m-2', 'b-1', 'bid', 'a-3'), guard },
      { accepted: accepted('m-3', 'b-2', 'bid', 'a-3'), guard },
      { accepted: accepted('m-1', 'b-9', 'bid', 'a-3'), guard },
      { accepted: accepted('m-4', 'b-4', 'bid', 'a-3', '2030-01-02T04:00:00.000Z'), guard },
      { accepted: accepted('m-5', 'b-5', 'bid', 'a-3'), guard: { closesAt, rules: { bits: 16 } } },
      { accepted: accepted('m-6', 'b-6', 'bid', 'unknown-auction'), guard },
      { accepted: accepted('m-7', 'operator', 'reserve', 'a-3'), guard },
    ];

    const keys = await insertEnvelopes(client, batch);

    expect([...keys].sort()).toEqual(['a-3/m-2', 'a-3/m-3']);
    expect((await stored('m-1', 'a-3')).bidderId).toBe('b-1');
    expect((await stored('m-1', 'a-3')).replacedBy).toBe('m-2');
    expect((await stored('m-2', 'a-3')).receipt?.signature).toBe('sig-m-2');
    expect((await stored('m-3', 'a-3')).receivedAt.toISOString()).toBe('2030-01-02T03:04:05.678Z');
    expect(await client.envelope.count({ where: { auctionId: 'a-3' } })).toBe(3);
    expect(await client.receipt.count({ where: { auctionId: 'a-3' } })).toBe(3);
  });

  it('stores nothing from a batch for an auction that is not open', async () => {
    const keys = await insertEnvelopes(database.client, [{ accepted: accepted('n-1', 'b-1', 'bid', 'a-2'), guard }]);

    expect(keys.size).toBe(0);
    expect(await insertEnvelopes(database.client, [])).toEqual(new Set());
  });
});
