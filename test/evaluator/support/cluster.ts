/**
 * Starts n real evaluator processes on 127.0.0.1 for end-to-end tests. Each
 * process runs the TypeScript sources through scripts/register-ts.mjs (no
 * build step), with its own data folder, PGlite database, key file and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { toBase64Url } from '../../../src/crypto/index.js';
import { generateEvaluatorKeys, writeKeyFile, type EvaluatorKeys } from '../../../src/evaluator/keys/index.js';

const ROOT = process.cwd();
export const TOKEN = 'test-orchestrator-token-0123456789abcdef';

/** One evaluator process of a test cluster. */
export interface ClusterMember {
  index: number;
  url: string;
  keys: EvaluatorKeys;
  dataDir: string;
  process: ChildProcess;
  log: string[];
  env: NodeJS.ProcessEnv;
}

export interface Cluster {
  members: ClusterMember[];
  root: string;
  /** Starts a stopped member again with the same data folder and settings, and waits until it is healthy. */
  restart(member: ClusterMember): Promise<void>;
  stop(): Promise<void>;
  /** The combined logs, for a failing test's output. */
  logs(): string;
}

export interface ClusterOptions {
  parties?: number;
  degree?: number;
  env?: Record<string, string>;
  /** Milliseconds to wait until every evaluator reports all peers connected. */
  readyTimeoutMs?: number;
}

/** Finds a free TCP port on 127.0.0.1 by binding port 0 and releasing it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the cluster and waits until every member is healthy. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const parties = options.parties ?? 3;
  const root = mkdtempSync(join(tmpdir(), 'sealbid-cluster-'));
  const ports = await Promise.all(Array.from({ length: parties }, () => freePort()));
  const keys = Array.from({ length: parties }, () => generateEvaluatorKeys());

  const members = ports.map((port, i) => {
    const index = i + 1;
    const dataDir = join(root, `evaluator-${index}`);
    mkdirSync(dataDir, { recursive: true });
    writeKeyFile(join(dataDir, 'evaluator-keys.json'), keys[i]);
    const peers = ports
      .map((peerPort, j) => ({ index: j + 1, url: `ws://127.0.0.1:${peerPort}/v1/peers`, signingPublicKey: toBase64Url(keys[j].signing.publicKey) }))
      .filter((peer) => peer.index !== index);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      NODE_OPTIONS: '',
      SEALBID_EVALUATOR_INDEX: String(index),
      SEALBID_PARTIES: String(parties),
      SEALBID_DEGREE: String(options.degree ?? 1),
      SEALBID_PORT: String(port),
      SEALBID_DATA_DIR: dataDir,
      SEALBID_PEERS: JSON.stringify(peers),
      SEALBID_ORCHESTRATOR_TOKEN: TOKEN,
      SEALBID_RECONNECT_DELAY_MS: '100',
      ...options.env,
    };
    delete env.DATABASE_URL;
    return launch(index, `http://127.0.0.1:${port}`, keys[i], dataDir, env);
  });

  const cluster: Cluster = {
    members,
    root,
    restart: async (member) => {
      await terminate(member.process);
      const next = launch(member.index, member.url, member.keys, member.dataDir, member.env);
      // Output arrives asynchronously, so sharing the array now keeps one log across restarts.
      next.log = member.log;
      member.process = next.process;
      await waitHealthy(member, options.readyTimeoutMs ?? 90_000);
    },
    stop: async () => {
      await Promise.all(members.map((member) => terminate(member.process)));
      rmSync(root, { recursive: true, force: true });
    },
    logs: () => members.map((member) => `--- evaluator ${member.index} ---\n${member.log.join('')}`).join('\n'),
  };

  try {
    await Promise.all(members.map((member) => waitHealthy(member, options.readyTimeoutMs ?? 90_000)));
  } catch (error) {
    const logs = cluster.logs();
    await cluster.stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
  return cluster;
}

function launch(index: number, url: string, keys: EvaluatorKeys, dataDir: string, env: NodeJS.ProcessEnv): ClusterMember {
  const child = spawn(process.execPath, ['--import', join(ROOT, 'scripts', 'register-ts.mjs'), join(ROOT, 'src', 'evaluator', 'main.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const member: ClusterMember = { index, url, keys, dataDir, process: child, log: [], env };
  child.stdout?.on('data', (chunk: Buffer) => member.log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => member.log.push(chunk.toString()));
  return member;
}

async function waitHealthy(member: ClusterMember, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (member.process.exitCode !== null) {
      throw new Error(`evaluator ${member.index} exited with code ${member.process.exitCode} during start-up`);
    }
    try {
      const response = await fetch(`${member.url}/v1/identity`);
      const body = (await response.json()) as { health?: { status?: string } };
      if (body.health?.status === 'ok') {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`evaluator ${member.index} did not become healthy within ${timeoutMs} ms`);
}

/** Sends SIGTERM and waits for the exit, escalating to SIGKILL after 10 s. */
export async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
