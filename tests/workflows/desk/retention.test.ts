// The retention policy as data: parsing with carekit errors, the cutoff, matching, the desk
// config's `retention` and its section in the review document.
import { describe, expect, it } from 'vitest';
import { retentionCutoff, retentionMatches } from '../../../src/model/dataProtection.js';
import { CarekitValidationError, parseRetentionPolicy } from '../../../src/model/index.js';
import { describeDesk } from '../../../src/review/index.js';
import { DeskConfig } from '../../../src/workflows/index.js';

const policy = {
  rules: [
    { id: 'closed-2y', when: { status: 'closed', olderThan: 'P2Y' }, action: 'anonymise' },
    { when: { tag: 'spam', olderThan: 'P30D' }, action: 'delete' },
  ],
} as const;

describe('retention policies', () => {
  it('parses a policy and refuses mistakes with a code, a path and a sentence', () => {
    expect(parseRetentionPolicy(policy).rules).toHaveLength(2);
    const issues = (input: unknown) => {
      try {
        parseRetentionPolicy(input);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(CarekitValidationError);
        return (error as CarekitValidationError).issues.map((i) => [i.code, i.path.join('.'), i.message]);
      }
    };
    const [bad] = issues({ rules: [{ when: { olderThan: '2 years' }, action: 'delete' }] });
    expect(bad?.slice(0, 2)).toEqual(['invalid_duration', 'rules.0.when.olderThan']);
    expect(bad?.[2]).toMatch(/ISO 8601 duration such as P2Y/);
    expect(issues({ rules: [], extra: 1 }).map((i) => i[0])).toEqual(['unrecognized_keys']);
    expect(
      issues({ rules: [{ when: { status: 'archived', olderThan: 'P1Y' }, action: 'delete' }] })[0]?.[1],
    ).toMatch(/^rules\.0\.when\.status/);
    expect(issues({ rules: [{ when: { olderThan: 'P' }, action: 'delete' }] })[0]?.[0]).toBe(
      'invalid_duration',
    );
  });

  it('counts years and months back in the UTC calendar, clamped to the month', () => {
    expect(retentionCutoff('P2Y', Date.UTC(2026, 11, 1))).toBe(Date.UTC(2024, 11, 1));
    expect(retentionCutoff('P30D', Date.UTC(2026, 11, 1))).toBe(Date.UTC(2026, 10, 1));
    expect(retentionCutoff('P1M', Date.UTC(2026, 2, 31, 12))).toBe(Date.UTC(2026, 1, 28, 12));
    expect(retentionCutoff('P1Y', Date.UTC(2028, 1, 29))).toBe(Date.UTC(2027, 1, 28));
    expect(retentionCutoff('PT12H', Date.UTC(2026, 0, 1))).toBe(Date.UTC(2025, 11, 31, 12));
    expect(retentionCutoff('P1Y6M2W', Date.UTC(2026, 6, 15))).toBe(Date.UTC(2025, 0, 1));
  });

  it('matches on status, tag and the time since the last event', () => {
    const [closed, spam] = parseRetentionPolicy(policy).rules;
    const now = Date.UTC(2026, 11, 1);
    const ticket = (status: string, tags: string[], lastEventAt: number) => ({
      status,
      context: { tags, lastEventAt },
    });
    expect(retentionMatches(closed!, ticket('closed', [], Date.UTC(2024, 10, 30)), now)).toBe(true);
    expect(retentionMatches(closed!, ticket('closed', [], Date.UTC(2024, 11, 1)), now)).toBe(false);
    expect(retentionMatches(closed!, ticket('solved', [], 0), now)).toBe(false);
    expect(retentionMatches(spam!, ticket('open', ['spam'], Date.UTC(2026, 9, 1)), now)).toBe(true);
    expect(retentionMatches(spam!, ticket('open', ['vip'], Date.UTC(2026, 9, 1)), now)).toBe(false);
  });

  it('is part of the desk config and described in the review document', () => {
    expect(DeskConfig.parse({ retention: policy }).retention?.rules[1]?.action).toBe('delete');
    expect(() => DeskConfig.parse({ retention: { rules: [{ when: {}, action: 'delete' }] } })).toThrow();
    const page = describeDesk({ name: 'Loja Azul', retention: policy }, { date: 0 });
    const section = page.slice(page.indexOf('## Data retention'), page.indexOf('## KPI definitions'));
    expect(section).toContain('1. **closed-2y**: closed tickets older than 2 years are anonymised');
    expect(section).toContain('the KPIs do not change');
    expect(section).toContain('2. **rule-2**: tickets tagged `spam` older than 30 days are deleted');
    expect(describeDesk({ name: 'Loja Azul' }, { date: 0 })).toContain('No retention schedule');
  });
});
