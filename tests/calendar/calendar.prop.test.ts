import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  createCalendar,
  isOpen,
  nextOpen,
} from '../../src/calendar/index.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbCalendar, arbCalendarNear, arbInstant } from './arbitraries.js';
import { referenceBetween, referenceIsOpen } from './reference.js';

const MIN = 60_000;
const arbDuration = fc.oneof(
  fc.integer({ min: 1, max: 40 * 60 }).map((m) => m * MIN),
  fc.integer({ min: 1, max: 2_000 * 3_600_000 }),
);

describe('calendar laws', () => {
  test.prop(
    [
      arbCalendarNear(arbInstant),
      fc.array(fc.integer({ min: -4 * 1440, max: 4 * 1440 }), { minLength: 1, maxLength: 20 }),
    ],
    propertyRuns(50),
  )('isOpen agrees with the minute-stepping reference', ({ config, t }, deltas) => {
    const calendar = createCalendar(config);
    for (const d of deltas) {
      const at = t + d * MIN;
      expect(isOpen(calendar, at), new Date(at).toISOString()).toBe(referenceIsOpen(config, at));
    }
  });

  test.prop([arbCalendarNear(arbInstant), fc.integer({ min: 0, max: 3 * 1440 })], propertyRuns(40))(
    'businessTimeBetween agrees with the minute-stepping reference',
    ({ config, t }, minutes) => {
      const calendar = createCalendar(config);
      const a = t - 1440 * MIN;
      const b = a + minutes * MIN;
      expect(businessTimeBetween(calendar, a, b)).toBe(referenceBetween(config, a, b));
    },
    // The reference reads every minute with Intl: slow on a busy machine.
    propertyTimeout(50_000),
  );

  test.prop([arbCalendar, arbInstant, arbDuration], propertyRuns(100))(
    'between(s, add(s, d)) = d, and add is the earliest such instant',
    (config, s, d) => {
      const calendar = createCalendar(config);
      const t = addBusinessTime(calendar, s, d).getTime();
      expect(t).toBeGreaterThanOrEqual(s);
      expect(businessTimeBetween(calendar, s, t)).toBe(d);
      if (t > s) expect(businessTimeBetween(calendar, s, t - 1)).toBeLessThan(d);
    },
  );

  test.prop([arbCalendar, arbInstant, arbDuration], propertyRuns(100))(
    'going back: between(add(s, -d), s) = d, the latest such instant',
    (config, s, d) => {
      const calendar = createCalendar(config);
      const t = addBusinessTime(calendar, s, -d).getTime();
      expect(t).toBeLessThanOrEqual(s);
      expect(businessTimeBetween(calendar, t, s)).toBe(d);
      if (t < s) expect(businessTimeBetween(calendar, t + 1, s)).toBeLessThan(d);
    },
  );

  test.prop([arbCalendar, arbInstant, fc.nat(400 * 86_400_000), fc.nat(400 * 86_400_000)], propertyRuns(100))(
    'additivity, antisymmetry and monotonicity',
    (config, a, x, y) => {
      const calendar = createCalendar(config);
      const b = a + x;
      const c = b + y;
      const ab = businessTimeBetween(calendar, a, b);
      const bc = businessTimeBetween(calendar, b, c);
      expect(ab + bc).toBe(businessTimeBetween(calendar, a, c));
      // `0 - t`, not `-t`: an empty span is +0 both ways (toBe tells -0 from 0).
      expect(businessTimeBetween(calendar, c, a)).toBe(0 - (ab + bc));
      expect(ab).toBeGreaterThanOrEqual(0);
      expect(ab).toBeLessThanOrEqual(x);
    },
  );

  test.prop([arbCalendar, arbInstant], propertyRuns(100))(
    'nextOpen is open, and nothing before it is',
    (config, t) => {
      const calendar = createCalendar(config);
      const next = nextOpen(calendar, t).getTime();
      expect(isOpen(calendar, next)).toBe(true);
      expect(businessTimeBetween(calendar, t, next)).toBe(0);
    },
  );
});
