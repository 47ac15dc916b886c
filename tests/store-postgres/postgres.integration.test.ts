import type { InboundContactInput } from 'carekit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarekitError, CarekitValidationError, type TicketEvent } from '../../src/model/index.js';
import {
  CarekitStoreError,
  createPostgresStore,
  migrate,
  pgliteClient,
  pgPoolClient,
  SCHEMA_VERSION,
  type SqlClient,
} from '../../src/store-postgres/index.js';
import { migrateTo } from '../../src/store-postgres/migrate.js';
import {
  createDesk,
  createTicketWorkflow,
  type TicketSnapshot,
  type TicketWrite,
} from '../../src/workflows/index.js';
import { propertyRuns, slow } from '../support/runs.js';
import { failingClient, freshStore, pgliteAsPool, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const wf = createTicketWorkflow();
const opened = (ticketId: string) =>
  ({
    type: 'ticket.opened',
    id: `${ticketId}:opened`,
    ticketId,
    at: T0,
    channel: 'email',
    subject: 'Help',
    body: 'Where is my order?',
    customer: { id: `c-${ticketId}` },
  }) as const;
const write = (ticketId: string, extra: Partial<TicketWrite> = {}): TicketWrite => ({
  snapshot: wf.start(opened(ticketId)).snapshot,
  workflowKey: '(none)',
  dueAt: null,
  customerId: `c-${ticketId}`,
  externalId: null,
  events: [],
  ...extra,
});
const client = async () => pgliteClient(await sharedPglite());
const agents = [{ id: 'ana', name: 'Ana', capacity: 50 }];
const contact = (n: number): InboundContactInput => ({
  externalId: `mail-${n}`,
  channel: 'email',
  customer: { id: `c${n}`, name: 'Rui' },
  subject: 'Help',
  body: 'Where is my order?',
  at: T0 + n,
});

/** A client that counts the statements it runs. */
const counting = (inner: SqlClient) => failingClient(inner, 0);

/**
 * Updates one ticket as a save does when no indexed column moves (snapshot, version, last event
 * time) and counts, in the same transaction, the updates and the HOT ones it made.
 */
async function hotUpdates(db: SqlClient, schema: string, ticketId: string, snapshot: unknown, v5 = true) {
  return db.transaction(async (tx) => {
    const counts = async () => {
      const { rows } = await tx.query(
        `SELECT pg_stat_get_xact_tuples_updated('${schema}.tickets'::regclass)::int AS updated,
           pg_stat_get_xact_tuples_hot_updated('${schema}.tickets'::regclass)::int AS hot`,
      );
      return { updated: Number(rows[0]?.updated), hot: Number(rows[0]?.hot) };
    };
    const before = await counts();
    await tx.query(
      `UPDATE ${schema}.tickets SET version = version + 1, snapshot = $2::jsonb${v5 ? ', last_event_at = $3' : ''}
       WHERE ticket_id = $1`,
      v5 ? [ticketId, JSON.stringify(snapshot), T0 + 6] : [ticketId, JSON.stringify(snapshot)],
    );
    const after = await counts();
    return { updated: after.updated - before.updated, hot: after.hot - before.hot };
  });
}

describe('migrate', () => {
  it('applies each version once: a second run does nothing', async () => {
    const db = await client();
    expect(await migrate(db, { schema: 'mig_once' })).toEqual({
      applied: [1, 2, 3, 4, 5, 6],
      version: SCHEMA_VERSION,
    });
    expect(await migrate(db, { schema: 'mig_once' })).toEqual({ applied: [], version: SCHEMA_VERSION });
    const { rows } = await db.query('SELECT version, name FROM mig_once.schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: 'tickets, events, outbox, blocklist' },
      { version: 2, name: 'message keys, effect ids' },
      { version: 3, name: 'shared decisions: agent loads, customers, waiting list, due claims' },
      {
        version: 4,
        name: 'data protection: erasure audit, anonymised versions, indexes for erasure and retention',
      },
      {
        version: 5,
        name: 'cheaper saves: last event time in a column, unused indexes dropped, room for HOT updates',
      },
      { version: 6, name: 'snapshots kept as json text: a save stores the text it is given' },
    ]);
    expect(SCHEMA_VERSION).toBe(6);
  });

  it('upgrades a version 1 database holding data: keys from external ids, a unique id for every outbox row', async () => {
    const db = await client();
    const schema = 'mig_from_v1';
    expect(await migrateTo(db, { schema }, 1)).toEqual({ applied: [1], version: 1 });
    // What carekit wrote with the version 1 layout: tickets, and an outbox whose effects have
    // no id, a repeated id, an id, and a document stored as JSON text.
    const old = {
      type: 'notify',
      ticketId: 'T-1',
      at: T0,
      causedBy: 'x',
      to: 'lead',
      reason: 'sla_breach',
      message: 'm',
    };
    for (const [id, externalId] of [
      ['T-1', 'mail-1'],
      ['T-2', null],
    ] as const) {
      await db.query(
        `INSERT INTO ${schema}.tickets (ticket_id, version, workflow_key, due_at, customer_id, external_id, snapshot)
         VALUES ($1, 1, '(none)', NULL, 'c', $2, $3::jsonb)`,
        [id, externalId, JSON.stringify(write(id).snapshot)],
      );
    }
    const outbox = [
      old,
      old,
      { ...old, id: 'T-1/x/notify/0' },
      { ...old, id: 'T-1/x/notify/0' },
      JSON.stringify({ ...old, id: 'T-1/y/notify/0', message: 'a\u0000b' }),
    ];
    for (const effect of outbox) {
      await db.query(
        `INSERT INTO ${schema}.outbox (ticket_id, type, caused_by, effect) VALUES ('T-1', 'notify', 'x', $1::jsonb)`,
        [JSON.stringify(effect)],
      );
    }
    expect(await migrate(db, { schema })).toEqual({ applied: [2, 3, 4, 5, 6], version: 6 });
    const { rows } = await db.query(`SELECT id, effect_id FROM ${schema}.outbox ORDER BY id`);
    const ids = rows.map((row) => String(row.effect_id));
    expect(new Set(ids).size).toBe(outbox.length);
    expect(ids[2]).toBe('T-1/x/notify/0');
    expect(ids.filter((id) => id.startsWith('carekit-v1-outbox:'))).toHaveLength(4);
    const store = createPostgresStore(db, { schema });
    expect(await store.findByExternalId('mail-1')).toBe('T-1');
    const effects: unknown[] = [];
    for await (const effect of store.effects()) effects.push(effect);
    expect(effects.map((e) => (e as { id: string }).id)).toEqual(ids);
    expect(effects[4]).toEqual({ ...JSON.parse(outbox[4] as string), id: ids[4] });
    const claimed = await store.claimEffects('w', { now: T0 });
    expect(claimed.map((c) => c.effect.id)).toEqual(ids);
    // The upgraded database keeps the new rules: a taken external id, an effect id held before.
    expect(await store.save('T-3', 0, write('T-3', { externalId: 'mail-1' }))).toMatchObject({
      reason: 'external_id_taken',
    });
    expect(
      await store.save(
        'T-2',
        1,
        write('T-2', {
          messageKeys: ['mail-1', 'mail-2'],
          effects: [{ ...old, id: 'T-1/x/notify/0' } as never],
        }),
      ),
    ).toEqual({ ok: true, version: 2 });
    expect(await store.findByExternalId('mail-1')).toBe('T-1');
    expect(await store.findByExternalId('mail-2')).toBe('T-2');
    expect((await db.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`)).rows).toEqual([{ n: 5 }]);
  });

  it("upgrades a version 2 database: holders, loads, the waiting list, the router's memory and NPS asks backfilled", async () => {
    const db = await client();
    const schema = 'mig_from_v2';
    expect(await migrateTo(db, { schema }, 2)).toEqual({ applied: [1, 2], version: 2 });
    const shaped = (
      id: string,
      status: TicketSnapshot['status'],
      assigneeId: string | null,
      extra: object = {},
    ) => {
      const base = write(id).snapshot;
      return {
        ...base,
        status,
        context: {
          ...base.context,
          assigneeId,
          openedAt: T0 + id.charCodeAt(2),
          statusChangedAt: T0 + 100,
          ...extra,
        },
      };
    };
    const nps = (at: number) => ({
      survey: { ...write('x').snapshot.context.survey, kinds: ['nps'], requestedAt: at, status: 'requested' },
    });
    const rows: [string, string, unknown][] = [
      ['T-a', 'c1', shaped('T-a', 'open', 'ana')],
      ['T-b', 'c1', shaped('T-b', 'pending', 'ana', nps(T0 + 7))],
      ['T-c', 'c2', shaped('T-c', 'solved', 'bo', nps(T0 + 9))],
      ['T-d', 'c2', shaped('T-d', 'new', null)],
      ['T-e', 'c3', shaped('T-e', 'open', null)],
      ['T-f', 'c3', shaped('T-f', 'open', null, { queue: 'review' })],
      // A snapshot holding a NUL is stored as JSON text: SQL cannot read into it.
      ['T-g', 'c3', { ...shaped('T-g', 'on_hold', 'bo', nps(T0 + 3)), note: 'a\u0000b' }],
    ];
    for (const [id, customerId, snapshot] of rows) {
      await db.query(
        `INSERT INTO ${schema}.tickets (ticket_id, version, workflow_key, due_at, customer_id, external_id, snapshot)
         VALUES ($1, 1, '(none)', NULL, $2, NULL, $3::jsonb)`,
        [
          id,
          customerId,
          JSON.stringify(JSON.stringify(snapshot).includes('\\u0000') ? JSON.stringify(snapshot) : snapshot),
        ],
      );
    }
    const assigned = (ticketId: string, id: string, agentId: string, at: number, by = 'router') => ({
      type: 'ticket.assigned',
      id,
      ticketId,
      at,
      agentId,
      by,
    });
    const log = [
      assigned('T-a', 'r1', 'ana', T0 + 1),
      assigned('T-c', 'r1', 'bo', T0 + 2),
      assigned('T-b', 'r1', 'ana', T0 + 3),
      assigned('T-b', 'p1', 'bo', T0 + 4, 'lead'),
    ];
    for (const event of log) {
      await db.query(
        `INSERT INTO ${schema}.events (ticket_id, event_id, type, at, event) VALUES ($1, $2, $3, $4, $5::jsonb)`,
        [event.ticketId, event.id, event.type, event.at, JSON.stringify(event)],
      );
    }
    expect(await migrate(db, { schema })).toEqual({ applied: [3, 4, 5, 6], version: 6 });
    const store = createPostgresStore(db, { schema });
    expect(await store.agents()).toEqual([
      { agentId: 'ana', load: 2, assigned: 2, lastSequence: 3, lastAssignedAt: T0 + 3 },
      { agentId: 'bo', load: 1, assigned: 1, lastSequence: 2, lastAssignedAt: T0 + 2 },
    ]);
    expect(await store.customer('c1')).toEqual({ customerId: 'c1', lastAgentId: 'ana', npsAskedAt: T0 + 7 });
    expect(await store.customer('c2')).toEqual({ customerId: 'c2', lastAgentId: 'bo', npsAskedAt: T0 + 9 });
    expect(await store.customer('c3')).toEqual({ customerId: 'c3', lastAgentId: null, npsAskedAt: T0 + 3 });
    expect((await store.waiting()).map((t) => t.ticketId)).toEqual(['T-d', 'T-e']);
    const streamed: string[] = [];
    for await (const { ticket } of store.stream({ from: T0 + 'd'.charCodeAt(0) }))
      streamed.push(ticket.ticketId);
    expect(streamed).toEqual(['T-d', 'T-e', 'T-f', 'T-g']);
    // The upgraded store carries on: a slot given back, the router's next number after the log's.
    const solved = { ...(await store.load('T-g'))?.snapshot, status: 'solved' } as TicketSnapshot;
    expect(await store.save('T-g', 1, write('T-g', { snapshot: solved, customerId: 'c3' }))).toEqual({
      ok: true,
      version: 2,
    });
    const next = { ...shaped('T-e', 'open', 'bo') } as TicketSnapshot;
    expect(
      await store.save(
        'T-e',
        1,
        write('T-e', {
          snapshot: next,
          customerId: 'c3',
          capacity: 1,
          events: [assigned('T-e', 'r2', 'bo', T0 + 50) as never],
        }),
      ),
    ).toEqual({ ok: true, version: 2 });
    expect((await store.agents()).find((a) => a.agentId === 'bo')).toEqual({
      agentId: 'bo',
      load: 1,
      assigned: 2,
      lastSequence: 4,
      lastAssignedAt: T0 + 50,
    });
  });

  it('upgrades a version 4 database: last event times backfilled, retention reads them, saves can be HOT', async () => {
    const db = await client();
    const schema = 'mig_from_v4';
    expect(await migrateTo(db, { schema }, 4)).toEqual({ applied: [1, 2, 3, 4], version: 4 });
    const at = (id: string, lastEventAt: number) => {
      const base = write(id).snapshot;
      return { ...base, context: { ...base.context, lastEventAt } };
    };
    const DAY = 86_400_000;
    const rows: [string, unknown][] = [
      ['T-old', at('T-old', T0 - 400 * DAY)],
      ['T-new', at('T-new', T0 - DAY)],
      // Stored as JSON text (a NUL inside): SQL cannot read it, migration 5's TypeScript step does.
      ['T-text', { ...at('T-text', T0 - 500 * DAY), note: 'a\u0000b' }],
    ];
    for (const [id, snapshot] of rows) {
      const text = JSON.stringify(snapshot);
      await db.query(
        `INSERT INTO ${schema}.tickets (ticket_id, version, workflow_key, due_at, customer_id, external_id,
           snapshot, opened_at)
         VALUES ($1, 1, '(none)', NULL, $2, NULL, $3::jsonb, $4)`,
        [id, `c-${id}`, text.includes('\\u0000') ? JSON.stringify(text) : text, T0 - 600 * DAY],
      );
    }
    expect(await migrate(db, { schema })).toEqual({ applied: [5, 6], version: 6 });
    const { rows: lasts } = await db.query(
      `SELECT ticket_id, last_event_at FROM ${schema}.tickets ORDER BY ticket_id`,
    );
    expect(lasts.map((r) => [r.ticket_id, Number(r.last_event_at)])).toEqual([
      ['T-new', T0 - DAY],
      ['T-old', T0 - 400 * DAY],
      ['T-text', T0 - 500 * DAY],
    ]);
    const { rows: indexes } = await db.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
      [schema],
    );
    const names = indexes.map((r) => String(r.indexname));
    expect(names).not.toContain('tickets_last_event');
    expect(names).not.toContain('events_at');
    const { rows: options } = await db.query(
      `SELECT reloptions FROM pg_class WHERE oid = '${schema}.tickets'::regclass`,
    );
    expect(String(options[0]?.reloptions)).toContain('fillfactor=50');
    // Retention picks the idle tickets by the column (both the object and the text snapshot).
    const store = createPostgresStore(db, { schema });
    const policy = { rules: [{ when: { olderThan: 'P1Y' }, action: 'delete' as const }] };
    expect(await store.applyRetention(policy, T0)).toEqual({ anonymised: 0, deleted: 2, batches: 1 });
    expect((await db.query(`SELECT ticket_id FROM ${schema}.tickets`)).rows).toEqual([
      { ticket_id: 'T-new' },
    ]);
    // A save keeps the column, and one that moves no indexed column is a HOT update.
    const moved = at('T-new', T0 + 5) as TicketSnapshot;
    expect(await store.save('T-new', 1, write('T-new', { snapshot: moved, customerId: 'c-T-new' }))).toEqual({
      ok: true,
      version: 2,
    });
    const { rows: after } = await db.query(`SELECT last_event_at FROM ${schema}.tickets`);
    expect(Number(after[0]?.last_event_at)).toBe(T0 + 5);
    // What a save writes, changing only the snapshot, version and last event time: HOT now.
    expect(await hotUpdates(db, schema, 'T-new', at('T-new', T0 + 6))).toEqual({ updated: 1, hot: 1 });
  });

  it('made no save HOT in a version 4 database (the expression index over the snapshot)', async () => {
    const db = await client();
    const schema = 'mig_v4_not_hot';
    await migrateTo(db, { schema }, 4);
    const snapshot = write('T-1').snapshot;
    await db.query(
      `INSERT INTO ${schema}.tickets (ticket_id, version, workflow_key, due_at, customer_id, external_id,
         snapshot, opened_at) VALUES ('T-1', 1, '(none)', NULL, 'c', NULL, $1::jsonb, $2)`,
      [JSON.stringify(snapshot), T0],
    );
    const next = { ...snapshot, context: { ...snapshot.context, lastEventAt: T0 + 9 } };
    expect(await hotUpdates(db, schema, 'T-1', next, false)).toEqual({ updated: 1, hot: 0 });
  });

  it('upgrades a version 5 database: snapshots become json text, read back the same, saved and filtered as before', async () => {
    const db = await client();
    const schema = 'mig_from_v5';
    expect(await migrateTo(db, { schema }, 5)).toEqual({ applied: [1, 2, 3, 4, 5], version: 5 });
    const tagged = write('T-obj').snapshot;
    const object = {
      ...tagged,
      context: { ...tagged.context, tags: ['vip'], lastEventAt: T0 - 800 * 86_400_000 },
    };
    // Stored as JSON text (a NUL inside), as toJsonb writes what jsonb cannot hold.
    const text = { ...write('T-text').snapshot, note: 'a\u0000b' };
    for (const [id, snapshot] of [
      ['T-obj', object],
      ['T-text', text],
    ] as const) {
      const json = JSON.stringify(snapshot);
      await db.query(
        `INSERT INTO ${schema}.tickets (ticket_id, version, workflow_key, due_at, customer_id, external_id,
           snapshot, opened_at, last_event_at) VALUES ($1, 1, '(none)', NULL, $2, NULL, $3::jsonb, $4, $4)`,
        [id, `c-${id}`, json.includes('\\u0000') ? JSON.stringify(json) : json, T0 - 900 * 86_400_000],
      );
    }
    expect(await migrate(db, { schema })).toEqual({ applied: [6], version: 6 });
    const { rows: types } = await db.query(
      `SELECT data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'tickets'
         AND column_name = 'snapshot'`,
      [schema],
    );
    expect(types).toEqual([{ data_type: 'json' }]);
    const store = createPostgresStore(db, { schema });
    expect((await store.load('T-obj'))?.snapshot).toEqual(object);
    expect((await store.load('T-text'))?.snapshot).toEqual(text);
    // The one-statement save (two plain updates) and a lone save write json text that loads back.
    const next = (s: TicketSnapshot, at: number) => ({ ...s, context: { ...s.context, lastEventAt: at } });
    expect(
      await store.saveMany([
        {
          ticketId: 'T-obj',
          expectedVersion: 1,
          write: write('T-obj', { snapshot: next(object, T0 - 700 * 86_400_000), customerId: 'c-T-obj' }),
        },
        {
          ticketId: 'T-text',
          expectedVersion: 1,
          write: write('T-text', { snapshot: next(text, T0 + 1), customerId: 'c-T-text' }),
        },
      ]),
    ).toEqual([
      { ok: true, version: 2 },
      { ok: true, version: 2 },
    ]);
    expect((await store.load('T-text'))?.snapshot).toEqual(next(text, T0 + 1));
    const { rows: stored } = await db.query(
      `SELECT snapshot::text AS s FROM ${schema}.tickets WHERE ticket_id = 'T-obj'`,
    );
    // The text as the store wrote it (jsonb would have reordered and respaced it).
    expect(stored[0]?.s).toBe(JSON.stringify(next(object, T0 - 700 * 86_400_000)));
    // Retention's filters still read inside the snapshot: only the tagged, idle ticket goes.
    const policy = { rules: [{ when: { olderThan: 'P1Y', tag: 'vip' }, action: 'delete' as const }] };
    expect(await store.applyRetention(policy, T0)).toEqual({ anonymised: 0, deleted: 1, batches: 1 });
    expect((await db.query(`SELECT ticket_id FROM ${schema}.tickets`)).rows).toEqual([
      { ticket_id: 'T-text' },
    ]);
  });

  it('lets several processes start at once: one migrates, the others find it done', async () => {
    const db = pgPoolClient(pgliteAsPool(await sharedPglite()));
    const results = await Promise.all([1, 2, 3].map(() => migrate(db, { schema: 'mig_race' })));
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, SCHEMA_VERSION]);
  });

  it('refuses a schema migrated by a newer carekit, and a schema name that would need quoting', async () => {
    const db = await client();
    await migrate(db, { schema: 'mig_new' });
    await db.query(`INSERT INTO mig_new.schema_migrations (version, name) VALUES (99, 'from the future')`);
    await expect(migrate(db, { schema: 'mig_new' })).rejects.toMatchObject({ code: 'schema_too_new' });
    expect(() => createPostgresStore(db, { schema: 'x"; DROP TABLE y; --' })).toThrow(
      expect.objectContaining({ code: 'invalid_schema_name' }),
    );
  });

  it('uses the carekit schema by default', async () => {
    const db = await client();
    await migrate(db);
    const store = createPostgresStore(db);
    await store.save('T-1', 0, write('T-1'));
    const { rows } = await db.query('SELECT ticket_id FROM carekit.tickets');
    expect(rows).toEqual([{ ticket_id: 'T-1' }]);
  });
});

describe('documents as jsonb', () => {
  it('round-trips strings jsonb cannot hold (NUL, lone surrogates) and drops undefined properties as JSON does', async () => {
    const { store } = await freshStore();
    const snapshot = wf.start({ ...opened('T-1'), body: 'a\u0000b', subject: 'x\ud800y 😀' }).snapshot;
    const event = { ...opened('T-1'), body: 'a\u0000b', subject: 'x\ud800y 😀' } as TicketEvent;
    const withUndefined = { ...snapshot, context: { ...snapshot.context, language: undefined } } as never;
    await store.save('T-1', 0, write('T-1', { snapshot: withUndefined, events: [event] }));
    const loaded = (await store.load('T-1'))?.snapshot as TicketSnapshot;
    expect(loaded).toStrictEqual(JSON.parse(JSON.stringify(withUndefined)));
    expect('language' in loaded.context).toBe(false);
    expect(await store.ticketEvents('T-1')).toEqual([event]);
  });

  it.each([
    ['NaN', Number.NaN, 'context.sla is NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'context.sla is Infinity'],
    ['a Date', new Date(T0), 'context.sla is a Date object'],
    ['a Map', new Map(), 'context.sla is a Map object'],
    ['undefined in an array', [1, undefined], 'context.sla[1] is undefined'],
    ['a function', () => 1, 'context.sla is a function'],
    ['a bigint', 1n, 'context.sla is a bigint'],
  ])('refuses a snapshot holding %s before writing anything', async (_, value, where) => {
    const { store, client: inner, schema } = await freshStore();
    const counted = counting(inner);
    const pg = createPostgresStore(counted, { schema });
    const snapshot = write('T-1').snapshot;
    const bad = { ...snapshot, context: { ...snapshot.context, sla: value } } as TicketSnapshot;
    const error = await pg.save('T-1', 0, write('T-1', { snapshot: bad })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarekitError);
    expect(error).toMatchObject({ code: 'not_plain_json' });
    expect((error as Error).message).toContain(where);
    expect((error as Error).message).toContain('the snapshot of ticket T-1');
    expect(counted.count).toBe(0);
    expect(await store.load('T-1')).toBeNull();
  });

  it('refuses a snapshot that refers back to itself', async () => {
    const { store } = await freshStore();
    const snapshot = write('T-1').snapshot;
    const cyclic = { ...snapshot, context: { ...snapshot.context } } as TicketSnapshot & {
      context: { sla: unknown };
    };
    cyclic.context.sla = cyclic;
    await expect(store.save('T-1', 0, write('T-1', { snapshot: cyclic }))).rejects.toMatchObject({
      code: 'not_plain_json',
      message: expect.stringContaining('context.sla refers back to itself'),
    });
  });

  it('refuses ids PostgreSQL text cannot hold, and finds no ticket by such an id', async () => {
    const { store } = await freshStore();
    await expect(store.save('T-\u0000', 0, write('T-\u0000'))).rejects.toMatchObject({
      code: 'unstorable_text',
    });
    await expect(store.save('T-1', 0, write('T-1', { externalId: 'x\udc00' }))).rejects.toMatchObject({
      code: 'unstorable_text',
    });
    await expect(
      store.blocklist.add({ customerId: 'c1', reason: 'a\u0000', by: 'lead', at: T0 }),
    ).rejects.toMatchObject({ code: 'unstorable_text' });
    expect(await store.load('T-\u0000')).toBeNull();
    expect(await store.findByExternalId('\ud800')).toBeNull();
    expect(await store.ticketEvents('\u0000')).toEqual([]);
    expect(await store.blocklist.get('\u0000')).toBeNull();
    expect(await store.blocklist.remove('\u0000', { by: 'a', at: 0 })).toBe(false);
  });
});

describe('bad input and database errors', () => {
  it('refuses a malformed event before the transaction: no statement runs, nothing is written', async () => {
    const { client: inner, schema } = await freshStore();
    const counted = counting(inner);
    const store = createPostgresStore(counted, { schema });
    const bad = { ...opened('T-1'), at: 'yesterday' } as unknown as TicketEvent;
    const error = await store.save('T-1', 0, write('T-1', { events: [bad] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarekitValidationError);
    expect((error as CarekitValidationError).issues[0]).toMatchObject({
      code: 'invalid_instant',
      path: ['at'],
    });
    expect(counted.count).toBe(0);
    await expect(store.save('T-1', 0, write('T-1', { dueAt: 1.5 }))).rejects.toMatchObject({
      code: 'invalid_due_at',
    });
    expect(counted.count).toBe(0);
  });

  it('turns a database error into a CarekitStoreError that names the operation and the ticket, and writes nothing', async () => {
    const { store, client: inner, schema } = await freshStore();
    await store.save('T-1', 0, write('T-1', { events: [opened('T-1')] as TicketEvent[] }));
    // The outbox is written last in a save: breaking it shows the whole save is rolled back.
    await inner.query(`ALTER TABLE ${schema}.outbox ADD CONSTRAINT no_notify CHECK (type <> 'notify')`);
    const effect = {
      type: 'notify',
      id: 'T-1/n1/notify/0',
      ticketId: 'T-1',
      at: T0,
      causedBy: 'n1',
      to: 'lead',
      reason: 'escalation',
      message: 'x',
    };
    const note = {
      type: 'agent.noted',
      id: 'n1',
      ticketId: 'T-1',
      at: T0 + 1,
      agentId: 'ana',
      body: 'hi',
    } as TicketEvent;
    const error = await store
      .save(
        'T-1',
        1,
        write('T-1', { dueAt: 5, events: [note], effects: [effect as never], messageKeys: ['email:k'] }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarekitStoreError);
    expect(error).toMatchObject({
      code: 'store_failed',
      operation: 'save',
      ticketId: 'T-1',
      sqlState: '23514',
    });
    expect((error as Error).message).toMatch(
      /^the store could not save ticket T-1 over version 1: .*no_notify/,
    );
    expect(await store.load('T-1')).toMatchObject({ version: 1, dueAt: null });
    expect((await store.ticketEvents('T-1')).map((e) => e.id)).toEqual(['T-1:opened']);
    expect(await store.findByExternalId('email:k')).toBeNull();
  });

  it('says to run migrate when the tables are missing', async () => {
    const store = createPostgresStore(await client(), { schema: 'never_migrated' });
    const error = await store.load('T-1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_failed', operation: 'load', sqlState: '42P01' });
    expect((error as Error).message).toContain('run migrate(client) first');
    for (const call of [
      () => store.save('T-1', 0, write('T-1')),
      () => store.findByExternalId('x'),
      () => store.dueTickets(0),
      () => store.ticketEvents('T-1'),
      async () => {
        for await (const _ of store.events());
      },
      async () => {
        for await (const _ of store.ticketIds());
      },
      () => store.blocklist.add({ customerId: 'c', reason: 'r', by: 'b', at: 0 }),
      () => store.blocklist.remove('c', { by: 'b', at: 0 }),
      () => store.blocklist.get('c'),
      () => store.blocklist.list(),
      () => store.blocklist.history(),
      () => store.claimEffects('w'),
      () => store.completeEffects([1]),
      () => store.releaseEffects([1]),
      () => store.rebuild('T-1', wf),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(CarekitStoreError);
    }
    await expect(migrate(failingClient(await client(), 3), { schema: 'never' })).rejects.toMatchObject({
      code: 'store_failed',
      operation: 'migrate',
    });
  });

  it('keeps a driver error without SQLSTATE in the message only', () => {
    const error = new CarekitStoreError(
      'load',
      'load ticket T-1',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'T-1',
    );
    expect(error.sqlState).toBeNull();
    expect(error.message).toBe('the store could not load ticket T-1: socket hang up');
    expect(new CarekitStoreError('load', 'load', 'boom').message).toBe('the store could not load: boom');
  });
});

describe('prepared statements through pgPoolClient', () => {
  /** A pool over PGlite that records what each call was given and runs named ones as text. */
  const recording = (inner: ReturnType<typeof pgliteAsPool>) => {
    const calls: unknown[] = [];
    const run =
      (target: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> }) =>
      (sql: string | { name: string; text: string; values: unknown[] }, params?: unknown[]) => {
        calls.push(sql);
        return typeof sql === 'string' ? target.query(sql, params) : target.query(sql.text, sql.values);
      };
    return {
      calls,
      pool: {
        query: run(inner),
        async connect() {
          const c = await inner.connect();
          return { query: run(c), release: (e?: Error | boolean) => c.release(e) };
        },
      },
    };
  };
  const note = (ticketId: string, id: string) =>
    ({ type: 'agent.noted', id, ticketId, at: T0 + 1, agentId: 'ana', body: 'hi' }) as TicketEvent;
  const named = (calls: readonly unknown[]) =>
    calls.filter((c): c is { name: string; text: string } => typeof c === 'object' && c !== null);

  it('names the one-statement save (the same name every call, one per schema) only when asked', async () => {
    const db = await sharedPglite();
    const on = recording(pgliteAsPool(db));
    const { schema } = await freshStore();
    const store = createPostgresStore(pgPoolClient(on.pool, { prepare: true }), { schema });
    const other = await freshStore();
    const otherStore = createPostgresStore(pgPoolClient(on.pool, { prepare: true }), {
      schema: other.schema,
    });
    for (const s of [store, otherStore]) {
      await s.save('A', 0, write('A', { events: [opened('A')] }));
      expect(await s.save('A', 1, write('A', { events: [note('A', 'n1')] }))).toEqual({
        ok: true,
        version: 2,
      });
      expect(await s.save('A', 2, write('A', { events: [note('A', 'n2')] }))).toEqual({
        ok: true,
        version: 3,
      });
      // A stale save: the named statement writes nothing and the transaction refuses it.
      expect(await s.save('A', 2, write('A', { events: [note('A', 'n3')] }))).toMatchObject({ ok: false });
    }
    const saves = named(on.calls);
    expect(saves).toHaveLength(6);
    const names = [...new Set(saves.map((c) => c.name))];
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^carekit_save_[0-9a-f]{8}$/);
    expect(new Set(saves.map((c) => c.text)).size).toBe(2);
    expect((await store.ticketEvents('A')).map((e) => e.id)).toEqual(['A:opened', 'n1', 'n2']);

    const off = recording(pgliteAsPool(db));
    const plain = createPostgresStore(pgPoolClient(off.pool), { schema });
    expect(await plain.save('A', 3, write('A', { events: [note('A', 'n4')] }))).toEqual({
      ok: true,
      version: 4,
    });
    expect(named(off.calls)).toEqual([]);
  });
});

describe('the one-statement save', () => {
  const note = (ticketId: string, id: string) =>
    ({ type: 'agent.noted', id, ticketId, at: T0 + 1, agentId: 'ana', body: 'hi' }) as TicketEvent;
  const notify = (ticketId: string, id: string) =>
    ({
      type: 'notify',
      id,
      ticketId,
      at: T0,
      causedBy: id,
      to: 'lead',
      reason: 'escalation',
      message: 'x',
    }) as never;

  it('writes a batch of plain updates in one statement, and a batch with a refusal as one-by-one saves would', async () => {
    const { client: inner, schema } = await freshStore();
    const counted = counting(inner);
    const store = createPostgresStore(counted, { schema });
    for (const id of ['A', 'B', 'C']) await store.save(id, 0, write(id, { events: [opened(id)] }));
    let before = counted.count;
    const plain = await store.saveMany([
      { ticketId: 'B', expectedVersion: 1, write: write('B', { events: [note('B', 'n1')] }) },
      {
        ticketId: 'A',
        expectedVersion: 1,
        write: write('A', { events: [note('A', 'n1'), note('A', 'n1')], effects: [notify('A', 'e1')] }),
      },
    ]);
    expect(plain).toEqual([
      { ok: true, version: 2 },
      { ok: true, version: 2 },
    ]);
    expect(counted.count - before).toBe(1);
    expect((await store.ticketEvents('A')).map((e) => e.id)).toEqual(['A:opened', 'n1']);
    expect((await store.load('A'))?.version).toBe(2);
    // One stale request: the statement writes nothing, and the transaction decides each request.
    before = counted.count;
    const mixed = await store.saveMany([
      { ticketId: 'C', expectedVersion: 1, write: write('C', { events: [note('C', 'n2')] }) },
      { ticketId: 'A', expectedVersion: 1, write: write('A', { events: [note('A', 'n2')] }) },
      { ticketId: 'B', expectedVersion: 2, write: write('B', { effects: [notify('B', 'e2')] }) },
    ]);
    expect(mixed).toEqual([
      { ok: true, version: 2 },
      { ok: false, reason: 'version_conflict', version: 2 },
      { ok: true, version: 3 },
    ]);
    expect(counted.count - before).toBeGreaterThan(3);
    expect((await store.ticketEvents('A')).map((e) => e.id)).toEqual(['A:opened', 'n1']);
    expect((await store.ticketEvents('C')).map((e) => e.id)).toEqual(['C:opened', 'n2']);
    const effects = [];
    for await (const effect of store.effects()) effects.push(effect.id);
    expect(effects).toEqual(['e1', 'e2']);
  });

  it(
    'stores the snapshots of a batch as given, each in its own row, whatever strings they hold',
    async () => {
      // What JSON and PostgreSQL escape or refuse: quotes, backslashes, control characters, NUL,
      // lone surrogates (json text cannot hold the last two, so such a snapshot goes as a string).
      const awkward = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.constantFrom(
          '"',
          '\\',
          '\\u0000',
          '\u0000',
          '\n',
          '\ud800',
          'a"b\\c',
          '{"x":1}',
          'NULL',
          ',',
          ']',
        ),
      );
      const { client: inner, schema } = await freshStore();
      const counted = counting(inner);
      const store = createPostgresStore(counted, { schema });
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(awkward, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
          async (notes) => {
            const ids = notes.map((_, i) => `S${++round}-${i}`);
            for (const id of ids) await store.save(id, 0, write(id, { events: [opened(id)] }));
            const writes = ids.map((id, i) => {
              const snapshot = write(id).snapshot;
              return write(id, { snapshot: { ...snapshot, notes: notes[i] } as TicketSnapshot });
            });
            const before = counted.count;
            const results = await store.saveMany(
              ids.map((ticketId, i) => ({ ticketId, expectedVersion: 1, write: writes[i] as TicketWrite })),
            );
            expect(results.every((r) => r.ok)).toBe(true);
            expect(counted.count - before).toBe(1);
            for (const [i, id] of ids.entries())
              expect((await store.load(id))?.snapshot).toEqual(writes[i]?.snapshot);
          },
        ),
        propertyRuns(40, 8),
      );
    },
    slow(30_000),
  );

  it('leaves the one-statement path when a slot would move, so the capacity is checked', async () => {
    const store = (await freshStore()).store;
    const held = (id: string, assigneeId: string | null) => {
      const snapshot = write(id).snapshot;
      return write(id, {
        snapshot: { ...snapshot, status: 'open', context: { ...snapshot.context, assigneeId } },
      });
    };
    await store.save('A', 0, held('A', 'ana'));
    await store.save('B', 0, held('B', null));
    const results = await store.saveMany([
      { ticketId: 'A', expectedVersion: 1, write: held('A', 'ana') },
      { ticketId: 'B', expectedVersion: 1, write: { ...held('B', 'ana'), capacity: 1 } },
    ]);
    expect(results).toEqual([
      { ok: true, version: 2 },
      { ok: false, reason: 'agent_full', version: 1, agentId: 'ana' },
    ]);
    expect((await store.agents()).map((a) => [a.agentId, a.load])).toEqual([['ana', 1]]);
  });

  it('writes nothing of a plain batch when one of its rows fails', async () => {
    const { store, client: inner, schema } = await freshStore();
    for (const id of ['A', 'B']) await store.save(id, 0, write(id, { events: [opened(id)] }));
    await inner.query(`ALTER TABLE ${schema}.outbox ADD CONSTRAINT no_notify CHECK (type <> 'notify')`);
    const error = await store
      .saveMany([
        { ticketId: 'A', expectedVersion: 1, write: write('A', { dueAt: 5, events: [note('A', 'n1')] }) },
        { ticketId: 'B', expectedVersion: 1, write: write('B', { effects: [notify('B', 'e1')] }) },
      ])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_failed', operation: 'saveMany', sqlState: '23514' });
    expect(await store.load('A')).toMatchObject({ version: 1, dueAt: null });
    expect((await store.ticketEvents('A')).map((e) => e.id)).toEqual(['A:opened']);
  });
});

describe('streaming by pages', () => {
  const collect = async <T>(items: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  };

  it('asks for the next page before yielding a page: every ticket once, in order, across pages', async () => {
    const { client: inner, schema } = await freshStore();
    const ids = ['T-1', 'T-2', 'T-3', 'T-4', 'T-5'];
    const setup = createPostgresStore(inner, { schema });
    for (const id of ids) await setup.save(id, 0, write(id, { events: [opened(id)] }));
    const asked: number[] = [];
    const watching: SqlClient = {
      ...inner,
      async query(sql, params) {
        if (/created_seq > \$1/.test(sql)) asked.push(Number(params?.[0]));
        return inner.query(sql, params);
      },
    };
    const store = createPostgresStore(watching, { schema, streamPageSize: 2 });
    const seen: string[] = [];
    const pagesAskedWhenSeen: number[] = [];
    for await (const { ticket, events } of store.stream()) {
      seen.push(ticket.ticketId);
      pagesAskedWhenSeen.push(asked.length);
      expect(events.map((e) => e.id)).toEqual([`${ticket.ticketId}:opened`]);
    }
    expect(seen).toEqual(ids);
    // Three pages (2, 2, 1): the second is asked for before the first page's first ticket is
    // handed over, the third before the second page's; a short page asks for nothing more.
    expect(pagesAskedWhenSeen).toEqual([2, 2, 3, 3, 3]);
    expect(asked).toHaveLength(3);
  });

  it('asks each page for a span of keys that follows their density, across a gap, never for all the keys left', async () => {
    const { client: inner, schema } = await freshStore();
    const ids = Array.from({ length: 8 }, (_, i) => `T-${i + 1}`);
    const setup = createPostgresStore(inner, { schema });
    // Four keys, then a gap of a hundred thousand (as a sequence leaves after rolled-back saves or
    // tickets removed), then four more.
    for (const id of ids.slice(0, 4)) await setup.save(id, 0, write(id, { events: [opened(id)] }));
    await inner.query(
      `SELECT setval(pg_get_serial_sequence('${schema}.tickets', 'created_seq'), max(created_seq) + 100000) FROM ${schema}.tickets`,
    );
    for (const id of ids.slice(4, 7)) await setup.save(id, 0, write(id, { events: [opened(id)] }));
    const last = write('T-8', { events: [opened('T-8')] });
    await setup.save('T-8', 0, {
      ...last,
      snapshot: { ...last.snapshot, context: { ...last.snapshot.context, subject: 'a\u0000b' } },
    });
    const spans: [number, number][] = [];
    const watching: SqlClient = {
      ...inner,
      async query(sql, params) {
        if (/created_seq > \$1/.test(sql)) spans.push([Number(params?.[0]), Number(params?.[1])]);
        return inner.query(sql, params);
      },
    };
    const store = createPostgresStore(watching, { schema, streamPageSize: 2 });
    const streamed = await collect(store.stream());
    expect(streamed.map((s) => s.ticket.ticketId)).toEqual(ids);
    // A streamed ticket is the loaded one, its snapshot read when first asked for (T-8's holds a
    // NUL, stored as JSON text).
    for (const { ticket } of streamed) expect(ticket).toEqual(await setup.load(ticket.ticketId));
    expect(streamed.at(-1)?.ticket.snapshot.context.subject).toBe('a\u0000b');
    const [low] = (await inner.query(`SELECT min(created_seq) AS low FROM ${schema}.tickets`)).rows;
    const first = Number(low?.low);
    // Dense keys: two a page, exactly. Through the gap the span doubles (a logarithmic number of
    // pages, not one a key); past it, a full page shrinks it again to the keys its rows covered.
    expect(spans.slice(0, 2)).toEqual([
      [first - 1, first + 1],
      [first + 1, first + 3],
    ]);
    for (let i = 1; i < spans.length; i++) {
      const [after, upto] = spans[i] ?? [0, 0];
      const [lastAfter, lastUpto] = spans[i - 1] ?? [0, 0];
      expect(after).toBeGreaterThan(lastAfter);
      expect(after).toBeLessThanOrEqual(lastUpto);
      expect(upto).toBeGreaterThan(after);
    }
    expect(spans.length).toBeLessThan(22);
    const top = first + 3 + 100000 + 4;
    expect(spans.at(-1)?.[1]).toBe(top);
    expect(spans.filter(([, upto]) => upto === top).length).toBeLessThanOrEqual(2);
  });

  it('leaves a page asked for ahead unread, and its failure unreported, when the caller stops early', async () => {
    const { client: inner, schema } = await freshStore();
    const setup = createPostgresStore(inner, { schema });
    for (const id of ['T-1', 'T-2', 'T-3']) await setup.save(id, 0, write(id, { events: [opened(id)] }));
    // Queries: the maximum, page one, then page two fails (asked for while the caller reads page one).
    const store = createPostgresStore(failingClient(inner, 3), { schema, streamPageSize: 2 });
    const first: string[] = [];
    for await (const { ticket } of store.stream()) {
      first.push(ticket.ticketId);
      break;
    }
    expect(first).toEqual(['T-1']);
    // A caller that reads on meets the failure, as a carekit error naming the operation.
    const reading = createPostgresStore(failingClient(inner, 3), { schema, streamPageSize: 2 });
    await expect(collect(reading.stream())).rejects.toThrow(CarekitStoreError);
    expect((await collect(setup.stream())).map((s) => s.ticket.ticketId)).toEqual(['T-1', 'T-2', 'T-3']);
  });
});

describe('coalesced reads', () => {
  it('answers concurrent reads of keys, customers and blocklist entries with one query each', async () => {
    const { client: inner, schema } = await freshStore();
    const counted = counting(inner);
    const store = createPostgresStore(counted, { schema });
    await store.save('T-1', 0, write('T-1', { externalId: 'email:a', events: [opened('T-1')] }));
    await store.save('T-2', 0, write('T-2', { externalId: 'email:b', events: [opened('T-2')] }));
    await store.blocklist.add({ customerId: 'c-T-1', reason: 'fraud', by: 'lead', at: T0 });
    const keys = ['email:a', 'email:x', 'email:b', 'email:a', 'email:y', 'bad\u0000key'];
    const customers = ['c-T-1', 'c-T-2', 'c-T-1', 'nobody'];
    const one = {
      keys: await Promise.all(keys.map(async (k) => store.findByExternalId(k))),
      blocked: [] as unknown[],
    };
    for (const c of customers) one.blocked.push(await store.blocklist.get(c));
    const before = counted.count;
    const [found, blocked, read] = await Promise.all([
      Promise.all(keys.map((k) => store.findByExternalId(k))),
      Promise.all(customers.map((c) => store.blocklist.get(c))),
      Promise.all(customers.map((c) => store.customer(c))),
    ]);
    expect(found).toEqual(['T-1', null, 'T-2', 'T-1', null, null]);
    expect(found).toEqual(one.keys);
    expect(blocked).toEqual(one.blocked);
    expect(blocked.map((b) => b?.customerId ?? null)).toEqual(['c-T-1', null, 'c-T-1', null]);
    expect(read.map((c) => c.customerId)).toEqual(customers);
    // The first of each kind goes at once, the rest together: at most two queries a kind.
    expect(counted.count - before).toBeLessThanOrEqual(6);
  });

  it('answers a read with a query that started after it was asked, never with one already under way', async () => {
    const { client: inner, schema } = await freshStore();
    let gate: (() => void) | null = null;
    const held = new Promise<void>((open) => {
      gate = open;
    });
    let first = true;
    const slow: SqlClient = {
      async query(sql, params) {
        if (first && sql.includes('message_keys')) {
          first = false;
          const answer = await inner.query(sql, params);
          await held;
          return answer;
        }
        return inner.query(sql, params);
      },
      transaction: (run) => inner.transaction(run),
    };
    const store = createPostgresStore(slow, { schema });
    const early = store.findByExternalId('email:a');
    await store.save('T-1', 0, write('T-1', { externalId: 'email:a', events: [opened('T-1')] }));
    const late = store.findByExternalId('email:a');
    (gate as unknown as () => void)();
    expect(await early).toBeNull();
    expect(await late).toBe('T-1');
  });
});

describe('the outbox', () => {
  it('holds the effects each desk call returned, written with its events', async () => {
    const { store } = await freshStore();
    const desk = createDesk({ store, agents, lifecycle: { acknowledgeTemplate: 'acknowledgement' } });
    const first = await desk.receive(contact(1));
    const second = await desk.handle({
      type: 'ticket.escalated',
      id: 'esc',
      ticketId: first.ticket.ticketId,
      at: T0 + 10,
      tier: 2,
      reason: 'angry',
    });
    const claimed = await store.claimEffects('w1', { now: T0 });
    expect(claimed.map((c) => c.effect)).toEqual([...first.effects, ...second.effects]);
    expect(claimed.every((c) => c.ticketId === first.ticket.ticketId && c.attempts === 1)).toBe(true);
    expect(claimed[0]?.leaseUntil).toBe(T0 + 60_000);
  });

  it('gives concurrent workers different effects, and each effect once', async () => {
    const { store } = await freshStore();
    const desk = createDesk({ store, agents, lifecycle: { acknowledgeTemplate: 'acknowledgement' } });
    for (let n = 1; n <= 30; n++) await desk.receive(contact(n));
    const workers = ['w1', 'w2', 'w3', 'w4'];
    const done: number[] = [];
    await Promise.all(
      workers.map(async (worker) => {
        for (;;) {
          const batch = await store.claimEffects(worker, { limit: 3, now: T0 });
          if (batch.length === 0) return;
          done.push(
            ...(await store.completeEffects(
              batch.map((c) => c.id),
              { workerId: worker, now: T0 },
            )),
          );
        }
      }),
    );
    expect(done.length).toBe(30);
    expect(new Set(done).size).toBe(30);
    expect(await store.claimEffects('w5', { now: T0 + 10 ** 9 })).toEqual([]);
  });

  it("claims a crashed worker's effects again once the lease has passed, and refuses its late completion", async () => {
    const { store } = await freshStore();
    const desk = createDesk({ store, agents, lifecycle: { acknowledgeTemplate: 'acknowledgement' } });
    await desk.receive(contact(1));
    const [lost] = await store.claimEffects('crashed', { now: T0, leaseMs: 1000 });
    expect(await store.claimEffects('w2', { now: T0 + 999 })).toEqual([]);
    const [again] = await store.claimEffects('w2', { now: T0 + 1000, leaseMs: 1000 });
    expect(again).toMatchObject({ id: lost?.id, attempts: 2, leaseUntil: T0 + 2000 });
    expect(await store.completeEffects([lost?.id as number], { workerId: 'crashed' })).toEqual([]);
    expect(await store.releaseEffects([again?.id as number], { workerId: 'crashed' })).toEqual([]);
    expect(await store.releaseEffects([again?.id as number], { workerId: 'w2' })).toEqual([again?.id]);
    const [third] = await store.claimEffects('w3', { now: T0 + 1001 });
    expect(third).toMatchObject({ id: lost?.id, attempts: 3 });
    expect(await store.completeEffects([third?.id as number, 10 ** 12, 1.5])).toEqual([third?.id]);
    expect(await store.completeEffects([])).toEqual([]);
    expect(await store.releaseEffects([])).toEqual([]);
    expect(await store.claimEffects('w4', { now: T0 + 10 ** 9 })).toEqual([]);
  });
});

describe('rebuild', () => {
  it('replays the log over a damaged snapshot and stores the replay; leaves a sound one alone', async () => {
    const { store, client: inner, schema } = await freshStore();
    const desk = createDesk({ store, agents });
    const { ticket } = await desk.receive(contact(1));
    await desk.handle({
      type: 'agent.replied',
      id: 'r1',
      ticketId: ticket.ticketId,
      at: T0 + 100,
      agentId: 'ana',
      body: 'Hi',
    });
    const sound = await store.load(ticket.ticketId);
    expect(await store.rebuild(ticket.ticketId, wf)).toEqual({
      snapshot: sound?.snapshot,
      version: sound?.version,
      changed: false,
      rejected: 0,
    });
    await inner.query(
      `UPDATE ${schema}.tickets SET snapshot = jsonb_set(snapshot::jsonb, '{status}', '"closed"'), due_at = NULL WHERE ticket_id = $1`,
      [ticket.ticketId],
    );
    const keys: string[] = [];
    const result = await store.rebuild(ticket.ticketId, (key) => {
      keys.push(key);
      return wf;
    });
    expect(keys).toEqual(['(none)']);
    expect(result).toMatchObject({ changed: true, version: (sound?.version ?? 0) + 1 });
    expect(result.snapshot).toEqual(sound?.snapshot);
    expect(await store.load(ticket.ticketId)).toEqual({ ...sound, version: result.version });
    await expect(store.rebuild('T-none', wf)).rejects.toMatchObject({ code: 'unknown_ticket' });
  });

  it('moves the slot and the waiting list with a rebuilt snapshot', async () => {
    const { store } = await freshStore();
    const event = opened('T-1');
    const start = wf.start(event).snapshot;
    // Stored as held by ana, while its log (one opening) says nobody holds it.
    const held = {
      ...start,
      status: 'open',
      context: { ...start.context, assigneeId: 'ana' },
    } as TicketSnapshot;
    await store.save('T-1', 0, write('T-1', { snapshot: held, events: [event] }));
    expect((await store.agents()).map((a) => [a.agentId, a.load])).toEqual([['ana', 1]]);
    expect(await store.waiting()).toEqual([]);
    expect((await store.rebuild('T-1', wf)).changed).toBe(true);
    expect((await store.agents()).map((a) => [a.agentId, a.load])).toEqual([['ana', 0]]);
    expect((await store.waiting()).map((t) => t.ticketId)).toEqual(['T-1']);
    expect(await store.heldBy(['ana'])).toEqual([]);
  });
});
