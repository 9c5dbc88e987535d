/**
 * A throwaway PostgreSQL server on 127.0.0.1 for tests that need a real one.
 * SEALBID_TEST_DATABASE_URL, when set, names an existing empty database to
 * use instead. Otherwise Debian's postgresql package is installed with
 * apt-get when no server binaries are found, and a fresh cluster is created
 * in a temporary folder, started on a free port and removed by stop().
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER_ROOT = '/usr/lib/postgresql';
const DATABASE = 'sealbid_test';
const COMMAND_TIMEOUT_MS = 120_000;

/** A database on a running server, and how to end it. */
export interface TestPostgres {
  url: string;
  /** Stops the server this module started and removes its files; does nothing for a configured URL. */
  stop(): Promise<void>;
}

/** Returns the configured database, or starts a new server and creates one. @throws Error naming the command that failed. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const configuredUrl = process.env.SEALBID_TEST_DATABASE_URL;
  if (configuredUrl) {
    return { url: configuredUrl, stop: async () => undefined };
  }

  const bin = ensureServerBinaries();
  const folder = mkdtempSync(join(tmpdir(), 'sealbid-postgres-'));
  const dataDir = join(folder, 'data');
  const port = await freePort();
  prepareFolder(folder);

  runAsOwner(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;
  runAsOwner(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', join(folder, 'server.log'), '-w', 'start']);

  const stop = async (): Promise<void> => {
    runAsOwner(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    runAsOwner(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', DATABASE]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgresql://postgres@127.0.0.1:${port}/${DATABASE}`, stop };
}

/** Returns the bin folder of the newest installed server, installing the package first when there is none. */
function ensureServerBinaries(): string {
  const found = newestServerBin();
  if (found !== null) {
    return found;
  }
  const asRoot = isRoot() ? '' : 'sudo -n ';
  const install = `${asRoot}apt-get update && ${asRoot}env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql`;
  try {
    execFileSync('sh', ['-c', install], { stdio: 'pipe', timeout: 15 * 60_000 });
  } catch (error) {
    throw new Error(`no PostgreSQL server under ${SERVER_ROOT} and installing it failed (${firstLine(error)}): run "apt-get install -y postgresql" as root`);
  }
  const installed = newestServerBin();
  if (installed === null) {
    throw new Error(`apt-get installed postgresql but ${SERVER_ROOT}/<version>/bin/pg_ctl still does not exist`);
  }
  return installed;
}

function newestServerBin(): string | null {
  if (!existsSync(SERVER_ROOT)) {
    return null;
  }
  const versions = readdirSync(SERVER_ROOT)
    .filter((name) => existsSync(join(SERVER_ROOT, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? null : join(SERVER_ROOT, versions[0], 'bin');
}

// PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
function prepareFolder(folder: string): void {
  if (isRoot()) {
    execFileSync('chown', ['postgres:postgres', folder]);
  }
  chmodSync(folder, 0o700);
}

function runAsOwner(command: string, args: string[]): void {
  const [file, fullArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  try {
    execFileSync(file, fullArgs, { stdio: 'pipe', timeout: COMMAND_TIMEOUT_MS, cwd: tmpdir() });
  } catch (error) {
    throw new Error(`${command.split('/').pop()} failed while starting the test PostgreSQL server: ${firstLine(error)}`);
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  return (stderr || (error as Error).message).split('\n')[0];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
