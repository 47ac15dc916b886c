import { CarekitError } from '../model/index.js';
import { type Calendar, checkCalendar, toDate, toInstant } from './createCalendar.js';
import type { CalendarErrorCode } from './errors.js';
import { isOpen } from './isOpen.js';
import { nextCloseWall, nextOpenWall } from './schedule.js';
import { MAX_INSTANT, spanAt } from './zone.js';

// Ten years without an open or a close is a calendar that will never have one.
const LIMIT_MS = 10 * 366 * 86_400_000;

/**
 * The instant itself if the calendar is open then, else the start of the next open interval.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `calendar_never_open` when nothing opens within ten years.
 * @example
 * ```ts
 * const nine2five = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
 * nextOpen(nine2five, new Date('2025-03-14T18:00:00Z')); // Friday 18:00
 * //=> 2025-03-17T09:00:00.000Z (Monday)
 * ```
 */
export function nextOpen(calendar: Calendar, at: Date | number): Date {
  checkCalendar(calendar, 'nextOpen');
  let t = toInstant(at, 'at');
  if (calendar.alwaysOpen) return toDate(t);
  const limit = t + LIMIT_MS;
  while (t < limit) {
    if (t > MAX_INSTANT) toDate(t);
    const span = spanAt(calendar.timeZone, t);
    const wall = nextOpenWall(
      calendar.schedule,
      t + span.offsetMs,
      Math.ceil((Math.min(span.end, limit) - t) / 86_400_000) + 2,
    );
    if (wall !== null && wall - span.offsetMs < span.end) return toDate(wall - span.offsetMs);
    t = span.end;
  }
  throw new CarekitError<CalendarErrorCode>(
    'calendar_never_open',
    `the calendar ${calendar.config.name ?? calendar.timeZone} does not open within ten years of ${new Date(toInstant(at)).toISOString()}`,
  );
}

/**
 * The end of the open interval containing the instant, or of the next open interval.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `calendar_never_closes` for a calendar that is always open.
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
  if (calendar.alwaysOpen) throw neverCloses(calendar);
  // From a closed instant, the interval that matters is the next one: find where it opens
  // first, so an offset change before it (a DST night) is not taken for its end.
  let t = isOpen(calendar, start) ? start : nextOpen(calendar, start).getTime();
  const limit = t + LIMIT_MS;
  while (t < limit) {
    if (t > MAX_INSTANT) toDate(t);
    const span = spanAt(calendar.timeZone, t);
    const wall = nextCloseWall(
      calendar.schedule,
      t + span.offsetMs,
      Math.ceil((Math.min(span.end, limit) - t) / 86_400_000) + 2,
    );
    if (wall !== null && wall - span.offsetMs <= span.end) return toDate(wall - span.offsetMs);
    // Open up to the offset change: it closes there unless the new wall time is open too.
    t = span.end;
    const after = spanAt(calendar.timeZone, t);
    const next = nextOpenWall(calendar.schedule, t + after.offsetMs, 1);
    if (next === null || next !== t + after.offsetMs) return toDate(t);
  }
  throw neverCloses(calendar);
}

function neverCloses(calendar: Calendar): CarekitError {
  return new CarekitError<CalendarErrorCode>(
    'calendar_never_closes',
    `the calendar ${calendar.config.name ?? calendar.timeZone} does not close`,
  );
}
