import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { readRecordedAuctions } from '../../demo/tsuchiura.js';
import { formatSummary, progressBar, runDemo } from '../../demo/run-demo.js';
import { failOnServiceExit, startClusterStoppedOnSignal } from '../cluster.js';
import { packageRoot } from '../package-root.js';
import { parseIntegerOption } from '../usage-error.js';

/**
 * Auctions in flight by default. With more at once, bids and runs of
 * several auctions share statements and socket writes: back to back on two
 * cores, the full demo took 92.8 s with 32 and 106.7 s with 16.
 */
const DEFAULT_CONCURRENCY = 32;

export const DEMO_USAGE = `Usage: sealbid demo [options]

Starts a local cluster (one orchestrator and n evaluators as separate
processes on 127.0.0.1) and replays the real Tsuchiura procurement auctions
on it: lowest bid wins, the recorded reserve and minimum price, bids the city
disqualified excluded by the operator, ties by lottery. Prints a summary and
writes one line per auction to a CSV file.

Options:
  --limit N          replay only the first N auctions (default all)
  --concurrency N    auctions in flight at once (default ${DEFAULT_CONCURRENCY})
  --evaluators N     number of evaluators (default 3)
  --data FILE        auctions file (default data/tsuchiura-procurement.csv)
  --out FILE         result file (default demo-results/tsuchiura-<time>.csv)
  --json             print the summary as one JSON object
  --verbose          echo the services' log lines to stderr
`;

/** Runs `sealbid demo`; returns 0 when no auction failed, 1 otherwise. */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      limit: { type: 'string' },
      concurrency: { type: 'string' },
      evaluators: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const limit = parseIntegerOption('limit', values.limit, Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER);
  const concurrency = parseIntegerOption('concurrency', values.concurrency, DEFAULT_CONCURRENCY, 1, 256);
  const evaluators = parseIntegerOption('evaluators', values.evaluators, 3, 3, 64);
  const dataFile = resolve(values.data ?? join(packageRoot(), 'data', 'tsuchiura-procurement.csv'));
  const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\..*/, '');
  const resultsFile = resolve(values.out ?? join('demo-results', `tsuchiura-${stamp}.csv`));

  const auctions = (await readRecordedAuctions(dataFile)).slice(0, limit);
  const serviceExit = failOnServiceExit('the demo');
  const { cluster, release } = await startClusterStoppedOnSignal({
    evaluators,
    onExit: serviceExit.onExit,
    onOutput: values.verbose ? (service, line) => process.stderr.write(`[${service}] ${line}\n`) : undefined,
  });
  try {
    if (!values.json) {
      process.stdout.write(`cluster: orchestrator ${cluster.orchestratorUrl}, ${cluster.evaluators.length} evaluators\n`);
    }
    const onProgress = !values.json && process.stderr.isTTY ? progressBar(process.stderr) : undefined;
    const summary = await Promise.race([runDemo(cluster, auctions, { concurrency, resultsFile, onProgress }), serviceExit.failed]);
    process.stdout.write(values.json ? `${JSON.stringify({ ...summary, resultsFile })}\n` : formatSummary(summary, resultsFile));
    return summary.failed === 0 ? 0 : 1;
  } finally {
    release();
    await cluster.stop();
  }
}
