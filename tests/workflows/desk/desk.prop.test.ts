import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  createDesk,
  createMemoryStore,
  createTicketWorkflow,
  type TicketStore,
} from '../../../src/workflows/index.js';

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
const T0 = Date.parse('2026-11-23T09:00:00Z');

const contact = (n: number) => ({
  externalId: `mail-${n}`,
  channel: 'email',
  customer: { id: `c${n}` },
  subject: 'Help',
  body: 'Where is my order?',
  at: T0 + n,
});

/** Events that any open ticket accepts, each with its own id. */
const arbEvent = fc.oneof(
  fc.record({ kind: fc.constant('note' as const) }),
  fc.record({ kind: fc.constant('reply' as const) }),
  fc.record({ kind: fc.constant('customer' as const) }),
  fc.record({
    kind: fc.constant('priority' as const),
    priority: fc.constantFrom('low', 'normal', 'high', 'urgent'),
  }),
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

describe('concurrency', () => {
  test.prop([fc.scheduler(), fc.array(arbEvent, { minLength: 2, maxLength: 5 })], { numRuns: 60 })(
    'concurrent handles of one ticket never lose an update: every event is stored once and the snapshot is the replay of the log',
    async (s, specs) => {
      const inner = createMemoryStore();
      const opener = createDesk({ store: inner, agents });
      const { ticket } = await opener.receive(contact(1));
      const desk = createDesk({ store: scheduledStore(inner, s), agents, maxAttempts: 50 });
      const events = specs.map((spec, i) => toEvent(spec, ticket.ticketId, i));
      // Every event is delivered twice, all at once: each must be applied exactly once.
      const calls = [...events, ...events].map((event) => desk.handle(event));
      const results = await s.waitFor(Promise.all(calls));
      const log = await inner.ticketEvents(ticket.ticketId);
      const applied = log.filter((event) => event.id.startsWith('e')).map((event) => event.id);
      const accepted = results.filter((r) => !r.duplicate && !r.rejected).length;
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied.length).toBe(accepted);
      const stored = await inner.load(ticket.ticketId);
      const replayed = createTicketWorkflow().replay(log).snapshot;
      expect(stored?.snapshot).toEqual(replayed);
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
        { maxLength: 12 },
      ),
    ],
    { numRuns: 60 },
  )(
    'for any interleaving of receive, handle and tick, every stored snapshot equals the replay of its stored events',
    async (s, ops) => {
      const inner = createMemoryStore();
      const desk = createDesk({
        store: scheduledStore(inner, s),
        agents,
        lifecycle: { requireAssigneeToSolve: false },
        maxAttempts: 100,
      });
      const calls = ops.map(async (op, i) => {
        if (op.op === 'receive') return desk.receive(contact(op.n));
        if (op.op === 'tick') return desk.tick(T0 + op.days * 86_400_000);
        const ticketId = await inner.findByExternalId(`mail-${op.n}`);
        if (!ticketId) return null;
        return desk.handle(toEvent(op.event, ticketId, i));
      });
      await s.waitFor(Promise.all(calls));
      const seen = new Set<string>();
      for await (const ticketId of inner.ticketIds()) {
        const stored = await inner.load(ticketId);
        const log = await inner.ticketEvents(ticketId);
        expect(stored?.snapshot).toEqual(
          createTicketWorkflow({ requireAssigneeToSolve: false }).replay(log).snapshot,
        );
        expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
        const externalId = stored?.externalId as string;
        expect(seen.has(externalId)).toBe(false);
        seen.add(externalId);
      }
    },
  );
});
