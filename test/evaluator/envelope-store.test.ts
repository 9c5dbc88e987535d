import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openDatabase, type Database } from '../../src/db/index.js';
import { PrismaClient } from '../../src/evaluator/generated/prisma/client.js';
import { insertEnvelope, type AcceptedEnvelope } from '../../src/evaluator/intake/envelope-store.js';

let dataDir: string;
let database: Database<PrismaClient>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sealbid-envelope-store-'));
  database = await openDatabase({ role: 'evaluator', dataDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  await database.client.auction.create({ data: { id: 'a-1', rules: { bits: 8 }, closesAt: new Date(Date.now() + 60_000), parties: 3, degree: 1 } });
});

afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function accepted(submissionId: string, bidderId: string, kind: 'bid' | 'reserve' = 'bid'): AcceptedEnvelope {
  const receipt = {
    auctionId: 'a-1',
    bidderId,
    submissionId,
    evaluator: 1,
    envelopeHash: submissionId.padEnd(64, '0'),
    receivedAt: '2030-01-02T03:04:05.678Z',
    onTime: true,
  };
  const envelope = { version: 1 as const, ephemeralPublicKey: 'key', nonce: 'nonce', ciphertext: `ct-${submissionId}` };
  return { auctionId: 'a-1', submissionId, bidderId, kind, envelope, wonBitKey: kind === 'bid' ? 'won-bit-key' : null, receipt, signature: `sig-${submissionId}` };
}

async function stored(submissionId: string) {
  return database.client.envelope.findUniqueOrThrow({
    where: { auctionId_submissionId: { auctionId: 'a-1', submissionId } },
    include: { receipt: true },
  });
}

describe('envelope store', () => {
  it('stores the envelope with its receipt', async () => {
    const row = accepted('s-1', 'b-1');
    await insertEnvelope(database.client, row);

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
    await insertEnvelope(database.client, accepted('s-2', 'b-2'));
    await insertEnvelope(database.client, accepted('s-3', 'b-3'));
    await insertEnvelope(database.client, accepted('s-4', 'b-2'));

    expect((await stored('s-2')).replacedBy).toBe('s-4');
    expect((await stored('s-3')).replacedBy).toBeNull();
    expect((await stored('s-4')).replacedBy).toBeNull();
  });

  it('replaces the previous reserve whoever sent it', async () => {
    await insertEnvelope(database.client, accepted('r-1', 'operator:reserve', 'reserve'));
    await insertEnvelope(database.client, accepted('r-2', 'operator:other', 'reserve'));

    expect((await stored('r-1')).replacedBy).toBe('r-2');
    expect((await stored('s-1')).replacedBy).toBeNull();
  });

  it('rejects a taken submission id and changes nothing', async () => {
    await insertEnvelope(database.client, accepted('s-5', 'b-5'));
    await expect(insertEnvelope(database.client, accepted('s-5', 'b-6'))).rejects.toThrow();

    expect((await stored('s-5')).bidderId).toBe('b-5');
    expect((await stored('s-5')).replacedBy).toBeNull();
  });
});
