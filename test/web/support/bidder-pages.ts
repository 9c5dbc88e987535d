/** Browser helpers for the web client tests: bidder pages, bids, leak checks and screenshots. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { OperatorClient } from '../../../src/client/index.js';
import type { Cluster } from '../../../src/cli/cluster.js';

/** Folder for the screenshots of a test run (git-ignored). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'web');

/** A bidder's browser context with what its page sent and what went wrong in it. */
export interface BidderPage {
  bidderId: string;
  token: string;
  context: BrowserContext;
  page: Page;
  /** Every request body and WebSocket frame the page sent, to check that no amount leaves it. */
  sent: string[];
  /** Uncaught errors and console errors, such as Content-Security-Policy violations, but not HTTP error responses. */
  problems: string[];
}

/** Options for opening a bidder page. */
export interface OpenOptions {
  /** Open the page without the token and paste it into the token form instead. */
  viaForm?: boolean;
  /** Set up routes (such as a blocked WebSocket) before the page loads. */
  prepare?: (context: BrowserContext) => Promise<void>;
}

/** Registers a bidder, issues its token and opens the auction page in a fresh browser context. */
export async function openBidderPage(
  browser: Browser,
  cluster: Cluster,
  operator: OperatorClient,
  auctionId: string,
  bidderId: string,
  options: OpenOptions = {},
): Promise<BidderPage> {
  await operator.registerBidder(`Bidder ${bidderId}`, bidderId);
  const token = await operator.issueToken(auctionId, bidderId);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await options.prepare?.(context);
  const page = await context.newPage();
  const bidder: BidderPage = { bidderId, token, context, page, sent: [], problems: [] };
  recordTraffic(bidder);

  const link = `${cluster.orchestratorUrl}/auctions/${auctionId}#token=${token}`;
  if (options.viaForm === true) {
    await page.goto(`${cluster.orchestratorUrl}/auctions/${auctionId}`);
    await page.locator('[data-test=token-form]').waitFor();
    await page.fill('[data-test=token-input]', link);
    await page.click('[data-test=token-submit]');
  } else {
    await page.goto(link);
  }
  await page.locator('[data-test=bidder-id]', { hasText: bidderId }).waitFor();
  return bidder;
}

function recordTraffic(bidder: BidderPage): void {
  bidder.page.on('request', (request) => bidder.sent.push(`${request.url()} ${request.postData() ?? ''}`));
  bidder.page.on('websocket', (socket) => socket.on('framesent', (frame) => bidder.sent.push(String(frame.payload))));
  bidder.page.on('pageerror', (error) => bidder.problems.push(`page error: ${error.message}`));
  bidder.page.on('console', (message) => {
    // Chromium logs every HTTP error response; the refusals under test produce some on purpose.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of')) {
      bidder.problems.push(`console: ${message.text()}`);
    }
  });
}

/** Types an amount, submits it and waits until the page shows the acceptance or a failure. */
export async function submitBid(page: Page, amount: string): Promise<'accepted' | string> {
  await page.fill('[data-test=amount]', amount);
  await page.click('[data-test=submit-bid]');
  const outcome = page.locator('[data-test=bid-accepted], [data-test=failure]').first();
  await outcome.waitFor({ timeout: 60_000 });
  if ((await outcome.getAttribute('data-test')) === 'bid-accepted') {
    return 'accepted';
  }
  return (await outcome.getAttribute('data-kind')) ?? 'unknown';
}

/** Waits until an element's whole text matches. */
export async function waitForText(page: Page, selector: string, text: string | RegExp, timeout = 30_000): Promise<void> {
  const pattern = typeof text === 'string' ? new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : text;
  await page.locator(selector, { hasText: pattern }).first().waitFor({ timeout });
}

/** Saves a full-page screenshot under test-artifacts/web and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
