import { CarekitError } from '../model/index.js';
import type { StoreErrorCode } from './errors.js';

/** Where the store's tables live. */
export interface SchemaOptions {
  /**
   * The PostgreSQL schema that holds the store's tables (created by `migrate` when missing).
   * Default `carekit`. Letters, digits and underscores, starting with a letter or underscore,
   * so that two desks can share a database in two schemas.
   */
  readonly schema?: string;
}

/** The default schema of the store's tables. */
export const DEFAULT_SCHEMA = 'carekit';

/** The quoted, qualified names of the store's tables in a schema. */
export interface Tables {
  readonly schema: string;
  readonly migrations: string;
  readonly tickets: string;
  readonly events: string;
  readonly outbox: string;
  readonly messageKeys: string;
  readonly blocklist: string;
  readonly blocklistHistory: string;
  readonly agents: string;
  readonly customers: string;
  /** The audit trail of erasures, redactions and retention actions (migration 4). */
  readonly erasures: string;
  /** The router's store-wide sequence of assignments (`AgentLoad.lastSequence`). */
  readonly routerSequence: string;
}

/** Names the tables of a schema, refusing a schema name that would need escaping. */
export function tablesIn(options: SchemaOptions = {}): Tables {
  const name = options.schema ?? DEFAULT_SCHEMA;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new CarekitError<StoreErrorCode>(
      'invalid_schema_name',
      `schema ${JSON.stringify(name)} is not a plain identifier: use letters, digits and underscores (at most 63), starting with a letter or underscore`,
    );
  }
  const schema = `"${name}"`;
  return {
    schema,
    migrations: `${schema}.schema_migrations`,
    tickets: `${schema}.tickets`,
    events: `${schema}.events`,
    outbox: `${schema}.outbox`,
    messageKeys: `${schema}.message_keys`,
    blocklist: `${schema}.blocklist`,
    blocklistHistory: `${schema}.blocklist_history`,
    agents: `${schema}.agents`,
    customers: `${schema}.customers`,
    erasures: `${schema}.erasures`,
    routerSequence: `${schema}.router_sequence`,
  };
}
