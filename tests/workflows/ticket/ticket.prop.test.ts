import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createActor } from 'xstate';
import { parseTicketEvent, type TicketEvent, type TicketStatus } from '../../../src/model/index.js';
import { createSlaEngine, createSlaPolicy } from '../../../src/sla/index.js';
import {
  atOrAfter,
  createTicketWorkflow,
  type SlaAdapter,
  type TicketSnapshot,
} from '../../../src/workflows/index.js';
import { ticketMachine } from '../../../src/workflows/machine/index.js';
import { propertyRuns, propertyTimeout } from '../../support/runs.js';
import { arbTicketLog } from './arbitraries.js';
import { configs, initialRef, type Ref, refApply } from './reference.js';

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

describe('ticket lifecycle laws', () => {
  test.prop([arbTicketLog(40), fc.constantFrom(...configs)], propertyRuns(150))(
    'agrees with a plain reference model after every event, and keeps its invariants',
    (log, cfg) => {
      const wf = createTicketWorkflow(cfg);
      const events = log.map((e) => parseTicketEvent(e));
      let { snapshot } = wf.start(log[0]!);
      const ref: Ref = initialRef(events[0]!.at);
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
        expect(c.fields).toEqual(ref.fields);
        expect(c.customStatus).toBe(ref.customStatus);
      }
    },
    propertyTimeout(60_000),
  );

  test.prop([arbTicketLog(40), fc.constantFrom(...configs), fc.boolean(), fc.boolean()], propertyRuns(100))(
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
      let { snapshot, effects: first } = wf.start(log[0]!);
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
      const actor = createActor(ticketMachine(wf), { input: { opened } }).start();
      for (const sent of accepted) {
        // Drive the actor as a host does: the event under the time rule, after a tick at every
        // deadline that passed before it.
        const event = atOrAfter(sent, actor.getSnapshot().context.lastEventAt);
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
    propertyTimeout(60_000),
  );

  test.prop([arbTicketLog(30)], propertyRuns(100))(
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

  test.prop([arbTicketLog(30)], propertyRuns(100))(
    'a tick at dueAt changes the ticket; nothing is due before',
    (log) => {
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
    },
  );
});

describe('SLA alerts', () => {
  const engine = createSlaEngine(slaPolicy);
  // The same engine without the fast alert check: the lifecycle reads the clocks after every event.
  const alwaysRead = { init: engine.init, step: engine.step, read: engine.read } as SlaAdapter;

  test.prop([arbTicketLog(40)], propertyRuns(100))(
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
  test.prop([arbTicketLog(30), fc.boolean()], propertyRuns(75))(
    'apply never changes the snapshot it is given',
    (log, withSla) => {
      const wf = createTicketWorkflow({
        sla: withSla ? slaPolicy : null,
        survey: { delay: { hours: 6 } },
        autoSolvePendingAfter: { days: 2 },
        autoCloseSolvedAfter: { days: 1 },
      });
      let { snapshot } = wf.start(log[0]!);
      for (const event of log.slice(1)) {
        const before = JSON.stringify(snapshot);
        const result = wf.apply(snapshot, event);
        expect(JSON.stringify(snapshot)).toBe(before);
        snapshot = result.snapshot;
      }
    },
  );
});
