/** Parsing of the pinned evaluator list in the orchestrator's configuration. */
import { fromBase64Url } from '../../crypto/index.js';
import { ConfigError } from './config-error.js';

/** One evaluator as the orchestrator trusts it: its URL and pinned public keys. */
export interface PinnedEvaluator {
  /** Party number and Shamir evaluation point, 1 to n. */
  party: number;
  /** Base URL, such as http://127.0.0.1:7101. */
  url: string;
  /** Ed25519 public key (base64url) that must sign its receipts and results. */
  signingKey: string;
  /** X25519 public key (base64url) that bidders seal envelopes to. */
  sealingKey: string;
  /** Bearer token this evaluator expects from the orchestrator (its SEALBID_ORCHESTRATOR_TOKEN). */
  token: string;
}

const KEY_BYTES = 32;

const MIN_TOKEN_LENGTH = 32;

/**
 * Parses a JSON list of evaluators, each {url, signingKey, sealingKey} with
 * an optional "party" (default: the position in the list, from 1) and an
 * optional "token" (default: defaultToken). Parties must be 1..n with no
 * gaps, and n must be at least 3 so that n >= 2t + 1 with t >= 1.
 * @throws ConfigError naming the first invalid entry.
 */
export function parseEvaluatorList(json: string, defaultToken?: string): PinnedEvaluator[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(`SEALBID_EVALUATORS is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw) || raw.length < 3) {
    throw new ConfigError('SEALBID_EVALUATORS must be a JSON array of at least 3 evaluators');
  }

  const evaluators = raw.map((entry, index) => parseEntry(entry, index, defaultToken));
  evaluators.sort((a, b) => a.party - b.party);
  evaluators.forEach((evaluator, index) => {
    if (evaluator.party !== index + 1) {
      throw new ConfigError(`SEALBID_EVALUATORS parties must be 1 to ${evaluators.length} without gaps or repeats`);
    }
  });
  return evaluators;
}

function parseEntry(entry: unknown, index: number, defaultToken: string | undefined): PinnedEvaluator {
  const where = `SEALBID_EVALUATORS[${index}]`;
  if (typeof entry !== 'object' || entry === null) {
    throw new ConfigError(`${where} must be an object with url, signingKey and sealingKey`);
  }
  const record = entry as Record<string, unknown>;
  const party = record.party ?? index + 1;
  if (!Number.isInteger(party) || (party as number) < 1 || (party as number) > 255) {
    throw new ConfigError(`${where}.party must be an integer from 1 to 255, got ${JSON.stringify(party)}`);
  }

  return {
    party: party as number,
    url: parseUrl(record.url, `${where}.url`),
    signingKey: parseKey(record.signingKey, `${where}.signingKey`),
    sealingKey: parseKey(record.sealingKey, `${where}.sealingKey`),
    token: parseToken(record.token ?? defaultToken, `${where}.token`),
  };
}

function parseToken(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(`${where} is missing: give each evaluator a "token" or set SEALBID_EVALUATOR_TOKEN for all of them`);
  }
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`${where} must have at least ${MIN_TOKEN_LENGTH} characters, got ${value.length}`);
  }
  return value;
}

function parseUrl(value: unknown, where: string): string {
  if (typeof value !== 'string') {
    throw new ConfigError(`${where} must be a URL string such as http://127.0.0.1:7101`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${where} is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where} must use http or https, got ${url.protocol}`);
  }
  return value.replace(/\/+$/, '');
}

function parseKey(value: unknown, where: string): string {
  if (typeof value !== 'string') {
    throw new ConfigError(`${where} must be a base64url public key of ${KEY_BYTES} bytes`);
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(value, where);
  } catch {
    throw new ConfigError(`${where} is not valid base64url`);
  }
  if (bytes.length !== KEY_BYTES) {
    throw new ConfigError(`${where} must decode to ${KEY_BYTES} bytes, got ${bytes.length}`);
  }
  return value;
}
