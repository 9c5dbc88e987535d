import WebSocket from 'ws';

import { BidderClient, OperatorClient, VerificationError, type ResultInfo } from '../../src/client/index.js';
import type { PublicOutcome } from '../../src/crypto/index.js';
import { DatabaseService } from '../../src/orchestrator/database/database.service.js';
import { OPERATOR_KEY, startHarness, waitFor, type Harness } from './support/orchestrator-harness.js';

let harness: Harness;
let operator: OperatorClient;

beforeAll(async () => {
  harness = await startHarness();
  operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
});
afterEach(() => {
  for (const fake of harness.fakes) {
    Object.assign(fake.script, {
      outcome: null,
      failRuns: null,
      signWithWrongKey: false,
      rejectEnvelopes: null,
      rejectRuns: null,
      notClosedReplies: 0,
      answersComputeWait: true,
      failRunIds: new Set(),
      failCode: 'protocol-aborted',
      healthy: true,
    });
  }
});
afterAll(async () => {
  await harness?.stop();
});

const sale = (winner: number | null, price: string, validBids: number): PublicOutcome => ({
  status: 'settled',
  noSaleReason: null,
  winner,
  price,
  validBids,
  rejected: [],
});

async function auctionWithBids(amounts: string[], settings: Parameters<OperatorClient['createAuction']>[1] = {}, closeInMs = 60_000) {
  const auction = await operator.createAuction('Lot', settings);
  await operator.openAuction(auction.id, new Date(Date.now() + closeInMs).toISOString());
  const bidders: BidderClient[] = [];
  for (const [index, amount] of amounts.entries()) {
    const bidderId = `${auction.id.slice(0, 8)}-b${index}`;
    await operator.registerBidder(`Bidder ${index}`, bidderId);
    const bidder = new BidderClient({ baseUrl: harness.url, auctionId: auction.id, token: await operator.issueToken(auction.id, bidderId) });
    await bidder.submitBid(amount);
    bidders.push(bidder);
  }
  return { auctionId: auction.id, bidders };
}

function scriptAll(outcome: PublicOutcome): void {
  for (const fake of harness.fakes) {
    fake.script.outcome = outcome;
  }
}

async function finalState(auctionId: string) {
  return waitFor(`auction ${auctionId} to finish`, async () => {
    const auction = await operator.getAuction(auctionId);
    return ['settled', 'failed'].includes(auction.state) ? auction : undefined;
  });
}

describe('computation and publication', () => {
  test('sends each evaluator one compute request', async () => {
    const { auctionId } = await auctionWithBids(['5', '7']);
    scriptAll(sale(1, '7', 2));
    await operator.closeAuction(auctionId);

    expect((await finalState(auctionId)).state).toBe('settled');
    for (const fake of harness.fakes) {
      expect(fake.computeRequests.get(`${auctionId}.run-1`)).toBe(1);
    }
  });

  test('sends an early close with the compute request', async () => {
    const { auctionId } = await auctionWithBids(['5', '7']);
    const registered = harness.fakes.map((fake) => fake.registrations.get(auctionId));
    scriptAll(sale(1, '7', 2));

    await operator.closeAuction(auctionId);
    await finalState(auctionId);

    const row = await harness.app.get(DatabaseService).prisma.auction.findUniqueOrThrow({ where: { id: auctionId } });
    const closedAt = row.closedAt?.toISOString();
    expect(closedAt).toBeDefined();
    for (const [index, fake] of harness.fakes.entries()) {
      expect(fake.runs.get(`${auctionId}.run-1`)?.closedAt).toBe(closedAt);
      expect(fake.registrations.get(auctionId)).toBe(registered[index]);
    }
  });

  test('sends no closing time after a close on time', async () => {
    const { auctionId } = await auctionWithBids(['5'], {}, 1_500);
    scriptAll(sale(0, '5', 1));

    expect((await finalState(auctionId)).state).toBe('settled');

    for (const fake of harness.fakes) {
      expect(fake.runs.get(`${auctionId}.run-1`)?.closedAt).toBeNull();
    }
  });

  test('publishes the result every evaluator signed', async () => {
    const { auctionId, bidders } = await auctionWithBids(['10', '30', '20']);
    scriptAll(sale(1, '30', 3));
    const resultRequestsBefore = harness.fakes.map((fake) => fake.resultWaits.length);
    const closed = await operator.closeAuction(auctionId);
    expect(['closed', 'computing']).toContain(closed.state);

    expect((await finalState(auctionId)).state).toBe('settled');
    const result = await bidders[0].getResult();
    expect(result.outcome).toEqual(sale(1, '30', 3));
    expect(result.price).toBe('30');
    expect(result.winnerBidderId).toBe(`${auctionId.slice(0, 8)}-b1`);
    expect(result.signatures.map((signature) => signature.evaluator)).toEqual([1, 2, 3]);
    const stored = await harness.app.get(DatabaseService).prisma.evaluatorResult.findMany({ where: { runId: result.runId }, orderBy: { party: 'asc' } });
    expect(stored.map((row) => [row.party, (row.signed as { signature?: unknown }).signature])).toEqual(
      result.signatures.map((signature) => [signature.evaluator, signature.signature]),
    );

    // Every evaluator was asked to compute over the same ordered set, in acceptance order.
    const runs = harness.fakes.map((fake) => [...fake.runs.values()].find((run) => run.set.auctionId === auctionId));
    expect(new Set(runs.map((run) => run?.setHash)).size).toBe(1);
    const set = await operator.submissionSet(auctionId);
    expect(runs[0]?.set.bids.map((bid) => bid.submissionId)).toEqual(set.bids.map((bid) => bid.submissionId));
    expect(set.bids.map((bid) => bid.bidderId)).toEqual([0, 1, 2].map((index) => `${auctionId.slice(0, 8)}-b${index}`));

    // Each compute request carries waitMs, so the evaluator responds when the run ends and no status request follows.
    harness.fakes.forEach((fake, index) => {
      expect(fake.computeWaits.some((waitMs) => waitMs !== null && waitMs > 0)).toBe(true);
      expect(fake.resultWaits.length).toBe(resultRequestsBefore[index]);
    });
  });

  test('polls an evaluator that does not hold the compute request', async () => {
    const { auctionId } = await auctionWithBids(['10', '30', '20']);
    scriptAll(sale(1, '30', 3));
    const fake = harness.fakes[1];
    fake.script.answersComputeWait = false;
    fake.resultWaits.length = 0;

    await operator.closeAuction(auctionId);

    expect((await finalState(auctionId)).state).toBe('settled');
    expect(fake.resultWaits.some((waitMs) => waitMs !== null && waitMs > 0)).toBe(true);
  });

  test('reads the evaluator set once for results', async () => {
    const first = await auctionWithBids(['10', '30']);
    const second = await auctionWithBids(['40', '20']);
    scriptAll(sale(1, '30', 2));
    await operator.closeAuction(first.auctionId);
    expect((await finalState(first.auctionId)).state).toBe('settled');
    scriptAll(sale(0, '40', 2));
    await operator.closeAuction(second.auctionId);
    expect((await finalState(second.auctionId)).state).toBe('settled');

    // The first read of the set returns a wrong signing key, as if the orchestrator had changed its set since.
    const setReads: number[] = [];
    const counting = new OperatorClient({
      baseUrl: harness.url,
      apiKey: OPERATOR_KEY,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!input.endsWith('/evaluators')) {
          return response;
        }
        setReads.push(setReads.length);
        const set = (await response.json()) as { evaluators: Array<{ signingKey: string }> };
        if (setReads.length === 1) {
          set.evaluators[0].signingKey = set.evaluators[1].signingKey;
        }
        return new Response(JSON.stringify(set), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });

    await expect(counting.getResult(first.auctionId)).rejects.toThrow(VerificationError);
    expect(setReads).toHaveLength(1);
    expect((await counting.getResult(first.auctionId)).price).toBe('30');
    expect(setReads).toHaveLength(2);
    expect((await counting.getResult(second.auctionId)).price).toBe('40');
    expect(setReads).toHaveLength(2);
  });

  test('fails naming the evaluator that signed another outcome', async () => {
    const { auctionId } = await auctionWithBids(['10', '30']);
    scriptAll(sale(1, '30', 2));
    harness.fakes[1].script.outcome = sale(0, '10', 2);
    await operator.closeAuction(auctionId);

    const auction = await finalState(auctionId);
    expect(auction.state).toBe('failed');
    expect(auction.stateReason).toBe('result not published: evaluator 2 signed a different outcome than the other evaluators');
    await expect(operator.getResult(auctionId)).rejects.toThrow(/has no result: it is failed/);
  });

  test('fails naming the evaluator whose signature does not verify', async () => {
    const { auctionId } = await auctionWithBids(['10']);
    scriptAll(sale(0, '10', 1));
    harness.fakes[2].script.signWithWrongKey = true;
    await operator.closeAuction(auctionId);

    const auction = await finalState(auctionId);
    expect(auction.stateReason).toMatch(/^result not published: evaluator 3 returned a result whose signature does not verify/);
  });

  test('fails with the reason an evaluator reports', async () => {
    const { auctionId } = await auctionWithBids(['10']);
    scriptAll(sale(0, '10', 1));
    harness.fakes[0].script.failRuns = 'peer 2 disconnected';
    await operator.closeAuction(auctionId);

    const auction = await finalState(auctionId);
    expect(auction.stateReason).toBe('result not published: evaluator 1 reported that the run failed: protocol-aborted: peer 2 disconnected');
  });

  test('fails at once when an evaluator rejects the run', async () => {
    const { auctionId } = await auctionWithBids(['10']);
    scriptAll(sale(0, '10', 1));
    harness.fakes[1].script.rejectRuns = 'a bidder is listed twice';
    const started = Date.now();
    await operator.closeAuction(auctionId);

    const auction = await finalState(auctionId);
    expect(auction.stateReason).toMatch(/^result not published: evaluator 2 rejected the run: .*HTTP 400: a bidder is listed twice$/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  test('retries while an evaluator is not yet closed', async () => {
    const { auctionId } = await auctionWithBids(['10']);
    scriptAll(sale(0, '10', 1));
    harness.fakes[0].script.notClosedReplies = 3;
    await operator.closeAuction(auctionId);

    expect((await finalState(auctionId)).state).toBe('settled');
    expect(harness.fakes[0].script.notClosedReplies).toBe(0);
  });

  test('closes on time by the server clock', async () => {
    const { auctionId } = await auctionWithBids(['5'], {}, 1500);
    scriptAll(sale(0, '5', 1));
    expect((await finalState(auctionId)).state).toBe('settled');
    const state = (await (await fetch(`${harness.url}/v1/auctions/${auctionId}/state`)).json()) as { transitions: Array<{ to: string; at: string }> };
    expect(state.transitions.map((transition) => transition.to)).toEqual(['draft', 'open', 'closed', 'computing', 'settled']);
    const auction = await operator.getAuction(auctionId);
    expect(Date.parse(auction.closedAt as string)).toBeGreaterThanOrEqual(Date.parse(auction.closesAt as string));
  });

  test('fails a sealed-reserve auction whose reserve never arrived', async () => {
    const { auctionId } = await auctionWithBids(['5'], { reserve: { kind: 'sealed' } });
    await operator.closeAuction(auctionId);
    const auction = await finalState(auctionId);
    expect(auction.stateReason).toBe('the sealed reserve was not received before close');
  });

  test('passes the sealed reserve and exclusions to the evaluators', async () => {
    const { auctionId } = await auctionWithBids(['5', '6'], { reserve: { kind: 'sealed' } });
    const reserve = await operator.submitSealedReserve(auctionId, '4');
    expect((await operator.getAuction(auctionId)).sealedReserveReceived).toBe(true);
    await operator.excludeBidder(auctionId, `${auctionId.slice(0, 8)}-b0`, 'late paperwork');
    scriptAll(sale(1, '6', 1));
    await operator.closeAuction(auctionId);
    expect((await finalState(auctionId)).state).toBe('settled');

    const run = [...harness.fakes[0].runs.values()].find((item) => item.set.auctionId === auctionId);
    expect(run?.set.reserveSubmissionId).toBe(reserve.submissionId);
    expect(run?.set.bids.map((bid) => bid.excluded)).toEqual(['excluded by the operator: late paperwork', null]);
  });

  test('rejects a result signature that does not match the pinned keys', async () => {
    const { auctionId, bidders } = await auctionWithBids(['7']);
    scriptAll(sale(0, '7', 1));
    await operator.closeAuction(auctionId);
    await finalState(auctionId);

    const tampering = async (input: string, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      if (!input.endsWith('/result')) {
        return response;
      }
      const body = (await response.json()) as ResultInfo;
      body.outcome.price = '1';
      return new Response(JSON.stringify(body), { status: 200 });
    };
    // Reading the result needs no token; the client still wants one.
    const client = new BidderClient({ baseUrl: harness.url, auctionId, token: 'sbt_not-needed-for-reads', fetch: tampering });
    await expect(client.getResult()).rejects.toThrow(VerificationError);
    await expect(bidders[0].getResult()).resolves.toMatchObject({ price: '7' });
  });

  test('pushes state, bid count and result over WebSocket', async () => {
    const auction = await operator.createAuction('Live lot');
    await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
    const messages: Array<{ event: string; data: Record<string, unknown> }> = [];
    const socket = new WebSocket(`${harness.url.replace('http', 'ws')}/v1/events`);
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ event: 'subscribe', data: { auctionId: auction.id } }));
    await waitFor('the subscription', async () => messages.find((message) => message.event === 'subscribed'));

    await operator.registerBidder('Live bidder', `${auction.id.slice(0, 8)}-live`);
    const token = await operator.issueToken(auction.id, `${auction.id.slice(0, 8)}-live`);
    await new BidderClient({ baseUrl: harness.url, auctionId: auction.id, token }).submitBid('9');
    scriptAll(sale(0, '9', 1));
    await operator.closeAuction(auction.id);
    await waitFor('the result event', async () => messages.find((message) => message.event === 'result'));
    socket.close();

    expect(messages[0]).toEqual({ event: 'subscribed', data: { auctionId: auction.id, state: 'open', reason: null, sealedBids: 0, result: null } });
    expect(messages.find((message) => message.event === 'bids')?.data).toEqual({ auctionId: auction.id, count: 1 });
    const states = messages.filter((message) => message.event === 'state').map((message) => message.data.state);
    expect(states).toEqual(['closed', 'computing', 'settled']);
    const result = messages.find((message) => message.event === 'result')?.data.result as ResultInfo;
    expect(result.outcome.price).toBe('9');
  });

  test('answers a bad subscription with an error event', async () => {
    const socket = new WebSocket(`${harness.url.replace('http', 'ws')}/v1/events`);
    const reply = new Promise<unknown>((resolve) => socket.on('message', (data) => resolve(JSON.parse(String(data)))));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ event: 'subscribe', data: { auctionId: crypto.randomUUID() } }));
    expect(await reply).toEqual({ event: 'error', data: { message: expect.stringMatching(/^auction .* not found$/) } });
    socket.close();
  });

  test('answers malformed event messages', async () => {
    const socket = new WebSocket(`${harness.url.replace('http', 'ws')}/v1/events`);
    const replies: unknown[] = [];
    socket.on('message', (data) => replies.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.on('open', resolve));

    const sent: Array<[string | Buffer, RegExp]> = [
      ['not json', /^a message must be JSON such as /],
      ['[1,2,3]', /^a message must be a JSON object such as /],
      ['{"event":"bogus"}', /^unknown event "bogus": send "subscribe" or "unsubscribe"/],
      [Buffer.from([1, 2, 3]), /^send text messages such as /],
    ];
    for (const [message] of sent) {
      socket.send(message);
    }
    await waitFor('four error events', async () => (replies.length >= sent.length ? true : undefined));

    expect(replies).toEqual(sent.map(([, pattern]) => ({ event: 'error', data: { message: expect.stringMatching(pattern) } })));
    socket.close();
  });

  test('keeps accepted bids and the deadline across a restart', async () => {
    const { auctionId } = await auctionWithBids(['1', '2', '3'], {}, 4000);
    await harness.restart();
    operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
    expect((await operator.getAuction(auctionId)).sealedBids).toBe(3);

    scriptAll(sale(2, '3', 3));
    expect((await finalState(auctionId)).state).toBe('settled');
    const set = await operator.submissionSet(auctionId);
    expect(set.bids).toHaveLength(3);
  });

  test('resumes a computation after a restart', async () => {
    const { auctionId } = await auctionWithBids(['4', '8']);
    await operator.closeAuction(auctionId);
    await waitFor('computing', async () => ((await operator.getAuction(auctionId)).state === 'computing' ? true : undefined));
    await harness.restart();
    operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });

    scriptAll(sale(1, '8', 2));
    expect((await finalState(auctionId)).state).toBe('settled');
  });

  test('replaces a given-up run after restart', async () => {
    const { auctionId } = await auctionWithBids(['4', '8']);
    const firstRun = `${auctionId}.run-1`;
    scriptAll(sale(1, '8', 2));
    harness.fakes[0].script.failRunIds = new Set([firstRun]);
    harness.fakes[0].script.failCode = 'peer-disconnected';
    // Evaluator 3 stays unavailable, so the orchestrator waits with run 1 given up and no run 2 stored.
    harness.fakes[2].script.healthy = false;
    await operator.closeAuction(auctionId);
    const computations = () => harness.app.get(DatabaseService).prisma.computation.findMany({ where: { auctionId }, orderBy: { attempt: 'asc' } });
    await waitFor('run 1 to be given up', async () => ((await computations())[0]?.failedAt ? true : undefined));
    const sentBefore = harness.fakes.map((fake) => fake.computeRequests.get(firstRun));

    await harness.restart();
    operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
    harness.fakes[2].script.healthy = true;
    const ended = await finalState(auctionId);

    expect(ended.stateReason).toBeNull();
    expect(ended.state).toBe('settled');
    expect((await operator.getResult(auctionId)).runId).toBe(`${auctionId}.run-2`);
    expect((await computations()).map((row) => row.runId)).toEqual([firstRun, `${auctionId}.run-2`]);
    expect(harness.fakes.map((fake) => fake.computeRequests.get(firstRun))).toEqual(sentBefore);
  });
});
