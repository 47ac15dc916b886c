// The desk's concurrency laws, written once and run against any TicketStore: the memory store
// (tests/workflows/desk/desk.prop.test.ts) and PostgreSQL on PGlite (tests/store-postgres).
import { fc } from '@fast-check/vitest';
import type { InboundContactInput, TicketEventInput } from 'carekit';
import { expect } from 'vitest';
import { createDesk, createTicketWorkflow, type TicketStore } from '../../../src/workflows/index.js';

/** A store whose every call waits for the scheduler before it runs, so calls interleave in any order. */
export function scheduledStore(inner: TicketStore, s: fc.Scheduler): TicketStore {
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

const contact = (n: number): InboundContactInput => ({
  externalId: `mail-${n}`,
  channel: 'email',
  customer: { id: `c${n}` },
  subject: 'Help',
  body: 'Where is my order?',
  at: T0 + n,
});

/** Events that any open ticket accepts, each with its own id. */
export const arbEvent = fc.oneof(
  fc.record({ kind: fc.constant('note' as const) }),
  fc.record({ kind: fc.constant('reply' as const) }),
  fc.record({ kind: fc.constant('customer' as const) }),
  fc.record({
    kind: fc.constant('priority' as const),
    priority: fc.constantFrom('low', 'normal', 'high', 'urgent'),
  }),
);
type EventSpec = typeof arbEvent extends fc.Arbitrary<infer T> ? T : never;

function toEvent(spec: EventSpec, ticketId: string, i: number): TicketEventInput {
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

/** Receives, handles and ticks in any mix. */
export const arbOps = (maxLength: number) =>
  fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('receive' as const), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant('handle' as const), n: fc.integer({ min: 1, max: 3 }), event: arbEvent }),
      fc.record({ op: fc.constant('tick' as const), days: fc.integer({ min: 0, max: 20 }) }),
    ),
    { maxLength },
  );
type Op = typeof arbOps extends (n: number) => fc.Arbitrary<(infer T)[]> ? T : never;

/**
 * Every event delivered twice, all at once, to one ticket: each is applied exactly once, the
 * version counts the saves and the snapshot is the replay of the stored log.
 */
export async function checkNoLostUpdate(inner: TicketStore, s: fc.Scheduler, specs: readonly EventSpec[]) {
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
  expect(stored?.snapshot).toEqual(createTicketWorkflow().replay(log).snapshot);
  expect(stored?.version).toBe(1 + accepted);
}

/**
 * Any interleaving of receive, handle and tick: every stored snapshot equals the replay of its
 * stored events, no event is stored twice, and no contact opens two tickets.
 */
export async function checkInterleavings(inner: TicketStore, s: fc.Scheduler, ops: readonly Op[]) {
  const lifecycle = { requireAssigneeToSolve: false };
  const desk = createDesk({ store: scheduledStore(inner, s), agents, lifecycle, maxAttempts: 100 });
  const calls = ops.map(async (op, i) => {
    if (op.op === 'receive') return desk.receive(contact(op.n));
    if (op.op === 'tick') return desk.tick({ now: T0 + op.days * 86_400_000 });
    const ticketId = await inner.findByExternalId(`email:mail-${op.n}`);
    return ticketId ? desk.handle(toEvent(op.event, ticketId, i)) : null;
  });
  await s.waitFor(Promise.all(calls));
  const seen = new Set<string>();
  for await (const ticketId of inner.ticketIds()) {
    const stored = await inner.load(ticketId);
    const log = await inner.ticketEvents(ticketId);
    expect(stored?.snapshot).toEqual(createTicketWorkflow(lifecycle).replay(log).snapshot);
    expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
    expect(seen.has(stored?.externalId as string)).toBe(false);
    seen.add(stored?.externalId as string);
  }
}
