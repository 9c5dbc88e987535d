import type { Envelope } from '../../src/crypto/index.js';
import type { SignedReceipt } from '../../src/orchestrator/evaluators/evaluator-types.js';
import type { PrismaClient } from '../../src/orchestrator/generated/prisma/client.js';
import { acceptSubmission, insertPending, isUniqueViolation } from '../../src/orchestrator/submissions/submission-store.js';
import { openMemoryDatabase, type MemoryDatabase } from './support/memory-database.js';

let memory: MemoryDatabase;
let client: PrismaClient;

beforeAll(async () => {
  memory = await openMemoryDatabase();
  client = memory.client;
  await client.bidder.createMany({ data: ['ann', 'bob'].map((id) => ({ id, name: id })) });
});

afterAll(async () => {
  await memory?.close();
});

async function openAuction(state: 'open' | 'closed' = 'open'): Promise<string> {
  const id = crypto.randomUUID();
  await client.auction.create({ data: { id, title: 'Store test', state } });
  return id;
}

function envelopes() {
  return [1, 2, 3].map((party) => ({
    party,
    envelope: { version: 1, ephemeralPublicKey: `key-${party}`, nonce: 'nonce', ciphertext: 'ct' } as Envelope,
    hash: String(party).repeat(64),
  }));
}

function receipts(submissionId: string): SignedReceipt[] {
  return [1, 2, 3].map((evaluator) => ({
    receipt: { auctionId: 'a', bidderId: 'ann', submissionId, evaluator, envelopeHash: 'h', receivedAt: new Date(0).toISOString(), onTime: true },
    signature: `sig-${evaluator}`,
  }));
}

async function pending(auctionId: string, bidderId: string | null, kind: 'bid' | 'reserve' = 'bid'): Promise<string> {
  const id = crypto.randomUUID();
  await insertPending(client, { id, auctionId, bidderId, kind, wonBitKey: null, envelopes: envelopes() });
  return id;
}

async function accept(auctionId: string, submissionId: string, bidderId: string, kind: 'bid' | 'reserve' = 'bid') {
  return acceptSubmission(client, { auctionId, submissionId, kind, bidderId, receipts: receipts(submissionId) });
}

describe('submission store', () => {
  it('stores a pending submission with its envelopes', async () => {
    const auctionId = await openAuction();
    const id = await pending(auctionId, 'ann');

    const stored = await client.submission.findUniqueOrThrow({ where: { id }, include: { envelopes: { orderBy: { party: 'asc' } } } });
    expect(stored.status).toBe('pending');
    expect(stored.kind).toBe('bid');
    expect(stored.bidderId).toBe('ann');
    expect(stored.envelopes.map((row) => [row.party, row.hash, row.sealed])).toEqual(envelopes().map((item) => [item.party, item.hash, item.envelope]));
  });

  it('reports a taken id as a unique violation', async () => {
    const auctionId = await openAuction();
    const id = await pending(auctionId, 'ann');
    const again = insertPending(client, { id, auctionId, bidderId: 'bob', kind: 'bid', wonBitKey: null, envelopes: envelopes() });

    const error = await again.catch((caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
    expect(await client.envelope.count({ where: { submissionId: id } })).toBe(3);
  });

  it('accepts in order and supersedes the same sender only', async () => {
    const auctionId = await openAuction();
    const first = await pending(auctionId, 'ann');
    const other = await pending(auctionId, 'bob');
    const amendment = await pending(auctionId, 'ann');

    expect(await accept(auctionId, first, 'ann')).toEqual({ auctionState: 'open', replaced: null, sealedBids: 1 });
    expect(await accept(auctionId, other, 'bob')).toEqual({ auctionState: 'open', replaced: null, sealedBids: 2 });
    expect(await accept(auctionId, amendment, 'ann')).toEqual({ auctionState: 'open', replaced: first, sealedBids: 2 });

    const rows = await client.submission.findMany({ where: { auctionId }, orderBy: { sequence: 'asc' } });
    expect(rows.map((row) => [row.id, row.status, row.sequence, row.replacesId])).toEqual([
      [first, 'superseded', 1, null],
      [other, 'accepted', 2, null],
      [amendment, 'accepted', 3, first],
    ]);
    expect(await client.receipt.count({ where: { submissionId: amendment } })).toBe(3);
  });

  it('supersedes the previous reserve', async () => {
    const auctionId = await openAuction();
    const bid = await pending(auctionId, 'ann');
    const firstReserve = await pending(auctionId, null, 'reserve');
    const secondReserve = await pending(auctionId, null, 'reserve');
    await accept(auctionId, bid, 'ann');
    await accept(auctionId, firstReserve, 'operator:reserve', 'reserve');

    expect(await accept(auctionId, secondReserve, 'operator:reserve', 'reserve')).toEqual({ auctionState: 'open', replaced: firstReserve, sealedBids: 1 });
    expect((await client.submission.findUniqueOrThrow({ where: { id: bid } })).status).toBe('accepted');
  });

  it('changes nothing once the auction left open', async () => {
    const auctionId = await openAuction('closed');
    const id = await pending(auctionId, 'ann');

    expect(await accept(auctionId, id, 'ann')).toEqual({ auctionState: 'closed', replaced: null, sealedBids: 0 });
    const stored = await client.submission.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.sequence]).toEqual(['pending', null]);
    expect(await client.receipt.count({ where: { submissionId: id } })).toBe(0);
  });

  it('rejects an unknown auction', async () => {
    await expect(accept(crypto.randomUUID(), crypto.randomUUID(), 'ann')).rejects.toThrow(/not found while accepting/);
  });

  it('keeps the bid counts equal to counting the submissions', async () => {
    const auctionId = await openAuction();
    const bidders = ['ann', 'bob'];
    const random = seededRandom(7);

    for (let step = 0; step < 20; step++) {
      const kind = random() < 0.2 ? 'reserve' : 'bid';
      const bidderId = bidders[Math.floor(random() * bidders.length)];
      const outcome = await accept(auctionId, await pending(auctionId, kind === 'bid' ? bidderId : null, kind), bidderId, kind);

      const counted = await countSubmissions(auctionId);
      expect(outcome.sealedBids).toBe(counted.bids);
      expect(await storedCounts(auctionId)).toEqual(counted);
    }
  });
});

/** Counts the accepted bids and reserves directly, the reference for the stored counts. */
async function countSubmissions(auctionId: string): Promise<{ bids: number; reserves: number }> {
  const accepted = await client.submission.findMany({ where: { auctionId, status: 'accepted' }, select: { kind: true } });
  return {
    bids: accepted.filter((row) => row.kind === 'bid').length,
    reserves: accepted.filter((row) => row.kind === 'reserve').length,
  };
}

async function storedCounts(auctionId: string): Promise<{ bids: number; reserves: number }> {
  const row = await client.auction.findUniqueOrThrow({ where: { id: auctionId } });
  return { bids: row.sealedBids, reserves: row.sealedReserves };
}

/** A small deterministic generator, so a failing sequence can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
