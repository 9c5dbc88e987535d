/**
 * One evaluator started in the test process, with its peers absent (intake
 * and validation do not need them), plus helpers to register an auction and
 * seal envelopes to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateSigningKeyPair, sealEnvelope } from '../../../src/crypto/index.js';
import { startEvaluator, type RunningEvaluator } from '../../../src/evaluator/bootstrap.js';
import type { EvaluatorConfig } from '../../../src/evaluator/config/evaluator-config.js';
import { generateEvaluatorKeys, serializeKeys, type EvaluatorKeys } from '../../../src/evaluator/keys/index.js';
import { shareBid } from '../../../src/mpc/index.js';
import { freePort, TOKEN } from './cluster.js';
import { request } from './http.js';

export const RULES = { bits: 8, direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'public' };

export interface LoneEvaluator {
  evaluator: RunningEvaluator;
  keys: EvaluatorKeys;
  /** Base URL of the REST API, ending in /v1. */
  base: string;
  stop(): Promise<void>;
}

/** Starts evaluator 1 of 3 with a fresh data folder. */
export async function startLoneEvaluator(): Promise<LoneEvaluator> {
  const keys = generateEvaluatorKeys();
  const dataDir = mkdtempSync(join(tmpdir(), 'sealbid-rest-'));
  const peerKey = generateSigningKeyPair().publicKey;
  const [port2, port3] = [await freePort(), await freePort()];
  const config: EvaluatorConfig = {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    index: 1,
    parties: 3,
    degree: 1,
    peers: [
      { index: 2, url: `ws://127.0.0.1:${port2}/v1/peers`, signingPublicKey: peerKey },
      { index: 3, url: `ws://127.0.0.1:${port3}/v1/peers`, signingPublicKey: peerKey },
    ],
    orchestratorToken: TOKEN,
    databaseUrl: undefined,
    retentionMs: 60_000,
    keyFile: join(dataDir, 'unused.json'),
    inlineKeys: serializeKeys(keys),
    roundTimeoutMs: 1000,
    agreementTimeoutMs: 1000,
    reconnectDelayMs: 60_000,
    allowInsecurePeers: false,
    rateLimit: 0,
    rateLimitWindowMs: 60_000,
  };
  const evaluator = await startEvaluator(config);
  const stop = async (): Promise<void> => {
    await evaluator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { evaluator, keys, base: `${evaluator.url}/v1`, stop };
}

/** Registers an open auction with RULES unless overridden, closing closesInMs from now. */
export function registerOpen(base: string, auctionId: string, overrides: Record<string, unknown> = {}, closesInMs = 60_000) {
  return request('PUT', `${base}/auctions/${auctionId}`, {
    rules: RULES,
    closesAt: new Date(Date.now() + closesInMs).toISOString(),
    parties: 3,
    degree: 1,
    ...overrides,
  });
}

/** Seals the share of evaluatorIndex of amount, bound to the given auction, bidder and submission. */
export function sealFor(
  keys: EvaluatorKeys,
  target: { auctionId: string; bidderId: string; submissionId: string },
  amount = 42n,
  options: { evaluatorIndex?: number; bits?: number; wonBitKey?: string | null } = {},
) {
  const { evaluatorIndex = 1, bits = 8, wonBitKey = null } = options;
  const shares = shareBid(amount, bits, { parties: 3, degree: 1 });
  const binding = { ...target, evaluator: evaluatorIndex, wonBitKey };
  return sealEnvelope(shares[evaluatorIndex - 1], keys.sealing.publicKey, binding);
}
