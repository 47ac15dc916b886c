import type { SqlClient, SqlQueryOptions, SqlRows } from './client.js';

/**
 * A statement to prepare under a name, as `pg`'s `query({ name, text, values })` takes it: with
 * {@link PgPoolClientOptions.prepare} on, the pool's and its connections' `query` are also called
 * with one of these as the only argument.
 */
export interface PgQueryConfig {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

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

/** Options of {@link pgPoolClient}. */
export interface PgPoolClientOptions {
  /**
   * Run the store's hot statements (the one-statement save) as named prepared statements, parsed
   * and planned once per connection (default `false`). The pool's `query` and its connections'
   * are then also called with a {@link PgQueryConfig}, as a `pg` `Pool` takes it. Leave it off
   * behind a pooler that hands each statement to any server connection without tracking prepared
   * statements (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`)
   * and with a wrapper whose `query` takes only SQL text.
   */
  readonly prepare?: boolean;
}

/**
 * A {@link SqlClient} over a `pg` (node-postgres) pool. A statement outside a transaction runs
 * on any pooled connection; a transaction takes one connection for its whole length and runs
 * `BEGIN`, the work, then `COMMIT`, or `ROLLBACK` when the work throws. A connection whose
 * `ROLLBACK` failed is closed rather than handed back, so no later caller inherits a broken
 * transaction. A statement the store names ({@link SqlQueryOptions.name}) is prepared on each
 * connection the first time it runs there (see {@link PgPoolClientOptions.prepare}).
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
export function pgPoolClient(pool: PgPoolLike, options: PgPoolClientOptions = {}): SqlClient {
  const prepare = options.prepare === true;
  const run = (
    target: Pick<PgPoolLike, 'query'>,
    sql: string,
    params: readonly unknown[],
    query?: SqlQueryOptions,
  ): Promise<{ rows: unknown[] }> =>
    prepare && query?.name !== undefined
      ? (target.query as unknown as (config: PgQueryConfig) => Promise<{ rows: unknown[] }>)({
          name: query.name,
          text: sql,
          values: [...params],
        })
      : target.query(sql, [...params]);
  return {
    async query(sql, params = [], query) {
      return (await run(pool, sql, params, query)) as SqlRows;
    },
    async transaction(work) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        const result = await work({
          query: async (sql, params = [], query) => (await run(connection, sql, params, query)) as SqlRows,
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
