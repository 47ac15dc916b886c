import { badArgument, CarekitArgumentError, readArgument } from '../model/arguments.js';
import { parseInput } from '../model/index.js';
import { CalendarConfig, type ResolvedCalendarConfig } from './config.js';
import type { CalendarErrorCode } from './errors.js';
import { compileSchedule, type WallSchedule } from './schedule.js';
import { MAX_INSTANT } from './zone.js';

/**
 * A compiled business calendar. `config` is the validated configuration (plain JSON, for
 * review documents); the rest is precomputed for fast arithmetic and is not part of the API.
 */
export interface Calendar {
  readonly config: ResolvedCalendarConfig;
  readonly timeZone: string;
  /** True when every instant is open (24/7, no holidays): arithmetic is then plain subtraction. */
  readonly alwaysOpen: boolean;
  /** @internal */
  readonly schedule: WallSchedule;
}

/**
 * Validates a calendar configuration and compiles it: weekly opening hours (several intervals
 * a day, `'HH:mm'`, an interval may end at `'24:00'`), holidays (a date closes the whole day;
 * `{ date, hours }` gives the day its own hours), in an IANA time zone.
 *
 * An instant is open when its local wall-clock time in `timeZone` falls inside one of that
 * local day's intervals. So on a spring-forward day an interval containing the skipped hour
 * is an hour shorter, an interval entirely inside it is empty, and on a fall-back day an
 * interval containing the repeated hour is an hour longer.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} with codes such as `invalid_calendar_interval`
 * (reversed or overlapping), `invalid_time_zone`, `duplicate_holiday`, `calendar_never_open`.
 * @example
 * ```ts
 * const support = createCalendar({
 *   timeZone: 'America/New_York',
 *   week: { mon: [['09:00', '12:00'], ['13:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']],
 *           thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
 *   holidays: ['2025-01-01', { date: '2025-12-24', hours: [['09:00', '12:00']] }],
 * });
 * isOpen(support, new Date('2025-03-10T16:30:00Z')); // Monday 12:30 in New York, lunch
 * //=> false
 * ```
 */
export function createCalendar(config: CalendarConfig): Calendar {
  const parsed = parseInput(CalendarConfig, config, 'calendar config');
  const schedule = compileSchedule(parsed);
  const alwaysOpen =
    schedule.holidayDays.length === 0 &&
    schedule.week.every((day) => day.length === 1 && day[0]![0] === 0 && day[0]![1] === 86_400_000);
  return { config: parsed, timeZone: parsed.timeZone, alwaysOpen, schedule };
}

const ALL_DAY = [['00:00', '24:00']] as [string, string][];

/**
 * The 24/7 calendar: every instant is open, so business time is elapsed time.
 *
 * @example
 * ```ts
 * businessTimeBetween(alwaysOpen, Date.UTC(2025, 0, 3, 16), Date.UTC(2025, 0, 6, 9));
 * //=> 234000000 (65 hours)
 * ```
 */
export const alwaysOpen: Calendar = /* @__PURE__ */ createCalendar({
  name: 'always open',
  timeZone: 'UTC',
  week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
});

/**
 * Refuses anything but a calendar made by {@link createCalendar} (checked by its shape: a
 * compiled schedule and a time zone), with `invalid_calendar` at `path`, before any arithmetic.
 *
 * @internal
 */
export function checkCalendar(
  calendar: unknown,
  fn: string,
  path: readonly (string | number)[] = ['calendar'],
): asserts calendar is Calendar {
  const expected = 'a calendar made by createCalendar';
  if (calendar === null || typeof calendar !== 'object' || Array.isArray(calendar))
    badArgument<CalendarErrorCode>(fn, path, expected, calendar, 'invalid_calendar');
  const schedule = readArgument(calendar, 'schedule', fn, path);
  const timeZone = readArgument(calendar, 'timeZone', fn, path);
  if (schedule === null || typeof schedule !== 'object' || typeof timeZone !== 'string')
    badArgument<CalendarErrorCode>(fn, path, expected, calendar, 'invalid_calendar');
}

/** Reads an instant given as a `Date` or epoch ms; refuses NaN, invalid dates and anything else. */
export function toInstant(at: Date | number, name = 'instant'): number {
  let t = Number.NaN;
  try {
    t = typeof at === 'number' ? at : at instanceof Date ? Date.prototype.getTime.call(at) : Number.NaN;
  } catch {
    // A Proxy or an object pretending to be a Date: not an instant (t stays NaN).
  }
  if (!Number.isFinite(t) || Math.abs(t) > MAX_INSTANT) {
    throw new CarekitArgumentError<CalendarErrorCode>(
      'invalid_instant',
      [name],
      `${name} must be a valid Date or epoch milliseconds within ±8.64e15, got ${describe(at)}`,
    );
  }
  return t;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null) return 'an object that is not a valid Date';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  return value === null ? 'null' : typeof value;
}
