/**
 * The bidder web client in Debian's Chromium against a real cluster (an
 * orchestrator and three evaluators as separate processes): live bidding by
 * three bidders, the deadline, the verified result, amount-only disclosure
 * and every refusal the page explains.
 */
import { readFileSync } from 'node:fs';

import { jest } from '@jest/globals';

import { OperatorClient } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { openBidderPage, screenshot, submitBid, waitForText, type BidderPage } from './support/bidder-pages.js';
import { launchChromium, type RunningChromium } from './support/chromium.js';

jest.setTimeout(10 * 60_000);

let cluster: Cluster;
let operator: OperatorClient;
let chrome: RunningChromium;
const opened: BidderPage[] = [];

// The Jest global set-up builds the web client that the orchestrator serves. The long ready
// timeout covers a full `npm test`, where other suites start their own clusters at the same time.
beforeAll(async () => {
  [cluster, chrome] = await Promise.all([startCluster({ evaluators: 3, readyTimeoutMs: 180_000 }), launchChromium()]);
  operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
});
afterAll(async () => {
  await chrome?.close();
  await cluster?.stop();
});
afterEach(() => {
  // Every page of a test must have run without script errors or policy violations.
  for (const bidder of opened.splice(0)) {
    expect({ bidder: bidder.bidderId, problems: bidder.problems }).toEqual({ bidder: bidder.bidderId, problems: [] });
  }
});

async function bidder(auctionId: string, bidderId: string, options: Parameters<typeof openBidderPage>[5] = {}): Promise<BidderPage> {
  const page = await openBidderPage(chrome.browser, cluster, operator, auctionId, bidderId, options);
  opened.push(page);
  return page;
}

async function openAuction(title: string, settings: Parameters<OperatorClient['createAuction']>[1], closesInMs: number): Promise<string> {
  const auction = await operator.createAuction(title, settings);
  await operator.openAuction(auction.id, new Date(Date.now() + closesInMs).toISOString());
  return auction.id;
}

async function receiptVerdicts(page: BidderPage['page']): Promise<Array<string | null>> {
  return page.locator('[data-test=current-bid] [data-test=receipt-row]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-verified')));
}

describe('bidder web client', () => {
  test('three bidders bid live and see the verified result', async () => {
    const auctionId = await openAuction('Harbour crane lot 7', { bits: 32, decimals: 2, price: 'second', reserve: { kind: 'public', amount: '100.00' } }, 60_000);
    const tag = auctionId.slice(0, 6);

    // The list shows the open auction with its count.
    const visitor = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const listPage = await visitor.newPage();
    await listPage.goto(cluster.orchestratorUrl);
    await listPage.locator(`[data-test=auction-row][data-auction="${auctionId}"]`).waitFor();
    await screenshot(listPage, '01-auction-list');

    // Alice bids first and watches the count rise as the others bid.
    const alice = await bidder(auctionId, `alice-${tag}`);
    await waitForText(alice.page, '[data-test=live-status]', /^Live/);
    await waitForText(alice.page, '[data-test=bid-count]', '0');
    expect(await alice.page.textContent('[data-rule=reserve]')).toContain('100.00');
    expect(await alice.page.textContent('[data-rule=range]')).toContain('at most 2 decimal places');
    expect(await alice.page.textContent('[data-test=time-left]')).toMatch(/^\d\d:\d\d$/);

    expect(await submitBid(alice.page, '120.50')).toBe('accepted');
    await waitForText(alice.page, '[data-test=bid-count]', '1');
    expect(await receiptVerdicts(alice.page)).toEqual(['true', 'true', 'true']);
    await screenshot(alice.page, '02-auction-bid-accepted');

    const [download] = await Promise.all([alice.page.waitForEvent('download'), alice.page.click('[data-test=current-bid] [data-test=download-receipts]')]);
    const receipts = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(receipts.auctionId).toBe(auctionId);
    expect(receipts.bidderId).toBe(alice.bidderId);
    expect(receipts.receipts.map((entry: { evaluator: number; verified: boolean }) => [entry.evaluator, entry.verified])).toEqual([[1, true], [2, true], [3, true]]);
    expect(JSON.stringify(receipts)).not.toContain('120.50');

    const bob = await bidder(auctionId, `bob-${tag}`);
    expect(await submitBid(bob.page, '99.00')).toBe('accepted');
    await waitForText(alice.page, '[data-test=bid-count]', '2');

    // Carol signs in through the token form; a too-precise and a too-large amount are refused before anything is sent.
    const carol = await bidder(auctionId, `carol-${tag}`, { viaForm: true });
    expect(await submitBid(carol.page, '101.755')).toBe('amount');
    expect(await carol.page.textContent('[data-test=failure-detail]')).toContain('has 3 decimal places; this auction allows at most 2');
    expect(await carol.page.textContent('[data-test=amount-error]')).toContain('3 decimal places');
    await screenshot(carol.page, '03-auction-too-many-decimals');
    expect(await submitBid(carol.page, '99999999999')).toBe('amount');
    expect(await carol.page.textContent('[data-test=failure-detail]')).toContain('is out of range: this auction accepts at most 42949672.95');
    await waitForText(alice.page, '[data-test=bid-count]', '2');

    expect(await submitBid(carol.page, '101.75')).toBe('accepted');
    await waitForText(alice.page, '[data-test=bid-count]', '3');

    // Bob raises his bid: the page shows that it replaced the earlier one, and the count stays 3.
    expect(await submitBid(bob.page, '130.25')).toBe('accepted');
    await bob.page.locator('[data-test=amendment]').waitFor();
    expect(await bob.page.textContent('[data-test=amendment]')).toContain('This bid replaced your earlier bid');
    expect(await receiptVerdicts(bob.page)).toEqual(['true', 'true', 'true']);
    await screenshot(bob.page, '04-auction-amendment');
    expect(await alice.page.textContent('[data-test=bid-count]')).toBe('3');

    // After the deadline every page follows the auction to its result.
    await waitForText(alice.page, '[data-test=state]', /Settled/, 120_000);
    await waitForText(alice.page, '[data-test=outcome-headline]', 'Sold at 120.50');
    await waitForText(alice.page, '[data-test=signature-verdict]', 'All 3 evaluator signatures on this result verify.');
    expect(await alice.page.locator('[data-test=event-log] li').evaluateAll((items) => items.map((item) => item.getAttribute('data-state')))).toEqual(
      expect.arrayContaining(['open', 'closed', 'computing', 'settled']),
    );
    expect(await alice.page.isDisabled('[data-test=submit-bid]')).toBe(true);
    await waitForText(bob.page, '[data-test=private-outcome]', /^You won this auction\./);
    await waitForText(alice.page, '[data-test=private-outcome]', /^You did not win this auction\./);
    await screenshot(alice.page, '05-auction-settled');

    // The result page checks every evaluator's signature in the browser.
    await alice.page.click('[data-test=result-link]');
    await alice.page.locator('[data-test=signature-row]').first().waitFor();
    expect(await alice.page.locator('[data-test=signature-row]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-valid')))).toEqual(['true', 'true', 'true']);
    expect(await alice.page.getAttribute('[data-test=signature-verdict]', 'data-trusted')).toBe('true');
    expect(await alice.page.textContent('[data-test=outcome-details]')).toContain(`Bidder bob-${tag}`);
    await screenshot(alice.page, '06-result');

    // No amount ever left a page in the clear.
    for (const [page, amounts] of [[alice, ['120.50']], [bob, ['99.00', '130.25']], [carol, ['101.755', '101.75']]] as const) {
      for (const amount of amounts) {
        expect({ bidder: page.bidderId, leaked: page.sent.some((text) => text.includes(amount)) }).toEqual({ bidder: page.bidderId, leaked: false });
      }
    }
    await visitor.close();
  });

  test('amount-only tells each bidder privately', async () => {
    const auctionId = await openAuction('Office lease, amount only', { bits: 24, decimals: 2, disclosure: 'amount-only' }, 30_000);
    const tag = auctionId.slice(0, 6);
    const dana = await bidder(auctionId, `dana-${tag}`);
    const erin = await bidder(auctionId, `erin-${tag}`);
    expect(await dana.page.textContent('[data-rule=disclosure]')).toContain('each bidder learns privately whether it won');

    expect(await submitBid(dana.page, '50.00')).toBe('accepted');
    expect(await submitBid(erin.page, '70.00')).toBe('accepted');

    await waitForText(erin.page, '[data-test=outcome-headline]', 'Sold at 70.00', 120_000);
    await waitForText(erin.page, '[data-test=private-outcome]', /^You won this auction\.\s*Only this browser learned this/);
    await waitForText(dana.page, '[data-test=private-outcome]', /^You did not win this auction\.\s*Only this browser learned this/);
    await screenshot(erin.page, '07-amount-only-won');

    await erin.page.click('[data-test=result-link]');
    await erin.page.locator('[data-test=outcome-details]').waitFor();
    expect(await erin.page.textContent('[data-test=outcome-details]')).toContain('Not published');
    await waitForText(erin.page, '[data-test=private-outcome]', /^You won this auction\./);
    await screenshot(erin.page, '08-amount-only-result');
  });

  test('closed auction rejects a late bid', async () => {
    const auctionId = await openAuction('Closed before the bid', { bits: 16, decimals: 0 }, 120_000);
    // Blocking the live socket keeps the page unaware of the close, so the bidder gets the server's refusal.
    const frank = await bidder(auctionId, `frank-${auctionId.slice(0, 6)}`, { prepare: (context) => context.routeWebSocket(/\/v1\/events$/, () => undefined) });
    await operator.closeAuction(auctionId);

    expect(await submitBid(frank.page, '42')).toBe('closed');
    expect(await frank.page.textContent('[data-test=failure]')).toContain('Bids are no longer accepted');
    expect(await frank.page.textContent('[data-test=failure-detail]')).toMatch(/^Auction \S+ is (closed|computing|settled); sealed submissions are accepted only while it is open/);
    // The refusal makes the page reload the auction's state, which locks the form.
    await frank.page.locator('[data-test=submit-bid]:disabled').waitFor();
    expect(await frank.page.getAttribute('[data-test=state]', 'data-state')).not.toBe('open');
    await screenshot(frank.page, '09-closed-refusal');
  });

  test('token form explains a wrong token', async () => {
    const auctionId = await openAuction('Token check', { bits: 16, decimals: 0 }, 120_000);
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${cluster.orchestratorUrl}/auctions/${auctionId}`);

    await page.fill('[data-test=token-input]', 'not a token');
    await page.click('[data-test=token-submit]');
    await waitForText(page, '[data-test=token-error]', /^This is not a bidder token/);

    await page.fill('[data-test=token-input]', `sbt_${'A'.repeat(43)}`);
    await page.click('[data-test=token-submit]');
    await waitForText(page, '[data-test=token-error]', /does not accept this token for this auction\. Ask the operator for a new bidder link/);
    expect(await page.isHidden('[data-test=bid-form]')).toBe(true);
    await screenshot(page, '11-token-rejected');
    await context.close();
  });

  test('unreachable evaluator is explained', async () => {
    const auctionId = await openAuction('Evaluator outage', { bits: 16, decimals: 0 }, 120_000);
    const gina = await bidder(auctionId, `gina-${auctionId.slice(0, 6)}`);
    const pid = cluster.evaluators[2].pid as number;
    process.kill(pid, 'SIGTERM');
    await waitForExit(pid);

    try {
      expect(await submitBid(gina.page, '17')).toBe('evaluator');
      const failure = await gina.page.textContent('[data-test=failure]');
      expect(failure).toContain('Evaluator 3 could not be reached, so the bid was not recorded');
      expect(failure).toContain('tell the operator that evaluator 3 is not responding');
      expect(failure).toContain('Any bid you submitted earlier still stands');
      expect(failure).toContain('submit again');
      await screenshot(gina.page, '10-evaluator-unreachable');
    } finally {
      await cluster.restartEvaluator(3);
    }

    expect(await submitBid(gina.page, '17')).toBe('accepted');
    await waitForText(gina.page, '[data-test=bid-count]', '1');
  });
});

async function waitForExit(pid: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`evaluator process ${pid} did not exit within 10 s`);
}
