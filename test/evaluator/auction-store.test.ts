import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openDatabase, type Database } from '../../src/db/index.js';
import { closeOpenAuctionEarly } from '../../src/evaluator/auctions/auction-store.js';
import { PrismaClient } from '../../src/evaluator/generated/prisma/client.js';

const rules = { bits: 8 };
const now = new Date('2030-01-02T03:00:00.000Z');
const closesAt = new Date('2030-01-02T04:00:00.000Z');

let dataDir: string;
let database: Database<PrismaClient>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sealbid-auction-store-'));
  database = await openDatabase({ role: 'evaluator', dataDir, createClient: (adapter) => new PrismaClient({ adapter }) });
});

afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function auction(id: string, data: { state?: 'open' | 'settled' | 'cancelled'; closesAt?: Date } = {}): Promise<string> {
  await database.client.auction.create({ data: { id, rules, closesAt: data.closesAt ?? closesAt, parties: 3, degree: 1, state: data.state ?? 'open' } });
  return id;
}

async function storedClose(id: string): Promise<string> {
  return (await database.client.auction.findUniqueOrThrow({ where: { id } })).closesAt.toISOString();
}

describe('closeOpenAuctionEarly', () => {
  it('moves an open auction back', async () => {
    const id = await auction('early-1');
    const closedAt = new Date('2030-01-02T02:59:00.000Z');

    const moved = await closeOpenAuctionEarly(database.client, { id, closedAt, now });

    expect(moved?.closesAt.toISOString()).toBe(closedAt.toISOString());
    expect(moved?.state).toBe('open');
    expect(moved?.rules).toEqual(rules);
    expect(await storedClose(id)).toBe(closedAt.toISOString());
  });

  it('never moves a closing time later', async () => {
    const id = await auction('early-2');

    const moved = await closeOpenAuctionEarly(database.client, { id, closedAt: new Date('2030-01-02T05:00:00.000Z'), now });

    expect(moved).toBeNull();
    expect(await storedClose(id)).toBe(closesAt.toISOString());
  });

  it('leaves a settled auction alone', async () => {
    const id = await auction('early-3', { state: 'settled' });

    const moved = await closeOpenAuctionEarly(database.client, { id, closedAt: new Date('2030-01-02T02:00:00.000Z'), now });

    expect(moved).toBeNull();
    expect(await storedClose(id)).toBe(closesAt.toISOString());
  });

  it('leaves an auction closed by the clock alone', async () => {
    const passed = new Date('2030-01-02T02:30:00.000Z');
    const id = await auction('early-4', { closesAt: passed });

    const moved = await closeOpenAuctionEarly(database.client, { id, closedAt: new Date('2030-01-02T02:00:00.000Z'), now });

    expect(moved).toBeNull();
    expect(await storedClose(id)).toBe(passed.toISOString());
  });
});
