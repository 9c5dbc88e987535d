import { PGlite } from '@electric-sql/pglite';

import { AmountError, BidderClient, OperatorClient, SealbidApiError, sealAmount } from '../../src/client/index.js';
import { OPERATOR_KEY, startHarness, type Harness } from './support/orchestrator-harness.js';

let harness: Harness;
let operator: OperatorClient;

beforeAll(async () => {
  harness = await startHarness();
  operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
});
afterAll(async () => {
  await harness?.stop();
});

async function openAuction(settings: Parameters<OperatorClient['createAuction']>[1] = {}) {
  const auction = await operator.createAuction('Lot', { decimals: 2, ...settings });
  await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
  return auction.id;
}

async function admit(auctionId: string, bidderId: string): Promise<BidderClient> {
  await operator.registerBidder(`Bidder ${bidderId}`, bidderId).catch((error: SealbidApiError) => {
    if (error.status !== 409) throw error;
  });
  const token = await operator.issueToken(auctionId, bidderId);
  return new BidderClient({ baseUrl: harness.url, auctionId, token });
}

function failure(promise: Promise<unknown>): Promise<SealbidApiError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: SealbidApiError) => error,
  );
}

describe('sealed submissions', () => {
  test('accepts a bid with a verified receipt from every evaluator', async () => {
    const auctionId = await openAuction();
    const bidder = await admit(auctionId, 'alpha');
    const bid = await bidder.submitBid('120.50');

    expect(bid.receipts.map((signed) => signed.receipt.evaluator)).toEqual([1, 2, 3]);
    expect(bid.replaces).toBeNull();
    expect(bid.wonBitSecretKey).toBeNull();
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(1);
    for (const fake of harness.fakes) {
      expect(fake.envelopes.get(bid.submissionId)?.bidderId).toBe('alpha');
    }

    const me = await bidder.me();
    expect(me.submission?.submissionId).toBe(bid.submissionId);
    expect(me.submission?.receipts).toEqual(bid.receipts);
  });

  test('rejects an invalid amount before anything is sent', async () => {
    const auctionId = await openAuction({ bits: 16 });
    const bidder = await admit(auctionId, 'beta');
    await expect(bidder.submitBid('-3')).rejects.toThrow(AmountError);
    await expect(bidder.submitBid('1.234')).rejects.toThrow('bid "1.234" has 3 decimal places; this auction allows at most 2');
    await expect(bidder.submitBid('655.36')).rejects.toThrow('this auction accepts at most 655.35 (16-bit bids)');
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(0);
  });

  test('replaces a bid by an amendment', async () => {
    const auctionId = await openAuction();
    const bidder = await admit(auctionId, 'gamma');
    const first = await bidder.submitBid('10');
    const second = await bidder.submitBid('11');

    expect(second.replaces).toBe(first.submissionId);
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(1);
    expect((await bidder.me()).submission?.submissionId).toBe(second.submissionId);
  });

  test('keeps the old bid when an amendment fails at one evaluator', async () => {
    const auctionId = await openAuction();
    const bidder = await admit(auctionId, 'delta');
    const first = await bidder.submitBid('10');

    harness.fakes[2].script.rejectEnvelopes = 'envelope failed to open';
    try {
      const error = await failure(bidder.submitBid('12'));
      expect(error.status).toBe(422);
      expect(error.message).toMatch(/submission rejected, and any previous bid is still in force: evaluator 3 .*envelope failed to open/);
    } finally {
      harness.fakes[2].script.rejectEnvelopes = null;
    }

    expect((await bidder.me()).submission?.submissionId).toBe(first.submissionId);
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(1);
  });

  test('rejects envelopes that are missing or bound elsewhere', async () => {
    const auctionId = await openAuction();
    await admit(auctionId, 'epsilon');
    const token = await operator.issueToken(auctionId, 'epsilon');
    const set = await operator.getEvaluators();
    const submissionId = crypto.randomUUID();
    const sealed = sealAmount(5n, { auctionId, bidderId: 'epsilon', submissionId, bits: 32 }, set);
    const send = (body: unknown) =>
      fetch(`${harness.url}/v1/auctions/${auctionId}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });

    const two = await send({ submissionId, envelopes: sealed.slice(0, 2).map((item) => ({ evaluator: item.evaluator, envelope: item.envelope })) });
    expect(two.status).toBe(400);
    expect(((await two.json()) as { message: string }).message).toBe('expected exactly one envelope for each of evaluators 1, 2, 3, got envelopes for 1, 2');

    // The envelopes are bound to submissionId; sending them under another id must fail at the evaluators.
    const moved = await send({ submissionId: crypto.randomUUID(), envelopes: sealed.map((item) => ({ evaluator: item.evaluator, envelope: item.envelope })) });
    expect(moved.status).toBe(422);
  });

  test('refuses bids without a valid token', async () => {
    const auctionId = await openAuction();
    const other = await openAuction();
    const token = await (async () => {
      await admit(other, 'zeta');
      return operator.issueToken(other, 'zeta');
    })();
    const intruder = new BidderClient({ baseUrl: harness.url, auctionId, token });
    const error = await failure(intruder.submitBid('1'));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/invalid bidder token for auction/);
  });

  test('a reissued token replaces the old one', async () => {
    const auctionId = await openAuction();
    const old = await admit(auctionId, 'eta');
    await operator.issueToken(auctionId, 'eta');
    expect((await failure(old.me())).status).toBe(401);
  });

  test('an excluded bidder cannot bid and its bid stops counting', async () => {
    const auctionId = await openAuction();
    const bidder = await admit(auctionId, 'theta');
    await bidder.submitBid('50');
    await operator.excludeBidder(auctionId, 'theta', 'failed the eligibility check');

    expect((await operator.getAuction(auctionId)).sealedBids).toBe(0);
    const error = await failure(bidder.submitBid('60'));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/excluded from auction .*: failed the eligibility check/);
    const [participant] = await operator.participants(auctionId);
    expect(participant).toMatchObject({ bidderId: 'theta', excludedReason: 'failed the eligibility check', hasBid: true });
  });

  test('a new token keeps an excluded bidder excluded', async () => {
    const auctionId = await openAuction();
    const bidder = await admit(auctionId, 'theta-2');
    await bidder.me();
    await operator.excludeBidder(auctionId, 'theta-2', 'withdrew');

    const renewed = new BidderClient({ baseUrl: harness.url, auctionId, token: await operator.issueToken(auctionId, 'theta-2') });

    expect((await failure(bidder.me())).status).toBe(401);
    expect((await renewed.me()).excludedReason).toBe('withdrew');
    expect((await failure(renewed.submitBid('60'))).status).toBe(403);
  });

  test('requires a won-bit key under amount-only disclosure', async () => {
    const auctionId = await openAuction({ disclosure: 'amount-only' });
    const bidder = await admit(auctionId, 'iota');
    const bid = await bidder.submitBid('5');
    expect(bid.wonBitSecretKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('refuses bids to a closed auction', async () => {
    const auctionId = await openAuction();
    const bidder = await admit(auctionId, 'kappa');
    await operator.cancelAuction(auctionId, 'stopped');
    const error = await failure(bidder.submitBid('5'));
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/is cancelled; sealed submissions are accepted only while it is open/);
  });

  test('stores token hashes and ciphertext only', async () => {
    const auctionId = await openAuction();
    await operator.registerBidder('Bidder lambda', 'lambda');
    const token = await operator.issueToken(auctionId, 'lambda');
    await new BidderClient({ baseUrl: harness.url, auctionId, token }).submitBid('77.77');

    await harness.app.close();
    const database = new PGlite(`${harness.dataDir}/pglite`);
    try {
      const dump = JSON.stringify((await database.query('SELECT * FROM participants')).rows);
      expect(dump).not.toContain(token);
      const envelopes = (await database.query<{ sealed: Record<string, unknown> }>('SELECT sealed FROM envelopes')).rows;
      for (const row of envelopes) {
        expect(Object.keys(row.sealed).sort()).toEqual(['ciphertext', 'ephemeralPublicKey', 'nonce', 'version']);
      }
    } finally {
      await database.close();
      await harness.restart();
      operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
    }
  });
});
