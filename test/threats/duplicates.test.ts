/**
 * Duplicates and amendments against an in-process orchestrator with scripted
 * evaluators: a retried submission id is idempotent, a failed one can be
 * retried, an id cannot carry another bid, concurrent amendments leave
 * exactly one bid in force, and closing or settling twice changes nothing.
 */
import { BidderClient, OperatorClient, SealbidApiError, sealAmount } from '../../src/client/index.js';
import type { PublicOutcome } from '../../src/crypto/index.js';
import { OPERATOR_KEY, startHarness, waitFor, type Harness } from '../orchestrator/support/orchestrator-harness.js';

let harness: Harness;
let operator: OperatorClient;

beforeAll(async () => {
  harness = await startHarness();
  operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
});
afterAll(async () => {
  await harness?.stop();
});

async function openAuction(): Promise<string> {
  const auction = await operator.createAuction('Lot', { decimals: 2 });
  await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
  return auction.id;
}

async function admit(auctionId: string, bidderId: string): Promise<{ client: BidderClient; token: string }> {
  await operator.registerBidder(`Bidder ${bidderId}`, bidderId);
  const token = await operator.issueToken(auctionId, bidderId);
  return { client: new BidderClient({ baseUrl: harness.url, auctionId, token }), token };
}

/** Seals an amount once, so the same request can be sent several times. */
async function sealedBody(auctionId: string, bidderId: string, amount: bigint) {
  const set = await operator.getEvaluators();
  const submissionId = crypto.randomUUID();
  const sealed = sealAmount(amount, { auctionId, bidderId, submissionId, bits: 32 }, set);
  return { submissionId, envelopes: sealed.map((item) => ({ evaluator: item.evaluator, envelope: item.envelope })) };
}

async function post(auctionId: string, token: string, body: unknown) {
  const response = await fetch(`${harness.url}/v1/auctions/${auctionId}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('retried submissions', () => {
  test('same id is answered from storage', async () => {
    const auctionId = await openAuction();
    const { token, client } = await admit(auctionId, 'retry-a');
    const body = await sealedBody(auctionId, 'retry-a', 1500n);

    const first = await post(auctionId, token, body);
    const second = await post(auctionId, token, body);

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(1);
    expect((await client.me()).submission?.submissionId).toBe(body.submissionId);
  });

  test('failed id can be retried', async () => {
    const auctionId = await openAuction();
    const { token, client } = await admit(auctionId, 'retry-b');
    const body = await sealedBody(auctionId, 'retry-b', 1600n);

    await harness.fakes[1].stop();
    let failed: Awaited<ReturnType<typeof post>>;
    try {
      failed = await post(auctionId, token, body);
    } finally {
      await harness.fakes[1].start();
    }
    expect(failed.status).toBe(502);
    expect((await client.me()).submission).toBeNull();

    const retried = await post(auctionId, token, body);
    expect(retried.status).toBe(201);
    expect(retried.body.receipts.map((signed: { receipt: { evaluator: number } }) => signed.receipt.evaluator)).toEqual([1, 2, 3]);
    expect((await client.me()).submission?.submissionId).toBe(body.submissionId);
  });

  test('same id cannot carry another bid', async () => {
    const auctionId = await openAuction();
    const { token } = await admit(auctionId, 'retry-c');
    const body = await sealedBody(auctionId, 'retry-c', 100n);
    expect((await post(auctionId, token, body)).status).toBe(201);

    const other = await sealedBody(auctionId, 'retry-c', 999n);
    const reused = await post(auctionId, token, { ...other, submissionId: body.submissionId });
    expect(reused.status).toBe(409);
    expect(reused.body.message).toMatch(/already used for another sealed bid: seal the bid again with a fresh id/);
  });

  test('replaced id is not revived', async () => {
    const auctionId = await openAuction();
    const { token, client } = await admit(auctionId, 'retry-d');
    const body = await sealedBody(auctionId, 'retry-d', 100n);
    expect((await post(auctionId, token, body)).status).toBe(201);
    const amendment = await client.submitBid('2.00');

    const again = await post(auctionId, token, body);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/was replaced by a later bid/);
    expect((await client.me()).submission?.submissionId).toBe(amendment.submissionId);
  });

  test('parallel repeats accept once', async () => {
    const auctionId = await openAuction();
    const { token } = await admit(auctionId, 'retry-e');
    const body = await sealedBody(auctionId, 'retry-e', 700n);

    const responses = await Promise.all(Array.from({ length: 4 }, () => post(auctionId, token, body)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    for (const status of statuses) {
      expect([200, 201, 409]).toContain(status);
    }
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(1);
  });
});

describe('amendments', () => {
  test('parallel amendments leave one bid in force', async () => {
    const auctionId = await openAuction();
    const { client } = await admit(auctionId, 'amender');
    await client.submitBid('1.00');

    const results = await Promise.allSettled(['2.00', '3.00', '4.00', '5.00', '6.00'].map((amount) => client.submitBid(amount)));
    const accepted = results.filter((result) => result.status === 'fulfilled').map((result) => result.value.submissionId);
    expect(accepted.length).toBeGreaterThan(0);

    const participants = await operator.participants(auctionId);
    expect(participants.filter((participant) => participant.hasBid)).toHaveLength(1);
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(1);
    expect(accepted).toContain((await client.me()).submission?.submissionId);
  });
});

describe('repeated lifecycle commands', () => {
  const outcome: PublicOutcome = { status: 'settled', noSaleReason: null, winner: 0, price: '500', validBids: 1, rejected: [] };

  afterEach(() => {
    for (const fake of harness.fakes) {
      fake.script.outcome = null;
    }
  });

  test('closing and settling twice change nothing', async () => {
    const auctionId = await openAuction();
    const { client } = await admit(auctionId, 'twice');
    await client.submitBid('5.00');
    for (const fake of harness.fakes) {
      fake.script.outcome = outcome;
    }

    await operator.closeAuction(auctionId);
    const secondClose = await operator.closeAuction(auctionId).catch((error: SealbidApiError) => error);
    expect(secondClose).toBeInstanceOf(SealbidApiError);
    expect((secondClose as SealbidApiError).status).toBe(409);

    await waitFor('settlement', async () => ((await operator.getAuction(auctionId)).state === 'settled' ? true : undefined));
    const result = await operator.getResult(auctionId);
    const transitions = async () => ((await (await fetch(`${harness.url}/v1/auctions/${auctionId}/state`)).json()) as { transitions: unknown[] }).transitions;
    const before = await transitions();

    // A restart sweeps again over every auction; a settled one must not compute or publish again.
    await harness.restart();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const operatorAfter = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
    expect(await operatorAfter.getResult(auctionId)).toEqual(result);
    expect(await transitions()).toEqual(before);
    expect((await operatorAfter.closeAuction(auctionId).catch((error: SealbidApiError) => error)) as SealbidApiError).toMatchObject({ status: 409 });
    const runs = harness.fakes.map((fake) => [...fake.runs.values()].filter((run) => run.set.auctionId === auctionId).length);
    expect(runs).toEqual([1, 1, 1]);
    operator = operatorAfter;
  });
});
