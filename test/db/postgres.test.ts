/**
 * The PostgreSQL path of openDatabase, on a real server: one started on
 * 127.0.0.1 for this test (see support/postgres-server.ts), or the empty
 * database that SEALBID_TEST_DATABASE_URL names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { migrationsDirectory, openDatabase, readMigrations, type DatabaseAdapter } from '../../src/db/index.js';
import { PrismaClient } from '../../src/evaluator/generated/prisma/client.js';
import { startTestPostgres, type TestPostgres } from './support/postgres-server.js';

const createClient = (adapter: DatabaseAdapter) => new PrismaClient({ adapter });
const SERVER_START_TIMEOUT_MS = 15 * 60_000;

let server: TestPostgres;
let databaseUrl: string;

beforeAll(async () => {
  server = await startTestPostgres();
  databaseUrl = server.url;
}, SERVER_START_TIMEOUT_MS);

afterAll(async () => {
  await server?.stop();
});

describe('openDatabase with PostgreSQL', () => {
  let dataDir: string;

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await client.end();
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sealbid-pg-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates once and serves Prisma', async () => {
    const [first, second] = await Promise.all([
      openDatabase({ role: 'evaluator', dataDir, databaseUrl, createClient }),
      openDatabase({ role: 'evaluator', dataDir, databaseUrl, createClient }),
    ]);
    expect(first.backend).toBe('postgres');
    const names = readMigrations(migrationsDirectory('evaluator')).map((migration) => migration.name);
    expect([...first.appliedMigrations, ...second.appliedMigrations].sort()).toEqual(names);

    await first.client.auction.create({ data: { id: 'pg-1', rules: { bits: 8 }, closesAt: new Date(), parties: 3, degree: 1 } });
    const found = await second.client.auction.findUnique({ where: { id: 'pg-1' } });
    expect(found?.rules).toEqual({ bits: 8 });
    await first.close();
    await second.close();

    const third = await openDatabase({ role: 'evaluator', dataDir, databaseUrl, createClient });
    expect(third.appliedMigrations).toEqual([]);
    await third.close();
  });
});
