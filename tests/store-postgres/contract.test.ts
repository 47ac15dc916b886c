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
  type TicketSnapshot,
  type TicketStore,
  type TicketWrite,
} from '../../src/workflows/index.js';
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
          'postgres (a server, through pg)',
          async () => {
            server ??= new pg.Pool({ connectionString: serverUrl, max: 4 });
            return (await freshStore(pgPoolClient(server))).store;
          },
        ],
      ] as [string, () => Promise<TicketStore>][])
    : []),
];

beforeAll(() => sharedPglite(), 60_000);
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
    { numRuns: 12 },
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
    60_000,
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
    { numRuns: 15 },
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
    60_000,
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
    seen.push(await desk.handle(reply), await desk.handle(reply));
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
    seen.push(await desk.tick(T0 + 86_400_000 * 5));
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
