/** An in-memory PGlite database with the orchestrator's migrations applied, and a Prisma client on it. */
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { applyMigrations, migrationsDirectory, pgliteSession, readMigrations, adapterView } from '../../../src/db/index.js';
import { PrismaClient } from '../../../src/orchestrator/generated/prisma/client.js';

export interface MemoryDatabase {
  database: PGlite;
  client: PrismaClient;
  close(): Promise<void>;
}

/** Opens a fresh database; close() disconnects the client and closes PGlite. */
export async function openMemoryDatabase(): Promise<MemoryDatabase> {
  const database = new PGlite('memory://');
  await database.waitReady;
  await applyMigrations(pgliteSession(database), readMigrations(migrationsDirectory('orchestrator')));
  const client = new PrismaClient({ adapter: new PrismaPGlite(adapterView(database)) });
  const close = async (): Promise<void> => {
    await client.$disconnect();
    await database.close();
  };
  return { database, client, close };
}
