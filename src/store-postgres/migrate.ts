import { CarekitError } from '../model/index.js';
import { CarekitStoreError } from './CarekitStoreError.js';
import type { SqlClient } from './client.js';
import { type SchemaOptions, type Tables, tablesIn } from './schema.js';

/** One step of the store's schema: applied once, in order, recorded in `schema_migrations`. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (t: Tables) => readonly string[];
}

// Append only: a released migration is never edited, a change is a new version.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tickets, events, outbox, blocklist',
    statements: (t) => [
      // COLLATE "C" orders ids by code point, as the memory store's `<` does (dueTickets' ties).
      `CREATE TABLE ${t.tickets} (
        ticket_id text COLLATE "C" PRIMARY KEY,
        created_seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        version integer NOT NULL CHECK (version > 0),
        workflow_key text NOT NULL,
        due_at bigint,
        customer_id text NOT NULL,
        external_id text UNIQUE,
        snapshot jsonb NOT NULL
      )`,
      `CREATE INDEX tickets_due_at ON ${t.tickets} (due_at, ticket_id) WHERE due_at IS NOT NULL`,
      `CREATE TABLE ${t.events} (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id text COLLATE "C" NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        at bigint NOT NULL,
        event jsonb NOT NULL,
        UNIQUE (ticket_id, event_id)
      )`,
      `CREATE INDEX events_ticket ON ${t.events} (ticket_id, seq)`,
      `CREATE INDEX events_at ON ${t.events} (at)`,
      `CREATE TABLE ${t.outbox} (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id text NOT NULL,
        type text NOT NULL,
        caused_by text NOT NULL,
        effect jsonb NOT NULL,
        claimed_by text,
        claimed_until bigint,
        attempts integer NOT NULL DEFAULT 0,
        completed_at bigint
      )`,
      `CREATE INDEX outbox_pending ON ${t.outbox} (id) WHERE completed_at IS NULL`,
      `CREATE TABLE ${t.blocklist} (
        customer_id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        reason text NOT NULL,
        added_by text NOT NULL,
        at bigint NOT NULL
      )`,
      `CREATE TABLE ${t.blocklistHistory} (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id text NOT NULL,
        action text NOT NULL CHECK (action IN ('add', 'remove')),
        reason text NOT NULL,
        changed_by text NOT NULL,
        at bigint NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'message keys, effect ids',
    statements: (t) => [
      // Every key that finds a ticket: the opening external id (backfilled here, written with
      // the ticket from now on) and the keys of the messages threaded onto it.
      `CREATE TABLE ${t.messageKeys} (
        key text COLLATE "C" PRIMARY KEY,
        ticket_id text COLLATE "C" NOT NULL
      )`,
      `INSERT INTO ${t.messageKeys} (key, ticket_id)
       SELECT external_id, ticket_id FROM ${t.tickets} WHERE external_id IS NOT NULL`,
      `ALTER TABLE ${t.outbox} ADD COLUMN effect_id text`,
      // Rows written before: the effect's own id where it has one (its first row only), else a
      // key no effect id of carekit takes.
      `UPDATE ${t.outbox} AS o SET effect_id = b.effect_id FROM (
         SELECT id, CASE
           WHEN own IS NOT NULL AND own <> '' AND own NOT LIKE 'carekit-v1-outbox:%'
             AND row_number() OVER (PARTITION BY own ORDER BY id) = 1 THEN own
           ELSE 'carekit-v1-outbox:' || id END AS effect_id
         FROM (SELECT id, CASE WHEN jsonb_typeof(effect) = 'object' THEN effect->>'id' END AS own
               FROM ${t.outbox}) AS s
       ) AS b WHERE o.id = b.id`,
      `ALTER TABLE ${t.outbox} ALTER COLUMN effect_id SET NOT NULL`,
      `CREATE UNIQUE INDEX outbox_effect_id ON ${t.outbox} (effect_id)`,
    ],
  },
];

/** The newest schema version this release of carekit knows. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was up to date). */
  readonly applied: readonly number[];
  /** The schema's version after the call. */
  readonly version: number;
}

// Any fixed number: every process migrating the same database takes the same lock.
const MIGRATION_LOCK = 7_220_410_311;

/**
 * Creates or upgrades the store's tables: applies, in one transaction, every migration the
 * database has not recorded in `schema_migrations`. Versioned and idempotent: a second call does
 * nothing, and processes starting together take an advisory lock, so one migrates and the
 * others find the work done. A database migrated by a newer carekit is refused
 * (`schema_too_new`) rather than written with the wrong layout.
 *
 * @example
 * ```ts
 * const client = pgliteClient(new PGlite());
 * await migrate(client);
 * //=> { applied: [1, 2], version: 2 }
 * await migrate(client);
 * //=> { applied: [], version: 2 }
 * await migrate(client, { schema: 'care_eu' }); // a second desk in the same database
 * ```
 */
export async function migrate(client: SqlClient, options: SchemaOptions = {}): Promise<MigrateResult> {
  return migrateTo(client, options, SCHEMA_VERSION);
}

/**
 * {@link migrate}, stopping after version `target` (the tests build a database as an older
 * release left it, then upgrade it). Not exported from the package.
 *
 * @internal
 */
export async function migrateTo(
  client: SqlClient,
  options: SchemaOptions,
  target: number,
): Promise<MigrateResult> {
  const t = tablesIn(options);
  try {
    return await client.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${t.migrations} (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`,
      );
      const { rows } = await tx.query(`SELECT version FROM ${t.migrations} ORDER BY version`);
      const done = new Set(rows.map((row) => Number(row.version)));
      const newest = Math.max(0, ...done);
      if (newest > SCHEMA_VERSION) {
        throw new CarekitError(
          'schema_too_new',
          `the store's schema ${t.schema} is at version ${newest}, newer than this carekit knows (${SCHEMA_VERSION}); upgrade carekit`,
        );
      }
      const applied: number[] = [];
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version) || migration.version > target) continue;
        for (const statement of migration.statements(t)) await tx.query(statement);
        await tx.query(`INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
        applied.push(migration.version);
      }
      return { applied, version: Math.max(newest, ...applied) };
    });
  } catch (error) {
    if (error instanceof CarekitError) throw error;
    throw new CarekitStoreError('migrate', `migrate the schema ${t.schema}`, error);
  }
}
