import { describe, expect, it } from 'vitest';
import { assignSegments, createSegmentRules } from '../../../src/routing/index.js';

const DAY = 86_400_000;

describe('segments', () => {
  it('assigns blocked, vip, new and returning', () => {
    expect(assignSegments({ id: 'c1', lifetimeValue: 5000, blocked: true }, { orders: 0 })).toEqual([
      'blocked',
      'vip',
      'new',
    ]);
    expect(
      createSegmentRules({ vipLifetimeValue: 500 }).assign({ id: 'c1', lifetimeValue: 800 }, { orders: 3 }),
    ).toEqual(['vip', 'returning']);
    expect(assignSegments({ id: 'c1' }, { orders: 1, priorTickets: 1 })).toEqual([]);
  });
  it('marks a customer at risk after a low score, for a while', () => {
    const facts = { orders: 1, priorTickets: 2, lastSurvey: { survey: 'nps' as const, score: 4, at: 0 } };
    expect(assignSegments({ id: 'c1' }, { ...facts, now: 10 * DAY })).toEqual(['at_risk']);
    expect(assignSegments({ id: 'c1' }, { ...facts, now: 100 * DAY })).toEqual([]);
    expect(
      assignSegments({ id: 'c1' }, { ...facts, lastSurvey: { survey: 'csat', score: 3, at: 0 } }),
    ).toEqual([]);
  });
  it('counts a recently first-seen customer as new', () => {
    expect(
      assignSegments({ id: 'c1' }, { orders: 1, priorTickets: 1, firstSeenAt: 0, now: 5 * DAY }),
    ).toEqual(['new']);
  });
  it('passes record segments through and runs custom rules', () => {
    const rules = createSegmentRules({ passThrough: ['wholesale'] }, [
      { segment: 'press', when: (c) => c.email?.endsWith('@press.example') ?? false },
    ]);
    expect(
      rules.assign({ id: 'c', segment: 'wholesale', email: 'a@press.example', tags: ['x'] }, { orders: 2 }),
    ).toEqual(['returning', 'wholesale', 'press']);
  });
  it('validates its config', () => {
    expect(() => createSegmentRules({ vipLifetimeValue: -1 })).toThrow(/vipLifetimeValue/);
  });
});
