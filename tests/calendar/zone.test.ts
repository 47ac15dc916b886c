import { tzOffset } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import {
  daysFromCivil,
  kindOf,
  LruCache,
  MAX_INSTANT,
  MIN_INSTANT,
  offsetAt,
  offsetsOfYear,
  ruleIsFixed,
  sampleYear,
  spanAt,
  spanBefore,
  spanSteps,
  yearOf,
  yearStart,
  ZONE_CACHE_SIZE,
  zoneCacheLength,
  zoneReads,
} from '../../src/calendar/zone.js';
import { DAY, H } from './support.js';

/** Span ends beyond the range of instants (the zone never changes its offset again). */
const END_OF_TIME = MAX_INSTANT + DAY;
const START_OF_TIME = MIN_INSTANT - DAY;

/** The instant of a UTC date of any year (Date.UTC reads the years 0–99 as 1900–1999). */
function utc(year: number, month = 1, day = 1, hour = 0): number {
  return new Date(Date.UTC(2000, month - 1, day, hour)).setUTCFullYear(year);
}

/** The readings of the zone that `f` costs. */
function readings(f: () => unknown): number {
  const before = zoneReads.count;
  f();
  return zoneReads.count - before;
}

describe('daysFromCivil', () => {
  it('counts the days from 1970-01-01 on both sides of February, in any year', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 2, 29)).toBe(11_016);
    expect(daysFromCivil(2000, 3, 1)).toBe(11_017);
    for (const year of [-271_820, -1, 0, 4, 1600, 1899, 1900, 2024, 2100, 275_759]) {
      for (let month = 1; month <= 12; month++) {
        for (const day of [1, 28]) {
          expect(daysFromCivil(year, month, day)).toBe(utc(year, month, day) / DAY);
        }
      }
    }
  });
});

describe('yearOf', () => {
  it('is the UTC year of an instant, on both sides of each 1 January', () => {
    for (let year = -2000; year <= 3000; year += 7) {
      expect(yearOf(yearStart(year))).toBe(year);
      expect(yearOf(yearStart(year) - 1)).toBe(year - 1);
      expect(yearOf(yearStart(year) + 183 * DAY)).toBe(year);
    }
    expect(yearOf(MIN_INSTANT)).toBe(-271_821);
    expect(yearOf(MAX_INSTANT)).toBe(275_760);
  });
});

describe('kindOf', () => {
  it('is the weekday of 1 January (Monday 0 … Sunday 6), plus 7 in a leap year', () => {
    expect(kindOf(1900)).toBe(0); // Monday, not leap (a century)
    expect(kindOf(1970)).toBe(3); // Thursday
    expect(kindOf(2000)).toBe(12); // Saturday, leap (a fourth century)
    expect(kindOf(2023)).toBe(6); // Sunday
    expect(kindOf(2024)).toBe(7); // Monday, leap
    expect(kindOf(2025)).toBe(2); // Wednesday
    expect(kindOf(-1)).toBe(4); // 2 BC began on a Friday
  });
});

describe('LruCache', () => {
  it('forgets the least recently used entry beyond its size', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.length).toBe(2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.length).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('a set of a known key replaces its value and makes it the most recent', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.length).toBe(2);
  });

  it('a miss changes nothing', () => {
    const cache = new LruCache<string, number>(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.length).toBe(0);
  });
});

describe('offsetAt', () => {
  it('is the offset of the zone, never of the process, to the second', () => {
    expect(offsetAt('Europe/Paris', Date.UTC(2020, 5, 1))).toBe(2 * H);
    expect(offsetAt('Europe/Paris', Date.UTC(2020, 0, 1))).toBe(H);
    expect(offsetAt('Asia/Kathmandu', Date.UTC(2020, 0, 1, 12, 0, 0, 999))).toBe(5.75 * H);
    expect(offsetAt('America/St_Johns', Date.UTC(2020, 0, 1) - 1)).toBe(-3.5 * H);
    expect(offsetAt('UTC', 0)).toBe(0);
  });

  it('reads local mean time before the first change, seconds and sign included', () => {
    expect(offsetAt('Europe/Paris', Date.UTC(1800, 0, 1))).toBe(561_000); // +0:09:21
    expect(offsetAt('Europe/London', Date.UTC(1800, 0, 1))).toBe(-75_000); // -0:01:15
    expect(offsetAt('Europe/Dublin', Date.UTC(1830, 6, 1, 12))).toBe(-1_521_000); // -0:25:21
  });

  it('in the years 1–999, which Intl and Date.UTC do not read like later years', () => {
    expect(offsetAt('Europe/Paris', utc(50, 6, 1))).toBe(561_000);
    expect(offsetAt('Europe/Paris', utc(999, 12, 31, 23))).toBe(561_000);
    expect(offsetAt('Asia/Tokyo', utc(1, 1, 1))).toBe(33_539_000); // +9:18:59
    expect(offsetAt('Europe/London', utc(500, 6, 1))).toBe(-75_000);
  });

  it('before 1 BC, whose years Intl shows without their era', () => {
    expect(offsetAt('Europe/Paris', utc(-3000, 6, 1))).toBe(561_000);
    expect(offsetAt('America/New_York', utc(-999, 6, 1))).toBe(-17_762_000); // -4:56:02
    expect(offsetAt('Europe/Paris', MIN_INSTANT)).toBe(561_000);
  });

  it('past the year 9999', () => {
    expect(offsetAt('Europe/Paris', utc(12_345, 7, 1))).toBe(2 * H);
    expect(offsetAt('Europe/Paris', utc(12_345, 1, 1))).toBe(H);
    expect(offsetAt('Australia/Lord_Howe', utc(100_000, 1, 1))).toBe(11 * H);
    expect(offsetAt('Europe/Paris', MAX_INSTANT)).toBe(2 * H);
  });

  it('before 1800, every zone has one offset: the one @date-fns/tz reads, but for its sign under an hour', () => {
    // @date-fns/tz 1.5 reads "GMT-00:01:15" as +0:01:15 (Europe/London's local mean time).
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const first = offsetAt(zone, Date.UTC(1799, 11, 31, 23, 59, 59));
      for (const year of [-271_000, -3000, -1, 0, 1, 500, 1000, 1500, 1799]) {
        const t = utc(year, 3, 15, 12);
        const theirs = Math.round(tzOffset(zone, new Date(t)) * 60_000);
        expect({ zone, year, offset: offsetAt(zone, t) }).toEqual({ zone, year, offset: first });
        expect({ zone, year, offset: Math.abs(first) < H ? Math.abs(first) : first }).toEqual({
          zone,
          year,
          offset: Math.abs(theirs) < H ? Math.abs(theirs) : theirs,
        });
      }
    }
  });

  it('past 9999, in every zone, the offset of the same date a whole number of 400-year cycles earlier', () => {
    // The Gregorian calendar repeats every 400 years (146,097 days) and so does each zone's final
    // rule: the offsets @date-fns/tz reads past 9999 are the ones Intl's wall clock gives before.
    const cycle = 146_097 * DAY;
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (const year of [10_000, 12_345, 99_999, 275_759]) {
        const cycles = Math.ceil((year - 9999) / 400);
        for (let month = 1; month <= 12; month += 3) {
          const t = utc(year, month, 15, 12);
          expect({ zone, year, month, offset: offsetAt(zone, t) }).toEqual({
            zone,
            year,
            month,
            offset: offsetAt(zone, t - cycles * cycle),
          });
        }
      }
    }
  });

  it('agrees with @date-fns/tz over the whole range of instants in zones an hour or more from UTC', () => {
    for (const zone of ['Europe/Paris', 'Asia/Kolkata', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const year of [
        -271_000, -5000, -999, -1, 0, 1, 500, 999, 1000, 1500, 2020, 9999, 10_000, 275_000,
      ]) {
        const t = utc(year, 7, 15, 12);
        expect(offsetAt(zone, t)).toBe(Math.round(tzOffset(zone, new Date(t)) * 60_000));
      }
    }
  });
});

describe('offsetsOfYear', () => {
  it("a year's offset at its start and its changes", () => {
    expect(offsetsOfYear('Europe/Paris', 2020)).toEqual({
      initial: H,
      changes: [
        { start: Date.UTC(2020, 2, 29, 1), offsetMs: 2 * H },
        { start: Date.UTC(2020, 9, 25, 1), offsetMs: H },
      ],
    });
    expect(offsetsOfYear('Europe/Paris', 2021)).toEqual({
      initial: H,
      changes: [
        { start: Date.UTC(2021, 2, 28, 1), offsetMs: 2 * H },
        { start: Date.UTC(2021, 9, 31, 1), offsetMs: H },
      ],
    });
    expect(offsetsOfYear('Asia/Tokyo', 2020)).toEqual({ initial: 9 * H, changes: [] });
  });

  it("a change at the very start of the next year is the next year's initial offset", () => {
    // Madrid left local mean time at 1901-01-01T00:00Z.
    expect(sampleYear('Europe/Madrid', 1900)).toEqual({ initial: -884_000, changes: [] });
    expect(offsetsOfYear('Europe/Madrid', 1900)).toEqual({ initial: -884_000, changes: [] });
    expect(offsetsOfYear('Europe/Madrid', 1901)).toEqual({ initial: 0, changes: [] });
  });

  it('before 1800, the first offset, read once', () => {
    const zone = 'Asia/Ho_Chi_Minh';
    expect(offsetsOfYear(zone, 1799)).toEqual({ initial: 25_590_000, changes: [] }); // +7:06:30
    expect(readings(() => offsetsOfYear(zone, 1700))).toBe(0);
    expect(readings(() => offsetsOfYear(zone, 1799))).toBe(0);
    expect(offsetsOfYear(zone, -200_000)).toEqual({ initial: 25_590_000, changes: [] });
  });

  it('years of the final rule are those of the first year of their kind from 2100', () => {
    // Morocco's changes are predicted up to 2087 (Ramadan): no year of 2100 on may take them.
    for (let year = 2128; year < 2160; year++) {
      expect(offsetsOfYear('Africa/Casablanca', year)).toEqual({ initial: H, changes: [] });
    }
    expect(offsetsOfYear('Europe/Paris', 2400)).toEqual({
      initial: H,
      changes: [
        { start: Date.UTC(2400, 2, 26, 1), offsetMs: 2 * H },
        { start: Date.UTC(2400, 9, 29, 1), offsetMs: H },
      ],
    });
  });

  it('a year is read from the zone once, whatever was asked in between', () => {
    const zone = 'America/Bogota';
    expect(readings(() => offsetsOfYear(zone, 1993))).toBeGreaterThan(100);
    offsetsOfYear(zone, 1994);
    offsetsOfYear('Asia/Tokyo', 1993);
    expect(readings(() => offsetsOfYear(zone, 1993))).toBe(0);
    expect(readings(() => offsetsOfYear(zone, 1994))).toBe(0);
  });
});

describe('the zone cache', () => {
  it('forgets every table past ZONE_CACHE_SIZE zone names', () => {
    // Zone names are case-insensitive: as many names for Los Angeles as the test needs.
    const letters = [...'americalosangeles'];
    const name = (i: number) => {
      const cased = letters.map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c)).join('');
      return `${cased.slice(0, 7)}/${cased.slice(7, 10)}_${cased.slice(10)}`;
    };
    const clears: number[] = [];
    for (let i = 0; i <= 2 * ZONE_CACHE_SIZE; i++) {
      const before = zoneCacheLength();
      expect(offsetsOfYear(name(i), 1700)).toEqual({ initial: -28_378_000, changes: [] }); // -7:52:58
      if (zoneCacheLength() < before) clears.push(i);
    }
    expect(clears.length).toBeGreaterThanOrEqual(2);
    expect(clears[1]! - clears[0]!).toBe(ZONE_CACHE_SIZE);
  });
});

describe('ruleIsFixed', () => {
  it('whether a zone keeps one offset from 2100 on', () => {
    expect(ruleIsFixed('UTC')).toBe(true);
    expect(ruleIsFixed('Asia/Tokyo')).toBe(true);
    expect(ruleIsFixed('America/Sao_Paulo')).toBe(true); // no summer time since 2019
    expect(ruleIsFixed('Africa/Casablanca')).toBe(true); // Ramadan changes predicted up to 2087
    expect(ruleIsFixed('Europe/Paris')).toBe(false);
    expect(ruleIsFixed('Australia/Lord_Howe')).toBe(false);
    expect(ruleIsFixed('America/Santiago')).toBe(false);
  });

  it('a final rule with changes has some in every year (spanAt and spanBefore rely on it)', () => {
    // Checked once for all 418 zones of Intl over 2100–2499 (seconds); here the zones of summer
    // time of each hemisphere, of half an hour (Lord Howe) and of a negative one (Dublin).
    for (const zone of [
      'Europe/Paris',
      'Europe/Dublin',
      'America/New_York',
      'America/Havana',
      'America/Santiago',
      'America/Asuncion',
      'Pacific/Auckland',
      'Pacific/Chatham',
      'Australia/Lord_Howe',
      'Antarctica/Troll',
      'Africa/Cairo',
      'Asia/Tokyo',
    ]) {
      const fixed = ruleIsFixed(zone);
      for (let year = 2100; year < 2140; year++) {
        expect({ zone, year, changes: offsetsOfYear(zone, year).changes.length > 0 }).toEqual({
          zone,
          year,
          changes: !fixed,
        });
      }
    }
  });
});

describe('spanAt', () => {
  it('ends at the next change of the year, or of the next year', () => {
    expect(spanAt('Europe/Paris', Date.UTC(2020, 1, 1))).toEqual({
      offsetMs: H,
      end: Date.UTC(2020, 2, 29, 1),
    });
    expect(spanAt('Europe/Paris', Date.UTC(2020, 5, 1))).toEqual({
      offsetMs: 2 * H,
      end: Date.UTC(2020, 9, 25, 1),
    });
    expect(spanAt('Europe/Paris', Date.UTC(2020, 2, 29, 1))).toEqual({
      offsetMs: 2 * H,
      end: Date.UTC(2020, 9, 25, 1),
    });
    expect(spanAt('Europe/Paris', Date.UTC(2020, 11, 1))).toEqual({
      offsetMs: H,
      end: Date.UTC(2021, 2, 28, 1),
    });
  });

  it('ends at a 1 January where the offset changes', () => {
    expect(spanAt('Europe/Madrid', Date.UTC(1900, 5, 1))).toEqual({
      offsetMs: -884_000,
      end: Date.UTC(1901, 0, 1),
    });
  });

  it('before 2100, a span without changes is cut a few years on', () => {
    expect(spanAt('Asia/Tokyo', Date.UTC(2020, 5, 1))).toEqual({
      offsetMs: 9 * H,
      end: Date.UTC(2024, 0, 1),
    });
    expect(spanAt('Europe/Madrid', Date.UTC(1901, 0, 1))).toEqual({ offsetMs: 0, end: Date.UTC(1905, 0, 1) });
    expect(spanAt('Asia/Tokyo', Date.UTC(1802, 5, 1))).toEqual({
      offsetMs: 33_539_000,
      end: Date.UTC(1806, 0, 1),
    });
    expect(spanAt('Asia/Tokyo', Date.UTC(1700, 5, 1))).toEqual({
      offsetMs: 33_539_000,
      end: Date.UTC(1800, 0, 1),
    });
    expect(spanAt('Asia/Tokyo', MIN_INSTANT)).toEqual({ offsetMs: 33_539_000, end: Date.UTC(1800, 0, 1) });
  });

  it('in a zone of fixed offset, the span from the final rule on never ends', () => {
    expect(spanAt('Asia/Tokyo', Date.UTC(2096, 5, 1))).toEqual({ offsetMs: 9 * H, end: END_OF_TIME });
    expect(spanAt('Asia/Tokyo', Date.UTC(2098, 5, 1))).toEqual({ offsetMs: 9 * H, end: END_OF_TIME });
    expect(spanAt('Asia/Tokyo', Date.UTC(3000, 5, 1))).toEqual({ offsetMs: 9 * H, end: END_OF_TIME });
  });

  it('after the last change before the end of time, the span never ends', () => {
    // Santiago's last change before +275760-09-13 is on the 7th.
    expect(spanAt('America/Santiago', MAX_INSTANT)).toEqual({ offsetMs: -3 * H, end: END_OF_TIME });
    expect(spanAt('Europe/Paris', Date.UTC(2150, 0, 1))).toEqual({
      offsetMs: H,
      end: Date.UTC(2150, 2, 29, 1),
    });
  });

  it('counts one step', () => {
    const before = spanSteps.count;
    spanAt('Europe/Paris', Date.UTC(2020, 5, 1));
    expect(spanSteps.count - before).toBe(1);
  });
});

describe('spanBefore', () => {
  it('starts at the change before the instant, in its year or the year before', () => {
    expect(spanBefore('Europe/Paris', Date.UTC(2020, 5, 1))).toEqual({
      offsetMs: 2 * H,
      start: Date.UTC(2020, 2, 29, 1),
    });
    expect(spanBefore('Europe/Paris', Date.UTC(2020, 9, 25, 1, 0, 0, 1))).toEqual({
      offsetMs: H,
      start: Date.UTC(2020, 9, 25, 1),
    });
    // At the change itself, the span before it.
    expect(spanBefore('Europe/Paris', Date.UTC(2020, 9, 25, 1))).toEqual({
      offsetMs: 2 * H,
      start: Date.UTC(2020, 2, 29, 1),
    });
    expect(spanBefore('Europe/Paris', Date.UTC(2020, 1, 1))).toEqual({
      offsetMs: H,
      start: Date.UTC(2019, 9, 27, 1),
    });
    expect(spanBefore('Europe/Paris', Date.UTC(2150, 0, 1))).toEqual({
      offsetMs: H,
      start: Date.UTC(2149, 9, 26, 1),
    });
  });

  it('starts at the last change of the year before, when it is its only one', () => {
    // Sao Paulo's last summer time ended on 2019-02-17 (02:00Z).
    expect(spanBefore('America/Sao_Paulo', Date.UTC(2020, 5, 1))).toEqual({
      offsetMs: -3 * H,
      start: Date.UTC(2019, 1, 17, 2),
    });
  });

  it('starts at a 1 January where the offset changed', () => {
    expect(spanBefore('Europe/Madrid', Date.UTC(1901, 5, 1))).toEqual({
      offsetMs: 0,
      start: Date.UTC(1901, 0, 1),
    });
    expect(spanBefore('Europe/Madrid', Date.UTC(1901, 0, 1))).toEqual({
      offsetMs: -884_000,
      start: Date.UTC(1895, 0, 1),
    });
  });

  it('before 2100, a span without changes is cut a few years back', () => {
    expect(spanBefore('Asia/Tokyo', Date.UTC(2020, 5, 1))).toEqual({
      offsetMs: 9 * H,
      start: Date.UTC(2015, 0, 1),
    });
    expect(spanBefore('Asia/Tokyo', Date.UTC(1805, 5, 1))).toEqual({
      offsetMs: 33_539_000,
      start: Date.UTC(1800, 0, 1),
    });
  });

  it('far in the future in a zone of fixed offset, the years down to 2100 are skipped', () => {
    expect(spanBefore('Asia/Tokyo', Date.UTC(3000, 5, 1))).toEqual({
      offsetMs: 9 * H,
      start: Date.UTC(2095, 0, 1),
    });
    expect(spanBefore('Asia/Tokyo', Date.UTC(2098, 5, 1))).toEqual({
      offsetMs: 9 * H,
      start: Date.UTC(2093, 0, 1),
    });
  });

  it('the first offset started before the range of instants', () => {
    expect(spanBefore('Asia/Tokyo', Date.UTC(1802, 5, 1))).toEqual({
      offsetMs: 33_539_000,
      start: START_OF_TIME,
    });
    expect(spanBefore('Asia/Tokyo', Date.UTC(1804, 5, 1))).toEqual({
      offsetMs: 33_539_000,
      start: START_OF_TIME,
    });
    expect(spanBefore('Asia/Tokyo', Date.UTC(1700, 5, 1))).toEqual({
      offsetMs: 33_539_000,
      start: START_OF_TIME,
    });
  });

  it('counts one step', () => {
    const before = spanSteps.count;
    spanBefore('Europe/Paris', Date.UTC(2020, 5, 1));
    expect(spanSteps.count - before).toBe(1);
  });
});
