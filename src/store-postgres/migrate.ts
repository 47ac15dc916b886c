import { CarekitError } from '../model/index.js';
import type { TicketSnapshot } from '../workflows/index.js';
import { CarekitStoreError } from './CarekitStoreError.js';
import type { SqlClient, SqlExecutor } from './client.js';
import { holderOf, lastEventOf, npsAskedAt, waitingOf } from './derive.js';
import type { StoreErrorCode } from './errors.js';
import { fromJsonb } from './jsonb.js';
import { type SchemaOptions, type Tables, tablesIn } from './schema.js';

/** One step of the store's schema: applied once, in order, recorded in `schema_migrations`. */
interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL statements, or a step written in TypeScript (a backfill SQL cannot do), run in order. */
  readonly statements: (t: Tables) => readonly (string | ((tx: SqlExecutor) => Promise<void>))[];
}

// What migration 3 derives from an object snapshot, in SQL (the same rules as `holderOf`,
// `needsAgent`, `waitingSince` and `npsAskedAt`).
const STATUS = `snapshot->>'status'`;
const CONTEXT = `snapshot->'context'`;
const HOLDER_SQL = `CASE WHEN ${STATUS} IN ('new', 'open', 'pending', 'on_hold') THEN ${CONTEXT}->>'assigneeId' END`;
const WAITING_SQL = `CASE WHEN ${STATUS} IN ('new', 'open') AND ${CONTEXT}->>'assigneeId' IS NULL
  AND ${CONTEXT}->>'queue' IS NULL
  THEN (CASE WHEN ${STATUS} = 'new' THEN ${CONTEXT}->>'openedAt' ELSE ${CONTEXT}->>'statusChangedAt' END)::float8 END`;
const NPS_SQL = `CASE WHEN ${CONTEXT}->'survey'->>'requestedAt' IS NOT NULL
  AND ${CONTEXT}->'survey'->'kinds' @> '["nps"]'::jsonb
  THEN (${CONTEXT}->'survey'->>'requestedAt')::float8 END`;

/**
 * Migration 3's backfill of the tickets whose snapshot is stored as JSON text (one holding a
 * string jsonb cannot: SQL cannot read into it), with the desk's own functions.
 */
const backfillTextSnapshots =
  (t: Tables) =>
  async (tx: SqlExecutor): Promise<void> => {
    const { rows } = await tx.query(
      `SELECT ticket_id, customer_id, snapshot FROM ${t.tickets} WHERE jsonb_typeof(snapshot) = 'string'`,
    );
    for (const row of rows) {
      const snapshot = fromJsonb<TicketSnapshot>(row.snapshot);
      await tx.query(
        `UPDATE ${t.tickets} SET holder = $2, waiting_since = $3, opened_at = $4 WHERE ticket_id = $1`,
        [row.ticket_id, holderOf(snapshot), waitingOf(snapshot), snapshot.context.openedAt],
      );
      const asked = npsAskedAt(snapshot);
      if (asked !== null) {
        await tx.query(
          `INSERT INTO ${t.customers} (customer_id, nps_asked_at) VALUES ($1, $2)
           ON CONFLICT (customer_id) DO UPDATE
           SET nps_asked_at = GREATEST(${t.customers}.nps_asked_at, EXCLUDED.nps_asked_at)`,
          [row.customer_id, asked],
        );
      }
    }
  };

/** Migration 5's backfill of `last_event_at` for the tickets whose snapshot is stored as JSON text. */
const backfillTextLastEvent =
  (t: Tables) =>
  async (tx: SqlExecutor): Promise<void> => {
    const { rows } = await tx.query(
      `SELECT ticket_id, snapshot FROM ${t.tickets} WHERE jsonb_typeof(snapshot) = 'string'`,
    );
    for (const row of rows) {
      await tx.query(`UPDATE ${t.tickets} SET last_event_at = $2 WHERE ticket_id = $1`, [
        row.ticket_id,
        lastEventOf(fromJsonb<TicketSnapshot>(row.snapshot)),
      ]);
    }
  };

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
  {
    version: 3,
    name: 'shared decisions: agent loads, customers, waiting list, due claims',
    statements: (t) => [
      `ALTER TABLE ${t.tickets}
         ADD COLUMN holder text COLLATE "C",
         ADD COLUMN waiting_since double precision,
         ADD COLUMN opened_at double precision,
         ADD COLUMN claim_owner text,
         ADD COLUMN claim_until bigint`,
      `CREATE TABLE ${t.agents} (
        agent_id text COLLATE "C" PRIMARY KEY,
        load integer NOT NULL DEFAULT 0 CHECK (load >= 0),
        assigned integer NOT NULL DEFAULT 0,
        last_sequence bigint NOT NULL DEFAULT 0,
        last_assigned_at double precision
      )`,
      `CREATE TABLE ${t.customers} (
        customer_id text COLLATE "C" PRIMARY KEY,
        last_agent_id text,
        nps_asked_at double precision
      )`,
      `CREATE SEQUENCE ${t.routerSequence}`,
      // Existing tickets: what a save now writes beside the snapshot.
      `UPDATE ${t.tickets} SET holder = ${HOLDER_SQL}, waiting_since = ${WAITING_SQL},
         opened_at = (${CONTEXT}->>'openedAt')::float8
       WHERE jsonb_typeof(snapshot) = 'object'`,
      backfillTextSnapshots(t),
      `ALTER TABLE ${t.tickets} ALTER COLUMN opened_at SET NOT NULL`,
      `CREATE INDEX tickets_holder ON ${t.tickets} (holder, ticket_id) WHERE holder IS NOT NULL`,
      `CREATE INDEX tickets_waiting ON ${t.tickets} (waiting_since, ticket_id) WHERE waiting_since IS NOT NULL`,
      `INSERT INTO ${t.agents} (agent_id, load)
       SELECT holder, count(*) FROM ${t.tickets} WHERE holder IS NOT NULL GROUP BY holder`,
      // The router's memory, from its assignments in the log (in save order).
      `CREATE TEMPORARY TABLE carekit_router_backfill ON COMMIT DROP AS
       SELECT e.ticket_id, e.event->>'agentId' AS agent_id, (e.event->>'at')::float8 AS at,
              row_number() OVER (ORDER BY e.seq) AS n
       FROM ${t.events} AS e
       WHERE e.type = 'ticket.assigned' AND jsonb_typeof(e.event) = 'object'
         AND e.event->>'by' = 'router' AND e.event->>'agentId' IS NOT NULL`,
      `INSERT INTO ${t.agents} (agent_id, assigned, last_sequence, last_assigned_at)
       SELECT agent_id, count(*), max(n), (array_agg(at ORDER BY n DESC))[1]
       FROM carekit_router_backfill GROUP BY agent_id
       ON CONFLICT (agent_id) DO UPDATE SET assigned = EXCLUDED.assigned,
         last_sequence = EXCLUDED.last_sequence, last_assigned_at = EXCLUDED.last_assigned_at`,
      `SELECT setval('${t.routerSequence}', m) FROM (SELECT max(n) AS m FROM carekit_router_backfill) AS s
       WHERE m IS NOT NULL`,
      `INSERT INTO ${t.customers} (customer_id, last_agent_id)
       SELECT DISTINCT ON (k.customer_id) k.customer_id, r.agent_id
       FROM carekit_router_backfill AS r JOIN ${t.tickets} AS k ON k.ticket_id = r.ticket_id
       ORDER BY k.customer_id, r.n DESC
       ON CONFLICT (customer_id) DO UPDATE SET last_agent_id = EXCLUDED.last_agent_id`,
      `INSERT INTO ${t.customers} (customer_id, nps_asked_at)
       SELECT customer_id, max(${NPS_SQL}) FROM ${t.tickets}
       WHERE jsonb_typeof(snapshot) = 'object' AND ${NPS_SQL} IS NOT NULL GROUP BY customer_id
       ON CONFLICT (customer_id) DO UPDATE
       SET nps_asked_at = GREATEST(${t.customers}.nps_asked_at, EXCLUDED.nps_asked_at)`,
    ],
  },
  {
    version: 4,
    name: 'data protection: erasure audit, anonymised versions, indexes for erasure and retention',
    statements: (t) => [
      `CREATE TABLE ${t.erasures} (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        action text NOT NULL CHECK (action IN ('erase', 'redact', 'anonymise', 'delete')),
        customer_id text NOT NULL,
        ticket_ids jsonb NOT NULL,
        event_id text,
        fields jsonb NOT NULL,
        erased_by text NOT NULL,
        reason text NOT NULL,
        at bigint NOT NULL
      )`,
      // The version an anonymised ticket was left at: retention takes it again only once it changes.
      `ALTER TABLE ${t.tickets} ADD COLUMN anonymised_version integer`,
      `CREATE INDEX tickets_customer ON ${t.tickets} (customer_id)`,
      // Retention reads how long a ticket has been idle from its snapshot.
      `CREATE INDEX tickets_last_event ON ${t.tickets} (((snapshot->'context'->>'lastEventAt')::float8))`,
      `CREATE INDEX outbox_ticket ON ${t.outbox} (ticket_id)`,
      // Copies of a ticket's messages in other tickets (merges, splits), found by the origin.
      `CREATE INDEX events_moved_origin ON ${t.events} ((event->'message'->>'ticketId'))
       WHERE type = 'message.moved'`,
      `CREATE INDEX events_split_origin ON ${t.events} ((event->'splitFrom'->'message'->>'ticketId'))
       WHERE type = 'ticket.opened'`,
    ],
  },
  {
    version: 5,
    name: 'cheaper saves: last event time in a column, unused indexes dropped, room for HOT updates',
    statements: (t) => [
      // Retention's idle time, kept by every save beside the snapshot. Not indexed: an index on
      // a value every event changes would make every save a non-HOT update (retention scans).
      `ALTER TABLE ${t.tickets} ADD COLUMN last_event_at double precision`,
      `UPDATE ${t.tickets} SET last_event_at = (${CONTEXT}->>'lastEventAt')::float8
       WHERE jsonb_typeof(snapshot) = 'object'`,
      backfillTextLastEvent(t),
      // With no index over the snapshot left, a save that moves no indexed column (due time,
      // holder, waiting time) can be a HOT update, which needs room on the ticket's own page: a
      // row is about a kilobyte, and at 70 only 78 of 300 such saves in bench/workers/profile.ts
      // found room (300 of 300 at 50).
      `DROP INDEX ${t.schema}.tickets_last_event`,
      // No query reads the log by time alone (events() pages by seq, then filters).
      `DROP INDEX ${t.schema}.events_at`,
      `ALTER TABLE ${t.tickets} SET (fillfactor = 50)`,
    ],
  },
  {
    version: 6,
    name: 'snapshots kept as json text: a save stores the text it is given',
    statements: (t) => [
      // The snapshot is written whole by every save and read whole by every load; no query
      // looks inside it but retention's filters, which read one field of a ticket they scan
      // anyway. As jsonb, PostgreSQL parsed each snapshot into its binary form on every save
      // (about half the server's CPU per handled event in bench/workers/profile.ts); as json it
      // only checks the text. Reads parse the text as before (the drivers do it for both types).
      `ALTER TABLE ${t.tickets} ALTER COLUMN snapshot TYPE json USING snapshot::json`,
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
 * //=> { applied: [1, 2, 3, 4, 5, 6], version: 6 }
 * await migrate(client);
 * //=> { applied: [], version: 6 }
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
        throw new CarekitError<StoreErrorCode>(
          'schema_too_new',
          `the store's schema ${t.schema} is at version ${newest}, newer than this carekit knows (${SCHEMA_VERSION}); upgrade carekit`,
        );
      }
      const applied: number[] = [];
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version) || migration.version > target) continue;
        for (const step of migration.statements(t)) {
          if (typeof step === 'string') await tx.query(step);
          else await step(tx);
        }
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
