/** `sealbid demo` as a real process, replaying a few recorded auctions on a real cluster. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { jest } from '@jest/globals';

import { defaultLauncher } from '../../src/cli/cluster.js';
import { readRecordedAuctions } from '../../src/demo/tsuchiura.js';

jest.setTimeout(10 * 60_000);

const run = promisify(execFile);
const launcher = defaultLauncher();
const LIMIT = 12;

let folder: string;
let summary: Record<string, number>;
let rows: string[][];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'sealbid-demo-'));
  const out = join(folder, 'results.csv');
  const args = [...launcher.execArgv, launcher.entry, 'demo', '--limit', String(LIMIT), '--concurrency', '4', '--out', out, '--json'];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
  summary = JSON.parse(stdout) as Record<string, number>;
  rows = readFileSync(out, 'utf8').trim().split('\n').map((line) => line.split(','));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('sealbid demo', () => {
  test('agrees with the recorded winners', () => {
    expect(summary.auctions).toBe(LIMIT);
    expect(summary.failed).toBe(0);
    expect(summary.settled + summary.noSale).toBe(LIMIT);
    expect(summary.compared).toBeGreaterThan(0);
    expect(summary.agree).toBe(summary.compared);
    expect(summary.wallMs).toBeGreaterThan(0);
  });

  test('writes one result line per auction', () => {
    expect(rows[0].join(',')).toBe('auction_id,status,winner,price_yen,recorded_winner,agrees,reason');
    expect(rows).toHaveLength(LIMIT + 1);
  });

  test('prices each auction at its lowest eligible bid', async () => {
    const auctions = await readRecordedAuctions('data/tsuchiura-procurement.csv');
    for (const [id, status, , price] of rows.slice(1)) {
      const auction = auctions.find((candidate) => candidate.id === id)!;
      const eligible = auction.bids
        .filter((bid) => bid.amount !== null && bid.recordedResult !== 'disqualified')
        .map((bid) => bid.amount!)
        .filter((amount) => amount <= auction.reserve && (auction.minPrice === null || amount >= auction.minPrice));
      const lowest = eligible.length === 0 ? null : eligible.reduce((a, b) => (a < b ? a : b));
      const expected = { id, status: lowest === null ? 'no-sale' : 'settled', price: lowest === null ? '' : String(lowest) };
      expect({ id, status, price }).toEqual(expected);
    }
  });
});
