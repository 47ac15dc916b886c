import { tzOffset } from '@date-fns/tz';

const DAY = 86_400_000;
const SAMPLE = DAY / 4;

/** UTC offset of `zone` at instant `t`, in ms, via @date-fns/tz (never the process zone). */
export function offsetAt(zone: string, t: number): number {
  return Math.round(tzOffset(zone, new Date(t)) * 60_000);
}

interface YearOffsets {
  /** The offset at the start of the year (UTC). */
  readonly initial: number;
  /** Changes inside the year: from `start` on, the offset is `offsetMs`. */
  readonly changes: readonly { readonly start: number; readonly offsetMs: number }[];
}

// A zone's offset changes a few times a year at most. Each year's changes are found once
// (an offset read every six hours, then a binary search to the millisecond) and kept, so
// the hot paths never format a date.
const cache = new Map<string, Map<number, YearOffsets>>();

function offsetsOfYear(zone: string, year: number): YearOffsets {
  let byYear = cache.get(zone);
  if (byYear === undefined) {
    byYear = new Map();
    cache.set(zone, byYear);
  }
  const cached = byYear.get(year);
  if (cached !== undefined) return cached;
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  const initial = offsetAt(zone, from);
  const changes: { start: number; offsetMs: number }[] = [];
  let t = from;
  let offset = initial;
  while (t < to) {
    const next = Math.min(t + SAMPLE, to);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      if (hi < to) changes.push({ start: hi, offsetMs: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  const result = { initial, changes };
  byYear.set(year, result);
  return result;
}

const yearOf = (t: number) => new Date(t).getUTCFullYear();
// Zones without daylight saving have no change for years: look this far for the next one.
const LOOKAHEAD_YEARS = 2;

/**
 * The offset in force at instant `t`, and the instant it next changes (+∞ when it does not
 * change within the next two years; callers then ask again from there).
 */
export function spanAt(zone: string, t: number): { offsetMs: number; end: number } {
  const year = yearOf(t);
  const { initial, changes } = offsetsOfYear(zone, year);
  let offsetMs = initial;
  let end = Number.POSITIVE_INFINITY;
  for (const change of changes) {
    if (change.start <= t) offsetMs = change.offsetMs;
    else {
      end = change.start;
      break;
    }
  }
  for (let y = year + 1; end === Number.POSITIVE_INFINITY && y <= year + LOOKAHEAD_YEARS; y++) {
    const next = offsetsOfYear(zone, y);
    if (next.initial !== offsetMs) end = Date.UTC(y, 0, 1);
    else if (next.changes.length > 0) end = next.changes[0]!.start;
  }
  if (end === Number.POSITIVE_INFINITY) end = Date.UTC(year + LOOKAHEAD_YEARS + 1, 0, 1);
  return { offsetMs, end };
}

/** The offset in force just before instant `t`, and the instant that span started. */
export function spanBefore(zone: string, t: number): { offsetMs: number; start: number } {
  const probe = t - 1;
  const year = yearOf(probe);
  const { initial, changes } = offsetsOfYear(zone, year);
  let offsetMs = initial;
  let start = Number.NEGATIVE_INFINITY;
  for (const change of changes) {
    if (change.start <= probe) {
      offsetMs = change.offsetMs;
      start = change.start;
    } else break;
  }
  for (let y = year; start === Number.NEGATIVE_INFINITY && y > year - LOOKAHEAD_YEARS; y--) {
    const previous = offsetsOfYear(zone, y - 1);
    const last = previous.changes.at(-1);
    const endOfPrevious = last === undefined ? previous.initial : last.offsetMs;
    if (endOfPrevious !== offsetMs) start = Date.UTC(y, 0, 1);
    else if (last !== undefined) start = last.start;
  }
  if (start === Number.NEGATIVE_INFINITY) start = Date.UTC(year - LOOKAHEAD_YEARS, 0, 1);
  return { offsetMs, start };
}
