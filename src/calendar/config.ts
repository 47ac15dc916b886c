import { z } from 'zod';
import { TimeZone } from '../model/index.js';

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A time of day `'HH:mm'` (`'24:00'` allowed as an end). */
export const TimeOfDay = z.string().refine((s) => HHMM.test(s), {
  message: 'expected a time of day as "HH:mm" from "00:00" to "24:00"',
  params: { code: 'invalid_time_of_day' },
});

/** An open interval of a day, `['09:00', '17:00']`: from the first time up to (not including) the second. */
export const DayInterval = z.tuple([TimeOfDay, TimeOfDay]);
export type DayInterval = z.infer<typeof DayInterval>;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function checkIntervals(
  intervals: readonly DayInterval[],
  ctx: z.core.$RefinementCtx<readonly DayInterval[]>,
) {
  const sorted = intervals.map((iv, index) => ({ start: minutes(iv[0]), end: minutes(iv[1]), index }));
  for (const iv of sorted) {
    if (iv.end <= iv.start) {
      ctx.addIssue({
        code: 'custom',
        path: [iv.index],
        message: `the interval ${intervals[iv.index]![0]}–${intervals[iv.index]![1]} ends before it starts; write it as [start, end] within one day`,
        params: { code: 'invalid_calendar_interval' },
      });
    }
  }
  sorted.sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    // Sorted by start, a reversed `prev` (end <= start <= cur.start) can never pass the first test.
    if (cur.start < prev.end && cur.end > cur.start) {
      ctx.addIssue({
        code: 'custom',
        path: [cur.index],
        message: `the interval ${intervals[cur.index]![0]}–${intervals[cur.index]![1]} overlaps ${intervals[prev.index]![0]}–${intervals[prev.index]![1]}`,
        params: { code: 'invalid_calendar_interval' },
      });
    }
  }
}

/** The open intervals of one day; several are allowed (a lunch break), none means closed. */
export const DaySchedule = z.array(DayInterval).max(48).superRefine(checkIntervals);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date `'YYYY-MM-DD'` in the calendar's time zone. */
export const CalendarDate = z.string().refine((s) => DATE.test(s) && isRealDate(s), {
  message: 'expected a real date as "YYYY-MM-DD"',
  params: { code: 'invalid_date' },
});

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** The number of days of month `m` (1–12) of year `y`. */
function daysInMonth(y: number, m: number): number {
  const date = new Date(0);
  // Not Date.UTC: it reads the years 0–99 as 1900–1999. Day 0 of the next month is this month's last.
  date.setUTCFullYear(y, m, 0);
  return date.getUTCDate();
}

/** A holiday: a date closed all day, or a date with its own intervals (a half day). */
export const Holiday = z.union([
  CalendarDate,
  z.strictObject({
    date: CalendarDate,
    /** The intervals open that day; none (or absent) closes the whole day. */
    hours: DaySchedule.optional(),
    name: z.string().max(200).optional(),
  }),
]);
export type Holiday = z.infer<typeof Holiday>;

/**
 * A business calendar: the weekly opening hours in a time zone, and holidays.
 *
 * ```json
 * { "timeZone": "America/New_York",
 *   "week": { "mon": [["09:00", "12:00"], ["13:00", "17:00"]], "tue": [["09:00", "17:00"]] },
 *   "holidays": ["2025-01-01", { "date": "2025-12-24", "hours": [["09:00", "12:00"]] }] }
 * ```
 */
export const CalendarConfig = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    timeZone: TimeZone,
    week: z.strictObject({
      mon: DaySchedule.optional(),
      tue: DaySchedule.optional(),
      wed: DaySchedule.optional(),
      thu: DaySchedule.optional(),
      fri: DaySchedule.optional(),
      sat: DaySchedule.optional(),
      sun: DaySchedule.optional(),
    }),
    holidays: z.array(Holiday).max(10_000).optional(),
  })
  .superRefine((config, ctx) => {
    const open = Object.values(config.week).some(
      (day) => day?.some(([s, e]) => minutes(e) > minutes(s)) === true,
    );
    if (!open) {
      ctx.addIssue({
        code: 'custom',
        path: ['week'],
        message:
          'the calendar is never open in its week, so business time could never pass; give at least one interval',
        params: { code: 'calendar_never_open' },
      });
    }
    const seen = new Map<string, number>();
    config.holidays?.forEach((holiday, index) => {
      const date = typeof holiday === 'string' ? holiday : holiday.date;
      const first = seen.get(date);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', index],
          message: `the holiday ${date} is listed twice (first at holidays[${first}])`,
          params: { code: 'duplicate_holiday' },
        });
      } else seen.set(date, index);
    });
  });
/** A business calendar as a user writes it (defaults may be left out); {@link ResolvedCalendarConfig} is the parsed form. */
export type CalendarConfig = z.input<typeof CalendarConfig>;
/** A business calendar as parsed: every default filled in. */
export type ResolvedCalendarConfig = z.output<typeof CalendarConfig>;
/**
 * A business calendar as a user writes it.
 *
 * @deprecated The same type as {@link CalendarConfig}, which is now what users write; use that name.
 */
export type CalendarConfigInput = CalendarConfig;

export { minutes as minutesOfDay };
