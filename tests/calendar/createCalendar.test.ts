import { describe, expect, it } from 'vitest';
import { toInstant } from '../../src/calendar/createCalendar.js';
import {
  addBusinessTime,
  alwaysOpen,
  businessTimeBetween,
  type CalendarConfig,
  createCalendar,
  isOpen,
  nextClose,
  nextOpen,
  openIntervals,
} from '../../src/calendar/index.js';
import { MAX_INSTANT, MIN_INSTANT } from '../../src/calendar/zone.js';
import { CarekitArgumentError, CarekitValidationError } from '../../src/model/index.js';
import { allDay, day, H, thrown, weekdays } from './support.js';

const everyDay = {
  ...weekdays,
  sat: allDay,
  sun: allDay,
  mon: allDay,
  tue: allDay,
  wed: allDay,
  thu: allDay,
  fri: allDay,
};
const utc = createCalendar({ timeZone: 'UTC', week: weekdays });

/** The issues of a refused configuration as [code, path, message]. */
function issues(config: unknown): [string, string, string][] {
  const error = thrown(() => createCalendar(config as CalendarConfig));
  expect(error).toBeInstanceOf(CarekitValidationError);
  return (error as CarekitValidationError).issues.map((i) => [i.code, i.path.join('.'), i.message]);
}

describe('createCalendar', () => {
  it('names the calendar config in the message of a refused configuration', () => {
    const error = thrown(() => createCalendar({ timeZone: 'UTC', week: {} }));
    expect(error.message).toBe(
      'Invalid calendar config: 1 problem\n  - week: the calendar is never open in its week, so business time could never pass; give at least one interval',
    );
  });

  it('marks a calendar open around the clock every day, and no other, as always open', () => {
    expect(alwaysOpen.alwaysOpen).toBe(true);
    expect(createCalendar({ timeZone: 'Europe/Paris', week: everyDay }).alwaysOpen).toBe(true);
    expect(utc.alwaysOpen).toBe(false);
  });

  it('a 24/7 week with a holiday is closed on the holiday', () => {
    const cal = createCalendar({ timeZone: 'UTC', week: everyDay, holidays: ['2025-12-25'] });
    expect(cal.alwaysOpen).toBe(false);
    expect(isOpen(cal, Date.UTC(2025, 11, 25, 12))).toBe(false);
    expect(isOpen(cal, Date.UTC(2025, 11, 24, 12))).toBe(true);
  });

  it('a week open all day on some days only closes on the others', () => {
    const mondays = createCalendar({ timeZone: 'UTC', week: { mon: allDay } });
    expect(mondays.alwaysOpen).toBe(false);
    expect(isOpen(mondays, Date.UTC(2025, 2, 11, 12))).toBe(false); // a Tuesday
  });

  it('a day that opens after midnight or closes before it is not open all day', () => {
    const lateMonday = createCalendar({ timeZone: 'UTC', week: { ...everyDay, mon: [['01:00', '24:00']] } });
    expect(lateMonday.alwaysOpen).toBe(false);
    expect(isOpen(lateMonday, Date.UTC(2025, 2, 10, 0, 30))).toBe(false);
    const earlyMonday = createCalendar({ timeZone: 'UTC', week: { ...everyDay, mon: [['00:00', '23:00']] } });
    expect(earlyMonday.alwaysOpen).toBe(false);
    expect(isOpen(earlyMonday, Date.UTC(2025, 2, 10, 23, 30))).toBe(false);
    const lunch = createCalendar({
      timeZone: 'UTC',
      week: {
        ...everyDay,
        mon: [
          ['00:00', '12:00'],
          ['13:00', '24:00'],
        ],
      },
    });
    expect(lunch.alwaysOpen).toBe(false);
    expect(isOpen(lunch, Date.UTC(2025, 2, 10, 12, 30))).toBe(false);
  });
});

describe('calendar configuration', () => {
  it('refuses an interval that ends before it starts or where it starts, with its times', () => {
    expect(issues({ timeZone: 'UTC', week: { mon: [['17:00', '09:00']], tue: day } })).toEqual([
      [
        'invalid_calendar_interval',
        'week.mon.0',
        'week.mon[0]: the interval 17:00–09:00 ends before it starts; write it as [start, end] within one day',
      ],
    ]);
    expect(issues({ timeZone: 'UTC', week: { mon: [['09:00', '09:00']], tue: day } })).toEqual([
      [
        'invalid_calendar_interval',
        'week.mon.0',
        'week.mon[0]: the interval 09:00–09:00 ends before it starts; write it as [start, end] within one day',
      ],
    ]);
  });

  it('an empty interval beside another is refused once, not also as an overlap', () => {
    expect(
      issues({
        timeZone: 'UTC',
        week: {
          mon: [
            ['09:00', '11:00'],
            ['10:00', '10:00'],
          ],
        },
      }),
    ).toEqual([
      [
        'invalid_calendar_interval',
        'week.mon.1',
        'week.mon[1]: the interval 10:00–10:00 ends before it starts; write it as [start, end] within one day',
      ],
    ]);
    expect(
      issues({
        timeZone: 'UTC',
        week: {
          mon: [
            ['09:00', '11:00'],
            ['10:00', '09:30'],
          ],
        },
      }).map(([code, path]) => [code, path]),
    ).toEqual([['invalid_calendar_interval', 'week.mon.1']]);
  });

  it('names an overlap by the later-starting interval, in any order of writing', () => {
    expect(
      issues({
        timeZone: 'UTC',
        week: {
          mon: [
            ['13:00', '17:00'],
            ['09:00', '14:00'],
          ],
        },
      }),
    ).toEqual([
      [
        'invalid_calendar_interval',
        'week.mon.0',
        'week.mon[0]: the interval 13:00–17:00 overlaps 09:00–14:00',
      ],
    ]);
  });

  it('accepts intervals written out of order and intervals that touch', () => {
    const cal = createCalendar({
      timeZone: 'UTC',
      week: {
        mon: [
          ['15:00', '16:00'],
          ['09:00', '10:00'],
          ['12:00', '13:00'],
        ],
        tue: [
          ['12:00', '13:00'],
          ['09:00', '12:00'],
        ],
      },
    });
    expect(businessTimeBetween(cal, Date.UTC(2025, 2, 10), Date.UTC(2025, 2, 12))).toBe(7 * H);
  });

  it('refuses dates that do not exist, and accepts the first and last day of each month', () => {
    for (const date of ['2025-13-15', '2025-00-10', '2025-02-29', '2025-04-31', '2025-01-00', '2025-01-32']) {
      expect(issues({ timeZone: 'UTC', week: weekdays, holidays: [date] })).toEqual([
        ['invalid_date', 'holidays.0', 'holidays[0]: expected a real date as "YYYY-MM-DD"'],
      ]);
    }
    const ends = ['2024-02-29', '2025-02-28', '2025-12-31', '2025-01-01', '2025-01-31', '0099-04-30'];
    expect(
      createCalendar({ timeZone: 'UTC', week: weekdays, holidays: ends }).schedule.holidayDays,
    ).toHaveLength(ends.length);
  });

  it('refuses a week whose only days have no intervals, or only empty ones', () => {
    const never =
      'week: the calendar is never open in its week, so business time could never pass; give at least one interval';
    expect(issues({ timeZone: 'UTC', week: { mon: [] } })).toEqual([['calendar_never_open', 'week', never]]);
    expect(issues({ timeZone: 'UTC', week: { mon: [['09:00', '09:00']] } }).map(([code]) => code)).toEqual([
      'invalid_calendar_interval',
      'calendar_never_open',
    ]);
  });

  it('accepts a day given as undefined beside an open one', () => {
    const cal = createCalendar({ timeZone: 'UTC', week: { mon: undefined, tue: day } } as CalendarConfig);
    expect(isOpen(cal, Date.UTC(2025, 2, 11, 10))).toBe(true);
    expect(isOpen(cal, Date.UTC(2025, 2, 10, 10))).toBe(false);
  });

  it('names both places of a holiday listed twice', () => {
    expect(
      issues({
        timeZone: 'UTC',
        week: weekdays,
        holidays: ['2025-01-01', '2025-05-01', { date: '2025-01-01' }],
      }),
    ).toEqual([
      [
        'duplicate_holiday',
        'holidays.2',
        'holidays[2]: the holiday 2025-01-01 is listed twice (first at holidays[0])',
      ],
    ]);
  });
});

describe('checkCalendar', () => {
  const refused = (calendar: unknown) => {
    const error = thrown(() => isOpen(calendar as typeof utc, 0));
    expect(error).toBeInstanceOf(CarekitArgumentError);
    return [error.code, (error as CarekitArgumentError).path, error.message];
  };
  const message = (got: string) => `isOpen: calendar must be a calendar made by createCalendar, got ${got}`;

  it('refuses what is not an object', () => {
    expect(refused(null)).toEqual(['invalid_calendar', ['calendar'], message('null')]);
    expect(refused(undefined)).toEqual(['invalid_calendar', ['calendar'], message('undefined')]);
    expect(refused('UTC')).toEqual(['invalid_calendar', ['calendar'], message('the string "UTC"')]);
    expect(refused(Object.assign(() => 0, utc))).toEqual([
      'invalid_calendar',
      ['calendar'],
      message('a function'),
    ]);
    expect(refused(Object.assign([], utc))).toEqual(['invalid_calendar', ['calendar'], message('an array')]);
  });

  it('refuses an object without a compiled schedule or a time zone', () => {
    expect(refused({})).toEqual(['invalid_calendar', ['calendar'], message('an object')]);
    expect(refused({ ...utc, schedule: null })).toEqual([
      'invalid_calendar',
      ['calendar'],
      message('an object'),
    ]);
    expect(refused({ ...utc, timeZone: undefined })).toEqual([
      'invalid_calendar',
      ['calendar'],
      message('an object'),
    ]);
    expect(thrown(() => nextClose({ ...utc, timeZone: 7 } as never, 0)).message).toBe(
      'nextClose: calendar must be a calendar made by createCalendar, got an object',
    );
  });
});

describe('instants in and out', () => {
  const refused = (at: unknown) => {
    const error = thrown(() => nextOpen(utc, at as number));
    expect(error.code).toBe('invalid_instant');
    expect((error as CarekitArgumentError).path).toEqual(['at']);
    return error.message;
  };
  const message = (got: string) =>
    `at must be a valid Date or epoch milliseconds within ±8.64e15, got ${got}`;

  it('describes the refused instant', () => {
    expect(refused(MAX_INSTANT + 1)).toBe(message('8640000000000001'));
    expect(refused(Number.NaN)).toBe(message('NaN'));
    expect(refused(new Date(Number.NaN))).toBe(message('an object that is not a valid Date'));
    expect(refused({})).toBe(message('an object that is not a valid Date'));
    expect(refused(null)).toBe(message('null'));
    expect(refused(undefined)).toBe(message('undefined'));
    expect(refused(true)).toBe(message('boolean'));
    expect(refused('2025-01-01')).toBe(message('"2025-01-01"'));
    expect(refused('x'.repeat(40))).toBe(message(`"${'x'.repeat(40)}"`));
    expect(refused('x'.repeat(41))).toBe(message('a string of 41 characters'));
  });

  it('names the argument of each function', () => {
    expect((thrown(() => openIntervals(utc, 0, Number.NaN)) as CarekitArgumentError).path).toEqual(['to']);
    expect((thrown(() => openIntervals(utc, Number.NaN, 0)) as CarekitArgumentError).path).toEqual(['from']);
    expect((thrown(() => addBusinessTime(utc, Number.NaN, H)) as CarekitArgumentError).path).toEqual([
      'start',
    ]);
  });

  it('the extreme instants a Date holds are answers; one ms beyond is instant_out_of_range', () => {
    expect(nextOpen(alwaysOpen, MAX_INSTANT).getTime()).toBe(MAX_INSTANT);
    expect(addBusinessTime(alwaysOpen, MAX_INSTANT - 1, 1).getTime()).toBe(MAX_INSTANT);
    expect(addBusinessTime(alwaysOpen, MIN_INSTANT + 1, -1).getTime()).toBe(MIN_INSTANT);
    const after = thrown(() => addBusinessTime(alwaysOpen, MAX_INSTANT, 1));
    expect([after.code, after.message]).toEqual([
      'instant_out_of_range',
      'the business time added ends after the latest instant a Date can hold (+8.64e15 ms)',
    ]);
    const before = thrown(() => addBusinessTime(alwaysOpen, MIN_INSTANT, -1));
    expect([before.code, before.message]).toEqual([
      'instant_out_of_range',
      'the business time added ends before the earliest instant a Date can hold (-8.64e15 ms)',
    ]);
  });
});

describe('toInstant', () => {
  it('names an unnamed instant "instant"', () => {
    const error = thrown(() => toInstant(Number.POSITIVE_INFINITY));
    expect([(error as CarekitArgumentError).path, error.message]).toEqual([
      ['instant'],
      'instant must be a valid Date or epoch milliseconds within ±8.64e15, got Infinity',
    ]);
  });
});
