import { fc, test } from '@fast-check/vitest';
import type { TicketEventInput } from 'carekit';
import { describe, expect } from 'vitest';
import { createCalendar, isOpen } from '../../src/calendar/index.js';
import { CarekitValidationError, parseTicketEvent, type TicketEvent } from '../../src/model/index.js';
import {
  defineRules,
  dryRun,
  type RuleAction,
  type RuleCondition,
  type RuleSet,
  type RulesConfigInput,
} from '../../src/rules/index.js';
import { createTicketWorkflow, type TicketSnapshot, type TicketWorkflow } from '../../src/workflows/index.js';
import { arbCalendarNear } from '../calendar/arbitraries.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbTicketLog, T0 } from '../workflows/ticket/arbitraries.js';
import { refFields, refStatuses } from '../workflows/ticket/reference.js';

const MINUTE = 60_000;
const H = 3_600_000;

// ---- arbitrary rule sets over the reference fields and custom status ----

const arbAction: fc.Arbitrary<Exclude<RuleAction, { type: 'custom' }>> = fc.oneof(
  fc
    .constantFrom('low', 'normal', 'high', 'urgent')
    .map((priority) => ({ type: 'set_priority' as const, priority })),
  fc.constantFrom('vip', 'late', 'refund').map((t) => ({ type: 'add_tags' as const, tags: [t] })),
  fc.constantFrom('vip', 'late', 'refund').map((t) => ({ type: 'remove_tags' as const, tags: [t] })),
  fc
    .constantFrom('late', 'broken', null)
    .map((reason) => ({ type: 'set_fields' as const, fields: { reason } })),
  fc
    .constantFrom('open', 'pending', 'on_hold', 'solved', 'awaiting_supplier')
    .map((status) => ({ type: 'set_status' as const, status })),
  fc.constantFrom('a1', 'a2').map((agentId) => ({ type: 'assign' as const, agentId })),
  fc.constant({ type: 'notify' as const, to: 'team_lead', message: 'look' }),
);

const arbLeaf: fc.Arbitrary<RuleCondition> = fc.oneof(
  fc
    .constantFrom('low', 'normal', 'high', 'urgent')
    .map((v) => ({ prop: 'priority' as const, op: 'is' as const, value: v })),
  fc
    .constantFrom('vip', 'late', 'refund')
    .map((v) => ({ prop: 'tags' as const, op: 'includes' as const, value: v })),
  fc.constantFrom('late', 'broken').map((v) => ({ field: 'reason', op: 'is' as const, value: v })),
  fc
    .constantFrom('open', 'pending', 'on_hold', 'solved')
    .map((v) => ({ prop: 'status' as const, op: 'is' as const, value: v })),
);
const arbCondition: fc.Arbitrary<RuleCondition | undefined> = fc.oneof(
  fc.constant(undefined),
  arbLeaf,
  fc.tuple(arbLeaf, arbLeaf).map(([a, b]) => ({ any: [a, { not: b }] })),
);

const WHENS = [
  'customer.replied',
  'agent.replied',
  'ticket.status_set',
  'ticket.reprioritized',
  'ticket.tagged',
  'ticket.fields_set',
  'ticket.assigned',
  'reopened',
  'status_changed',
] as const;

const arbTrigger = (i: number) =>
  fc
    .record({
      when: fc.constantFrom(...WHENS),
      if: arbCondition,
      then: fc.array(arbAction, { minLength: 1, maxLength: 2 }),
    })
    .map(({ when, if: cond, then }) => ({
      id: `t${i}`,
      title: `trigger ${i}`,
      when,
      then,
      ...(cond === undefined ? {} : { if: cond }),
    }));

const arbAutomation = (i: number) =>
  fc
    .record({
      since: fc.constantFrom('opened', 'statusChanged', 'lastCustomerMessage'),
      hours: fc.integer({ min: 1, max: 96 }),
      status: fc.constantFrom('open', 'pending', 'on_hold'),
      then: fc.array(arbAction, { minLength: 1, maxLength: 2 }),
    })
    .map(({ since, hours, status, then }) => ({
      id: `a${i}`,
      title: `automation ${i}`,
      when: { since, atLeast: { hours } },
      if: { prop: 'status' as const, op: 'is' as const, value: status },
      then,
    }));

const arbRulesConfig = (maxAutomations: number): fc.Arbitrary<RulesConfigInput> =>
  fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: maxAutomations }))
    .chain(([t, a]) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: t }, (_, i) => arbTrigger(i))),
        fc.tuple(...Array.from({ length: a }, (_, i) => arbAutomation(i))),
      ),
    )
    .map(([triggers, automations]) => ({ triggers, automations }) as RulesConfigInput);

/** The rule set, or null when the validation refuses it (an unreachable or conflicting rule). */
function compile(config: RulesConfigInput): RuleSet | null {
  try {
    return defineRules(config, { fields: refFields, statuses: refStatuses });
  } catch (error) {
    if (error instanceof CarekitValidationError) return null;
    throw error;
  }
}

function workflowWith(rules: RuleSet): TicketWorkflow {
  return createTicketWorkflow({
    rules,
    requireAssigneeToSolve: false,
    autoSolvePendingAfter: { days: 3 },
    autoCloseSolvedAfter: { days: 2 },
  });
}

/** Applies a host's events one by one through JSON storage, as a desk does; returns the log to store. */
function live(wf: TicketWorkflow, events: readonly TicketEventInput[]) {
  const started = wf.start(events[0]!);
  let snapshot: TicketSnapshot = started.snapshot;
  const log: TicketEvent[] = [...(started.log ?? [])];
  const warnings = [...(started.warnings ?? [])];
  let maxMade = 0;
  for (const event of events.slice(1)) {
    const stored = JSON.parse(JSON.stringify(snapshot)) as TicketSnapshot;
    const result = wf.apply(stored, event);
    if (result.rejected !== undefined || result.duplicate !== undefined) {
      expect(result.snapshot).toBe(stored);
      expect(result.log).toBeUndefined();
    } else {
      log.push(...result.log!);
      maxMade = Math.max(maxMade, result.log!.length - 1);
    }
    warnings.push(...(result.warnings ?? []));
    snapshot = result.snapshot;
  }
  return { snapshot, log, warnings, maxMade };
}

const byRule = (e: TicketEvent) => 'by' in e && typeof e.by === 'object';

describe('business rules laws', () => {
  test.prop([arbTicketLog(25), arbRulesConfig(2)], propertyRuns(60))(
    'replaying the recorded log with rules off gives the snapshot of applying the events with rules on',
    (events, config) => {
      const rules = compile(config);
      fc.pre(rules !== null);
      const wf = workflowWith(rules!);
      const { snapshot, log } = live(wf, events);
      const recorded = wf.replay(log);
      expect(recorded.rejected).toEqual([]);
      expect(recorded.snapshot).toEqual(snapshot);
      // dryRun under the same rules: the same changes; replaying the host's events with the rules run: the same log.
      const again = wf.replay(
        log.filter((e) => !byRule(e)),
        { runRules: true },
      );
      expect(again.snapshot).toEqual(snapshot);
      expect(again.log).toEqual(log);
      expect(dryRun(rules, log, wf).same).toBe(true);
    },
    propertyTimeout(120_000),
  );

  test.prop([arbTicketLog(25), arbRulesConfig(2)], propertyRuns(60))(
    'every pass terminates within the limit; a trigger set without a cycle never reaches it',
    (events, config) => {
      const rules = compile(config);
      fc.pre(rules !== null);
      const { warnings, maxMade } = live(workflowWith(rules!), events);
      const actions = Math.max(1, ...[...rules!.triggers, ...rules!.automations].map((r) => r.then.length));
      // At most every trigger and automation in every pass, plus automations due at deadlines before the event.
      expect(maxMade).toBeLessThanOrEqual(
        (rules!.maxPasses + 1) * (rules!.triggers.length + rules!.automations.length) * actions + 1,
      );
      if (rules!.automations.length === 0 && !hasCycle(rules!)) {
        expect(warnings.filter((w) => w.code === 'rule_cycle')).toEqual([]);
      }
    },
    propertyTimeout(120_000),
  );
});

/** The events and moments an action can make the lifecycle produce. */
function produces(action: RuleAction): string[] {
  switch (action.type) {
    case 'set_priority':
      return ['ticket.reprioritized'];
    case 'add_tags':
    case 'remove_tags':
      return ['ticket.tagged'];
    case 'set_fields':
      return ['ticket.fields_set'];
    case 'set_status':
      return ['ticket.status_set', 'status_changed', 'reopened'];
    case 'assign':
      return ['ticket.assigned', 'status_changed'];
    default:
      return [];
  }
}

/** Whether some trigger can set off, through others, itself (a cycle in the static graph). */
function hasCycle(rules: RuleSet): boolean {
  const whens = rules.triggers.map((t) => new Set<string>(Array.isArray(t.when) ? t.when : [t.when]));
  const edges = rules.triggers.map((t) => {
    const made = new Set(t.then.flatMap(produces));
    return rules.triggers.map((_, j) => j).filter((j) => [...whens[j]!].some((w) => made.has(w)));
  });
  const state = rules.triggers.map(() => 0);
  const visit = (i: number): boolean => {
    if (state[i] === 1) return true;
    if (state[i] === 2) return false;
    state[i] = 1;
    const found = edges[i]!.some(visit);
    state[i] = 2;
    return found;
  };
  return rules.triggers.some((_, i) => visit(i));
}

describe('automations fire at the instant their condition first holds', () => {
  /** The first instant with `minutes` of business time since `from`, stepping minute by minute. */
  function minuteReference(
    cal: ReturnType<typeof createCalendar>,
    from: number,
    minutes: number,
    horizon: number,
  ) {
    let open = 0;
    for (let t = from; t < horizon; t += MINUTE) {
      if (isOpen(cal, t)) open += 1;
      if (open === minutes) return t + MINUTE;
    }
    return null;
  }

  test.prop(
    [
      arbCalendarNear(fc.integer({ min: 0, max: 60 * 24 * 14 }).map((m) => T0 + m * MINUTE)),
      fc.integer({ min: 15, max: 600 }),
      fc.constantFrom(17, 60, 240, 1440, null),
    ],
    propertyRuns(20),
  )(
    'against a slow minute-by-minute reference, whatever the host’s tick frequency, and once',
    ({ config, t }, minutes, tickEvery) => {
      const cal = createCalendar(config);
      const horizon = t + 21 * 24 * H;
      const expected = minuteReference(cal, t, minutes, horizon);
      const rules = defineRules(
        {
          automations: [
            {
              id: 'nudge',
              title: 'nudge',
              when: { since: 'statusChanged', atLeast: { minutes }, calendar: 'cal' },
              if: { prop: 'status', op: 'is', value: 'pending' },
              then: [{ type: 'add_tags', tags: ['nudged'] }],
            },
          ],
        },
        { calendars: { cal } },
      );
      const wf = createTicketWorkflow({ rules, autoSolvePendingAfter: null });
      const events: TicketEventInput[] = [
        {
          type: 'ticket.opened',
          id: 'o',
          ticketId: 'T-1',
          at: t,
          channel: 'chat',
          subject: 's',
          body: 'b',
          customer: { id: 'c' },
        },
        { type: 'ticket.status_set', id: 'p', ticketId: 'T-1', at: t, status: 'pending' },
      ];
      if (tickEvery !== null) {
        for (let at = t + tickEvery * MINUTE; at < horizon; at += tickEvery * MINUTE)
          events.push({ type: 'clock.tick', id: `k${at}`, ticketId: 'T-1', at });
      }
      events.push({ type: 'agent.noted', id: 'late', ticketId: 'T-1', at: horizon, agentId: 'a', body: 'n' });
      const { log, snapshot } = live(wf, events);
      const fired = log.filter(byRule);
      if (expected === null) {
        expect(fired.filter((e) => e.at < horizon)).toEqual([]);
        return;
      }
      expect(fired.map((e) => e.at)).toEqual([expected]);
      expect(snapshot.context.tags).toEqual(['nudged']);
      // dueAt named the instant before it came.
      const before = wf.replay(events.slice(0, 2)).snapshot;
      expect(wf.dueAt(before)).toBe(expected);
    },
    propertyTimeout(120_000),
  );
});

describe('refusals with rules on', () => {
  test.prop([arbTicketLog(25)], propertyRuns(40))(
    'a refused ticket.fields_set or solve changes nothing, rules or not',
    (events) => {
      const rules = compile({
        triggers: [
          {
            id: 'tag-all',
            title: 'tag',
            when: ['ticket.fields_set', 'ticket.status_set', 'agent.replied'],
            then: [{ type: 'add_tags', tags: ['seen'] }],
          },
        ],
      })!;
      const wf = createTicketWorkflow({ rules, fields: refFields, statuses: refStatuses });
      let { snapshot } = wf.start(events[0]!);
      for (const raw of events.slice(1)) {
        const event = parseTicketEvent(raw);
        const before = JSON.stringify(snapshot);
        const result = wf.apply(snapshot, event);
        if (result.rejected !== undefined) {
          expect(JSON.stringify(result.snapshot)).toBe(before);
          expect(result.effects).toEqual([]);
          expect(result.log).toBeUndefined();
        }
        snapshot = result.snapshot;
      }
    },
    propertyTimeout(60_000),
  );
});
