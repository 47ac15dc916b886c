/** What a query returns: its rows as plain objects keyed by column name. */
export interface SqlRows {
  readonly rows: readonly Record<string, unknown>[];
}

/** How the store asks for one statement to be run; every field is a hint a driver may ignore. */
export interface SqlQueryOptions {
  /**
   * A name the driver may keep the statement prepared under on each connection, so that the
   * server parses and plans it once per connection instead of on every call. The store gives a
   * name only to its hot statements, and a name always comes with the same SQL text (the schema
   * is part of the name). {@link pgPoolClient} uses it unless told not to; ignoring it is
   * always correct.
   */
  readonly name?: string;
}

/** Runs one SQL statement with `$1, $2...` parameters (a connection, or a transaction on one). */
export interface SqlExecutor {
  query(sql: string, params?: readonly unknown[], options?: SqlQueryOptions): Promise<SqlRows>;
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
