/**
 * Hostile bidders against real processes. Malformed or misbound sealed bids
 * are refused with a 4xx naming the problem, and bids whose shares are not
 * bits or not on one polynomial of degree t are excluded at validation with
 * the reason in the signed result, while the other bids settle the auction
 * as the plaintext reference predicts.
 */
import { jest } from '@jest/globals';

import { BidderClient, OperatorClient, type EvaluatorSet } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { fromBase64Url, sealEnvelope, type Envelope } from '../../src/crypto/index.js';
import { P, shareBid } from '../../src/mpc/index.js';
import { REASON_INCONSISTENT, REASON_NOT_A_BIT } from '../../src/mpc/protocol/validate.js';
import { expectedOutcome, openAuction, waitForEnd, type ReferenceSettings } from '../cli/support/e2e.js';

jest.setTimeout(10 * 60_000);

const BITS = 24;
const SETTINGS: ReferenceSettings = { bits: BITS, decimals: 0, direction: 'highest-wins', price: 'second', reserve: null };

let cluster: Cluster;
let operator: OperatorClient;
let set: EvaluatorSet;

beforeAll(async () => {
  cluster = await startCluster({ evaluators: 3 });
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
  set = await operator.getEvaluators();
});
afterAll(async () => {
  await cluster?.stop();
});

interface Binding {
  auctionId: string;
  bidderId: string;
  submissionId: string;
}

/** Seals one share vector per evaluator with the given binding; `vectors[i]` goes to party i + 1. */
function seal(vectors: Uint32Array[], binding: Binding): Array<{ evaluator: number; envelope: Envelope }> {
  return set.evaluators.map((evaluator) => ({
    evaluator: evaluator.party,
    envelope: sealEnvelope(vectors[evaluator.party - 1], fromBase64Url(evaluator.sealingKey), { ...binding, evaluator: evaluator.party }),
  }));
}

async function admit(auctionId: string, bidderId: string): Promise<{ token: string; client: BidderClient }> {
  await operator.registerBidder(`Bidder ${bidderId}`, bidderId);
  const token = await operator.issueToken(auctionId, bidderId);
  return { token, client: new BidderClient({ baseUrl: cluster.orchestratorUrl, auctionId, token }) };
}

async function send(auctionId: string, token: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${cluster.orchestratorUrl}/v1/auctions/${auctionId}/submissions`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  let parsed: { error?: string; message?: string | string[] } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // Reported through the status and the raw text below.
  }
  return { status: response.status, error: parsed.error, message: String(parsed.message ?? text) };
}

describe('hostile bidders', () => {
  test('malformed and misbound bids are refused', async () => {
    const earlier = await openAuction(operator, 'earlier auction', { bits: BITS }, 120_000);
    const auctionId = await openAuction(operator, 'target auction', { bits: BITS }, 120_000);
    const { token, client } = await admit(auctionId, 'mallory');
    const standing = await client.submitBid('1000');

    const bind = (submissionId = crypto.randomUUID()): Binding => ({ auctionId, bidderId: 'mallory', submissionId });
    const valid = (binding: Binding) => seal(shareBid(4242n, BITS, { parties: 3, degree: 1 }), binding);
    const body = (binding: Binding, envelopes: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ submissionId: binding.submissionId, envelopes, ...extra });

    // A bid the same bidder made in an earlier auction, which it then replays here.
    const oldBinding = { auctionId: earlier, bidderId: 'mallory', submissionId: crypto.randomUUID() };
    const replayed = { binding: oldBinding, envelopes: seal(shareBid(5n, BITS, { parties: 3, degree: 1 }), oldBinding) };
    expect((await send(earlier, await operator.issueToken(earlier, 'mallory'), body(oldBinding, replayed.envelopes))).status).toBe(201);

    const cases: Array<[string, () => Promise<Awaited<ReturnType<typeof send>>>, number, RegExp]> = [
      ['wrong number of bits', async () => {
        const binding = bind();
        return send(auctionId, token, body(binding, seal(shareBid(5n, 16, { parties: 3, degree: 1 }), binding)));
      }, 422, /envelope contains 16 shares, expected 24/],
      ['sealed to another evaluator', async () => {
        const binding = bind();
        const envelopes = valid(binding);
        [envelopes[0].envelope, envelopes[1].envelope] = [envelopes[1].envelope, envelopes[0].envelope];
        return send(auctionId, token, body(binding, envelopes));
      }, 422, /evaluator 1 .*failed authentication/],
      ['bound to another auction', async () => {
        const binding = bind();
        return send(auctionId, token, body(binding, seal(shareBid(5n, BITS, { parties: 3, degree: 1 }), { ...binding, auctionId: earlier })));
      }, 422, /failed authentication/],
      ['bound to another bidder', async () => {
        const binding = bind();
        return send(auctionId, token, body(binding, seal(shareBid(5n, BITS, { parties: 3, degree: 1 }), { ...binding, bidderId: 'victim' })));
      }, 422, /failed authentication/],
      ['replayed from an earlier auction', async () => {
        return send(auctionId, token, body(replayed.binding, replayed.envelopes));
      }, 409, /submission id \S+ was already used for another sealed bid/],
      ['replayed under a fresh id', async () => {
        return send(auctionId, token, body(bind(), replayed.envelopes));
      }, 422, /failed authentication/],
      ['altered ciphertext', async () => {
        const binding = bind();
        const envelopes = valid(binding);
        const bytes = fromBase64Url(envelopes[2].envelope.ciphertext);
        bytes[3] ^= 1;
        envelopes[2].envelope = { ...envelopes[2].envelope, ciphertext: Buffer.from(bytes).toString('base64url') };
        return send(auctionId, token, body(binding, envelopes));
      }, 422, /evaluator 3 .*failed authentication/],
      ['unknown fields', async () => {
        const binding = bind();
        return send(auctionId, token, body(binding, valid(binding), { amount: '9999' }));
      }, 400, /property amount should not exist/],
      ['unknown envelope field', async () => {
        const binding = bind();
        const envelopes = valid(binding).map((item) => ({ ...item, envelope: { ...item.envelope, plaintext: 'x' } }));
        return send(auctionId, token, body(binding, envelopes));
      }, 400, /plaintext should not exist/],
      ['truncated body', async () => {
        const binding = bind();
        const text = body(binding, valid(binding));
        return send(auctionId, token, text.slice(0, Math.floor(text.length / 2)));
      }, 400, /JSON|Unexpected|Expected/],
      ['oversized body', async () => {
        const binding = bind();
        return send(auctionId, token, body(binding, valid(binding), { padding: 'x'.repeat(2_000_000) }));
      }, 413, /^the request body is larger than 1048576 bytes, the most the orchestrator reads; send a smaller body$/],
      ['wrong content type', async () => {
        const binding = bind();
        return send(auctionId, token, body(binding, valid(binding)), 'text/plain');
      }, 415, /^the request body has content-type text\/plain; send JSON with content-type application\/json$/],
    ];

    for (const [name, attempt, status, reason] of cases) {
      const response = await attempt();
      expect({ name, status: response.status }).toEqual({ name, status });
      expect({ name, message: response.message }).toEqual({ name, message: expect.stringMatching(reason) });
    }
    // None of them replaced the standing bid, and nothing was stored for them.
    expect((await client.me()).submission?.submissionId).toBe(standing.submissionId);
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(1);
    expect((await operator.getAuction(earlier)).sealedBids).toBe(1);
  });

  test('invalid shares are excluded and the auction goes on', async () => {
    const auctionId = await openAuction(operator, 'invalid shares', { bits: BITS, price: 'second' }, 120_000);
    const honest = [['h-0', '700'], ['h-1', '950'], ['h-2', '820']] as const;
    for (const [bidderId, amount] of honest.slice(0, 2)) {
      await (await admit(auctionId, bidderId)).client.submitBid(amount);
    }

    // Not a bit: every party gets a valid degree-1 share of 2 in the lowest bit.
    const notBit = await admit(auctionId, 'x-notbit');
    const twoBinding = { auctionId, bidderId: 'x-notbit', submissionId: crypto.randomUUID() };
    const two = shareBid(3n, BITS, { parties: 3, degree: 1 });
    const one = shareBid(1n, BITS, { parties: 3, degree: 1 });
    const vectors = two.map((vector, party) => {
      const copy = Uint32Array.from(vector);
      copy[0] = (vector[0] + one[party][0]) % P;
      return copy;
    });
    expect((await send(auctionId, notBit.token, JSON.stringify({ submissionId: twoBinding.submissionId, envelopes: seal(vectors, twoBinding) }))).status).toBe(201);

    // Inconsistent: party 3's share of bit 5 moved off the line through parties 1 and 2.
    const skewed = await admit(auctionId, 'x-skewed');
    const skewBinding = { auctionId, bidderId: 'x-skewed', submissionId: crypto.randomUUID() };
    const shares = shareBid(999_999n, BITS, { parties: 3, degree: 1 });
    shares[2][5] = (shares[2][5] + 1) % P;
    expect((await send(auctionId, skewed.token, JSON.stringify({ submissionId: skewBinding.submissionId, envelopes: seal(shares, skewBinding) }))).status).toBe(201);

    await (await admit(auctionId, honest[2][0])).client.submitBid(honest[2][1]);
    await operator.closeAuction(auctionId);
    const ended = await waitForEnd(operator, auctionId);
    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');

    const result = await operator.getResult(auctionId);
    const submissionSet = await operator.submissionSet(auctionId);
    const position = (bidderId: string) => submissionSet.bids.findIndex((bid) => bid.bidderId === bidderId);
    expect(result.outcome.rejected).toEqual(
      [
        { bid: position('x-notbit'), reason: REASON_NOT_A_BIT },
        { bid: position('x-skewed'), reason: REASON_INCONSISTENT },
      ].sort((a, b) => a.bid - b.bid),
    );
    const expected = expectedOutcome(honest.map(([, amount]) => amount), SETTINGS);
    expect(result.outcome.validBids).toBe(3);
    expect(result.outcome.price).toBe(expected.price);
    expect(result.winnerBidderId).toBe(honest[expected.winner as number][0]);
  });
});
