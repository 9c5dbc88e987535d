/**
 * The Tsuchiura demo: every recorded auction replayed on a local cluster,
 * several at a time, with a progress bar, a summary and a result file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { OperatorClient } from '../client/index.js';
import type { Cluster } from '../cli/cluster.js';
import { replayAuction, type DemoAuctionResult } from './demo-auction.js';
import type { RecordedAuction } from './tsuchiura.js';

/** The summary that `sealbid demo --json` prints. */
export interface DemoSummary {
  auctions: number;
  settled: number;
  noSale: number;
  failed: number;
  /** Auctions with a winner on record. */
  compared: number;
  /** Compared auctions whose computed winner agrees with the record. */
  agree: number;
  wallMs: number;
}

export interface DemoOptions {
  concurrency: number;
  resultsFile: string;
  onProgress?: (done: number, total: number) => void;
}

/** Replays the auctions on the cluster and writes one result line per auction. */
export async function runDemo(cluster: Cluster, auctions: RecordedAuction[], options: DemoOptions): Promise<DemoSummary> {
  const operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
  const start = performance.now();
  await registerBidders(operator, auctions);

  const results = await mapConcurrently(auctions, options.concurrency, (auction) => replayAuction(operator, cluster.orchestratorUrl, auction), options.onProgress);
  const wallMs = Math.round(performance.now() - start);
  writeResults(options.resultsFile, results);
  return summarize(results, wallMs);
}

/** Registers every bidder once; bidder codes are stable across auctions. */
async function registerBidders(operator: OperatorClient, auctions: RecordedAuction[]): Promise<void> {
  const bidders = new Set(auctions.flatMap((auction) => auction.bids.map((bid) => bid.bidder)));
  for (const bidder of bidders) {
    await operator.registerBidder(bidder, bidder);
  }
}

async function mapConcurrently<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  onProgress?: (done: number, total: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;

  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
      onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

function summarize(results: DemoAuctionResult[], wallMs: number): DemoSummary {
  const count = (predicate: (result: DemoAuctionResult) => boolean) => results.filter(predicate).length;
  return {
    auctions: results.length,
    settled: count((r) => r.status === 'settled'),
    noSale: count((r) => r.status === 'no-sale'),
    failed: count((r) => r.status === 'failed'),
    compared: count((r) => r.agrees !== null),
    agree: count((r) => r.agrees === true),
    wallMs,
  };
}

const RESULT_COLUMNS = ['auction_id', 'status', 'winner', 'price_yen', 'recorded_winner', 'agrees', 'reason'];

function writeResults(path: string, results: DemoAuctionResult[]): void {
  const lines = results.map((r) =>
    [r.id, r.status, r.winner ?? '', r.price ?? '', r.recordedWinner ?? '', r.agrees === null ? '' : String(r.agrees), r.reason ?? '']
      .map(csvCell)
      .join(','),
  );
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${[RESULT_COLUMNS.join(','), ...lines].join('\n')}\n`);
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Formats the summary as the lines `sealbid demo` prints without --json. */
export function formatSummary(summary: DemoSummary, resultsFile: string): string {
  const seconds = (summary.wallMs / 1000).toFixed(1);
  return [
    `auctions: ${summary.auctions} (settled ${summary.settled}, no sale ${summary.noSale}, failed ${summary.failed})`,
    `agreement with the recorded winner: ${summary.agree} of ${summary.compared} auctions that have one`,
    `wall time: ${seconds} s`,
    `results: ${resultsFile}`,
    '',
  ].join('\n');
}

/** Draws a one-line progress bar on a terminal. */
export function progressBar(stream: NodeJS.WriteStream): (done: number, total: number) => void {
  const width = 30;
  return (done, total) => {
    const filled = Math.round((done / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} auctions`);
    if (done === total) {
      stream.write('\n');
    }
  };
}
