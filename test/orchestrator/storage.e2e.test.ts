/**
 * After a real auction, the orchestrator's database contains envelopes only
 * as ciphertext. No share vector, evaluator secret key or bidder token
 * appears in any table. Every stored envelope does open with its evaluator's
 * key, so the search looks for the right plaintext.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { jest } from '@jest/globals';

import { OperatorClient } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/cli/cluster.js';
import { openEnvelope, toBase64Url } from '../../src/crypto/index.js';
import { readKeyFile, type EvaluatorKeys } from '../../src/evaluator/keys/index.js';
import { openAuction, submitBids, testAmounts, waitForEnd } from '../cli/support/e2e.js';

jest.setTimeout(10 * 60_000);

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ evaluators: 3 });
});
afterAll(async () => {
  await cluster?.stop();
});

interface EnvelopeRow {
  submission_id: string;
  party: number;
  sealed: unknown;
  auction_id: string;
  bidder_id: string;
  won_bit_key: string | null;
}

function shareEncodings(shares: Uint32Array): string[] {
  const bytes = new Uint8Array(shares.buffer, shares.byteOffset, shares.byteLength);
  return [toBase64Url(bytes), Buffer.from(bytes).toString('hex'), Buffer.from(bytes).toString('base64'), Array.from(shares.slice(0, 4)).join(',')];
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('services run with one collector thread', () => {
  const pids = [cluster.orchestrator.pid, ...cluster.evaluators.map((evaluator) => evaluator.pid)];
  expect(pids).toHaveLength(4);
  for (const pid of pids) {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect({ pid, flag: argv.includes('--single-threaded-gc') }).toEqual({ pid, flag: true });
  }
});

test('orchestrator tables hold only ciphertext', async () => {
  const operator = new OperatorClient({ baseUrl: cluster.orchestratorUrl, apiKey: cluster.operatorApiKey });
  const auctionId = await openAuction(operator, 'storage check', { decimals: 2, disclosure: 'amount-only' }, 120_000);
  const bids = await submitBids(cluster, operator, auctionId, testAmounts(6, 5), auctionId.slice(0, 8));
  const token = await operator.issueToken(auctionId, bids[0].bidderId);
  await operator.closeAuction(auctionId);
  expect((await waitForEnd(operator, auctionId)).state).toBe('settled');
  await cluster.stopOrchestrator();

  const keys = new Map<number, EvaluatorKeys>(
    cluster.evaluators.map((evaluator) => [evaluator.party, readKeyFile(join(evaluator.dataDir, 'evaluator-keys.json'))]),
  );
  const database = new PGlite(join(cluster.orchestrator.dataDir, 'pglite'));
  let dump = '';
  let envelopes: EnvelopeRow[] = [];
  try {
    const tables = await database.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    for (const { table_name: table } of tables.rows) {
      const rows = await database.query(`SELECT * FROM "${table}"`);
      dump += JSON.stringify(rows.rows);
    }
    envelopes = (
      await database.query<EnvelopeRow>(
        'SELECT e.submission_id, e.party, e.sealed, s.auction_id, s.bidder_id, s.won_bit_key FROM envelopes e JOIN submissions s ON s.id = e.submission_id',
      )
    ).rows;
  } finally {
    await database.close();
    await cluster.restartOrchestrator();
  }

  expect(envelopes).toHaveLength(bids.length * 3);
  for (const row of envelopes) {
    expect(Object.keys(row.sealed as object).sort()).toEqual(['ciphertext', 'ephemeralPublicKey', 'nonce', 'version']);
    const evaluatorKeys = keys.get(row.party) as EvaluatorKeys;
    const binding = { auctionId: row.auction_id, bidderId: row.bidder_id, submissionId: row.submission_id, evaluator: row.party, wonBitKey: row.won_bit_key };
    const shares = openEnvelope(row.sealed, evaluatorKeys.sealing.secretKey, binding);
    expect(shares).toHaveLength(32);
    for (const encoding of shareEncodings(shares)) {
      expect(dump.includes(encoding)).toBe(false);
    }
  }

  expect(dump.includes(token)).toBe(false);
  const orchestratorFiles = filesUnder(cluster.orchestrator.dataDir).map((path) => readFileSync(path));
  for (const evaluatorKeys of keys.values()) {
    for (const secret of [evaluatorKeys.sealing.secretKey, evaluatorKeys.signing.secretKey]) {
      expect(dump.includes(toBase64Url(secret))).toBe(false);
      expect(orchestratorFiles.some((content) => content.includes(Buffer.from(secret)))).toBe(false);
      expect(orchestratorFiles.some((content) => content.includes(toBase64Url(secret)))).toBe(false);
    }
  }
});
