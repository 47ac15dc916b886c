import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  alwaysOpen,
  businessTimeBetween,
  type CalendarConfigInput,
  createCalendar,
  isOpen,
  nextClose,
  nextOpen,
  openIntervals,
} from '../../src/calendar/index.js';
import { CarekitError, CarekitValidationError } from '../../src/model/index.js';
import { day, H, weekdays } from './support.js';

const iso = (d: Date) => d.toISOString();

describe('worked cases', () => {
  const utc = createCalendar({ timeZone: 'UTC', week: weekdays });

  it('Friday 16:00 + 4 h in a 09–17 week is Monday 12:00', () => {
    expect(iso(addBusinessTime(utc, new Date('2025-03-14T16:00:00Z'), 4 * H))).toBe(
      '2025-03-17T12:00:00.000Z',
    );
  });

  it('Thursday 15:00 + 4 h is Friday 11:00', () => {
    expect(iso(addBusinessTime(utc, new Date('2025-03-13T15:00:00Z'), 4 * H))).toBe(
      '2025-03-14T11:00:00.000Z',
    );
  });

  it('Friday 16:00 + 1 h is Friday 17:00; Friday 17:00 + 8 h is Monday 17:00', () => {
    expect(iso(addBusinessTime(utc, new Date('2025-03-14T16:00:00Z'), H))).toBe('2025-03-14T17:00:00.000Z');
    expect(iso(addBusinessTime(utc, new Date('2025-03-14T17:00:00Z'), 8 * H))).toBe(
      '2025-03-17T17:00:00.000Z',
    );
  });

  it('goes back over a weekend to the latest instant', () => {
    expect(iso(addBusinessTime(utc, new Date('2025-03-17T10:00:00Z'), -H))).toBe('2025-03-17T09:00:00.000Z');
    expect(iso(addBusinessTime(utc, new Date('2025-03-17T09:00:00Z'), -H))).toBe('2025-03-14T16:00:00.000Z');
    expect(addBusinessTime(utc, 5, 0).getTime()).toBe(5);
  });

  it('counts the US spring-forward weekend in America/New_York', () => {
    const ny = createCalendar({ timeZone: 'America/New_York', week: weekdays });
    // Friday 2025-03-07 16:00 EST (21:00Z) + 2 h: Friday 17:00 EST, then Monday 10:00 EDT (14:00Z)
    expect(iso(addBusinessTime(ny, new Date('2025-03-07T21:00:00Z'), 2 * H))).toBe(
      '2025-03-10T14:00:00.000Z',
    );
    const allWeek = createCalendar({ timeZone: 'America/New_York', week: { sun: [['00:00', '24:00']] } });
    expect(
      businessTimeBetween(allWeek, new Date('2025-03-09T05:00:00Z'), new Date('2025-03-10T04:00:00Z')),
    ).toBe(23 * H);
    expect(
      businessTimeBetween(allWeek, new Date('2025-11-02T04:00:00Z'), new Date('2025-11-03T05:00:00Z')),
    ).toBe(25 * H);
    const skipped = createCalendar({
      timeZone: 'America/New_York',
      week: { sun: [['02:00', '03:00']], mon: day },
    });
    expect(
      businessTimeBetween(skipped, new Date('2025-03-09T00:00:00Z'), new Date('2025-03-10T00:00:00Z')),
    ).toBe(0);
  });

  it('a split Monday 09–12 and 13–17', () => {
    const split = createCalendar({
      timeZone: 'UTC',
      week: {
        mon: [
          ['09:00', '12:00'],
          ['13:00', '17:00'],
        ],
      },
    });
    expect(isOpen(split, new Date('2025-03-10T12:30:00Z'))).toBe(false);
    expect(iso(addBusinessTime(split, new Date('2025-03-10T11:00:00Z'), 2 * H))).toBe(
      '2025-03-10T14:00:00.000Z',
    );
    expect(
      openIntervals(split, new Date('2025-03-10T10:00:00Z'), new Date('2025-03-10T14:00:00Z')).map((i) => [
        iso(i.start),
        iso(i.end),
      ]),
    ).toEqual([
      ['2025-03-10T10:00:00.000Z', '2025-03-10T12:00:00.000Z'],
      ['2025-03-10T13:00:00.000Z', '2025-03-10T14:00:00.000Z'],
    ]);
  });

  it('a half-day holiday and a whole-day holiday', () => {
    const cal = createCalendar({
      timeZone: 'Europe/Berlin',
      week: weekdays,
      holidays: ['2025-12-25', { date: '2025-12-24', hours: [['09:00', '12:00']], name: 'Heiligabend' }],
    });
    // Wednesday 24th 11:00 CET + 2 h: 1 h until noon, Thursday closed, Friday 09:00 + 1 h
    expect(iso(addBusinessTime(cal, new Date('2025-12-24T10:00:00Z'), 2 * H))).toBe(
      '2025-12-26T09:00:00.000Z',
    );
    expect(businessTimeBetween(cal, new Date('2025-12-22T00:00:00Z'), new Date('2025-12-27T00:00:00Z'))).toBe(
      (8 + 8 + 3 + 0 + 8) * H,
    );
  });

  it('an interval ending at 24:00 runs into the next day', () => {
    const nights = createCalendar({
      timeZone: 'UTC',
      week: { mon: [['20:00', '24:00']], tue: [['00:00', '06:00']] },
    });
    expect(iso(nextClose(nights, new Date('2025-03-10T21:00:00Z')))).toBe('2025-03-11T06:00:00.000Z');
    expect(iso(addBusinessTime(nights, new Date('2025-03-10T23:00:00Z'), 2 * H))).toBe(
      '2025-03-11T01:00:00.000Z',
    );
  });

  it('30- and 45-minute offsets', () => {
    const kathmandu = createCalendar({ timeZone: 'Asia/Kathmandu', week: weekdays });
    expect(isOpen(kathmandu, new Date('2025-03-10T03:15:00Z'))).toBe(true); // 09:00 local
    expect(isOpen(kathmandu, new Date('2025-03-10T03:14:00Z'))).toBe(false);
    expect(iso(nextOpen(kathmandu, new Date('2025-03-10T00:00:00Z')))).toBe('2025-03-10T03:15:00.000Z');
  });

  it('is always open 24/7', () => {
    expect(businessTimeBetween(alwaysOpen, Date.UTC(2025, 0, 3, 16), Date.UTC(2025, 0, 6, 9))).toBe(65 * H);
    expect(isOpen(alwaysOpen, 0)).toBe(true);
    expect(nextOpen(alwaysOpen, 7).getTime()).toBe(7);
    expect(openIntervals(alwaysOpen, 0, 10)).toEqual([{ start: new Date(0), end: new Date(10) }]);
    expect(() => nextClose(alwaysOpen, 0)).toThrow(CarekitError);
  });

  it('gives the same answers under every process time zone (this suite also runs under TZ=America/Sao_Paulo and Asia/Kolkata)', () => {
    const berlin = createCalendar({ timeZone: 'Europe/Berlin', week: weekdays });
    expect(iso(addBusinessTime(berlin, new Date('2025-03-28T15:00:00Z'), 2 * H))).toBe(
      '2025-03-31T08:00:00.000Z',
    );
  });
});

describe('bad configuration and input', () => {
  const issues = (config: unknown) => {
    try {
      createCalendar(config as CalendarConfigInput);
    } catch (error) {
      if (error instanceof CarekitValidationError) return error.issues.map((i) => [i.code, i.path.join('.')]);
    }
    return [];
  };

  it('names reversed and overlapping intervals with their paths', () => {
    expect(issues({ timeZone: 'UTC', week: { mon: [['17:00', '09:00']], tue: day } })).toEqual([
      ['invalid_calendar_interval', 'week.mon.0'],
    ]);
    expect(
      issues({
        timeZone: 'UTC',
        week: {
          mon: [
            ['09:00', '12:00'],
            ['11:00', '13:00'],
          ],
        },
      }),
    ).toEqual([['invalid_calendar_interval', 'week.mon.1']]);
  });

  it('refuses bad times, zones, dates, duplicates and a calendar that never opens', () => {
    expect(issues({ timeZone: 'UTC', week: { mon: [['9:00', '25:00']] } })).toContainEqual([
      'invalid_time_of_day',
      'week.mon.0.0',
    ]);
    expect(issues({ timeZone: 'Mars/Olympus', week: { mon: day } })).toEqual([
      ['invalid_time_zone', 'timeZone'],
    ]);
    expect(issues({ timeZone: 'UTC', week: { mon: day }, holidays: ['2025-02-30'] })).toEqual([
      ['invalid_date', 'holidays.0'],
    ]);
    expect(
      issues({ timeZone: 'UTC', week: { mon: day }, holidays: ['2025-01-01', { date: '2025-01-01' }] }),
    ).toEqual([['duplicate_holiday', 'holidays.1']]);
    expect(issues({ timeZone: 'UTC', week: {} })).toEqual([['calendar_never_open', 'week']]);
    expect(issues({ timeZone: 'UTC', week: { funday: day } })).toContainEqual(['unrecognized_keys', 'week']);
  });

  it('refuses invalid instants', () => {
    const utc = createCalendar({ timeZone: 'UTC', week: weekdays });
    expect(() => isOpen(utc, Number.NaN)).toThrow(/valid Date/);
    expect(() => businessTimeBetween(utc, new Date('nope'), 0)).toThrow(CarekitError);
  });
});
