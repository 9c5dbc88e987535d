import { OperatorClient, SealbidApiError } from '../../src/client/index.js';
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

async function post(path: string, body: unknown, headers: Record<string, string> = { 'x-api-key': OPERATOR_KEY }) {
  const response = await fetch(`${harness.url}/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error: string; message: string | string[] } };
}

const inOneMinute = () => new Date(Date.now() + 60_000).toISOString();

describe('orchestrator REST API', () => {
  test('serves the OpenAPI document', async () => {
    const response = await fetch(`${harness.url}/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auctions',
        '/v1/auctions/{id}',
        '/v1/auctions/{id}/open',
        '/v1/auctions/{id}/submissions',
        '/v1/auctions/{id}/result',
        '/v1/bidders',
        '/v1/evaluators',
      ]),
    );
  });

  test('rejects operator calls without the key', async () => {
    const missing = await post('/auctions', { title: 'x' }, {});
    expect(missing.status).toBe(401);
    expect(missing.body.message).toBe('missing operator API key: send it in the X-API-Key header');

    const wrong = await post('/auctions', { title: 'x' }, { 'x-api-key': 'not-the-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('invalid operator API key');
  });

  test('names the limit of an oversized body', async () => {
    const response = await post('/auctions', { title: 'x'.repeat(1024 * 1024) });

    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      statusCode: 413,
      error: 'payload-too-large',
      message: 'the request body is larger than 1048576 bytes, the most the orchestrator reads; send a smaller body',
    });
  });

  test('rejects unknown fields', async () => {
    const response = await post('/auctions', { title: 'x', colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(['property colour should not exist']);
  });

  test('rejects invalid settings with the field named', async () => {
    const bits = await post('/auctions', { title: 'x', bits: 65 });
    expect(bits.status).toBe(400);
    expect(bits.body.message).toEqual(['bits must not be greater than 64']);

    const reserve = await post('/auctions', { title: 'x', decimals: 2, reserve: { kind: 'public', amount: '10.001' } });
    expect(reserve.status).toBe(400);
    expect(reserve.body.message).toBe('reserve.amount "10.001" has 3 decimal places; this auction allows at most 2');

    const minPrice = await post('/auctions', { title: 'x', minPrice: '5' });
    expect(minPrice.status).toBe(400);
    expect(minPrice.body.message).toMatch(/minimum price applies only to lowest-wins/);

    const secondPrice = await post('/auctions', { title: 'x', price: 'second', minValidBids: 1 });
    expect(secondPrice.status).toBe(400);
    expect(secondPrice.body.message).toMatch(/at least 2 valid bids/);
  });

  test('creates, configures and reads an auction', async () => {
    const created = await operator.createAuction('Lot 1', { decimals: 2, reserve: { kind: 'public', amount: '100.5' } });
    expect(created.state).toBe('draft');
    expect(created.settings.reserve).toEqual({ kind: 'public', amount: '100.50' });
    expect(created.settings.minValidBids).toBe(1);

    const configured = await operator.configureAuction(created.id, { direction: 'lowest-wins', minPrice: '20', price: 'second' });
    expect(configured.settings).toMatchObject({ direction: 'lowest-wins', price: 'second', minPrice: '20.00' });

    const read = await operator.getAuction(created.id);
    expect(read).toEqual({ ...configured, sealedBids: 0 });
  });

  test('asks for amounts again when the decimals change', async () => {
    const created = await operator.createAuction('Lot 2', { reserve: { kind: 'public', amount: '100' } });
    await expect(operator.configureAuction(created.id, { decimals: 2 })).rejects.toThrow(
      'changing bits or decimals needs the public reserve given again in the same request',
    );
  });

  test('needs a future closing time to open', async () => {
    const created = await operator.createAuction('Lot 3');
    await expect(operator.openAuction(created.id)).rejects.toThrow('set closesAt');
    await expect(operator.openAuction(created.id, new Date(Date.now() - 1000).toISOString())).rejects.toThrow('must be at least 1 s in the future');
  });

  test('registers an opened auction at every evaluator', async () => {
    const created = await operator.createAuction('Lot 4', { price: 'second', reserve: { kind: 'sealed' } });
    const closesAt = inOneMinute();
    const opened = await operator.openAuction(created.id, closesAt);
    expect(opened.state).toBe('open');
    expect(opened.closesAt).toBe(closesAt);
    for (const fake of harness.fakes) {
      expect(fake.registrations.get(created.id)).toEqual({
        rules: { bits: 32, direction: 'highest-wins', price: 'second', reserve: { kind: 'sealed' }, ties: 'earliest', disclosure: 'public' },
        closesAt,
        parties: 3,
        degree: 1,
      });
    }
  });

  test('keeps a draft when an evaluator does not register it', async () => {
    const created = await operator.createAuction('Lot 5', { closesAt: inOneMinute() });
    const fake = harness.fakes[1];
    await fake.stop();
    try {
      const error = (await operator.openAuction(created.id).catch((caught: unknown) => caught)) as SealbidApiError;
      expect(error.status).toBe(502);
      expect(error.message).toMatch(/evaluator 2: PUT \/v1\/auctions\/[0-9a-f-]+ failed/);
      expect((await operator.getAuction(created.id)).state).toBe('draft');
    } finally {
      await fake.start();
    }
  });

  test('refuses to configure an open auction', async () => {
    const created = await operator.createAuction('Lot 6');
    await operator.openAuction(created.id, inOneMinute());
    const error = (await operator.configureAuction(created.id, { bits: 16 }).catch((caught: unknown) => caught)) as SealbidApiError;
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/is open; only a draft auction can be configured/);
  });

  test('cancels with a reason and keeps it', async () => {
    const created = await operator.createAuction('Lot 7');
    const cancelled = await operator.cancelAuction(created.id, 'lot withdrawn');
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.stateReason).toBe('lot withdrawn');
    await expect(operator.openAuction(created.id, inOneMinute())).rejects.toThrow('only a draft auction can be opened');

    const state = (await (await fetch(`${harness.url}/v1/auctions/${created.id}/state`)).json()) as { transitions: Array<{ from: string | null; to: string }> };
    expect(state.transitions.map((t) => [t.from, t.to])).toEqual([
      [null, 'draft'],
      ['draft', 'cancelled'],
    ]);
  });

  test('answers 404 for an unknown auction and 400 for a malformed id', async () => {
    const unknown = await fetch(`${harness.url}/v1/auctions/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${harness.url}/v1/auctions/not-a-uuid`);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toBe(
      'the auction id in the path must be a version 4 UUID, as returned when the auction was created',
    );
  });

  test('lists the pinned evaluators without their tokens', async () => {
    const body = (await (await fetch(`${harness.url}/v1/evaluators`)).json()) as Record<string, unknown>;
    expect(body.parties).toBe(3);
    expect(body.degree).toBe(1);
    expect(JSON.stringify(body)).not.toContain(harness.fakes[0].token);
  });

  test('issues bidder tokens only to registered bidders of an admitting auction', async () => {
    const auction = await operator.createAuction('Tokens');
    const bidder = await operator.registerBidder('Token bidder');
    const first = await operator.issueToken(auction.id, bidder.id);
    const second = await operator.issueToken(auction.id, bidder.id);

    const me = (token: string) => fetch(`${harness.url}/v1/auctions/${auction.id}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);

    const malformed = (await (await me('hello')).json()) as { message: string };
    expect(malformed.message).toBe('invalid bidder token: send the token the operator issued, as "Authorization: Bearer <token>"');
    const missing = (await (await fetch(`${harness.url}/v1/auctions/${auction.id}/me`)).json()) as { message: string };
    expect(missing.message).toBe('missing bidder token: send it as "Authorization: Bearer <token>"');

    const unknown = await post(`/auctions/${auction.id}/participants`, { bidderId: 'nobody' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('bidder nobody is not registered: register it with POST /v1/bidders first');

    await operator.cancelAuction(auction.id, 'test');
    const cancelled = await post(`/auctions/${auction.id}/participants`, { bidderId: bidder.id });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.message).toBe(`auction ${auction.id} is cancelled; bidders can be admitted only while draft or open`);
  });

  test('admits bidders in one batch', async () => {
    const auction = await operator.createAuction('Batch tokens');
    const first = await operator.registerBidder('Batch bidder one');
    const second = await operator.registerBidder('Batch bidder two');
    const earlier = await operator.issueToken(auction.id, first.id);

    const tokens = await operator.issueTokens(auction.id, [first.id, second.id]);

    const me = (token: string) => fetch(`${harness.url}/v1/auctions/${auction.id}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect([...tokens.keys()]).toEqual([first.id, second.id]);
    expect((await me(tokens.get(first.id) as string)).status).toBe(200);
    expect((await me(tokens.get(second.id) as string)).status).toBe(200);
    expect((await me(earlier)).status).toBe(401);
  });

  test('admits no one when a batch names unknown bidders', async () => {
    const auction = await operator.createAuction('Batch with unknown bidders');
    const known = await operator.registerBidder('Known batch bidder');

    const response = await post(`/auctions/${auction.id}/participants/batch`, { bidderIds: [known.id, 'ghost-1', 'ghost-2'] });

    expect(response.status).toBe(404);
    expect(response.body.message).toBe('bidders ghost-1, ghost-2 are not registered: register them with POST /v1/bidders first');
    expect(await operator.participants(auction.id)).toEqual([]);
  });

  test('rejects invalid batch bodies', async () => {
    const auction = await operator.createAuction('Invalid batches');
    const cases: Array<[unknown, string]> = [
      [{ bidderIds: [] }, 'bidderIds must contain at least 1 elements'],
      [{ bidderIds: ['a', 'a'] }, "All bidderIds's elements must be unique"],
      [{ bidderIds: ['bad id'] }, 'each value in bidderIds must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
      [{ bidderIds: Array.from({ length: 1001 }, (_, index) => `b${index}`) }, 'bidderIds must contain no more than 1000 elements'],
      [{ bidderIds: 'acme' }, 'bidderIds must be an array'],
    ];
    for (const [body, message] of cases) {
      const response = await post(`/auctions/${auction.id}/participants/batch`, body);
      expect([response.status, response.body.message]).toEqual([400, expect.arrayContaining([message])]);
    }
  });

  test('rejects a batch once the auction is cancelled', async () => {
    const auction = await operator.createAuction('Cancelled batch');
    const bidder = await operator.registerBidder('Late batch bidder');
    await operator.cancelAuction(auction.id, 'test');

    const response = await post(`/auctions/${auction.id}/participants/batch`, { bidderIds: [bidder.id] });

    expect(response.status).toBe(409);
    expect(response.body.message).toBe(`auction ${auction.id} is cancelled; bidders can be admitted only while draft or open`);
  });
});
