import { BidderClient, OperatorClient, SealbidApiError, type FetchFunction } from '../../src/client/index.js';
import { OPERATOR_KEY, startHarness, type Harness } from '../orchestrator/support/orchestrator-harness.js';

let harness: Harness;
let operator: OperatorClient;

beforeAll(async () => {
  harness = await startHarness();
  operator = new OperatorClient({ baseUrl: harness.url, apiKey: OPERATOR_KEY });
});
afterAll(async () => {
  await harness?.stop();
});

/** Returns a fetch that records "METHOD path" of every request. */
function recordingFetch(requests: string[]): FetchFunction {
  return (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
    return globalThis.fetch(input, init);
  };
}

async function bidderFor(auctionId: string, bidderId: string, requests: string[]): Promise<BidderClient> {
  await operator.registerBidder(`Bidder ${bidderId}`, bidderId);
  const token = await operator.issueToken(auctionId, bidderId);
  return new BidderClient({ baseUrl: harness.url, auctionId, token, fetch: recordingFetch(requests) });
}

describe('bidder client requests', () => {
  test('reads the auction context once per client', async () => {
    const auction = await operator.createAuction('Cached lot');
    await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
    const requests: string[] = [];
    const bidder = await bidderFor(auction.id, `${auction.id.slice(0, 8)}-cache`, requests);

    await bidder.submitBid('10');
    const first = [...requests];
    requests.length = 0;
    await bidder.submitBid('12');

    expect(first).toEqual([`GET /v1/auctions/${auction.id}/bidding`, `POST /v1/auctions/${auction.id}/submissions`]);
    expect(requests).toEqual([`POST /v1/auctions/${auction.id}/submissions`]);
  });

  test('reads a draft auction again for each bid', async () => {
    const auction = await operator.createAuction('Draft lot');
    const requests: string[] = [];
    const bidder = await bidderFor(auction.id, `${auction.id.slice(0, 8)}-draft`, requests);

    await expect(bidder.submitBid('10')).rejects.toThrow(SealbidApiError);
    await expect(bidder.submitBid('10')).rejects.toThrow(SealbidApiError);

    const reads = requests.filter((request) => request === `GET /v1/auctions/${auction.id}/bidding`);
    expect(reads).toHaveLength(2);
  });

  test('reads the context again after a failed bid', async () => {
    const auction = await operator.createAuction('Closing lot');
    await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
    const requests: string[] = [];
    const bidder = await bidderFor(auction.id, `${auction.id.slice(0, 8)}-fail`, requests);

    await bidder.submitBid('10');
    await operator.cancelAuction(auction.id, 'withdrawn');
    await expect(bidder.submitBid('11')).rejects.toThrow(SealbidApiError);
    requests.length = 0;
    await expect(bidder.submitBid('12')).rejects.toThrow(SealbidApiError);

    expect(requests).toContain(`GET /v1/auctions/${auction.id}/bidding`);
  });

  test('reads the bidding context', async () => {
    const auction = await operator.createAuction('Context lot');
    await operator.openAuction(auction.id, new Date(Date.now() + 60_000).toISOString());
    const bidderId = `${auction.id.slice(0, 8)}-context`;
    const bidder = await bidderFor(auction.id, bidderId, []);

    const context = await bidder.getBiddingContext();

    expect(context.auction).toMatchObject({ id: auction.id, state: 'open' });
    expect(context.bidder).toEqual({ auctionId: auction.id, bidderId, excludedReason: null });
    expect(context.evaluators).toEqual(await bidder.getEvaluators());
  });
});
