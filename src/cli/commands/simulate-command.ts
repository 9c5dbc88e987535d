import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { BidsFileError, parseBidsCsv } from '../bids-csv.js';
import { failOnServiceExit, startClusterStoppedOnSignal } from '../cluster.js';
import { checkSimulationSettings, formatReport, runSimulation, type SimulationSettings } from '../simulation.js';
import { parseChoice, parseIntegerOption, UsageError } from '../usage-error.js';

export const SIMULATE_USAGE = `Usage: sealbid simulate --bids FILE.csv [options]

Starts a local cluster, runs one auction with the bids of FILE.csv (columns
bidder and amount, submitted in file order; an empty amount registers the
bidder without a bid), prints the outcome and stops the cluster.

Options:
  --lowest-wins              the lowest bid wins (procurement); default highest
  --price first|second       price rule (default first)
  --reserve AMOUNT           reserve price in major units
  --sealed-reserve           seal the reserve as shares instead of publishing it
  --min-price AMOUNT         lowest-wins only: bids below it are disqualified
  --min-bids N               valid bids needed before anything is opened
  --ties earliest|lottery    tie rule (default earliest)
  --bits K                   bid width in bits (default 32)
  --decimals D               digits after the decimal point (default 0)
  --evaluators N             number of evaluators (default 3)
  --disclosure public|amount-only   amount-only hides the winner (default public)
  --json                     print one JSON object
  --verbose                  echo the services' log lines to stderr
`;

/** Runs `sealbid simulate`; returns the exit code (0 settled or no sale, 1 failed). */
export async function simulateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      bids: { type: 'string' },
      'lowest-wins': { type: 'boolean', default: false },
      price: { type: 'string' },
      reserve: { type: 'string' },
      'sealed-reserve': { type: 'boolean', default: false },
      'min-price': { type: 'string' },
      'min-bids': { type: 'string' },
      ties: { type: 'string' },
      bits: { type: 'string' },
      decimals: { type: 'string' },
      evaluators: { type: 'string' },
      disclosure: { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.bids === undefined) {
    throw new UsageError('--bids FILE.csv is required');
  }

  const settings: SimulationSettings = {
    direction: values['lowest-wins'] ? 'lowest-wins' : 'highest-wins',
    price: parseChoice('price', values.price, ['first', 'second'] as const, 'first'),
    reserve: values.reserve ?? null,
    sealedReserve: values['sealed-reserve'] ?? false,
    minPrice: values['min-price'] ?? null,
    minBids: values['min-bids'] === undefined ? null : parseIntegerOption('min-bids', values['min-bids'], 1, 1, 1_000_000),
    ties: parseChoice('ties', values.ties, ['earliest', 'lottery'] as const, 'earliest'),
    bits: parseIntegerOption('bits', values.bits, 32, 1, 64),
    decimals: parseIntegerOption('decimals', values.decimals, 0, 0, 18),
    disclosure: parseChoice('disclosure', values.disclosure, ['public', 'amount-only'] as const, 'public'),
  };
  const evaluators = parseIntegerOption('evaluators', values.evaluators, 3, 3, 64);
  checkSimulationSettings(settings);
  const rows = readRows(values.bids);

  const serviceExit = failOnServiceExit('the simulation');
  const { cluster, release } = await startClusterStoppedOnSignal({
    evaluators,
    onExit: serviceExit.onExit,
    onOutput: values.verbose ? (service, line) => process.stderr.write(`[${service}] ${line}\n`) : undefined,
  });
  try {
    const report = await Promise.race([runSimulation(cluster, rows, settings), serviceExit.failed]);
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report, settings.disclosure));
    return report.status === 'failed' ? 1 : 0;
  } finally {
    release();
    await cluster.stop();
  }
}

function readRows(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the bids file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseBidsCsv(text);
  } catch (error) {
    if (error instanceof BidsFileError) {
      throw new UsageError(`${path}: ${error.message}`);
    }
    throw error;
  }
}
