import { CarekitError, type PersonalDataOptions, type TicketEvent } from '../model/index.js';
import type {
  AgentLoad,
  BlocklistChange,
  BlocklistEntry,
  DeskEffect,
  SaveResult,
  StoredCustomer,
  StoredTicket,
  StoredTicketWithEvents,
  TicketSnapshot,
  TicketStore,
  TicketWorkflow,
} from '../workflows/index.js';
import { CarekitStoreError } from './CarekitStoreError.js';
import type { SqlClient } from './client.js';
import { coalesced } from './coalesce.js';
import { holderOf, lastEventOf, waitingOf } from './derive.js';
import { createDataProtection } from './erasure.js';
import type { StoreErrorCode } from './errors.js';
import { fromJsonb, toJsonb } from './jsonb.js';
import { codePointOrder, createSaver, storableText, unstorable } from './saveBatch.js';
import { type SchemaOptions, tablesIn } from './schema.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions extends SchemaOptions {
  /** Rows fetched per page by `events()` and `ticketIds()`. Default 500. */
  readonly pageSize?: number;
  /** Tickets fetched per page by `stream()` (each with its whole log). Default 100. */
  readonly streamPageSize?: number;
  /**
   * What the host marks personal beyond carekit's own list (meta keys, ticket fields): removed by
   * `eraseCustomer` and retention's `anonymise` (docs/data-protection.md).
   */
  readonly personal?: PersonalDataOptions;
}

/** Options of {@link PostgresTicketStore.claimEffects}. */
export interface ClaimEffectsOptions {
  /** At most this many effects. Default 100. */
  readonly limit?: number;
  /** How long the claim holds (ms); after it, another worker may claim the effect. Default 60 000. */
  readonly leaseMs?: number;
  /** The current instant (epoch ms). Default `Date.now()`. */
  readonly now?: number;
}

/**
 * An effect taken from the outbox by a worker, to perform and then complete. The receiving side
 * deduplicates by `effect.id` (unique and stable: a retried desk call records the same id once),
 * not by the row's `id`.
 */
export interface ClaimedEffect {
  /** The outbox row's id: pass it to `completeEffects` or `releaseEffects`. Not the effect's id. */
  readonly id: number;
  readonly ticketId: string;
  /** The effect, with its `id`: the receiver's idempotency key. */
  readonly effect: DeskEffect;
  /** How many times the effect has been claimed, this claim included (more than 1 after a crash). */
  readonly attempts: number;
  /** Until when this claim holds (epoch ms). */
  readonly leaseUntil: number;
}

/** What {@link PostgresTicketStore.rebuild} needs of a ticket workflow (a `TicketWorkflow` fits). */
export type RebuildWorkflow = Pick<TicketWorkflow, 'replay' | 'dueAt'>;

/** The outcome of {@link PostgresTicketStore.rebuild}. */
export interface RebuildResult {
  /** The snapshot replayed from the ticket's stored events (now the stored one). */
  readonly snapshot: TicketSnapshot;
  readonly version: number;
  /** True when the stored snapshot differed from the replay and was replaced. */
  readonly changed: boolean;
  /** Stored events the workflow refused on replay (none when it is the workflow that saved them). */
  readonly rejected: number;
}

/**
 * A {@link "carekit/workflows"!TicketStore | TicketStore} on PostgreSQL, with an outbox of effects and
 * rebuilding from the log.
 */
export interface PostgresTicketStore extends TicketStore {
  /**
   * The tickets whose slot one of the agents holds (`holderOf`), in ticket id order: an index on
   * the holder column, not a scan.
   *
   * @example
   * ```ts
   * (await store.heldBy(['a1'])).map((t) => t.ticketId);
   * //=> ['T-1', 'T-7']
   * ```
   */
  heldBy(agentIds: readonly string[]): Promise<readonly StoredTicket[]>;
  /**
   * Takes up to `limit` effects no one holds, oldest first, for `leaseMs`. Workers running at
   * once get different effects (`FOR UPDATE SKIP LOCKED`); an effect whose worker died without
   * completing it is claimed again once the lease has passed.
   *
   * @example
   * ```ts
   * const claimed = await store.claimEffects('worker-1', { limit: 50, leaseMs: 60_000 });
   * for (const { effect } of claimed) await perform(effect, { idempotencyKey: effect.id });
   * await store.completeEffects(claimed.map((c) => c.id), { workerId: 'worker-1' });
   * ```
   */
  claimEffects(workerId: string, options?: ClaimEffectsOptions): Promise<readonly ClaimedEffect[]>;
  /**
   * Marks effects done; returns the ids that were completed. With `workerId`, only effects this
   * worker still holds (a worker whose lease ran out finds its ids missing from the answer).
   *
   * @example
   * ```ts
   * await store.completeEffects([41, 42], { workerId: 'worker-1' });
   * //=> [41, 42]   ([] if another worker has claimed them since the lease ran out)
   * ```
   */
  completeEffects(
    ids: readonly number[],
    options?: { readonly workerId?: string; readonly now?: number },
  ): Promise<readonly number[]>;
  /**
   * Gives claimed effects back at once (the worker could not perform them); returns the ids released.
   *
   * @example
   * ```ts
   * await store.releaseEffects([43], { workerId: 'worker-1' });
   * //=> [43]
   * ```
   */
  releaseEffects(
    ids: readonly number[],
    options?: { readonly workerId?: string },
  ): Promise<readonly number[]>;
  /**
   * Replays a ticket's stored events with its workflow and stores the result if the stored
   * snapshot differs (a bug fixed, a snapshot damaged by hand). Pass the workflow, or a function
   * from the ticket's `workflowKey` to its workflow when a desk runs several SLA policies.
   *
   * @example
   * ```ts
   * const workflows = new Map([
   *   ['standard', createTicketWorkflow({ sla: standard })],
   *   ['vip', createTicketWorkflow({ sla: vip })],
   * ]);
   * const { changed, version } = await store.rebuild('T-1', (key) => workflows.get(key)!);
   * //=> { changed: false, version: 7 } for a snapshot that is the replay of its log
   * ```
   */
  rebuild(
    ticketId: string,
    workflow: RebuildWorkflow | ((workflowKey: string) => RebuildWorkflow),
  ): Promise<RebuildResult>;
}

/** An outbox row's effect, with the row's effect id (rows migrated from version 1 get theirs). */
const toEffect = (row: Record<string, unknown>): DeskEffect => ({
  ...fromJsonb<DeskEffect>(row.effect),
  id: String(row.effect_id),
});

const int = (value: unknown): number => Number(value);
/** The columns `toStored` reads. */
const TICKET_COLUMNS = 'ticket_id, version, workflow_key, due_at, customer_id, external_id, snapshot';
/** The stream's columns of a page `p`: the snapshot as text, parsed only when read (see toStreamed). */
const STREAM_COLUMNS = TICKET_COLUMNS.replace(/(\w+)/g, 'p.$1').replace(
  'p.snapshot',
  'p.snapshot::text AS snapshot',
);
const intOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** Deep equality of two plain JSON values, ignoring key order (jsonb sorts keys). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/**
 * A {@link "carekit/workflows"!TicketStore | TicketStore} on PostgreSQL, embedded (PGlite, through
 * {@link pgliteClient}) or on a server (`pg`, through {@link pgPoolClient}), with the same SQL.
 * It behaves as `createMemoryStore` does, durably:
 *
 * - `save` is one transaction: a conditional `UPDATE ... WHERE version = $expected` (or an
 *   `INSERT` for version 0, refused when the id exists or another ticket holds the external id),
 *   the events appended to the `events` log (unique on ticket and event id, so a repeated event
 *   is not stored twice), the message keys indexed in `message_keys` (a key another ticket holds
 *   stays with it), and `write.effects` added to the `outbox` (unique on the effect's id, so a
 *   retried call records an effect once). A refused save writes nothing.
 * - Malformed input is refused before the transaction: events go through `parseTicketEvent`,
 *   snapshots and effects must be plain JSON. A database error is a {@link CarekitStoreError}
 *   naming the operation and the ticket; the transaction was rolled back.
 * - `dueTickets` reads an index on `due_at`; `events` and `ticketIds` page through the log and
 *   the tickets in save and creation order.
 *
 * Call {@link migrate} once before use.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { createDesk } from 'carekit/workflows';
 * import { createPostgresStore, migrate, pgliteClient } from 'carekit/store-postgres';
 *
 * const client = pgliteClient(new PGlite('./care-data'));
 * await migrate(client);
 * const store = createPostgresStore(client);
 * const desk = createDesk({
 *   store,
 *   agents: [{ id: 'a1', name: 'Ana' }],
 *   lifecycle: { acknowledgeTemplate: 'acknowledgement' },
 * });
 * const { ticket } = await desk.receive({
 *   externalId: 'mail-1', channel: 'email', customer: { id: 'c1' },
 *   subject: 'Late parcel', body: 'Where is my order?', at: '2026-11-23T09:00:00Z',
 * });
 * (await store.load(ticket.ticketId))?.version;
 * //=> 1
 * const claimed = await store.claimEffects('worker-1', { limit: 10 });
 * claimed.map((c) => c.effect.type);
 * //=> ['send_template']
 * await store.completeEffects(claimed.map((c) => c.id));
 * ```
 */
export function createPostgresStore(
  client: SqlClient,
  options: PostgresStoreOptions = {},
): PostgresTicketStore {
  const t = tablesIn(options);
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? 500));
  // A page of `stream` carries every ticket's whole log: fewer tickets a page.
  const streamPageSize = Math.max(1, Math.floor(options.streamPageSize ?? 100));
  const saveBatch = createSaver(client, t);
  const dataProtection = createDataProtection(client, t, options.personal);

  const attempt = async <T>(
    operation: string,
    what: string,
    ticketId: string | null,
    run: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CarekitError) throw error;
      throw new CarekitStoreError(operation, what, error, ticketId);
    }
  };

  const toStored = (row: Record<string, unknown>): StoredTicket => ({
    ticketId: String(row.ticket_id),
    snapshot: fromJsonb<TicketSnapshot>(row.snapshot),
    version: int(row.version),
    workflowKey: String(row.workflow_key),
    dueAt: intOrNull(row.due_at),
    customerId: String(row.customer_id),
    externalId: row.external_id === null ? null : String(row.external_id),
  });

  /**
   * A streamed ticket: its snapshot comes as text and is parsed when first read. A reader of the
   * logs (facts, metrics) never reads it, and parsing it was most of such a read's client time.
   */
  const toStreamed = (row: Record<string, unknown>): StoredTicket => {
    let text: unknown = row.snapshot;
    let snapshot: TicketSnapshot | undefined;
    return {
      ticketId: String(row.ticket_id),
      get snapshot(): TicketSnapshot {
        if (snapshot === undefined) {
          snapshot = fromJsonb<TicketSnapshot>(text);
          text = undefined;
        }
        return snapshot;
      },
      version: int(row.version),
      workflowKey: String(row.workflow_key),
      dueAt: intOrNull(row.due_at),
      customerId: String(row.customer_id),
      externalId: row.external_id === null ? null : String(row.external_id),
    };
  };

  /**
   * Pages through a table by an increasing key, from its minimum to its maximum when it started.
   * A page asks for a span of keys, not for "the next `size` after": the planner reads only that
   * span whatever its statistics say (with "after" alone, a fresh table's estimate made every
   * page scan and sort all the keys left, quadratic in the table). The span follows the keys'
   * density: the keys `size` rows covered when a page is full, twice as wide when it is sparse
   * (gaps, or rows the page's filter drops). The next page is asked for as soon as a page
   * arrives, before its rows are yielded: the server reads it while the caller works through
   * this one (two pages held at most).
   */
  async function* pages<T>(
    boundsSql: string,
    pageSql: string,
    params: readonly unknown[],
    read: (row: Record<string, unknown>) => T,
    operation: string,
    what: string,
    size = pageSize,
  ): AsyncGenerator<T> {
    const bounds = await attempt(operation, what, null, async () => {
      const { rows } = await client.query(boundsSql);
      return { low: intOrNull(rows[0]?.low), top: intOrNull(rows[0]?.top) };
    });
    const top = bounds.top;
    if (top === null || bounds.low === null) return;
    const page = (after: number, upto: number) => {
      const asked = attempt(operation, what, null, () =>
        client.query(pageSql, [after, upto, size, ...params]),
      );
      // A caller that stops before this page is read never awaits it: its failure is not unhandled.
      asked.catch(() => {});
      return { asked, after, upto };
    };
    let span = size;
    let next = page(bounds.low - 1, Math.min(top, bounds.low - 1 + span));
    for (;;) {
      const { rows } = await next.asked;
      const full = rows.length === size;
      // A full page may leave keys of its span unread; a short one has read its span whole.
      const after = full ? int(rows[rows.length - 1]?.key) : next.upto;
      if (full) span = Math.max(size, after - next.after);
      else span *= 2;
      const more = after < top;
      if (more) next = page(after, Math.min(top, after + span));
      for (const row of rows) yield read(row);
      if (!more) return;
    }
  }

  const idList = (ids: readonly number[]) => JSON.stringify(ids.filter((id) => Number.isSafeInteger(id)));

  /** Rows of `sql` (one `$1::jsonb` list of keys) by the key in column `column`. */
  const rowsByKey =
    (operation: string, what: (n: number) => string, sql: string, column: string) =>
    (keys: readonly string[]) =>
      attempt(operation, what(keys.length), null, async () => {
        const { rows } = await client.query(sql, [JSON.stringify(keys)]);
        return new Map(rows.map((row) => [String(row[column]), row]));
      });
  const keyList = (table: string, column: string, columns: string) =>
    `SELECT ${column}, ${columns} FROM ${table} WHERE ${column} IN (SELECT jsonb_array_elements_text($1::jsonb))`;

  // Concurrent reads of keys, customers and blocklist entries share one query (see coalesced).
  const findKey = coalesced(
    (key) =>
      attempt('findByExternalId', `find the ticket holding key ${key}`, null, async () => {
        const { rows } = await client.query(`SELECT ticket_id FROM ${t.messageKeys} WHERE key = $1`, [key]);
        return rows[0] ? String(rows[0].ticket_id) : null;
      }),
    rowsByKey(
      'findByExternalId',
      (n) => `find the tickets holding ${n} keys`,
      keyList(t.messageKeys, 'key', 'ticket_id'),
      'key',
    ),
    (_, row) => (row ? String(row.ticket_id) : null),
  );
  const toCustomer = (customerId: string, row: Record<string, unknown> | undefined): StoredCustomer =>
    row
      ? {
          customerId,
          lastAgentId: row.last_agent_id === null ? null : String(row.last_agent_id),
          npsAskedAt: intOrNull(row.nps_asked_at),
        }
      : { customerId, lastAgentId: null, npsAskedAt: null };
  const readCustomer = coalesced(
    (customerId) =>
      attempt('customer', `read customer ${customerId}`, null, async () => {
        const { rows } = await client.query(
          `SELECT last_agent_id, nps_asked_at FROM ${t.customers} WHERE customer_id = $1`,
          [customerId],
        );
        return toCustomer(customerId, rows[0]);
      }),
    rowsByKey(
      'customer',
      (n) => `read ${n} customers`,
      keyList(t.customers, 'customer_id', 'last_agent_id, nps_asked_at'),
      'customer_id',
    ),
    toCustomer,
  );
  const blockEntry = coalesced(
    (customerId) =>
      attempt('blocklist.get', `read the blocklist entry of customer ${customerId}`, null, async () => {
        const { rows } = await client.query(
          `SELECT customer_id, reason, added_by, at FROM ${t.blocklist} WHERE customer_id = $1`,
          [customerId],
        );
        return rows[0] ? toEntry(rows[0]) : null;
      }),
    rowsByKey(
      'blocklist.get',
      (n) => `read the blocklist entries of ${n} customers`,
      keyList(t.blocklist, 'customer_id', 'reason, added_by, at'),
      'customer_id',
    ),
    (_, row) => (row ? toEntry(row) : null),
  );

  return {
    ...dataProtection,

    async load(ticketId) {
      if (unstorable(ticketId)) return null;
      return attempt('load', `load ticket ${ticketId}`, ticketId, async () => {
        const { rows } = await client.query(
          `SELECT ${TICKET_COLUMNS} FROM ${t.tickets} WHERE ticket_id = $1`,
          [ticketId],
        );
        return rows[0] ? toStored(rows[0]) : null;
      });
    },

    async loadMany(ticketIds) {
      const wanted = [...new Set(ticketIds)].filter((id) => typeof id === 'string' && !unstorable(id));
      if (wanted.length === 0) return [];
      return attempt('loadMany', `load ${wanted.length} tickets`, null, async () => {
        const { rows } = await client.query(
          `SELECT ${TICKET_COLUMNS} FROM ${t.tickets}
           WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
          [JSON.stringify(wanted)],
        );
        const byId = new Map(rows.map((row) => [String(row.ticket_id), row]));
        // One fresh copy per id asked (a repeated id is answered twice, as the memory store does).
        return ticketIds.flatMap((id) => {
          const row = byId.get(id);
          return row ? [toStored(row)] : [];
        });
      });
    },

    async save(ticketId, expectedVersion, write, saveOptions) {
      const [result] = await saveBatch([{ ticketId, expectedVersion, write }], saveOptions, 'save');
      return result as SaveResult;
    },

    async saveMany(requests, saveOptions) {
      return saveBatch(requests, saveOptions, 'saveMany');
    },

    async agents() {
      return attempt('agents', 'list the agents', null, async () => {
        const { rows } = await client.query(
          `SELECT agent_id, load, assigned, last_sequence, last_assigned_at FROM ${t.agents} ORDER BY agent_id`,
        );
        return rows.map(
          (row): AgentLoad => ({
            agentId: String(row.agent_id),
            load: int(row.load),
            assigned: int(row.assigned),
            lastSequence: int(row.last_sequence),
            lastAssignedAt: intOrNull(row.last_assigned_at),
          }),
        );
      });
    },

    async customer(customerId) {
      if (unstorable(customerId)) return { customerId, lastAgentId: null, npsAskedAt: null };
      return readCustomer(customerId);
    },

    async heldBy(agentIds) {
      const ids = [...new Set(agentIds)].filter((id) => typeof id === 'string' && !unstorable(id));
      if (ids.length === 0) return [];
      return attempt('heldBy', `list the tickets held by ${ids.length} agents`, null, async () => {
        const { rows } = await client.query(
          `SELECT ${TICKET_COLUMNS} FROM ${t.tickets}
           WHERE holder IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY ticket_id`,
          [JSON.stringify(ids)],
        );
        return rows.map(toStored);
      });
    },

    async waiting(limit) {
      const bound =
        limit === undefined || limit === Number.POSITIVE_INFINITY ? null : Math.max(0, Math.floor(limit));
      return attempt('waiting', 'list the tickets waiting for a person', null, async () => {
        const { rows } = await client.query(
          `SELECT ${TICKET_COLUMNS} FROM ${t.tickets} WHERE waiting_since IS NOT NULL
           ORDER BY waiting_since, ticket_id LIMIT $1`,
          [bound],
        );
        return rows.map(toStored);
      });
    },

    async claimDue(now, claim) {
      storableText(claim.owner, 'the owner of a due claim');
      const clockNow = Math.floor(claim.clockNow ?? Date.now());
      const leaseMs = Math.max(0, Math.floor(claim.leaseMs ?? 60_000));
      const limit = Math.max(0, Math.floor(claim.limit ?? 1000));
      return attempt('claimDue', `claim the tickets due at ${now} for ${claim.owner}`, null, async () => {
        // A ticket being saved (row locked) is skipped, not waited for: its save ends any claim.
        const { rows } = await client.query(
          `WITH picked AS (
             SELECT ticket_id FROM ${t.tickets}
             WHERE due_at <= $1 AND (claim_until IS NULL OR claim_until <= $3 OR claim_owner = $2)
             ORDER BY due_at, ticket_id LIMIT $5
             FOR UPDATE SKIP LOCKED
           )
           UPDATE ${t.tickets} AS k SET claim_owner = $2, claim_until = $4
           FROM picked WHERE k.ticket_id = picked.ticket_id
           RETURNING ${TICKET_COLUMNS.replace(/(\w+)/g, 'k.$1')}`,
          [Math.floor(now), claim.owner, clockNow, clockNow + leaseMs, limit],
        );
        return rows
          .map(toStored)
          .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || codePointOrder(a.ticketId, b.ticketId));
      });
    },

    async releaseDue(ticketIds, owner) {
      const ids = ticketIds.filter((id) => typeof id === 'string' && !unstorable(id));
      if (ids.length === 0 || unstorable(owner)) return;
      await attempt('releaseDue', `release ${ids.length} due claims of ${owner}`, null, () =>
        client.query(
          `UPDATE ${t.tickets} SET claim_owner = NULL, claim_until = NULL
           WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND claim_owner = $2`,
          [JSON.stringify(ids), owner],
        ),
      );
    },

    stream(range = {}) {
      const from = range.from ?? null;
      const to = range.to ?? null;
      // One ordered query a page: the page's tickets, each with its log aggregated in order.
      return pages(
        `SELECT min(created_seq) AS low, max(created_seq) AS top FROM ${t.tickets}`,
        `SELECT p.created_seq AS key, ${STREAM_COLUMNS},
           (SELECT coalesce(jsonb_agg(e.event ORDER BY e.seq), '[]'::jsonb) FROM ${t.events} AS e
            WHERE e.ticket_id = p.ticket_id) AS log
         FROM (SELECT created_seq, ${TICKET_COLUMNS} FROM ${t.tickets}
               WHERE created_seq > $1 AND created_seq <= $2
                 AND ($4::float8 IS NULL OR opened_at >= $4::float8)
                 AND ($5::float8 IS NULL OR opened_at < $5::float8)
               ORDER BY created_seq LIMIT $3) AS p
         ORDER BY p.created_seq`,
        [from, to],
        (row): StoredTicketWithEvents => ({
          ticket: toStreamed(row),
          events: fromJsonb<unknown[]>(row.log).map((event) => fromJsonb<TicketEvent>(event)),
        }),
        'stream',
        'stream the tickets with their events',
        streamPageSize,
      );
    },

    async findByExternalId(key) {
      if (unstorable(key)) return null;
      return findKey(key);
    },

    async dueTickets(now, limit) {
      const bound =
        limit === undefined || limit === Number.POSITIVE_INFINITY ? null : Math.max(0, Math.floor(limit));
      return attempt('dueTickets', `list the tickets due at ${now}`, null, async () => {
        const { rows } = await client.query(
          `SELECT ticket_id FROM ${t.tickets} WHERE due_at <= $1 ORDER BY due_at, ticket_id LIMIT $2`,
          [Math.floor(now), bound],
        );
        return rows.map((row) => String(row.ticket_id));
      });
    },

    async ticketEvents(ticketId) {
      if (unstorable(ticketId)) return [];
      return attempt('ticketEvents', `read the events of ticket ${ticketId}`, ticketId, async () => {
        const { rows } = await client.query(
          `SELECT event FROM ${t.events} WHERE ticket_id = $1 ORDER BY seq`,
          [ticketId],
        );
        return rows.map((row) => fromJsonb<TicketEvent>(row.event));
      });
    },

    events(range = {}) {
      const from = range.from ?? null;
      const to = range.to ?? null;
      return pages(
        `SELECT min(seq) AS low, max(seq) AS top FROM ${t.events}`,
        `SELECT seq AS key, event FROM ${t.events}
         WHERE seq > $1 AND seq <= $2
           AND ($4::float8 IS NULL OR at >= $4::float8) AND ($5::float8 IS NULL OR at < $5::float8)
         ORDER BY seq LIMIT $3`,
        [from, to],
        (row) => fromJsonb<TicketEvent>(row.event),
        'events',
        'read the event log',
      );
    },

    effects() {
      return pages(
        `SELECT min(id) AS low, max(id) AS top FROM ${t.outbox}`,
        `SELECT id AS key, effect_id, effect FROM ${t.outbox}
         WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
        [],
        toEffect,
        'effects',
        'read the outbox',
      );
    },

    ticketIds() {
      return pages(
        `SELECT min(created_seq) AS low, max(created_seq) AS top FROM ${t.tickets}`,
        `SELECT created_seq AS key, ticket_id FROM ${t.tickets}
         WHERE created_seq > $1 AND created_seq <= $2 ORDER BY created_seq LIMIT $3`,
        [],
        (row) => String(row.ticket_id),
        'ticketIds',
        'list the tickets',
      );
    },

    blocklist: {
      async add(entry) {
        const what = `the blocklist entry of customer ${entry.customerId}`;
        storableText(entry.customerId, what);
        storableText(entry.reason, `the reason of ${what}`);
        storableText(entry.by, `the author of ${what}`);
        await attempt('blocklist.add', `add customer ${entry.customerId} to the blocklist`, null, () =>
          client.transaction(async (tx) => {
            await tx.query(
              `INSERT INTO ${t.blocklist} (customer_id, reason, added_by, at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (customer_id) DO UPDATE SET reason = $2, added_by = $3, at = $4`,
              [entry.customerId, entry.reason, entry.by, entry.at],
            );
            await tx.query(
              `INSERT INTO ${t.blocklistHistory} (customer_id, action, reason, changed_by, at)
               VALUES ($1, 'add', $2, $3, $4)`,
              [entry.customerId, entry.reason, entry.by, entry.at],
            );
          }),
        );
      },
      async remove(customerId, change) {
        if (unstorable(customerId)) return false;
        const reason = storableText(change.reason ?? '', `the reason for removing ${customerId}`);
        storableText(change.by, `the author of the removal of ${customerId}`);
        return attempt('blocklist.remove', `remove customer ${customerId} from the blocklist`, null, () =>
          client.transaction(async (tx) => {
            const { rows } = await tx.query(
              `DELETE FROM ${t.blocklist} WHERE customer_id = $1 RETURNING customer_id`,
              [customerId],
            );
            if (rows.length === 0) return false;
            await tx.query(
              `INSERT INTO ${t.blocklistHistory} (customer_id, action, reason, changed_by, at)
               VALUES ($1, 'remove', $2, $3, $4)`,
              [customerId, reason, change.by, change.at],
            );
            return true;
          }),
        );
      },
      async get(customerId) {
        if (unstorable(customerId)) return null;
        return blockEntry(customerId);
      },
      async list() {
        return attempt('blocklist.list', 'list the blocklist', null, async () => {
          const { rows } = await client.query(
            `SELECT customer_id, reason, added_by, at FROM ${t.blocklist} ORDER BY seq`,
          );
          return rows.map(toEntry);
        });
      },
      async history() {
        return attempt('blocklist.history', 'read the blocklist history', null, async () => {
          const { rows } = await client.query(
            `SELECT customer_id, action, reason, changed_by, at FROM ${t.blocklistHistory} ORDER BY seq`,
          );
          return rows.map(
            (row): BlocklistChange => ({
              customerId: String(row.customer_id),
              reason: String(row.reason),
              by: String(row.changed_by),
              at: int(row.at),
              action: row.action === 'remove' ? 'remove' : 'add',
            }),
          );
        });
      },
    },

    async claimEffects(workerId, claim = {}) {
      storableText(workerId, 'the worker id');
      const now = Math.floor(claim.now ?? Date.now());
      const leaseMs = Math.max(0, Math.floor(claim.leaseMs ?? 60_000));
      const limit = Math.max(0, Math.floor(claim.limit ?? 100));
      return attempt('claimEffects', `claim effects for worker ${workerId}`, null, async () => {
        const { rows } = await client.query(
          `WITH picked AS (
             SELECT id FROM ${t.outbox}
             WHERE completed_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $2)
             ORDER BY id LIMIT $4
             FOR UPDATE SKIP LOCKED
           )
           UPDATE ${t.outbox} AS o SET claimed_by = $1, claimed_until = $3, attempts = o.attempts + 1
           FROM picked WHERE o.id = picked.id
           RETURNING o.id, o.ticket_id, o.effect_id, o.effect, o.attempts, o.claimed_until`,
          [workerId, now, now + leaseMs, limit],
        );
        return rows
          .map(
            (row): ClaimedEffect => ({
              id: int(row.id),
              ticketId: String(row.ticket_id),
              effect: toEffect(row),
              attempts: int(row.attempts),
              leaseUntil: int(row.claimed_until),
            }),
          )
          .sort((a, b) => a.id - b.id);
      });
    },

    async completeEffects(ids, complete = {}) {
      if (ids.length === 0) return [];
      const now = Math.floor(complete.now ?? Date.now());
      return attempt('completeEffects', `complete ${ids.length} effects`, null, async () => {
        const { rows } = await client.query(
          `UPDATE ${t.outbox} SET completed_at = $2, claimed_until = NULL
           WHERE id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))
             AND completed_at IS NULL AND ($3::text IS NULL OR claimed_by = $3::text)
           RETURNING id`,
          [idList(ids), now, complete.workerId ?? null],
        );
        return rows.map((row) => int(row.id)).sort((a, b) => a - b);
      });
    },

    async releaseEffects(ids, release = {}) {
      if (ids.length === 0) return [];
      return attempt('releaseEffects', `release ${ids.length} effects`, null, async () => {
        const { rows } = await client.query(
          `UPDATE ${t.outbox} SET claimed_by = NULL, claimed_until = NULL
           WHERE id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))
             AND completed_at IS NULL AND ($2::text IS NULL OR claimed_by = $2::text)
           RETURNING id`,
          [idList(ids), release.workerId ?? null],
        );
        return rows.map((row) => int(row.id)).sort((a, b) => a - b);
      });
    },

    async rebuild(ticketId, workflow) {
      return attempt('rebuild', `rebuild ticket ${ticketId}`, ticketId, () =>
        client.transaction(async (tx): Promise<RebuildResult> => {
          // The row lock keeps saves of this ticket out until the rebuilt snapshot is stored.
          const { rows } = await tx.query(
            `SELECT version, workflow_key, snapshot, holder FROM ${t.tickets} WHERE ticket_id = $1 FOR UPDATE`,
            [ticketId],
          );
          const row = rows[0];
          if (!row)
            throw new CarekitError<StoreErrorCode>(
              'unknown_ticket',
              `there is no ticket ${ticketId} to rebuild`,
            );
          const log = await tx.query(`SELECT event FROM ${t.events} WHERE ticket_id = $1 ORDER BY seq`, [
            ticketId,
          ]);
          const wf = typeof workflow === 'function' ? workflow(String(row.workflow_key)) : workflow;
          const replayed = wf.replay(log.rows.map((r) => fromJsonb<TicketEvent>(r.event)));
          const stored = fromJsonb<TicketSnapshot>(row.snapshot);
          if (sameJson(stored, replayed.snapshot)) {
            return {
              snapshot: stored,
              version: int(row.version),
              changed: false,
              rejected: replayed.rejected.length,
            };
          }
          // The indexes follow the rebuilt snapshot, and its slot moves as a save's would.
          const was = row.holder === null ? null : String(row.holder);
          const holder = holderOf(replayed.snapshot);
          const updated = await tx.query(
            `UPDATE ${t.tickets} SET snapshot = $2::json, due_at = $3, version = version + 1,
               holder = $4, waiting_since = $5, opened_at = $6, last_event_at = $7,
               claim_owner = NULL, claim_until = NULL
             WHERE ticket_id = $1 RETURNING version`,
            [
              ticketId,
              toJsonb(replayed.snapshot, `the rebuilt snapshot of ticket ${ticketId}`),
              wf.dueAt(replayed.snapshot),
              holder,
              waitingOf(replayed.snapshot),
              replayed.snapshot.context.openedAt,
              lastEventOf(replayed.snapshot),
            ],
          );
          if (was !== holder) {
            if (was !== null) {
              await tx.query(`UPDATE ${t.agents} SET load = load - 1 WHERE agent_id = $1`, [was]);
            }
            if (holder !== null) {
              await tx.query(
                `INSERT INTO ${t.agents} AS a (agent_id, load) VALUES ($1, 1)
                 ON CONFLICT (agent_id) DO UPDATE SET load = a.load + 1`,
                [holder],
              );
            }
          }
          return {
            snapshot: replayed.snapshot,
            version: int(updated.rows[0]?.version),
            changed: true,
            rejected: replayed.rejected.length,
          };
        }),
      );
    },
  };
}

function toEntry(row: Record<string, unknown>): BlocklistEntry {
  return {
    customerId: String(row.customer_id),
    reason: String(row.reason),
    by: String(row.added_by),
    at: int(row.at),
  };
}
