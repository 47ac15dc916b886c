// What the calendar's example tests share: durations, opening hours and the error a call throws.
import { expect } from 'vitest';
import { CarekitError } from '../../src/model/index.js';

export const H = 3_600_000;
export const DAY = 86_400_000;
/** 09:00–17:00. */
export const day = [['09:00', '17:00']] as [string, string][];
/** The whole day, 00:00–24:00. */
export const allDay = [['00:00', '24:00']] as [string, string][];
/** 09:00–17:00, Monday to Friday. */
export const weekdays = { mon: day, tue: day, wed: day, thu: day, fri: day };
/** Open all day, every day. */
export const everyDay = {
  mon: allDay,
  tue: allDay,
  wed: allDay,
  thu: allDay,
  fri: allDay,
  sat: allDay,
  sun: allDay,
};

/** The error `f` throws (a test failure when it throws nothing or something else). */
export function thrown(f: () => unknown): CarekitError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitError);
    return error as CarekitError;
  }
  throw new Error('expected an error');
}
