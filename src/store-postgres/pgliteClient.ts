import type { SqlClient, SqlExecutor, SqlRows } from './client.js';

/** The part of a PGlite instance (`@electric-sql/pglite`) the store uses; a `PGlite` fits. */
export interface PGliteLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  transaction<T>(
    callback: (tx: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> }) => Promise<T>,
  ): Promise<T>;
}

const executor = (target: Pick<PGliteLike, 'query'>): SqlExecutor => ({
  async query(sql, params = []) {
    return (await target.query(sql, [...params])) as SqlRows;
  },
});

/**
 * A {@link SqlClient} over an embedded PGlite database (in-process PostgreSQL, no server).
 * PGlite is one connection: its transactions run one after another, never interleaved, so the
 * store's conditional saves are serialised and the outbox's row locks are trivially held.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { createPostgresStore, migrate, pgliteClient } from 'carekit/store-postgres';
 *
 * const client = pgliteClient(new PGlite()); // in memory; new PGlite('./data') keeps files
 * await migrate(client);
 * const store = createPostgresStore(client);
 * await store.load('T-1');
 * //=> null
 * ```
 */
export function pgliteClient(db: PGliteLike): SqlClient {
  return {
    ...executor(db),
    transaction: (run) => db.transaction((tx) => run(executor(tx))),
  };
}
