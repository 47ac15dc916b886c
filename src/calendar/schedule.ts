import { type DayInterval, minutesOfDay, type ResolvedCalendarConfig } from './config.js';
import { daysFromCivil } from './zone.js';

const MIN = 60_000;
export const DAY = 24 * 60 * MIN;

/** Open intervals of one day, in ms from local midnight, sorted and merged. */
export type DayIntervals = readonly (readonly [number, number])[];

/** The compiled opening hours of a calendar in "wall time": local date-times written as UTC ms. */
export interface WallSchedule {
  /** Intervals per weekday, Monday first. */
  readonly week: readonly DayIntervals[];
  /** Open ms per weekday, and its prefix sums (prefix[k] = open ms of weekdays 0..k-1). */
  readonly dayOpen: readonly number[];
  readonly weekPrefix: readonly number[];
  readonly weekOpen: number;
  /** Holidays by day index (days since 1970-01-01), sorted, with their intervals. */
  readonly holidayDays: readonly number[];
  readonly holidayIntervals: readonly DayIntervals[];
  /** Prefix sums of (holiday open − normal open) over the sorted holidays. */
  readonly holidayDelta: readonly number[];
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function compileDay(intervals: readonly DayInterval[] | undefined): DayIntervals {
  // The configuration refuses empty and reversed intervals, so every interval here has e > s.
  const raw = (intervals ?? [])
    .map(([s, e]) => [minutesOfDay(s) * MIN, minutesOfDay(e) * MIN] as const)
    .sort((a, b) => a[0] - b[0]);
  // Touching intervals (09-12, 12-13) are one: merging keeps every lookup simple.
  const merged: [number, number][] = [];
  for (const [s, e] of raw) {
    const last = merged.at(-1);
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

const openOf = (day: DayIntervals) => day.reduce((sum, [s, e]) => sum + e - s, 0);

/** Day index (days since 1970-01-01) of a `YYYY-MM-DD` date. */
export function dayIndexOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Not Date.UTC: it reads the years 0–99 as 1900–1999.
  return daysFromCivil(y, m, d);
}

/** 0 for Monday ... 6 for Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function compileSchedule(config: ResolvedCalendarConfig): WallSchedule {
  const week = WEEKDAYS.map((name) => compileDay(config.week[name]));
  const dayOpen = week.map(openOf);
  const weekPrefix = [0];
  for (const open of dayOpen) weekPrefix.push(weekPrefix.at(-1)! + open);
  const holidays = (config.holidays ?? [])
    .map((h) =>
      typeof h === 'string'
        ? { day: dayIndexOf(h), hours: [] as DayInterval[] }
        : { day: dayIndexOf(h.date), hours: h.hours ?? [] },
    )
    .sort((a, b) => a.day - b.day);
  const holidayIntervals = holidays.map((h) => compileDay(h.hours));
  const holidayDelta = [0];
  holidays.forEach((h, i) => {
    holidayDelta.push(holidayDelta.at(-1)! + openOf(holidayIntervals[i]!) - dayOpen[weekdayOf(h.day)]!);
  });
  return {
    week,
    dayOpen,
    weekPrefix,
    weekOpen: weekPrefix[7]!,
    holidayDays: holidays.map((h) => h.day),
    holidayIntervals,
    holidayDelta,
  };
}

/** Index of the first holiday on or after `day` (binary search). */
function holidayIndex(s: WallSchedule, day: number): number {
  let lo = 0;
  let hi = s.holidayDays.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.holidayDays[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The intervals of a given day: its holiday's, or its weekday's. */
export function intervalsOf(s: WallSchedule, day: number): DayIntervals {
  const i = holidayIndex(s, day);
  return s.holidayDays[i] === day ? s.holidayIntervals[i]! : s.week[weekdayOf(day)]!;
}

/** Open wall ms from the epoch's Monday to the start of `day` (may be negative before it). */
export function openBeforeDay(s: WallSchedule, day: number): number {
  const k = day + 3; // days since Monday 1969-12-29
  const weeks = Math.floor(k / 7);
  const rest = k - weeks * 7;
  return weeks * s.weekOpen + s.weekPrefix[rest]! + s.holidayDelta[holidayIndex(s, day)]!;
}

/** Open ms of a day's intervals before `within` ms after its midnight. */
function openWithin(day: DayIntervals, within: number): number {
  let sum = 0;
  for (const [a, b] of day) {
    // Stryker disable next-line EqualityOperator: at within === a the interval adds Math.min(a, b) - a = 0 and the next one breaks the loop.
    if (within <= a) break;
    sum += Math.min(within, b) - a;
  }
  return sum;
}

/** F(w): open wall ms from the epoch's Monday to wall instant `w`. Non-decreasing, continuous. */
export function cumulative(s: WallSchedule, w: number): number {
  const day = Math.floor(w / DAY);
  return openBeforeDay(s, day) + openWithin(intervalsOf(s, day), w - day * DAY);
}

/** Whether wall instant `w` is inside an open interval. */
export function openAtWall(s: WallSchedule, w: number): boolean {
  const day = Math.floor(w / DAY);
  const within = w - day * DAY;
  for (const [a, b] of intervalsOf(s, day)) if (within >= a && within < b) return true;
  return false;
}

/** The earliest wall instant `w >= from` with F(w) = `target` (target >= F(from)). */
export function reach(s: WallSchedule, from: number, target: number): number {
  if (target <= cumulative(s, from)) return from;
  // Find the day in which F reaches the target: gallop, then binary search on day starts.
  let lo = Math.floor(from / DAY); // F(start of lo + 1) may still be short
  // weekOpen is never 0: createCalendar refuses a week that never opens.
  // Stryker disable next-line MethodExpression,ArithmeticOperator: the first step is only a guess; any step of at least one day gives the same day after the gallop and the binary search, only more or fewer probes.
  let step = Math.max(1, Math.ceil(((target - cumulative(s, from)) / s.weekOpen) * 7));
  // Stryker disable next-line ArithmeticOperator: a first bound below `lo` only costs a gallop step; days before `lo` end below the target, so the search finds the same day.
  let hi = lo + step;
  while (openBeforeDay(s, hi + 1) < target) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (openBeforeDay(s, mid + 1) >= target) hi = mid;
    else lo = mid + 1;
  }
  const day = lo;
  let need = target - openBeforeDay(s, day);
  for (const [a, b] of intervalsOf(s, day)) {
    if (need <= b - a) return day * DAY + a + need;
    need -= b - a;
  }
  // Stryker disable next-line ArithmeticOperator: unreachable: the day found holds the remaining need, so the loop above returns.
  return (day + 1) * DAY; // unreachable when the search is right; the end of the day is the bound
}

/** The first wall instant `>= w` that is open, searching at most `maxDays` days. */
export function nextOpenWall(s: WallSchedule, w: number, maxDays = 3700): number | null {
  let day = Math.floor(w / DAY);
  let within = w - day * DAY;
  for (let i = 0; i < maxDays; i++, day++, within = 0) {
    for (const [a, b] of intervalsOf(s, day)) {
      if (within < b) return day * DAY + Math.max(a, within);
    }
  }
  return null;
}

/**
 * The end of the open interval containing wall instant `w`, or of the next one. An interval
 * that runs to midnight into a next-day interval from 00:00 is one interval. Null when the
 * calendar does not close within `maxDays` (always open).
 */
export function nextCloseWall(s: WallSchedule, w: number, maxDays = 3700): number | null {
  let day = Math.floor(w / DAY);
  const within = w - day * DAY;
  let hit = intervalsOf(s, day).find(([, b]) => within < b);
  for (let i = 0; hit === undefined && i < maxDays; i++) {
    day++;
    hit = intervalsOf(s, day)[0];
  }
  if (hit === undefined) return null;
  let end = hit[1];
  for (let i = 0; end === DAY && i < maxDays; i++) {
    const next = intervalsOf(s, day + 1)[0];
    if (next === undefined || next[0] !== 0) return (day + 1) * DAY;
    day++;
    end = next[1];
  }
  return end === DAY ? null : day * DAY + end;
}
