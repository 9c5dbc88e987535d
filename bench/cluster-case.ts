/**
 * One benchmark case on a running cluster: an auction of N random bids,
 * each sealed and submitted by its own SDK client, then closed and computed
 * by the evaluators, with the figures the benchmark page reports.
 */
import { WebSocket } from 'ws';

import type { Cluster } from '../src/cli/cluster.js';
import { BidderClient, OperatorClient, watchUntilFinal, type WebSocketConstructor } from '../src/client/index.js';
import { referenceOutcome, type AuctionRules } from '../src/mpc/index.js';
import { peakRssMb, resetPeakRss } from './process-memory.js';

/** The parameters of one case. */
export interface BenchCase {
  evaluators: number;
  bids: number;
  bits: number;
  /** One-way delay added to every link between evaluators, in milliseconds. */
  delayMs: number;
}

/** The figures of one case. Field names up to peakRssMb are the --json contract. */
export interface CaseResult extends BenchCase {
  /** Bids per second from the first SDK call to the last verified receipt. */
  submitPerSec: number;
  /** Milliseconds from the close request to the event announcing the settled auction. */
  computeMs: number;
  rounds: number;
  multiplications: number;
  /** Protocol bytes sent by the evaluator that sent the most. */
  bytesPerEvaluator: number;
  /** Peak resident memory in MiB during the case, per process ("bench" is the process sending the bids). */
  peakRssMb: Record<string, number | null>;
  /** The same auction computed in the clear in this process, in milliseconds. */
  plaintextMs: number;
  /** Registering the bidders and issuing their tokens, not part of submitPerSec, in milliseconds. */
  setupMs: number;
  /** rounds times the added round-trip delay (2 x delayMs), the floor that delay puts under computeMs. */
  roundsTimesRttMs: number;
}

export interface CaseOptions {
  /** SDK clients submitting at once. */
  concurrency: number;
  /** Bidder ids already registered on this cluster; the case adds the ones it registers. */
  registered: Set<string>;
  /** Maximum wait for the result, in milliseconds. */
  computeTimeoutMs: number;
}

const RULES_BASE = { direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'public' } as const;

/**
 * Runs one case and checks the published price against the plaintext result.
 * @throws Error when a step fails or the computed result differs from the plaintext one.
 */
export async function runCase(cluster: Cluster, spec: BenchCase, options: CaseOptions): Promise<CaseResult> {
  const operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
  const processes = processIds(cluster);
  Object.values(processes).forEach((pid) => resetPeakRss(pid));

  const auction = await operator.createAuction(`Benchmark ${spec.bids} x ${spec.bits} bits`, { ...RULES_BASE, bits: spec.bits });
  await operator.openAuction(auction.id, new Date(Date.now() + 24 * 3_600_000).toISOString());
  const amounts = Array.from({ length: spec.bids }, () => randomAmount(spec.bits));

  const setupStart = performance.now();
  const tokens = await admitBidders(operator, auction.id, spec.bids, options);
  const setupMs = performance.now() - setupStart;

  const submitStart = performance.now();
  await inParallel(spec.bids, options.concurrency, async (index) => {
    const client = new BidderClient({ baseUrl: cluster.orchestratorUrl, auctionId: auction.id, token: tokens[index] });
    await client.submitBid(amounts[index].toString());
  });
  const submitPerSec = spec.bids / ((performance.now() - submitStart) / 1000);

  const plaintext = timePlaintext(amounts, spec.bits);
  const computeMs = await closeAndWait(cluster, operator, auction.id, options.computeTimeoutMs);
  await checkResult(operator, auction.id, plaintext.price);
  const stats = await runStats(cluster, auction.id);

  return {
    ...spec,
    submitPerSec: Math.round(submitPerSec * 10) / 10,
    computeMs: Math.round(computeMs),
    rounds: stats.rounds,
    multiplications: stats.multiplications,
    bytesPerEvaluator: stats.bytesPerEvaluator,
    peakRssMb: Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, peakRssMb(pid)])),
    plaintextMs: Math.round(plaintext.ms * 100) / 100,
    setupMs: Math.round(setupMs),
    roundsTimesRttMs: stats.rounds * 2 * spec.delayMs,
  };
}

function processIds(cluster: Cluster): Record<string, number> {
  const ids: Record<string, number> = { bench: process.pid };
  for (const service of [cluster.orchestrator, ...cluster.evaluators]) {
    if (service.pid !== undefined) {
      ids[service.name] = service.pid;
    }
  }
  return ids;
}

async function admitBidders(operator: OperatorClient, auctionId: string, count: number, options: CaseOptions): Promise<string[]> {
  const tokens = new Array<string>(count);
  await inParallel(count, options.concurrency, async (index) => {
    const bidderId = `bench-bidder-${index}`;
    if (!options.registered.has(bidderId)) {
      await operator.registerBidder(`Benchmark bidder ${index}`, bidderId);
      options.registered.add(bidderId);
    }
    tokens[index] = await operator.issueToken(auctionId, bidderId);
  });
  return tokens;
}

async function closeAndWait(cluster: Cluster, operator: OperatorClient, auctionId: string, timeoutMs: number): Promise<number> {
  const final = watchUntilFinal({
    baseUrl: cluster.orchestratorUrl,
    auctionId,
    timeoutMs,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  const start = performance.now();
  await operator.closeAuction(auctionId);
  const ended = await final.state;
  const elapsed = performance.now() - start;
  if (ended.state !== 'settled') {
    throw new Error(`auction ${auctionId} ended ${ended.state}: ${ended.reason ?? 'no reason given'}`);
  }
  return elapsed;
}

// The winning price is public, so comparing it with the plaintext result checks the whole run.
async function checkResult(operator: OperatorClient, auctionId: string, expectedPrice: bigint | null): Promise<void> {
  const result = await operator.getResult(auctionId);
  const price = result.outcome.price === null ? null : BigInt(result.outcome.price);
  if (price !== expectedPrice) {
    throw new Error(`auction ${auctionId} published price ${String(price)}, but the plaintext result is ${String(expectedPrice)}`);
  }
}

async function runStats(cluster: Cluster, auctionId: string): Promise<{ rounds: number; multiplications: number; bytesPerEvaluator: number }> {
  const views = await Promise.all(
    cluster.evaluators.map(async (evaluator) => {
      const response = await fetch(`${evaluator.url}/v1/auctions/${auctionId}/result`, {
        headers: { authorization: `Bearer ${evaluator.orchestratorToken}` },
      });
      const body = (await response.json()) as { stats: { rounds: number; multiplications: number; bytesSent: number } | null };
      if (body.stats === null) {
        throw new Error(`${evaluator.name} reported no protocol counters for auction ${auctionId}`);
      }
      return body.stats;
    }),
  );
  return {
    rounds: views[0].rounds,
    multiplications: views[0].multiplications,
    bytesPerEvaluator: Math.max(...views.map((stats) => stats.bytesSent)),
  };
}

function timePlaintext(amounts: bigint[], bits: number): { ms: number; price: bigint | null } {
  const rules: AuctionRules = { ...RULES_BASE, bits };
  const start = performance.now();
  const outcome = referenceOutcome(amounts, rules);
  return { ms: performance.now() - start, price: outcome.price };
}

function randomAmount(bits: number): bigint {
  const words = crypto.getRandomValues(new Uint32Array(Math.ceil(bits / 32)));
  const value = words.reduce((acc, word) => (acc << 32n) | BigInt(word), 0n);
  return value & ((1n << BigInt(bits)) - 1n);
}

async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      await work(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
