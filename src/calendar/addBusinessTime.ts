import { CarekitError } from '../model/index.js';
import { type Calendar, checkCalendar, toInstant } from './createCalendar.js';
import type { CalendarErrorCode } from './errors.js';
import { cumulative, nextOpenWall, reach } from './schedule.js';
import {
  openBeforeYear,
  skipFromYear,
  steppedBetween,
  yearsBelow,
  yearsBelowBackward,
  yearTable,
} from './years.js';
import { MAX_INSTANT, MIN_INSTANT, spanAt, spanBefore, yearOf, yearStart } from './zone.js';

const WEEK = 7 * 86_400_000;
// More open time than three years can hold: the answer is years away, so whole years are skipped.
const SKIP_ABOVE = 3 * 366 * 86_400_000;

/**
 * Adds business time: the earliest instant `t >= start` with
 * `businessTimeBetween(calendar, start, t) === ms`. So in a 09–17 week, Friday 16:00 + 1 h is
 * Friday 17:00 and Friday 17:00 + 8 h is Monday 17:00. With a negative `ms` it goes back: the
 * latest `t <= start` with `businessTimeBetween(calendar, t, start) === -ms`. The cost does not
 * grow with `ms` (weeks are skipped arithmetically, whole years from 2100 on by a table).
 *
 * @throws {@link "carekit/model"!CarekitArgumentError | CarekitArgumentError} `invalid_calendar` for anything but a calendar
 * from `createCalendar`; `invalid_duration` when `ms` is not a finite number,
 * `invalid_instant` for a bad `start`, `instant_out_of_range` when the answer would lie beyond
 * what a `Date` holds (±8.64e15 ms).
 * @example
 * ```ts
 * const nine2five = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
 * addBusinessTime(nine2five, new Date('2025-03-14T16:00:00Z'), 4 * 3_600_000); // Friday 16:00 + 4 h
 * //=> 2025-03-17T12:00:00.000Z (Monday 12:00)
 * addBusinessTime(nine2five, new Date('2025-03-13T15:00:00Z'), 4 * 3_600_000); // Thursday 15:00 + 4 h
 * //=> 2025-03-14T11:00:00.000Z (Friday 11:00)
 * ```
 */
export function addBusinessTime(calendar: Calendar, start: Date | number, ms: number): Date {
  checkCalendar(calendar, 'addBusinessTime');
  const s = toInstant(start, 'start');
  // Number.isFinite is false for anything but a number: no typeof test is needed.
  if (!Number.isFinite(ms)) {
    throw new CarekitError<CalendarErrorCode>(
      'invalid_duration',
      `ms must be a finite number of milliseconds, got ${typeof ms === 'number' ? String(ms) : typeof ms}`,
    );
  }
  return new Date(addBusinessMs(calendar, s, ms));
}

/**
 * `addBusinessTime` as epoch ms, for a calendar from `createCalendar`, a valid instant and a
 * finite `ms` that the caller has checked (the lifecycle's automations, after every event): no
 * reading of the arguments, no `Date`. The same answers and the same `instant_out_of_range`.
 *
 * @internal
 */
export function addBusinessMs(calendar: Calendar, s: number, ms: number): number {
  // Not only a shortcut: going back by nothing from a closed instant, the walk would answer the
  // opening after it.
  if (ms === 0) return s;
  // Stryker disable next-line ConditionalExpression: performance only; a 24/7 schedule walked span by span gives the same sum and the same out-of-range error
  if (calendar.alwaysOpen) return inRange(s + ms);
  // Stryker disable next-line EqualityOperator: ms is not 0 here, so `ms > 0` and `ms >= 0` agree
  return inRange(ms > 0 ? forward(calendar, s, ms) : backward(calendar, s, -ms));
}

function inRange(t: number): number {
  if (t > MAX_INSTANT) throw outOfRange('after');
  if (t < MIN_INSTANT) throw outOfRange('before');
  return t;
}

function outOfRange(direction: 'after' | 'before'): CarekitError {
  return new CarekitError<CalendarErrorCode>(
    'instant_out_of_range',
    `the business time added ends ${direction} the ${direction === 'after' ? 'latest' : 'earliest'} instant a Date can hold (${direction === 'after' ? '+' : '-'}8.64e15 ms)`,
  );
}

// Skipping whole years is exact whenever the table covers them: the threshold below only says
// when it pays. More than SKIP_ABOVE is more than the rest of any year holds, so the skip always
// passes the start of the next year.

function forward({ schedule, timeZone }: Calendar, s: number, ms: number): number {
  let remaining = ms;
  let t = s;
  for (;;) {
    // Stryker disable next-line EqualityOperator: from MAX_INSTANT itself any positive amount ends beyond it, with this same error
    if (t > MAX_INSTANT) throw outOfRange('after');
    // Stryker disable next-line EqualityOperator: performance only; an amount of exactly SKIP_ABOVE is skipped as exactly
    const far = remaining > SKIP_ABOVE;
    // Stryker disable next-line ArithmeticOperator,EqualityOperator: performance only; a bound a year later still skips from where the table covers
    if (far && yearOf(t) + 1 >= skipFromYear(schedule)) {
      const year = yearOf(t) + 1;
      const partial = steppedBetween(schedule, timeZone, t, yearStart(year));
      const table = yearTable(schedule, timeZone);
      const n = yearsBelow(table, year, remaining - partial);
      remaining -= partial + (openBeforeYear(table, year + n) - openBeforeYear(table, year));
      t = yearStart(year + n);
      continue;
    }
    const span = spanAt(timeZone, t);
    const from = t + span.offsetMs;
    const base = cumulative(schedule, from);
    const available = cumulative(schedule, span.end + span.offsetMs) - base;
    if (remaining > available) {
      remaining -= available;
      t = span.end;
      continue;
    }
    return reach(schedule, from, base + remaining) - span.offsetMs;
  }
}

function backward({ schedule, timeZone }: Calendar, s: number, ms: number): number {
  let remaining = ms;
  let t = s;
  for (;;) {
    // Stryker disable next-line EqualityOperator: from MIN_INSTANT itself any positive amount ends before it, with this same error
    if (t < MIN_INSTANT) throw outOfRange('before');
    // Stryker disable next-line EqualityOperator: performance only; an amount of exactly SKIP_ABOVE is skipped as exactly
    const far = remaining > SKIP_ABOVE;
    // yearsBelowBackward stops at the table's first year: before it, a skip is one exact step
    // to the year's start, and this bound only spares building the table.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: performance only (see above)
    const tableYears = yearOf(t - 1) - 1 >= skipFromYear(schedule);
    if (far && tableYears) {
      const year = yearOf(t - 1);
      const partial = steppedBetween(schedule, timeZone, yearStart(year), t);
      const table = yearTable(schedule, timeZone);
      const n = yearsBelowBackward(table, year, remaining - partial);
      remaining -= partial + (openBeforeYear(table, year) - openBeforeYear(table, year - n));
      t = yearStart(year - n);
      continue;
    }
    const span = spanBefore(timeZone, t);
    const to = t + span.offsetMs;
    const top = cumulative(schedule, to);
    const available = top - cumulative(schedule, span.start + span.offsetMs);
    if (remaining > available) {
      remaining -= available;
      t = span.start;
      continue;
    }
    const target = top - remaining;
    let from = to - WEEK;
    // Stryker disable next-line EqualityOperator: from an instant already at the target, going further back only makes reach start earlier in the same closed stretch, whose opening is the answer
    while (cumulative(schedule, from) > target) from -= 2 * (to - from);
    // `from` may lie before the span: F is the wall schedule's there too, and reach answers an
    // instant of the closed stretch (or the open instant) that ends where the answer lies.
    const earliest = reach(schedule, from, target);
    // Every instant of a closed stretch after `earliest` has the same business time to `s`: the
    // latest one is where the calendar opens again, before `to` (`remaining` is open time). In
    // wall time: `earliest` may lie before the first instant a Date holds.
    return nextOpenWall(schedule, earliest, Number.POSITIVE_INFINITY)! - span.offsetMs;
  }
}
