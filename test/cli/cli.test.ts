/** The sealbid command line, run as a real process from the TypeScript sources. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { defaultLauncher } from '../../src/cli/cluster.js';
import { generateEvaluatorKeys, writeKeyFile } from '../../src/evaluator/keys/index.js';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function sealbid(...args: string[]): Promise<CliResult> {
  const launcher = defaultLauncher();
  try {
    const { stdout, stderr } = await run(process.execPath, [...launcher.execArgv, launcher.entry, ...args], { env: { ...process.env, SEALBID_KEY_FILE: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'sealbid-cli-'));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('sealbid command line', () => {
  test('prints the commands', async () => {
    const result = await sealbid('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sealbid <command>/);
    expect(result.stdout).toContain('simulate --bids FILE.csv');
  });

  test('prints the options of a command', async () => {
    const result = await sealbid('simulate', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--disclosure public|amount-only');
  });

  test('rejects an unknown command', async () => {
    const result = await sealbid('auction');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sealbid: unknown command "auction"/);
  });

  test.each([
    [['simulate'], '--bids FILE.csv is required'],
    [['simulate', '--bids', 'x.csv', '--bits', '65'], '--bits must be a whole number from 1 to 64, got "65"'],
    [['simulate', '--bids', 'x.csv', '--price', 'third'], '--price must be one of first, second, got "third"'],
    [['simulate', '--bids', 'x.csv', '--evaluators', '2'], '--evaluators must be a whole number from 3 to 64'],
    [['simulate', '--bids', 'x.csv', '--min-price', '5'], 'a minimum price applies only to lowest-wins auctions'],
    [['simulate', '--bids', 'x.csv', '--reserve', '1.5'], '--reserve "1.5" has 1 decimal place; this auction allows at most 0'],
    [['simulate', '--bids', 'x.csv', '--sealed-reserve'], '--sealed-reserve needs --reserve AMOUNT'],
    [['simulate', '--bids', 'x.csv', '--colour', 'red'], "Unknown option '--colour'"],
    [['simulate', '--bids', 'missing.csv'], 'cannot read the bids file missing.csv: ENOENT'],
    [['cluster', '--evaluators', 'many'], '--evaluators must be a whole number'],
    [['demo', '--limit', '0'], '--limit must be a whole number of at least 1, got "0"'],
    [['evaluator', 'keys', 'backup', '--shares', '3'], 'keys backup needs --shares N and --threshold T'],
    [['evaluator', 'keys', 'backup', '--shares', '3', '--threshold', '4', '--key-file', 'k.json'], '--threshold must be a whole number from 2 to 3'],
    [['evaluator', 'keys', 'rotate'], 'expected "keys backup" or "keys restore", got "rotate"'],
  ])('rejects %j with a usage error', async (args, message) => {
    const result = await sealbid(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: sealbid');
  });

  test('rejects a bids file without the columns', async () => {
    const path = join(folder, 'bad.csv');
    writeFileSync(path, 'name,value\nx,1\n');
    const result = await sealbid('simulate', '--bids', path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the header must name the columns bidder and amount');
  });

  test('backs up and restores an evaluator key file', async () => {
    const keyFile = join(folder, 'evaluator-keys.json');
    writeKeyFile(keyFile, generateEvaluatorKeys());
    const original = readFileSync(keyFile, 'utf8');

    const backup = await sealbid('evaluator', 'keys', 'backup', '--shares', '5', '--threshold', '3', '--key-file', keyFile, '--out', join(folder, 'shares'));
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^wrote 5 share files for keys [0-9a-f]+; any 3 rebuild the key file:/);
    const files = backup.stdout.trim().split('\n').slice(1).map((line) => line.trim());
    expect(files).toHaveLength(5);

    const restored = join(folder, 'restored-keys.json');
    const restore = await sealbid('evaluator', 'keys', 'restore', '--key-file', restored, files[0], files[2], files[4]);
    expect(restore.code).toBe(0);
    expect(readFileSync(restored, 'utf8')).toBe(original);
    expect(statSync(restored).mode & 0o777).toBe(0o600);

    const tooFew = await sealbid('evaluator', 'keys', 'restore', '--key-file', join(folder, 'again.json'), files[1]);
    expect(tooFew.code).toBe(1);
  });
});
