import { type Calendar, checkCalendar, toInstant } from './createCalendar.js';
import { openBetween } from './years.js';

/**
 * Milliseconds of open time in `[from, to)`; negative when `to` is before `from`. The cost does
 * not grow with the span: whole weeks are counted arithmetically, holidays by binary search,
 * the span is split only where the zone's offset changes (a few times a year), and from 2100
 * on (past the zone's explicit history and the calendar's last holiday) whole years are added
 * from a table in constant time. See docs/calendar.md for the bounds.
 *
 * @throws {@link "carekit/model"!CarekitArgumentError | CarekitArgumentError} `invalid_calendar` for anything but a calendar
 * from `createCalendar`, `invalid_instant` for anything but a valid `Date` or epoch ms within ±8.64e15.
 * @example
 * ```ts
 * const nine2five = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
 * businessTimeBetween(nine2five, new Date('2025-03-14T16:00:00Z'), new Date('2025-03-17T10:00:00Z')); // Fri 16:00 → Mon 10:00
 * //=> 7200000 (2 hours)
 * ```
 */
export function businessTimeBetween(calendar: Calendar, from: Date | number, to: Date | number): number {
  checkCalendar(calendar, 'businessTimeBetween');
  const a = toInstant(from, 'from');
  const b = toInstant(to, 'to');
  if (b < a) return 0 - businessTimeBetween(calendar, b, a); // 0 - t: an empty span is +0, not -0
  // Exact where a sum of spans is not: beyond 2^53 ms the parts of a span round on their own.
  if (calendar.alwaysOpen) return b - a;
  return openBetween(calendar.schedule, calendar.timeZone, a, b);
}
