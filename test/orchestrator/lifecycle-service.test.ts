import { AuctionsService } from '../../src/orchestrator/auctions/auctions.service.js';
import { LifecycleService } from '../../src/orchestrator/auctions/lifecycle.service.js';
import { StateConflictError } from '../../src/orchestrator/common/domain-errors.js';
import { KeyedLock } from '../../src/orchestrator/common/keyed-lock.js';
import type { DatabaseService } from '../../src/orchestrator/database/database.service.js';
import { AuctionEvents, type AuctionEvent } from '../../src/orchestrator/events/auction-events.js';
import { openMemoryDatabase, type MemoryDatabase } from './support/memory-database.js';

let memory: MemoryDatabase;
let auctions: AuctionsService;
let lifecycle: LifecycleService;
let events: AuctionEvent[];

beforeEach(async () => {
  memory = await openMemoryDatabase();
  const database = { prisma: memory.client } as unknown as DatabaseService;
  const locks = new KeyedLock();
  const announcements = new AuctionEvents();
  events = [];
  announcements.subscribe((event) => events.push(event));
  auctions = new AuctionsService(database, locks);
  lifecycle = new LifecycleService(database, locks, announcements, auctions);
});
afterEach(async () => {
  await memory.close();
});

async function createDraft(): Promise<string> {
  return (await auctions.create({ title: 'lifecycle' })).id;
}

async function storedState(auctionId: string) {
  const row = await memory.client.auction.findUniqueOrThrow({ where: { id: auctionId } });
  const log = await memory.client.transition.findMany({ where: { auctionId }, orderBy: { id: 'asc' } });
  return { row, log: log.map((entry) => [entry.fromState, entry.toState, entry.reason]) };
}

describe('lifecycle service on a database', () => {
  test('stores move, log line and closing time', async () => {
    const id = await createDraft();
    const closesAt = new Date(Date.now() + 60_000);

    const moved = await lifecycle.transition(id, 'open', { closesAt });

    const stored = await storedState(id);
    expect(stored.row).toEqual(moved);
    expect(stored.row.closesAt).toEqual(closesAt);
    expect(stored.row.openedAt).not.toBeNull();
    expect(stored.log).toEqual([[null, 'draft', null], ['draft', 'open', null]]);
    expect(events).toEqual([{ type: 'state', auctionId: id, state: 'open', reason: null, at: moved?.updatedAt.toISOString() }]);
  });

  test('rereads a stale cached row', async () => {
    const id = await createDraft();
    await auctions.require(id);
    await memory.client.$executeRaw`UPDATE auctions SET state = 'open' WHERE id = ${id}`;

    const moved = await lifecycle.transition(id, 'closed');

    expect(moved?.state).toBe('closed');
    const stored = await storedState(id);
    expect(stored.row.state).toBe('closed');
    expect(stored.log.at(-1)).toEqual(['open', 'closed', null]);
  });

  test('skips a state outside onlyFrom', async () => {
    const id = await createDraft();

    const moved = await lifecycle.transition(id, 'failed', { reason: 'test', onlyFrom: ['closed', 'computing'] });

    expect(moved).toBeNull();
    expect((await storedState(id)).log).toHaveLength(1);
    expect(events).toEqual([]);
  });

  test('rejects a forbidden move', async () => {
    const id = await createDraft();

    await expect(lifecycle.transition(id, 'settled')).rejects.toThrow(StateConflictError);

    expect((await storedState(id)).row.state).toBe('draft');
  });

  test('rolls back on failed writes', async () => {
    const id = await createDraft();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('extra write failed');
    };

    await expect(lifecycle.transition(id, 'open', { closesAt: new Date(Date.now() + 60_000), writes: failing })).rejects.toThrow('extra write failed');

    const stored = await storedState(id);
    expect(stored.row.state).toBe('draft');
    expect(stored.log).toHaveLength(1);
    expect((await auctions.require(id)).state).toBe('draft');
    expect(calls).toBe(1);
  });

  test('commits extra writes with move', async () => {
    const id = await createDraft();

    await lifecycle.transition(id, 'open', {
      closesAt: new Date(Date.now() + 60_000),
      writes: async (tx, auction) => {
        await tx.bidder.create({ data: { id: `seen-${auction.state}`, name: 'written with the move' } });
      },
    });

    expect(await memory.client.bidder.findUnique({ where: { id: 'seen-open' } })).not.toBeNull();
  });

  test('keeps later bid counts', async () => {
    const id = await createDraft();
    await lifecycle.transition(id, 'open', { closesAt: new Date(Date.now() + 60_000) });
    auctions.countsChanged(id, { sealedBids: 4 });

    const closed = await lifecycle.transition(id, 'closed');

    expect(closed?.sealedBids).toBe(4);
    expect((await auctions.require(id)).sealedBids).toBe(4);
  });

  test('rejects an unknown auction', async () => {
    await expect(lifecycle.transition('no-such-auction', 'open')).rejects.toThrow('auction no-such-auction not found');
  });
});

describe('draft creation', () => {
  test('caches the row as stored', async () => {
    const settings = { direction: 'lowest-wins', decimals: 2, reserve: { kind: 'public', amount: '1500.25' }, minPrice: '100.50', disclosure: 'amount-only' } as const;
    const created = await auctions.create({ title: 'stored as cached', ...settings });

    const stored = await storedState(created.id);

    expect(await auctions.require(created.id)).toEqual(stored.row);
    expect(stored.row).toMatchObject({ direction: 'lowest_wins', disclosure: 'amount_only', reserveKind: 'public', state: 'draft', sealedBids: 0 });
    expect(stored.row.reserve?.toFixed(0)).toBe('150025');
    expect(stored.row.minPrice?.toFixed(0)).toBe('10050');
    expect(stored.log).toEqual([[null, 'draft', null]]);
  });

  test('stores a draft without reserve', async () => {
    const created = await auctions.create({ title: 'plain draft' });

    const stored = await storedState(created.id);

    expect(await auctions.require(created.id)).toEqual(stored.row);
    expect(stored.row).toMatchObject({ direction: 'highest_wins', reserve: null, minPrice: null, closesAt: null });
  });
});
