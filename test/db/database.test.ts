import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import {
  applyMigrations,
  DatabaseOpenError,
  MigrationError,
  migrationsDirectory,
  openDatabase,
  pgliteSession,
  readMigrations,
  type DatabaseAdapter,
} from '../../src/db/index.js';
import { PrismaClient } from '../../src/evaluator/generated/prisma/client.js';

const createClient = (adapter: DatabaseAdapter) => new PrismaClient({ adapter });

describe('openDatabase with PGlite', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sealbid-db-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names a data folder that is a file', async () => {
    const file = join(dataDir, 'plain-file');
    writeFileSync(file, '');

    const opening = openDatabase({ role: 'evaluator', dataDir: file, createClient });

    await expect(opening).rejects.toBeInstanceOf(DatabaseOpenError);
    await expect(openDatabase({ role: 'evaluator', dataDir: file, createClient })).rejects.toThrow(
      `cannot open the embedded database in ${join(file, 'pglite')} (ENOTDIR): set SEALBID_DATA_DIR to a folder this user can write`,
    );
  });

  it('names an unreachable server without its password', async () => {
    const opening = openDatabase({ role: 'evaluator', dataDir, databaseUrl: 'postgresql://sealbid:secret-password@127.0.0.1:1/auctions', createClient });

    await expect(opening).rejects.toThrow('cannot connect to the PostgreSQL database 127.0.0.1:1/auctions (ECONNREFUSED): start the server, or correct DATABASE_URL');
    await expect(openDatabase({ role: 'evaluator', dataDir, databaseUrl: 'postgresql://sealbid:secret-password@127.0.0.1:1/auctions', createClient })).rejects.not.toThrow('secret-password');
  });

  it('applies migrations once', async () => {
    const first = await openDatabase({ role: 'evaluator', dataDir, createClient });
    expect(first.backend).toBe('pglite');
    const names = readMigrations(migrationsDirectory('evaluator')).map((migration) => migration.name);
    expect(names[0]).toBe('20250101000000_init');
    expect(first.appliedMigrations).toEqual(names);

    await first.client.auction.create({
      data: { id: 'a1', rules: { bits: 8 }, closesAt: new Date(), parties: 3, degree: 1 },
    });
    await first.close();

    const second = await openDatabase({ role: 'evaluator', dataDir, createClient });
    expect(second.appliedMigrations).toEqual([]);
    const auction = await second.client.auction.findUnique({ where: { id: 'a1' } });
    expect(auction?.rules).toEqual({ bits: 8 });
    await second.close();
  });

  it('sets the shared buffers on new and existing folders', async () => {
    for (let open = 0; open < 2; open++) {
      const database = await openDatabase({ role: 'evaluator', dataDir, createClient, sharedBuffers: '16MB' });
      const rows = await database.client.$queryRawUnsafe<Array<{ shared_buffers: string }>>('SHOW shared_buffers');
      expect(rows[0].shared_buffers).toBe('16MB');
      await database.close();
    }
  });

  it('vacuums the database periodically', async () => {
    const database = await openDatabase({ role: 'evaluator', dataDir, createClient, vacuumIntervalMs: 200 });
    const analyzed = () => database.client.$queryRawUnsafe<Array<{ reltuples: number }>>(`SELECT reltuples FROM pg_class WHERE relname = 'auctions'`);
    await database.client.auction.create({ data: { id: 'a1', rules: { bits: 8 }, closesAt: new Date(), parties: 3, degree: 1 } });
    expect((await analyzed())[0].reltuples).toBeLessThan(1);

    await new Promise((resolve) => setTimeout(resolve, 1000));

    expect((await analyzed())[0].reltuples).toBe(1);
    await database.close();
  });

  it('records history in Prisma shape', async () => {
    const database = await openDatabase({ role: 'evaluator', dataDir, createClient });
    await database.close();

    const pglite = new PGlite(join(dataDir, 'pglite'));
    const rows = (await pglite.query<Record<string, unknown>>('SELECT * FROM "_prisma_migrations"')).rows;
    await pglite.close();

    const sql = readFileSync(join(migrationsDirectory('evaluator'), '20250101000000_init', 'migration.sql'), 'utf8');
    expect(rows).toHaveLength(readMigrations(migrationsDirectory('evaluator')).length);
    expect(rows[0].migration_name).toBe('20250101000000_init');
    expect(rows[0].checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    expect(rows[0].finished_at).toBeInstanceOf(Date);
    expect(rows[0].rolled_back_at).toBeNull();
    expect(rows[0].applied_steps_count).toBe(1);
    expect(String(rows[0].id)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('applyMigrations', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sealbid-migrations-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function writeMigration(name: string, sql: string): void {
    mkdirSync(join(root, name), { recursive: true });
    writeFileSync(join(root, name, 'migration.sql'), sql);
  }

  it('applies in name order', async () => {
    writeMigration('2_second', 'ALTER TABLE t ADD COLUMN b INTEGER;');
    writeMigration('1_first', 'CREATE TABLE t (a INTEGER);');
    const database = new PGlite();
    const applied = await applyMigrations(pgliteSession(database), readMigrations(root));
    const columns = await database.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY column_name",
    );
    await database.close();

    expect(applied).toEqual(['1_first', '2_second']);
    expect(columns.rows.map((row) => row.column_name)).toEqual(['a', 'b']);
  });

  it('rolls back a failing migration', async () => {
    writeMigration('1_first', 'CREATE TABLE t (a INTEGER);');
    writeMigration('2_broken', 'CREATE TABLE u (a INTEGER); SELECT no_such_function();');
    const database = new PGlite();
    const session = pgliteSession(database);

    await expect(applyMigrations(session, readMigrations(root))).rejects.toThrow(/2_broken failed and was rolled back/);
    const tables = await database.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_name IN ('t', 'u')",
    );
    const history = await database.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
    await database.close();

    expect(tables.rows.map((row) => row.table_name)).toEqual(['t']);
    expect(history.rows.map((row) => row.migration_name)).toEqual(['1_first']);
  });

  it('rejects a modified applied migration', async () => {
    writeMigration('1_first', 'CREATE TABLE t (a INTEGER);');
    const database = new PGlite();
    const session = pgliteSession(database);
    await applyMigrations(session, readMigrations(root));

    writeMigration('1_first', 'CREATE TABLE t (a BIGINT);');
    await expect(applyMigrations(session, readMigrations(root))).rejects.toThrow(MigrationError);
    await expect(applyMigrations(session, readMigrations(root))).rejects.toThrow(/1_first was modified/);
    await database.close();
  });

  it('rejects an unknown applied migration', async () => {
    writeMigration('1_first', 'CREATE TABLE t (a INTEGER);');
    const database = new PGlite();
    const session = pgliteSession(database);
    await applyMigrations(session, readMigrations(root));

    rmSync(join(root, '1_first'), { recursive: true });
    writeMigration('0_other', 'SELECT 1;');
    await expect(applyMigrations(session, readMigrations(root))).rejects.toThrow(/does not know/);
    await database.close();
  });

  it('rejects a folder without a script', () => {
    mkdirSync(join(root, '1_empty'));
    expect(() => readMigrations(root)).toThrow(/1_empty has no migration.sql/);
    expect(() => readMigrations(join(root, 'missing'))).toThrow(/not found/);
  });
});
