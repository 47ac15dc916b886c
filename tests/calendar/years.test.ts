import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import {
  MAX_YEAR,
  openBeforeYear,
  openBetween,
  skipFromYear,
  steppedBetween,
  yearsBelow,
  yearsBelowBackward,
  yearTable,
} from '../../src/calendar/years.js';
import { MAX_INSTANT, spanSteps, yearStart } from '../../src/calendar/zone.js';
import { allDay, DAY, H, weekdays } from './support.js';

/**
 * Open two hours on Sundays only: a year has 52 or 53 Sundays, so its open time tells its kind.
 * A new schedule per test: its year table is measured in the test, not kept from another.
 */
const sundays = () => createCalendar({ timeZone: 'UTC', week: { sun: [['10:00', '12:00']] } }).schedule;

/** The spans `f` steps through. */
function steps(f: () => unknown): number {
  const before = spanSteps.count;
  f();
  return spanSteps.count - before;
}

describe('skipFromYear', () => {
  it('is 2100, or two years after the last holiday', () => {
    expect(skipFromYear(createCalendar({ timeZone: 'UTC', week: weekdays }).schedule)).toBe(2100);
    expect(
      skipFromYear(createCalendar({ timeZone: 'UTC', week: weekdays, holidays: ['2025-12-25'] }).schedule),
    ).toBe(2100);
    const late = createCalendar({
      timeZone: 'Europe/Paris',
      week: weekdays,
      holidays: ['2025-12-25', '2200-01-01', '2300-12-31'],
    });
    expect(skipFromYear(late.schedule)).toBe(2302);
    expect(skipFromYear(late.schedule)).toBe(2302);
  });
});

describe('steppedBetween', () => {
  it('adds the open time of each span of one offset', () => {
    const paris = createCalendar({
      timeZone: 'Europe/Paris',
      week: { ...weekdays, sun: [['01:30', '03:30']] },
    });
    // Sunday 29 March 2020: the clock jumps from 02:00 to 03:00, so that Sunday is open one hour.
    expect(steppedBetween(paris.schedule, 'Europe/Paris', Date.UTC(2020, 2, 23), Date.UTC(2020, 2, 30))).toBe(
      5 * 8 * H + H,
    );
    expect(steppedBetween(paris.schedule, 'Europe/Paris', Date.UTC(2020, 2, 23), Date.UTC(2020, 2, 23))).toBe(
      0,
    );
  });

  it('stops at the end of time, where every span ends at once', () => {
    const always = createCalendar({
      timeZone: 'UTC',
      week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    });
    expect(steppedBetween(always.schedule, 'UTC', MAX_INSTANT - DAY, MAX_INSTANT + 3 * DAY)).toBe(2 * DAY);
  });
});

describe('yearTable', () => {
  it('holds the open time of 400 years from skipFromYear, each as stepping through it measures', () => {
    const schedule = sundays();
    const table = yearTable(schedule, 'UTC');
    expect(table.fromYear).toBe(2100);
    expect(table.prefix).toHaveLength(401);
    expect(table.prefix[0]).toBe(0);
    // 2101 starts on a Saturday, 2102 on a Sunday (53 Sundays).
    expect(table.prefix[2]! - table.prefix[1]!).toBe(52 * 2 * H);
    expect(table.prefix[3]! - table.prefix[2]!).toBe(53 * 2 * H);
    for (let i = 0; i < 400; i++) {
      const year = 2100 + i;
      expect(table.prefix[i + 1]! - table.prefix[i]!).toBe(
        steppedBetween(schedule, 'UTC', yearStart(year), yearStart(year + 1)),
      );
    }
  });

  it('in a zone with summer time, from two years after the last holiday', () => {
    const paris = createCalendar({
      timeZone: 'Europe/Paris',
      week: { ...weekdays, sun: [['01:30', '03:30']] },
      holidays: ['2200-05-01'],
    }).schedule;
    const table = yearTable(paris, 'Europe/Paris');
    expect(table.fromYear).toBe(2202);
    for (let i = 0; i < 30; i++) {
      const year = 2202 + i;
      expect(table.prefix[i + 1]! - table.prefix[i]!).toBe(
        steppedBetween(paris, 'Europe/Paris', yearStart(year), yearStart(year + 1)),
      );
    }
  });

  it('is measured once per calendar and zone, for up to 16 zones', () => {
    const schedule = createCalendar({ timeZone: 'UTC', week: { sun: [['10:00', '12:00']] } }).schedule;
    const zones = [
      'UTC',
      ...Array.from({ length: 14 }, (_, i) => `Etc/GMT-${i + 1}`),
      'Etc/GMT+1',
      'Etc/GMT+2',
    ];
    const first = yearTable(schedule, 'UTC');
    expect(steps(() => expect(yearTable(schedule, 'UTC')).toBe(first))).toBe(0);
    for (const zone of zones) yearTable(schedule, zone);
    expect(steps(() => yearTable(schedule, 'Etc/GMT+1'))).toBe(0);
    // The 17th zone of one calendar is measured each time.
    expect(steps(() => yearTable(schedule, 'Etc/GMT+2'))).toBeGreaterThan(0);
  });
});

describe('openBeforeYear', () => {
  it('adds whole 400-year cycles to the table', () => {
    const table = yearTable(sundays(), 'UTC');
    expect(openBeforeYear(table, 2100)).toBe(0);
    expect(openBeforeYear(table, 2103)).toBe(table.prefix[3]);
    expect(openBeforeYear(table, 2100 + 800 + 3)).toBe(2 * table.prefix[400]! + table.prefix[3]!);
  });
});

describe('yearsBelow', () => {
  it('the most whole years whose open time stays below the given time', () => {
    const table = yearTable(sundays(), 'UTC');
    // 2102 has 53 Sundays, 2103 52.
    expect(yearsBelow(table, 2102, 53 * 2 * H)).toBe(0);
    expect(yearsBelow(table, 2102, 53 * 2 * H + 1)).toBe(1);
    expect(yearsBelow(table, 2102, 105 * 2 * H)).toBe(1);
    expect(yearsBelow(table, 2102, 105 * 2 * H + 1)).toBe(2);
    expect(yearsBelow(table, 2102, 0)).toBe(0);
  });

  it('never more years than a Date reaches', () => {
    const table = yearTable(sundays(), 'UTC');
    expect(yearsBelow(table, 2102, Number.POSITIVE_INFINITY)).toBe(MAX_YEAR - 2102);
  });
});

describe('yearsBelowBackward', () => {
  it('the most whole years before the given one whose open time stays below the given time', () => {
    const table = yearTable(sundays(), 'UTC');
    // 2102 has 53 Sundays, 2101 52.
    expect(yearsBelowBackward(table, 2103, 53 * 2 * H)).toBe(0);
    expect(yearsBelowBackward(table, 2103, 53 * 2 * H + 1)).toBe(1);
    expect(yearsBelowBackward(table, 2103, 105 * 2 * H)).toBe(1);
    expect(yearsBelowBackward(table, 2103, 105 * 2 * H + 1)).toBe(2);
    expect(yearsBelowBackward(table, 2103, 0)).toBe(0);
    const decade = openBeforeYear(table, 2510) - openBeforeYear(table, 2500);
    expect(yearsBelowBackward(table, 2510, decade)).toBe(9);
    expect(yearsBelowBackward(table, 2510, decade + 1)).toBe(10);
  });

  it('none before the first year of the table', () => {
    const table = yearTable(sundays(), 'UTC');
    expect(yearsBelowBackward(table, 2103, Number.POSITIVE_INFINITY)).toBe(3);
    expect(yearsBelowBackward(table, 2100, Number.POSITIVE_INFINITY)).toBe(0);
  });
});

describe('openBetween', () => {
  it('agrees with stepping through every span, whole years skipped or not', () => {
    const paris = createCalendar({
      timeZone: 'Europe/Paris',
      week: { ...weekdays, sun: [['01:30', '03:30']] },
      holidays: ['2101-05-01'],
    }).schedule;
    for (const [a, b] of [
      [Date.UTC(2099, 6, 1), Date.UTC(2104, 6, 1)],
      [Date.UTC(2103, 6, 1), Date.UTC(2105, 6, 1)],
      [Date.UTC(2103, 6, 1), Date.UTC(2106, 6, 1)],
      [Date.UTC(2103, 6, 1), Date.UTC(2107, 0, 1)],
      [Date.UTC(2150, 1, 3, 10, 17), Date.UTC(2900, 9, 9, 8, 5)],
    ] as const) {
      expect(openBetween(paris, 'Europe/Paris', a, b)).toBe(steppedBetween(paris, 'Europe/Paris', a, b));
    }
  });
});
