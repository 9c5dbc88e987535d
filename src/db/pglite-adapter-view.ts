/**
 * A view of a PGlite database for the Prisma adapter that runs every query
 * as a named prepared statement (prepared-statements.ts) and saves a copy of
 * the type parser table on every query.
 *
 * The adapter passes its own `parsers` option with each query. PGlite
 * (0.5.17) then copies its whole table of type parsers (318 entries once the
 * array types are registered) into a new object to merge the option in.
 * Profiles of the services showed that copy as the most expensive single
 * function, about 0.1 ms of CPU per query. The view merges the adapter's
 * parsers into the database's table once and then runs queries without
 * the option, which gives the same parser for every type.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';

import { DEFAULT_PREPARED_STATEMENTS, PreparedStatements, type PreparedQueryOptions } from './prepared-statements.js';

type QueryOptions = { parsers?: PGlite['parsers'] } & Record<string, unknown>;
type Query = (sql: string, params?: unknown[], options?: QueryOptions) => Promise<unknown>;

/**
 * Returns a proxy of the database whose query and transaction methods drop
 * a `parsers` option equal to the first one seen, after merging it into
 * database.parsers, and run the query as a prepared statement. A query with
 * any other option (another `parsers` table included) goes through PGlite's
 * own query method.
 * NOTE: after the merge, queries made on the database itself, not through
 * the proxy, also use those parsers.
 * @param capacity number of statements kept prepared.
 */
export function adapterView(database: PGlite, capacity = DEFAULT_PREPARED_STATEMENTS): PGlite {
  const statements = new PreparedStatements(database, capacity);
  let merged: QueryOptions['parsers'] | null = null;

  const strip = (options: QueryOptions | undefined): QueryOptions | undefined => {
    if (options?.parsers === undefined) {
      return options;
    }
    if (merged === null) {
      database.parsers = { ...database.parsers, ...options.parsers };
      merged = options.parsers;
    }
    if (options.parsers !== merged) {
      return options;
    }
    const { parsers: _merged, ...rest } = options;
    return rest;
  };

  const outside: Query = (sql, params, options) => {
    const stripped = strip(options);
    return preparable(stripped) ? statements.query(sql, params, stripped) : database.query(sql, params, stripped);
  };

  const inside = (tx: Transaction): Query => (sql, params, options) => {
    const stripped = strip(options);
    if (!preparable(stripped)) {
      return tx.query(sql, params, stripped);
    }
    if (tx.closed) {
      return Promise.reject(new Error('Transaction is closed'));
    }
    return statements.queryInTransaction(sql, params, stripped);
  };

  return forwardingProxy(database, {
    query: outside,
    transaction: <T>(work: (tx: Transaction) => Promise<T>) => database.transaction((tx) => work(forwardingProxy(tx, { query: inside(tx) }))),
  });
}

function preparable(options: QueryOptions | undefined): options is PreparedQueryOptions & QueryOptions {
  return options === undefined || Object.keys(options).every((key) => key === 'rowMode');
}

// Methods not overridden are bound to the target, because PGlite keeps its state in private fields.
function forwardingProxy<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property)) {
        return overrides[property];
      }
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}
