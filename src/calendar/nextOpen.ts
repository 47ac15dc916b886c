import { CarekitError } from '../model/index.js';
import { type Calendar, checkCalendar, toInstant } from './createCalendar.js';
import type { CalendarErrorCode } from './errors.js';
import { nextCloseWall, nextOpenWall, openAtWall } from './schedule.js';
import { MAX_INSTANT, spanAt } from './zone.js';

const DAY = 86_400_000;
// Ten years without an open or a close is a calendar that will never have one.
const LIMIT_MS = 10 * 366 * DAY;

/**
 * The instant itself if the calendar is open then, else the start of the next open interval.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `calendar_never_open` when nothing opens within ten years;
 * `instant_out_of_range` when the next opening lies after the latest instant a `Date` holds.
 * @example
 * ```ts
 * const nine2five = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
 * nextOpen(nine2five, new Date('2025-03-14T18:00:00Z')); // Friday 18:00
 * //=> 2025-03-17T09:00:00.000Z (Monday)
 * ```
 */
export function nextOpen(calendar: Calendar, at: Date | number): Date {
  checkCalendar(calendar, 'nextOpen');
  const start = toInstant(at, 'at');
  const open = openingFrom(calendar, start, start + LIMIT_MS);
  if (open === null) {
    throw new CarekitError<CalendarErrorCode>(
      'calendar_never_open',
      `the calendar ${calendar.config.name ?? calendar.timeZone} does not open within ten years of ${new Date(start).toISOString()}`,
    );
  }
  return dateOf(open);
}

/**
 * The end of the open interval containing the instant, or of the next open interval.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `calendar_never_closes` for a calendar that is always open
 * (or open without a break for ten years); `instant_out_of_range` when the close lies after the
 * latest instant a `Date` holds.
 * @example
 * ```ts
 * const nine2five = createCalendar({ timeZone: 'UTC', week: { fri: [['09:00', '17:00']] } });
 * nextClose(nine2five, new Date('2025-03-14T10:00:00Z'));
 * //=> 2025-03-14T17:00:00.000Z
 * ```
 */
export function nextClose(calendar: Calendar, at: Date | number): Date {
  checkCalendar(calendar, 'nextClose');
  const start = toInstant(at, 'at');
  // From a closed instant, the interval that matters is the next one: find where it opens
  // first, so an offset change before it (a DST night) is not taken for its end.
  const open = nextOpen(calendar, start).getTime();
  const close = closingFrom(calendar, open, open + LIMIT_MS);
  if (close === null) {
    throw new CarekitError<CalendarErrorCode>(
      'calendar_never_closes',
      `the calendar ${calendar.config.name ?? calendar.timeZone} does not close`,
    );
  }
  return dateOf(close);
}

/**
 * The first open instant from `t` on, looked for in the offset spans that start before `limit`
 * (it may lie a little after `limit`); null when there is none. For a calendar and instant
 * already checked (openIntervals walks with it up to its `to`).
 *
 * @internal
 */
export function openingFrom(calendar: Calendar, t: number, limit: number): number | null {
  // Stryker disable next-line ConditionalExpression: performance only; a 24/7 schedule walked span by span answers `t` too
  if (calendar.alwaysOpen) return t;
  let from = t;
  while (from < limit) {
    if (from > MAX_INSTANT) throw afterLatestInstant();
    const span = spanAt(calendar.timeZone, from);
    const wall = nextOpenWall(calendar.schedule, from + span.offsetMs, daysToSearch(from, span.end, limit));
    // An opening found past the span's end is read with the wrong offset: the next span finds it.
    if (wall !== null && wall - span.offsetMs < span.end) return wall - span.offsetMs;
    from = span.end;
  }
  return null;
}

/**
 * The first instant from the open instant `t` on at which the calendar is closed, looked for in
 * the offset spans that start before `limit`; null when it is open throughout them.
 *
 * @internal
 */
export function closingFrom(calendar: Calendar, t: number, limit: number): number | null {
  if (calendar.alwaysOpen) return null;
  let from = t;
  while (from < limit) {
    // Stryker disable next-line EqualityOperator: open at MAX_INSTANT, the calendar closes after it: `>=` refuses with this same error a span sooner
    if (from > MAX_INSTANT) throw afterLatestInstant();
    const span = spanAt(calendar.timeZone, from);
    const wall = nextCloseWall(calendar.schedule, from + span.offsetMs, daysToSearch(from, span.end, limit));
    // A close found at or after the span's end is not taken: at the offset change the calendar
    // closes unless the new wall time is open too, and after it the next span reads the close.
    if (wall !== null && wall - span.offsetMs < span.end) return wall - span.offsetMs;
    from = span.end;
    if (!openAtWall(calendar.schedule, from + spanAt(calendar.timeZone, from).offsetMs)) return from;
  }
  return null;
}

// Every wall-clock day the span from `from` (cut at `limit`) touches: its length in days rounded
// up, and the partial days at either end.
function daysToSearch(from: number, spanEnd: number, limit: number): number {
  return Math.ceil((Math.min(spanEnd, limit) - from) / DAY) + 2;
}

// The search may find an opening or a close in the last day of its last span, after the latest
// instant a Date holds.
function dateOf(t: number): Date {
  if (t > MAX_INSTANT) throw afterLatestInstant();
  return new Date(t);
}

function afterLatestInstant(): CarekitError {
  return new CarekitError<CalendarErrorCode>(
    'instant_out_of_range',
    'the answer lies after the latest instant a Date can hold (±8.64e15 ms)',
  );
}
