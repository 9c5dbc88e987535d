/**
 * Free text with control characters is rejected with 400 at the orchestrator.
 * The fuzz test found that a title containing U+0000 reached PostgreSQL and
 * came back as 500; a line break in an exclusion reason would later make
 * every evaluator reject the computation. A lone UTF-16 surrogate has no
 * UTF-8 form, so it came back from the database as U+FFFD.
 */
import { OPERATOR_KEY, startHarness, type Harness } from '../orchestrator/support/orchestrator-harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

async function call(method: string, path: string, body: unknown) {
  const response = await fetch(`${harness.url}/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR_KEY },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error: string; message: string | string[] } };
}

describe('plain text fields', () => {
  test('reject control characters', async () => {
    const created = await call('POST', '/auctions', { title: 'Lot' });
    const auctionId = (created.body as unknown as { id: string }).id;
    await call('POST', '/bidders', { name: 'Plain', id: 'plain-1' });
    await call('POST', `/auctions/${auctionId}/participants`, { bidderId: 'plain-1' });

    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/auctions', { title: 'Lot\u0000' }, 'title'],
      ['PATCH', `/auctions/${auctionId}`, { title: 'a\nb' }, 'title'],
      ['POST', '/bidders', { name: '\u007fname' }, 'name'],
      ['POST', `/auctions/${auctionId}/exclusions`, { bidderId: 'plain-1', reason: 'late\r\npayment' }, 'reason'],
      ['POST', `/auctions/${auctionId}/cancel`, { reason: 'tab\there' }, 'reason'],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await call(method, path, body);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect({ path, message: String(response.body.message) }).toEqual({
        path,
        message: expect.stringContaining(`${field} must not contain control characters`),
      });
    }
    expect((await call('PATCH', `/auctions/${auctionId}`, { title: 'Lot 2: crane, unused' })).status).toBe(200);
  });

  test('reject unpaired surrogates', async () => {
    const created = await call('POST', '/auctions', { title: 'Surrogates' });
    const auctionId = (created.body as unknown as { id: string }).id;

    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/auctions', { title: 'Lot \ud800' }, 'title'],
      ['PATCH', `/auctions/${auctionId}`, { title: '\udc00 first' }, 'title'],
      ['POST', '/bidders', { name: 'end \udbff' }, 'name'],
      ['POST', `/auctions/${auctionId}/cancel`, { reason: 'swapped \udc00\ud800' }, 'reason'],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await call(method, path, body);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect({ path, message: String(response.body.message) }).toEqual({
        path,
        message: expect.stringContaining(`${field} must not contain an unpaired UTF-16 surrogate`),
      });
    }

    const paired = await call('PATCH', `/auctions/${auctionId}`, { title: 'Lot \ud83d\ude9c tractor' });
    expect(paired.status).toBe(200);
    expect((paired.body as unknown as { title: string }).title).toBe('Lot \u{1f69c} tractor');
  });

  test('leave other types to the type check', async () => {
    for (const body of [{}, { title: 42 }, { title: null }]) {
      const response = await call('POST', '/auctions', body);
      const message = String(response.body.message);

      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect({ body, typeCheck: message.includes('title must be a string') }).toEqual({ body, typeCheck: true });
      expect({ body, plainText: /surrogate|control characters/.test(message) }).toEqual({ body, plainText: false });
    }
  });
});
