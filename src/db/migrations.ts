/**
 * Applies a service's SQL migrations (prisma/<role>/migrations/<name>/migration.sql)
 * in name order, each inside its own transaction, and records them in
 * _prisma_migrations with the columns and checksum (SHA-256 hex of the file)
 * that Prisma Migrate uses, so `prisma migrate deploy` and `prisma migrate
 * status` see the same history where the Prisma schema engine is available.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SqlSession } from './sql-session.js';

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** One migration folder read from disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Error raised when the database history and the migration folders disagree. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Reads the migration folders under a migrations directory, sorted by name.
 * @throws MigrationError when the directory is missing or a folder lacks migration.sql.
 */
export function readMigrations(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) {
    throw new MigrationError(`migrations directory ${migrationsDir} not found`);
  }
  const folders = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  return folders.map((name) => {
    const path = join(migrationsDir, name, 'migration.sql');
    if (!existsSync(path)) {
      throw new MigrationError(`migration ${name} has no migration.sql; add it or remove the folder`);
    }
    const sql = readFileSync(path, 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * Applies the migrations that the history table does not list yet and returns their names.
 * @throws MigrationError when an applied migration was changed on disk, a
 *   recorded migration failed earlier or is missing on disk, or a script fails.
 */
export async function applyMigrations(session: SqlSession, migrations: MigrationFile[]): Promise<string[]> {
  await session.exec(CREATE_HISTORY_TABLE);
  const history = await session.query<HistoryRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
  );
  checkHistory(history, migrations);

  const applied = new Set(history.map((row) => row.migration_name));
  const pending = migrations.filter((migration) => !applied.has(migration.name));
  for (const migration of pending) {
    await applyOne(session, migration);
  }
  return pending.map((migration) => migration.name);
}

function checkHistory(history: HistoryRow[], migrations: MigrationFile[]): void {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));

  for (const row of history) {
    const local = byName.get(row.migration_name);
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} failed earlier and is recorded as unfinished; repair the database and mark it resolved`,
      );
    }
    if (!local) {
      throw new MigrationError(
        `the database has migration ${row.migration_name}, which this version does not know; run a version that includes it`,
      );
    }
    if (local.checksum !== row.checksum) {
      throw new MigrationError(`migration ${row.migration_name} was modified after it was applied; restore the original file`);
    }
  }
}

async function applyOne(session: SqlSession, migration: MigrationFile): Promise<void> {
  try {
    await session.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
    });
  } catch (error) {
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
  }
}
