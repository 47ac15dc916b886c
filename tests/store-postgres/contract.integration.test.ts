// One behavioural suite for every TicketStore: the memory store is the reference, and the
// Postgres store must behave the same on PGlite directly and through the `pg` pool adapter.
import { fc, test } from '@fast-check/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../src/model/index.js';
import { createSlaPolicy } from '../../src/sla/index.js';
import { pgliteClient, pgPoolClient } from '../../src/store-postgres/index.js';
import { createTemplateLibrary, starterTemplates } from '../../src/templates/index.js';
import {
  createDesk,
  createMemoryStore,
  createTicketWorkflow,
  type DeskEffect,
  type DeskOptions,
  type SaveResult,
  type TicketSnapshot,
  type TicketStore,
  type TicketWrite,
} from '../../src/workflows/index.js';
import { propertyRuns, propertyTimeout, slow } from '../support/runs.js';
import { freshStore, pgliteAsPool, sharedPglite } from './pglite.js';

// With CAREKIT_PG_URL (set by .ci/run, which starts a throwaway server) the suite also runs on
// a real PostgreSQL server through `pg`.
const serverUrl = process.env.CAREKIT_PG_URL;
let server: pg.Pool | undefined;
const stores: [string, () => Promise<TicketStore>][] = [
  ['memory', async () => createMemoryStore()],
  ['postgres (PGlite)', async () => (await freshStore()).store],
  [
    'postgres (pg pool adapter)',
    async () => (await freshStore(pgPoolClient(pgliteAsPool(await sharedPglite())))).store,
  ],
  ...(serverUrl
    ? ([
        [
          'postgres (a server, through pg, prepared saves)',
          async () => {
            server ??= new pg.Pool({ connectionString: serverUrl, max: 4 });
            return (await freshStore(pgPoolClient(server, { prepare: true }))).store;
          },
        ],
      ] as [string, () => Promise<TicketStore>][])
    : []),
];

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
  await server?.end();
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const wf = createTicketWorkflow();

const opened = (ticketId: string, n = 0) =>
  ({
    type: 'ticket.opened',
    id: `${ticketId}:opened`,
    ticketId,
    at: T0 + n,
    channel: 'email',
    subject: 'Help',
    body: 'Where is my order?',
    customer: { id: `c-${ticketId}` },
  }) as const;

const note = (ticketId: string, id: string, at = T0 + 1000): TicketEvent => ({
  type: 'agent.noted',
  id,
  ticketId,
  at,
  agentId: 'ana',
  body: `note ${id}`,
});

const snapshotOf = (ticketId: string): TicketSnapshot => wf.start(opened(ticketId)).snapshot;

const write = (ticketId: string, extra: Partial<TicketWrite> = {}): TicketWrite => ({
  snapshot: snapshotOf(ticketId),
  workflowKey: '(none)',
  dueAt: null,
  customerId: `c-${ticketId}`,
  externalId: null,
  events: [],
  ...extra,
});

const notify = (ticketId: string, id: string, message = `about ${ticketId}`): DeskEffect => ({
  type: 'notify',
  id,
  ticketId,
  at: T0,
  causedBy: `${ticketId}:opened`,
  to: 'team_lead',
  reason: 'sla_warning',
  message,
});

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe.each(stores)('the %s store', (_, make) => {
  it('creates a ticket at version 1 and loads every field back', async () => {
    const store = await make();
    expect(await store.load('T-1')).toBeNull();
    const events = [opened('T-1')] as TicketEvent[];
    const result = await store.save('T-1', 0, write('T-1', { dueAt: T0 + 5, externalId: 'mail-1', events }));
    expect(result).toEqual({ ok: true, version: 1 });
    expect(await store.load('T-1')).toEqual({
      ticketId: 'T-1',
      snapshot: snapshotOf('T-1'),
      version: 1,
      workflowKey: '(none)',
      dueAt: T0 + 5,
      customerId: 'c-T-1',
      externalId: 'mail-1',
    });
    expect(await store.findByExternalId('mail-1')).toBe('T-1');
    expect(await store.findByExternalId('mail-2')).toBeNull();
    expect(await store.ticketEvents('T-1')).toEqual(events);
  });

  it('refuses a stale or early save, writing nothing, and reports the version found', async () => {
    const store = await make();
    await store.save('T-1', 0, write('T-1', { events: [opened('T-1')] as TicketEvent[] }));
    expect(await store.save('T-1', 0, write('T-1'))).toEqual({
      ok: false,
      reason: 'version_conflict',
      version: 1,
    });
    expect(await store.save('T-1', 2, write('T-1', { dueAt: 9, events: [note('T-1', 'n1')] }))).toEqual({
      ok: false,
      reason: 'version_conflict',
      version: 1,
    });
    expect(await store.save('T-9', 3, write('T-9'))).toEqual({
      ok: false,
      reason: 'version_conflict',
      version: 0,
    });
    expect(await store.save('T-1', -1, write('T-1'))).toEqual({
      ok: false,
      reason: 'version_conflict',
      version: 1,
    });
    expect((await store.load('T-1'))?.dueAt).toBeNull();
    expect(await store.ticketEvents('T-1')).toHaveLength(1);
    expect(await store.load('T-9')).toBeNull();
    expect(await store.save('T-1', 1, write('T-1', { dueAt: 9, events: [note('T-1', 'n1')] }))).toEqual({
      ok: true,
      version: 2,
    });
  });

  it('refuses a second ticket with a taken external id, and keeps the external id a ticket was created with', async () => {
    const store = await make();
    await store.save('T-1', 0, write('T-1', { externalId: 'mail-1' }));
    expect(await store.save('T-2', 0, write('T-2', { externalId: 'mail-1' }))).toEqual({
      ok: false,
      reason: 'external_id_taken',
      version: 0,
    });
    expect(await store.load('T-2')).toBeNull();
    await store.save(
      'T-1',
      1,
      write('T-1', { externalId: 'mail-other', customerId: 'c-new', workflowKey: 'vip' }),
    );
    const loaded = await store.load('T-1');
    expect(loaded).toMatchObject({
      externalId: 'mail-1',
      customerId: 'c-new',
      workflowKey: 'vip',
      version: 2,
    });
    expect(await store.findByExternalId('mail-other')).toBeNull();
  });

  it('lists due tickets earliest first (ties by id), with a limit, following the latest due time', async () => {
    const store = await make();
    const plan: [string, number | null][] = [
      ['b', T0 + 30],
      ['a', T0 + 30],
      ['c', T0 + 10],
      ['d', null],
      ['e', T0 + 99],
    ];
    for (const [id, dueAt] of plan) await store.save(id, 0, write(id, { dueAt }));
    expect(await store.dueTickets(T0 + 50)).toEqual(['c', 'a', 'b']);
    expect(await store.dueTickets(T0 + 50, 2)).toEqual(['c', 'a']);
    expect(await store.dueTickets(T0 + 50, 0)).toEqual([]);
    expect(await store.dueTickets(T0 + 9)).toEqual([]);
    await store.save('c', 1, write('c', { dueAt: null }));
    await store.save('e', 1, write('e', { dueAt: T0 }));
    expect(await store.dueTickets(T0 + 30)).toEqual(['e', 'a', 'b']);
  });

  it('keeps the log in save order, by ticket and by time range, and tickets in creation order', async () => {
    const store = await make();
    await store.save('T-2', 0, write('T-2', { events: [opened('T-2', 2)] as TicketEvent[] }));
    await store.save('T-1', 0, write('T-1', { events: [opened('T-1', 1)] as TicketEvent[] }));
    await store.save(
      'T-2',
      1,
      write('T-2', { events: [note('T-2', 'x', T0 + 50), note('T-2', 'y', T0 + 20)] }),
    );
    await store.save('T-1', 1, write('T-1', { events: [note('T-1', 'z', T0 + 30)] }));
    const all = await collect(store.events());
    expect(all.map((e) => e.id)).toEqual(['T-2:opened', 'T-1:opened', 'x', 'y', 'z']);
    expect((await collect(store.events({ from: T0 + 2, to: T0 + 50 }))).map((e) => e.id)).toEqual([
      'T-2:opened',
      'y',
      'z',
    ]);
    expect((await collect(store.events({ from: T0 + 51 }))).map((e) => e.id)).toEqual([]);
    expect((await store.ticketEvents('T-2')).map((e) => e.id)).toEqual(['T-2:opened', 'x', 'y']);
    expect(await store.ticketEvents('T-3')).toEqual([]);
    expect(await collect(store.ticketIds())).toEqual(['T-2', 'T-1']);
  });

  it('stores an event id once per ticket: a repeated id is not appended again', async () => {
    const store = await make();
    await store.save('T-1', 0, write('T-1', { events: [opened('T-1'), note('T-1', 'n1')] as TicketEvent[] }));
    await store.save(
      'T-1',
      1,
      write('T-1', { events: [note('T-1', 'n1'), note('T-1', 'n2'), note('T-1', 'n2')] }),
    );
    await store.save('T-2', 0, write('T-2', { events: [note('T-2', 'n1')] }));
    expect((await store.ticketEvents('T-1')).map((e) => e.id)).toEqual(['T-1:opened', 'n1', 'n2']);
    expect((await store.ticketEvents('T-2')).map((e) => e.id)).toEqual(['n1']);
    expect((await collect(store.events())).length).toBe(4);
  });

  it('finds a ticket by its opening external id or any of its message keys; the first ticket to hold a key keeps it', async () => {
    const store = await make();
    const saved = await store.save(
      'T-1',
      0,
      write('T-1', { externalId: 'email:a', messageKeys: ['email:b', 'email:c', 'email:b'] }),
    );
    expect(saved).toEqual({ ok: true, version: 1 });
    for (const key of ['email:a', 'email:b', 'email:c'])
      expect(await store.findByExternalId(key)).toBe('T-1');
    // A new ticket listing a key T-1 holds is saved; the key stays with T-1.
    expect(
      await store.save(
        'T-2',
        0,
        write('T-2', { externalId: 'email:d', messageKeys: ['email:b', 'email:e'] }),
      ),
    ).toEqual({ ok: true, version: 1 });
    expect(await store.findByExternalId('email:b')).toBe('T-1');
    expect(await store.findByExternalId('email:d')).toBe('T-2');
    expect(await store.findByExternalId('email:e')).toBe('T-2');
    // A later save adds keys; one held by another ticket stays there, its own again is no change.
    expect(
      await store.save('T-1', 1, write('T-1', { messageKeys: ['email:e', 'email:f', 'email:a', 'email:d'] })),
    ).toEqual({ ok: true, version: 2 });
    expect(await store.findByExternalId('email:e')).toBe('T-2');
    expect(await store.findByExternalId('email:d')).toBe('T-2');
    expect(await store.findByExternalId('email:f')).toBe('T-1');
    expect((await store.load('T-1'))?.externalId).toBe('email:a');
    // The same key on another channel is another key.
    expect(await store.findByExternalId('chat:a')).toBeNull();
  });

  it('refuses a new ticket whose external id another ticket holds, as its own or as a message key, writing no key', async () => {
    const store = await make();
    await store.save('T-1', 0, write('T-1', { externalId: 'email:a', messageKeys: ['email:b'] }));
    for (const taken of ['email:a', 'email:b']) {
      expect(
        await store.save(
          'T-2',
          0,
          write('T-2', {
            externalId: taken,
            messageKeys: ['email:x'],
            events: [opened('T-2')] as TicketEvent[],
            effects: [notify('T-2', 'fx-T-2')],
          }),
        ),
      ).toEqual({ ok: false, reason: 'external_id_taken', version: 0 });
    }
    expect(await store.load('T-2')).toBeNull();
    expect(await store.findByExternalId('email:x')).toBeNull();
    expect(await store.findByExternalId('email:b')).toBe('T-1');
    expect(await collect(store.effects())).toEqual([]);
    expect(await collect(store.events())).toEqual([]);
    // A save refused for its version writes no key either.
    expect(await store.save('T-1', 5, write('T-1', { messageKeys: ['email:y'] }))).toMatchObject({
      ok: false,
      reason: 'version_conflict',
    });
    expect(await store.save('T-1', 0, write('T-1', { messageKeys: ['email:y'] }))).toMatchObject({
      ok: false,
      reason: 'version_conflict',
    });
    expect(await store.findByExternalId('email:y')).toBeNull();
    expect(await collect(store.ticketIds())).toEqual(['T-1']);
  });

  it('records every effect once by its id, in save order, and none of a refused save', async () => {
    const store = await make();
    await store.save('T-1', 0, write('T-1', { effects: [notify('T-1', 'e1'), notify('T-1', 'e2')] }));
    await store.save('T-2', 0, write('T-2', { effects: [notify('T-2', 'e3')] }));
    // A retried call: the same ids again (with other content: the first recorded is kept), one twice.
    await store.save(
      'T-1',
      1,
      write('T-1', {
        effects: [notify('T-1', 'e2', 'changed'), notify('T-1', 'e4'), notify('T-1', 'e4', 'again')],
      }),
    );
    expect(await store.save('T-1', 1, write('T-1', { effects: [notify('T-1', 'e5')] }))).toMatchObject({
      ok: false,
    });
    const effects = await collect(store.effects());
    expect(effects.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(effects).toEqual([
      notify('T-1', 'e1'),
      notify('T-1', 'e2'),
      notify('T-2', 'e3'),
      notify('T-1', 'e4'),
    ]);
    // An effect id is the store's key across tickets too.
    await store.save('T-3', 0, write('T-3', { effects: [notify('T-3', 'e1'), notify('T-3', 'e6')] }));
    expect((await collect(store.effects())).map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e6']);
  });

  it('refuses an effect without an id and a message key that is not a non-empty string, writing nothing', async () => {
    const store = await make();
    const { id: _, ...anonymous } = notify('T-1', 'e1');
    const bad: Partial<TicketWrite>[] = [
      { effects: [notify('T-1', 'e0'), anonymous as DeskEffect] },
      { effects: [{ ...notify('T-1', 'e0'), id: '' }] },
      { effects: [{ ...notify('T-1', 'e0'), id: 7 as unknown as string }] },
      { messageKeys: ['email:a', ''] },
      { messageKeys: [null as unknown as string] },
    ];
    for (const extra of bad) {
      await expect(
        store.save(
          'T-1',
          0,
          write('T-1', { externalId: 'email:z', events: [opened('T-1')] as TicketEvent[], ...extra }),
        ),
      ).rejects.toMatchObject({ code: expect.stringMatching(/^invalid_(effect_id|message_key)$/) });
    }
    expect(await store.load('T-1')).toBeNull();
    expect(await store.findByExternalId('email:z')).toBeNull();
    expect(await store.findByExternalId('email:a')).toBeNull();
    expect(await collect(store.effects())).toEqual([]);
    expect(await collect(store.events())).toEqual([]);
  });

  it('keeps what it holds when a caller mutates what it saved or what it read back', async () => {
    const store = await make();
    const snapshot = structuredClone(snapshotOf('T-1'));
    const events = [opened('T-1'), note('T-1', 'n1')] as TicketEvent[];
    const effect = notify('T-1', 'e1');
    await store.save('T-1', 0, write('T-1', { snapshot, events, effects: [effect] }));
    const stored = structuredClone(await store.load('T-1'));
    const log = structuredClone(await store.ticketEvents('T-1'));
    const attempt = (mutate: () => void) => {
      try {
        mutate(); // a frozen object throws in strict mode; a fresh copy takes the change
      } catch {}
    };
    const loaded = (await store.load('T-1')) as unknown as { version: number; snapshot: unknown };
    attempt(() => {
      loaded.version = 99;
    });
    attempt(() => {
      (loaded.snapshot as TicketSnapshot).status = 'closed';
    });
    attempt(() => {
      (loaded.snapshot as TicketSnapshot).context.eventIds.push('forged');
    });
    const [first] = await store.ticketEvents('T-1');
    attempt(() => {
      (first as { at: number }).at = 0;
    });
    const [recorded] = await collect(store.effects());
    attempt(() => {
      (recorded as { message: string }).message = 'forged';
    });
    attempt(() => {
      ((loaded.snapshot as TicketSnapshot).context.customer as { id: string }).id = 'forged';
    });
    // What the caller saved is its own too.
    snapshot.status = 'closed';
    snapshot.context.eventIds.push('forged');
    snapshot.context.customer.id = 'forged';
    (events[1] as { body: string }).body = 'forged';
    (effect as { message: string }).message = 'forged';
    expect(await store.load('T-1')).toEqual(stored);
    expect(stored?.snapshot).toEqual(snapshotOf('T-1'));
    expect(await store.ticketEvents('T-1')).toEqual(log);
    expect(await collect(store.effects())).toEqual([notify('T-1', 'e1')]);
  });

  it('keeps a blocklist with an audit trail', async () => {
    const store = await make();
    await store.blocklist.add({ customerId: 'c1', reason: 'fraud', by: 'lead', at: T0 });
    await store.blocklist.add({ customerId: 'c2', reason: 'abuse', by: 'lead', at: T0 + 1 });
    await store.blocklist.add({ customerId: 'c1', reason: 'fraud, again', by: 'boss', at: T0 + 2 });
    expect(await store.blocklist.get('c1')).toEqual({
      customerId: 'c1',
      reason: 'fraud, again',
      by: 'boss',
      at: T0 + 2,
    });
    expect((await store.blocklist.list()).map((e) => e.customerId)).toEqual(['c1', 'c2']);
    expect(await store.blocklist.remove('c1', { by: 'lead', at: T0 + 3, reason: 'refunded' })).toBe(true);
    expect(await store.blocklist.remove('c1', { by: 'lead', at: T0 + 4 })).toBe(false);
    expect(await store.blocklist.remove('c9', { by: 'lead', at: T0 + 4 })).toBe(false);
    expect(await store.blocklist.get('c1')).toBeNull();
    await store.blocklist.add({ customerId: 'c1', reason: 'back', by: 'lead', at: T0 + 5 });
    await store.blocklist.remove('c2', { by: 'lead', at: T0 + 6 });
    expect(await store.blocklist.list()).toEqual([
      { customerId: 'c1', reason: 'back', by: 'lead', at: T0 + 5 },
    ]);
    expect(await store.blocklist.history()).toEqual([
      { customerId: 'c1', reason: 'fraud', by: 'lead', at: T0, action: 'add' },
      { customerId: 'c2', reason: 'abuse', by: 'lead', at: T0 + 1, action: 'add' },
      { customerId: 'c1', reason: 'fraud, again', by: 'boss', at: T0 + 2, action: 'add' },
      { customerId: 'c1', reason: 'refunded', by: 'lead', at: T0 + 3, action: 'remove' },
      { customerId: 'c1', reason: 'back', by: 'lead', at: T0 + 5, action: 'add' },
      { customerId: 'c2', reason: '', by: 'lead', at: T0 + 6, action: 'remove' },
    ]);
  });

  test.prop(
    [
      fc.array(
        fc.record({
          ticket: fc.constantFrom('T-a', 'T-b', 'T-c'),
          externalId: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { nil: null }),
          messageKeys: fc.array(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5'), { maxLength: 3 }),
          effects: fc.array(fc.constantFrom('e1', 'e2', 'e3', 'e4'), { maxLength: 3 }),
          stale: fc.boolean(),
        }),
        { maxLength: 12 },
      ),
    ],
    propertyRuns(12),
  )(
    'holds every key with its first ticket and every effect once, and a refused save writes neither',
    async (saves) => {
      const store = await make();
      const versions = new Map<string, number>();
      const owner = new Map<string, string>();
      const recorded: string[] = [];
      for (const save of saves) {
        const version = versions.get(save.ticket) ?? 0;
        const expected = save.stale
          ? { ok: false, reason: 'version_conflict', version }
          : version === 0 && save.externalId !== null && owner.has(save.externalId)
            ? { ok: false, reason: 'external_id_taken', version: 0 }
            : { ok: true, version: version + 1 };
        const result = await store.save(
          save.ticket,
          save.stale ? version + 1 : version,
          write(save.ticket, {
            externalId: save.externalId,
            messageKeys: save.messageKeys,
            effects: save.effects.map((id) => notify(save.ticket, id)),
          }),
        );
        expect(result).toEqual(expected);
        if (!result.ok) continue;
        versions.set(save.ticket, result.version);
        if (version === 0 && save.externalId !== null) owner.set(save.externalId, save.ticket);
        for (const key of save.messageKeys) if (!owner.has(key)) owner.set(key, save.ticket);
        for (const id of save.effects) if (!recorded.includes(id)) recorded.push(id);
      }
      for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
        expect(await store.findByExternalId(key)).toBe(owner.get(key) ?? null);
      }
      expect((await collect(store.effects())).map((e) => e.id)).toEqual(recorded);
    },
    propertyTimeout(60_000),
  );

  test.prop(
    [
      fc.array(
        fc.record({
          id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
          dueAt: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
        }),
        { maxLength: 30 },
      ),
      fc.integer({ min: -1, max: 51 }),
      fc.integer({ min: 0, max: 6 }),
    ],
    propertyRuns(15),
  )(
    'dueTickets lists exactly the tickets whose latest dueAt is at or before now',
    async (saves, now, limit) => {
      const store = await make();
      const latest = new Map<string, number | null>();
      const versions = new Map<string, number>();
      for (const { id, dueAt } of saves) {
        const version = versions.get(id) ?? 0;
        expect((await store.save(id, version, write(id, { dueAt }))).ok).toBe(true);
        versions.set(id, version + 1);
        latest.set(id, dueAt);
      }
      const expected = [...latest]
        .filter((entry): entry is [string, number] => entry[1] !== null && entry[1] <= now)
        .sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1))
        .map(([id]) => id);
      expect(await store.dueTickets(now)).toEqual(expected);
      expect(await store.dueTickets(now, limit)).toEqual(expected.slice(0, limit));
    },
    propertyTimeout(60_000),
  );
});

// Shared decisions (issue 16): agent loads with capacity, the router's memory, the NPS
// throttle, the waiting list, due claims, stream and batches, on every store.
type Status = TicketSnapshot['status'];
interface Shape {
  status?: Status;
  assigneeId?: string | null;
  queue?: string | null;
  askedAt?: number | null;
  openedAt?: number;
  statusChangedAt?: number;
}
const shaped = (ticketId: string, shape: Shape = {}): TicketSnapshot => {
  const base = snapshotOf(ticketId);
  const openedAt = shape.openedAt ?? base.context.openedAt;
  return {
    ...base,
    status: shape.status ?? base.status,
    context: {
      ...base.context,
      assigneeId: shape.assigneeId ?? null,
      queue: shape.queue ?? null,
      openedAt,
      statusChangedAt: shape.statusChangedAt ?? openedAt,
      survey:
        shape.askedAt === undefined || shape.askedAt === null
          ? base.context.survey
          : { ...base.context.survey, status: 'requested', kinds: ['nps'], requestedAt: shape.askedAt },
    },
  };
};
const routed = (ticketId: string, id: string, agentId: string, at = T0 + 500): TicketEvent => ({
  type: 'ticket.assigned',
  id,
  ticketId,
  at,
  agentId,
  by: 'router',
});
// `heldBy` is in the lead's contract (src/workflows/desk/store.ts) once merged.
const heldBy = (store: TicketStore, agentIds: readonly string[]): Promise<readonly { ticketId: string }[]> =>
  (store as unknown as { heldBy(ids: readonly string[]): Promise<readonly { ticketId: string }[]> }).heldBy(
    agentIds,
  );
const loads = async (store: TicketStore) =>
  Object.fromEntries((await store.agents()).map((a) => [a.agentId, a.load]));
const agentOf = async (store: TicketStore, agentId: string) =>
  (await store.agents()).find((a) => a.agentId === agentId);

/** Everything a store decides, for comparing two stores. */
const dump = async (
  store: TicketStore,
  ids: readonly string[],
  customers: readonly string[],
  keys: readonly string[],
) => ({
  tickets: await store.loadMany(ids),
  logs: await Promise.all(ids.map((id) => store.ticketEvents(id))),
  agents: [...(await store.agents())].sort((a, b) => (a.agentId < b.agentId ? -1 : 1)),
  customers: await Promise.all(customers.map((id) => store.customer(id))),
  waiting: (await store.waiting()).map((t) => t.ticketId),
  held: (await heldBy(store, ['a1', 'a2'])).map((t) => t.ticketId),
  effects: (await collect(store.effects())).map((e) => e.id),
  keys: await Promise.all(keys.map((key) => store.findByExternalId(key))),
  due: await store.dueTickets(T0 + 1_000_000),
  stream: (await collect(store.stream())).map((s) => [s.ticket.ticketId, s.events.length]),
});

describe.each(stores)('shared decisions on the %s store', (_, make) => {
  it('loads many tickets in the order asked, leaving out missing ones', async () => {
    const store = await make();
    for (const id of ['A', 'B', 'C']) await store.save(id, 0, write(id));
    const many = await store.loadMany(['C', 'X', 'A', 'C']);
    expect(many.map((t) => t.ticketId)).toEqual(['C', 'A', 'C']);
    expect(many[0]).toEqual(await store.load('C'));
    expect(await store.loadMany([])).toEqual([]);
  });

  it('moves an agent slot with the holder: taken on assignment, given back on solve, reassign and merge', async () => {
    const store = await make();
    const put = async (id: string, version: number, shape: Shape) =>
      store.save(id, version, write(id, { snapshot: shaped(id, shape) }));
    expect(await store.agents()).toEqual([]);
    await put('T-1', 0, { status: 'open', assigneeId: 'a1' });
    await put('T-2', 0, { status: 'pending', assigneeId: 'a1' });
    expect(await loads(store)).toEqual({ a1: 2 });
    await put('T-1', 1, { status: 'open', assigneeId: 'a2' });
    expect(await loads(store)).toEqual({ a1: 1, a2: 1 });
    await put('T-2', 1, { status: 'solved', assigneeId: 'a1' });
    expect(await loads(store)).toEqual({ a1: 0, a2: 1 });
    await put('T-2', 2, { status: 'open', assigneeId: 'a1' });
    await put('T-1', 2, { status: 'merged', assigneeId: 'a2' });
    await put('T-2', 3, { status: 'on_hold', assigneeId: 'a1' });
    expect(await loads(store)).toEqual({ a1: 1, a2: 0 });
    await put('T-0', 0, { status: 'open', assigneeId: 'a2' });
    expect((await heldBy(store, ['a1', 'a2', 'a1'])).map((t) => t.ticketId)).toEqual(['T-0', 'T-2']);
    await put('T-0', 1, { status: 'solved', assigneeId: 'a2' });
    expect(await heldBy(store, ['a2'])).toEqual([]);
    await put('T-2', 4, { status: 'closed', assigneeId: 'a1' });
    expect(await store.agents()).toEqual([
      { agentId: 'a1', load: 0, assigned: 0, lastSequence: 0, lastAssignedAt: null },
      { agentId: 'a2', load: 0, assigned: 0, lastSequence: 0, lastAssignedAt: null },
    ]);
  });

  it('refuses agent_full at capacity, writing nothing, and lets the holder keep its own slot', async () => {
    const store = await make();
    const assign = (id: string, version: number, agentId: string, extra: Partial<TicketWrite> = {}) =>
      store.save(
        id,
        version,
        write(id, { snapshot: shaped(id, { status: 'open', assigneeId: agentId }), capacity: 1, ...extra }),
      );
    expect(await assign('T-1', 0, 'a1')).toEqual({ ok: true, version: 1 });
    expect(
      await assign('T-2', 0, 'a1', {
        events: [opened('T-2')] as TicketEvent[],
        effects: [notify('T-2', 'e-2')],
        messageKeys: ['m-2'],
        externalId: 'x-2',
      }),
    ).toEqual({ ok: false, reason: 'agent_full', version: 0, agentId: 'a1' });
    expect(await store.load('T-2')).toBeNull();
    expect(await store.ticketEvents('T-2')).toEqual([]);
    expect(await collect(store.effects())).toEqual([]);
    expect(await store.findByExternalId('x-2')).toBeNull();
    expect(await store.findByExternalId('m-2')).toBeNull();
    // An existing ticket moving to a full agent keeps its version; the holder itself saves freely.
    await store.save('T-3', 0, write('T-3'));
    expect(await assign('T-3', 1, 'a1')).toEqual({
      ok: false,
      reason: 'agent_full',
      version: 1,
      agentId: 'a1',
    });
    expect(await assign('T-1', 1, 'a1')).toEqual({ ok: true, version: 2 });
    // Without a capacity, the slot is taken whatever the load (a person's own assignment).
    expect(
      await store.save(
        'T-3',
        1,
        write('T-3', { snapshot: shaped('T-3', { status: 'open', assigneeId: 'a1' }) }),
      ),
    ).toEqual({ ok: true, version: 2 });
    expect(await loads(store)).toEqual({ a1: 2 });
    // A refused agent who never held a ticket is not listed.
    expect(
      await store.save(
        'T-4',
        0,
        write('T-4', { snapshot: shaped('T-4', { status: 'open', assigneeId: 'a9' }), capacity: 0 }),
      ),
    ).toMatchObject({ ok: false, reason: 'agent_full', agentId: 'a9' });
    expect((await store.agents()).map((a) => a.agentId)).toEqual(['a1']);
  });

  it('never lets concurrent saves fill an agent above capacity', async () => {
    const store = await make();
    const ids = Array.from({ length: 12 }, (_, i) => `T-${i}`);
    const results = await Promise.all(
      ids.map((id) =>
        store.save(
          id,
          0,
          write(id, { snapshot: shaped(id, { status: 'open', assigneeId: 'a1' }), capacity: 3 }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.reason === 'agent_full')).toHaveLength(9);
    expect(await loads(store)).toEqual({ a1: 3 });
    // Batches at once: the free slots of a2 (capacity 4) go to four of the twelve requests.
    const batches = [0, 1, 2].map((b) =>
      store.saveMany(
        [0, 1, 2, 3].map((i) => {
          const id = `U-${b}-${i}`;
          return {
            ticketId: id,
            expectedVersion: 0,
            write: write(id, { snapshot: shaped(id, { status: 'open', assigneeId: 'a2' }), capacity: 4 }),
          };
        }),
      ),
    );
    const batched = (await Promise.all(batches)).flat();
    expect(batched.filter((r) => r.ok)).toHaveLength(4);
    expect(await loads(store)).toEqual({ a1: 3, a2: 4 });
  });

  it("counts the router's own assignments once each, with a store-wide sequence, and remembers the customer's agent", async () => {
    const store = await make();
    const assign = (id: string, version: number, agentId: string, events: TicketEvent[], customerId = 'c1') =>
      store.save(
        id,
        version,
        write(id, { customerId, snapshot: shaped(id, { status: 'open', assigneeId: agentId }), events }),
      );
    await assign('T-1', 0, 'a1', [routed('T-1', 'r1', 'a1', T0 + 10)]);
    await assign('T-2', 0, 'a2', [routed('T-2', 'r1', 'a2', T0 + 20)], 'c2');
    // The same event again (a retried call) and a person's assignment do not count.
    await assign('T-1', 1, 'a1', [
      routed('T-1', 'r1', 'a1', T0 + 10),
      { ...routed('T-1', 'p1', 'a1'), by: 'ana' } as TicketEvent,
    ]);
    await assign('T-3', 0, 'a1', [routed('T-3', 'r1', 'a1', T0 + 30)], 'c2');
    expect(await agentOf(store, 'a1')).toEqual({
      agentId: 'a1',
      load: 2,
      assigned: 2,
      lastSequence: 3,
      lastAssignedAt: T0 + 30,
    });
    expect(await agentOf(store, 'a2')).toEqual({
      agentId: 'a2',
      load: 1,
      assigned: 1,
      lastSequence: 2,
      lastAssignedAt: T0 + 20,
    });
    expect(await store.customer('c1')).toEqual({ customerId: 'c1', lastAgentId: 'a1', npsAskedAt: null });
    expect(await store.customer('c2')).toEqual({ customerId: 'c2', lastAgentId: 'a1', npsAskedAt: null });
    expect(await store.customer('c-unknown')).toEqual({
      customerId: 'c-unknown',
      lastAgentId: null,
      npsAskedAt: null,
    });
  });

  it('throttles NPS per customer across tickets', async () => {
    const store = await make();
    const ask = (id: string, version: number, askedAt: number, npsEveryMs?: number) =>
      store.save(
        id,
        version,
        write(id, {
          customerId: 'c1',
          snapshot: shaped(id, { status: 'solved', askedAt }),
          ...(npsEveryMs === undefined ? {} : { npsEveryMs }),
          effects: [notify(id, `${id}-${askedAt}`)],
        }),
      );
    expect(await ask('T-1', 0, T0, 5000)).toEqual({ ok: true, version: 1 });
    expect((await store.customer('c1')).npsAskedAt).toBe(T0);
    expect(await ask('T-2', 0, T0 + 4999, 5000)).toEqual({
      ok: false,
      reason: 'survey_throttled',
      version: 0,
    });
    expect(await store.load('T-2')).toBeNull();
    expect((await collect(store.effects())).map((e) => e.id)).toEqual([`T-1-${T0}`]);
    // The same ask again (a later save of the ticket) is not a new ask; nor is an older one.
    expect(await ask('T-1', 1, T0, 5000)).toEqual({ ok: true, version: 2 });
    expect(await ask('T-3', 0, T0 - 10, 5000)).toEqual({ ok: true, version: 1 });
    expect(await ask('T-2', 0, T0 + 5000, 5000)).toEqual({ ok: true, version: 1 });
    expect((await store.customer('c1')).npsAskedAt).toBe(T0 + 5000);
    // Without npsEveryMs the ask is kept, never refused.
    expect(await ask('T-4', 0, T0 + 5001)).toEqual({ ok: true, version: 1 });
    expect((await store.customer('c1')).npsAskedAt).toBe(T0 + 5001);
  });

  it('lists the tickets waiting for a person, longest waiting first, ties by id, with a limit', async () => {
    const store = await make();
    const put = (id: string, version: number, shape: Shape) =>
      store.save(id, version, write(id, { snapshot: shaped(id, shape) }));
    await put('b', 0, { status: 'new', openedAt: T0 + 30 });
    await put('a', 0, { status: 'new', openedAt: T0 + 30 });
    await put('c', 0, { status: 'open', openedAt: T0, statusChangedAt: T0 + 10 });
    await put('d', 0, { status: 'open', assigneeId: 'a1' });
    await put('e', 0, { status: 'new', queue: 'review' });
    await put('f', 0, { status: 'pending' });
    await put('g', 0, { status: 'new', openedAt: T0 + 5 });
    expect((await store.waiting()).map((t) => t.ticketId)).toEqual(['g', 'c', 'a', 'b']);
    expect((await store.waiting(2)).map((t) => t.ticketId)).toEqual(['g', 'c']);
    expect(await store.waiting(0)).toEqual([]);
    await put('g', 1, { status: 'open', assigneeId: 'a1', openedAt: T0 + 5 });
    await put('d', 1, { status: 'open', openedAt: T0, statusChangedAt: T0 + 40 });
    const waiting = await store.waiting();
    expect(waiting.map((t) => t.ticketId)).toEqual(['c', 'a', 'b', 'd']);
    expect(waiting[3]).toEqual(await store.load('d'));
  });

  it('claims due tickets for one owner at a time until the lease ends, the ticket is saved or released', async () => {
    const store = await make();
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries())
      await store.save(id, 0, write(id, { dueAt: T0 + i }));
    await store.save('later', 0, write('later', { dueAt: T0 + 100 }));
    const now = 1_000_000;
    const ids = (tickets: readonly { ticketId: string }[]) => tickets.map((t) => t.ticketId);
    expect(
      ids(await store.claimDue(T0 + 50, { owner: 'w1', limit: 2, leaseMs: 1000, clockNow: now })),
    ).toEqual(['a', 'b']);
    expect(ids(await store.claimDue(T0 + 50, { owner: 'w2', leaseMs: 1000, clockNow: now }))).toEqual([
      'c',
      'd',
    ]);
    expect(await store.claimDue(T0 + 50, { owner: 'w3', leaseMs: 1000, clockNow: now + 999 })).toEqual([]);
    // The owner's own claims are its to take again.
    expect(ids(await store.claimDue(T0 + 50, { owner: 'w1', leaseMs: 1000, clockNow: now + 1 }))).toEqual([
      'a',
      'b',
    ]);
    // Saving ends a claim; releasing gives claims back (only the owner's: w2 cannot release a).
    await store.save('c', 1, write('c', { dueAt: T0 + 2 }));
    await store.releaseDue(['a', 'd'], 'w2');
    expect(ids(await store.claimDue(T0 + 50, { owner: 'w3', leaseMs: 1000, clockNow: now + 500 }))).toEqual([
      'c',
      'd',
    ]);
    await store.releaseDue(['a'], 'w1');
    expect(ids(await store.claimDue(T0 + 50, { owner: 'w3', leaseMs: 1000, clockNow: now + 500 }))).toEqual([
      'a',
      'c',
      'd',
    ]);
    // Expired claims are taken again (w1's lease on b ended at now + 1001); a claimed ticket is
    // loaded in full.
    const taken = await store.claimDue(T0 + 50, { owner: 'w4', leaseMs: 1000, clockNow: now + 1001 });
    expect(ids(taken)).toEqual(['b']);
    expect(taken[0]).toEqual(await store.load('b'));
  });

  it('hands concurrent claimers disjoint sets of due tickets', async () => {
    const store = await make();
    const all = Array.from({ length: 20 }, (_, i) => `T-${String(i).padStart(2, '0')}`);
    await store.saveMany(
      all.map((id, i) => ({ ticketId: id, expectedVersion: 0, write: write(id, { dueAt: T0 + i }) })),
    );
    const claims = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((owner) => store.claimDue(T0 + 100, { owner, limit: 6, clockNow: 5000 })),
    );
    const taken = claims.flat().map((t) => t.ticketId);
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken.length).toBe(20);
    expect([...taken].sort()).toEqual(all);
  });

  it('streams tickets with their logs in creation order, by opening time', async () => {
    const store = await make();
    const plan: [string, number][] = [
      ['z', T0 + 20],
      ['a', T0],
      ['m', T0 + 10],
    ];
    for (const [id, openedAt] of plan) {
      await store.save(
        id,
        0,
        write(id, { snapshot: shaped(id, { openedAt }), events: [opened(id)] as TicketEvent[] }),
      );
    }
    await store.save(
      'z',
      1,
      write('z', {
        snapshot: shaped('z', { openedAt: T0 + 20 }),
        events: [note('z', 'n1'), note('z', 'n2')],
      }),
    );
    const all = await collect(store.stream());
    expect(all.map((s) => s.ticket.ticketId)).toEqual(['z', 'a', 'm']);
    expect(all[0]?.events.map((e) => e.id)).toEqual(['z:opened', 'n1', 'n2']);
    expect(all[0]?.ticket).toEqual(await store.load('z'));
    expect((await collect(store.stream({ from: T0 + 10 }))).map((s) => s.ticket.ticketId)).toEqual([
      'z',
      'm',
    ]);
    expect((await collect(store.stream({ from: T0, to: T0 + 20 }))).map((s) => s.ticket.ticketId)).toEqual([
      'a',
      'm',
    ]);
    expect(await collect(store.stream({ from: T0 + 21 }))).toEqual([]);
  });

  it('saves a batch as one-by-one saves would: a refused request writes nothing and stops nothing', async () => {
    const store = await make();
    await store.save('A', 0, write('A', { snapshot: shaped('A', { status: 'open', assigneeId: 'a1' }) }));
    const results = await store.saveMany([
      {
        ticketId: 'B',
        expectedVersion: 0,
        write: write('B', { events: [opened('B')] as TicketEvent[], messageKeys: ['k1'] }),
      },
      { ticketId: 'A', expectedVersion: 5, write: write('A', { effects: [notify('A', 'stale')] }) },
      {
        ticketId: 'B',
        expectedVersion: 1,
        write: write('B', {
          snapshot: shaped('B', { status: 'open', assigneeId: 'a1' }),
          capacity: 1,
          effects: [notify('B', 'full')],
        }),
      },
      {
        ticketId: 'A',
        expectedVersion: 1,
        write: write('A', {
          snapshot: shaped('A', { status: 'solved', assigneeId: 'a1' }),
          events: [note('A', 'n1')],
        }),
      },
      {
        ticketId: 'B',
        expectedVersion: 1,
        write: write('B', {
          snapshot: shaped('B', { status: 'open', assigneeId: 'a1' }),
          capacity: 1,
          events: [note('B', 'n2')],
        }),
      },
      { ticketId: 'C', expectedVersion: 0, write: write('C', { externalId: 'k1' }) },
      { ticketId: 'B', expectedVersion: 1, write: write('B') },
    ]);
    expect(results).toEqual([
      { ok: true, version: 1 },
      { ok: false, reason: 'version_conflict', version: 1 },
      { ok: false, reason: 'agent_full', version: 1, agentId: 'a1' },
      { ok: true, version: 2 },
      { ok: true, version: 2 },
      { ok: false, reason: 'external_id_taken', version: 0 },
      { ok: false, reason: 'version_conflict', version: 2 },
    ]);
    expect((await store.ticketEvents('B')).map((e) => e.id)).toEqual(['B:opened', 'n2']);
    expect(await collect(store.effects())).toEqual([]);
    expect(await loads(store)).toEqual({ a1: 1 });
    expect(await store.load('C')).toBeNull();
    expect(await store.saveMany([])).toEqual([]);
  });

  it('answers a lost race for a new ticket or its key with a refusal, not an error', async () => {
    const store = await make();
    const twice = await Promise.all([0, 1].map(() => store.save('T-1', 0, write('T-1'))));
    expect(twice.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(twice.find((r) => !r.ok)).toEqual({ ok: false, reason: 'version_conflict', version: 1 });
    const rivals = await Promise.all(
      ['T-2', 'T-3'].map((id) => store.save(id, 0, write(id, { externalId: 'mail-9' }))),
    );
    expect(rivals.filter((r) => r.ok)).toHaveLength(1);
    expect(rivals.find((r) => !r.ok)).toEqual({ ok: false, reason: 'external_id_taken', version: 0 });
  });

  // One-by-one equivalence: the same seed on two fresh stores, then one batch through saveMany
  // on one and through save, request by request, on the other.
  const request = fc.record({
    ticket: fc.constantFrom('A', 'B', 'C'),
    expected: fc.constantFrom(0, 1, 1, 2, 3),
    status: fc.constantFrom<Status>('new', 'open', 'open', 'solved'),
    assigneeId: fc.constantFrom(null, 'a1', 'a1', 'a2'),
    queue: fc.constantFrom(null, null, null, 'review'),
    askedAt: fc.constantFrom(null, null, T0, T0 + 1000, T0 + 5000),
    customer: fc.constantFrom('c1', 'c2'),
    capacity: fc.constantFrom(undefined, 1, 1, 2),
    npsEveryMs: fc.constantFrom(undefined, 2000),
    notes: fc.subarray(['n1', 'n2', 'n3']),
    route: fc.option(fc.record({ id: fc.constantFrom('r1', 'r2'), agentId: fc.constantFrom('a1', 'a2') }), {
      nil: null,
    }),
    effects: fc.subarray(['e1', 'e2', 'e3']),
    messageKeys: fc.subarray(['k1', 'k2']),
    externalId: fc.constantFrom(null, 'k1', 'k3'),
    dueAt: fc.constantFrom(null, T0 + 1),
  });
  type Generated = typeof request extends fc.Arbitrary<infer R> ? R : never;
  const toRequest = (r: Omit<Generated, 'expected'> & { readonly expected: number }) => ({
    ticketId: r.ticket,
    expectedVersion: r.expected,
    write: write(r.ticket, {
      snapshot: shaped(r.ticket, {
        status: r.status,
        assigneeId: r.assigneeId,
        queue: r.queue,
        askedAt: r.askedAt,
        statusChangedAt: T0 + r.notes.length,
      }),
      customerId: r.customer,
      ...(r.capacity === undefined ? {} : { capacity: r.capacity }),
      ...(r.npsEveryMs === undefined ? {} : { npsEveryMs: r.npsEveryMs }),
      events: [
        ...r.notes.map((id) => note(r.ticket, id)),
        ...(r.route ? [routed(r.ticket, r.route.id, r.route.agentId)] : []),
      ],
      effects: r.effects.map((id) => notify(r.ticket, `${id}`)),
      messageKeys: r.messageKeys,
      externalId: r.externalId,
      dueAt: r.dueAt,
    }),
  });
  test.prop(
    [fc.array(request, { maxLength: 5 }), fc.array(request, { minLength: 1, maxLength: 12 })],
    propertyRuns(15),
  )(
    'decides a batch exactly as one-by-one saves in order: same answers, same stored state',
    async (seed, batch) => {
      const [batched, single] = [await make(), await make()];
      for (const store of [batched, single]) {
        for (const r of seed) {
          const version = (await store.load(r.ticket))?.version ?? 0;
          await store.save(r.ticket, version, toRequest(r).write);
        }
      }
      const requests = batch.map(toRequest);
      const many = await batched.saveMany(requests);
      const one: unknown[] = [];
      for (const r of requests) one.push(await single.save(r.ticketId, r.expectedVersion, r.write));
      expect(many).toEqual(one);
      const args = [
        ['A', 'B', 'C'],
        ['c1', 'c2'],
        ['k1', 'k2', 'k3'],
      ] as const;
      expect(await dump(batched, ...args)).toEqual(await dump(single, ...args));
    },
    propertyTimeout(120_000),
  );

  // All or nothing: an atomic batch commits exactly when one-by-one saves would accept every
  // request (then as they would), and otherwise writes nothing at all.
  test.prop(
    [
      fc.array(request, { minLength: 1, maxLength: 5 }),
      fc.array(request, { minLength: 1, maxLength: 8 }),
      fc.boolean(),
    ],
    propertyRuns(15),
  )(
    'commits an atomic batch whole when one-by-one saves would accept it all, and nothing of it otherwise',
    async (seed, generated, current) => {
      const [batched, single] = [await make(), await make()];
      for (const store of [batched, single]) {
        for (const r of seed) {
          const version = (await store.load(r.ticket))?.version ?? 0;
          await store.save(r.ticket, version, toRequest(r).write);
        }
      }
      // Half the runs start from the stored versions (so whole batches get accepted too).
      const versions = new Map<string, number>();
      for (const id of ['A', 'B', 'C']) versions.set(id, (await batched.load(id))?.version ?? 0);
      const batch = generated.map((r) => {
        if (!current) return r;
        const expected = versions.get(r.ticket) ?? 0;
        versions.set(r.ticket, expected + 1);
        return { ...r, expected };
      });
      const requests = batch.map(toRequest);
      const args = [
        ['A', 'B', 'C'],
        ['c1', 'c2'],
        ['k1', 'k2', 'k3'],
      ] as const;
      const before = await dump(batched, ...args);
      const stored = new Map<string, number>();
      for (const id of ['A', 'B', 'C']) stored.set(id, (await batched.load(id))?.version ?? 0);
      const all = await batched.saveMany(requests, { atomic: true });
      const one: SaveResult[] = [];
      for (const r of requests) one.push(await single.save(r.ticketId, r.expectedVersion, r.write));
      if (one.every((r) => r.ok)) {
        expect(all).toEqual(one);
        expect(await dump(batched, ...args)).toEqual(await dump(single, ...args));
      } else {
        expect(all).toEqual(
          one.map((r, i) =>
            r.ok
              ? { ok: false, reason: 'batch_refused', version: stored.get(requests[i]!.ticketId) ?? 0 }
              : r,
          ),
        );
        expect(await dump(batched, ...args)).toEqual(before);
      }
    },
    propertyTimeout(120_000),
  );

  // The same, for batches of plain updates (tickets that exist, each once, no key, no router
  // assignment): the Postgres store writes those in one statement when all would be accepted.
  const plain = request.map(
    (r): Generated => ({ ...r, expected: r.expected === 0 ? 1 : r.expected, route: null, messageKeys: [] }),
  );
  test.prop(
    [
      fc.array(request, { minLength: 3, maxLength: 8 }),
      fc.uniqueArray(plain, { selector: (r) => r.ticket, minLength: 1, maxLength: 3 }),
    ],
    { numRuns: 20 },
  )(
    'decides a batch of plain updates exactly as one-by-one saves in order',
    async (seed, batch) => {
      const [batched, single] = [await make(), await make()];
      for (const store of [batched, single]) {
        for (const r of seed) {
          const version = (await store.load(r.ticket))?.version ?? 0;
          await store.save(r.ticket, version, toRequest(r).write);
        }
      }
      const requests = batch.map(toRequest);
      const many = await batched.saveMany(requests);
      const one: unknown[] = [];
      for (const r of requests) one.push(await single.save(r.ticketId, r.expectedVersion, r.write));
      expect(many).toEqual(one);
      const args = [
        ['A', 'B', 'C'],
        ['c1', 'c2'],
        ['k1', 'k2', 'k3'],
      ] as const;
      expect(await dump(batched, ...args)).toEqual(await dump(single, ...args));
    },
    120_000,
  );
});

describe('the desk end to end', () => {
  const standard = createSlaPolicy({
    id: 'standard',
    calendar: null,
    firstReply: { targets: { normal: { hours: 8 } } },
  });
  const options = (store: TicketStore): DeskOptions => ({
    store,
    agents: [
      { id: 'ana', name: 'Ana', capacity: 5 },
      { id: 'ben', name: 'Ben', capacity: 5 },
    ],
    slaPolicies: [standard],
    lifecycle: { acknowledgeTemplate: 'acknowledgement' },
    templates: createTemplateLibrary(starterTemplates),
  });

  /** A day at a small desk: contacts, replies, a duplicate, a rejected event, ticks and KPIs. */
  const day = async (store: TicketStore) => {
    const desk = createDesk(options(store));
    const seen: unknown[] = [];
    for (let n = 1; n <= 4; n++) {
      const result = await desk.receive({
        externalId: `mail-${n}`,
        channel: 'email',
        customer: { id: `c${n}`, name: `Customer ${n}` },
        subject: 'Late parcel',
        body: 'Where is my order?',
        at: T0 + n * 60_000,
      });
      seen.push(result.ticket, result.effects);
    }
    seen.push(
      (
        await desk.receive({
          externalId: 'mail-1',
          channel: 'email',
          customer: { id: 'c1' },
          body: 'again',
          at: T0,
        })
      ).duplicate,
    );
    const ids: string[] = [];
    for await (const id of store.ticketIds()) ids.push(id);
    const [first, second, third] = ids as [string, string, string];
    const reply = {
      type: 'agent.replied',
      id: 'r1',
      ticketId: first,
      at: T0 + 3_600_000,
      agentId: 'ana',
      body: 'On its way',
      status: 'solved',
    };
    seen.push(await desk.handle(reply as never), await desk.handle(reply as never));
    seen.push(
      await desk.handle({
        type: 'customer.replied',
        id: 'c1',
        ticketId: second,
        at: T0 + 3_700_000,
        body: 'Any news?',
      }),
    );
    seen.push(await desk.handle({ type: 'ticket.closed', id: 'x1', ticketId: third, at: T0 + 3_800_000 }));
    seen.push(await desk.tick({ now: T0 + 86_400_000 * 5 }));
    await desk.blocklist.add('c9', { reason: 'fraud', by: 'lead', at: T0 });
    // The report's quantile functions differ per call: compare its data.
    seen.push(await desk.blocklist.list(), JSON.parse(JSON.stringify(await desk.metrics())));
    const logs = [];
    for (const id of ids) logs.push(await store.ticketEvents(id), (await store.load(id))?.version);
    return { seen, logs, desk, ids };
  };

  it('gives the same results, views, logs and KPIs on the Postgres store as on the memory store', async () => {
    const memory = await day(createMemoryStore());
    const postgres = await day((await freshStore()).store);
    const pooled = await day((await freshStore(pgPoolClient(pgliteAsPool(await sharedPglite())))).store);
    expect(postgres.seen).toEqual(memory.seen);
    expect(postgres.logs).toEqual(memory.logs);
    expect(pooled.seen).toEqual(memory.seen);
    expect(memory.logs.flat().length).toBeGreaterThan(10);
  });

  it('keeps tickets across desks: a new desk over the same database carries on', async () => {
    const db = await sharedPglite();
    const { schema } = await freshStore(pgliteClient(db));
    const { store } = await freshStore(pgliteClient(db), { schema });
    const first = createDesk(options(store));
    const { ticket } = await first.receive({
      externalId: 'mail-1',
      channel: 'email',
      customer: { id: 'c1' },
      body: 'Hi',
      at: T0,
    });
    const second = createDesk(options((await freshStore(pgliteClient(db), { schema })).store));
    const result = await second.handle({
      type: 'agent.replied',
      id: 'r1',
      ticketId: ticket.ticketId,
      at: T0 + 1000,
      agentId: 'ana',
      body: 'Hello',
    });
    expect(result.ticket.counters.agentReplies).toBe(1);
    expect(
      (
        await second.receive({
          externalId: 'mail-1',
          channel: 'email',
          customer: { id: 'c1' },
          body: 'Hi',
          at: T0,
        })
      ).duplicate,
    ).toBe(true);
  });
});
