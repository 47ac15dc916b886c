// The Postgres store's write path: `save` and `saveMany` are one batch each, decided as one-by-one
// saves in order would decide it, in one transaction of few statements.
import { CarekitError, parseTicketEvent } from '../model/index.js';
import type { DeskEffect, SaveOptions, SaveRequest, SaveResult } from '../workflows/index.js';
import { CarekitStoreError } from './CarekitStoreError.js';
import type { SqlClient, SqlExecutor } from './client.js';
import { holderOf, lastEventOf, npsAskedAt, waitingOf } from './derive.js';
import type { StoreErrorCode } from './errors.js';
import { toJsonb } from './jsonb.js';
import type { Tables } from './schema.js';

// PostgreSQL text holds neither NUL nor a lone surrogate (it is UTF-8); ids with them cannot be keys.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether PostgreSQL text cannot hold the string (a NUL character or a lone surrogate). */
export const unstorable = (value: string): boolean => value.includes('\u0000') || LONE_SURROGATE.test(value);

/** The string itself, or `unstorable_text` thrown when PostgreSQL text cannot hold it. */
export function storableText(value: string, what: string): string {
  if (unstorable(value)) {
    throw new CarekitError<StoreErrorCode>(
      'unstorable_text',
      `${what} contains a NUL character or a lone surrogate, which PostgreSQL text cannot hold; nothing was written`,
    );
  }
  return value;
}

/** Code-point order, as PostgreSQL's `COLLATE "C"` and the memory store's `<`. */
export const codePointOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The effect's id: the outbox's key, refused before anything is written when missing. */
function effectId(effect: DeskEffect, i: number, what: string): string {
  const id: unknown = effect?.id;
  if (typeof id !== 'string' || id === '') {
    throw new CarekitError<StoreErrorCode>(
      'invalid_effect_id',
      `effect ${i} (${String(effect?.type)}) of ${what} has no id (a non-empty string): a store keeps each effect by its id; nothing was written`,
    );
  }
  return storableText(id, `the id of effect ${i} of ${what}`);
}

/** A message key: a non-empty string PostgreSQL text can hold. */
function messageKey(key: unknown, i: number, what: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new CarekitError<StoreErrorCode>(
      'invalid_message_key',
      `message key ${i} of ${what} is ${JSON.stringify(key) ?? String(key)}, not a non-empty string; nothing was written`,
    );
  }
  return storableText(key, `message key ${i} of ${what}`);
}

/** What a trusted event must still have: the log's key and columns. */
function trustedEvent(input: unknown, i: number, what: string): { id: string; type: string; at: number } {
  const event = input as { id?: unknown; type?: unknown; at?: unknown } | null;
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    event.id === '' ||
    typeof event.type !== 'string' ||
    typeof event.at !== 'number' ||
    !Number.isSafeInteger(event.at)
  ) {
    throw new CarekitError<StoreErrorCode>(
      'invalid_event',
      `event ${i} of ${what} has no id, type or whole-millisecond \`at\`: even a trusted event needs the keys the log is kept by; nothing was written`,
    );
  }
  return event as { id: string; type: string; at: number };
}

/** A request checked and encoded before the transaction starts. */
interface Prepared {
  readonly ticketId: string;
  readonly expectedVersion: number;
  readonly workflowKey: string;
  readonly dueAt: number | null;
  readonly customerId: string;
  readonly externalId: string | null;
  readonly snapshot: string;
  readonly holder: string | null;
  readonly waitingSince: number | null;
  readonly openedAt: number;
  /** Retention's idle time (`context.lastEventAt`), its own column since migration 5. */
  readonly lastEventAt: number | null;
  readonly asked: number | null;
  readonly capacity: number | undefined;
  readonly npsEveryMs: number | undefined;
  /** [event id, type, at, jsonb text] */
  readonly events: readonly (readonly [string, string, number, string])[];
  /** The router's assignments among the events: [event id, agent id, at]. */
  readonly routed: readonly (readonly [string, string, number])[];
  /** [effect id, type, caused by, jsonb text], each id once. */
  readonly effects: readonly (readonly [string, string, string, string])[];
  readonly keys: readonly string[];
}

function prepare(request: SaveRequest, trusted: boolean): Prepared {
  const { ticketId, expectedVersion, write } = request;
  const what = `ticket ${ticketId}`;
  storableText(ticketId, `the id of ${what}`);
  storableText(write.workflowKey, `the workflow key of ${what}`);
  storableText(write.customerId, `the customer id of ${what}`);
  if (write.externalId !== null) storableText(write.externalId, `the external id of ${what}`);
  const routed: [string, string, number][] = [];
  const events = write.events.map((input, i) => {
    const event = trusted ? trustedEvent(input, i, what) : parseTicketEvent(input);
    storableText(event.id, `the id of event ${event.id} of ${what}`);
    const assigned = event as { type: string; by?: unknown; agentId?: unknown };
    if (
      assigned.type === 'ticket.assigned' &&
      assigned.by === 'router' &&
      typeof assigned.agentId === 'string'
    ) {
      routed.push([event.id, storableText(assigned.agentId, `the agent of event ${event.id}`), event.at]);
    }
    return [event.id, event.type, event.at, toJsonb(event, `event ${event.id} of ${what}`)] as const;
  });
  // Each effect id once (the first wins), as the outbox's unique index keeps it.
  const effectIds = new Set<string>();
  const effects = (write.effects ?? []).flatMap((effect, i) => {
    const id = effectId(effect, i, what);
    if (effectIds.has(id)) return [];
    effectIds.add(id);
    const text = toJsonb(effect, `effect ${i} of ${what}`);
    return [[id, String(effect.type), String(effect.causedBy), text] as const];
  });
  const keys = [...new Set((write.messageKeys ?? []).map((key, i) => messageKey(key, i, what)))];
  const snapshot = toJsonb(write.snapshot, `the snapshot of ${what}`);
  const dueAt = write.dueAt;
  if (dueAt !== null && !Number.isSafeInteger(dueAt)) {
    throw new CarekitError<StoreErrorCode>(
      'invalid_due_at',
      `the due time of ${what} must be whole epoch milliseconds or null, not ${dueAt}`,
    );
  }
  const holder = holderOf(write.snapshot);
  if (holder !== null) storableText(holder, `the assignee of ${what}`);
  const openedAt = write.snapshot.context.openedAt;
  if (typeof openedAt !== 'number' || !Number.isFinite(openedAt)) {
    throw new CarekitError<StoreErrorCode>(
      'invalid_snapshot',
      `the snapshot of ${what} has no opening time (context.openedAt)`,
    );
  }
  return {
    ticketId,
    expectedVersion,
    workflowKey: write.workflowKey,
    dueAt,
    customerId: write.customerId,
    externalId: write.externalId,
    snapshot,
    holder,
    waitingSince: waitingOf(write.snapshot),
    openedAt,
    lastEventAt: lastEventOf(write.snapshot),
    asked: npsAskedAt(write.snapshot),
    capacity: write.capacity,
    npsEveryMs: write.npsEveryMs,
    events,
    routed,
    effects,
    keys,
  };
}

/** The batch lost a race the locks cannot prevent (two new tickets, one key): run it again. */
class LostRace extends Error {}

/** SQLSTATEs after which the whole batch is decided again: serialization, deadlock, unique violation. */
const RETRIED = new Set(['40001', '40P01', '23505']);
const ATTEMPTS = 8;
// PostgreSQL's limit is 65 535 parameters a statement.
const MAX_PARAMS = 30_000;

interface TicketState {
  version: number;
  holder: string | null;
  /** Whether the ticket existed before the batch. */
  readonly stored: boolean;
}

interface AgentState {
  load: number;
  assigned: number;
  lastSequence: number;
  /** Router assignments of this batch: the last one's ordinal; its sequence is taken at the end. */
  lastOrdinal: number;
  lastAssignedAt: number | null;
  readonly inserted: boolean;
  touched: boolean;
}

interface CustomerState {
  lastAgentId: string | null;
  npsAskedAt: number | null;
  touched: boolean;
}

const json = (value: unknown) => JSON.stringify(value);
const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/**
 * Runs a statement over rows bound as `$n` parameters (`VALUES (...), (...)` in place of
 * `{values}`), in chunks below PostgreSQL's parameter limit; returns every chunk's rows.
 */
async function withValues(
  tx: SqlExecutor,
  sql: string,
  rows: readonly (readonly unknown[])[],
  casts: readonly string[],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const width = rows[0]?.length ?? 1;
  const per = Math.max(1, Math.floor(MAX_PARAMS / width));
  const out: Record<string, unknown>[] = [];
  for (let start = 0; start < rows.length; start += per) {
    const params: unknown[] = [];
    const values = rows.slice(start, start + per).map(
      (row) =>
        `(${row
          .map((value, i) => {
            params.push(value);
            return `$${params.length}${casts[i] ?? ''}`;
          })
          .join(', ')})`,
    );
    out.push(...(await tx.query(sql.replace('{values}', values.join(', ')), params)).rows);
  }
  return out;
}

/**
 * The store's save path over tables `t`: every request of a batch checked and encoded first
 * (a malformed one throws and nothing is written), then one transaction that locks what the
 * batch reads (its tickets, the agents whose slots may move, the customers whose state may
 * change), decides each request in order against that state as one-by-one saves would, and
 * writes what was accepted with one multi-row statement per table.
 */
export function createSaver(client: SqlClient, t: Tables) {
  const decideAndWrite = async (
    tx: SqlExecutor,
    batch: readonly Prepared[],
    atomic: boolean,
  ): Promise<readonly SaveResult[]> => {
    const ids = [...new Set(batch.map((p) => p.ticketId))].sort(codePointOrder);
    // 1. The batch's tickets, locked in id order (two batches sharing tickets take them in one order).
    const found = await tx.query(
      `SELECT ticket_id, version, holder FROM ${t.tickets}
       WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb))
       ORDER BY ticket_id FOR UPDATE`,
      [json(ids)],
    );
    const tickets = new Map<string, TicketState>();
    for (const row of found.rows) {
      tickets.set(String(row.ticket_id), {
        version: num(row.version),
        holder: row.holder === null ? null : String(row.holder),
        stored: true,
      });
    }

    // 2. Which of the router's assignments the log holds already (a repeated event counts once).
    const logged = new Set<string>();
    const routedPairs = batch.flatMap((p) =>
      tickets.has(p.ticketId) ? p.routed.map(([eventId]) => [p.ticketId, eventId]) : [],
    );
    if (routedPairs.length > 0) {
      const { rows } = await tx.query(
        `SELECT ticket_id, event_id FROM ${t.events}
         WHERE (ticket_id, event_id) IN (SELECT x->>0, x->>1 FROM jsonb_array_elements($1::jsonb) AS x)`,
        [json(routedPairs)],
      );
      for (const row of rows) logged.add(json([String(row.ticket_id), String(row.event_id)]));
    }

    // 3. The keys new tickets would open with: held already means `external_id_taken`.
    const held = new Set<string>();
    const opening = [
      ...new Set(
        batch.flatMap((p) => (!tickets.has(p.ticketId) && p.externalId !== null ? [p.externalId] : [])),
      ),
    ];
    if (opening.length > 0) {
      const { rows } = await tx.query(
        `SELECT key FROM ${t.messageKeys} WHERE key IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        [json(opening)],
      );
      for (const row of rows) held.add(String(row.key));
    }

    // 4. The agents whose load may move or whom the router assigns: rows created when missing
    // and locked (in id order), so no two batches can both fill an agent's last slot.
    const agentIds = new Set<string>();
    const holders = new Map<string, Set<string | null>>();
    for (const p of batch) {
      let set = holders.get(p.ticketId);
      if (!set) {
        set = new Set([tickets.get(p.ticketId)?.holder ?? null]);
        holders.set(p.ticketId, set);
      }
      set.add(p.holder);
      for (const [, agentId] of p.routed) agentIds.add(agentId);
    }
    for (const set of holders.values()) {
      if (set.size > 1) for (const agentId of set) if (agentId !== null) agentIds.add(agentId);
    }
    const agents = new Map<string, AgentState>();
    if (agentIds.size > 0) {
      const { rows } = await tx.query(
        `INSERT INTO ${t.agents} AS a (agent_id)
         SELECT id FROM jsonb_array_elements_text($1::jsonb) AS x(id) ORDER BY id COLLATE "C"
         ON CONFLICT (agent_id) DO UPDATE SET load = a.load
         RETURNING agent_id, load, assigned, last_sequence, last_assigned_at, (xmax = 0) AS inserted`,
        [json([...agentIds].sort(codePointOrder))],
      );
      for (const row of rows) {
        agents.set(String(row.agent_id), {
          load: num(row.load),
          assigned: num(row.assigned),
          lastSequence: num(row.last_sequence),
          lastOrdinal: 0,
          lastAssignedAt: numOrNull(row.last_assigned_at),
          inserted: row.inserted === true,
          touched: false,
        });
      }
    }

    // 5. The customers asked for NPS or routed: created when missing and locked.
    const customerIds = [
      ...new Set(batch.flatMap((p) => (p.asked !== null || p.routed.length > 0 ? [p.customerId] : []))),
    ].sort(codePointOrder);
    const customers = new Map<string, CustomerState>();
    if (customerIds.length > 0) {
      const { rows } = await tx.query(
        `INSERT INTO ${t.customers} AS c (customer_id)
         SELECT id FROM jsonb_array_elements_text($1::jsonb) AS x(id) ORDER BY id COLLATE "C"
         ON CONFLICT (customer_id) DO UPDATE SET nps_asked_at = c.nps_asked_at
         RETURNING customer_id, last_agent_id, nps_asked_at`,
        [json(customerIds)],
      );
      for (const row of rows) {
        customers.set(String(row.customer_id), {
          lastAgentId: row.last_agent_id === null ? null : String(row.last_agent_id),
          npsAskedAt: numOrNull(row.nps_asked_at),
          touched: false,
        });
      }
    }

    // 6. Decide each request in order, as `save` one by one would.
    const agent = (agentId: string) => agents.get(agentId) as AgentState;
    const results: SaveResult[] = [];
    /** Accepted requests, in order. */
    const accepted: Prepared[] = [];
    const eventIds = new Map<string, Set<string>>();
    let ordinals = 0;
    for (const p of batch) {
      const state = tickets.get(p.ticketId);
      const current = state?.version ?? 0;
      if (current !== p.expectedVersion) {
        results.push({ ok: false, reason: 'version_conflict', version: current });
        continue;
      }
      if (!state && p.externalId !== null && held.has(p.externalId)) {
        results.push({ ok: false, reason: 'external_id_taken', version: 0 });
        continue;
      }
      const was = state?.holder ?? null;
      if (p.holder !== null && p.holder !== was && p.capacity !== undefined) {
        if (agent(p.holder).load >= p.capacity) {
          results.push({ ok: false, reason: 'agent_full', version: current, agentId: p.holder });
          continue;
        }
      }
      const customer = customers.get(p.customerId);
      const lastAsked = customer?.npsAskedAt ?? null;
      const newAsk = p.asked !== null && (lastAsked === null || p.asked > lastAsked);
      if (
        newAsk &&
        lastAsked !== null &&
        p.npsEveryMs !== undefined &&
        (p.asked as number) - lastAsked < p.npsEveryMs
      ) {
        results.push({ ok: false, reason: 'survey_throttled', version: current });
        continue;
      }
      // Accepted: apply it to the batch's state.
      results.push({ ok: true, version: current + 1 });
      accepted.push(p);
      if (state) {
        state.version = current + 1;
        state.holder = p.holder;
      } else {
        tickets.set(p.ticketId, { version: 1, holder: p.holder, stored: false });
        if (p.externalId !== null) held.add(p.externalId);
      }
      for (const key of p.keys) held.add(key);
      let ids = eventIds.get(p.ticketId);
      if (!ids) {
        ids = new Set();
        eventIds.set(p.ticketId, ids);
      }
      const fresh = new Set<string>();
      for (const [eventId] of p.events) {
        if (!ids.has(eventId)) fresh.add(eventId);
        ids.add(eventId);
      }
      for (const [eventId, agentId, at] of p.routed) {
        if (!fresh.has(eventId) || logged.has(json([p.ticketId, eventId]))) continue;
        fresh.delete(eventId);
        const row = agent(agentId);
        row.assigned += 1;
        row.lastOrdinal = ++ordinals;
        row.lastAssignedAt = at;
        row.touched = true;
        const c = customers.get(p.customerId) as CustomerState;
        c.lastAgentId = agentId;
        c.touched = true;
      }
      if (newAsk && customer) {
        customer.npsAskedAt = p.asked;
        customer.touched = true;
      }
      if (was !== p.holder) {
        if (was !== null) {
          agent(was).load -= 1;
          agent(was).touched = true;
        }
        if (p.holder !== null) {
          agent(p.holder).load += 1;
          agent(p.holder).touched = true;
        }
      }
    }

    // An atomic batch with a refused request: nothing is written (the rows locked or created only
    // to be locked go with the rollback), each refusal is reported, the others `batch_refused`.
    if (atomic && accepted.length < batch.length) {
      const stored = new Map(found.rows.map((row) => [String(row.ticket_id), num(row.version)]));
      throw new AtomicRefusal(
        results.map((r, i) =>
          r.ok
            ? {
                ok: false,
                reason: 'batch_refused',
                version: stored.get((batch[i] as Prepared).ticketId) ?? 0,
              }
            : r,
        ),
      );
    }

    // 7. Write what was accepted: one statement per table.
    const last = new Map<string, Prepared>();
    const first = new Map<string, Prepared>();
    for (const p of accepted) {
      last.set(p.ticketId, p);
      if (!first.has(p.ticketId)) first.set(p.ticketId, p);
    }
    const created: (readonly unknown[])[] = [];
    const updated: (readonly unknown[])[] = [];
    for (const [ticketId, opener] of first) {
      const state = tickets.get(ticketId) as TicketState;
      const p = last.get(ticketId) as Prepared;
      const columns = [
        p.workflowKey,
        p.dueAt,
        p.customerId,
        p.snapshot,
        p.holder,
        p.waitingSince,
        p.openedAt,
        p.lastEventAt,
      ];
      if (state.stored) {
        // The version the batch found (the state's minus this batch's accepted saves).
        const saves = accepted.filter((a) => a.ticketId === ticketId).length;
        updated.push([ticketId, state.version - saves, state.version, ...columns]);
      } else {
        created.push([ticketId, state.version, opener.externalId, ...columns]);
      }
    }
    if (created.length > 0) {
      const rows = await withValues(
        tx,
        `INSERT INTO ${t.tickets} (ticket_id, version, external_id, workflow_key, due_at, customer_id,
           snapshot, holder, waiting_since, opened_at, last_event_at)
         VALUES {values} ON CONFLICT DO NOTHING RETURNING ticket_id`,
        created,
        ['', '::integer', '', '', '::bigint', '', '::json', '', '::float8', '::float8', '::float8'],
      );
      // Another transaction created one of these tickets (or took its external id) meanwhile.
      if (rows.length !== created.length) throw new LostRace();
    }
    if (updated.length > 0) {
      const rows = await withValues(
        tx,
        `UPDATE ${t.tickets} AS k SET version = v.version, workflow_key = v.workflow_key,
           due_at = v.due_at, customer_id = v.customer_id, snapshot = v.snapshot, holder = v.holder,
           waiting_since = v.waiting_since, opened_at = v.opened_at, last_event_at = v.last_event_at,
           claim_owner = NULL, claim_until = NULL
         FROM (VALUES {values}) AS v(ticket_id, expected, version, workflow_key, due_at, customer_id,
           snapshot, holder, waiting_since, opened_at, last_event_at)
         WHERE k.ticket_id = v.ticket_id AND k.version = v.expected RETURNING k.ticket_id`,
        updated,
        [
          '::text',
          '::integer',
          '::integer',
          '::text',
          '::bigint',
          '::text',
          '::json',
          '::text',
          '::float8',
          '::float8',
          '::float8',
        ],
      );
      if (rows.length !== updated.length) throw new LostRace();
    }
    const eventRows: (readonly unknown[])[] = [];
    const seenEvents = new Set<string>();
    for (const p of accepted) {
      for (const [eventId, type, at, text] of p.events) {
        const key = json([p.ticketId, eventId]);
        if (seenEvents.has(key)) continue;
        seenEvents.add(key);
        eventRows.push([p.ticketId, eventId, type, at, text]);
      }
    }
    await withValues(
      tx,
      `INSERT INTO ${t.events} (ticket_id, event_id, type, at, event) VALUES {values}
       ON CONFLICT (ticket_id, event_id) DO NOTHING`,
      eventRows,
      ['', '', '', '', '::jsonb'],
    );
    // Keys: the first accepted request naming a key wins it within the batch; sorted, so that
    // two batches inserting the same keys take their locks in one order.
    const keyOwner = new Map<string, string>();
    for (const p of accepted) {
      if (!tickets.get(p.ticketId)?.stored && p === first.get(p.ticketId) && p.externalId !== null) {
        if (!keyOwner.has(p.externalId)) keyOwner.set(p.externalId, p.ticketId);
      }
      for (const key of p.keys) if (!keyOwner.has(key)) keyOwner.set(key, p.ticketId);
    }
    const keyRows = [...keyOwner].sort((a, b) => codePointOrder(a[0], b[0]));
    const inserted = new Set(
      (
        await withValues(
          tx,
          `INSERT INTO ${t.messageKeys} (key, ticket_id) VALUES {values}
           ON CONFLICT (key) DO NOTHING RETURNING key`,
          keyRows,
          ['', ''],
        )
      ).map((row) => String(row.key)),
    );
    for (const [ticketId, opener] of first) {
      const stored = tickets.get(ticketId)?.stored;
      // A new ticket's own key was taken by another transaction since step 3.
      if (!stored && opener.externalId !== null && !inserted.has(opener.externalId)) throw new LostRace();
    }
    const effectRows: (readonly unknown[])[] = [];
    const seenEffects = new Set<string>();
    for (const p of accepted) {
      for (const [id, type, causedBy, text] of p.effects) {
        if (seenEffects.has(id)) continue;
        seenEffects.add(id);
        effectRows.push([p.ticketId, id, type, causedBy, text]);
      }
    }
    await withValues(
      tx,
      `INSERT INTO ${t.outbox} (ticket_id, effect_id, type, caused_by, effect) VALUES {values}
       ON CONFLICT (effect_id) DO NOTHING`,
      effectRows,
      ['', '', '', '', '::jsonb'],
    );
    // The router's sequence numbers, in the order of the batch's assignments.
    let sequence: number[] = [];
    if (ordinals > 0) {
      const { rows } = await tx.query(
        `SELECT nextval('${t.routerSequence}') AS n FROM generate_series(1, $1::integer)`,
        [ordinals],
      );
      sequence = rows.map((row) => num(row.n)).sort((a, b) => a - b);
    }
    const agentRows: (readonly unknown[])[] = [];
    const untouched: string[] = [];
    for (const [agentId, row] of agents) {
      if (row.touched) {
        const lastSequence =
          row.lastOrdinal > 0 ? (sequence[row.lastOrdinal - 1] as number) : row.lastSequence;
        agentRows.push([agentId, row.load, row.assigned, lastSequence, row.lastAssignedAt]);
      } else if (row.inserted) untouched.push(agentId);
    }
    await withValues(
      tx,
      `UPDATE ${t.agents} AS a SET load = v.load, assigned = v.assigned, last_sequence = v.last_sequence,
         last_assigned_at = v.last_assigned_at
       FROM (VALUES {values}) AS v(agent_id, load, assigned, last_sequence, last_assigned_at)
       WHERE a.agent_id = v.agent_id`,
      agentRows,
      ['::text', '::integer', '::integer', '::bigint', '::float8'],
    );
    if (untouched.length > 0) {
      // Created only to be locked (an agent refused for capacity, a refused router assignment):
      // the store lists only agents who held a ticket or were assigned.
      await tx.query(
        `DELETE FROM ${t.agents} WHERE agent_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        [json(untouched)],
      );
    }
    const customerRows = [...customers]
      .filter(([, c]) => c.touched)
      .map(([customerId, c]) => [customerId, c.lastAgentId, c.npsAskedAt]);
    await withValues(
      tx,
      `UPDATE ${t.customers} AS c SET last_agent_id = v.last_agent_id, nps_asked_at = v.nps_asked_at
       FROM (VALUES {values}) AS v(customer_id, last_agent_id, nps_asked_at)
       WHERE c.customer_id = v.customer_id`,
      customerRows,
      ['::text', '::text', '::float8'],
    );
    return results;
  };

  return async (
    requests: readonly SaveRequest[],
    options: SaveOptions = {},
    operation = 'saveMany',
  ): Promise<readonly SaveResult[]> => {
    if (requests.length === 0) return [];
    const batch = requests.map((request) => prepare(request, options.trusted === true));
    const what =
      batch.length === 1
        ? `save ticket ${batch[0]?.ticketId} over version ${batch[0]?.expectedVersion}`
        : `save a batch of ${batch.length} writes`;
    const ticketId = batch.length === 1 ? (batch[0]?.ticketId ?? null) : null;
    const fast = plainUpdates(batch);
    for (let attempt = 1; ; attempt++) {
      try {
        if (fast && attempt === 1 && (await writePlainUpdates(client, t, batch))) {
          return batch.map((p) => ({ ok: true, version: p.expectedVersion + 1 }));
        }
        return await client.transaction((tx) => decideAndWrite(tx, batch, options.atomic === true));
      } catch (error) {
        if (error instanceof AtomicRefusal) return error.results;
        const code = (error as { code?: unknown } | null)?.code;
        const retry = error instanceof LostRace || (typeof code === 'string' && RETRIED.has(code));
        if (retry && attempt < ATTEMPTS) continue;
        if (error instanceof CarekitError) throw error;
        throw new CarekitStoreError(operation, what, error, ticketId);
      }
    }
  };
}

/** Thrown inside the transaction of an atomic batch with a refused request, so that it rolls back. */
class AtomicRefusal extends Error {
  constructor(readonly results: readonly SaveResult[]) {
    super('an atomic batch had a refused request; nothing was written');
  }
}

/**
 * Whether a batch may take the one-statement path: every request updates a ticket it expects to
 * exist (no new ticket, so no opening key), names no message key and no router assignment, and
 * no ticket comes twice. Such requests cannot affect one another's decisions: each touches only
 * its own ticket row, log and outbox rows.
 */
function plainUpdates(batch: readonly Prepared[]): boolean {
  const seen = new Set<string>();
  for (const p of batch) {
    if (p.expectedVersion <= 0 || p.routed.length > 0 || p.keys.length > 0 || seen.has(p.ticketId)) {
      return false;
    }
    seen.add(p.ticketId);
  }
  return true;
}

/**
 * The common save in one statement (one round trip, its own transaction): a batch of
 * {@link plainUpdates} written whole when every request would be accepted as one-by-one saves
 * decide it (the version expected, the holder unchanged, so no slot moves and no capacity is
 * checked, and no new NPS ask, so no throttle is checked: the customer's last ask, which only
 * grows, is at or after the snapshot's), and not at all otherwise: the tickets are locked in id
 * order and counted first, and every write is conditional on the count. False when it wrote
 * nothing; the caller then decides the batch in a transaction.
 */
async function writePlainUpdates(client: SqlClient, t: Tables, batch: readonly Prepared[]): Promise<boolean> {
  // The tickets go as one array literal a column (unnested by the statement): the snapshots reach
  // the json column as the text given, where a jsonb document around them had PostgreSQL parse
  // every snapshot twice (the document, then each record's field).
  const n = batch.length;
  const ids: string[] = new Array(n);
  const expected: number[] = new Array(n);
  const workflowKeys: string[] = new Array(n);
  const dueAts: (number | null)[] = new Array(n);
  const customerIds: string[] = new Array(n);
  const snapshots: string[] = new Array(n);
  const holders: (string | null)[] = new Array(n);
  const waitingSince: (number | null)[] = new Array(n);
  const openedAts: (number | null)[] = new Array(n);
  const lastEventAts: (number | null)[] = new Array(n);
  const asked: (number | null)[] = new Array(n);
  const events: string[] = [];
  const effects: string[] = [];
  const seenEffects = new Set<string>();
  for (let i = 0; i < n; i++) {
    const p = batch[i] as Prepared;
    ids[i] = p.ticketId;
    expected[i] = p.expectedVersion;
    workflowKeys[i] = p.workflowKey;
    dueAts[i] = p.dueAt;
    customerIds[i] = p.customerId;
    snapshots[i] = p.snapshot;
    holders[i] = p.holder;
    waitingSince[i] = p.waitingSince;
    openedAts[i] = p.openedAt;
    lastEventAts[i] = p.lastEventAt;
    asked[i] = p.asked;
    const seenEvents = new Set<string>();
    for (const [eventId, type, at, text] of p.events) {
      if (seenEvents.has(eventId)) continue;
      seenEvents.add(eventId);
      events.push(
        `{"o":${events.length},"ticket_id":${json(p.ticketId)},"event_id":${json(eventId)},"type":${json(type)},"at":${at},"event":${text}}`,
      );
    }
    for (const [id, type, causedBy, text] of p.effects) {
      if (seenEffects.has(id)) continue;
      seenEffects.add(id);
      effects.push(
        `{"o":${effects.length},"ticket_id":${json(p.ticketId)},"effect_id":${json(id)},"type":${json(type)},"caused_by":${json(causedBy)},"effect":${text}}`,
      );
    }
  }
  const { sql, name } = plainUpdateStatement(t);
  const { rows: answer } = await client.query(
    sql,
    [
      arrayLiteral(ids),
      arrayLiteral(expected),
      arrayLiteral(workflowKeys),
      arrayLiteral(dueAts),
      arrayLiteral(customerIds),
      jsonTextArrayLiteral(snapshots),
      arrayLiteral(holders),
      arrayLiteral(waitingSince),
      arrayLiteral(openedAts),
      arrayLiteral(lastEventAts),
      arrayLiteral(asked),
      `[${events.join(',')}]`,
      `[${effects.join(',')}]`,
      n,
    ],
    { name },
  );
  const ok = answer[0]?.ok === true;
  if (ok && num(answer[0]?.updated) !== batch.length) {
    // Cannot happen (the rows counted are locked by this statement): say so rather than guess.
    throw new Error(
      `the one-statement save counted ${batch.length} tickets but updated ${answer[0]?.updated}`,
    );
  }
  return ok;
}

/**
 * A PostgreSQL array literal (`{"a",NULL,3}`) of texts or numbers, bound as one text parameter
 * and cast in the statement (`$1::text[]`): every driver binds a string the same way. A number
 * JSON cannot write (NaN, an infinity) goes as NULL, as the JSON it replaces wrote it.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ',';
    if (value === null || value === undefined) out += 'NULL';
    else if (typeof value === 'number') out += Number.isFinite(value) ? String(value) : 'NULL';
    else out += `"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

/**
 * {@link arrayLiteral} of JSON texts as `toJsonb` writes them, quoted by `JSON.stringify` (several
 * times faster than the regular expression over a snapshot's many quotes). Equal to the general
 * quoting for such a text: JSON.stringify writes no raw control character and no lone surrogate
 * (it escapes them as `\uXXXX`), so quoting it again escapes only its `"` and `\`, which is
 * what an array literal's element needs.
 */
export function jsonTextArrayLiteral(texts: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) out += ',';
    out += JSON.stringify(texts[i]);
  }
  return `${out}}`;
}

const plainUpdateStatements = new WeakMap<Tables, { readonly sql: string; readonly name: string }>();

/**
 * The one-statement save's SQL for these tables (the same text every call, so a driver may keep
 * it prepared) and its name: `carekit_save_` and a hash of the text, which holds the schema.
 */
function plainUpdateStatement(t: Tables): { readonly sql: string; readonly name: string } {
  const known = plainUpdateStatements.get(t);
  if (known) return known;
  const sql = `WITH v AS MATERIALIZED (
       SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::bigint[], $5::text[],
         $6::json[], $7::text[], $8::float8[], $9::float8[], $10::float8[], $11::float8[])
         AS v(ticket_id, expected, workflow_key, due_at, customer_id, snapshot, holder,
         waiting_since, opened_at, last_event_at, asked)
     ), locked AS MATERIALIZED (
       SELECT k.ticket_id FROM ${t.tickets} AS k JOIN v ON k.ticket_id = v.ticket_id
       WHERE k.version = v.expected AND k.holder IS NOT DISTINCT FROM v.holder
         AND (v.asked IS NULL OR EXISTS (SELECT 1 FROM ${t.customers} AS c
               WHERE c.customer_id = v.customer_id AND c.nps_asked_at >= v.asked))
       ORDER BY k.ticket_id FOR UPDATE OF k
     ), whole AS MATERIALIZED (
       SELECT count(*) = $14::integer AS ok FROM locked
     ), upd AS (
       UPDATE ${t.tickets} AS k SET version = v.expected + 1, workflow_key = v.workflow_key,
         due_at = v.due_at, customer_id = v.customer_id, snapshot = v.snapshot, holder = v.holder,
         waiting_since = v.waiting_since, opened_at = v.opened_at, last_event_at = v.last_event_at,
         claim_owner = NULL, claim_until = NULL
       FROM v, whole
       WHERE whole.ok AND k.ticket_id = v.ticket_id AND k.version = v.expected
         AND k.ticket_id IN (SELECT ticket_id FROM locked)
       RETURNING k.ticket_id
     ), ev AS (
       INSERT INTO ${t.events} (ticket_id, event_id, type, at, event)
       SELECT e.ticket_id, e.event_id, e.type, e.at, e.event
       FROM jsonb_to_recordset($12::jsonb) AS e(o integer, ticket_id text, event_id text, type text,
         at bigint, event jsonb), whole
       WHERE whole.ok ORDER BY e.o
       ON CONFLICT (ticket_id, event_id) DO NOTHING
     ), ob AS (
       INSERT INTO ${t.outbox} (ticket_id, effect_id, type, caused_by, effect)
       SELECT f.ticket_id, f.effect_id, f.type, f.caused_by, f.effect
       FROM jsonb_to_recordset($13::jsonb) AS f(o integer, ticket_id text, effect_id text, type text,
         caused_by text, effect jsonb), whole
       WHERE whole.ok ORDER BY f.o
       ON CONFLICT (effect_id) DO NOTHING
     )
     SELECT whole.ok, (SELECT count(*) FROM upd) AS updated FROM whole`;
  const made = { sql, name: `carekit_save_${fnv1a(sql)}` };
  plainUpdateStatements.set(t, made);
  return made;
}

/** A 32-bit FNV-1a hash of a text, in hex (a statement's name, not a secret). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
