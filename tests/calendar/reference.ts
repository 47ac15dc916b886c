// A slow, obviously correct model of a calendar: read each instant's local wall-clock time with
// Intl (independent of carekit's offset arithmetic) and look it up in the configuration.
import type { CalendarConfigInput } from '../../src/calendar/index.js';

const WEEKDAY: Record<string, 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

export function localParts(zone: string, t: number): { date: string; minute: number; weekday: string } {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: WEEKDAY[parts.weekday!]!,
  };
}

const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

export function referenceIsOpen(config: CalendarConfigInput, t: number): boolean {
  const { date, minute, weekday } = localParts(config.timeZone, t);
  const holiday = (config.holidays ?? []).find((h) => (typeof h === 'string' ? h : h.date) === date);
  const intervals =
    holiday === undefined
      ? (config.week[weekday as keyof typeof config.week] ?? [])
      : typeof holiday === 'string'
        ? []
        : (holiday.hours ?? []);
  return intervals.some(([s, e]) => minute >= toMin(s) && minute < toMin(e));
}

/** Open ms in [a, b) by stepping minute by minute (a and b on whole minutes). */
export function referenceBetween(config: CalendarConfigInput, a: number, b: number): number {
  let open = 0;
  for (let t = a; t < b; t += 60_000) if (referenceIsOpen(config, t)) open += 60_000;
  return open;
}
