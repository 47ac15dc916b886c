import { describe, expect, it } from 'vitest';
import { alwaysOpen, businessTimeBetween, type Calendar, createCalendar } from '../../src/calendar/index.js';
import { MAX_INSTANT, MIN_INSTANT } from '../../src/calendar/zone.js';
import { CarekitArgumentError } from '../../src/model/index.js';
import { day, thrown } from './support.js';

const utc = createCalendar({ timeZone: 'UTC', week: { mon: day, tue: day, wed: day, thu: day, fri: day } });

describe('businessTimeBetween', () => {
  it('names the function and the argument of a bad calendar, from or to', () => {
    const calendar = thrown(() => businessTimeBetween({} as Calendar, 0, 1));
    expect([calendar.code, calendar.message]).toEqual([
      'invalid_calendar',
      'businessTimeBetween: calendar must be a calendar made by createCalendar, got an object',
    ]);
    const refused = (from: number, to: number) => {
      const error = thrown(() => businessTimeBetween(utc, from, to));
      expect(error).toBeInstanceOf(CarekitArgumentError);
      return [error.code, (error as CarekitArgumentError).path, error.message];
    };
    expect(refused(Number.NaN, 0)).toEqual([
      'invalid_instant',
      ['from'],
      'from must be a valid Date or epoch milliseconds within ±8.64e15, got NaN',
    ]);
    expect(refused(0, Number.NaN)).toEqual([
      'invalid_instant',
      ['to'],
      'to must be a valid Date or epoch milliseconds within ±8.64e15, got NaN',
    ]);
  });

  it('an empty span is +0', () => {
    expect(businessTimeBetween(utc, Date.UTC(2025, 2, 10, 10), Date.UTC(2025, 2, 10, 10))).toBe(0);
    expect(businessTimeBetween(alwaysOpen, 5, 5)).toBe(0);
  });

  it('a calendar always open counts the elapsed time exactly, beyond 2^53 ms too', () => {
    const a = MIN_INSTANT + 7;
    const b = MAX_INSTANT - 3;
    expect(businessTimeBetween(alwaysOpen, a, b)).toBe(17_279_999_999_999_990);
    expect(businessTimeBetween(alwaysOpen, b, a)).toBe(-17_279_999_999_999_990);
  });
});
