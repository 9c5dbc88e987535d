/** A `sealbid demo` child process for tests of how the demo ends, with its temporary clusters under a folder of the test. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

import { defaultLauncher } from '../../../src/cli/cluster.js';

/** A running demo, its exit code once it ends and what it printed to stderr so far. */
export interface DemoProcess {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  stderr(): string;
}

/**
 * Starts `sealbid demo` with TMPDIR set to folder, so that its cluster
 * folder is made there, and writes its results into folder.
 * @param detached when true, the demo and its services get a process group of their own.
 */
export function startDemo(folder: string, args: string[], detached = false): DemoProcess {
  const launcher = defaultLauncher();
  const child = spawn(process.execPath, [...launcher.execArgv, launcher.entry, 'demo', ...args, '--out', join(folder, 'results.csv')], {
    env: { ...process.env, TMPDIR: folder },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached,
  });
  child.stdin.end();

  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/**
 * Waits until the demo prints its cluster line, which it does once every service is ready.
 * @throws Error when the demo exits first.
 */
export function clusterReady(demo: DemoProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    demo.child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('cluster: orchestrator')) {
        resolve();
      }
    });
    demo.child.once('exit', (code) => reject(new Error(`the demo exited with code ${code} before its cluster was ready: ${demo.stderr()}`)));
  });
}
