/**
 * Evaluator configuration, read once at start-up from environment variables,
 * checked, and frozen. Every error names the variable and what is allowed.
 */
import { resolve } from 'node:path';

import { ConfigError, ConfigProblems } from '../../common/config-error.js';
import { fromBase64Url } from '../../crypto/index.js';
import { isLoopback } from '../common/loopback.js';

/** One peer evaluator as this evaluator trusts it. */
export interface PeerConfig {
  /** Party number of the peer, 1 to n. */
  index: number;
  /** WebSocket URL of the peer's channel, such as ws://127.0.0.1:7102/v1/peers. */
  url: string;
  /** Pinned Ed25519 public key that the peer must prove it holds. */
  signingPublicKey: Uint8Array;
}

export interface EvaluatorConfig {
  host: string;
  port: number;
  dataDir: string;
  /** This evaluator's party number, 1 to n. */
  index: number;
  parties: number;
  /** Polynomial degree t of the Shamir sharings; t + 1 shares reconstruct. */
  degree: number;
  peers: PeerConfig[];
  orchestratorToken: string;
  databaseUrl: string | undefined;
  /** How long envelopes are kept after settlement, in milliseconds. */
  retentionMs: number;
  /** Path of the key file; created on first start when absent. */
  keyFile: string;
  /** Key file contents given inline (SEALBID_EVALUATOR_KEYS), taking precedence over keyFile. */
  inlineKeys: string | undefined;
  /** How long one protocol round waits for peers, in milliseconds. */
  roundTimeoutMs: number;
  /** How long the submission set agreement waits for peers, in milliseconds. */
  agreementTimeoutMs: number;
  /** Delay before the first reconnection to a dropped peer, in milliseconds. */
  reconnectDelayMs: number;
  /** Whether peer channels without TLS may use addresses other than loopback (SEALBID_ALLOW_INSECURE_PEERS). */
  allowInsecurePeers: boolean;
  /** Requests one client address may send per window without the orchestrator token; 0 turns the limit off. */
  rateLimit: number;
  /** Length of the rate limit window, in milliseconds. */
  rateLimitWindowMs: number;
}

export { ConfigError } from '../../common/config-error.js';

/** Party settings that the peer list depends on, each valid and consistent with the others. */
interface Topology {
  index: number;
  parties: number;
  degree: number;
  allowInsecurePeers: boolean;
  peers: PeerConfig[];
}

const MIN_TOKEN_LENGTH = 32;
const DEFAULT_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * Reads the configuration from environment variables.
 * @throws ConfigError listing every missing or invalid variable, one per line.
 */
export function loadEvaluatorConfig(env: NodeJS.ProcessEnv = process.env): EvaluatorConfig {
  const problems = new ConfigProblems();
  const topology = readTopology(env, problems);

  // When the party settings are invalid, the defaults derived from the index are placeholders that valueOrThrow discards by throwing.
  const index = topology?.index ?? 0;
  const dataDir = resolve(env.SEALBID_DATA_DIR ?? `data/evaluator-${index}`);
  const settings = {
    host: env.SEALBID_HOST ?? '127.0.0.1',
    port: problems.read(() => readInteger(env, 'SEALBID_PORT', 7100 + index, 0, 65535), 0),
    dataDir,
    orchestratorToken: problems.read(() => readToken(env), ''),
    databaseUrl: env.DATABASE_URL || undefined,
    retentionMs: problems.read(() => readInteger(env, 'SEALBID_RETENTION_SECONDS', DEFAULT_RETENTION_SECONDS, 0, 10 * 365 * 24 * 3600), 0) * 1000,
    keyFile: resolve(env.SEALBID_KEY_FILE ?? resolve(dataDir, 'evaluator-keys.json')),
    inlineKeys: env.SEALBID_EVALUATOR_KEYS || undefined,
    roundTimeoutMs: problems.read(() => readInteger(env, 'SEALBID_ROUND_TIMEOUT_MS', 30_000, 100, 3_600_000), 0),
    agreementTimeoutMs: problems.read(() => readInteger(env, 'SEALBID_AGREEMENT_TIMEOUT_MS', 60_000, 100, 3_600_000), 0),
    reconnectDelayMs: problems.read(() => readInteger(env, 'SEALBID_RECONNECT_DELAY_MS', 500, 10, 60_000), 0),
    rateLimit: problems.read(() => readInteger(env, 'SEALBID_RATE_LIMIT', 600, 0, 1_000_000), 0),
    rateLimitWindowMs: problems.read(() => readInteger(env, 'SEALBID_RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 3_600_000), 0),
  };

  const config: EvaluatorConfig = { ...settings, ...problems.valueOrThrow(topology) };
  return Object.freeze(config);
}

/**
 * Reads index, parties, degree and SEALBID_ALLOW_INSECURE_PEERS, then the peer
 * list, which is parsed only when all of them are valid. Returns undefined
 * after recording any problem.
 */
function readTopology(env: NodeJS.ProcessEnv, problems: ConfigProblems): Topology | undefined {
  const index = problems.read(() => readInteger(env, 'SEALBID_EVALUATOR_INDEX', undefined, 1, 255), undefined);
  const parties = problems.read(() => readInteger(env, 'SEALBID_PARTIES', 3, 3, 255), undefined);
  const degree = problems.read(() => readInteger(env, 'SEALBID_DEGREE', 1, 1, 127), undefined);
  const thresholdMet =
    parties !== undefined &&
    degree !== undefined &&
    problems.check(parties >= 2 * degree + 1, `SEALBID_PARTIES (${parties}) must be at least 2 * SEALBID_DEGREE + 1 = ${2 * degree + 1}`);
  const indexFits =
    index !== undefined &&
    parties !== undefined &&
    problems.check(index <= parties, `SEALBID_EVALUATOR_INDEX (${index}) must be at most SEALBID_PARTIES (${parties})`);

  const allowInsecurePeers = problems.read(() => readBoolean(env, 'SEALBID_ALLOW_INSECURE_PEERS', false), undefined);
  if (!thresholdMet || !indexFits || allowInsecurePeers === undefined) {
    return undefined;
  }

  const peers = problems.read(() => parsePeers(env.SEALBID_PEERS, index, parties, allowInsecurePeers), undefined);
  return peers === undefined ? undefined : { index, parties, degree, allowInsecurePeers, peers };
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') {
    if (fallback === undefined) {
      throw new ConfigError(`${name} is missing: set it to an integer from ${min} to ${max}`);
    }
    return fallback;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (text === undefined || text === '') {
    return fallback;
  }
  if (text === 'true' || text === '1') {
    return true;
  }
  if (text === 'false' || text === '0') {
    return false;
  }
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

function readToken(env: NodeJS.ProcessEnv): string {
  const token = env.SEALBID_ORCHESTRATOR_TOKEN;
  if (!token) {
    throw new ConfigError('SEALBID_ORCHESTRATOR_TOKEN is missing: set it to the bearer token the orchestrator sends');
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`SEALBID_ORCHESTRATOR_TOKEN must have at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}`);
  }
  return token;
}

/**
 * Parses SEALBID_PEERS: a JSON array of { index, url, signingPublicKey } with
 * the key as base64url, one entry for every other party. A ws:// URL (no TLS)
 * must name a loopback host unless allowInsecure is set.
 * @throws ConfigError naming the first invalid entry.
 */
export function parsePeers(json: string | undefined, ownIndex: number, parties: number, allowInsecure = false): PeerConfig[] {
  if (!json) {
    throw new ConfigError('SEALBID_PEERS is missing: set it to a JSON array of { index, url, signingPublicKey } for every other evaluator');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(`SEALBID_PEERS is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) {
    throw new ConfigError('SEALBID_PEERS must be a JSON array');
  }

  const peers = raw.map((entry, position) => parsePeer(entry, `SEALBID_PEERS[${position}]`, parties, allowInsecure));
  const expected = Array.from({ length: parties }, (_, i) => i + 1).filter((i) => i !== ownIndex);
  const listed = peers.map((peer) => peer.index).sort((a, b) => a - b);
  if (listed.join(',') !== expected.join(',')) {
    throw new ConfigError(`SEALBID_PEERS must list parties ${expected.join(', ')} once each, got ${listed.join(', ') || 'none'}`);
  }
  return peers.sort((a, b) => a.index - b.index);
}

function parsePeer(entry: unknown, where: string, parties: number, allowInsecure: boolean): PeerConfig {
  if (typeof entry !== 'object' || entry === null) {
    throw new ConfigError(`${where} must be an object with index, url and signingPublicKey`);
  }
  const record = entry as Record<string, unknown>;
  if (!Number.isInteger(record.index) || (record.index as number) < 1 || (record.index as number) > parties) {
    throw new ConfigError(`${where}.index must be an integer from 1 to ${parties}, got ${JSON.stringify(record.index)}`);
  }
  return {
    index: record.index as number,
    url: parseWebSocketUrl(record.url, `${where}.url`, allowInsecure),
    signingPublicKey: parsePublicKey(record.signingPublicKey, `${where}.signingPublicKey`),
  };
}

function parseWebSocketUrl(value: unknown, where: string, allowInsecure: boolean): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ConfigError(`${where} must be a URL such as ws://127.0.0.1:7102/v1/peers, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ConfigError(`${where} must use ws or wss, got ${url.protocol}`);
  }
  if (url.protocol === 'ws:' && !allowInsecure && !isLoopback(url.hostname)) {
    throw new ConfigError(
      `${where} uses ws:// (no TLS) to ${url.hostname}, which is not a loopback address: ` +
        'use wss://, or set SEALBID_ALLOW_INSECURE_PEERS=true to accept the peer channel without TLS',
    );
  }
  return url.toString();
}

function parsePublicKey(value: unknown, where: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = fromBase64Url(String(value), where);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (key.length !== 32) {
    throw new ConfigError(`${where} must be a 32-byte Ed25519 public key in base64url, got ${key.length} bytes`);
  }
  return key;
}
