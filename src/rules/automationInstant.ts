import { addBusinessTime, type Calendar } from '../calendar/index.js';
import { durationToMs, isFinalStatus } from '../model/index.js';
import { conditionHolds, type RuleTicket } from './evaluateCondition.js';
import type { AutomationAnchor, AutomationWhen, RuleAutomation } from './schema.js';

/**
 * Where an automation stands on a ticket, stored in the snapshot by automation id: the instant
 * at which it is due (its condition holds from then on), or `fired` once it fired in the
 * current episode. Absent while its `if` does not hold.
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
