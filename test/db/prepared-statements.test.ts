import { PGlite } from '@electric-sql/pglite';

import { PreparedStatements } from '../../src/db/prepared-statements.js';

async function openDatabase(): Promise<PGlite> {
  const database = new PGlite('memory://');
  await database.waitReady;
  await database.exec(`
    CREATE TABLE items (
      id integer PRIMARY KEY,
      label text NOT NULL,
      price numeric,
      big bigint,
      doc jsonb,
      at timestamptz,
      flag boolean,
      tags text[],
      raw bytea
    );
    INSERT INTO items VALUES
      (1, 'one', 12345678901234567890.5, 9007199254740993, '{"a":[1,2]}', '2030-01-02T03:04:05.678Z', true, '{x,y}', '\\x0102'),
      (2, 'two', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  `);
  return database;
}

async function preparedNames(database: PGlite): Promise<string[]> {
  const result = await database.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
  return result.rows.map((row) => row.name);
}

/** Statements and parameters whose results must equal those of PGlite's own query. */
const CASES: Array<{ sql: string; params: unknown[] }> = [
  { sql: 'SELECT * FROM items ORDER BY id', params: [] },
  { sql: 'SELECT * FROM items WHERE id = $1', params: [1] },
  { sql: 'SELECT label, doc FROM items WHERE doc @> $1::jsonb', params: [JSON.stringify({ a: [1] })] },
  { sql: 'SELECT $1::timestamptz AS at, $2::bigint + 1 AS big, $3::numeric AS price', params: [new Date(Date.UTC(2031, 5, 6)), '9007199254740993', '1.25'] },
  { sql: 'SELECT $1::text[] AS tags, $2::boolean AS flag, $3::text AS missing', params: [['a', 'b,c', 'd"e'], false, null] },
  { sql: 'SELECT count(*) AS n FROM items WHERE label = ANY($1)', params: [['one', 'three']] },
  { sql: 'UPDATE items SET label = label WHERE id > $1', params: [0] },
  { sql: 'UPDATE items SET flag = $2 WHERE id = $1 RETURNING id, flag', params: [2, true] },
  { sql: 'INSERT INTO items (id, label) VALUES ($1, $2)', params: [3, 'three'] },
  { sql: 'DELETE FROM items WHERE id = $1', params: [3] },
  { sql: 'SELECT id FROM items WHERE id < 0', params: [] },
];

describe('PreparedStatements', () => {
  let database: PGlite;

  beforeEach(async () => {
    database = await openDatabase();
  });

  afterEach(async () => {
    await database.close();
  });

  it.each(['object', 'array'] as const)('returns what query returns, rowMode %s', async (rowMode) => {
    const reference = await openDatabase();
    const statements = new PreparedStatements(database);

    for (const { sql, params } of CASES) {
      const expected = await reference.query(sql, params, { rowMode });
      const actual = await statements.query(sql, params, { rowMode });
      expect({ sql, rows: actual.rows }).toEqual({ sql, rows: expected.rows });
      expect({ sql, fields: actual.fields }).toEqual({ sql, fields: expected.fields });
      expect({ sql, affectedRows: actual.affectedRows }).toEqual({ sql, affectedRows: expected.affectedRows });
    }
    await reference.close();
  });

  it('prepares each text once', async () => {
    const statements = new PreparedStatements(database);

    const first = await statements.query<{ label: string }>('SELECT label FROM items WHERE id = $1', [1]);
    const second = await statements.query<{ label: string }>('SELECT label FROM items WHERE id = $1', [2]);

    expect(first.rows).toEqual([{ label: 'one' }]);
    expect(second.rows).toEqual([{ label: 'two' }]);
    expect(statements.size).toBe(1);
    expect(await preparedNames(database)).toHaveLength(1);
  });

  it('closes the least recently used statement', async () => {
    const statements = new PreparedStatements(database, 2);

    await statements.query('SELECT 1 AS a');
    await statements.query('SELECT 2 AS b');
    await statements.query('SELECT 1 AS a');
    await statements.query('SELECT 3 AS c');
    // The evicted statement is closed with the next call.
    await statements.query('SELECT 3 AS c');

    expect(statements.size).toBe(2);
    const names = await preparedNames(database);
    expect(names).toHaveLength(2);
    expect(names.map((name) => name.split('_').at(-1)).sort()).toEqual(['1', '3']);
  });

  it('reports a constraint violation and stays usable', async () => {
    const statements = new PreparedStatements(database);
    const insert = 'INSERT INTO items (id, label) VALUES ($1, $2)';

    const error = await statements.query(insert, [1, 'secret-label']).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: '23505', query: insert });
    expect(error).not.toHaveProperty('params');
    expect(String((error as Error).message)).not.toContain('secret-label');
    await statements.query(insert, [4, 'four']);
    const count = await statements.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    expect(count.rows).toEqual([{ n: 3 }]);
  });

  it('keeps a statement that fails to parse out of the cache', async () => {
    const statements = new PreparedStatements(database);

    await expect(statements.query('SELEC 1')).rejects.toMatchObject({ code: '42601', query: 'SELEC 1' });

    expect(statements.size).toBe(0);
    expect(await preparedNames(database)).toEqual([]);
    expect((await statements.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rejects a wrong number of parameters', async () => {
    const statements = new PreparedStatements(database);

    await expect(statements.query('SELECT $1::int AS a, $2::int AS b', [1])).rejects.toThrow('the statement takes 2 parameters, got 1');
  });

  it('prepares again after the result type changed', async () => {
    const statements = new PreparedStatements(database);
    await statements.query('SELECT * FROM items WHERE id = $1', [1]);

    await database.exec('ALTER TABLE items ADD COLUMN note text');
    const result = await statements.query<Record<string, unknown>>('SELECT * FROM items WHERE id = $1', [1]);

    expect(result.fields.map((field) => field.name)).toContain('note');
    expect(result.rows[0]).toMatchObject({ id: 1, label: 'one', note: null });
  });

  it('runs inside a transaction and rolls back with it', async () => {
    const statements = new PreparedStatements(database);
    const insert = 'INSERT INTO items (id, label) VALUES ($1, $2)';
    const count = 'SELECT count(*)::int AS n FROM items';

    const inside = await database
      .transaction(async (tx) => {
        await statements.queryInTransaction(insert, [5, 'five']);
        const seen = await statements.queryInTransaction<{ n: number }>(count);
        await tx.rollback();
        return seen.rows[0].n;
      });

    expect(inside).toBe(3);
    expect((await statements.query<{ n: number }>(count)).rows).toEqual([{ n: 2 }]);
  });

  it('waits for a running transaction', async () => {
    const statements = new PreparedStatements(database);
    let release: () => void = () => undefined;
    const transactionEnd = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = database.transaction(async (tx) => {
      await tx.query('INSERT INTO items (id, label) VALUES (6, $1)', ['six']);
      await transactionEnd;
    });

    const outside = statements.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await transaction;

    expect((await outside).rows).toEqual([{ n: 3 }]);
  });

  it('shares a database with another cache', async () => {
    const first = new PreparedStatements(database);
    const second = new PreparedStatements(database);

    const a = await first.query<{ n: number }>('SELECT $1::int AS n', [1]);
    const b = await second.query<{ n: number }>('SELECT $1::int + 1 AS n', [1]);

    expect(a.rows).toEqual([{ n: 1 }]);
    expect(b.rows).toEqual([{ n: 2 }]);
    expect(await preparedNames(database)).toHaveLength(2);
  });

  it('rejects a capacity below one', () => {
    expect(() => new PreparedStatements(database, 0)).toThrow('prepared statement capacity must be a positive integer, got 0');
  });
});
