import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  createDesk,
  createTicketWorkflow,
  type TicketSnapshot,
  type TicketStore,
} from '../../src/workflows/index.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), 60_000);
afterAll(async () => {
  await (await sharedPglite()).close();
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const wf = createTicketWorkflow();
const opened = {
  type: 'ticket.opened',
  id: 'T-1:opened',
  ticketId: 'T-1',
  at: T0,
  channel: 'email',
  subject: 'Help',
  body: 'Where is my order?',
  customer: { id: 'c1' },
} as const;

// Any UTF-16 code unit: NUL, control characters and lone surrogates included.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const text = fc.oneof(fc.string({ unit: codeUnit, maxLength: 8 }), fc.string({ maxLength: 8 }));
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    text,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(text, tie('json'), { maxKeys: 4 }),
  ),
}));

describe('snapshots as jsonb', () => {
  test.prop([json, text], { numRuns: 150 })(
    'a snapshot holding any JSON value reads back as its JSON round trip',
    async (value, subject) => {
      const { store } = await storeOnce();
      const base = wf.start({ ...opened, subject }).snapshot;
      const snapshot = {
        ...base,
        context: { ...base.context, sla: value, tags: [subject] },
      } as TicketSnapshot;
      const id = `T-${++saved}`;
      const result = await store.save(id, 0, {
        snapshot,
        workflowKey: 'k',
        dueAt: null,
        customerId: 'c1',
        externalId: null,
        events: [{ ...opened, subject }],
      });
      expect(result.ok).toBe(true);
      expect((await store.load(id))?.snapshot).toStrictEqual(JSON.parse(JSON.stringify(snapshot)));
      expect((await store.ticketEvents(id))[0]).toStrictEqual({ ...opened, subject });
    },
  );
});

let saved = 0;
let shared: ReturnType<typeof freshStore> | undefined;
const storeOnce = () => {
  shared ??= freshStore();
  return shared;
};

/** A store whose every call waits for the scheduler before it runs, so calls interleave in any order. */
function scheduledStore(inner: TicketStore, s: fc.Scheduler): TicketStore {
  const gate = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    await s.schedule(Promise.resolve(), label);
    return run();
  };
  return {
    ...inner,
    load: (id) => gate('load', () => inner.load(id)),
    save: (id, version, write) => gate('save', () => inner.save(id, version, write)),
    findByExternalId: (id) => gate('find', () => inner.findByExternalId(id)),
    dueTickets: (now, limit) => gate('due', () => inner.dueTickets(now, limit)),
  };
}

const agents = [
  { id: 'ana', name: 'Ana', capacity: 50 },
  { id: 'ben', name: 'Ben', capacity: 50 },
];
const contact = (n: number) => ({
  externalId: `mail-${n}`,
  channel: 'email',
  customer: { id: `c${n}` },
  subject: 'Help',
  body: 'Where is my order?',
  at: T0 + n,
});
const arbEvent = fc.oneof(
  fc.record({ kind: fc.constant('note' as const) }),
  fc.record({ kind: fc.constant('reply' as const) }),
  fc.record({ kind: fc.constant('customer' as const) }),
  fc.record({ kind: fc.constant('priority' as const), priority: fc.constantFrom('low', 'high', 'urgent') }),
);
function toEvent(spec: { kind: string; priority?: string }, ticketId: string, i: number) {
  const base = { id: `e${i}`, ticketId, at: T0 + 1000 + i };
  switch (spec.kind) {
    case 'note':
      return { type: 'agent.noted', ...base, agentId: 'ana', body: `note ${i}` };
    case 'reply':
      return { type: 'agent.replied', ...base, agentId: 'ben', body: `reply ${i}`, status: 'pending' };
    case 'customer':
      return { type: 'customer.replied', ...base, body: `more ${i}` };
    default:
      return { type: 'ticket.reprioritized', ...base, priority: spec.priority };
  }
}

describe('concurrency on the Postgres store', () => {
  test.prop([fc.scheduler(), fc.array(arbEvent, { minLength: 2, maxLength: 5 })], { numRuns: 25 })(
    'concurrent handles of one ticket never lose an update: every event is stored once and the snapshot is the replay of the log',
    async (s, specs) => {
      const { store: inner } = await freshStore();
      const { ticket } = await createDesk({ store: inner, agents }).receive(contact(1));
      const desk = createDesk({ store: scheduledStore(inner, s), agents, maxAttempts: 50 });
      const events = specs.map((spec, i) => toEvent(spec, ticket.ticketId, i));
      const results = await s.waitFor(Promise.all([...events, ...events].map((event) => desk.handle(event))));
      const log = await inner.ticketEvents(ticket.ticketId);
      const applied = log.filter((event) => event.id.startsWith('e')).map((event) => event.id);
      const accepted = results.filter((r) => !r.duplicate && !r.rejected).length;
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied.length).toBe(accepted);
      const stored = await inner.load(ticket.ticketId);
      expect(stored?.snapshot).toEqual(wf.replay(log).snapshot);
      expect(stored?.version).toBe(1 + accepted);
    },
  );

  test.prop(
    [
      fc.scheduler(),
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant('receive' as const), n: fc.integer({ min: 1, max: 3 }) }),
          fc.record({
            op: fc.constant('handle' as const),
            n: fc.integer({ min: 1, max: 3 }),
            event: arbEvent,
          }),
          fc.record({ op: fc.constant('tick' as const), days: fc.integer({ min: 0, max: 20 }) }),
        ),
        { maxLength: 10 },
      ),
    ],
    { numRuns: 25 },
  )(
    'for any interleaving of receive, handle and tick, every stored snapshot equals the replay of its stored events',
    async (s, ops) => {
      const { store: inner } = await freshStore();
      const lifecycle = { requireAssigneeToSolve: false };
      const desk = createDesk({ store: scheduledStore(inner, s), agents, lifecycle, maxAttempts: 100 });
      const calls = ops.map(async (op, i) => {
        if (op.op === 'receive') return desk.receive(contact(op.n));
        if (op.op === 'tick') return desk.tick(T0 + op.days * 86_400_000);
        const ticketId = await inner.findByExternalId(`mail-${op.n}`);
        return ticketId ? desk.handle(toEvent(op.event, ticketId, i)) : null;
      });
      await s.waitFor(Promise.all(calls));
      const seen = new Set<string>();
      for await (const ticketId of inner.ticketIds()) {
        const stored = await inner.load(ticketId);
        const log = await inner.ticketEvents(ticketId);
        expect(stored?.snapshot).toEqual(createTicketWorkflow(lifecycle).replay(log).snapshot);
        expect(seen.has(stored?.externalId as string)).toBe(false);
        seen.add(stored?.externalId as string);
      }
    },
  );
});
