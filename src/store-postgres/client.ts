/** What a query returns: its rows as plain objects keyed by column name. */
export interface SqlRows {
  readonly rows: readonly Record<string, unknown>[];
}

/** Runs one SQL statement with `$1, $2...` parameters (a connection, or a transaction on one). */
export interface SqlExecutor {
  query(sql: string, params?: readonly unknown[]): Promise<SqlRows>;
}

/**
 * The little the Postgres store needs of a database: run a statement, and run a function in a
 * transaction that commits when the function resolves and rolls back when it throws. Build one
 * with {@link pgliteClient} (embedded PGlite) or {@link pgPoolClient} (a `pg` pool), or write
 * your own over any driver that speaks PostgreSQL.
 */
export interface SqlClient extends SqlExecutor {
  transaction<T>(run: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
