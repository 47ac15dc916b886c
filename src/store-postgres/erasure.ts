// Erasure, redaction and retention on PostgreSQL: the same rules as the memory store (the pure
// functions of `carekit/model`'s data protection), applied to the rows in one transaction.

import {
  checkErasureRequest,
  describeRetentionWhen,
  holdsMessage,
  personalValuesOf,
  planRedaction,
  redactEventFields,
  redactedMessageOf,
  redactPersonalData,
  retentionCutoff,
  retentionRuleId,
} from '../model/dataProtection.js';
import {
  CarekitError,
  type PersonalDataOptions,
  parseRetentionPolicy,
  REDACTED,
  type RetentionRule,
  type TicketEvent,
} from '../model/index.js';
import type {
  DeskEffect,
  ErasureOptions,
  ErasureRecord,
  ErasureResult,
  RetentionOptions,
  RetentionResult,
  TicketSnapshot,
  TicketStore,
} from '../workflows/index.js';
import { CarekitStoreError } from './CarekitStoreError.js';
import type { SqlClient, SqlExecutor } from './client.js';
import type { StoreErrorCode } from './errors.js';
import { fromJsonb, toJsonb } from './jsonb.js';
import { codePointOrder, storableText, unstorable } from './saveBatch.js';
import type { Tables } from './schema.js';

/** SQLSTATEs after which the transaction is run again: serialization failure, deadlock. */
const RETRIED = new Set(['40001', '40P01']);
const ATTEMPTS = 8;

const json = (value: unknown) => JSON.stringify(value);
/** A document as a value inside a JSON parameter (its jsonb form, which `fromJsonb` reads back). */
const doc = (value: unknown, what: string): unknown => JSON.parse(toJsonb(value, what));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

type DataProtection = Pick<TicketStore, 'eraseCustomer' | 'redact' | 'applyRetention' | 'erasures'>;

/**
 * The data-protection methods of the Postgres store over its tables.
 *
 * @internal
 */
export function createDataProtection(
  client: SqlClient,
  t: Tables,
  personal: PersonalDataOptions = {},
): DataProtection {
  const run = async <T>(
    operation: string,
    what: string,
    body: (tx: SqlExecutor) => Promise<T>,
  ): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.transaction(body);
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && RETRIED.has(code) && attempt < ATTEMPTS) continue;
        if (error instanceof CarekitError) throw error;
        throw new CarekitStoreError(operation, what, error, null);
      }
    }
  };

  /** Locks tickets in id order (the order saves lock in) and reads their versions and snapshots. */
  const lock = async (tx: SqlExecutor, ids: readonly string[]) => {
    const { rows } = await tx.query(
      `SELECT ticket_id, version, customer_id, snapshot FROM ${t.tickets}
       WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY ticket_id FOR UPDATE`,
      [json([...ids].sort(codePointOrder))],
    );
    return new Map(rows.map((row) => [String(row.ticket_id), row]));
  };

  /** Events of other tickets that copy messages of these tickets (merged or split away). */
  const copiesOf = async (tx: SqlExecutor, ids: readonly string[]) => {
    const { rows } = await tx.query(
      `SELECT seq, ticket_id, event FROM ${t.events}
       WHERE (type = 'message.moved'
              AND event->'message'->>'ticketId' IN (SELECT jsonb_array_elements_text($1::jsonb)))
          OR (type = 'ticket.opened'
              AND event->'splitFrom'->'message'->>'ticketId' IN (SELECT jsonb_array_elements_text($1::jsonb)))
       ORDER BY seq`,
      [json(ids)],
    );
    return rows;
  };

  const writeEvents = async (tx: SqlExecutor, changed: { seq: number; event: unknown }[]) => {
    if (changed.length === 0) return;
    await tx.query(
      `UPDATE ${t.events} AS e SET event = x.event
       FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, event jsonb) WHERE e.seq = x.seq`,
      [json(changed.map(({ seq, event }) => ({ seq, event: doc(event, `event ${seq}`) })))],
    );
  };

  /** Raises the versions of changed tickets (with their new snapshots) and marks anonymised ones. */
  const writeTickets = async (
    tx: SqlExecutor,
    changed: ReadonlyMap<string, unknown>,
    bumped: ReadonlySet<string>,
    anonymised: readonly string[],
  ) => {
    if (bumped.size > 0) {
      await tx.query(
        `UPDATE ${t.tickets} AS k SET snapshot = coalesce(x.snapshot, k.snapshot), version = k.version + 1
         FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id text, snapshot json)
         WHERE k.ticket_id = x.ticket_id`,
        [
          json(
            [...bumped].map((ticketId) => ({
              ticket_id: ticketId,
              snapshot: changed.has(ticketId)
                ? doc(changed.get(ticketId), `the snapshot of ${ticketId}`)
                : null,
            })),
          ),
        ],
      );
    }
    if (anonymised.length > 0) {
      await tx.query(
        `UPDATE ${t.tickets} SET anonymised_version = version
         WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        [json(anonymised)],
      );
    }
  };

  /**
   * Redacts the tickets' own events, snapshots and outbox rows, and the copies of their messages
   * in other tickets, inside `tx`; returns the tickets that changed (their versions went up).
   */
  const eraseIn = async (tx: SqlExecutor, own: readonly string[]): Promise<string[]> => {
    if (own.length === 0) return [];
    const mine = new Set(own);
    // The tickets holding copies are locked with the erased ones, in one id order.
    let copies = await copiesOf(tx, own);
    const holders = () => copies.map((row) => String(row.ticket_id)).filter((id) => !mine.has(id));
    const locked = await lock(tx, [...new Set([...own, ...holders()])]);
    copies = await copiesOf(tx, own);
    const late = holders().filter((id) => !locked.has(id));
    if (late.length > 0) for (const [id, row] of await lock(tx, late)) locked.set(id, row);

    const changedEvents: { seq: number; event: unknown }[] = [];
    const bumped = new Set<string>();
    const { rows: ownEvents } = await tx.query(
      `SELECT seq, ticket_id, event FROM ${t.events}
       WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY seq`,
      [json(own)],
    );
    // The customer's name, email, handle and phone, also scrubbed from the free text that is kept.
    const values = personalValuesOf([
      ...own.flatMap((id) => {
        const row = locked.get(id);
        return row ? [fromJsonb<TicketSnapshot>(row.snapshot)] : [];
      }),
      ...ownEvents
        .map((row) => fromJsonb<TicketEvent>(row.event))
        .filter((event) => event.type === 'ticket.opened'),
    ]);
    for (const row of ownEvents) {
      const event = fromJsonb<TicketEvent>(row.event);
      const next = redactPersonalData(event, 'event', personal, values);
      if (!same(next, event)) {
        changedEvents.push({ seq: Number(row.seq), event: next });
        bumped.add(String(row.ticket_id));
      }
    }
    for (const row of copies) {
      if (mine.has(String(row.ticket_id))) continue;
      const event = fromJsonb<Record<string, unknown>>(row.event);
      const next = redactEventFields(event, ['body']);
      if (!same(next, event)) {
        changedEvents.push({ seq: Number(row.seq), event: next });
        bumped.add(String(row.ticket_id));
      }
    }
    const snapshots = new Map<string, unknown>();
    for (const id of own) {
      const row = locked.get(id);
      if (!row) continue;
      const snapshot = fromJsonb<TicketSnapshot>(row.snapshot);
      const next = redactPersonalData(snapshot, 'snapshot', personal, values);
      if (!same(next, snapshot)) {
        snapshots.set(id, next);
        bumped.add(id);
      }
    }
    const { rows: outbox } = await tx.query(
      `SELECT id, ticket_id, effect FROM ${t.outbox}
       WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY id`,
      [json(own)],
    );
    const changedEffects: { id: number; effect: unknown }[] = [];
    for (const row of outbox) {
      const effect = fromJsonb<DeskEffect>(row.effect);
      const next = redactPersonalData(effect, 'effect', personal, values);
      if (!same(next, effect)) {
        changedEffects.push({ id: Number(row.id), effect: doc(next, `effect ${row.id}`) });
        bumped.add(String(row.ticket_id));
      }
    }
    await writeEvents(tx, changedEvents);
    if (changedEffects.length > 0) {
      await tx.query(
        `UPDATE ${t.outbox} AS o SET effect = x.effect
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, effect jsonb) WHERE o.id = x.id`,
        [json(changedEffects)],
      );
    }
    await writeTickets(
      tx,
      snapshots,
      bumped,
      own.filter((id) => locked.has(id)),
    );
    return [...bumped].sort(codePointOrder);
  };

  const audit = async (tx: SqlExecutor, entry: ErasureRecord): Promise<ErasureRecord> => {
    await tx.query(
      `INSERT INTO ${t.erasures} (action, customer_id, ticket_ids, event_id, fields, erased_by, reason, at)
       VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7, $8)`,
      [
        entry.action,
        entry.customerId,
        json(entry.ticketIds),
        entry.eventId,
        json(entry.fields),
        entry.by,
        entry.reason,
        entry.at,
      ],
    );
    return entry;
  };

  /** Deletes tickets with their events, effects and keys, and gives back the slots they held. */
  const deleteIn = async (tx: SqlExecutor, ids: readonly string[]) => {
    const list = json(ids);
    const { rows } = await tx.query(
      `DELETE FROM ${t.tickets} WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb))
       RETURNING holder`,
      [list],
    );
    const held = new Map<string, number>();
    for (const row of rows) {
      if (row.holder !== null && row.holder !== undefined) {
        held.set(String(row.holder), (held.get(String(row.holder)) ?? 0) + 1);
      }
    }
    for (const agentId of [...held.keys()].sort(codePointOrder)) {
      await tx.query(`UPDATE ${t.agents} SET load = load - $2 WHERE agent_id = $1`, [
        agentId,
        held.get(agentId),
      ]);
    }
    for (const table of [t.events, t.outbox, t.messageKeys]) {
      await tx.query(
        `DELETE FROM ${table} WHERE ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        [list],
      );
    }
  };

  /** The SQL condition of a retention rule over `tickets`, with its parameters from `$first` on. */
  const ruleCondition = (rule: RetentionRule, now: number, first: number) => {
    const params: unknown[] = [retentionCutoff(rule.when.olderThan, now)];
    // Its own column since migration 5 (kept by every save), read without opening the snapshot.
    const parts = [`last_event_at < $${first}::float8`];
    if (rule.when.status !== undefined) {
      params.push(json([rule.when.status].flat()));
      parts.push(
        `snapshot->>'status' IN (SELECT jsonb_array_elements_text($${first + params.length - 1}::jsonb))`,
      );
    }
    if (rule.when.tag !== undefined) {
      params.push(json([rule.when.tag]));
      parts.push(`(snapshot->'context'->'tags')::jsonb @> $${first + params.length - 1}::jsonb`);
    }
    if (rule.action === 'anonymise')
      parts.push('(anonymised_version IS NULL OR anonymised_version <> version)');
    return { sql: parts.join(' AND '), params };
  };

  return {
    async eraseCustomer(customerId, request: ErasureOptions): Promise<ErasureResult> {
      const at = checkErasureRequest(`eraseCustomer(${JSON.stringify(customerId)})`, request);
      if (typeof customerId !== 'string' || customerId === '') {
        throw new CarekitError<StoreErrorCode>(
          'invalid_erasure_request',
          'eraseCustomer needs a customer id (a non-empty string); nothing was erased',
        );
      }
      storableText(customerId, 'the customer id');
      storableText(request.by, 'who erases');
      storableText(request.reason, 'the reason of the erasure');
      return run('eraseCustomer', `erase customer ${customerId}`, async (tx) => {
        const ticketsOf = async () =>
          (
            await tx.query(`SELECT ticket_id FROM ${t.tickets} WHERE customer_id = $1`, [customerId])
          ).rows.map((row) => String(row.ticket_id));
        // A ticket that copies one of the customer's (a follow-up, a child) is saved together with a
        // conditional save of it, so once its lock is ours the copy is committed and visible to
        // the next statement: read the list again under the locks until it stops growing.
        let own = await ticketsOf();
        for (let round = 0; own.length > 0 && round < 100; round++) {
          await lock(tx, own);
          const known = new Set(own);
          const late = (await ticketsOf()).filter((id) => !known.has(id));
          if (late.length === 0) break;
          own = [...own, ...late];
        }
        const ticketIds = await eraseIn(tx, own);
        const record = await audit(tx, {
          action: 'erase',
          customerId,
          ticketIds,
          eventId: null,
          fields: [],
          by: request.by,
          reason: request.reason,
          at,
        });
        return { ticketIds, record };
      });
    },

    async redact(ticketId, eventId, fields, request) {
      const at = checkErasureRequest(
        `redact(${JSON.stringify(ticketId)}, ${JSON.stringify(eventId)})`,
        request,
      );
      if (!Array.isArray(fields) || fields.length === 0) {
        throw new CarekitError<StoreErrorCode>(
          'unredactable_field',
          `redact needs the parts to remove (like ['body']); nothing was changed`,
        );
      }
      storableText(request.by, 'who redacts');
      storableText(request.reason, 'the reason of the redaction');
      const unknown = () =>
        new CarekitError<StoreErrorCode>(
          'unknown_event',
          `ticket ${ticketId} has no stored event ${eventId} to redact; nothing was changed`,
        );
      if (
        typeof ticketId !== 'string' ||
        typeof eventId !== 'string' ||
        unstorable(ticketId) ||
        unstorable(eventId)
      ) {
        throw unknown();
      }
      return run('redact', `redact event ${eventId} of ticket ${ticketId}`, async (tx) => {
        const body = fields.includes('body');
        // The message the body belongs to (a follow-up's opening: the message it was opened from),
        // read before the locks; an event's identity never changes.
        const { rows: found } = await tx.query(
          `SELECT e.event, k.customer_id FROM ${t.events} e JOIN ${t.tickets} k ON k.ticket_id = e.ticket_id
           WHERE e.ticket_id = $1 AND e.event->>'id' = $2 LIMIT 1`,
          [ticketId, eventId],
        );
        const target = found[0];
        const redacted = target ? fromJsonb<TicketEvent & { body?: unknown }>(target.event) : null;
        const ref = redacted ? redactedMessageOf(redacted) : { ticketId, eventId };
        const text = typeof redacted?.body === 'string' ? redacted.body : undefined;
        // The copies of the message in other tickets are locked with the ticket, in one id order:
        // moved and split copies, the message itself, and a follow-up opened from it (one of the
        // same customer's tickets, found through their index).
        const copyRows = async () =>
          (
            await tx.query(
              `SELECT seq, ticket_id, event FROM ${t.events}
               WHERE (type = 'message.moved' AND event->'message'->>'ticketId' = $1
                      AND event->'message'->>'eventId' = $2)
                  OR (type = 'ticket.opened' AND event->'splitFrom'->'message'->>'ticketId' = $1
                      AND event->'splitFrom'->'message'->>'eventId' = $2)
                  OR (ticket_id = $1 AND event->>'id' = $2)
                  OR (type = 'ticket.opened' AND event ? 'followUpOf'
                      AND ticket_id IN (SELECT ticket_id FROM ${t.tickets} WHERE customer_id = $3))
               ORDER BY seq`,
              [ref.ticketId, ref.eventId, target ? String(target.customer_id) : ''],
            )
          ).rows.filter((row) => holdsMessage(fromJsonb<TicketEvent>(row.event), ref, text));
        const before = body ? await copyRows() : [];
        const locked = await lock(tx, [
          ...new Set([ticketId, ...before.map((row) => String(row.ticket_id))]),
        ]);
        const ticket = locked.get(ticketId);
        if (!ticket) throw unknown();
        const { rows: log } = await tx.query(
          `SELECT seq, event FROM ${t.events} WHERE ticket_id = $1 ORDER BY seq`,
          [ticketId],
        );
        const events = log.map((row) => fromJsonb<TicketEvent>(row.event));
        const position = events.findIndex((event) => event.id === eventId);
        if (position < 0) throw unknown();
        const snapshot = fromJsonb<TicketSnapshot>(ticket.snapshot);
        const plan = planRedaction(events, position, fields, snapshot);
        const changedEvents: { seq: number; event: unknown }[] = [];
        const bumped = new Set<string>();
        if (!same(plan.event, events[position])) {
          changedEvents.push({ seq: Number(log[position]?.seq), event: plan.event });
          bumped.add(ticketId);
        }
        const snapshots = new Map<string, unknown>();
        if (!same(plan.snapshot, snapshot)) {
          snapshots.set(ticketId, plan.snapshot);
          bumped.add(ticketId);
        }
        if (body) {
          for (const row of await copyRows()) {
            if (String(row.ticket_id) === ticketId && Number(row.seq) === Number(log[position]?.seq))
              continue;
            const event = fromJsonb<Record<string, unknown>>(row.event);
            const next = redactEventFields(event, ['body']);
            if (same(next, event)) continue;
            if (!locked.has(String(row.ticket_id))) {
              for (const [id, r] of await lock(tx, [String(row.ticket_id)])) locked.set(id, r);
            }
            changedEvents.push({ seq: Number(row.seq), event: next });
            bumped.add(String(row.ticket_id));
          }
          const { rows: followUps } = await tx.query(
            `SELECT id, effect FROM ${t.outbox} WHERE ticket_id = $1 AND caused_by = $2 AND type = 'open_follow_up'`,
            [ref.ticketId, ref.eventId],
          );
          const changedEffects = followUps
            .map((row) => ({ id: Number(row.id), effect: fromJsonb<{ body?: string }>(row.effect) }))
            .filter(
              ({ effect }) =>
                typeof effect.body === 'string' && effect.body !== '' && effect.body !== REDACTED,
            )
            .map(({ id, effect }) => ({ id, effect: doc({ ...effect, body: REDACTED }, `effect ${id}`) }));
          if (changedEffects.length > 0) {
            await tx.query(
              `UPDATE ${t.outbox} AS o SET effect = x.effect
               FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, effect jsonb) WHERE o.id = x.id`,
              [json(changedEffects)],
            );
            if (!locked.has(ref.ticketId)) {
              for (const [id, r] of await lock(tx, [ref.ticketId])) locked.set(id, r);
            }
            bumped.add(ref.ticketId);
          }
        }
        await writeEvents(tx, changedEvents);
        await writeTickets(tx, snapshots, bumped, []);
        const ticketIds = [...bumped].sort(codePointOrder);
        const record = await audit(tx, {
          action: 'redact',
          customerId: String(ticket.customer_id),
          ticketIds,
          eventId,
          fields: [...fields],
          by: request.by,
          reason: request.reason,
          at,
        });
        return { ticketIds, record };
      });
    },

    async applyRetention(input, now, retention: RetentionOptions = {}): Promise<RetentionResult> {
      const policy = parseRetentionPolicy(input);
      if (!Number.isSafeInteger(now)) {
        throw new CarekitError<StoreErrorCode>(
          'invalid_erasure_request',
          `applyRetention needs now in epoch milliseconds, got ${now}`,
        );
      }
      const size = Math.max(1, Math.floor(retention.batchSize ?? 100));
      const by = storableText(retention.owner ?? 'retention', 'the owner of a retention run');
      let anonymised = 0;
      let deleted = 0;
      let batches = 0;
      for (const [i, rule] of policy.rules.entries()) {
        const ruleId = retentionRuleId(rule, i);
        const reason = `retention rule ${ruleId}: ${rule.action} ${describeRetentionWhen(rule.when)}`;
        for (;;) {
          const done = await run('applyRetention', `apply retention rule ${ruleId}`, async (tx) => {
            const condition = ruleCondition(rule, now, 2);
            // Tickets another worker holds (locked in its batch) are skipped, not waited for.
            const { rows } = await tx.query(
              `SELECT ticket_id, customer_id FROM ${t.tickets} WHERE ${condition.sql}
               ORDER BY ticket_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
              [size, ...condition.params],
            );
            const ids = rows.map((row) => String(row.ticket_id));
            if (ids.length === 0) return [];
            if (rule.action === 'delete') await deleteIn(tx, ids);
            else await eraseIn(tx, ids);
            for (const row of rows) {
              await audit(tx, {
                action: rule.action,
                customerId: String(row.customer_id),
                ticketIds: [String(row.ticket_id)],
                eventId: null,
                fields: [],
                by,
                reason,
                at: now,
              });
            }
            return ids;
          });
          if (done.length === 0) break;
          batches++;
          if (rule.action === 'delete') deleted += done.length;
          else anonymised += done.length;
          retention.onProgress?.({
            ruleId,
            action: rule.action,
            ticketIds: done,
            done: anonymised + deleted,
          });
        }
      }
      return { anonymised, deleted, batches };
    },

    async erasures() {
      try {
        const { rows } = await client.query(
          `SELECT action, customer_id, ticket_ids, event_id, fields, erased_by, reason, at
           FROM ${t.erasures} ORDER BY seq`,
        );
        return rows.map(
          (row): ErasureRecord => ({
            action: String(row.action) as ErasureRecord['action'],
            customerId: String(row.customer_id),
            ticketIds: fromJsonb<string[]>(row.ticket_ids),
            eventId: row.event_id === null ? null : String(row.event_id),
            fields: fromJsonb<string[]>(row.fields),
            by: String(row.erased_by),
            reason: String(row.reason),
            at: Number(row.at),
          }),
        );
      } catch (error) {
        throw new CarekitStoreError('erasures', 'read the erasure audit trail', error, null);
      }
    },
  };
}
