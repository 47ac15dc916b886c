import { type Calendar, checkCalendar, toInstant } from './createCalendar.js';
import { openAtWall } from './schedule.js';
import { spanAt } from './zone.js';

/**
 * Whether the calendar is open at an instant: the instant's local wall-clock time falls in
 * one of that local day's intervals (intervals include their start, not their end).
 *
 * @example
 * ```ts
 * const nine2five = createCalendar({ timeZone: 'Europe/Berlin', week: { fri: [['09:00', '17:00']] } });
 * isOpen(nine2five, new Date('2025-03-14T15:59:00Z')); // Friday 16:59 in Berlin
 * //=> true
 * isOpen(nine2five, new Date('2025-03-14T16:00:00Z')); // Friday 17:00
 * //=> false
 * ```
 */
export function isOpen(calendar: Calendar, at: Date | number): boolean {
  checkCalendar(calendar, 'isOpen');
  const t = toInstant(at, 'at');
  // Stryker disable next-line ConditionalExpression: performance only (no zone read); a 24/7 schedule is open at every wall time
  if (calendar.alwaysOpen) return true;
  return openAtWall(calendar.schedule, t + spanAt(calendar.timeZone, t).offsetMs);
}
