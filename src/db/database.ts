/**
 * Opens a service's database: an embedded PGlite database in the service's
 * data folder by default, or a PostgreSQL server when a connection URL is
 * given. Pending migrations are applied before the Prisma client is created.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { applyMigrations, readMigrations } from './migrations.js';
import { adapterView } from './pglite-adapter-view.js';
import { pgliteSession, pgSession } from './sql-session.js';

/** A Prisma driver adapter factory for either backend. */
export type DatabaseAdapter = PrismaPGlite | PrismaPg;

/** The part of a generated Prisma client that this module uses. */
export interface DisconnectableClient {
  $disconnect(): Promise<void>;
}

export interface OpenDatabaseOptions<Client extends DisconnectableClient> {
  /** Service role; migrations are read from prisma/<role>/migrations. */
  role: string;
  /** Service data folder; PGlite keeps its files in <dataDir>/pglite. */
  dataDir: string;
  /** PostgreSQL connection URL; when set, PGlite is not used. */
  databaseUrl?: string;
  /** Builds the role's generated PrismaClient from an adapter. */
  createClient: (adapter: DatabaseAdapter) => Client;
  /** Overrides the migrations directory (tests). */
  migrationsDir?: string;
  /** Time between two VACUUM ANALYZE runs of a PGlite database; PGLITE_VACUUM_INTERVAL_MS unless set (tests). */
  vacuumIntervalMs?: number;
  /** PGlite's shared_buffers, such as '16MB'; PostgreSQL's default of 128MB unless set. */
  sharedBuffers?: string;
}

/** An open database with its Prisma client. */
export interface Database<Client> {
  client: Client;
  backend: 'pglite' | 'postgres';
  /** Names of the migrations applied while opening. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

// Prisma Migrate's own advisory lock key, so our runner and `prisma migrate deploy` never overlap.
const MIGRATION_LOCK_KEY = 72707369;

/**
 * Opens the database, applies pending migrations and creates the Prisma client.
 * @throws MigrationError when the migrations cannot be applied; the connection is closed first.
 */
export async function openDatabase<Client extends DisconnectableClient>(
  options: OpenDatabaseOptions<Client>,
): Promise<Database<Client>> {
  const migrations = readMigrations(options.migrationsDir ?? migrationsDirectory(options.role));
  if (options.databaseUrl) {
    return openPostgres(options, options.databaseUrl, migrations);
  }
  return openPglite(options, migrations);
}

async function openPglite<Client extends DisconnectableClient>(
  options: OpenDatabaseOptions<Client>,
  migrations: ReturnType<typeof readMigrations>,
): Promise<Database<Client>> {
  const folder = join(options.dataDir, 'pglite');
  let database: PGlite;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    database = await startPglite(folder, options.sharedBuffers);
  } catch (error) {
    if (!FOLDER_CODES.has(errorCode(error))) {
      throw error;
    }
    throw new DatabaseOpenError(`cannot open the embedded database in ${folder} (${errorCode(error)}): set SEALBID_DATA_DIR to a folder this user can write`);
  }

  let appliedMigrations: string[];
  try {
    appliedMigrations = await applyMigrations(pgliteSession(database), migrations);
  } catch (error) {
    await database.close();
    throw error;
  }

  const client = options.createClient(new PrismaPGlite(adapterView(database)));
  const stopVacuum = startVacuum(database, options.role, options.vacuumIntervalMs ?? PGLITE_VACUUM_INTERVAL_MS);
  const close = async (): Promise<void> => {
    stopVacuum();
    await client.$disconnect();
    await database.close();
  };
  return { client, backend: 'pglite', appliedMigrations, close };
}

/** Default time between two VACUUM ANALYZE runs of an embedded database. */
export const PGLITE_VACUUM_INTERVAL_MS = 30_000;

/** A vacuum may take at most this share of the time: after one that took d ms, the next waits at least d / share. */
const VACUUM_TIME_SHARE = 0.02;

/** Maximum wait between two vacuums, as a multiple of the configured interval. */
const MAX_VACUUM_DELAY_FACTOR = 10;

/**
 * Runs VACUUM ANALYZE on the database every intervalMs, and returns a
 * function that stops it. PGlite runs PostgreSQL in one process
 * without the autovacuum daemon, so without this the dead row versions that
 * every update leaves stay in the tables and their indexes, and the
 * planner never gets statistics. A PostgreSQL server vacuums itself.
 *
 * A vacuum blocks every other statement while it runs, about 0.4 s at
 * 10,000 bids, so the wait grows with its duration to keep vacuuming under
 * 2% of the time, up to ten intervals. The duration includes any wait behind
 * other statements.
 */
function startVacuum(database: PGlite, role: string, intervalMs: number): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const vacuum = async (): Promise<void> => {
    if (stopped || database.closed) {
      return;
    }
    const started = performance.now();
    try {
      await database.exec('VACUUM ANALYZE');
    } catch (error) {
      console.error(`${role}: VACUUM ANALYZE of the embedded database failed: ${(error as Error).message}`);
    }
    const wait = (performance.now() - started) / VACUUM_TIME_SHARE;
    schedule(Math.min(MAX_VACUUM_DELAY_FACTOR * intervalMs, Math.max(intervalMs, wait)));
  };
  const schedule = (delayMs: number): void => {
    if (stopped || database.closed) {
      return;
    }
    timer = setTimeout(() => void vacuum(), delayMs);
    timer.unref();
  };

  schedule(intervalMs);
  return () => {
    stopped = true;
    if (timer) {
      clearTimeout(timer);
    }
  };
}

/**
 * Starts PGlite on a data folder, creating the database on first use.
 * Creating it leaves the process about 800 MB resident where opening an
 * existing folder takes about 300 MB (PGlite 0.5, measured on Node 20), and
 * the WebAssembly memory behind that is never returned. A new database is
 * therefore closed once it exists and opened again.
 */
async function startPglite(folder: string, sharedBuffers: string | undefined): Promise<PGlite> {
  const created = !existsSync(join(folder, 'PG_VERSION'));
  const options = sharedBuffers === undefined ? {} : { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] };
  const first = new PGlite(folder, options);
  await first.waitReady;
  if (!created) {
    return first;
  }
  await first.close();
  const reopened = new PGlite(folder, options);
  await reopened.waitReady;
  return reopened;
}

async function openPostgres<Client extends DisconnectableClient>(
  options: OpenDatabaseOptions<Client>,
  databaseUrl: string,
  migrations: ReturnType<typeof readMigrations>,
): Promise<Database<Client>> {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  let appliedMigrations: string[];
  try {
    appliedMigrations = await migratePostgres(pool, migrations);
  } catch (error) {
    await pool.end();
    throw connectionProblem(error, databaseUrl) ?? error;
  }

  const client = options.createClient(new PrismaPg(pool));
  const close = async (): Promise<void> => {
    await client.$disconnect();
    await pool.end();
  };
  return { client, backend: 'postgres', appliedMigrations, close };
}

/** Error for a database that cannot be opened or reached; the message names it, never a password. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

// File system errors of a data folder that is a file, unwritable, read-only or full.
const FOLDER_CODES = new Set(['ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC']);

// Socket errors, and PostgreSQL's codes for a failed login (28000, 28P01) and a missing database (3D000).
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '28000', '28P01', '3D000']);

/** Returns a DatabaseOpenError for an error that means the server was not reached or refused the login, else null. */
function connectionProblem(error: unknown, databaseUrl: string): DatabaseOpenError | null {
  const code = errorCode(error);
  if (!CONNECTION_CODES.has(code)) {
    return null;
  }
  const url = new URL(databaseUrl);
  const server = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  return new DatabaseOpenError(`cannot connect to the PostgreSQL database ${server} (${code}): start the server, or correct DATABASE_URL`);
}

function errorCode(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message ?? error);
}

async function migratePostgres(pool: pg.Pool, migrations: ReturnType<typeof readMigrations>): Promise<string[]> {
  const connection = await pool.connect();
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyMigrations(pgSession(connection), migrations);
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    connection.release();
  }
}

/**
 * Finds prisma/<role>/migrations from this file's location, which is src/db
 * when run from sources and dist/src/db when run from the build.
 */
export function migrationsDirectory(role: string): string {
  const moduleDir = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(moduleDir, '..', '..'), resolve(moduleDir, '..', '..', '..')];
  for (const root of candidates) {
    const path = join(root, 'prisma', role, 'migrations');
    if (existsSyncSafe(path)) {
      return path;
    }
  }
  return join(candidates[0], 'prisma', role, 'migrations');
}

function existsSyncSafe(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
