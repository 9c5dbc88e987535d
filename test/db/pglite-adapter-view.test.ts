import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { adapterView } from '../../src/db/pglite-adapter-view.js';
import { pgliteSession, applyMigrations, readMigrations, migrationsDirectory } from '../../src/db/index.js';
import { PrismaClient } from '../../src/orchestrator/generated/prisma/client.js';

const auctionId = '0b9d5a0e-8f7e-4d8c-9a4e-2f1f7c6d5b3a';

/** Opens an in-memory orchestrator database with its migrations applied. */
async function migratedDatabase(): Promise<PGlite> {
  const database = new PGlite('memory://');
  await database.waitReady;
  await applyMigrations(pgliteSession(database), readMigrations(migrationsDirectory('orchestrator')));
  return database;
}

/** Writes rows that use numeric, timestamptz, jsonb, enum and integer columns, then reads them back. */
async function roundTrip(client: PrismaClient) {
  await client.$transaction(async (tx) => {
    await tx.auction.create({
      data: { id: auctionId, title: 'Parsers', reserveKind: 'public', reserve: '12345678901234567890', closesAt: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678)) },
    });
    await tx.transition.create({ data: { auctionId, fromState: null, toState: 'draft', at: new Date(0) } });
  });
  const inside = await client.$transaction(async (tx) => tx.auction.findUniqueOrThrow({ where: { id: auctionId } }));
  const outside = await client.auction.findUniqueOrThrow({ where: { id: auctionId }, include: { transitions: true } });
  const raw = await client.$queryRaw<Array<{ sum: bigint; doc: unknown }>>`SELECT 2::bigint + 3 AS sum, '{"a":[1,2]}'::jsonb AS doc`;
  return { inside, outside, raw };
}

describe('PGlite adapter view', () => {
  it('reads the same values as the plain adapter', async () => {
    const plainDatabase = await migratedDatabase();
    const mergedDatabase = await migratedDatabase();
    const plain = new PrismaClient({ adapter: new PrismaPGlite(plainDatabase) });
    const merged = new PrismaClient({ adapter: new PrismaPGlite(adapterView(mergedDatabase)) });

    const expected = await roundTrip(plain);
    const actual = await roundTrip(merged);

    expect(actual.inside).toEqual({ ...expected.inside, createdAt: actual.inside.createdAt, updatedAt: actual.inside.updatedAt });
    expect(actual.outside.reserve?.toString()).toBe('12345678901234567890');
    expect(actual.outside.closesAt?.toISOString()).toBe('2030-01-02T03:04:05.678Z');
    expect(actual.outside.transitions.map((row) => [row.toState, row.at.toISOString()])).toEqual([['draft', '1970-01-01T00:00:00.000Z']]);
    expect(actual.raw).toEqual(expected.raw);

    await plain.$disconnect();
    await merged.$disconnect();
    await plainDatabase.close();
    await mergedDatabase.close();
  });

  it('passes other parsers on unchanged', async () => {
    const database = new PGlite('memory://');
    const view = adapterView(database);
    const first = { 25: (value: string) => `first:${value}` };
    const second = { 25: (value: string) => `second:${value}` };

    const a = await view.query<{ t: string }>(`SELECT 'x'::text AS t`, [], { parsers: first });
    const b = await view.query<{ t: string }>(`SELECT 'y'::text AS t`, [], { parsers: second });
    const c = await view.transaction((tx) => tx.query<{ t: string }>(`SELECT 'z'::text AS t`, [], { parsers: first }));

    expect(a.rows[0].t).toBe('first:x');
    expect(b.rows[0].t).toBe('second:y');
    expect(c.rows[0].t).toBe('first:z');
    await database.close();
  });

  it('runs merged-parser queries as prepared statements', async () => {
    const database = new PGlite('memory://');
    const seen: string[] = [];
    const query = database.query.bind(database);
    // PGlite queries its type catalogue through the same method once, so only this test's queries count.
    database.query = ((sql: string, params?: unknown[], options?: Record<string, unknown>) => {
      if (sql.endsWith('AS t')) {
        seen.push(sql);
      }
      return query(sql, params, options);
    }) as PGlite['query'];
    const view = adapterView(database);
    const parsers = { 25: (value: string) => `parsed:${value}` };

    await view.query(`SELECT $1::text AS t`, ['x'], { parsers, rowMode: 'array' });
    const result = await view.query<[string]>(`SELECT $1::text AS t`, ['y'], { parsers, rowMode: 'array' });
    const inside = await view.transaction((tx) => tx.query<[string]>(`SELECT $1::text AS t`, ['z'], { parsers, rowMode: 'array' }));
    const prepared = await query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1', ['SELECT $1::text AS t']);

    expect(seen).toEqual([]);
    expect(result.rows[0][0]).toBe('parsed:y');
    expect(inside.rows[0][0]).toBe('parsed:z');
    expect(prepared.rows).toEqual([{ n: 1 }]);
    await database.close();
  });

  it('sends other options to PGlite query', async () => {
    const database = new PGlite('memory://');
    const view = adapterView(database);

    const result = await view.query<{ t: string }>(`SELECT $1 AS t`, ['x'], { paramTypes: [25] });
    const prepared = await database.query('SELECT statement FROM pg_prepared_statements');

    expect(result.rows).toEqual([{ t: 'x' }]);
    expect(prepared.rows).toEqual([]);
    await database.close();
  });

  it('rejects a query on a finished transaction', async () => {
    const database = new PGlite('memory://');
    const view = adapterView(database);
    let finished: { query: PGlite['query'] } | null = null;

    await view.transaction(async (tx) => {
      finished = tx;
    });

    await expect(finished!.query('SELECT 1')).rejects.toThrow('Transaction is closed');
    await database.close();
  });
});
