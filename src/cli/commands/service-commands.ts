import { parseArgs } from 'node:util';

import { Logger } from '@nestjs/common';

import { writeLogsPerTick } from '../../common/per-tick-writes.js';
import { loadEvaluatorConfig, startEvaluator } from '../../evaluator/index.js';
import { loadOrchestratorConfig } from '../../orchestrator/config/orchestrator-config.js';
import { startOrchestrator } from '../../orchestrator/main.js';

export const ORCHESTRATOR_USAGE = `Usage: sealbid orchestrator [--port N] [--host H] [--data-dir DIR]

Starts one orchestrator. Everything else comes from the environment:
SEALBID_EVALUATORS (JSON list of {url, signingKey, sealingKey, token} or
@FILE), SEALBID_OPERATOR_KEY (generated into the data folder when absent),
SEALBID_EVALUATOR_TOKEN, SEALBID_DEGREE, DATABASE_URL and the timeouts
SEALBID_EVALUATOR_TIMEOUT_MS, SEALBID_COMPUTE_TIMEOUT_MS.
Flags override SEALBID_PORT, SEALBID_HOST and SEALBID_DATA_DIR.
`;

export const EVALUATOR_USAGE = `Usage: sealbid evaluator [--index I] [--port N] [--host H] [--data-dir DIR]
       sealbid evaluator keys backup|restore ...

Starts one evaluator. Everything else comes from the environment:
SEALBID_PARTIES, SEALBID_DEGREE, SEALBID_PEERS, SEALBID_ORCHESTRATOR_TOKEN,
SEALBID_KEY_FILE or SEALBID_EVALUATOR_KEYS, DATABASE_URL and
SEALBID_RETENTION_SECONDS. Flags override SEALBID_EVALUATOR_INDEX,
SEALBID_PORT, SEALBID_HOST and SEALBID_DATA_DIR.
`;

const SERVICE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/** Runs `sealbid orchestrator` until SIGINT or SIGTERM. */
export async function orchestratorCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: SERVICE_OPTIONS, strict: true, allowPositionals: false });
  writeLogsPerTick();
  const config = loadOrchestratorConfig(withOverrides(process.env, { SEALBID_PORT: values.port, SEALBID_HOST: values.host, SEALBID_DATA_DIR: values['data-dir'] }));
  const { app } = await startOrchestrator(config);
  await untilSignal('Orchestrator', () => app.close());
  return 0;
}

/** Runs `sealbid evaluator` until SIGINT or SIGTERM. */
export async function evaluatorCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...SERVICE_OPTIONS, index: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const env = withOverrides(process.env, {
    SEALBID_EVALUATOR_INDEX: values.index,
    SEALBID_PORT: values.port,
    SEALBID_HOST: values.host,
    SEALBID_DATA_DIR: values['data-dir'],
  });
  writeLogsPerTick();
  const evaluator = await startEvaluator(loadEvaluatorConfig(env));
  await untilSignal('Evaluator', () => evaluator.stop());
  return 0;
}

function withOverrides(env: NodeJS.ProcessEnv, overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged = { ...env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) {
      merged[name] = value;
    }
  }
  return merged;
}

async function untilSignal(service: string, stop: () => Promise<void>): Promise<void> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  new Logger(service).log(`received ${signal}, shutting down`);
  await stop();
}
