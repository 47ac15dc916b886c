import { CarekitError } from '../model/index.js';

/**
 * How an SLA clock measures time: `between(a, b)` is the clock time in `[a, b)` (negative when
 * `b < a`) and `add(start, ms)` the earliest instant `t >= start` with `between(start, t) === ms`.
 * Calendar hours are the identity; business hours wrap a business calendar.
 */
export interface ClockMeasure {
  between(from: number, to: number): number;
  add(start: number, ms: number): number;
}

/** The calendars an SLA policy may name, by name. */
export type SlaCalendars = Readonly<Record<string, ClockMeasure>>;

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

/**
 * Finds the measure of a clock: calendar hours for `null`, else the named calendar.
 *
 * @throws {@link CarekitError} `unknown_calendar` when the name is not in `calendars`.
 * @example
 * ```ts
 * resolveClockMeasure(null, {}) === calendarHours;
 * //=> true
 * ```
 */
export function resolveClockMeasure(name: string | null, calendars: SlaCalendars | undefined): ClockMeasure {
  if (name === null) return calendarHours;
  const found = calendars !== undefined && Object.hasOwn(calendars, name) ? calendars[name] : undefined;
  if (found === undefined) {
    const known = calendars === undefined ? [] : Object.keys(calendars);
    throw new CarekitError(
      'unknown_calendar',
      `The SLA policy counts in the calendar ${JSON.stringify(name)}, which is not in the calendars option` +
        (known.length > 0 ? ` (known: ${known.map((k) => JSON.stringify(k)).join(', ')})` : ' (none given)'),
    );
  }
  return found;
}
