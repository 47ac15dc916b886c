/**
 * Business time: weekly schedules with several intervals a day, holidays (whole or partial
 * days), IANA time zones with daylight saving. Pure functions; instants in (`Date` or epoch
 * ms), `Date` out, durations in milliseconds.
 *
 * @module carekit/calendar
 */
export { addBusinessTime } from './addBusinessTime.js';
export { businessTimeBetween } from './businessTimeBetween.js';
export {
  CalendarConfig,
  type CalendarConfigInput,
  CalendarDate,
  DayInterval,
  DaySchedule,
  Holiday,
  type ResolvedCalendarConfig,
  TimeOfDay,
} from './config.js';
export { alwaysOpen, type Calendar, createCalendar } from './createCalendar.js';
export type { CalendarErrorCode } from './errors.js';
export { isOpen } from './isOpen.js';
export { nextClose, nextOpen } from './nextOpen.js';
export { MAX_OPEN_INTERVALS, type OpenInterval, openIntervals } from './openIntervals.js';
