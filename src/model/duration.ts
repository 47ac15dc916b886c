import { z } from 'zod';

const part = z.number().min(0).max(1e7).optional();

/**
 * A length of time as a date-fns `Duration` (`{ hours: 4 }`, `{ days: 1, minutes: 30 }`).
 * Months and years are refused: their length depends on where they start.
 */
export const Duration = z
  .strictObject({ weeks: part, days: part, hours: part, minutes: part, seconds: part })
  .refine((d) => Object.values(d).some((v) => v !== undefined), {
    message: 'needs at least one of weeks, days, hours, minutes, seconds (like { hours: 4 })',
    params: { code: 'empty_duration' },
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
export function durationToMs(duration: Duration): number {
  const { weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0 } = duration;
  return Math.round(((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}
