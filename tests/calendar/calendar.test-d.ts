import { describe, expectTypeOf, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  type Calendar,
  type CalendarConfigInput,
  createCalendar,
  isOpen,
} from '../../src/calendar/index.js';

describe('calendar types', () => {
  it('takes Date or epoch ms, returns Date or ms', () => {
    expectTypeOf(addBusinessTime).parameter(1).toEqualTypeOf<Date | number>();
    expectTypeOf(addBusinessTime).returns.toEqualTypeOf<Date>();
    expectTypeOf(businessTimeBetween).returns.toEqualTypeOf<number>();
    expectTypeOf(isOpen).returns.toEqualTypeOf<boolean>();
    expectTypeOf(createCalendar).returns.toEqualTypeOf<Calendar>();
  });

  it('types the configuration', () => {
    expectTypeOf<{ timeZone: 'UTC'; week: { mon: [['09:00', '17:00']] } }>().toExtend<CalendarConfigInput>();
    // @ts-expect-error the time zone is a string
    expectTypeOf<{ timeZone: 3; week: Record<string, never> }>().toExtend<CalendarConfigInput>();
    // @ts-expect-error an interval is a pair
    expectTypeOf<{ timeZone: 'UTC'; week: { mon: [['09:00']] } }>().toExtend<CalendarConfigInput>();
  });
});
