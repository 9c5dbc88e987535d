#!/usr/bin/env node
/** The `sealbid` command: local clusters, simulations, single services and key custody. */
import { describeError } from '../common/config-error.js';
import { pendingSignalExit } from './cluster.js';
import { CLUSTER_USAGE, clusterCommand } from './commands/cluster-command.js';
import { DEMO_USAGE, demoCommand } from './commands/demo-command.js';
import { KEYS_USAGE, keysCommand } from './commands/keys-command.js';
import { EVALUATOR_USAGE, evaluatorCommand, ORCHESTRATOR_USAGE, orchestratorCommand } from './commands/service-commands.js';
import { SIMULATE_USAGE, simulateCommand } from './commands/simulate-command.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: sealbid <command> [options]

Commands:
  cluster                    start an orchestrator and n evaluators on 127.0.0.1
  simulate --bids FILE.csv   run one auction through a fresh cluster and print the outcome
  demo                       replay the real Tsuchiura procurement auctions on a fresh cluster
  orchestrator               start one orchestrator
  evaluator                  start one evaluator
  evaluator keys backup|restore   split the evaluator key file into recovery shares, or rebuild it

Run "sealbid <command> --help" for the options of a command.
`;

interface Command {
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  cluster: { usage: CLUSTER_USAGE, run: clusterCommand },
  simulate: { usage: SIMULATE_USAGE, run: simulateCommand },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  orchestrator: { usage: ORCHESTRATOR_USAGE, run: orchestratorCommand },
  evaluator: { usage: EVALUATOR_USAGE, run: evaluatorCommand },
  keys: { usage: KEYS_USAGE, run: keysCommand },
};

/** Runs the CLI with the arguments after the program name and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { command, args } = selectCommand(argv);
  if (command === undefined) {
    if (argv.length === 0 || isHelp(argv[0])) {
      process.stdout.write(USAGE);
      return 0;
    }
    process.stderr.write(`sealbid: unknown command ${JSON.stringify(argv[0])}\n\n${USAGE}`);
    return 2;
  }
  if (args.some(isHelp)) {
    process.stdout.write(command.usage);
    return 0;
  }

  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sealbid: ${(error as Error).message}\n\n${command.usage}`);
      return 2;
    }
    // An error caused by SIGINT or SIGTERM, such as a service that the signal ended during a start, is expected.
    if (pendingSignalExit() === null) {
      process.stderr.write(`sealbid: ${describeError(error as Error)}\n`);
    }
    return 1;
  }
}

function selectCommand(argv: string[]): { command: Command | undefined; args: string[] } {
  const [first, second, ...rest] = argv;
  if (first === 'evaluator' && second === 'keys') {
    return { command: COMMANDS.keys, args: rest };
  }
  if (first === undefined || first === 'keys') {
    return { command: undefined, args: [] };
  }
  return { command: COMMANDS[first], args: argv.slice(1) };
}

function isHelp(arg: string): boolean {
  return arg === '--help' || arg === '-h' || arg === 'help';
}

// Exiting explicitly stops a service whose libraries keep handles open after shutdown.
// While a signal handler stops a cluster, it exits once the cluster is stopped.
main(process.argv.slice(2)).then(
  (code) => {
    if (pendingSignalExit() === null) {
      process.exit(code);
    }
  },
  (error: Error) => {
    process.stderr.write(`sealbid: ${error.message}\n`);
    process.exit(1);
  },
);
