import { z } from 'zod';
import { badArgument, checkNumber, readBag } from './arguments.js';
import type { ModelErrorCode } from './errors.js';

const part = z.number().min(0).max(1e7).optional();

/**
 * The longest {@link Duration} carekit accepts: 100 years of 365.25 days (3,155,760,000,000 ms).
 * Longer targets and delays are mistakes, and would carry clocks past the range of `Date`.
 */
export const MAX_DURATION_MS = 100 * 365.25 * 86_400_000;

/**
 * A length of time as a date-fns `Duration` (`{ hours: 4 }`, `{ days: 1, minutes: 30 }`).
 * Months and years are refused: their length depends on where they start.
 */
export const Duration = z
  .strictObject({ weeks: part, days: part, hours: part, minutes: part, seconds: part })
  .refine((d) => Object.values(d).some((v) => v !== undefined), {
    message: 'needs at least one of weeks, days, hours, minutes, seconds (like { hours: 4 })',
    params: { code: 'empty_duration' },
  })
  .refine((d) => durationToMs(d) <= MAX_DURATION_MS, {
    message: 'is longer than 100 years, the longest duration carekit accepts (MAX_DURATION_MS)',
    params: { code: 'duration_too_long' },
  });
export type Duration = z.infer<typeof Duration>;

/**
 * Milliseconds in a {@link Duration} of calendar time: a day is 24 hours, a week 7 days.
 *
 * @example
 * ```ts
 * durationToMs({ days: 1, hours: 2 });
 * //=> 93600000
 * ```
 */
export function durationToMs(duration: {
  readonly weeks?: number | undefined;
  readonly days?: number | undefined;
  readonly hours?: number | undefined;
  readonly minutes?: number | undefined;
  readonly seconds?: number | undefined;
}): number {
  if (duration === undefined)
    badArgument<ModelErrorCode>(
      'durationToMs',
      ['duration'],
      'a duration { weeks?, days?, hours?, minutes?, seconds? }',
      duration,
    );
  const d = readBag(
    duration,
    'durationToMs',
    ['duration'],
    'a duration { weeks?, days?, hours?, minutes?, seconds? }',
    ['weeks', 'days', 'hours', 'minutes', 'seconds'],
  );
  for (const key of Object.keys(d))
    if (d[key] !== undefined) checkNumber(d[key], 'durationToMs', ['duration', key], 'a finite number');
  const { weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0 } = d as typeof duration;
  return Math.round(((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}
