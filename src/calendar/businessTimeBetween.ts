import { type Calendar, toInstant } from './createCalendar.js';
import { cumulative } from './schedule.js';
import { spanAt } from './zone.js';

/**
 * Milliseconds of open time in `[from, to)`; negative when `to` is before `from`. The cost does
 * not grow with the span: whole weeks are counted arithmetically, holidays by binary search,
 * and the span is split only where the zone's offset changes (a few times a year).
 *
 * @example
 * ```ts
 * const nine2five = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
 * businessTimeBetween(nine2five, new Date('2025-03-14T16:00:00Z'), new Date('2025-03-17T10:00:00Z')); // Fri 16:00 → Mon 10:00
 * //=> 7200000 (2 hours)
 * ```
 */
export function businessTimeBetween(calendar: Calendar, from: Date | number, to: Date | number): number {
  const a = toInstant(from, 'from');
  const b = toInstant(to, 'to');
  if (b < a) return -businessTimeBetween(calendar, b, a);
  if (calendar.alwaysOpen || a === b) return b - a;
  const { schedule, timeZone } = calendar;
  let sum = 0;
  let t = a;
  while (t < b) {
    const span = spanAt(timeZone, t);
    const end = Math.min(span.end, b);
    sum += cumulative(schedule, end + span.offsetMs) - cumulative(schedule, t + span.offsetMs);
    t = end;
  }
  return sum;
}
