import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createActor } from 'xstate';
import { parseTicketEvent, type TicketEvent, type TicketStatus } from '../../src/model/index.js';
import { createSlaEngine, createSlaPolicy } from '../../src/sla/index.js';
import { createTicketWorkflow, type SlaAdapter, type TicketSnapshot } from '../../src/workflows/index.js';
import { arbTicketLog } from './ticket.arbitraries.js';

const H = 3_600_000;

const slaPolicy = createSlaPolicy({
  id: 'p',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 }, high: { hours: 1 } } },
  nextReply: { targets: { normal: { hours: 8 } } },
  periodicUpdate: { targets: { normal: { days: 1 } } },
  resolution: { targets: { normal: { days: 2 }, urgent: { hours: 8 } } },
});
const D = 24 * H;

const configs = [
  {
    reopenWindow: { days: 7 },
    autoSolvePendingAfter: { days: 7 },
    autoCloseSolvedAfter: { days: 4 },
    requireAssigneeToSolve: true,
    assignOnReply: true,
  },
  {
    reopenWindow: { days: 2 },
    autoSolvePendingAfter: { days: 3 },
    autoCloseSolvedAfter: null,
    requireAssigneeToSolve: false,
    assignOnReply: false,
  },
  {
    reopenWindow: { hours: 12 },
    autoSolvePendingAfter: null,
    autoCloseSolvedAfter: { days: 1 },
    requireAssigneeToSolve: true,
    assignOnReply: false,
  },
] as const;

/** A deliberately plain reference of the lifecycle rules, written without the rule table. */
interface Ref {
  status: TicketStatus;
  assignee: string | null;
  solvedAt: number | null;
  autoSolveAt: number | null;
  autoCloseAt: number | null;
  last: number;
  ids: Set<string>;
  reopens: number;
  agentReplies: number;
  customerReplies: number;
  firstReplyAt: number | null;
  tier: number;
}

type Cfg = (typeof configs)[number];
const ms = (d: { days?: number; hours?: number } | null) =>
  d === null ? null : ((d.days ?? 0) * 24 + (d.hours ?? 0)) * H;

function refApply(committed: Ref, e: TicketEvent, cfg: Cfg): { outcome: 'applied' | 'duplicate' | string } {
  if (committed.ids.has(e.id)) return { outcome: 'duplicate' };
  if (e.type === 'ticket.opened' && e.ticketId === 'T-1') return { outcome: 'already_opened' };
  if (e.ticketId !== 'T-1') return { outcome: 'wrong_ticket' };
  if (e.at < committed.last) return { outcome: 'out_of_order' };
  const ref: Ref = { ...committed, ids: new Set(committed.ids) };
  // Time passed every deadline before `e.at`: apply them first, as a tick at the deadline would.
  for (;;) {
    if (ref.status === 'pending' && ref.autoSolveAt !== null && ref.autoSolveAt <= e.at) {
      ref.status = 'solved';
      ref.solvedAt = ref.autoSolveAt;
      ref.last = ref.autoSolveAt;
      ref.autoCloseAt =
        cfg.autoCloseSolvedAfter === null ? null : ref.autoSolveAt + ms(cfg.autoCloseSolvedAfter)!;
      ref.autoSolveAt = null;
    } else if (ref.status === 'solved' && ref.autoCloseAt !== null && ref.autoCloseAt <= e.at) {
      ref.status = 'closed';
      ref.last = ref.autoCloseAt;
      ref.autoCloseAt = null;
    } else break;
  }
  const outcome = refStep(ref, e, cfg);
  if (outcome === 'applied') Object.assign(committed, ref);
  return { outcome };
}

function refStep(ref: Ref, e: TicketEvent, cfg: Cfg): string {
  const final = ref.status === 'closed' || ref.status === 'merged';
  if (final && e.type !== 'survey.answered' && e.type !== 'clock.tick') return 'not_allowed_in_status';
  if (e.type === 'survey.answered' && !final && ref.status !== 'solved') return 'not_allowed_in_status';
  const from = ref.status;
  let to = from;
  const isReply = e.type === 'agent.replied';
  const publicHuman = isReply && e.public !== false && e.bot !== true;
  if ((isReply || e.type === 'ticket.status_set') && e.status === 'solved') {
    const canSolve =
      !cfg.requireAssigneeToSolve || ref.assignee !== null || (cfg.assignOnReply && publicHuman);
    if (!canSolve) return 'requires_assignee';
  }
  switch (e.type) {
    case 'customer.replied':
      ref.customerReplies++;
      if (from === 'pending' || from === 'on_hold') to = 'open';
      if (from === 'solved') to = e.at - ref.solvedAt! <= ms(cfg.reopenWindow)! ? 'open' : 'closed';
      break;
    case 'agent.replied':
      if (publicHuman) {
        ref.agentReplies++;
        ref.firstReplyAt ??= e.at;
        if (ref.assignee === null && cfg.assignOnReply) ref.assignee = e.agentId;
      }
      if (e.status !== undefined) to = e.status;
      else if (from === 'new' && e.public !== false) to = 'open';
      break;
    case 'ticket.status_set':
      to = e.status;
      break;
    case 'ticket.assigned':
      ref.assignee = e.agentId;
      if (e.tier !== undefined) ref.tier = e.tier;
      if (from === 'new' && e.agentId !== null) to = 'open';
      break;
    case 'ticket.escalated':
      // Moving up a tier releases the assignee: the ticket needs an agent of the new tier.
      if (Math.min(e.tier, 3) > ref.tier) ref.assignee = null;
      ref.tier = Math.min(e.tier, 3);
      break;
    case 'ticket.merged':
      to = 'merged';
      break;
    case 'ticket.closed':
    case 'ticket.marked_spam':
      to = 'closed';
      break;
    case 'clock.tick':
      if (from === 'pending' && ref.autoSolveAt !== null && e.at >= ref.autoSolveAt) to = 'solved';
      if (from === 'solved' && ref.autoCloseAt !== null && e.at >= ref.autoCloseAt) to = 'closed';
      break;
    default:
      break;
  }
  const reopened = from === 'solved' && (to === 'open' || to === 'pending' || to === 'on_hold');
  if (reopened) ref.reopens++;
  if (to === 'solved' && from !== 'solved') ref.solvedAt = e.at;
  if (reopened) ref.solvedAt = null;
  if (to !== 'pending') ref.autoSolveAt = null;
  else if (cfg.autoSolvePendingAfter !== null && (from !== 'pending' || (isReply && e.public !== false))) {
    ref.autoSolveAt = e.at + ms(cfg.autoSolvePendingAfter)!;
  }
  if (to !== 'solved') ref.autoCloseAt = null;
  else if (from !== 'solved' && cfg.autoCloseSolvedAfter !== null)
    ref.autoCloseAt = e.at + ms(cfg.autoCloseSolvedAfter)!;
  ref.status = to;
  ref.last = e.at;
  ref.ids.add(e.id);
  return 'applied';
}

describe('ticket lifecycle laws', () => {
  test.prop([arbTicketLog(40), fc.constantFrom(...configs)], { numRuns: 300 })(
    'agrees with a plain reference model after every event, and keeps its invariants',
    (log, cfg) => {
      const wf = createTicketWorkflow(cfg);
      const events = log.map((e) => parseTicketEvent(e));
      let { snapshot } = wf.start(log[0]);
      const ref: Ref = {
        status: 'new',
        assignee: null,
        solvedAt: null,
        autoSolveAt: null,
        autoCloseAt: null,
        last: events[0]!.at,
        ids: new Set(['e0']),
        reopens: 0,
        agentReplies: 0,
        customerReplies: 0,
        firstReplyAt: null,
        tier: 1,
      };
      for (const event of events.slice(1)) {
        const before = snapshot;
        const result = wf.apply(snapshot, event);
        const { outcome } = refApply(ref, event, cfg);
        if (outcome === 'duplicate') expect(result.duplicate).toBe(true);
        else if (outcome === 'applied') expect(result.rejected).toBeUndefined();
        else expect(result.rejected?.code).toBe(outcome);
        if (outcome !== 'applied') expect(result.snapshot).toBe(before);
        snapshot = result.snapshot;
        const c = snapshot.context;
        expect(snapshot.status).toBe(ref.status);
        expect(c.assigneeId).toBe(ref.assignee);
        expect(c.counters.reopens).toBe(ref.reopens);
        expect(c.counters.agentReplies).toBe(ref.agentReplies);
        expect(c.counters.customerReplies).toBe(ref.customerReplies);
        expect(c.firstReplyAt).toBe(ref.firstReplyAt);
        expect(c.solvedAt).toBe(ref.solvedAt);
        expect(c.tier).toBe(ref.tier);
        expect(wf.dueAt(snapshot)).toBe(
          snapshot.status === 'pending'
            ? ref.autoSolveAt
            : snapshot.status === 'solved'
              ? ref.autoCloseAt
              : null,
        );
        // invariants
        if (before.status === 'closed' || before.status === 'merged')
          expect(snapshot.status).toBe(before.status);
        expect(new Set(c.eventIds).size).toBe(c.eventIds.length);
        expect(snapshot.status === 'new' ? c.counters.agentReplies + c.counters.assignments : 0).toBe(0);
      }
    },
  );

  test.prop([arbTicketLog(40), fc.constantFrom(...configs), fc.boolean(), fc.boolean()], { numRuns: 200 })(
    'apply through stored snapshots = replay = the XState actor',
    (log, cfg, blocked, withSla) => {
      const wf = createTicketWorkflow({
        ...cfg,
        blockedCustomers: blocked ? 'close_as_spam' : 'review_queue',
        sla: withSla ? slaPolicy : null,
        survey: withSla
          ? { delay: { hours: 12 }, reminderAfter: { days: 2 }, expireAfter: { days: 5 } }
          : null,
        npsEligible: () => true,
      });
      // one by one, through JSON as a database would store it
      let { snapshot, effects: first } = wf.start(log[0]);
      const effects = [...first];
      const accepted: TicketEvent[] = [];
      for (const event of log.slice(1)) {
        const stored = JSON.parse(JSON.stringify(snapshot)) as TicketSnapshot;
        const result = wf.apply(stored, event);
        if (result.rejected === undefined && result.duplicate === undefined)
          accepted.push(parseTicketEvent(event));
        effects.push(...result.effects);
        snapshot = result.snapshot;
      }
      const replayed = wf.replay(log);
      expect(replayed.snapshot).toEqual(snapshot);
      for (const clock of Object.values(wf.view(snapshot).sla?.clocks ?? {})) {
        expect(clock.elapsedMs).toBeGreaterThanOrEqual(0);
      }
      expect(replayed.effects).toEqual(effects);

      const opened = parseTicketEvent(log[0]);
      if (opened.type !== 'ticket.opened') throw new Error('unreachable');
      const actor = createActor(wf.machine, { input: { opened } }).start();
      for (const event of accepted) {
        // Drive the actor as a host does: a tick at every deadline that passed before the event.
        for (;;) {
          const { value, context: c } = actor.getSnapshot();
          const status = value as unknown as TicketStatus;
          const lifecycle = status === 'pending' ? c.autoSolveAt : status === 'solved' ? c.autoCloseAt : null;
          const candidates = [lifecycle, c.survey.dueAt].filter((d): d is number => d !== null);
          const deadline = candidates.length === 0 ? null : Math.min(...candidates);
          if (deadline === null || deadline > event.at) break;
          actor.send({
            type: 'clock.tick',
            id: `${event.id}#deadline`,
            ticketId: event.ticketId,
            at: deadline,
          });
        }
        actor.send(event);
      }
      const { outbox: _outbox, rejection: _rejection, ...context } = actor.getSnapshot().context;
      expect(actor.getSnapshot().value).toBe(snapshot.status);
      expect(context).toEqual(snapshot.context);
      actor.stop();
    },
  );

  test.prop([arbTicketLog(30)])(
    'redelivering every accepted event changes nothing (duplicates are ignored)',
    (log) => {
      const wf = createTicketWorkflow();
      const once = wf.replay(log);
      // A rejected event may become acceptable later, so only accepted ones are redelivered.
      const accepted = new Set(once.snapshot.context.eventIds);
      const twice = wf.replay([...log, ...log.slice(1).filter((e) => accepted.has(e.id as string))]);
      expect(twice.snapshot).toEqual(once.snapshot);
      expect(twice.effects).toEqual(once.effects);
    },
  );

  test.prop([arbTicketLog(30)])('a tick at dueAt changes the ticket; nothing is due before', (log) => {
    const wf = createTicketWorkflow({
      autoSolvePendingAfter: { days: 2 },
      autoCloseSolvedAfter: { days: 1 },
    });
    const { snapshot } = wf.replay(log);
    const due = wf.dueAt(snapshot);
    if (due === null) return;
    const early = wf.apply(snapshot, {
      type: 'clock.tick',
      id: 'tick-early',
      ticketId: 'T-1',
      at: Math.max(snapshot.context.lastEventAt, due - 1),
    });
    if (due - 1 >= snapshot.context.lastEventAt) expect(early.snapshot.status).toBe(snapshot.status);
    const onTime = wf.apply(snapshot, { type: 'clock.tick', id: 'tick-due', ticketId: 'T-1', at: due });
    expect(onTime.snapshot.status).not.toBe(snapshot.status);
    expect(D).toBeGreaterThan(0);
  });
});

describe('SLA alerts', () => {
  const engine = createSlaEngine(slaPolicy);
  // The same engine without the fast alert check: the lifecycle reads the clocks after every event.
  const alwaysRead = { init: engine.init, step: engine.step, read: engine.read } as SlaAdapter;

  test.prop([arbTicketLog(40)], { numRuns: 200 })(
    'skipping reads when no alert can be due changes nothing',
    (log) => {
      const fast = createTicketWorkflow({ sla: slaPolicy }).replay(log);
      const slow = createTicketWorkflow({ sla: alwaysRead }).replay(log);
      expect(fast.effects).toEqual(slow.effects);
      expect(fast.snapshot).toEqual(slow.snapshot);
    },
  );
});

describe('purity', () => {
  test.prop([arbTicketLog(30), fc.boolean()], { numRuns: 150 })(
    'apply never changes the snapshot it is given',
    (log, withSla) => {
      const wf = createTicketWorkflow({
        sla: withSla ? slaPolicy : null,
        survey: { delay: { hours: 6 } },
        autoSolvePendingAfter: { days: 2 },
        autoCloseSolvedAfter: { days: 1 },
      });
      let { snapshot } = wf.start(log[0]);
      for (const event of log.slice(1)) {
        const before = JSON.stringify(snapshot);
        const result = wf.apply(snapshot, event);
        expect(JSON.stringify(snapshot)).toBe(before);
        snapshot = result.snapshot;
      }
    },
  );
});
