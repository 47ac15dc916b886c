import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../../src/model/index.js';
import { ruleClassifier, unsafePatternReason } from '../../../src/routing/index.js';
import { cpuTime } from '../../support/cpuTime.js';

const refused = [
  // the issue's three
  '((a+))+$',
  '(\\w+\\s?)+$',
  '(a|a)*$',
  // nested quantifiers
  '(a+)+$',
  '(a*)*b',
  '(?:\\d+)*x',
  '(a\\w+b)*$',
  '(x+x+)+y',
  '(?:[a-z]+[0-9]*)+!',
  '(a{1,20}){1,20}$',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '(?=(a+)+$)',
  // empty-matching loop bodies
  '(a?)+$',
  '(a|)+$',
  '(?:\\b)*x',
  // ambiguous alternation under a loop
  '(a|ab)*c',
  '(\\w|\\d)+$',
  '(?:.|\\s)*x',
  '(A|a)+$',
  // overlapping adjacent loops
  '\\w+\\w+$',
  '\\d+\\d*x',
  'order\\s*-?\\s*\\d+',
  '.*.*=.*',
  // back-references
  '(a)\\1',
  '(?<x>a)\\k<x>',
];

const passed = [
  'order #\\d+',
  'https?://\\S+\\.(?:ru|xyz|top)\\b',
  '(refund|return)+',
  '(?:\\s+\\w+)*',
  '\\b(?:where|when) is my (?:order|parcel)\\b',
  '\\d{3}-\\d{4}',
  '(\\d{3}-)+\\d+',
  '[A-Z]{2}\\d{6,10}',
  '^\\w+@\\w+\\.com$',
  'colou?r',
  '(?:ab)+c',
  'a+b+c+',
  '[^@\\s]+@[^@\\s]+',
  '\\p{L}+ \\d+',
];

describe('unsafePatternReason', () => {
  it.each(refused)('refuses %s', (pattern) => {
    expect(unsafePatternReason(pattern)).toMatch(/exponential|quadratic|empty|back-reference/);
  });
  it.each(passed)('passes %s', (pattern) => {
    expect(unsafePatternReason(pattern)).toBeNull();
  });
});

describe('rules with such patterns', () => {
  it('are refused at creation with unsafe_pattern, a path and a sentence', () => {
    for (const pattern of ['((a+))+$', '(\\w+\\s?)+$', '(a|a)*$']) {
      try {
        ruleClassifier([{ category: 'x', patterns: ['ok', pattern] }]);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CarekitValidationError);
        const issue = (error as CarekitValidationError).issues[0]!;
        expect(issue).toMatchObject({ code: 'unsafe_pattern', path: [0, 'patterns', 1] });
        expect(issue.message).toMatch(/time; use keywords/);
      }
    }
  });

  it('every passed pattern runs fast on hostile text near its own alphabet', () => {
    const texts = ['a', ' ', '1', 'x', '@', '-'].map((c) => `${c.repeat(5_000)}!`);
    for (const pattern of passed) {
      const classifier = ruleClassifier([{ category: 'x', patterns: [pattern] }]);
      const { ms } = cpuTime(() => {
        for (const body of texts) classifier.classify({ body });
      });
      expect(ms, pattern).toBeLessThan(5_000);
    }
  });
});
