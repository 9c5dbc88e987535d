/**
 * Orchestrator configuration, read once at start-up from the environment
 * (and from command-line overrides) and checked before anything listens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import { ConfigError, ConfigProblems } from '../../common/config-error.js';
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
 * @throws ConfigError listing every invalid setting, one per line.
 */
export function loadOrchestratorConfig(source: ConfigSource = process.env): OrchestratorConfig {
  const problems = new ConfigProblems();
  const dataDir = resolve(source.SEALBID_DATA_DIR ?? join('.data', 'orchestrator'));
  const committee = readCommittee(source, problems);

  const settings = {
    port: problems.read(() => readInteger(source, 'SEALBID_PORT', DEFAULT_PORT, 0, 65535), 0),
    host: problems.read(() => readHost(source), DEFAULT_HOST),
    dataDir,
    databaseUrl: problems.read(() => readDatabaseUrl(source), null),
    evaluatorTimeoutMs: problems.read(() => readInteger(source, 'SEALBID_EVALUATOR_TIMEOUT_MS', 10_000, 100, 600_000), 0),
    computeTimeoutMs: problems.read(() => readInteger(source, 'SEALBID_COMPUTE_TIMEOUT_MS', 300_000, 1_000, 86_400_000), 0),
    recoveryTimeoutMs: problems.read(() => readInteger(source, 'SEALBID_RECOVERY_TIMEOUT_MS', 600_000, 1_000, 7 * 86_400_000), 0),
    sweepIntervalMs: problems.read(() => readInteger(source, 'SEALBID_SWEEP_INTERVAL_MS', 1_000, 50, 60_000), 0),
    rateLimit: problems.read(() => readInteger(source, 'SEALBID_RATE_LIMIT', DEFAULT_RATE_LIMIT, 0, 1_000_000), 0),
    rateLimitWindowMs: problems.read(() => readInteger(source, 'SEALBID_RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 3_600_000), 0),
  };
  const operatorApiKey = problems.read(() => readOperatorKey(source, dataDir), undefined);

  // A missing key file is created only after every other setting is valid, so a rejected configuration creates no file.
  const { evaluators, degree } = problems.valueOrThrow(committee);
  return {
    ...settings,
    evaluators,
    degree,
    operatorApiKey: operatorApiKey ?? createKeyFile(operatorKeyPath(dataDir)),
  };
}

/**
 * Reads the evaluator list and the degree, and checks them against each other
 * when both are valid. Returns undefined after recording any problem.
 */
function readCommittee(source: ConfigSource, problems: ConfigProblems): { evaluators: PinnedEvaluator[]; degree: number } | undefined {
  const evaluators = problems.read(() => readEvaluators(source), undefined);

  // Without a valid list the default degree is unknown, so only a given SEALBID_DEGREE is checked.
  const defaultDegree = evaluators === undefined ? 1 : degreeFor(evaluators.length);
  const degree = problems.read(() => readInteger(source, 'SEALBID_DEGREE', defaultDegree, 1, 127), undefined);
  if (evaluators === undefined || degree === undefined) {
    return undefined;
  }

  const needed = 2 * degree + 1;
  const enough = problems.check(evaluators.length >= needed, `SEALBID_DEGREE ${degree} needs at least ${needed} evaluators, got ${evaluators.length}`);
  return enough ? { evaluators, degree } : undefined;
}

function readEvaluators(source: ConfigSource): PinnedEvaluator[] {
  const text = source.SEALBID_EVALUATORS;
  if (text === undefined || text.trim() === '') {
    throw new ConfigError(
      'SEALBID_EVALUATORS is missing: set it to a JSON list of {"url", "signingKey", "sealingKey"} or to @FILE',
    );
  }
  return parseEvaluatorList(readMaybeFile(text, 'SEALBID_EVALUATORS'), source.SEALBID_EVALUATOR_TOKEN || undefined);
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

/** Returns the configured key, else the key in the data folder's key file, else undefined when that file does not exist yet. */
function readOperatorKey(source: ConfigSource, dataDir: string): string | undefined {
  const configured = source.SEALBID_OPERATOR_KEY;
  if (configured !== undefined && configured !== '') {
    if (configured.length < MIN_OPERATOR_KEY_LENGTH) {
      throw new ConfigError(`SEALBID_OPERATOR_KEY must be at least ${MIN_OPERATOR_KEY_LENGTH} characters long`);
    }
    return configured;
  }
  return readKeyFile(operatorKeyPath(dataDir));
}

/** Returns where the generated operator API key is kept inside a data folder. */
export function operatorKeyPath(dataDir: string): string {
  return join(dataDir, OPERATOR_KEY_FILE);
}

function readKeyFile(path: string): string | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < MIN_OPERATOR_KEY_LENGTH) {
    throw new ConfigError(`operator key file ${path} is too short: delete it to have a new key generated`);
  }
  return key;
}

function createKeyFile(path: string): string {
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
