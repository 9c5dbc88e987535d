/**
 * A view of a PGlite database for the Prisma adapter that saves a copy of
 * the type parser table on every query.
 *
 * The adapter passes its own `parsers` option with each query. PGlite
 * (0.5.17) then copies its whole table of type parsers (318 entries once the
 * array types are registered) into a new object to merge the option in.
 * Profiles of the services showed that copy as the most expensive single
 * function, about 0.1 ms of CPU per query. The view merges the adapter's
 * parsers into the database's table once and then passes queries on without
 * the option, which gives the same parser for every type.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';

type QueryOptions = { parsers?: PGlite['parsers'] } & Record<string, unknown>;
type Query = (sql: string, params?: unknown[], options?: QueryOptions) => Promise<unknown>;

/**
 * Returns a proxy of the database whose query and transaction methods drop
 * a `parsers` option equal to the first one seen, after merging it into
 * database.parsers. Any other `parsers` option is passed on unchanged.
 * NOTE: after the merge, queries made on the database itself, not through
 * the proxy, also use those parsers.
 */
export function withMergedParsers(database: PGlite): PGlite {
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

  const wrapQuery = (target: { query: Query }): Query => (sql, params, options) => target.query(sql, params, strip(options));

  const wrapTransaction = (tx: Transaction): Transaction => forwardingProxy(tx, { query: wrapQuery(tx as unknown as { query: Query }) });

  return forwardingProxy(database, {
    query: wrapQuery(database as unknown as { query: Query }),
    transaction: <T>(work: (tx: Transaction) => Promise<T>) => database.transaction((tx) => work(wrapTransaction(tx))),
  });
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
