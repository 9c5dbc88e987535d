/** Starts an in-process orchestrator against fake evaluators, with its own data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';

import { loadOrchestratorConfig } from '../../../src/orchestrator/config/orchestrator-config.js';
import { startOrchestrator } from '../../../src/orchestrator/main.js';
import { FakeEvaluator } from './fake-evaluator.js';

export const OPERATOR_KEY = 'operator-key-for-tests-0123456789';

export interface Harness {
  fakes: FakeEvaluator[];
  dataDir: string;
  app: INestApplication;
  url: string;
  /** Stops the app and starts a new one on the same data folder and fake evaluators. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts n fake evaluators and an orchestrator that pins them. */
export async function startHarness(parties = 3, env: Record<string, string> = {}): Promise<Harness> {
  const fakes = Array.from({ length: parties }, (_, index) => new FakeEvaluator(index + 1));
  await Promise.all(fakes.map((fake) => fake.start()));
  const dataDir = mkdtempSync(join(tmpdir(), 'sealbid-orchestrator-'));

  const boot = async () => {
    const config = loadOrchestratorConfig({
      SEALBID_DATA_DIR: dataDir,
      SEALBID_PORT: '0',
      SEALBID_OPERATOR_KEY: OPERATOR_KEY,
      SEALBID_EVALUATORS: JSON.stringify(fakes.map((fake) => fake.pinned())),
      SEALBID_SWEEP_INTERVAL_MS: '100',
      SEALBID_COMPUTE_TIMEOUT_MS: '5000',
      SEALBID_EVALUATOR_TIMEOUT_MS: '2000',
      // Jest cannot load @nestjs/throttler (CommonJS requiring ESM), so in-process apps run without it.
      SEALBID_RATE_LIMIT: '0',
      ...env,
    });
    return startOrchestrator(config, { logger: false });
  };

  const harness: Harness = {
    fakes,
    dataDir,
    ...(await boot()),
    async restart() {
      await harness.app.close();
      Object.assign(harness, await boot());
    },
    async stop() {
      await harness.app.close();
      await Promise.all(fakes.map((fake) => fake.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls until check returns a value other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
