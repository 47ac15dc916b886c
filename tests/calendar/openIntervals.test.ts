import { describe, expect, it } from 'vitest';
import {
  type Calendar,
  createCalendar,
  MAX_OPEN_INTERVALS,
  type OpenInterval,
  openIntervals,
} from '../../src/calendar/index.js';
import { MAX_INSTANT } from '../../src/calendar/zone.js';
import { allDay, DAY, day, everyDay, H, thrown, weekdays } from './support.js';

const utc = createCalendar({ timeZone: 'UTC', week: weekdays });
const isoPairs = (intervals: OpenInterval[]) =>
  intervals.map((i) => [i.start.toISOString(), i.end.toISOString()]);

describe('openIntervals', () => {
  it('names the function of a bad calendar', () => {
    const error = thrown(() => openIntervals({} as Calendar, 0, 1));
    expect([error.code, error.message]).toEqual([
      'invalid_calendar',
      'openIntervals: calendar must be a calendar made by createCalendar, got an object',
    ]);
  });

  it('an interval that opens exactly at `to` is not in [from, to), nor is an empty span', () => {
    // Monday 2025-03-10 18:00 to Tuesday 09:00 UTC.
    expect(openIntervals(utc, Date.UTC(2025, 2, 10, 18), Date.UTC(2025, 2, 11, 9))).toEqual([]);
    expect(openIntervals(utc, Date.UTC(2025, 2, 11, 10), Date.UTC(2025, 2, 11, 10))).toEqual([]);
    expect(isoPairs(openIntervals(utc, Date.UTC(2025, 2, 10, 18), Date.UTC(2025, 2, 11, 9, 30)))).toEqual([
      ['2025-03-11T09:00:00.000Z', '2025-03-11T09:30:00.000Z'],
    ]);
  });

  it('a weekend of a Wednesday calendar holds no interval', () => {
    const wednesdays = createCalendar({ timeZone: 'UTC', week: { wed: day } });
    expect(openIntervals(wednesdays, Date.UTC(2025, 2, 15), Date.UTC(2025, 2, 16))).toEqual([]);
  });

  it('looks only at the span: what opens or closes after `to` does not matter', () => {
    // The latest instant a Date holds is Saturday +275760-09-13 00:00 UTC: the next opening
    // (Monday), and the close of a calendar open all Friday and Saturday, lie after it.
    expect(isoPairs(openIntervals(utc, MAX_INSTANT - 2 * DAY, MAX_INSTANT))).toEqual([
      ['+275760-09-11T09:00:00.000Z', '+275760-09-11T17:00:00.000Z'],
      ['+275760-09-12T09:00:00.000Z', '+275760-09-12T17:00:00.000Z'],
    ]);
    const friSat = createCalendar({ timeZone: 'UTC', week: { fri: allDay, sat: allDay } });
    expect(isoPairs(openIntervals(friSat, MAX_INSTANT - H, MAX_INSTANT))).toEqual([
      ['+275760-09-12T23:00:00.000Z', '+275760-09-13T00:00:00.000Z'],
    ]);
    // Closed for years after `to` (every Monday a holiday), or open for years after it.
    const holidays = Array.from({ length: 600 }, (_, i) => new Date(Date.UTC(2200, 0, 6) + i * 7 * DAY));
    const mondays = createCalendar({
      timeZone: 'UTC',
      week: { mon: day },
      holidays: holidays.map((d) => d.toISOString().slice(0, 10)),
    });
    expect(openIntervals(mondays, Date.UTC(2200, 0, 1), Date.UTC(2200, 1, 1))).toEqual([]);
    const holiday2215 = createCalendar({ timeZone: 'UTC', week: everyDay, holidays: ['2215-01-01'] });
    expect(isoPairs(openIntervals(holiday2215, Date.UTC(2200, 0, 1), Date.UTC(2200, 0, 2)))).toEqual([
      ['2200-01-01T00:00:00.000Z', '2200-01-02T00:00:00.000Z'],
    ]);
  });

  it('an hour repeated by the fall-back change is one interval with the hour before it', () => {
    // Paris, 2025-10-26: 02:00–03:00 is open in summer time (00:00–01:00 UTC) and again after
    // the clock goes back at 01:00 UTC (01:00–02:00 UTC).
    const repeated = createCalendar({ timeZone: 'Europe/Paris', week: { sun: [['02:00', '03:00']] } });
    expect(isoPairs(openIntervals(repeated, Date.UTC(2025, 9, 25, 12), Date.UTC(2025, 9, 26, 12)))).toEqual([
      ['2025-10-26T00:00:00.000Z', '2025-10-26T02:00:00.000Z'],
    ]);
  });

  it(`refuses a span of more than MAX_OPEN_INTERVALS (${MAX_OPEN_INTERVALS}) intervals with too_many_intervals`, () => {
    // 100,000 weekdays from Monday 2000-01-03 end on Friday 2383-04-22.
    const error = thrown(() => openIntervals(utc, Date.UTC(2000, 0, 3), Date.UTC(2400, 0, 1)));
    expect([error.code, error.message]).toEqual([
      'too_many_intervals',
      'openIntervals: the span holds more than 100000 open intervals; ask for a shorter span',
    ]);
  });
});
