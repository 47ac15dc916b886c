/**
 * A durable {@link "carekit/workflows"!TicketStore | TicketStore} on PostgreSQL: embedded with PGlite
 * (`@electric-sql/pglite`, in-process, no server) or on a server with `pg`, the same SQL for
 * both. Events are appended to a log, snapshots saved with optimistic concurrency, effects
 * written to an outbox in the same transaction, and any snapshot can be rebuilt from the log.
 * Neither driver is a dependency: pass in your own instance. See the guide `docs/store.md`.
 *
 * @module carekit/store-postgres
 */
export { CarekitStoreError } from './CarekitStoreError.js';
export type { SqlClient, SqlExecutor, SqlQueryOptions, SqlRows } from './client.js';
export {
  type ClaimEffectsOptions,
  type ClaimedEffect,
  createPostgresStore,
  type PostgresStoreOptions,
  type PostgresTicketStore,
  type RebuildResult,
  type RebuildWorkflow,
} from './createPostgresStore.js';
export type { StoreErrorCode } from './errors.js';
export { type MigrateResult, migrate, SCHEMA_VERSION } from './migrate.js';
export { type PGliteLike, pgliteClient } from './pgliteClient.js';
export {
  type PgPoolClientLike,
  type PgPoolClientOptions,
  type PgPoolLike,
  type PgQueryConfig,
  pgPoolClient,
} from './pgPoolClient.js';
export { DEFAULT_SCHEMA, type SchemaOptions } from './schema.js';
