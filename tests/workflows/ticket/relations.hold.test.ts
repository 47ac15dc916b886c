import { describe, expect, it } from 'vitest';
import { ticketFacts } from '../../../src/metrics/index.js';
import { parseTicketEvent, type TicketEvent } from '../../../src/model/index.js';
import { createTicketWorkflow, lifecycleFactsOptions } from '../../../src/workflows/index.js';

const T0 = Date.parse('2026-11-02T09:00:00Z');
const D = 86_400_000;
const ev = (type: string, at: number, extra: Record<string, unknown> = {}): TicketEvent =>
  parseTicketEvent({ type, id: `${type}@${at}`, ticketId: 'P', at, ...extra });
const opened = ev('ticket.opened', T0, {
  channel: 'email',
  subject: 'Refund',
  body: 'Where is my refund?',
  customer: { id: 'c1' },
});

describe('a pending parent waits for its children (docs/relations.md)', () => {
  const wf = createTicketWorkflow({ requireAssigneeToSolve: false, autoSolvePendingAfter: { days: 3 } });
  const log = [
    opened,
    ev('ticket.status_set', T0 + 1, { status: 'pending' }),
    ev('ticket.child_changed', T0 + 2, { childId: 'C', state: 'open' }),
  ];

  it('is not auto-solved while a child is open, has no deadline, and restarts its timeout when the last child is done', () => {
    let s = wf.replay(log).snapshot;
    expect(wf.dueAt(s)).toBe(T0 + 1 + 3 * D);
    s = wf.apply(s, ev('clock.tick', T0 + 4 * D)).snapshot;
    expect(s.status).toBe('pending');
    expect(s.context.autoSolveAt).toBeNull();
    expect(wf.dueAt(s)).toBeNull();
    // Any later event (not only a tick) finds it held too.
    s = wf.apply(s, ev('agent.noted', T0 + 9 * D, { agentId: 'a1', body: 'still waiting' })).snapshot;
    expect(s.status).toBe('pending');
    const done = T0 + 10 * D;
    s = wf.apply(s, ev('ticket.child_changed', done, { childId: 'C', state: 'done' })).snapshot;
    expect(s.context.autoSolveAt).toBe(done + 3 * D);
    expect(wf.apply(s, ev('clock.tick', done + 3 * D - 1)).snapshot.status).toBe('pending');
    const solved = wf.apply(s, ev('clock.tick', done + 3 * D)).snapshot;
    expect([solved.status, solved.context.solvedBy, solved.context.solvedAt]).toEqual([
      'solved',
      'auto',
      done + 3 * D,
    ]);
  });

  it('keeps its own deadline when the children finish before it', () => {
    let s = wf.replay([...log, ev('ticket.child_changed', T0 + D, { childId: 'C', state: 'done' })]).snapshot;
    expect(s.context.autoSolveAt).toBe(T0 + 1 + 3 * D);
    s = wf.apply(s, ev('clock.tick', T0 + 1 + 3 * D)).snapshot;
    expect(s.status).toBe('solved');
  });

  it('an unlinked last child releases the hold as a done one does; solveWithOpenChildren never holds', () => {
    let s = wf.replay([...log, ev('clock.tick', T0 + 4 * D)]).snapshot;
    s = wf.apply(s, ev('ticket.child_changed', T0 + 5 * D, { childId: 'C', state: 'unlinked' })).snapshot;
    expect(s.context.autoSolveAt).toBe(T0 + 8 * D);
    const free = createTicketWorkflow({
      requireAssigneeToSolve: false,
      autoSolvePendingAfter: { days: 3 },
      solveWithOpenChildren: true,
    });
    expect(free.apply(free.replay(log).snapshot, ev('clock.tick', T0 + 4 * D)).snapshot.status).toBe(
      'solved',
    );
  });

  it('ticketFacts reads the log with the same rule (lifecycleFactsOptions)', () => {
    const options = lifecycleFactsOptions(wf.config);
    const done = T0 + 10 * D;
    const full = [...log, ev('ticket.child_changed', done, { childId: 'C', state: 'done' })];
    expect(ticketFacts(log, { ...options, now: T0 + 9 * D }).status).toBe('pending');
    const facts = ticketFacts(full, { ...options, now: done + 3 * D });
    expect([facts.status, facts.solvedAt]).toEqual(['solved', done + 3 * D]);
    expect(ticketFacts(full, { ...options, now: done + 3 * D - 1 }).status).toBe('pending');
    expect(ticketFacts(log, { ...options, solveWithOpenChildren: true, now: T0 + 4 * D }).status).toBe(
      'solved',
    );
  });
});
