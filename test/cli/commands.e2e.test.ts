/** `sealbid simulate` and `sealbid cluster` as real processes with real services. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { jest } from '@jest/globals';

import { defaultLauncher } from '../../src/cli/cluster.js';

jest.setTimeout(10 * 60_000);

const run = promisify(execFile);
const launcher = defaultLauncher();

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'sealbid-commands-'));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function simulate(csv: string, ...options: string[]) {
  const path = join(folder, `bids-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csv);
  const { stdout } = await run(process.execPath, [...launcher.execArgv, launcher.entry, 'simulate', '--bids', path, '--json', ...options], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('sealbid simulate', () => {
  test('reports the second-price winner and rejected rows', async () => {
    const csv = ['bidder,amount', 'alice,120.50', 'bob,95', 'carol,130', 'dave,', 'eve,-5', 'frank,abc', 'gina,1.234', 'hank,99999999999'].join('\n');
    const report = await simulate(csv, '--price', 'second', '--decimals', '2');

    expect(report).toEqual({
      status: 'settled',
      winner: 'carol',
      price: '120.50',
      validBids: 3,
      rejected: [
        { bidder: 'eve', reason: 'bid "-5" is negative: amounts must be zero or more' },
        { bidder: 'frank', reason: expect.stringContaining('bid "abc" is not a decimal number') },
        { bidder: 'gina', reason: 'bid "1.234" has 3 decimal places; this auction allows at most 2' },
        { bidder: 'hank', reason: expect.stringContaining('bid "99999999999" is out of range') },
      ],
      reason: null,
    });
  });

  test('reports no sale below a lowest-wins reserve', async () => {
    const report = await simulate('bidder,amount\nx,500\ny,600\n', '--lowest-wins', '--reserve', '400', '--evaluators', '3');
    expect(report).toEqual({ status: 'no-sale', winner: null, price: null, validBids: 2, rejected: [], reason: 'no-eligible-bid' });
  });

  test('hides the winner under amount-only disclosure', async () => {
    const report = await simulate('bidder,amount\nx,5\ny,7\nx,9\n', '--disclosure', 'amount-only');
    expect(report).toEqual({ status: 'settled', winner: null, price: '9', validBids: 2, rejected: [], reason: null });
  });
});

describe('sealbid cluster', () => {
  test('starts the services and stops them on SIGINT', async () => {
    const child = spawn(process.execPath, [...launcher.execArgv, launcher.entry, 'cluster', '--quiet', '--data-dir', join(folder, 'cluster'), '--port', '18480'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    let ended = false;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        ended = true;
        resolve(code);
      }),
    );

    const deadline = Date.now() + 180_000;
    while (!output.includes('Press Ctrl-C to stop.') && !ended && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (ended) {
      throw new Error(`sealbid cluster exited before it was ready: ${errors.slice(0, 500)}`);
    }
    expect(output).toContain('orchestrator  http://127.0.0.1:18480');
    expect(output).toContain('evaluator 3   http://127.0.0.1:18483');
    const urls = ['http://127.0.0.1:18480/v1/health', ...[1, 2, 3].map((party) => `http://127.0.0.1:${18480 + party}/v1/identity`)];
    for (const url of urls) {
      expect((await fetch(url)).status).toBe(200);
    }

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const url of urls) {
      await expect(fetch(url)).rejects.toThrow();
    }
  });
});
