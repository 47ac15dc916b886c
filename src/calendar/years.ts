import { cumulative, DAY, type WallSchedule } from './schedule.js';
import { kindOf, RULE_FROM_YEAR, spanAt, yearOf, yearStart } from './zone.js';

/** The last year a `Date` reaches (+275760-09-13). */
export const MAX_YEAR = 275_760;
/** The Gregorian calendar repeats its weekdays every 400 years (146,097 days, 20,871 weeks). */
const CYCLE = 400;

/**
 * Open ms in `[a, b)` (`a <= b`), one span of constant offset at a time: the arithmetic of the
 * wall schedule is exact within a span, and a span ends where the zone's offset changes.
 */
export function steppedBetween(schedule: WallSchedule, zone: string, a: number, b: number): number {
  let sum = 0;
  let t = a;
  // Stryker disable next-line EqualityOperator: at t = b the span is cut at b itself, and the break below ends the loop
  while (t < b) {
    const span = spanAt(zone, t);
    const end = Math.min(span.end, b);
    if (end <= t) break; // only past the range of instants, where every span ends at once
    sum += cumulative(schedule, end + span.offsetMs) - cumulative(schedule, t + span.offsetMs);
    t = end;
  }
  return sum;
}

/**
 * Open time of whole years far from any holiday and past the zone's explicit history. There a
 * year's open time depends only on its kind (weekday of 1 January, leap or not): years of one
 * kind start a whole number of weeks apart and have their offset changes at the same places.
 * So fourteen years are measured once per calendar, and any run of years is added up from a
 * 400-year table in constant time.
 */
export interface YearTable {
  /** The first year the table covers: after RULE_FROM_YEAR and a year clear of the last holiday. */
  readonly fromYear: number;
  /** `prefix[i]` is the open ms of the years `fromYear .. fromYear + i - 1`, for i in 0..400. */
  readonly prefix: readonly number[];
}

const tables = new WeakMap<WallSchedule, Map<string, YearTable>>();

/** The first year from which whole years are skipped (cheap, not cached: no zone is read). */
export function skipFromYear(schedule: WallSchedule): number {
  const last = schedule.holidayDays.at(-1);
  // Two years clear: a holiday on 31 December is still in the next year's first hours elsewhere.
  return Math.max(RULE_FROM_YEAR, last === undefined ? 0 : yearOf(last * DAY) + 2);
}

export function yearTable(schedule: WallSchedule, zone: string): YearTable {
  let byZone = tables.get(schedule);
  if (byZone === undefined) {
    byZone = new Map();
    tables.set(schedule, byZone);
  }
  const cached = byZone.get(zone);
  if (cached !== undefined) return cached;
  const fromYear = skipFromYear(schedule);
  const byKind = new Map<number, number>();
  const prefix = [0];
  for (let i = 0; i < CYCLE; i++) {
    const year = fromYear + i;
    const kind = kindOf(year);
    let open = byKind.get(kind);
    if (open === undefined) {
      open = steppedBetween(schedule, zone, yearStart(year), yearStart(year + 1));
      byKind.set(kind, open);
    }
    prefix.push(prefix[i]! + open);
  }
  const table = { fromYear, prefix };
  // A calendar is used with its own zone; the map holds one entry in practice.
  if (byZone.size < 16) byZone.set(zone, table);
  return table;
}

/** Open ms of the years `table.fromYear .. year - 1`. */
export function openBeforeYear(table: YearTable, year: number): number {
  const k = year - table.fromYear;
  const cycles = Math.floor(k / CYCLE);
  return cycles * table.prefix[CYCLE]! + table.prefix[k - cycles * CYCLE]!;
}

/** The most whole years from `year` on whose open time stays below `ms`. */
export function yearsBelow(table: YearTable, year: number, ms: number): number {
  const base = openBeforeYear(table, year);
  let lo = 0;
  let hi = MAX_YEAR - year;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (openBeforeYear(table, year + mid) - base < ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The most whole years before `year`, none before `table.fromYear`, whose open time stays below `ms`. */
export function yearsBelowBackward(table: YearTable, year: number, ms: number): number {
  const top = openBeforeYear(table, year);
  let lo = 0;
  let hi = year - table.fromYear;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (top - openBeforeYear(table, year - mid) < ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Open ms in `[a, b)` (`a <= b`) with the whole years of the table's range skipped. */
export function openBetween(schedule: WallSchedule, zone: string, a: number, b: number): number {
  const lastWhole = yearOf(b);
  const firstWhole = Math.max(yearOf(a) + 1, skipFromYear(schedule));
  // Stryker disable next-line EqualityOperator: performance only; the table holds what stepping through each of its years adds up to
  if (lastWhole - firstWhole < 2) return steppedBetween(schedule, zone, a, b);
  const table = yearTable(schedule, zone);
  return (
    steppedBetween(schedule, zone, a, yearStart(firstWhole)) +
    (openBeforeYear(table, lastWhole) - openBeforeYear(table, firstWhole)) +
    steppedBetween(schedule, zone, yearStart(lastWhole), b)
  );
}
