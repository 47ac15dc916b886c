import { addBusinessMs } from '../calendar/addBusinessTime.js';
import { addBusinessTime, type Calendar } from '../calendar/index.js';
import { durationToMs, isFinalStatus } from '../model/index.js';
import { compiledCondition } from './compileCondition.js';
import { conditionHolds, type RuleTicket } from './evaluateCondition.js';
import type { AutomationAnchor, AutomationWhen, RuleAutomation, RuleCondition } from './schema.js';

/**
 * Where an automation stands on a ticket, stored in the snapshot by automation id: the instant
 * at which it is due (its condition holds from then on), or `fired` once it fired in the
 * current episode. Absent while its `if` does not hold. An automation counting business time
 * may store a lower bound of its instant instead (the instant before which it cannot be due);
 * the lifecycle computes the instant itself when the clock reaches the bound, and `dueAt`
 * answers the instant.
 */
export type AutomationState = number | 'fired';

function anchorOf(ticket: RuleTicket, anchor: AutomationAnchor): number | null {
  switch (anchor) {
    case 'opened':
      return ticket.openedAt;
    case 'statusChanged':
      return ticket.statusChangedAt;
    case 'lastCustomerMessage':
      return ticket.lastCustomerMessageAt;
    case 'lastAgentReply':
      return ticket.lastAgentReplyAt;
    case 'solved':
      return ticket.solvedAt;
  }
}

/** The milliseconds of each rule set's automation `when` (frozen by `defineRules`), read once. */
const durations = new WeakMap<object, number>();

/** Freezes a rule set's automation `when` and remembers its duration in milliseconds. */
export function registerWhen(when: AutomationWhen): void {
  if (durations.has(when)) return;
  Object.freeze(when);
  Object.freeze('since' in when ? when.atLeast : when.atMost);
  durations.set(when, durationToMs('since' in when ? when.atLeast : when.atMost));
}

/** The last business-time sum per automation (its `when`): most events leave the anchor where it was. */
interface Sum {
  calendar: Calendar;
  from: number;
  ms: number;
  to: number;
}
const sums = new WeakMap<object, Sum>();

/**
 * `addBusinessTime(calendar, from, ms)` as epoch ms, remembered per `when` for the last `from`:
 * after each event every automation is read again, and its anchor (status changed, last customer
 * message...) rarely moved, so the sum is not walked through the calendar again.
 */
function businessSum(key: object, calendar: Calendar, from: number, ms: number): number {
  const last = sums.get(key);
  if (last !== undefined && last.from === from && last.ms === ms && last.calendar === calendar)
    return last.to;
  const to = addBusinessTime(calendar, from, ms).getTime();
  if (last === undefined) sums.set(key, { calendar, from, ms, to });
  else {
    last.calendar = calendar;
    last.from = from;
    last.ms = ms;
    last.to = to;
  }
  return to;
}

/**
 * The first instant at which an automation's whole condition holds, read after an event at
 * `now`, or null when it cannot hold before another event (its `if` is false, its anchor is
 * unset, its SLA clock is not counting). Between events nothing a rule reads changes but time,
 * and each time condition, once true, stays true: so the instant is exact, not sampled.
 *
 * - `since`: the earliest `t` with `atLeast` of (business) time between the anchor and `t`.
 * - `until`: the earliest `t` with at most `atMost` of (business) time left before the clock's
 *   due instant; a paused or breached clock holds now if its remaining time is that small.
 *
 * @example
 * ```ts
 * // pending since Friday 16:00, 72 business hours in a 09-17 week, no holidays
 * automationInstant({ ...reminder, when: { since: 'statusChanged', atLeast: { hours: 72 }, calendar: 'support' } }, ticket, now, { support });
 * //=> the instant of the following Thursday 16:00
 * ```
 */
export function automationInstant(
  automation: Pick<RuleAutomation, 'when' | 'if'>,
  ticket: RuleTicket,
  now: number,
  calendars: Readonly<Record<string, Calendar>> = {},
): number | null {
  if (isFinalStatus(ticket.status)) return null;
  if (!conditionHolds(automation.if, ticket)) return null;
  const when = automation.when;
  const calendar = when.calendar === undefined ? null : (calendars[when.calendar] ?? null);
  let instant: number | null;
  if ('since' in when) {
    const anchor = anchorOf(ticket, when.since);
    if (anchor === null) return null;
    const ms = durations.get(when) ?? durationToMs(when.atLeast);
    instant = calendar === null ? anchor + ms : businessSum(when, calendar, anchor, ms);
  } else {
    const clock = ticket.sla?.[when.until];
    if (clock === undefined) return null;
    const ms = durations.get(when) ?? durationToMs(when.atMost);
    if (clock.status === 'running' && clock.dueAt !== null) {
      // The earliest t with at most `ms` left: one millisecond after the latest t with ms + 1 left.
      instant =
        calendar === null ? clock.dueAt - ms : businessSum(when, calendar, clock.dueAt, -(ms + 1)) + 1;
    } else if ((clock.status === 'paused' || clock.status === 'breached') && clock.remainingMs !== null) {
      instant = clock.remainingMs <= ms ? now : null;
    } else if (clock.status === 'breached') instant = now;
    else instant = null;
  }
  if (instant === null || Number.isNaN(instant)) return null;
  return Math.max(instant, now);
}

/**
 * The next state of an automation after an event at `now`, from its state before and its
 * instant now: a fired automation stays fired while its condition still holds (it fires at most
 * once per episode); once the condition has stopped holding, the next episode's instant counts.
 */
export function nextAutomationState(
  before: AutomationState | undefined,
  instant: number | null,
  now: number,
): AutomationState | undefined {
  if (instant === null) return undefined;
  if (before === 'fired' && instant <= now) return 'fired';
  return instant;
}

/**
 * An automation's instant as `automationInstant` gives it, with everything but the ticket decided
 * once. Without `exact`, an automation counting business time since an anchor may answer a
 * lower bound instead (see `planAutomations`): an instant after `now` before which its condition
 * cannot hold. With `exact`, or when the bound is not after `now`, the instant itself.
 */
export type AutomationPlan = (ticket: RuleTicket, now: number, exact?: boolean) => number | null;

/** The ticket properties a plan's instant can depend on (besides the time it is read at). */
export type AutomationInput = keyof RuleTicket;

/** The properties the automations' instants read, and one reader per property (a named read each). */
export interface AutomationInputs {
  readonly props: readonly AutomationInput[];
  readonly read: readonly ((ticket: RuleTicket) => unknown)[];
}

/** A reader per scalar property: a read by a key held in a variable would go through the getters slowly. */
const READERS: { readonly [K in AutomationInput]?: (ticket: RuleTicket) => unknown } = {
  status: (t) => t.status,
  customStatus: (t) => t.customStatus,
  priority: (t) => t.priority,
  category: (t) => t.category,
  channel: (t) => t.channel,
  segment: (t) => t.segment,
  language: (t) => t.language,
  origin: (t) => t.origin,
  assigneeId: (t) => t.assigneeId,
  queue: (t) => t.queue,
  tier: (t) => t.tier,
  reopens: (t) => t.reopens,
  agentReplies: (t) => t.agentReplies,
  customerReplies: (t) => t.customerReplies,
  openedAt: (t) => t.openedAt,
  statusChangedAt: (t) => t.statusChangedAt,
  lastCustomerMessageAt: (t) => t.lastCustomerMessageAt,
  lastAgentReplyAt: (t) => t.lastAgentReplyAt,
  solvedAt: (t) => t.solvedAt,
};

const plans = new WeakMap<
  readonly object[],
  {
    calendars: Readonly<Record<string, Calendar>>;
    planned: readonly AutomationPlan[] | null;
    inputs: AutomationInputs | null;
  }
>();

/** The anchors' properties on the ticket. */
const ANCHOR_PROPS: Readonly<Record<AutomationAnchor, AutomationInput>> = {
  opened: 'openedAt',
  statusChanged: 'statusChangedAt',
  lastCustomerMessage: 'lastCustomerMessageAt',
  lastAgentReply: 'lastAgentReplyAt',
  solved: 'solvedAt',
};

/** Properties whose value is an array or object (compared by identity they could change unseen). */
const NOT_SCALAR: ReadonlySet<string> = new Set(['tags', 'customerTags', 'fields', 'sla']);

/** Adds the props a condition reads to `into`; false when it reads anything but scalar props. */
function scalarPropsOf(condition: RuleCondition | undefined, into: Set<AutomationInput>): boolean {
  if (condition === undefined) return true;
  if ('all' in condition) return condition.all.every((c) => scalarPropsOf(c, into));
  if ('any' in condition) return condition.any.every((c) => scalarPropsOf(c, into));
  if ('not' in condition) return scalarPropsOf(condition.not, into);
  if ('prop' in condition && !NOT_SCALAR.has(condition.prop) && READERS[condition.prop] !== undefined) {
    into.add(condition.prop);
    return true;
  }
  return false; // a field, an SLA clock, tags: not followed
}

/**
 * Every ticket property the planned automations' instants depend on, when they all are scalars
 * (status, priority, counters, anchors...): while none of them changed, each automation's
 * instant, read again, is the one its state already holds (see `updateAutomations`). Null when
 * an automation reads tags, fields or an SLA clock, or counts until an SLA clock's due instant.
 *
 * @internal
 */
export function automationInputs(
  automations: readonly Pick<RuleAutomation, 'when' | 'if'>[],
  calendars: Readonly<Record<string, Calendar>>,
): AutomationInputs | null {
  planAutomations(automations, calendars);
  return plans.get(automations)!.inputs;
}

function inputsOf(automations: readonly Pick<RuleAutomation, 'when' | 'if'>[]): AutomationInputs | null {
  const into = new Set<AutomationInput>(['status']);
  for (const a of automations) {
    if (!('since' in a.when) || !scalarPropsOf(a.if, into)) return null;
    into.add(ANCHOR_PROPS[a.when.since]);
  }
  const props = [...into];
  return { props, read: props.map((prop) => READERS[prop]!) };
}

/**
 * The automations of a rule set from `defineRules`, each planned once: its condition compiled,
 * its duration, anchor and calendar looked up, and its last business-time sum kept in the plan
 * (`automationInstant` looks each of these up in a WeakMap, and it runs for every automation
 * after every event).
 *
 * The lazy bound: an automation that counts business time since an anchor answers, while
 * `anchor + atLeast` (calendar time) is still ahead, that instant instead of the business-time
 * sum. Business time between two instants never exceeds the time between them, so its instant
 * cannot come before; the lifecycle stores the bound as the automation's state and sums only
 * when the clock reaches it (`passedDeadline`, `dueAt`, or the next reading after it). Most
 * anchors move again (a reply, a change of status) before then, and their sum is never walked. Null when an automation was not registered by `defineRules` (a tree made
 * by hand), which then goes through `automationInstant`. Remembered per automations array.
 *
 * @internal
 */
export function planAutomations(
  automations: readonly Pick<RuleAutomation, 'when' | 'if'>[],
  calendars: Readonly<Record<string, Calendar>>,
): readonly AutomationPlan[] | null {
  const known = plans.get(automations);
  if (known !== undefined && known.calendars === calendars) return known.planned;
  const registered = automations.every(
    (a) => durations.has(a.when) && (a.if === undefined || compiledCondition(a.if) !== undefined),
  );
  const planned = registered ? automations.map((a) => planOne(a, calendars)) : null;
  plans.set(automations, { calendars, planned, inputs: planned === null ? null : inputsOf(automations) });
  return planned;
}

function planOne(
  automation: Pick<RuleAutomation, 'when' | 'if'>,
  calendars: Readonly<Record<string, Calendar>>,
) {
  const when = automation.when;
  const holds = automation.if === undefined ? () => true : compiledCondition(automation.if)!;
  const calendar = when.calendar === undefined ? null : (calendars[when.calendar] ?? null);
  const ms = durations.get(when)!;
  // The last business-time sum: most events leave the anchor where it was.
  let lastFrom = Number.NaN;
  let lastTo = Number.NaN;
  const sum = (from: number, by: number) => {
    if (from !== lastFrom) {
      lastTo = addBusinessMs(calendar!, from, by);
      lastFrom = from;
    }
    return lastTo;
  };
  if ('since' in when) {
    const since = when.since;
    return (ticket: RuleTicket, now: number, exact = false): number | null => {
      if (isFinalStatus(ticket.status) || !holds(ticket)) return null;
      const anchor = anchorOf(ticket, since);
      if (anchor === null) return null;
      if (calendar === null) return Math.max(anchor + ms, now);
      // Business time never exceeds the time elapsed, so the instant is at least `anchor + ms`:
      // while that is ahead, it stands for the instant, summed only when the clock reaches it.
      const lower = anchor + ms;
      if (!exact && lower > now) return lower;
      const instant = sum(anchor, ms);
      return Number.isNaN(instant) ? null : Math.max(instant, now);
    };
  }
  const until = when.until;
  return (ticket: RuleTicket, now: number): number | null => {
    if (isFinalStatus(ticket.status) || !holds(ticket)) return null;
    const clock = ticket.sla?.[until];
    if (clock === undefined) return null;
    let instant: number | null;
    if (clock.status === 'running' && clock.dueAt !== null)
      instant = calendar === null ? clock.dueAt - ms : sum(clock.dueAt, -(ms + 1)) + 1;
    else if ((clock.status === 'paused' || clock.status === 'breached') && clock.remainingMs !== null)
      instant = clock.remainingMs <= ms ? now : null;
    else if (clock.status === 'breached') instant = now;
    else instant = null;
    if (instant === null || Number.isNaN(instant)) return null;
    return Math.max(instant, now);
  };
}
