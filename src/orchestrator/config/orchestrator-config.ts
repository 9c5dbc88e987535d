/**
 * Orchestrator configuration, read once at start-up from the environment
 * (and from command-line overrides) and checked before anything listens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import { ConfigError } from './config-error.js';
import { parseEvaluatorList, type PinnedEvaluator } from './evaluator-list.js';

export { ConfigError } from './config-error.js';

export type { PinnedEvaluator } from './evaluator-list.js';

/** The checked settings of one orchestrator process. */
export interface OrchestratorConfig {
  port: number;
  host: string;
  /** Folder for the embedded database and the generated operator key. */
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | null;
  operatorApiKey: string;
  /** Evaluators in party order (party 1 first). */
  evaluators: PinnedEvaluator[];
  /** Shamir degree t of the bid sharings; t + 1 shares reconstruct. */
  degree: number;
  /** Time allowed for one evaluator request (envelope intake, status), in milliseconds. */
  evaluatorTimeoutMs: number;
  /** Time allowed for one computation run before it counts as failed, in milliseconds. */
  computeTimeoutMs: number;
  /**
   * After a run fails because an evaluator was unavailable, how long the
   * orchestrator waits for every evaluator to be back and keeps starting new
   * runs before the auction fails, in milliseconds.
   */
  recoveryTimeoutMs: number;
  /** Interval of the scheduler's sweep over deadlines and pending work, in milliseconds. */
  sweepIntervalMs: number;
  /** Requests one client address may send per window to endpoints without the operator key; 0 turns the limit off. */
  rateLimit: number;
  /** Length of the rate limit window, in milliseconds. */
  rateLimitWindowMs: number;
}

/** Raw settings, usually the process environment; command-line flags override them. */
export type ConfigSource = Record<string, string | undefined>;

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
const OPERATOR_KEY_FILE = 'operator-api-key';
const MIN_OPERATOR_KEY_LENGTH = 16;
/** Requests per window and client address: ample for a person bidding, small enough to slow a script down. */
const DEFAULT_RATE_LIMIT = 600;

/**
 * Reads and checks the orchestrator's settings.
 *
 * Variables: SEALBID_PORT (default 8080), SEALBID_HOST (default 127.0.0.1),
 * SEALBID_DATA_DIR (default .data/orchestrator), SEALBID_OPERATOR_KEY (when
 * absent, a random key is created once in the data folder, file mode 0600),
 * SEALBID_EVALUATORS (JSON list or @file, see parseEvaluatorList),
 * SEALBID_EVALUATOR_TOKEN (bearer token for evaluators whose entry has none),
 * SEALBID_DEGREE (default: the largest t with n >= 2t + 1), DATABASE_URL, SEALBID_EVALUATOR_TIMEOUT_MS (default 10000),
 * SEALBID_COMPUTE_TIMEOUT_MS (default 300000), SEALBID_RECOVERY_TIMEOUT_MS
 * (default 600000), SEALBID_SWEEP_INTERVAL_MS
 * (default 1000), SEALBID_RATE_LIMIT (default 600 requests per window and
 * client address, 0 turns it off), SEALBID_RATE_LIMIT_WINDOW_MS (default 60000).
 * @throws ConfigError naming the first invalid setting.
 */
export function loadOrchestratorConfig(source: ConfigSource = process.env): OrchestratorConfig {
  const dataDir = resolve(source.SEALBID_DATA_DIR ?? join('.data', 'orchestrator'));
  const evaluatorsText = source.SEALBID_EVALUATORS;
  if (evaluatorsText === undefined || evaluatorsText.trim() === '') {
    throw new ConfigError(
      'SEALBID_EVALUATORS is missing: set it to a JSON list of {"url", "signingKey", "sealingKey"} or to @FILE',
    );
  }

  const evaluators = parseEvaluatorList(readMaybeFile(evaluatorsText, 'SEALBID_EVALUATORS'), source.SEALBID_EVALUATOR_TOKEN || undefined);
  const degree = readInteger(source, 'SEALBID_DEGREE', degreeFor(evaluators.length), 1, 127);
  if (evaluators.length < 2 * degree + 1) {
    throw new ConfigError(`SEALBID_DEGREE ${degree} needs at least ${2 * degree + 1} evaluators, got ${evaluators.length}`);
  }

  return {
    port: readInteger(source, 'SEALBID_PORT', DEFAULT_PORT, 0, 65535),
    host: readHost(source),
    dataDir,
    databaseUrl: readDatabaseUrl(source),
    operatorApiKey: readOperatorKey(source, dataDir),
    evaluators,
    degree,
    evaluatorTimeoutMs: readInteger(source, 'SEALBID_EVALUATOR_TIMEOUT_MS', 10_000, 100, 600_000),
    computeTimeoutMs: readInteger(source, 'SEALBID_COMPUTE_TIMEOUT_MS', 300_000, 1_000, 86_400_000),
    recoveryTimeoutMs: readInteger(source, 'SEALBID_RECOVERY_TIMEOUT_MS', 600_000, 1_000, 7 * 86_400_000),
    sweepIntervalMs: readInteger(source, 'SEALBID_SWEEP_INTERVAL_MS', 1_000, 50, 60_000),
    rateLimit: readInteger(source, 'SEALBID_RATE_LIMIT', DEFAULT_RATE_LIMIT, 0, 1_000_000),
    rateLimitWindowMs: readInteger(source, 'SEALBID_RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 3_600_000),
  };
}

/** Returns the Shamir degree t for n evaluators: the largest t with n >= 2t + 1. */
export function degreeFor(parties: number): number {
  return Math.floor((parties - 1) / 2);
}

function readInteger(source: ConfigSource, name: string, fallback: number, min: number, max: number): number {
  const text = source[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function readHost(source: ConfigSource): string {
  const host = source.SEALBID_HOST ?? DEFAULT_HOST;
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    throw new ConfigError(`SEALBID_HOST must be a host name or IP address, got ${JSON.stringify(host)}`);
  }
  return host;
}

function readDatabaseUrl(source: ConfigSource): string | null {
  const url = source.DATABASE_URL;
  if (url === undefined || url === '') {
    return null;
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    // The URL may contain a password, so only its scheme is quoted.
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got scheme ${JSON.stringify(url.split(':')[0])}`);
  }
  return url;
}

function readOperatorKey(source: ConfigSource, dataDir: string): string {
  const configured = source.SEALBID_OPERATOR_KEY;
  if (configured !== undefined && configured !== '') {
    if (configured.length < MIN_OPERATOR_KEY_LENGTH) {
      throw new ConfigError(`SEALBID_OPERATOR_KEY must be at least ${MIN_OPERATOR_KEY_LENGTH} characters long`);
    }
    return configured;
  }
  return readOrCreateKeyFile(operatorKeyPath(dataDir));
}

/** Returns where the generated operator API key is kept inside a data folder. */
export function operatorKeyPath(dataDir: string): string {
  return join(dataDir, OPERATOR_KEY_FILE);
}

function readOrCreateKeyFile(path: string): string {
  if (existsSync(path)) {
    const key = readFileSync(path, 'utf8').trim();
    if (key.length < MIN_OPERATOR_KEY_LENGTH) {
      throw new ConfigError(`operator key file ${path} is too short: delete it to have a new key generated`);
    }
    return key;
  }
  mkdirSync(resolve(path, '..'), { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function readMaybeFile(text: string, name: string): string {
  if (!text.startsWith('@')) {
    return text;
  }
  const path = text.slice(1);
  try {
    return readFileSync(isAbsolute(path) ? path : resolve(path), 'utf8');
  } catch (error) {
    throw new ConfigError(`${name} names file ${path}, which cannot be read: ${(error as Error).message}`);
  }
}
