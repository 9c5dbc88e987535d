/**
 * The group statements against the single-submission statements as the
 * reference: random sequences of bids, amendments and reserves, with some
 * bidders excluded, are written one by one into one auction and in groups
 * into another, and both auctions must end in the same rows and counts.
 */
import type { Envelope } from '../../src/crypto/index.js';
import type { SignedReceipt } from '../../src/orchestrator/evaluators/evaluator-types.js';
import type { PrismaClient } from '../../src/orchestrator/generated/prisma/client.js';
import { acceptGroup, insertPendingGroup } from '../../src/orchestrator/submissions/submission-batch-store.js';
import { acceptSubmission, insertPending, type Acceptance, type PendingSubmission } from '../../src/orchestrator/submissions/submission-store.js';
import { openMemoryDatabase, type MemoryDatabase } from './support/memory-database.js';

const BIDDERS = ['b0', 'b1', 'b2', 'b3', 'b4'];
let memory: MemoryDatabase;
let client: PrismaClient;

beforeAll(async () => {
  memory = await openMemoryDatabase();
  client = memory.client;
  await client.bidder.createMany({ data: BIDDERS.map((id) => ({ id, name: id })) });
});

afterAll(async () => {
  await memory?.close();
});

/** One step of a sequence: a bid of a bidder, or the operator's reserve. */
interface Step {
  kind: 'bid' | 'reserve';
  bidderId: string;
}

async function openAuction(excluded: string[], state: 'open' | 'closed' = 'open'): Promise<string> {
  const id = crypto.randomUUID();
  await client.auction.create({ data: { id, title: 'Group test', state } });
  await client.participant.createMany({ data: BIDDERS.map((bidderId) => ({ auctionId: id, bidderId, tokenHash: `${id}-${bidderId}` })) });
  await client.exclusion.createMany({ data: excluded.map((bidderId) => ({ auctionId: id, bidderId, reason: 'test' })) });
  return id;
}

function pendingOf(auctionId: string, id: string, step: Step): PendingSubmission {
  // Out of party order, so that the stored envelope_hashes show the sorting.
  const envelopes = [2, 3, 1].map((party) => ({
    party,
    envelope: { version: 1, ephemeralPublicKey: `key-${party}`, nonce: 'nonce', ciphertext: id } as Envelope,
    hash: `${id}-${party}`,
  }));
  return { id, auctionId, bidderId: step.kind === 'bid' ? step.bidderId : null, kind: step.kind, wonBitKey: null, envelopes };
}

function acceptanceOf(auctionId: string, id: string, step: Step): Acceptance {
  const receipts: SignedReceipt[] = [1, 2, 3].map((evaluator) => ({
    receipt: { auctionId, bidderId: step.bidderId, submissionId: id, evaluator, envelopeHash: 'h', receivedAt: new Date(0).toISOString(), onTime: true },
    signature: `sig-${evaluator}`,
  }));
  return { auctionId, submissionId: id, kind: step.kind, bidderId: step.bidderId, receipts };
}

/** Splits the steps into consecutive groups of one to six bids, starting a new group where a bidder repeats. A reserve goes alone. */
function groupsOf(steps: Step[], random: () => number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let senders = new Set<string>();
  let size = 1 + Math.floor(random() * 6);
  steps.forEach((step, index) => {
    const sender = step.kind === 'reserve' ? 'reserve' : step.bidderId;
    if (current.length > 0 && (current.length === size || senders.has(sender) || step.kind === 'reserve' || senders.has('reserve'))) {
      groups.push(current);
      current = [];
      senders = new Set();
      size = 1 + Math.floor(random() * 6);
    }
    current.push(index);
    senders.add(sender);
  });
  groups.push(current);
  return groups;
}

/** Describes an auction's submissions by step number, so two auctions with different ids compare equal. */
async function snapshot(auctionId: string, ids: string[]) {
  const stepOf = new Map(ids.map((id, index) => [id, index]));
  const rows = await client.submission.findMany({ where: { auctionId }, orderBy: { id: 'asc' }, include: { receipts: true, envelopes: true } });
  const auction = await client.auction.findUniqueOrThrow({ where: { id: auctionId } });
  const submissions = rows
    .map((row) => ({
      step: stepOf.get(row.id),
      status: row.status,
      sequence: row.sequence,
      replaces: row.replacesId === null ? null : stepOf.get(row.replacesId),
      receipts: row.receipts.length,
      envelopes: row.envelopes.length,
      hashes: (row.envelopeHashes ?? []).map((hash) => hash.slice(row.id.length)),
    }))
    .sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  return { submissions, sealedBids: auction.sealedBids, sealedReserves: auction.sealedReserves };
}

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('submission groups', () => {
  it('match single writes randomly', async () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 25; trial++) {
      const steps: Step[] = Array.from({ length: 4 + Math.floor(random() * 16) }, () =>
        random() < 0.15 ? { kind: 'reserve', bidderId: 'operator:reserve' } : { kind: 'bid', bidderId: BIDDERS[Math.floor(random() * BIDDERS.length)] },
      );
      const excluded = BIDDERS.filter(() => random() < 0.2);
      const [single, grouped] = [await openAuction(excluded), await openAuction(excluded)];
      const singleIds = steps.map(() => crypto.randomUUID());
      const groupedIds = steps.map(() => crypto.randomUUID());

      const singleOutcomes = [];
      for (const [index, step] of steps.entries()) {
        await insertPending(client, pendingOf(single, singleIds[index], step));
        singleOutcomes.push(await acceptSubmission(client, acceptanceOf(single, singleIds[index], step)));
      }
      const groupedOutcomes = [];
      for (const group of groupsOf(steps, random)) {
        const stored = await insertPendingGroup(client, group.map((index) => pendingOf(grouped, groupedIds[index], steps[index])));
        expect(stored.size).toBe(group.length);
        const acceptances = group.map((index) => acceptanceOf(grouped, groupedIds[index], steps[index]));
        const reserve = acceptances[0].kind === 'reserve';
        groupedOutcomes.push(...(reserve ? [await acceptSubmission(client, acceptances[0])] : await acceptGroup(client, acceptances)));
      }

      const snapshots = [await snapshot(grouped, groupedIds), await snapshot(single, singleIds)];
      expect(snapshots[0]).toEqual(snapshots[1]);
      expect(snapshots[0].submissions.map((submission) => submission.hashes.join(' '))).toEqual(steps.map(() => '-1 -2 -3'));
      const byStep = (ids: string[]) => (outcome: { replaced: string | null }) => (outcome.replaced === null ? null : ids.indexOf(outcome.replaced));
      expect(groupedOutcomes.map(byStep(groupedIds))).toEqual(singleOutcomes.map(byStep(singleIds)));
      expect(groupedOutcomes.at(-1)?.sealedBids).toBe(singleOutcomes.at(-1)?.sealedBids);
    }
  });

  it('reject a reserve', async () => {
    const auctionId = await openAuction([]);

    const group = acceptGroup(client, [acceptanceOf(auctionId, crypto.randomUUID(), { kind: 'reserve', bidderId: 'operator:reserve' })]);

    await expect(group).rejects.toThrow('acceptGroup accepts bids only');
  });

  it('skip taken ids, closed auctions', async () => {
    const open = await openAuction([]);
    const closed = await openAuction([], 'closed');
    const takenId = crypto.randomUUID();
    await insertPending(client, pendingOf(open, takenId, { kind: 'bid', bidderId: 'b0' }));
    const fresh = [crypto.randomUUID(), crypto.randomUUID()];

    const stored = await insertPendingGroup(client, [
      pendingOf(open, takenId, { kind: 'bid', bidderId: 'b1' }),
      pendingOf(open, fresh[0], { kind: 'bid', bidderId: 'b1' }),
      pendingOf(closed, fresh[1], { kind: 'bid', bidderId: 'b1' }),
    ]);
    const outcomes = await acceptGroup(client, [
      acceptanceOf(open, fresh[0], { kind: 'bid', bidderId: 'b1' }),
      acceptanceOf(closed, fresh[1], { kind: 'bid', bidderId: 'b1' }),
    ]);

    expect([...stored].sort()).toEqual([...fresh].sort());
    expect((await client.submission.findUniqueOrThrow({ where: { id: takenId } })).bidderId).toBe('b0');
    expect(outcomes).toEqual([
      { auctionState: 'open', replaced: null, sealedBids: 1 },
      { auctionState: 'closed', replaced: null, sealedBids: 0 },
    ]);
    expect((await client.submission.findUniqueOrThrow({ where: { id: fresh[1] } })).status).toBe('pending');
    expect(await client.receipt.count({ where: { submissionId: fresh[1] } })).toBe(0);
  });
});
