import { checkCalendar } from '../calendar/createCalendar.js';
import { addBusinessTime, businessTimeBetween, type Calendar } from '../calendar/index.js';
import { badArgument, CarekitArgumentError, checkObject, checkString } from '../model/arguments.js';
import type { SlaErrorCode } from './errors.js';

/**
 * How an SLA clock measures time: `between(a, b)` is the clock time in `[a, b)` (negative when
 * `b < a`) and `add(start, ms)` the earliest instant `t >= start` with `between(start, t) === ms`.
 * Calendar hours are the identity; business hours wrap a business calendar.
 */
export interface ClockMeasure {
  between(from: number, to: number): number;
  add(start: number, ms: number): number;
}

/**
 * The calendars an SLA policy may name, by name: business calendars from `createCalendar`,
 * or any {@link ClockMeasure} of your own.
 */
export type SlaCalendars = Readonly<Record<string, Calendar | ClockMeasure>>;

/**
 * Calendar hours: every millisecond of every day counts.
 *
 * @example
 * ```ts
 * calendarHours.add(Date.UTC(2025, 0, 3, 16), 3_600_000) === Date.UTC(2025, 0, 3, 17);
 * //=> true
 * calendarHours.between(0, 90_000);
 * //=> 90000
 * ```
 */
export const calendarHours: ClockMeasure = {
  between: (from, to) => to - from,
  add: (start, ms) => start + ms,
};

const businessMeasures = new WeakMap<Calendar, ClockMeasure>();

/**
 * Business hours of a calendar as a clock measure: `between` is `businessTimeBetween` and
 * `add` is `addBusinessTime` in epoch ms. One measure per calendar is kept and reused.
 *
 * @example
 * ```ts
 * // a 09-17 Monday-to-Friday calendar in UTC
 * const measure = businessHours(support);
 * new Date(measure.add(Date.UTC(2025, 2, 14, 16), 2 * 3_600_000)).toISOString(); // Friday 16:00 + 2 h
 * //=> '2025-03-17T10:00:00.000Z'
 * ```
 */
export function businessHours(calendar: Calendar): ClockMeasure {
  checkCalendar(calendar, 'businessHours');
  let measure = businessMeasures.get(calendar);
  if (measure === undefined) {
    measure = calendar.alwaysOpen
      ? calendarHours
      : {
          between: (from, to) => businessTimeBetween(calendar, from, to),
          add: (start, ms) => addBusinessTime(calendar, start, ms).getTime(),
        };
    businessMeasures.set(calendar, measure);
  }
  return measure;
}

function isMeasure(value: Calendar | ClockMeasure): value is ClockMeasure {
  return typeof (value as Partial<ClockMeasure>).between === 'function';
}

/**
 * Finds the measure of a clock: calendar hours for `null`, else the named calendar.
 *
 * @throws {@link "carekit/model"!CarekitArgumentError | CarekitArgumentError} `unknown_calendar` when the name is not in
 * `calendars`; `invalid_type` when `calendars` is not an object (a string is never enumerated),
 * `invalid_calendar` when the entry is neither a calendar nor a clock measure.
 * @example
 * ```ts
 * resolveClockMeasure(null, {}) === calendarHours;
 * //=> true
 * ```
 */
export function resolveClockMeasure(name: string | null, calendars: SlaCalendars | undefined): ClockMeasure {
  const fn = 'resolveClockMeasure';
  if (name !== null) checkString(name, fn, ['name'], 256, 'a calendar name or null');
  // Checked before any key is read: a string or an array here would be enumerated per item.
  if (calendars !== undefined) checkObject(calendars, fn, ['calendars'], 'an object of calendars by name');
  if (name === null) return calendarHours;
  let found: Calendar | ClockMeasure | undefined;
  try {
    found = calendars !== undefined && Object.hasOwn(calendars, name) ? calendars[name] : undefined;
  } catch (cause) {
    throw new CarekitArgumentError<SlaErrorCode>(
      'unreadable_input',
      ['calendars', name],
      `${fn}: calendars could not be read (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
  if (found === undefined) {
    const known = calendars === undefined ? [] : Object.keys(calendars).slice(0, 20);
    throw new CarekitArgumentError<SlaErrorCode>(
      'unknown_calendar',
      ['name'],
      `The SLA policy counts in the calendar ${JSON.stringify(name)}, which is not in the calendars option` +
        (known.length > 0 ? ` (known: ${known.map((k) => JSON.stringify(k)).join(', ')})` : ' (none given)'),
    );
  }
  if (found === null || typeof found !== 'object')
    badArgument<SlaErrorCode>(
      fn,
      ['calendars', name],
      'a calendar from createCalendar or a { between, add } clock measure',
      found,
      'invalid_calendar',
    );
  return isMeasure(found) ? found : businessHours(found);
}
