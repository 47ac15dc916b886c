import { fc } from '@fast-check/vitest';
import type { CalendarConfigInput } from '../../src/calendar/index.js';

export const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
] as const;

const hhmm = (m: number) =>
  m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** 0 to 3 non-overlapping intervals in a day, boundaries on 15-minute steps (sometimes ending at 24:00). */
export const arbDay = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2)
      out.push([hhmm(sorted[i]! * 15), hhmm(sorted[i + 1]! * 15)]);
    return out;
  });

const arbWeek = fc
  .record({ mon: arbDay, tue: arbDay, wed: arbDay, thu: arbDay, fri: arbDay, sat: arbDay, sun: arbDay })
  .filter((w) => Object.values(w).some((d) => d.length > 0));

const MIN_T = Date.UTC(2000, 0, 3);
const MAX_T = Date.UTC(2040, 0, 1);

/** A minute-aligned instant in 2000–2040, often near a DST change (March, April, October, November). */
export const arbInstant = fc.oneof(
  fc.integer({ min: MIN_T / 60_000, max: MAX_T / 60_000 }).map((m) => m * 60_000),
  fc
    .tuple(
      fc.integer({ min: 2000, max: 2039 }),
      fc.constantFrom(2, 3, 9, 10),
      fc.integer({ min: 0, max: 30 * 24 * 60 }),
    )
    .map(([y, month, minute]) => Date.UTC(y, month, 1) + minute * 60_000),
);

const arbDate = fc
  .integer({ min: 0, max: 14_600 })
  .map((d) => new Date(MIN_T + d * 86_400_000).toISOString().slice(0, 10));

/** A calendar with holidays placed near `anchor` so they matter. */
export function arbCalendarNear(anchor: fc.Arbitrary<number>) {
  return fc
    .tuple(
      fc.constantFrom(...ZONES),
      arbWeek,
      anchor,
      fc.uniqueArray(fc.integer({ min: -3, max: 6 }), { maxLength: 3 }),
      fc.array(fc.oneof(fc.constant(null), arbDay), { minLength: 3, maxLength: 3 }),
    )
    .map(([timeZone, week, t, offsets, hours]): { config: CalendarConfigInput; t: number } => {
      const holidays = offsets.map((d, i) => {
        const date = new Date(t + d * 86_400_000).toISOString().slice(0, 10);
        const h = hours[i];
        return h === null || h === undefined ? date : { date, hours: h };
      });
      return { config: { timeZone, week, holidays }, t };
    });
}

export const arbCalendar = fc
  .tuple(fc.constantFrom(...ZONES), arbWeek, fc.uniqueArray(arbDate, { maxLength: 5 }))
  .map(([timeZone, week, holidays]): CalendarConfigInput => ({ timeZone, week, holidays }));
