import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/calendar` throws (with the shared argument codes).
 */
export type CalendarErrorCode =
  | ArgumentErrorCode
  | 'calendar_never_closes'
  | 'calendar_never_open'
  | 'instant_out_of_range'
  | 'invalid_calendar'
  | 'invalid_duration'
  | 'too_many_intervals';
