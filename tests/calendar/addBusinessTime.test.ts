import { describe, expect, it } from 'vitest';
import { addBusinessMs } from '../../src/calendar/addBusinessTime.js';
import {
  addBusinessTime,
  alwaysOpen,
  businessTimeBetween,
  type Calendar,
  createCalendar,
} from '../../src/calendar/index.js';
import { MAX_INSTANT, MIN_INSTANT, spanSteps, yearStart } from '../../src/calendar/zone.js';
import { CarekitArgumentError } from '../../src/model/index.js';
import { allDay, day, H, thrown, weekdays } from './support.js';

const iso = (d: Date) => d.toISOString();
const utc = createCalendar({ timeZone: 'UTC', week: weekdays });
const paris = createCalendar({ timeZone: 'Europe/Paris', week: weekdays });

const AFTER = 'the business time added ends after the latest instant a Date can hold (+8.64e15 ms)';
const BEFORE = 'the business time added ends before the earliest instant a Date can hold (-8.64e15 ms)';

/** The answer of a forward addition is the earliest instant with that much business time. */
function expectEarliest(calendar: Calendar, s: number, ms: number, t: number): void {
  expect(businessTimeBetween(calendar, s, t)).toBe(ms);
  expect(businessTimeBetween(calendar, s, t - 1)).toBeLessThan(ms);
}

/** The answer of a backward addition is the latest instant with that much business time. */
function expectLatest(calendar: Calendar, s: number, ms: number, t: number): void {
  expect(businessTimeBetween(calendar, t, s)).toBe(ms);
  expect(businessTimeBetween(calendar, t + 1, s)).toBeLessThan(ms);
}

describe('addBusinessTime arguments', () => {
  it('names the function and the argument of a bad calendar or start', () => {
    const calendar = thrown(() => addBusinessTime({} as Calendar, 0, H));
    expect(calendar.code).toBe('invalid_calendar');
    expect(calendar.message).toBe(
      'addBusinessTime: calendar must be a calendar made by createCalendar, got an object',
    );
    const start = thrown(() => addBusinessTime(utc, Number.NaN, H));
    expect(start).toBeInstanceOf(CarekitArgumentError);
    expect(start.code).toBe('invalid_instant');
    expect((start as CarekitArgumentError).path).toEqual(['start']);
    expect(start.message).toBe('start must be a valid Date or epoch milliseconds within ±8.64e15, got NaN');
  });

  it('says what the duration was: the number, or the type of anything else', () => {
    const message = (ms: unknown) => thrown(() => addBusinessTime(utc, 0, ms as number)).message;
    expect(message(Number.NaN)).toBe('ms must be a finite number of milliseconds, got NaN');
    expect(message(Number.NEGATIVE_INFINITY)).toBe(
      'ms must be a finite number of milliseconds, got -Infinity',
    );
    expect(message('3600000')).toBe('ms must be a finite number of milliseconds, got string');
    expect(message(3_600_000n)).toBe('ms must be a finite number of milliseconds, got bigint');
  });
});

describe('addBusinessTime at the boundaries of open hours', () => {
  it('a whole week of open time from Monday 09:00 ends at Friday 17:00, and back', () => {
    const monday = Date.UTC(2025, 2, 10, 9);
    expect(iso(addBusinessTime(utc, monday, 40 * H))).toBe('2025-03-14T17:00:00.000Z');
    expect(iso(addBusinessTime(utc, Date.UTC(2025, 2, 14, 17), -40 * H))).toBe('2025-03-10T09:00:00.000Z');
    expect(iso(addBusinessTime(utc, monday, 80 * H))).toBe('2025-03-21T17:00:00.000Z');
  });

  it('an amount that ends exactly at a close before a daylight-saving change ends at the close', () => {
    // Paris moves to summer time on Sunday 2025-03-30 at 01:00 UTC; Friday closes at 17:00 CET.
    expect(iso(addBusinessTime(paris, Date.UTC(2025, 2, 28, 15), H))).toBe('2025-03-28T16:00:00.000Z');
    expect(iso(addBusinessTime(paris, Date.UTC(2025, 2, 28, 15), H + 1))).toBe('2025-03-31T07:00:00.001Z');
  });

  it('going back exactly to an opening after a daylight-saving change ends at the opening', () => {
    // Open Sunday 00:00–01:00 and Monday 09:00–17:00; the clock jumps from 02:00 to 03:00 on Sunday.
    const calendar = createCalendar({
      timeZone: 'Europe/Paris',
      week: { sun: [['00:00', '01:00']], mon: day },
    });
    const mondayTen = Date.UTC(2025, 2, 31, 8); // 10:00 CEST
    expect(iso(addBusinessTime(calendar, mondayTen, -H))).toBe('2025-03-31T07:00:00.000Z');
    expect(iso(addBusinessTime(calendar, mondayTen, -H - 1))).toBe('2025-03-29T23:59:59.999Z');
  });

  it('adding zero is the instant itself, closed or open', () => {
    const saturday = Date.UTC(2025, 2, 15, 12);
    expect(addBusinessTime(utc, saturday, 0).getTime()).toBe(saturday);
    expect(addBusinessTime(utc, saturday, -0).getTime()).toBe(saturday);
    expect(addBusinessMs(paris, Date.UTC(2025, 2, 10, 12), 0)).toBe(Date.UTC(2025, 2, 10, 12));
  });

  it('goes back to the first hours after a spring-forward change west of Greenwich', () => {
    // New York, Sunday 2025-03-09: 02:00 EST becomes 03:00 EDT at 07:00 UTC; open 03:00–12:00.
    const sunday = createCalendar({ timeZone: 'America/New_York', week: { sun: [['03:00', '12:00']] } });
    const noon = Date.UTC(2025, 2, 9, 16); // 12:00 EDT
    expect(iso(addBusinessTime(sunday, noon, -8 * H))).toBe('2025-03-09T08:00:00.000Z');
    expect(iso(addBusinessTime(sunday, noon, -9 * H))).toBe('2025-03-09T07:00:00.000Z');
    // One ms more is the last ms of the Sunday before, 12:00 EST.
    expect(iso(addBusinessTime(sunday, noon, -9 * H - 1))).toBe('2025-03-02T16:59:59.999Z');
  });

  it('goes back more than a week before 1970', () => {
    // Monday 1960-01-04 12:00 less 100 h: 3 h that Monday, two weeks of 40 h, Friday, Thursday, 1 h of Wednesday.
    expect(iso(addBusinessTime(utc, Date.UTC(1960, 0, 4, 12), -100 * H))).toBe('1959-12-16T16:00:00.000Z');
    expect(iso(addBusinessTime(utc, Date.UTC(1959, 11, 16, 16), 100 * H))).toBe('1960-01-04T12:00:00.000Z');
  });
});

describe('addBusinessTime over years', () => {
  it('far in the future, an hour is an hour (10:00 CET less one is 09:00, the opening)', () => {
    expect(iso(addBusinessTime(paris, Date.UTC(2150, 2, 10, 9), H))).toBe('2150-03-10T10:00:00.000Z');
    expect(iso(addBusinessTime(paris, Date.UTC(2150, 2, 10, 9), -H))).toBe('2150-03-10T08:00:00.000Z');
  });

  it('skips centuries of whole years from 2100 on, to the exact instant', () => {
    const s = Date.UTC(2150, 6, 1, 12);
    const forth = addBusinessTime(paris, s, 3e12).getTime();
    expect(new Date(forth).toISOString()).toBe('2549-10-10T09:20:00.000Z');
    expectEarliest(paris, s, 3e12, forth);
    const from = Date.UTC(2600, 6, 1, 12);
    const back = addBusinessTime(paris, from, -3e12).getTime();
    expect(new Date(back).toISOString()).toBe('2201-03-20T15:40:00.000Z');
    expectLatest(paris, from, 3e12, back);
  });

  it('going back from the last millisecond of a year counts that millisecond once', () => {
    const noMondays = createCalendar({
      timeZone: 'UTC',
      week: { tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    });
    const s = yearStart(2201) - 1; // Wednesday 2200-12-31 23:59:59.999, open
    const t = addBusinessTime(noMondays, s, -1e12).getTime();
    expectLatest(noMondays, s, 1e12, t);
  });

  it('the cost does not grow with the amount: 13,000 years of business time in a few steps', () => {
    const s = Date.UTC(2150, 6, 1, 12);
    addBusinessTime(paris, s, 3e12); // builds the year table
    const before = spanSteps.count;
    const t = addBusinessTime(paris, s, 1e14).getTime();
    const back = addBusinessTime(paris, t, -1e14).getTime();
    expect(spanSteps.count - before).toBeLessThan(40);
    expectEarliest(paris, s, 1e14, t);
    expectLatest(paris, t, 1e14, back);
  });
});

describe('addBusinessTime at the ends of the range of Date', () => {
  const tuesdayToFriday = createCalendar({
    timeZone: 'UTC',
    week: { tue: day, wed: day, thu: day, fri: day },
  });

  it('going back all the business time since the first instant ends at its first opening', () => {
    // -271821-04-20 (MIN_INSTANT) is a Tuesday, open from 09:00; the Monday before it is closed.
    const s = MIN_INSTANT + 30 * 86_400_000;
    const all = businessTimeBetween(tuesdayToFriday, MIN_INSTANT, s);
    expect(iso(addBusinessTime(tuesdayToFriday, s, -all))).toBe('-271821-04-20T09:00:00.000Z');
    expect(thrown(() => addBusinessTime(tuesdayToFriday, s, -all - 1)).message).toBe(BEFORE);
  });

  it('refuses an answer before the first instant with instant_out_of_range, not a bad argument', () => {
    // The Monday before MIN_INSTANT is open: one millisecond back lands on it.
    const error = thrown(() => addBusinessTime(utc, MIN_INSTANT, -1));
    expect(error.code).toBe('instant_out_of_range');
    expect(error.message).toBe(BEFORE);
    expect(thrown(() => addBusinessTime(utc, MIN_INSTANT + 10 * H, -1e6 * H)).message).toBe(BEFORE);
  });

  it('refuses an answer after the last instant, saying so', () => {
    expect(thrown(() => addBusinessTime(utc, MAX_INSTANT - 10 * H, 1e6 * H)).message).toBe(AFTER);
    expect(thrown(() => addBusinessTime(utc, MAX_INSTANT, 1)).message).toBe(AFTER);
    expect(thrown(() => addBusinessTime(utc, 0, 1e300)).message).toBe(AFTER);
  });

  it('24/7 adds elapsed time, up to the last instant and no further', () => {
    const t = Date.UTC(2025, 2, 14, 16);
    expect(addBusinessTime(alwaysOpen, t, 5 * H).getTime()).toBe(t + 5 * H);
    expect(addBusinessTime(alwaysOpen, t, -5 * H).getTime()).toBe(t - 5 * H);
    expect(addBusinessTime(alwaysOpen, 0, MAX_INSTANT).getTime()).toBe(MAX_INSTANT);
    expect(addBusinessTime(alwaysOpen, 0, MIN_INSTANT).getTime()).toBe(MIN_INSTANT);
    expect(thrown(() => addBusinessTime(alwaysOpen, 1, MAX_INSTANT)).message).toBe(AFTER);
    expect(thrown(() => addBusinessTime(alwaysOpen, -1, MIN_INSTANT)).message).toBe(BEFORE);
  });
});

describe('addBusinessMs, the unchecked form for automations', () => {
  it('gives the answers of addBusinessTime as epoch ms', () => {
    const friday = Date.UTC(2025, 2, 14, 16);
    expect(addBusinessMs(utc, friday, 4 * H)).toBe(Date.UTC(2025, 2, 17, 12));
    expect(addBusinessMs(utc, Date.UTC(2025, 2, 17, 9), -H)).toBe(Date.UTC(2025, 2, 14, 16));
    expect(addBusinessMs(utc, friday + 0.5, 0)).toBe(friday + 0.5);
    expect(addBusinessMs(alwaysOpen, friday, 5 * H)).toBe(friday + 5 * H);
    expect(addBusinessMs(alwaysOpen, 0, MAX_INSTANT)).toBe(MAX_INSTANT);
    expect(addBusinessMs(alwaysOpen, 0, MIN_INSTANT)).toBe(MIN_INSTANT);
  });

  it('and the same instant_out_of_range', () => {
    expect(thrown(() => addBusinessMs(alwaysOpen, 1, MAX_INSTANT)).message).toBe(AFTER);
    expect(thrown(() => addBusinessMs(alwaysOpen, -1, MIN_INSTANT)).message).toBe(BEFORE);
    expect(thrown(() => addBusinessMs(utc, MAX_INSTANT, 1)).message).toBe(AFTER);
    expect(thrown(() => addBusinessMs(utc, MIN_INSTANT, -1)).message).toBe(BEFORE);
  });
});
