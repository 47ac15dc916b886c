// The optimised rule evaluation (conditions compiled to closures, triggers indexed by what they
// wait for, durations read once) against a plain reference: the condition tree read as data,
// every trigger filtered on every pass. Seen failing: with the index dropping the
// `status_changed` moment for single-type passes, the engine property fails on its first runs;
// with `gte` compiled as `gt`, the condition property fails.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import type { TicketEventInput, TicketStatus } from '../../src/model/index.js';
import { CarekitValidationError } from '../../src/model/index.js';
import { automationInputs } from '../../src/rules/automationInstant.js';
import { compileCondition } from '../../src/rules/compileCondition.js';
import { interpret } from '../../src/rules/evaluateCondition.js';
import {
  automationInstant,
  conditionHolds,
  defineRules,
  nextAutomationState,
  type RuleCondition,
  type RuleSet,
  type RulesConfigInput,
  type RuleTicket,
  type RuleTrigger,
} from '../../src/rules/index.js';
import { indexTriggers } from '../../src/rules/indexTriggers.js';
import { RuleOp, RuleProp } from '../../src/rules/schema.js';
import { createSlaEngine, createSlaPolicy } from '../../src/sla/index.js';
import {
  createTicketWorkflow,
  type Rejection,
  type TicketSnapshot,
  type TicketWorkflow,
} from '../../src/workflows/index.js';
import {
  anyAutomationDue,
  exactDue,
  ruleTicketOf,
  updateAutomations,
} from '../../src/workflows/ticket/automations.js';
import type { TicketContext } from '../../src/workflows/ticket/context.js';
import type { RuleEnv } from '../../src/workflows/ticket/ruleEnv.js';
import { engineAdapter } from '../../src/workflows/ticket/workflow.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbTicketLog } from '../workflows/ticket/arbitraries.js';
import { refFields, refStatuses } from '../workflows/ticket/reference.js';

// ---- conditions: every property, operator and odd value ----

// Every property and operator the schema knows: a new one is covered without editing this file.
const PROPS = RuleProp.options;
const OPS = RuleOp.options;
const scalar = fc.oneof(
  fc.constantFrom('low', 'normal', 'high', 'urgent', 'open', 'vip', 'email', '', 'toString', '__proto__'),
  fc.constantFrom('2025-03-10', '2025-04-01', 'late', 'broken'),
  fc.integer({ min: -2, max: 5 }),
  fc.constantFrom(null, true, false, Number.NaN),
);
// Mostly values a rule would compare with (so equal and ordered pairs come up), now and then odd ones.
const value = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom('low', 'normal', 'high', 'urgent', 'vip', 'late', '2025-03-10'),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(['vip', 'late'], ['normal', 'high'], ['open']) },
  { weight: 2, arbitrary: fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constant(undefined)) },
);
const leaf: fc.Arbitrary<RuleCondition> = fc.oneof(
  fc
    .record({ prop: fc.constantFrom(...PROPS), op: fc.constantFrom(...OPS), value })
    .map((c) => (c.value === undefined ? { prop: c.prop, op: c.op } : c) as RuleCondition),
  fc
    .record({ field: fc.constantFrom('reason', 'refund', 'due', 'none'), op: fc.constantFrom(...OPS), value })
    .map((c) => c as RuleCondition),
  fc
    .record({ sla: fc.constantFrom('firstReply', 'resolution'), op: fc.constantFrom(...OPS), value })
    .map((c) => c as RuleCondition),
);
const { tree } = fc.letrec<{ tree: RuleCondition }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('tree').map((not) => ({ not })),
  ),
}));

const small = fc.integer({ min: 0, max: 3 });
const word = fc.constantFrom('low', 'normal', 'high', 'urgent', 'open', 'vip', 'late', '2025-03-10');
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(small, word, fc.array(word, { maxLength: 3 })) },
  { weight: 1, arbitrary: fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })) },
);
const ticket: fc.Arbitrary<RuleTicket> = fc
  .record({
    props: fc.record(
      Object.fromEntries(PROPS.map((p) => [p, anyValue])) as Record<
        (typeof PROPS)[number],
        fc.Arbitrary<unknown>
      >,
    ),
    fields: fc.dictionary(fc.constantFrom('reason', 'refund', 'due'), anyValue),
    sla: fc.option(
      fc.dictionary(
        fc.constantFrom('firstReply', 'resolution'),
        fc.record({
          status: fc.constantFrom('inactive', 'running', 'paused', 'fulfilled', 'breached'),
          dueAt: fc.constant(null),
          remainingMs: fc.constant(null),
        }),
      ),
      { nil: null },
    ),
  })
  .map(({ props, fields, sla }) => ({ ...props, fields, sla }) as unknown as RuleTicket);

describe('compiled conditions', () => {
  test.prop([tree, fc.array(ticket, { minLength: 1, maxLength: 5 })], { numRuns: 400 })(
    'a compiled condition holds exactly when the tree read as data holds',
    (condition, tickets) => {
      const compiled = compileCondition(condition);
      for (const t of tickets) expect(compiled(t)).toBe(interpret(condition, t));
    },
  );

  // Found by the pool property below (seed -1696863921): an array where a priority name belongs
  // was coerced to its text by the compiled lookup and ranked; read as data it has no rank.
  it.each([
    [{ not: { prop: 'priority', op: 'gte', value: 'low' } }, ['low']],
    [{ prop: 'priority', op: 'lte', value: 'high' }, ['high']],
  ])('an ordered priority test on an array value: %j on %j', (condition, actual) => {
    const t = { priority: actual, fields: {}, sla: null } as unknown as RuleTicket;
    const c = condition as RuleCondition;
    expect(compileCondition(c)(t)).toBe(interpret(c, t));
    expect(interpret(c, t)).toBe('not' in condition);
  });

  const pool = fc.oneof(
    fc.integer({ min: 0, max: 2 }),
    fc.constantFrom('low', 'normal', 'high', 'urgent', '2025-03-10', '2025-04-01', 'toString'),
    fc.array(fc.constantFrom(0, 1, 'vip', 'late', 'high'), { maxLength: 3 }),
    fc.constantFrom(null, undefined, ''),
  );
  test.prop([fc.constantFrom(...PROPS), fc.constantFrom(...OPS), pool, pool], { numRuns: 1000 })(
    'one test compiled holds exactly when it holds read as data, on values drawn from one pool',
    (prop, op, value, actual) => {
      const condition = { prop, op, value } as RuleCondition;
      const t = { [prop]: actual, fields: { [prop]: actual }, sla: null } as unknown as RuleTicket;
      const asField = { field: prop, op, value } as RuleCondition;
      expect(compileCondition(condition)(t)).toBe(interpret(condition, t));
      expect(compileCondition(asField)(t)).toBe(interpret(asField, t));
    },
  );

  test.prop([tree, ticket], { numRuns: 100 })(
    'conditionHolds answers the same for a rule set’s frozen tree and for a copy of it',
    (condition, t) => {
      const copy = structuredClone(condition);
      const rules = defined({
        automations: [
          {
            id: 'a',
            title: 'a',
            when: { since: 'opened', atLeast: { hours: 1 } },
            if: condition,
            then: [{ type: 'add_tags', tags: ['x'] }],
          },
        ],
      });
      fc.pre(rules !== null);
      const frozen = rules!.automations[0]!.if!;
      expect(Object.isFrozen(frozen)).toBe(true);
      expect(conditionHolds(frozen, t)).toBe(conditionHolds(copy, t));
    },
  );
});

// ---- the trigger index ----

const WHENS = [
  'customer.replied',
  'agent.replied',
  'ticket.assigned',
  'ticket.tagged',
  'ticket.status_set',
  'reopened',
  'status_changed',
] as const;

describe('trigger index', () => {
  test.prop(
    [
      fc.array(
        fc.oneof(
          fc.constantFrom(...WHENS),
          fc.uniqueArray(fc.constantFrom(...WHENS), { minLength: 1, maxLength: 3 }),
        ),
        { maxLength: 12 },
      ),
      fc.array(
        fc.record({
          types: fc.uniqueArray(fc.constantFrom(...WHENS, 'clock.tick', 'macro.applied'), {
            minLength: 1,
            maxLength: 3,
          }),
          reopened: fc.boolean(),
          statusChanged: fc.boolean(),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    ],
    { numRuns: 300 },
  )('lists the triggers a naive filter lists, in the order listed, however often asked', (whens, queries) => {
    const triggers = whens.map((when, i) => ({ id: `t${i}`, when }) as unknown as RuleTrigger);
    const index = indexTriggers(triggers);
    for (const q of [...queries, ...queries]) {
      const moments = { reopened: q.reopened, statusChanged: q.statusChanged };
      expect(index(q.types, moments).map((t) => t.id)).toEqual(
        naiveTriggersFor(triggers, q.types, moments).map((t) => t.id),
      );
    }
  });
});

function naiveTriggersFor(
  triggers: readonly RuleTrigger[],
  types: readonly string[],
  moments: { reopened?: boolean; statusChanged?: boolean } = {},
): RuleTrigger[] {
  return triggers.filter((t) => {
    const whens: readonly string[] = Array.isArray(t.when) ? t.when : [t.when];
    return (
      types.some((type) => whens.includes(type)) ||
      (moments.reopened === true && whens.includes('reopened')) ||
      (moments.statusChanged === true && whens.includes('status_changed'))
    );
  });
}

// ---- the whole engine against a reference rule set ----

/**
 * The same rules without any of the optimisations: copies of the trees (read as data, durations
 * computed each time) and every trigger filtered on every pass.
 */
function referenceOf(rules: RuleSet): RuleSet {
  const triggers = structuredClone(rules.config.triggers) as RuleTrigger[];
  const automations = structuredClone(rules.config.automations);
  return {
    ...rules,
    triggers,
    automations,
    triggersFor: (types, moments) => naiveTriggersFor(triggers, types, moments),
  };
}

const office = createCalendar({
  timeZone: 'Europe/Lisbon',
  week: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [
      ['09:00', '13:00'],
      ['14:00', '18:00'],
    ],
  },
});
const sla = createSlaPolicy({
  id: 'p',
  calendar: 'office',
  firstReply: { targets: { normal: { hours: 4 }, high: { hours: 1 } } },
  resolution: { targets: { normal: { hours: 16 } } },
});

const ruleLeaf: fc.Arbitrary<RuleCondition> = fc.oneof(
  fc
    .constantFrom('low', 'normal', 'high', 'urgent')
    .map((v) => ({ prop: 'priority' as const, op: 'gte' as const, value: v })),
  fc
    .constantFrom('vip', 'late', 'refund')
    .map((v) => ({ prop: 'tags' as const, op: 'includes' as const, value: v })),
  fc
    .constantFrom('vip', 'late')
    .map((v) => ({ prop: 'tags' as const, op: 'excludes' as const, value: [v, 'refund'] })),
  fc
    .integer({ min: 0, max: 3 })
    .map((v) => ({ prop: 'customerReplies' as const, op: 'gte' as const, value: v })),
  fc.constantFrom('late', 'broken').map((v) => ({ field: 'reason', op: 'is' as const, value: v })),
  fc
    .constantFrom('open', 'pending', 'on_hold')
    .map((v) => ({ prop: 'status' as const, op: 'is' as const, value: v })),
  fc
    .constantFrom('running', 'breached')
    .map((v) => ({ sla: 'resolution' as const, op: 'is' as const, value: v })),
);
const ruleCondition = fc.oneof(
  ruleLeaf,
  fc.tuple(ruleLeaf, ruleLeaf).map(([a, b]) => ({ all: [a, { not: b }] })),
  fc.tuple(ruleLeaf, ruleLeaf).map(([a, b]) => ({ any: [a, b] })),
);
const ruleAction = fc.oneof(
  fc
    .constantFrom('low', 'normal', 'high', 'urgent')
    .map((priority) => ({ type: 'set_priority' as const, priority })),
  fc.constantFrom('vip', 'late', 'refund').map((t) => ({ type: 'add_tags' as const, tags: [t] })),
  fc.constantFrom('vip', 'late', 'refund').map((t) => ({ type: 'remove_tags' as const, tags: [t, 'late'] })),
  fc
    .constantFrom('late', 'broken', null)
    .map((reason) => ({ type: 'set_fields' as const, fields: { reason } })),
  fc
    .constantFrom('open', 'pending', 'awaiting_supplier')
    .map((status) => ({ type: 'set_status' as const, status })),
  fc.constant({ type: 'notify' as const, to: 'team_lead', message: 'look' }),
);
const rulesConfig: fc.Arbitrary<RulesConfigInput> = fc
  .record({
    triggers: fc.array(
      fc.record({
        when: fc.oneof(
          fc.constantFrom(...WHENS),
          fc.uniqueArray(fc.constantFrom(...WHENS), { minLength: 1, maxLength: 3 }),
        ),
        if: fc.option(ruleCondition, { nil: undefined }),
        then: fc.array(ruleAction, { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 8 },
    ),
    automations: fc.array(
      fc.record({
        when: fc.oneof(
          fc.record({
            since: fc.constantFrom('opened', 'statusChanged', 'lastCustomerMessage', 'lastAgentReply'),
            atLeast: fc.record({ hours: fc.integer({ min: 1, max: 72 }) }),
            calendar: fc.constantFrom('office', undefined),
          }),
          fc.record({
            until: fc.constantFrom('firstReply', 'resolution'),
            atMost: fc.record({ hours: fc.integer({ min: 1, max: 8 }) }),
            calendar: fc.constantFrom('office', undefined),
          }),
        ),
        if: fc.option(ruleCondition, { nil: undefined }),
        then: fc.array(ruleAction, { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map(
    ({ triggers, automations }) =>
      ({
        triggers: triggers.map((t, i) => ({ id: `t${i}`, title: `t${i}`, ...strip(t) })),
        automations: automations.map((a, i) => ({
          id: `a${i}`,
          title: `a${i}`,
          ...strip({ ...a, when: strip(a.when) }),
        })),
      }) as RulesConfigInput,
  );

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function defined(config: RulesConfigInput): RuleSet | null {
  try {
    return defineRules(config, { fields: refFields, statuses: refStatuses, calendars: { office } });
  } catch (error) {
    if (error instanceof CarekitValidationError) return null;
    throw error;
  }
}

/** The environment the automations of `workflowWith(rules)` read (the rules and the SLA policy). */
const envOf = (rules: RuleSet | null, withSla = true): RuleEnv =>
  ({
    rules,
    sla: withSla ? engineAdapter(createSlaEngine(sla, { calendars: { office } })) : null,
  }) as RuleEnv;

/**
 * The automation states with every lower bound replaced by the instant it stands for (what an
 * eager reading stores), a bound that never comes due dropped; each bound checked to be at most
 * its instant. The other states as stored.
 */
function settledStates(
  status: TicketStatus,
  ctx: TicketContext,
  env: RuleEnv,
): Record<string, number | 'fired'> {
  const out: Record<string, number | 'fired'> = {};
  for (const id in ctx.automations) {
    const stored = ctx.automations[id]!;
    if (stored === 'fired') out[id] = stored;
    else {
      const due = exactDue(status, ctx, id, stored, env);
      if (due !== null) {
        expect(stored).toBeLessThanOrEqual(due);
        out[id] = due;
      }
    }
  }
  return out;
}

/** A snapshot with its automation states settled (see `settledStates`). */
function settled(snapshot: TicketSnapshot, rules: RuleSet): TicketSnapshot {
  const automations = settledStates(snapshot.status, snapshot.context, envOf(rules));
  return { ...snapshot, context: { ...snapshot.context, automations } };
}

const workflowWith = (rules: RuleSet): TicketWorkflow =>
  createTicketWorkflow({
    rules,
    sla,
    calendars: { office },
    requireAssigneeToSolve: false,
    autoSolvePendingAfter: { days: 3 },
    autoCloseSolvedAfter: { days: 2 },
  });

describe('the optimised engine', () => {
  test.prop([arbTicketLog(25), rulesConfig], { numRuns: 80 })(
    'runs a rule set exactly as the reference rule set runs it: the same log, snapshot, warnings and effects',
    (events, config) => {
      const rules = defined(config);
      fc.pre(rules !== null);
      const fast = workflowWith(rules!).replay(events, { runRules: true });
      const slow = workflowWith(referenceOf(rules!)).replay(events, { runRules: true });
      expect(fast.log).toEqual(slow.log);
      // The planned automations may store lower bounds; settled, they are the reference's instants.
      expect(settled(fast.snapshot, rules!)).toEqual(slow.snapshot);
      expect(fast.warnings).toEqual(slow.warnings);
      expect(fast.effects).toEqual(slow.effects);
      expect(fast.rejected).toEqual(slow.rejected);
      // The recorded log replays to the same snapshot under both.
      const recorded = fast.log!;
      expect(settled(workflowWith(rules!).replay(recorded).snapshot, rules!)).toEqual(
        workflowWith(referenceOf(rules!)).replay(recorded).snapshot,
      );
    },
    120_000,
  );
});

// `replay` applies passed deadlines to its one working context in place (no copy per event);
// when the event after them is refused, it replays the log again with copies. Seen failing:
// without that second replay, the deadlines before a refused event stayed in the snapshot.
describe('replay in place', () => {
  const plain = createTicketWorkflow({
    sla,
    calendars: { office },
    requireAssigneeToSolve: false,
    autoSolvePendingAfter: { days: 3 },
    autoCloseSolvedAfter: { days: 2 },
  });
  const oneByOne = (workflow: TicketWorkflow, events: readonly TicketEventInput[]) => {
    const started = workflow.start(events[0]!);
    let snapshot = started.snapshot;
    const log = [...(started.log ?? [])];
    const rejected: Rejection[] = [];
    for (const event of events.slice(1)) {
      const result = workflow.apply(snapshot, event);
      if (result.rejected !== undefined) rejected.push(result.rejected);
      else if (result.duplicate !== true) log.push(...(result.log ?? []));
      snapshot = result.snapshot;
    }
    return { snapshot, log, rejected };
  };

  test.prop([arbTicketLog(25), rulesConfig], { numRuns: 60 })(
    'gives what applying the events one by one gives, with rules and without',
    (events, config) => {
      const rules = defined(config);
      fc.pre(rules !== null);
      for (const [workflow, runRules] of [
        [workflowWith(rules!), true],
        [plain, false],
      ] as const) {
        const replayed = workflow.replay(events, { runRules });
        const applied = oneByOne(workflow, events);
        expect(replayed.snapshot).toEqual(applied.snapshot);
        expect(replayed.rejected).toEqual(applied.rejected);
        if (runRules) expect(replayed.log).toEqual(applied.log);
      }
    },
    120_000,
  );
});

// The lazy automation bound: a planned automation counting business time since an anchor stores
// `anchor + atLeast` while that is ahead, and its business-time sum is walked only when the clock
// reaches it (`passedDeadline`, `dueAt`, the next reading). Against the eager reference (the
// rule set never planned: every instant summed at every reading), applied event by event as a
// host drives a ticket, ticking whenever `dueAt` comes before the next event: the same `dueAt`
// after every step, the same log, effects and warnings, and the same snapshot once its bounds
// are settled. Seen failing: with the bound 1 h later than `anchor + atLeast` (not a lower
// bound: an automation fired late), with `dueAt` answering the stored bound, and with
// `passedDeadline` taking a bound reached for the instant (an automation fired early).
const businessRulesConfig: fc.Arbitrary<RulesConfigInput> = fc
  .tuple(
    rulesConfig,
    fc.array(
      fc.record({
        since: fc.constantFrom('opened', 'statusChanged', 'lastCustomerMessage', 'lastAgentReply'),
        hours: fc.integer({ min: 1, max: 60 }),
      }),
      { minLength: 3, maxLength: 3 },
    ),
  )
  .map(([config, whens]) => ({
    ...config,
    automations: (config.automations ?? []).map((a, i) => ({
      ...a,
      when: { since: whens[i]!.since, atLeast: { hours: whens[i]!.hours }, calendar: 'office' },
    })),
  }));

describe('the lazy automation bound', () => {
  const drive = (workflow: TicketWorkflow, events: readonly TicketEventInput[]) => {
    const started = workflow.start(events[0]!);
    let snapshot = started.snapshot;
    const log = [...(started.log ?? [])];
    const dues: (number | null)[] = [];
    const effects: unknown[] = [...started.effects];
    const warnings: unknown[] = [];
    let ticks = 0;
    const step = (event: TicketEventInput) => {
      const result = workflow.apply(snapshot, event);
      if (result.rejected === undefined && result.duplicate !== true) log.push(...(result.log ?? []));
      effects.push(...result.effects);
      warnings.push(...(result.warnings ?? []));
      snapshot = result.snapshot;
      dues.push(workflow.dueAt(snapshot));
    };
    for (const event of events.slice(1)) {
      const at = new Date(event.at).getTime();
      // The host's scheduler: a tick at each due instant before the next event.
      for (let due = workflow.dueAt(snapshot); due !== null && due <= at && ticks < 40; ) {
        step({ type: 'clock.tick', id: `tick${ticks++}`, ticketId: snapshot.context.ticketId, at: due });
        const next = workflow.dueAt(snapshot);
        if (next === due) break;
        due = next;
      }
      step(event);
    }
    return { snapshot, log, dues, effects, warnings };
  };

  test.prop([arbTicketLog(20), businessRulesConfig], propertyRuns(60, 40))(
    'fires each automation at its exact instant, as summing every time does, however the host ticks',
    (events, config) => {
      const rules = defined(config);
      fc.pre(rules !== null && rules.automations.length > 0);
      const lazy = drive(workflowWith(rules!), events);
      const eager = drive(workflowWith(referenceOf(rules!)), events);
      expect(lazy.dues).toEqual(eager.dues);
      expect(lazy.log).toEqual(eager.log);
      expect(lazy.effects).toEqual(eager.effects);
      expect(lazy.warnings).toEqual(eager.warnings);
      expect(settled(lazy.snapshot, rules!)).toEqual(eager.snapshot);
      // And the same without the host's ticks: passed deadlines applied as the events arrive.
      const replayed = workflowWith(rules!).replay(events, { runRules: true });
      const reference = workflowWith(referenceOf(rules!)).replay(events, { runRules: true });
      expect(replayed.log).toEqual(reference.log);
      expect(settled(replayed.snapshot, rules!)).toEqual(reference.snapshot);
    },
    propertyTimeout(120_000),
  );
});

// The lifecycle reads the stored automation states once, in a `for…in`, and plans a rule set's
// automations once; the reference reads each state by its id and each instant through
// `automationInstant`, as the bookkeeping did before. Seen failing: with the first
// automation's stored state dropped, after a dozen runs.
function referenceUpdate(ctx: TicketContext, status: TicketStatus, at: number, env: RuleEnv): void {
  const rules = env.rules!;
  const ticket = ruleTicketOf(status, ctx, at, env);
  const before = ctx.automations;
  let next: Record<string, number | 'fired'> | null = null;
  let count = 0;
  for (const automation of rules.automations) {
    const prior = before[automation.id];
    const state = nextAutomationState(prior, automationInstant(automation, ticket, at, rules.calendars), at);
    if (state !== undefined) count++;
    if (next === null && state !== prior) {
      next = {};
      for (const a of rules.automations) {
        if (a === automation) break;
        const kept = before[a.id];
        if (kept !== undefined) next[a.id] = kept;
      }
    }
    if (next !== null && state !== undefined) next[automation.id] = state;
  }
  if (next !== null) ctx.automations = next;
  else if (Object.keys(before).length !== count) ctx.automations = { ...before };
}

describe('automation bookkeeping', () => {
  const state = fc.oneof(
    fc.constant<'fired'>('fired'),
    fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
  );
  test.prop(
    [
      arbTicketLog(15),
      rulesConfig,
      fc.array(fc.tuple(fc.nat(12), state), { maxLength: 14 }),
      fc.integer({ min: 0, max: 5 * 86_400_000 }),
      fc.constantFrom<TicketStatus | null>(null, 'open', 'pending', 'solved', 'closed'),
    ],
    { numRuns: 150 },
  )(
    'updateAutomations gives what reading each state by its id gives',
    (events, config, stored, later, status) => {
      const rules = defined(config);
      fc.pre(rules !== null && rules.automations.length > 0);
      const { snapshot } = workflowWith(rules!).replay(events, { runRules: true });
      const at = snapshot.context.lastEventAt + later;
      // Stored states: some of the rule set's ids (by position), some unknown ids.
      const automations: Record<string, number | 'fired'> = {};
      for (const [i, s] of stored) {
        const id = i < rules!.automations.length ? rules!.automations[i]!.id : `gone${i}`;
        automations[id] = s === 'fired' ? s : at + s;
      }
      const env = { rules, sla: null } as unknown as RuleEnv;
      const reached = status ?? snapshot.status;
      // Read as after an event at `at` (the time a lower bound is settled from).
      const fast = { ...snapshot.context, lastEventAt: at, automations: { ...automations } };
      const slow = { ...snapshot.context, lastEventAt: at, automations: { ...automations } };
      updateAutomations(fast, reached, at, env);
      referenceUpdate(slow, reached, at, env);
      const exact = settledStates(reached, fast, env);
      expect(exact).toStrictEqual(slow.automations);
      expect(Object.keys(exact)).toEqual(Object.keys(slow.automations));
      expect(anyAutomationDue(fast.automations, at)).toBe(
        Object.values(fast.automations).some((s) => typeof s === 'number' && s <= at),
      );
    },
  );
});

// The bookkeeping skips an automation reading when nothing its instants read changed since the
// last reading on the same working context (`automationInputs`: the status, the anchors and the
// scalar props of the conditions). That only applies when every automation reads scalars and
// counts `since` an anchor, which the rule sets above rarely draw, so these rule sets always do;
// the reference rule set is never planned, so it reads every time. Seen failing: with the
// anchors left out of the inputs (the last-customer-message anchor moved unseen), and with the
// check that every stored instant is still ahead removed.
const scalarLeaf: fc.Arbitrary<RuleCondition> = fc.oneof(
  fc
    .constantFrom('low', 'normal', 'high', 'urgent')
    .map((v) => ({ prop: 'priority' as const, op: 'gte' as const, value: v })),
  fc
    .integer({ min: 0, max: 3 })
    .map((v) => ({ prop: 'customerReplies' as const, op: 'gte' as const, value: v })),
  fc
    .constantFrom('open', 'pending', 'on_hold')
    .map((v) => ({ prop: 'status' as const, op: 'is' as const, value: v })),
  fc.constantFrom(null, 'agent-1').map((v) => ({ prop: 'assigneeId' as const, op: 'is' as const, value: v })),
);
const scalarRulesConfig: fc.Arbitrary<RulesConfigInput> = fc
  .record({
    triggers: fc.array(
      fc.record({
        when: fc.constantFrom(...WHENS),
        if: fc.option(scalarLeaf, { nil: undefined }),
        then: fc.array(ruleAction, { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 6 },
    ),
    automations: fc.array(
      fc.record({
        when: fc.record({
          since: fc.constantFrom(
            'opened',
            'statusChanged',
            'lastCustomerMessage',
            'lastAgentReply',
            'solved',
          ),
          atLeast: fc.record({ hours: fc.integer({ min: 1, max: 72 }) }),
          calendar: fc.constantFrom('office', undefined),
        }),
        if: fc.option(
          fc.oneof(
            scalarLeaf,
            fc.tuple(scalarLeaf, scalarLeaf).map(([a, b]) => ({ any: [a, { not: b }] })),
          ),
          { nil: undefined },
        ),
        then: fc.array(ruleAction, { minLength: 1, maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(
    ({ triggers, automations }) =>
      ({
        triggers: triggers.map((t, i) => ({ id: `t${i}`, title: `t${i}`, ...strip(t) })),
        automations: automations.map((a, i) => ({
          id: `a${i}`,
          title: `a${i}`,
          ...strip({ ...a, when: strip(a.when) }),
        })),
      }) as RulesConfigInput,
  );

describe('automation readings skipped', () => {
  it('are followed for scalar conditions and anchors only', () => {
    const rules = defined({
      triggers: [],
      automations: [
        {
          id: 'a0',
          title: 'a0',
          when: { since: 'lastCustomerMessage', atLeast: { hours: 4 } },
          if: { prop: 'priority', op: 'is', value: 'high' },
          then: [{ type: 'add_tags', tags: ['x'] }],
        },
      ],
    })!;
    expect(automationInputs(rules.automations, rules.calendars)?.props).toEqual([
      'status',
      'priority',
      'lastCustomerMessageAt',
    ]);
    const tagged = defined({
      triggers: [],
      automations: [
        {
          id: 'a0',
          title: 'a0',
          when: { since: 'opened', atLeast: { hours: 4 } },
          if: { prop: 'tags', op: 'includes', value: 'vip' },
          then: [{ type: 'add_tags', tags: ['x'] }],
        },
      ],
    })!;
    expect(automationInputs(tagged.automations, tagged.calendars)).toBeNull();
  });

  test.prop([arbTicketLog(25), scalarRulesConfig], propertyRuns(80, 40))(
    'leave the log, snapshot, warnings and effects as reading every time does',
    (events, config) => {
      const rules = defined(config);
      fc.pre(rules !== null);
      expect(automationInputs(rules!.automations, rules!.calendars)).not.toBeNull();
      const fast = workflowWith(rules!).replay(events, { runRules: true });
      const slow = workflowWith(referenceOf(rules!)).replay(events, { runRules: true });
      expect(fast.log).toEqual(slow.log);
      // The planned automations may store lower bounds; settled, they are the reference's instants.
      expect(settled(fast.snapshot, rules!)).toEqual(slow.snapshot);
      expect(fast.warnings).toEqual(slow.warnings);
      expect(fast.effects).toEqual(slow.effects);
      expect(fast.rejected).toEqual(slow.rejected);
      const recorded = fast.log!;
      expect(settled(workflowWith(rules!).replay(recorded).snapshot, rules!)).toEqual(
        workflowWith(referenceOf(rules!)).replay(recorded).snapshot,
      );
    },
    propertyTimeout(120_000),
  );
});

describe('automation readings skipped, instants already passed', () => {
  test.prop(
    [arbTicketLog(15), scalarRulesConfig, fc.integer({ min: 1, max: 86_400_000 })],
    propertyRuns(60, 20),
  )(
    'a stored instant at or before the reading is read again, as the reference reads it',
    (events, config, later) => {
      const rules = defined(config);
      fc.pre(rules !== null);
      const { snapshot } = workflowWith(rules!).replay(events, { runRules: true });
      const env = { rules, sla: null } as unknown as RuleEnv;
      const at = snapshot.context.lastEventAt;
      const fast = { ...snapshot.context, automations: { ...snapshot.context.automations } };
      updateAutomations(fast, snapshot.status, at, env); // a full reading, remembered for `fast`
      // Every state now due (the lifecycle marks such states fired; the bookkeeping must not
      // rely on it): a later reading with nothing else changed must not keep them.
      for (const id in fast.automations) if (fast.automations[id] !== 'fired') fast.automations[id] = at;
      const slow = { ...fast, automations: { ...fast.automations } };
      updateAutomations(fast, snapshot.status, at + later, env);
      referenceUpdate(slow, snapshot.status, at + later, env);
      fast.lastEventAt = at + later;
      expect(settledStates(snapshot.status, fast, env)).toStrictEqual(slow.automations);
    },
  );
});
