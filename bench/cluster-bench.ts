/**
 * The cluster benchmark: auctions on a local cluster of separate processes
 * (one orchestrator, n evaluators) over loopback, with bids sealed and
 * submitted through the SDK, and optionally a delay added to every link
 * between evaluators.
 *
 * Usage: npm run bench -- --help prints the options (USAGE below).
 */
import { parseArgs } from 'node:util';

import { startClusterStoppedOnSignal, type Cluster } from '../src/cli/cluster.js';
import { runCase, type BenchCase, type CaseResult } from './cluster-case.js';
import { startDelayProxy, type DelayProxy } from './delay-proxy.js';
import { describeMachine } from './machine.js';
import { numberList, positiveInteger, readCommandOptions } from './options.js';

/** The cases the benchmark page reports. */
const DEFAULT_CASES: BenchCase[] = [
  ...[32, 48].flatMap((bits) => [1_000, 10_000, 100_000].map((bids) => ({ evaluators: 3, bids, bits, delayMs: 0 }))),
  { evaluators: 5, bids: 10_000, bits: 32, delayMs: 0 },
  { evaluators: 7, bids: 10_000, bits: 32, delayMs: 0 },
  ...[20, 50].flatMap((delayMs) => [1_000, 10_000].map((bids) => ({ evaluators: 3, bids, bits: 32, delayMs }))),
];

// The default timeouts suit small auctions on a fast link; large sets and delayed links need more.
const SERVICE_ENV = {
  SEALBID_ROUND_TIMEOUT_MS: '300000',
  SEALBID_AGREEMENT_TIMEOUT_MS: '300000',
  SEALBID_COMPUTE_TIMEOUT_MS: '3600000',
  SEALBID_EVALUATOR_TIMEOUT_MS: '300000',
};
const COMPUTE_TIMEOUT_MS = 3_600_000;

const USAGE = `Usage: npm run bench -- [options]

Runs sealed-bid auctions on a local cluster of separate processes and prints
their figures. Without --bids, --bits, --evaluators and --delay it runs the
cases of the benchmark page. With any of them it runs every combination of
the lists given; a list not given is 1000 bids, 32 bits, 3 evaluators or
0 ms delay.

  --json              print one JSON object per case
  --bids 1000,10000   bids per auction
  --bits 32,48        bit length of the amounts
  --evaluators 3,5    evaluators in the cluster
  --delay 0,20,50     one-way delay added between evaluators, in ms
  --concurrency 32    SDK clients submitting at once
  --max-bids N        skip the cases with more than N bids
  --help              print this text`;

interface Options {
  json: boolean;
  concurrency: number;
  maxBids: number;
  cases: BenchCase[];
}

async function main(): Promise<void> {
  const options = readCommandOptions(USAGE, 'npm run bench', readOptions);
  if (options === null) {
    return;
  }
  if (!options.json) {
    console.log(`machine: ${describeMachine()}`);
    console.log(header());
  }

  for (const group of groupByCluster(options.cases)) {
    const runnable = group.filter((spec) => spec.bids <= options.maxBids);
    group.filter((spec) => spec.bids > options.maxBids).forEach((spec) => report(options, spec, `skipped: more than --max-bids ${options.maxBids}`));
    if (runnable.length > 0) {
      await runGroup(runnable, options);
    }
  }
}

/** Runs cases that share an evaluator count and the presence of a delay on one cluster. */
async function runGroup(cases: BenchCase[], options: Options): Promise<void> {
  const evaluators = cases[0].evaluators;
  const proxies = cases[0].delayMs > 0 ? await linkProxies(evaluators) : null;
  const { cluster, release } = await startClusterStoppedOnSignal({
    evaluators,
    env: SERVICE_ENV,
    peerUrl: proxies === null ? undefined : (dialer, listener, port) => proxyUrl(proxies, dialer, listener, port),
  });
  const registered = new Set<string>();
  try {
    for (const spec of cases) {
      proxies?.forEach((proxy) => {
        proxy.delayMs = spec.delayMs;
      });
      await runOne(cluster, spec, options, registered);
    }
  } finally {
    release();
    await cluster.stop();
    await Promise.all([...(proxies?.values() ?? [])].map((proxy) => proxy.close()));
  }
}

async function runOne(cluster: Cluster, spec: BenchCase, options: Options, registered: Set<string>): Promise<void> {
  try {
    const result = await runCase(cluster, spec, { concurrency: options.concurrency, registered, computeTimeoutMs: COMPUTE_TIMEOUT_MS });
    report(options, spec, result);
  } catch (error) {
    report(options, spec, `failed: ${(error as Error).message}`);
  }
}

/** Starts one delaying proxy per pair of evaluators, keyed "a-b" with a < b. */
async function linkProxies(evaluators: number): Promise<Map<string, DelayProxy>> {
  const proxies = new Map<string, DelayProxy>();
  for (let a = 1; a <= evaluators; a++) {
    for (let b = a + 1; b <= evaluators; b++) {
      proxies.set(`${a}-${b}`, await startDelayProxy(0));
    }
  }
  return proxies;
}

// Evaluator a dials only peers b > a, so each pair's one connection passes through its proxy.
// The URL of a lower peer is configured but never dialed, so it stays direct.
function proxyUrl(proxies: Map<string, DelayProxy>, dialer: number, listener: number, port: number): string {
  const proxy = proxies.get(`${dialer}-${listener}`);
  if (proxy === undefined) {
    return `ws://127.0.0.1:${port}/v1/peers`;
  }
  proxy.targetPort = port;
  return `ws://127.0.0.1:${proxy.port}/v1/peers`;
}

function groupByCluster(cases: BenchCase[]): BenchCase[][] {
  const groups = new Map<string, BenchCase[]>();
  for (const spec of cases) {
    const key = `${spec.evaluators}/${spec.delayMs > 0}`;
    groups.set(key, [...(groups.get(key) ?? []), spec]);
  }
  return [...groups.values()];
}

function report(options: Options, spec: BenchCase, outcome: CaseResult | string): void {
  if (options.json) {
    console.log(JSON.stringify(typeof outcome === 'string' ? { ...spec, error: outcome } : outcome));
    return;
  }
  console.log(typeof outcome === 'string' ? `${label(spec)}  ${outcome}` : row(outcome));
}

function header(): string {
  return 'evaluators  bids  bits  delay ms  submit/s  compute ms  rounds  rounds x RTT ms  multiplications  bytes/evaluator  plaintext ms  peak RSS MiB';
}

function label(spec: BenchCase): string {
  return `${spec.evaluators}  ${spec.bids}  ${spec.bits}  ${spec.delayMs}`;
}

function row(result: CaseResult): string {
  const memory = Object.entries(result.peakRssMb)
    .map(([name, mb]) => `${name} ${mb ?? '?'}`)
    .join(', ');
  return [
    label(result),
    result.submitPerSec,
    result.computeMs,
    result.rounds,
    result.roundsTimesRttMs,
    result.multiplications,
    result.bytesPerEvaluator,
    result.plaintextMs,
    memory,
  ].join('  ');
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      bids: { type: 'string' },
      bits: { type: 'string' },
      evaluators: { type: 'string' },
      delay: { type: 'string' },
      concurrency: { type: 'string', default: '32' },
      'max-bids': { type: 'string' },
    },
    strict: true,
  });
  const custom = [values.bids, values.bits, values.evaluators, values.delay].some((value) => value !== undefined);
  const cases = custom ? combinations(values) : DEFAULT_CASES;
  return {
    json: values.json,
    concurrency: positiveInteger(values.concurrency, 'concurrency'),
    maxBids: values['max-bids'] === undefined ? Number.MAX_SAFE_INTEGER : positiveInteger(values['max-bids'], 'max-bids'),
    cases,
  };
}

function combinations(values: { bids?: string; bits?: string; evaluators?: string; delay?: string }): BenchCase[] {
  const bids = numberList(values.bids ?? '1000', 'bids', 2);
  const bits = numberList(values.bits ?? '32', 'bits', 1);
  const evaluators = numberList(values.evaluators ?? '3', 'evaluators', 3);
  const delays = numberList(values.delay ?? '0', 'delay', 0);
  return evaluators.flatMap((n) => delays.flatMap((delayMs) => bits.flatMap((b) => bids.map((count) => ({ evaluators: n, bids: count, bits: b, delayMs })))));
}

await main();
