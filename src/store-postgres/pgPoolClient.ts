import type { SqlClient, SqlRows } from './client.js';

/** One connection taken from a pool; a `pg` `PoolClient` fits. */
export interface PgPoolClientLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Gives the connection back; with an error (or `true`) the pool closes it instead. */
  release(error?: Error | boolean): void;
}

/** The part of a `pg` `Pool` the store uses. */
export interface PgPoolLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgPoolClientLike>;
}

/**
 * A {@link SqlClient} over a `pg` (node-postgres) pool. A statement outside a transaction runs
 * on any pooled connection; a transaction takes one connection for its whole length and runs
 * `BEGIN`, the work, then `COMMIT`, or `ROLLBACK` when the work throws. A connection whose
 * `ROLLBACK` failed is closed rather than handed back, so no later caller inherits a broken
 * transaction.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresStore, migrate, pgPoolClient } from 'carekit/store-postgres';
 *
 * const client = pgPoolClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(client);
 * const store = createPostgresStore(client);
 * ```
 */
export function pgPoolClient(pool: PgPoolLike): SqlClient {
  return {
    async query(sql, params = []) {
      return (await pool.query(sql, [...params])) as SqlRows;
    },
    async transaction(run) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        const result = await run({
          query: async (sql, params = []) => (await connection.query(sql, [...params])) as SqlRows,
        });
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch (rollback) {
          broken = rollback instanceof Error ? rollback : new Error(String(rollback));
        }
        throw error;
      } finally {
        connection.release(broken);
      }
    },
  };
}
