import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { operatorKeyPath } from '../../orchestrator/config/orchestrator-config.js';
import { startClusterStoppedOnSignal } from '../cluster.js';
import { parseIntegerOption } from '../usage-error.js';

export const CLUSTER_USAGE = `Usage: sealbid cluster [options]

Starts one orchestrator and n evaluators as separate processes on 127.0.0.1,
each with its own data folder and embedded database, prints their URLs and
runs until Ctrl-C, which stops them all.

Options:
  --evaluators N     number of evaluators (default 3)
  --data-dir DIR     root data folder, kept between runs (default .data/cluster)
  --port P           orchestrator port; evaluator i listens on P + i (default 8080)
  --quiet            do not echo the services' log lines
`;

/** Runs `sealbid cluster` until SIGINT or SIGTERM; returns the exit code. */
export async function clusterCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      evaluators: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const evaluators = parseIntegerOption('evaluators', values.evaluators, 3, 3, 64);
  const basePort = parseIntegerOption('port', values.port, 8080, 1, 65535 - evaluators);
  const dataDir = resolve(values['data-dir'] ?? join('.data', 'cluster'));

  // A signal during the start stops the services that started. Afterwards this command handles the signals itself.
  const { cluster, release } = await startClusterStoppedOnSignal({
    evaluators,
    dataDir,
    basePort,
    onOutput: values.quiet ? undefined : (service, line) => process.stderr.write(`[${service}] ${line}\n`),
    onExit: (service, description, logFile) =>
      process.stderr.write(`${service} stopped unexpectedly (${description}); its log is ${logFile}. The other services keep running; Ctrl-C stops them.\n`),
  });
  release();

  const lines = [
    `orchestrator  ${cluster.orchestratorUrl}  (API docs ${cluster.orchestratorUrl}/v1/docs)`,
    ...cluster.evaluators.map((evaluator) => `evaluator ${evaluator.party}   ${evaluator.url}  signing key ${evaluator.signingKey}  sealing key ${evaluator.sealingKey}`),
    `operator API key file: ${operatorKeyPath(cluster.orchestrator.dataDir)}`,
    `data: ${cluster.dataDir}`,
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  process.stdout.write('stopping the cluster\n');
  await cluster.stop();
  return 0;
}
