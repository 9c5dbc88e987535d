/**
 * A minimal SQL session over either PGlite or a node-postgres client, used by
 * the migration runner before any Prisma client exists.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PoolClient } from 'pg';

/** A connection that runs queries, multi-statement scripts and transactions. */
export interface SqlSession {
  /** Runs one parameterised statement and returns its rows. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;

  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;

  /** Runs work inside BEGIN ... COMMIT, rolling back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** Wraps a PGlite database in a SqlSession. */
export function pgliteSession(database: PGlite): SqlSession {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await database.query<Row>(sql, params)).rows,
    exec: async (sql) => {
      await database.exec(sql);
    },
    transaction: (work) => database.transaction((tx) => work(pgliteTransactionSession(tx))),
  };
}

function pgliteTransactionSession(tx: Transaction): SqlSession {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
    exec: async (sql) => {
      await tx.exec(sql);
    },
    transaction: () => Promise.reject(new Error('nested transactions are not supported')),
  };
}

/** Wraps a checked-out node-postgres client in a SqlSession. */
export function pgSession(client: PoolClient): SqlSession {
  const session: SqlSession = {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    exec: async (sql) => {
      // Without parameters node-postgres uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
    transaction: async (work) => {
      await client.query('BEGIN');
      try {
        const result = await work(session);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  return session;
}
