import { tzOffset } from '@date-fns/tz';

const DAY = 86_400_000;

/** The earliest and latest instants a JavaScript `Date` can hold (±8.64e15 ms, ±273,790 years). */
export const MIN_INSTANT = -8.64e15;
export const MAX_INSTANT = 8.64e15;
/** Span ends beyond the range of instants: arithmetic stays finite, and no instant reaches them. */
const END_OF_TIME = MAX_INSTANT + DAY;
const START_OF_TIME = MIN_INSTANT - DAY;

/**
 * Before this year no zone of the tz database changes its offset (its first changes are in the
 * 1840s): earlier instants all have the zone's first offset (local mean time).
 */
export const HISTORY_FROM_YEAR = 1800;
/**
 * From this year on, every zone follows its final rule, which the Gregorian calendar repeats:
 * a year's offset changes sit where they sit in any other year of the same kind (weekday of
 * 1 January and leap or not). The tz database predicts explicit changes up to 2087 (Morocco).
 */
export const RULE_FROM_YEAR = 2100;
/** How many (zone, year) offset tables are kept; the oldest is dropped beyond it. */
export const ZONE_CACHE_SIZE = 4096;

/** Days from 1970-01-01 to the first of a month of a proleptic Gregorian year (any year). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The instant 1 January 00:00 UTC of a year. */
export function yearStart(year: number): number {
  return daysFromCivil(year, 1, 1) * DAY;
}

export function yearOf(t: number): number {
  const guess = Math.floor(t / (365.2425 * DAY)) + 1970;
  if (yearStart(guess) > t) return guess - 1;
  if (yearStart(guess + 1) <= t) return guess + 1;
  return guess;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** A year's kind: the weekday of its 1 January (0..6) and whether it is a leap year (×7). */
export function kindOf(year: number): number {
  const weekday = (((daysFromCivil(year, 1, 1) + 3) % 7) + 7) % 7;
  return weekday + (isLeap(year) ? 7 : 0);
}

/** A map that forgets its least recently used entry beyond `size` entries. */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>();
  constructor(readonly size: number) {}
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.size) this.#map.delete(this.#map.keys().next().value as K);
  }
  get length(): number {
    return this.#map.size;
  }
}

const formatters = new LruCache<string, Intl.DateTimeFormat>(64);
/** Counts the readings of a zone's wall clock (read by tests of the cost of a zone's first use). */
export const zoneReads = { count: 0 };

// The zone read last: reading a year of a zone asks for its formatter hundreds of times.
let lastFormatZone = '';
let lastFormat: Intl.DateTimeFormat | undefined;
const WALL = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

/** The end of 1799: no zone has changed its offset yet (HISTORY_FROM_YEAR). */
const BEFORE_HISTORY = yearStart(HISTORY_FROM_YEAR) - 1;

/**
 * UTC offset of `zone` at instant `t`, in ms (never the process zone): the zone's wall clock
 * read with `Intl.DateTimeFormat#format` (faster than `formatToParts`), minus the instant.
 * Instants before 1800 are read at the end of 1799; years past 9999 go through @date-fns/tz.
 */
export function offsetAt(zone: string, t: number): number {
  zoneReads.count++;
  // Stryker disable next-line ConditionalExpression: performance only; the last zone's formatter is also the newest in `formatters`, so both lookups give the same one
  let format = zone === lastFormatZone ? lastFormat : formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  lastFormatZone = zone;
  lastFormat = format;
  // Every zone keeps its first offset before 1800, and earlier wall clocks do not read back: Intl
  // shows a year before 1 BC without its era (3000 BC as "3000"), Date.UTC takes 0–99 for
  // 1900–1999, and @date-fns/tz turns the sign of an offset less than an hour behind UTC
  // (Europe/London's -0:01:15 as +0:01:15).
  const at = Math.max(t, BEFORE_HISTORY);
  const m = WALL.exec(format.format(at));
  // Stryker disable next-line ConditionalExpression: every reading of this format matches WALL, so m is never null here
  const year = m === null ? Number.NaN : Number(m[3]);
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: m is never null, and past 9999 Intl's wall clock gives @date-fns/tz's offset (no final rule has an offset between -1 h and 0; zone.test.ts checks every zone)
  if (m === null || year > 9999) return Math.round(tzOffset(zone, new Date(at)) * 60_000);
  const second = Math.floor(at / 1000) * 1000;
  const wall = Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  return wall - second;
}

export interface YearOffsets {
  /** The offset at the start of the year (UTC). */
  readonly initial: number;
  /** Changes inside the year: from `start` on, the offset is `offsetMs`. */
  readonly changes: readonly { readonly start: number; readonly offsetMs: number }[];
}

/**
 * The (zone, year) offset tables, at most ZONE_CACHE_SIZE of them (the oldest is dropped beyond
 * it). Looked up after every step of business time, so: a numeric key (the zone's number times a
 * year range, plus the year) instead of a string built per call, no re-insertion on a hit, and
 * the last table asked for answered before any map is read (a walk asks for one year many times).
 */
class YearCache {
  /** Years are below 2^19 (+275760 is the last year of a Date); 0 stands for the first offset. */
  static readonly #YEARS = 524_288;
  readonly #ids = new Map<string, number>();
  readonly #tables = new Map<number, YearOffsets>();
  #lastZone = '';
  #lastYear = Number.NaN;
  #last: YearOffsets | undefined;
  constructor(readonly size: number) {}

  #key(zone: string, year: number): number {
    let id = this.#ids.get(zone);
    if (id === undefined) {
      // Zone names are outside input: past this many, everything is forgotten (still bounded).
      if (this.#ids.size >= this.size) this.clear();
      id = this.#ids.size;
      this.#ids.set(zone, id);
    }
    // Stryker disable next-line ArithmeticOperator: `id * #YEARS - year` and `id / #YEARS + year` are as unique for ids below 4096 and years 0..275760
    return id * YearCache.#YEARS + year;
  }

  get(zone: string, year: number): YearOffsets | undefined {
    // Stryker disable next-line ConditionalExpression: performance only; the map holds the table remembered as the last
    if (year === this.#lastYear && zone === this.#lastZone) return this.#last;
    // A miss is remembered too: the table asked for is set next.
    const table = this.#tables.get(this.#key(zone, year));
    this.#lastZone = zone;
    this.#lastYear = year;
    this.#last = table;
    return table;
  }

  set(zone: string, year: number, table: YearOffsets): void {
    const key = this.#key(zone, year);
    this.#tables.delete(key);
    this.#tables.set(key, table);
    if (this.#tables.size > this.size) this.#tables.delete(this.#tables.keys().next().value as number);
    this.#lastZone = zone;
    this.#lastYear = year;
    this.#last = table;
  }

  clear(): void {
    this.#ids.clear();
    this.#tables.clear();
    // No year is NaN: the last table is not answered again, whatever the last zone.
    this.#lastYear = Number.NaN;
    this.#last = undefined;
  }

  get length(): number {
    return this.#tables.size;
  }
}

const cache = new YearCache(ZONE_CACHE_SIZE);

/** How many (zone, year) tables the cache holds now (for tests of its bound). */
export function zoneCacheLength(): number {
  return cache.length;
}

/**
 * How far apart the zone is read when looking for a year's changes. Two readings a step apart
 * that agree are taken to have no change between them, so the step must be shorter than any
 * period that starts and ends within it. The shortest time between two offset changes of any
 * zone of the tz database in 1800–2100 is 3.99 days (Africa/Freetown, 1939), then 6.96 days
 * (America/Noronha and Recife in October 2000; Asia/Gaza's Ramadan breaks of the 2040s–2060s).
 */
export const SAMPLE_STEP = 3 * DAY;

/**
 * A year's changes read from the zone: an offset every `step` ms, then a binary search to
 * `resolution` ms where two readings differ. `step` and `resolution` divide a year's start.
 */
function sampleYearBy(zone: string, year: number, step: number, resolution: number): YearOffsets {
  const from = yearStart(year);
  const to = yearStart(year + 1);
  const initial = offsetAt(zone, from);
  const changes: { start: number; offsetMs: number }[] = [];
  let t = from;
  let offset = initial;
  while (t < to) {
    const next = Math.min(t + step, to);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      let hiOffset = nextOffset;
      while (hi - lo > resolution) {
        const mid = lo + Math.floor((hi - lo) / (2 * resolution)) * resolution;
        const midOffset = offsetAt(zone, mid);
        if (midOffset === offset) lo = mid;
        else {
          hi = mid;
          hiOffset = midOffset;
        }
      }
      if (hi < to) changes.push({ start: hi, offsetMs: hiOffset });
      offset = hiOffset;
      // Another change may follow within a step: look again from just after this one.
      t = hi;
      continue;
    }
    t = next;
  }
  return { initial, changes };
}

/**
 * Finds a year's changes from the zone: an offset read every SAMPLE_STEP, then a binary search to
 * the second where two readings differ (the tz database puts every change on a whole second, and
 * `offsetAt` reads the wall clock to the second). About 120 readings a year, plus 17 per change.
 */
export function sampleYear(zone: string, year: number): YearOffsets {
  return sampleYearBy(zone, year, SAMPLE_STEP, 1000);
}

/**
 * The reference `sampleYear` is checked against: the zone read every day and each change searched
 * to the millisecond (about 430 readings a year). For tests that check the sampling misses nothing.
 */
export function sampleYearDaily(zone: string, year: number): YearOffsets {
  return sampleYearBy(zone, year, DAY, 1);
}

/** The first year from RULE_FROM_YEAR of the given kind: its changes stand for every later one. */
function ruleYearOfKind(kind: number): number {
  let year = RULE_FROM_YEAR;
  while (kindOf(year) !== kind) year++;
  return year;
}

export function offsetsOfYear(zone: string, year: number): YearOffsets {
  // Stryker disable next-line EqualityOperator: 1800 read from the zone is its first offset without changes (no zone changes before the 1840s)
  if (year < HISTORY_FROM_YEAR) return { initial: firstOffset(zone), changes: [] };
  const cached = cache.get(zone, year);
  if (cached !== undefined) return cached;
  let result: YearOffsets;
  // Stryker disable next-line EqualityOperator: 2100 is the first year of its kind from 2100, so the rule branch samples it too
  if (year < RULE_FROM_YEAR) result = sampleYear(zone, year);
  else {
    const model = ruleYearOfKind(kindOf(year));
    const shape = model === year ? sampleYear(zone, year) : offsetsOfYear(zone, model);
    const shift = yearStart(year) - yearStart(model);
    result = {
      initial: shape.initial,
      changes: shape.changes.map((c) => ({ start: c.start + shift, offsetMs: c.offsetMs })),
    };
  }
  cache.set(zone, year, result);
  return result;
}

function firstOffset(zone: string): number {
  const cached = cache.get(zone, 0);
  if (cached !== undefined) return cached.initial;
  const initial = offsetAt(zone, BEFORE_HISTORY);
  // Stryker disable next-line ArrayDeclaration: the entry of year 0 is read only for its initial offset
  cache.set(zone, 0, { initial, changes: [] });
  return initial;
}

/**
 * Whether the zone's final rule has no changes (a fixed offset from RULE_FROM_YEAR on). A final
 * rule that changes the offset changes it into summer time and back every year: inside the year
 * at least once, even should one change fall on 1 January 00:00 UTC.
 */
export function ruleIsFixed(zone: string): boolean {
  for (let kind = 0; kind < 14; kind++) {
    if (offsetsOfYear(zone, ruleYearOfKind(kind)).changes.length > 0) return false;
  }
  return true;
}

/** Counts the spans the hot paths step through (read by tests of the cost bound). */
export const spanSteps = { count: 0 };

// Between HISTORY_FROM_YEAR and the final rule a span is cut after this many years without a
// change, so a zone is read only for the years a span crosses.
const LOOKAHEAD_YEARS = 3;

/**
 * The offset in force at instant `t`, and the instant the span ends: where the offset changes,
 * or a year boundary at most a few years on (beyond the range of instants when the offset
 * never changes again).
 */
export function spanAt(zone: string, t: number): { offsetMs: number; end: number } {
  spanSteps.count++;
  const year = yearOf(t);
  const { initial, changes } = offsetsOfYear(zone, year);
  let offsetMs = initial;
  for (const change of changes) {
    if (change.start <= t) offsetMs = change.offsetMs;
    else return { offsetMs, end: change.start };
  }
  for (let y = Math.max(year + 1, HISTORY_FROM_YEAR); ; y++) {
    // Stryker disable next-line EqualityOperator: no year starts at MAX_INSTANT itself (+275760-09-13)
    if (yearStart(y) > MAX_INSTANT) return { offsetMs, end: END_OF_TIME };
    const next = offsetsOfYear(zone, y);
    if (next.initial !== offsetMs) return { offsetMs, end: yearStart(y) };
    if (next.changes.length > 0) return { offsetMs, end: next.changes[0]!.start };
    // A year of the final rule without changes: the rule has none (ruleIsFixed).
    if (y >= RULE_FROM_YEAR) return { offsetMs, end: END_OF_TIME };
    if (y > year + LOOKAHEAD_YEARS) return { offsetMs, end: yearStart(y) };
  }
}

/** The offset in force just before instant `t`, and the instant that span started. */
export function spanBefore(zone: string, t: number): { offsetMs: number; start: number } {
  spanSteps.count++;
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
  if (start !== Number.NEGATIVE_INFINITY) return { offsetMs, start };
  // Far in the future in a zone without changes, the years down to the final rule are all alike.
  // Stryker disable next-line EqualityOperator: from 2100 itself the walk starts at 2100 either way
  const from = year > RULE_FROM_YEAR && ruleIsFixed(zone) ? RULE_FROM_YEAR : year;
  for (let y = from; ; y--) {
    // No zone changes its offset before 1800 (HISTORY_FROM_YEAR): the span started before time.
    if (y <= HISTORY_FROM_YEAR) return { offsetMs, start: START_OF_TIME };
    const previous = offsetsOfYear(zone, y - 1);
    const last = previous.changes.at(-1);
    const endOfPrevious = last === undefined ? previous.initial : last.offsetMs;
    if (endOfPrevious !== offsetMs) return { offsetMs, start: yearStart(y) };
    if (last !== undefined) return { offsetMs, start: last.start };
    // Only before 2100: a year of a final rule with changes has some (ruleIsFixed).
    if (y < from - LOOKAHEAD_YEARS) return { offsetMs, start: yearStart(y - 1) };
  }
}
