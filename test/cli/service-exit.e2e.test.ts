/** The demo stops with an error naming the service when one of its services dies. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { failOnServiceExit } from '../../src/cli/cluster.js';
import { clusterReady, startDemo } from './support/demo-process.js';

jest.setTimeout(3 * 60_000);

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'sealbid-exit-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Returns the child processes of pid whose command line contains word, read from /proc. */
function childrenRunning(pid: number, word: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (parent === pid && commandLine.includes(word)) {
        found.push(Number(entry));
      }
    } catch {
      // The process ended while the folder was read.
    }
  }
  return found;
}

describe('service exit', () => {
  test('rejects with the service and its output', async () => {
    const { onExit, failed } = failOnServiceExit('the demo');

    onExit('evaluator-2', 'signal SIGKILL', '/tmp/x/service.log', 'line one\nline two');

    await expect(failed).rejects.toThrow('evaluator-2 stopped unexpectedly (signal SIGKILL), so the demo cannot finish: every auction needs all services. Its last output:\nline one\nline two\nRun it again with --verbose');
  });

  test('says when the service printed nothing', async () => {
    const { onExit, failed } = failOnServiceExit('the simulation');

    onExit('orchestrator', 'exit code 1', '/tmp/x/service.log', '');

    await expect(failed).rejects.toThrow('orchestrator stopped unexpectedly (exit code 1), so the simulation cannot finish: every auction needs all services. It printed nothing.\nRun it again with --verbose');
  });

  test('ends the demo when an evaluator is killed', async () => {
    const demo = startDemo(folder, []);

    await clusterReady(demo);
    const evaluators = childrenRunning(demo.child.pid ?? -1, 'evaluator');
    expect(evaluators).toHaveLength(3);
    const started = performance.now();
    process.kill(evaluators[1], 'SIGKILL');

    expect(await demo.exited).toBe(1);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(demo.stderr()).toMatch(/evaluator-\d stopped unexpectedly \(signal SIGKILL\), so the demo cannot finish/);
    expect(demo.stderr()).toMatch(/Its last output:\n.*\[Nest\]/);
    expect(demo.stderr()).not.toContain('\u001b[');
    expect(readdirSync(folder).filter((name) => name.startsWith('sealbid-cluster-'))).toEqual([]);
  });
});
