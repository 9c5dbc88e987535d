/** Temporary cluster folders are removed when a start fails and when the demo is interrupted. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { startCluster } from '../../src/cli/cluster.js';
import { clusterReady, startDemo } from './support/demo-process.js';

jest.setTimeout(3 * 60_000);

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'sealbid-cleanup-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function clusterFolders(): string[] {
  return readdirSync(folder).filter((name) => name.startsWith('sealbid-cluster-'));
}

/** Waits until a cluster folder exists in the test's TMPDIR, which the demo makes once its cluster starts. */
async function waitForClusterFolder(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (clusterFolders().length === 0) {
    if (Date.now() > deadline) {
      throw new Error('the demo made no cluster folder within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('temporary cluster folders', () => {
  test('are removed when a service fails to start', async () => {
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = folder;
    try {
      // With --eval, Node runs the given code in place of the service's entry file, so evaluator 2 exits at once.
      const started = startCluster({ services: { 'evaluator-2': { execArgv: ['--eval', 'process.exit(1)'] } }, readyTimeoutMs: 60_000 });

      await expect(started).rejects.toThrow(/evaluator-2 exited with code 1 before it was ready/);
    } finally {
      process.env.TMPDIR = previous;
    }

    expect(readdirSync(folder)).toEqual([]);
  });

  test('are not made when a base port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const takenPort = (blocker.address() as { port: number }).port;
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = folder;
    try {
      // Evaluator 1 would listen on the base port plus one, which the blocker holds.
      const started = startCluster({ basePort: takenPort - 1, readyTimeoutMs: 60_000 });

      await expect(started).rejects.toThrow(/port \d+ on 127\.0\.0\.1 is already in use, so the cluster cannot start there/);
    } finally {
      process.env.TMPDIR = previous;
      await new Promise((resolve) => blocker.close(resolve));
    }

    expect(readdirSync(folder)).toEqual([]);
  });

  test('are removed when the demo gets SIGINT while starting', async () => {
    // A process group of its own, so that the SIGINT reaches the demo and its services, as Ctrl-C in a terminal does.
    const demo = startDemo(folder, ['--limit', '5'], true);

    await waitForClusterFolder();
    process.kill(-(demo.child.pid ?? 0), 'SIGINT');

    expect(await demo.exited).toBe(130);
    expect(clusterFolders()).toEqual([]);
    expect(demo.stderr()).toBe('');
  });

  test('are removed when the demo alone gets SIGTERM while starting', async () => {
    const demo = startDemo(folder, ['--limit', '5']);

    await waitForClusterFolder();
    demo.child.kill('SIGTERM');

    expect(await demo.exited).toBe(143);
    expect(clusterFolders()).toEqual([]);
  });

  test('are removed when the demo gets SIGINT', async () => {
    const demo = startDemo(folder, ['--limit', '200']);

    await clusterReady(demo);
    expect(clusterFolders()).toHaveLength(1);
    demo.child.kill('SIGINT');

    expect(await demo.exited).toBe(130);
    expect(clusterFolders()).toEqual([]);
  });
});
