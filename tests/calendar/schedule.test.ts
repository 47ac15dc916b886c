import { describe, expect, it } from 'vitest';
import {
  alwaysOpen,
  businessTimeBetween,
  createCalendar,
  isOpen,
  nextClose,
  nextOpen,
  openIntervals,
} from '../../src/calendar/index.js';
import { cumulative, nextCloseWall, nextOpenWall, openAtWall, reach } from '../../src/calendar/schedule.js';
import { allDay, day, H, weekdays } from './support.js';

const iso = (d: Date) => d.toISOString();
// In UTC a wall time is the instant itself. 2025-03-10 is a Monday.
const mon = (hour: number, minute = 0) => Date.UTC(2025, 2, 10, hour, minute);
const at = (date: number, hour: number, minute = 0) => Date.UTC(2025, 2, date, hour, minute);

describe('the intervals of a day', () => {
  it('are read in order of their start, however they are written', () => {
    const cal = createCalendar({
      timeZone: 'UTC',
      week: {
        mon: [
          ['15:00', '16:00'],
          ['09:00', '10:00'],
          ['12:00', '13:00'],
        ],
      },
    });
    expect(iso(nextOpen(cal, mon(8)))).toBe('2025-03-10T09:00:00.000Z');
    expect(iso(nextOpen(cal, mon(10, 30)))).toBe('2025-03-10T12:00:00.000Z');
    expect(iso(nextClose(cal, mon(8)))).toBe('2025-03-10T10:00:00.000Z');
    expect(iso(nextClose(cal, mon(13)))).toBe('2025-03-10T16:00:00.000Z');
  });

  it('that touch (09–12, 12–13) are one interval', () => {
    const cal = createCalendar({
      timeZone: 'UTC',
      week: {
        mon: [
          ['12:00', '13:00'],
          ['09:00', '12:00'],
        ],
      },
    });
    expect(iso(nextClose(cal, mon(10)))).toBe('2025-03-10T13:00:00.000Z');
    expect(isOpen(cal, mon(12))).toBe(true);
    expect(isOpen(cal, mon(12, 59))).toBe(true);
    expect(isOpen(cal, mon(13))).toBe(false);
    expect(openIntervals(cal, mon(0), mon(24)).map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ['2025-03-10T09:00:00.000Z', '2025-03-10T13:00:00.000Z'],
    ]);
    expect(businessTimeBetween(cal, mon(0), mon(24))).toBe(4 * H);
  });

  it('an interval ending at 24:00 closes at midnight unless the next day opens at 00:00', () => {
    const evening = createCalendar({ timeZone: 'UTC', week: { mon: [['20:00', '24:00']], tue: day } });
    expect(iso(nextClose(evening, mon(21)))).toBe('2025-03-11T00:00:00.000Z');
    const alone = createCalendar({ timeZone: 'UTC', week: { mon: [['20:00', '24:00']] } });
    expect(iso(nextClose(alone, mon(21)))).toBe('2025-03-11T00:00:00.000Z');
    // Sunday night runs into Monday morning across the end of the week.
    const night = createCalendar({
      timeZone: 'UTC',
      week: { sun: [['20:00', '24:00']], mon: [['00:00', '02:00']] },
    });
    expect(iso(nextClose(night, at(9, 21)))).toBe('2025-03-10T02:00:00.000Z');
  });
});

describe('holidays', () => {
  it('are found however they are listed', () => {
    const cal = createCalendar({
      timeZone: 'UTC',
      week: weekdays,
      holidays: ['2025-03-14', '2025-03-11', { date: '2025-03-12', hours: [['10:00', '11:00']] }],
    });
    expect(isOpen(cal, at(11, 10))).toBe(false);
    expect(isOpen(cal, at(12, 10))).toBe(true);
    expect(isOpen(cal, at(12, 12))).toBe(false);
    expect(isOpen(cal, at(13, 12))).toBe(true);
    expect(isOpen(cal, at(14, 12))).toBe(false);
    expect(iso(nextOpen(cal, mon(18)))).toBe('2025-03-12T10:00:00.000Z');
    expect(iso(nextOpen(cal, at(13, 18)))).toBe('2025-03-17T09:00:00.000Z');
  });

  it('given as { date } without hours closes the whole day', () => {
    const cal = createCalendar({ timeZone: 'UTC', week: weekdays, holidays: [{ date: '2025-03-11' }] });
    expect(businessTimeBetween(cal, mon(0), at(13, 0))).toBe(16 * H);
    expect(isOpen(cal, at(11, 12))).toBe(false);
  });
});

describe('the wall-clock table', () => {
  const { schedule } = createCalendar({ timeZone: 'UTC', week: weekdays });
  const split = createCalendar({
    timeZone: 'UTC',
    week: {
      mon: [
        ['09:00', '12:00'],
        ['13:00', '17:00'],
      ],
    },
  }).schedule;

  it('is open from the opening minute up to, not including, the closing minute', () => {
    expect(openAtWall(schedule, mon(9))).toBe(true);
    expect(openAtWall(schedule, mon(17) - 1)).toBe(true);
    expect(openAtWall(schedule, mon(17))).toBe(false);
    expect(cumulative(schedule, mon(17)) - cumulative(schedule, mon(9))).toBe(8 * H);
    expect(cumulative(split, mon(13)) - cumulative(split, mon(12))).toBe(0);
  });

  it('nextOpenWall: the instant itself when open, else the next opening, within maxDays days', () => {
    expect(nextOpenWall(schedule, mon(9))).toBe(mon(9));
    expect(nextOpenWall(schedule, mon(17))).toBe(at(11, 9));
    const saturday = at(15, 10);
    expect(nextOpenWall(schedule, saturday, 2)).toBe(null);
    expect(nextOpenWall(schedule, saturday, 3)).toBe(at(17, 9));
    expect(nextOpenWall(schedule, mon(18), 1)).toBe(null);
  });

  it('nextCloseWall: from a closed instant, the end of the next interval', () => {
    expect(nextCloseWall(schedule, mon(9))).toBe(mon(17));
    expect(nextCloseWall(schedule, mon(17))).toBe(at(11, 17));
    expect(nextCloseWall(schedule, mon(18))).toBe(at(11, 17));
    expect(nextCloseWall(split, mon(12))).toBe(mon(17));
    const fridayEvening = at(14, 18);
    expect(nextCloseWall(schedule, fridayEvening, 2)).toBe(null);
    expect(nextCloseWall(schedule, fridayEvening, 3)).toBe(at(17, 17));
  });

  it('nextCloseWall follows all-day intervals for at most maxDays days', () => {
    const sundayNoon = createCalendar({
      timeZone: 'UTC',
      week: {
        mon: allDay,
        tue: allDay,
        wed: allDay,
        thu: allDay,
        fri: allDay,
        sat: allDay,
        sun: [['00:00', '12:00']],
      },
    }).schedule;
    expect(nextCloseWall(sundayNoon, mon(10), 5)).toBe(null);
    expect(nextCloseWall(sundayNoon, mon(10), 6)).toBe(at(16, 12));
    expect(nextCloseWall(alwaysOpen.schedule, mon(10), 3)).toBe(null);
  });

  it('reach: the earliest wall instant from `from` at which the open time reaches the target', () => {
    const lunch = mon(12, 30);
    expect(reach(split, lunch, cumulative(split, lunch))).toBe(lunch);
    expect(reach(split, lunch, cumulative(split, lunch) + H)).toBe(mon(14));
    expect(reach(split, mon(9), cumulative(split, mon(9)) + 3 * H)).toBe(mon(12));
    expect(reach(split, mon(9), cumulative(split, mon(9)) + 7 * H + 1)).toBe(at(17, 9) + 1);
  });
});
