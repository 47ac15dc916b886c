import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createSegmentRules } from '../../../src/routing/index.js';
import { propertyRuns } from '../../support/runs.js';

describe('segment laws', () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 5000 }),
      fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
      fc.boolean(),
      fc.nat(5),
      fc.nat(5),
    ],
    propertyRuns(100),
  )(
    'vip iff lifetime value reaches the threshold; new and returning exclude each other; blocked first',
    (threshold, ltv, blocked, orders, priorTickets) => {
      const rules = createSegmentRules({ vipLifetimeValue: threshold });
      const customer = { id: 'c', blocked, ...(ltv === undefined ? {} : { lifetimeValue: ltv }) };
      const segments = rules.assign(customer, { orders, priorTickets });
      expect(segments.includes('vip')).toBe(ltv !== undefined && ltv >= threshold);
      expect(segments.includes('new') && segments.includes('returning')).toBe(false);
      expect(segments.includes('returning')).toBe(orders >= 2);
      expect(segments.indexOf('blocked')).toBe(blocked ? 0 : -1);
      expect(new Set(segments).size).toBe(segments.length);
    },
  );
});
