import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { addBusinessTime, businessTimeBetween, createCalendar } from '../../src/calendar/index.js';
import { MAX_INSTANT, RULE_FROM_YEAR, spanSteps, yearStart } from '../../src/calendar/zone.js';
import { propertyRuns } from '../support/runs.js';
import { arbCalendar } from './arbitraries.js';

// Instants from the final rule's first years (where the year table starts) to the end of Date.
const FAR_FROM = yearStart(RULE_FROM_YEAR + 2);
const arbFar = fc.oneof(
  fc.integer({ min: FAR_FROM, max: MAX_INSTANT }),
  fc.integer({ min: FAR_FROM, max: yearStart(RULE_FROM_YEAR + 500) }),
);

// Spans of offset constancy stepped through beyond the year table: at most the partial years at
// both ends (a few changes each) and the fourteen model years of the table on first use.
const MAX_STEPS = 80;

describe('cost of business time over long spans', () => {
  test.prop([arbCalendar, arbFar, arbFar], { ...propertyRuns(60), timeout: 20_000 })(
    'businessTimeBetween steps through a bounded number of spans, whatever the span',
    (config, x, y) => {
      const calendar = createCalendar(config);
      const before = spanSteps.count;
      const between = businessTimeBetween(calendar, Math.min(x, y), Math.max(x, y));
      expect(spanSteps.count - before).toBeLessThanOrEqual(MAX_STEPS);
      expect(Number.isFinite(between)).toBe(true);
    },
  );

  test.prop([arbCalendar, arbFar, fc.integer({ min: 1, max: 1e14 })], {
    ...propertyRuns(40),
    timeout: 20_000,
  })('addBusinessTime too, and its answer is exact', (config, s, ms) => {
    const calendar = createCalendar(config);
    const before = spanSteps.count;
    let t: Date;
    try {
      t = addBusinessTime(calendar, s, ms);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('instant_out_of_range');
      return;
    }
    expect(spanSteps.count - before).toBeLessThanOrEqual(2 * MAX_STEPS);
    expect(businessTimeBetween(calendar, s, t)).toBe(ms);
  });
});
