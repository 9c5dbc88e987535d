/**
 * End to end: three evaluator processes, sealed envelopes built with shareBid
 * and sealEnvelope, a compute request at every evaluator, and the signed
 * outcomes compared with the plaintext reference.
 */
import {
  envelopeHash,
  generateSealingKeyPair,
  openWonBit,
  sealEnvelope,
  toBase64Url,
  verifyReceipt,
  verifyResult,
  type KeyPair,
} from '../../src/crypto/index.js';
import { reconstructSecret, referenceOutcome, shareBid, type AuctionRules } from '../../src/mpc/index.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { request, waitForRun } from './support/http.js';

import { jest } from '@jest/globals';

jest.setTimeout(240_000);

interface Bid {
  bidderId: string;
  submissionId: string;
  amount: bigint;
  wonBitKeys?: KeyPair;
}

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

async function register(auctionId: string, rules: Record<string, unknown>, closesAt: Date): Promise<void> {
  for (const member of cluster.members) {
    const { status, body } = await request('PUT', `${member.url}/v1/auctions/${auctionId}`, {
      rules,
      closesAt: closesAt.toISOString(),
      parties: 3,
      degree: 1,
    });
    expect({ evaluator: member.index, status, body }).toMatchObject({ status: 201 });
  }
}

async function submit(auctionId: string, bid: Bid, bits: number): Promise<void> {
  const shares = shareBid(bid.amount, bits, { parties: 3, degree: 1 });
  for (const member of cluster.members) {
    const wonBitKey = bid.wonBitKeys ? toBase64Url(bid.wonBitKeys.publicKey) : undefined;
    const binding = { auctionId, bidderId: bid.bidderId, submissionId: bid.submissionId, evaluator: member.index, wonBitKey };
    const envelope = sealEnvelope(shares[member.index - 1], member.keys.sealing.publicKey, binding);
    const { status, body } = await request('POST', `${member.url}/v1/auctions/${auctionId}/envelopes`, {
      bidderId: bid.bidderId,
      submissionId: bid.submissionId,
      envelope,
      wonBitKey,
    });

    expect({ evaluator: member.index, status }).toEqual({ evaluator: member.index, status: 201 });
    expect(body.receipt.envelopeHash).toBe(envelopeHash(envelope));
    expect(body.receipt.evaluator).toBe(member.index);
    expect(verifyReceipt(body.receipt, body.signature, member.keys.signing.publicKey)).toBe(true);
  }
}

async function computeEverywhere(auctionId: string, runId: string, bids: Bid[]): Promise<any[]> {
  const list = bids.map((bid) => ({ bidderId: bid.bidderId, submissionId: bid.submissionId }));
  for (const member of cluster.members) {
    const { status, body } = await request('POST', `${member.url}/v1/auctions/${auctionId}/compute`, { runId, bids: list });
    expect({ evaluator: member.index, status, body }).toMatchObject({ status: 202, body: { runId } });
  }
  return Promise.all(cluster.members.map((member) => waitForRun(member.url, auctionId, runId)));
}

async function waitUntil(time: Date): Promise<void> {
  const delay = time.getTime() - Date.now() + 50;
  if (delay > 0) {
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function expectAgreeingSignedResults(results: any[]): void {
  for (const [position, result] of results.entries()) {
    const member = cluster.members[position];
    expect({ evaluator: member.index, state: result.state, error: result.error }).toEqual({ evaluator: member.index, state: 'completed', error: null });
    expect(verifyResult(result.result.statement, result.result.signature, member.keys.signing.publicKey)).toBe(true);
    expect(result.result.statement).toEqual(results[0].result.statement);
    expect(result.agreement.signatures).toHaveLength(3);
    // Every party runs the same rounds and products, so the counters agree across evaluators.
    expect(result.stats.rounds).toBeGreaterThan(0);
    expect(result.stats.multiplications).toBeGreaterThan(0);
    expect(result.stats.bytesSent).toBeGreaterThan(0);
    expect([result.stats.rounds, result.stats.multiplications]).toEqual([results[0].stats.rounds, results[0].stats.multiplications]);
  }
}

describe('three evaluator processes', () => {
  it('compute a second-price auction', async () => {
    const auctionId = 'e2e-second-price';
    const bits = 16;
    const rules = { bits, direction: 'highest-wins', price: 'second', ties: 'earliest', disclosure: 'public', reserve: { kind: 'public', amount: '100' } };
    const closesAt = new Date(Date.now() + 8_000);
    await register(auctionId, rules, closesAt);

    const bids: Bid[] = [
      { bidderId: 'alice', submissionId: 'alice-1', amount: 4200n },
      { bidderId: 'bob', submissionId: 'bob-1', amount: 1000n },
      { bidderId: 'carol', submissionId: 'carol-1', amount: 65535n },
      { bidderId: 'dave', submissionId: 'dave-1', amount: 50n },
      { bidderId: 'erin', submissionId: 'erin-1', amount: 4300n },
    ];
    for (const bid of bids) {
      await submit(auctionId, bid, bits);
    }
    const amendment: Bid = { bidderId: 'bob', submissionId: 'bob-2', amount: 5000n };
    await submit(auctionId, amendment, bits);
    const finalBids = bids.map((bid) => (bid.bidderId === 'bob' ? amendment : bid));

    await waitUntil(closesAt);
    const results = await computeEverywhere(auctionId, `${auctionId}.run-1`, finalBids);
    expectAgreeingSignedResults(results);

    // The reserve of 100 binds neither the winner nor the price here, so the reference runs without it.
    const core: AuctionRules = { bits, direction: 'highest-wins', price: 'second', ties: 'earliest', disclosure: 'public' };
    const expected = referenceOutcome(finalBids.map((bid) => bid.amount), core);
    const outcome = results[0].result.statement.outcome;
    expect(outcome.status).toBe(expected.status);
    expect(outcome.winner).toBe(expected.winner);
    expect(outcome.price).toBe(expected.price?.toString() ?? null);
    expect(outcome.validBids).toBe(5);
    expect(outcome.rejected).toEqual([]);
    expect(outcome).toMatchObject({ status: 'settled', winner: 2, price: '5000' });
  });

  it('reject a bid missing at one evaluator', async () => {
    const auctionId = 'e2e-missing-envelope';
    const bits = 8;
    const rules = { bits, direction: 'lowest-wins', price: 'first', ties: 'earliest', disclosure: 'public' };
    const closesAt = new Date(Date.now() + 5_000);
    await register(auctionId, rules, closesAt);

    const bids: Bid[] = [
      { bidderId: 'a', submissionId: 'a-1', amount: 90n },
      { bidderId: 'b', submissionId: 'b-1', amount: 70n },
      { bidderId: 'c', submissionId: 'c-1', amount: 80n },
    ];
    await submit(auctionId, bids[0], bits);
    await submit(auctionId, bids[2], bits);
    // Bidder b reaches evaluators 1 and 2 only.
    const shares = shareBid(bids[1].amount, bits, { parties: 3, degree: 1 });
    for (const member of cluster.members.slice(0, 2)) {
      const binding = { auctionId, bidderId: 'b', submissionId: 'b-1', evaluator: member.index };
      const envelope = sealEnvelope(shares[member.index - 1], member.keys.sealing.publicKey, binding);
      const { status } = await request('POST', `${member.url}/v1/auctions/${auctionId}/envelopes`, { bidderId: 'b', submissionId: 'b-1', envelope });
      expect(status).toBe(201);
    }

    await waitUntil(closesAt);
    const results = await computeEverywhere(auctionId, `${auctionId}.run-1`, bids);
    expectAgreeingSignedResults(results);

    const outcome = results[0].result.statement.outcome;
    expect(outcome.rejected).toHaveLength(1);
    expect(outcome.rejected[0].bid).toBe(1);
    expect(outcome.rejected[0].reason).toMatch(/evaluator 3: no bid envelope b-1 was received/);
    expect(outcome).toMatchObject({ status: 'settled', winner: 2, price: '80', validBids: 2 });
  });

  it('seal won bits under amount-only', async () => {
    const auctionId = 'e2e-amount-only';
    const bits = 12;
    const rules = { bits, direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'amount-only' };
    const closesAt = new Date(Date.now() + 5_000);
    await register(auctionId, rules, closesAt);

    const bids: Bid[] = [
      { bidderId: 'x', submissionId: 'x-1', amount: 300n, wonBitKeys: generateSealingKeyPair() },
      { bidderId: 'y', submissionId: 'y-1', amount: 2500n, wonBitKeys: generateSealingKeyPair() },
      { bidderId: 'z', submissionId: 'z-1', amount: 1200n, wonBitKeys: generateSealingKeyPair() },
    ];
    for (const bid of bids) {
      await submit(auctionId, bid, bits);
    }

    await waitUntil(closesAt);
    const runId = `${auctionId}.run-1`;
    const results = await computeEverywhere(auctionId, runId, bids);
    expectAgreeingSignedResults(results);
    expect(results[0].result.statement.outcome).toMatchObject({ status: 'settled', winner: null, price: '2500' });

    const won = bids.map((bid, position) => {
      const shares = results.map((result, i) => {
        const entry = result.wonBits[position];
        expect(entry).toMatchObject({ bidderId: bid.bidderId, submissionId: bid.submissionId });
        const binding = { auctionId, runId, bidderId: bid.bidderId, submissionId: bid.submissionId, evaluator: i + 1 };
        return { party: i + 1, share: openWonBit(entry.sealed, bid.wonBitKeys!.secretKey, binding) };
      });
      return reconstructSecret(shares, 1);
    });
    expect(won).toEqual([0, 1, 0]);
  });

  it('fail on different submission sets', async () => {
    const auctionId = 'e2e-mismatch';
    const bits = 8;
    const rules = { bits, direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'public' };
    const closesAt = new Date(Date.now() + 4_000);
    await register(auctionId, rules, closesAt);
    const bids: Bid[] = [
      { bidderId: 'a', submissionId: 'a-1', amount: 1n },
      { bidderId: 'b', submissionId: 'b-1', amount: 2n },
    ];
    for (const bid of bids) {
      await submit(auctionId, bid, bits);
    }
    await waitUntil(closesAt);

    const runId = `${auctionId}.run-1`;
    for (const member of cluster.members) {
      const order = member.index === 1 ? bids : [...bids].reverse();
      const list = order.map((bid) => ({ bidderId: bid.bidderId, submissionId: bid.submissionId }));
      const { status } = await request('POST', `${member.url}/v1/auctions/${auctionId}/compute`, { runId, bids: list });
      expect(status).toBe(202);
    }
    const results = await Promise.all(cluster.members.map((member) => waitForRun(member.url, auctionId, runId)));

    const codes = results.map((result) => result.error?.code);
    expect(results.map((result) => result.state)).toEqual(['failed', 'failed', 'failed']);
    expect(results.map((result) => result.result)).toEqual([null, null, null]);
    expect(codes.every((code) => code === 'submission-set-mismatch' || code === 'peer-failed')).toBe(true);
    expect(codes).toContain('submission-set-mismatch');
  });

  it('abort a run when a peer drops, then recover', async () => {
    const auctionId = 'e2e-peer-drop';
    const bits = 8;
    const rules = { bits, direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'public' };
    const closesAt = new Date(Date.now() + 4_000);
    await register(auctionId, rules, closesAt);
    const bids: Bid[] = [
      { bidderId: 'a', submissionId: 'a-1', amount: 17n },
      { bidderId: 'b', submissionId: 'b-1', amount: 99n },
    ];
    for (const bid of bids) {
      await submit(auctionId, bid, bits);
    }
    await waitUntil(closesAt);

    // Evaluators 1 and 2 wait in the agreement for evaluator 3, which then dies.
    const list = bids.map((bid) => ({ bidderId: bid.bidderId, submissionId: bid.submissionId }));
    const runId = `${auctionId}.run-1`;
    for (const member of cluster.members.slice(0, 2)) {
      const { status } = await request('POST', `${member.url}/v1/auctions/${auctionId}/compute`, { runId, bids: list });
      expect(status).toBe(202);
    }
    const third = cluster.members[2];
    third.process.kill('SIGKILL');
    const failed = await Promise.all(cluster.members.slice(0, 2).map((member) => waitForRun(member.url, auctionId, runId)));
    expect(failed.map((result) => result.state)).toEqual(['failed', 'failed']);

    // The first evaluator to detect the drop sends run-failed to the other, which can receive it before its own detection.
    const dropped = failed.filter((result) => result.error.code === 'peer-disconnected');
    const forwarded = failed.filter((result) => result.error.code === 'peer-failed');
    expect(dropped.length + forwarded.length).toBe(2);
    expect(dropped.length).toBeGreaterThan(0);
    dropped.forEach((result) => expect(result.error.message).toMatch(/lost connection to party 3/));
    forwarded.forEach((result) => expect(result.error.message).toMatch(/party [12] aborted run .* \(peer-disconnected\)/));
    const identity = await request('GET', `${cluster.members[0].url}/v1/identity`, undefined, null);
    expect(identity.body.health.status).toBe('degraded');

    await cluster.restart(third);

    // Evaluator 3 never received run 1. Requested to compute it now, it gets run-failed from the peers that failed it.
    const requestedAt = Date.now();
    const late = await request('POST', `${third.url}/v1/auctions/${auctionId}/compute`, { runId, bids: list });
    expect(late.status).toBe(202);
    const stale = await waitForRun(third.url, auctionId, runId);
    expect(stale.state).toBe('failed');
    expect(stale.error.code).toBe('peer-failed');
    expect(stale.error.message).toMatch(/^party [12] aborted run e2e-peer-drop\.run-1 \(peer-(disconnected|failed)\)$/);
    expect(Date.now() - requestedAt).toBeLessThan(10_000);

    // The restarted evaluator keeps its envelopes, and a new run succeeds.
    const retry = await computeEverywhere(auctionId, `${auctionId}.run-2`, bids);
    expectAgreeingSignedResults(retry);
    expect(retry[0].result.statement.outcome).toMatchObject({ status: 'settled', winner: 1, price: '99' });
  });
});
