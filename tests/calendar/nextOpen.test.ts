import { describe, expect, it } from 'vitest';
import {
  alwaysOpen,
  type Calendar,
  createCalendar,
  isOpen,
  nextClose,
  nextOpen,
} from '../../src/calendar/index.js';
import { MAX_INSTANT } from '../../src/calendar/zone.js';
import { CarekitArgumentError } from '../../src/model/index.js';
import { allDay, DAY, day, everyDay, H, thrown, weekdays } from './support.js';

// How far nextOpen and nextClose look: 3,660 days.
const TEN_YEARS = 10 * 366 * DAY;
const iso = (d: Date) => d.toISOString();
const utc = createCalendar({ timeZone: 'UTC', week: weekdays });
const AFTER_LATEST = 'the answer lies after the latest instant a Date can hold (±8.64e15 ms)';
// Paris moves to summer time on Sunday 2025-03-30 at 01:00 UTC (02:00 CET becomes 03:00 CEST)
// and back on Sunday 2025-10-26 at 01:00 UTC (03:00 CEST becomes 02:00 CET).
const SPRING_FORWARD = Date.UTC(2025, 2, 30, 1);
const FALL_BACK = Date.UTC(2025, 9, 26, 1);

/** The dates `YYYY-MM-DD` of one weekday (0 is Sunday) from `from` (UTC) up to `to`. */
function weekdayDates(weekday: number, from: number, to: number): string[] {
  const dates: string[] = [];
  for (let t = from; t < to; t += DAY) {
    if (new Date(t).getUTCDay() === weekday) dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

describe('nextOpen', () => {
  it('names the function and the argument of a bad calendar or instant', () => {
    const calendar = thrown(() => nextOpen({} as Calendar, 0));
    expect([calendar.code, calendar.message]).toEqual([
      'invalid_calendar',
      'nextOpen: calendar must be a calendar made by createCalendar, got an object',
    ]);
    const at = thrown(() => nextOpen(utc, Number.NaN));
    expect(at).toBeInstanceOf(CarekitArgumentError);
    expect([at.code, (at as CarekitArgumentError).path, at.message]).toEqual([
      'invalid_instant',
      ['at'],
      'at must be a valid Date or epoch milliseconds within ±8.64e15, got NaN',
    ]);
  });

  it('is the instant itself when open, the latest instant a Date holds too', () => {
    // 8.64e15 ms is Saturday +275760-09-13 00:00 UTC.
    const saturdays = createCalendar({ timeZone: 'UTC', week: { sat: allDay } });
    expect(nextOpen(saturdays, MAX_INSTANT).getTime()).toBe(MAX_INSTANT);
    expect(nextOpen(saturdays, MAX_INSTANT - 3 * DAY).getTime()).toBe(MAX_INSTANT);
  });

  it('refuses an opening after the latest instant a Date holds with instant_out_of_range', () => {
    const error = thrown(() => nextOpen(utc, MAX_INSTANT));
    expect([error.code, error.message]).toEqual(['instant_out_of_range', AFTER_LATEST]);
    // Saturday +275760-09-13 09:00 UTC, nine hours after the latest instant: found in the last span.
    const saturdayMorning = createCalendar({ timeZone: 'UTC', week: { sat: day } });
    const late = thrown(() => nextOpen(saturdayMorning, MAX_INSTANT - H));
    expect([late.code, late.message]).toEqual(['instant_out_of_range', AFTER_LATEST]);
  });

  it('reads an opening after a spring-forward night with the offset after it', () => {
    // New York: 2025-03-09 02:00 EST becomes 03:00 EDT (07:00 UTC); Sunday 09:00 EDT is 13:00 UTC.
    const sundays = createCalendar({ timeZone: 'America/New_York', week: { sun: day } });
    expect(iso(nextOpen(sundays, Date.UTC(2025, 2, 8, 17)))).toBe('2025-03-09T13:00:00.000Z');
  });

  it('hours inside the skipped hour do not open that day: the next week does', () => {
    const skipped = createCalendar({ timeZone: 'Europe/Paris', week: { sun: [['02:00', '02:30']] } });
    expect(isOpen(skipped, SPRING_FORWARD)).toBe(false);
    // Sunday 2025-04-06 02:00 CEST.
    expect(iso(nextOpen(skipped, Date.UTC(2025, 2, 29, 12)))).toBe('2025-04-06T00:00:00.000Z');
  });

  it('a calendar closed for ten years is calendar_never_open, named by its name', () => {
    // Open on Mondays, every one of them a holiday for the ten years from 2200-01-01 (one offset
    // throughout): the first open Monday, 2210-01-15, is 3,666 days away, a week less from 2200-01-08.
    const from = Date.UTC(2200, 0, 1);
    const mondays = createCalendar({
      name: 'Mondays',
      timeZone: 'UTC',
      week: { mon: day },
      holidays: weekdayDates(1, from, from + TEN_YEARS),
    });
    const error = thrown(() => nextOpen(mondays, from));
    expect([error.code, error.message]).toEqual([
      'calendar_never_open',
      'the calendar Mondays does not open within ten years of 2200-01-01T00:00:00.000Z',
    ]);
    expect(iso(nextOpen(mondays, from + 7 * DAY))).toBe('2210-01-15T09:00:00.000Z');
  });

  it('looks 3,660 days ahead: an opening just after them is found from one ms later (named by its zone)', () => {
    // Sundays in Paris, each a holiday up to the spring-forward change, 3,660 days after `at`;
    // the Sunday of the change opens at 09:00 CEST.
    const at = SPRING_FORWARD - TEN_YEARS;
    const sundays = createCalendar({
      timeZone: 'Europe/Paris',
      week: { sun: day },
      holidays: weekdayDates(0, at - DAY, SPRING_FORWARD - DAY),
    });
    const error = thrown(() => nextOpen(sundays, at));
    expect([error.code, error.message]).toEqual([
      'calendar_never_open',
      'the calendar Europe/Paris does not open within ten years of 2015-03-23T01:00:00.000Z',
    ]);
    expect(iso(nextOpen(sundays, at + 1))).toBe('2025-03-30T07:00:00.000Z');
  });
});

describe('nextClose', () => {
  it('names the function and the argument of a bad instant', () => {
    const at = thrown(() => nextClose(utc, Number.NaN));
    expect([at.code, (at as CarekitArgumentError).path, at.message]).toEqual([
      'invalid_instant',
      ['at'],
      'at must be a valid Date or epoch milliseconds within ±8.64e15, got NaN',
    ]);
  });

  it('a calendar always open is calendar_never_closes, named by its name or its zone, at any instant', () => {
    const error = thrown(() => nextClose(alwaysOpen, MAX_INSTANT));
    expect([error.code, error.message]).toEqual([
      'calendar_never_closes',
      'the calendar always open does not close',
    ]);
    const tokyo = createCalendar({ timeZone: 'Asia/Tokyo', week: everyDay });
    expect(thrown(() => nextClose(tokyo, 0)).message).toBe('the calendar Asia/Tokyo does not close');
  });

  it('a calendar open without a break for ten years does not close either', () => {
    // Open around the clock but on 2210-01-12, 3,663 days after 2200-01-01 (one offset throughout).
    const from = Date.UTC(2200, 0, 1);
    const holiday = createCalendar({ timeZone: 'UTC', week: everyDay, holidays: ['2210-01-12'] });
    const error = thrown(() => nextClose(holiday, from));
    expect([error.code, error.message]).toEqual(['calendar_never_closes', 'the calendar UTC does not close']);
    expect(iso(nextClose(holiday, from + 7 * DAY))).toBe('2210-01-12T00:00:00.000Z');
  });

  it('looks 3,660 days ahead: a close just after them is found from one ms later', () => {
    // Open around the clock but on Monday 2025-03-31, the day after the spring-forward change
    // that lies 3,660 days after `at`: the calendar closes at 00:00 CEST, 22:00 UTC.
    const at = SPRING_FORWARD - TEN_YEARS;
    const monday = createCalendar({ timeZone: 'Europe/Paris', week: everyDay, holidays: ['2025-03-31'] });
    expect(thrown(() => nextClose(monday, at)).code).toBe('calendar_never_closes');
    expect(iso(nextClose(monday, at + 1))).toBe('2025-03-30T22:00:00.000Z');
  });

  it('refuses a close after the latest instant a Date holds with instant_out_of_range', () => {
    const newYear = createCalendar({ timeZone: 'UTC', week: everyDay, holidays: ['2025-01-01'] });
    for (const at of [MAX_INSTANT - H, MAX_INSTANT]) {
      const error = thrown(() => nextClose(newYear, at));
      expect([error.code, error.message]).toEqual(['instant_out_of_range', AFTER_LATEST]);
    }
    // Open from Friday into Saturday +275760-09-13 until 17:00 UTC, after the latest instant.
    const weekend = createCalendar({ timeZone: 'UTC', week: { fri: allDay, sat: [['00:00', '17:00']] } });
    const late = thrown(() => nextClose(weekend, MAX_INSTANT - H));
    expect([late.code, late.message]).toEqual(['instant_out_of_range', AFTER_LATEST]);
  });

  it('a night running past midnight over the spring-forward change closes at its wall-clock end', () => {
    const nights: Record<'sat' | 'sun', [string, string][]> = {
      sat: [['20:00', '24:00']],
      sun: [['00:00', '06:00']],
    };
    const paris = createCalendar({ timeZone: 'Europe/Paris', week: nights });
    // Saturday 22:00 CET; Sunday 06:00 CEST is 04:00 UTC.
    expect(iso(nextClose(paris, Date.UTC(2025, 2, 29, 21)))).toBe('2025-03-30T04:00:00.000Z');
    // New York, 2025-03-09: Saturday 22:00 EST is 03:00 UTC; Sunday 06:00 EDT is 10:00 UTC.
    const ny = createCalendar({ timeZone: 'America/New_York', week: nights });
    expect(iso(nextClose(ny, Date.UTC(2025, 2, 9, 3)))).toBe('2025-03-09T10:00:00.000Z');
  });

  it('closes at the change when the wall time after it is closed, though it opens later that day', () => {
    // Paris, 2020-03-29: 01:00 CET (00:00 UTC) is open; at 01:00 UTC the clock reads 03:00, closed.
    const twice = createCalendar({
      timeZone: 'Europe/Paris',
      week: {
        sun: [
          ['01:00', '02:30'],
          ['05:00', '06:00'],
        ],
      },
    });
    expect(iso(nextClose(twice, Date.UTC(2020, 2, 29, 0)))).toBe('2020-03-29T01:00:00.000Z');
  });

  it('does not close at the change when the wall time after it is open again', () => {
    // Fall back: 02:00–03:00 is open twice, 00:00–01:00 UTC in summer time and 01:00–02:00 UTC after.
    const repeated = createCalendar({ timeZone: 'Europe/Paris', week: { sun: [['02:00', '03:00']] } });
    expect(isOpen(repeated, FALL_BACK)).toBe(true);
    expect(iso(nextClose(repeated, FALL_BACK - H))).toBe('2025-10-26T02:00:00.000Z');
    // Spring forward: 01:00–02:00 CET runs into 03:00–04:00 CEST without a break.
    const joined = createCalendar({
      timeZone: 'Europe/Paris',
      week: {
        sun: [
          ['01:00', '02:00'],
          ['03:00', '04:00'],
        ],
      },
    });
    expect(isOpen(joined, SPRING_FORWARD)).toBe(true);
    expect(iso(nextClose(joined, SPRING_FORWARD - H))).toBe('2025-03-30T02:00:00.000Z');
  });

  it('follows days open around the clock up to the close two days before a change', () => {
    // Open all Friday and Saturday: from Friday 2025-10-24 00:00 CEST it closes at Sunday 00:00
    // CEST (22:00 UTC), three hours before the fall-back change.
    const weekend = createCalendar({ timeZone: 'Europe/Paris', week: { fri: allDay, sat: allDay } });
    expect(iso(nextClose(weekend, Date.UTC(2025, 9, 23, 22)))).toBe('2025-10-25T22:00:00.000Z');
  });
});
