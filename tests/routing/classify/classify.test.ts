import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../../src/model/index.js';
import { tokenize } from '../../../src/routing/classify/tokenize.js';
import {
  type Classification,
  type Classifier,
  chainClassifiers,
  defaultRules,
  defaultTaxonomy,
  ruleClassifier,
  textClassifierFromJSON,
  trainTextClassifier,
} from '../../../src/routing/index.js';
import { foldsOf, parseBitext, parseCsv, score } from '../bitextCsv.js';

describe('tokenize', () => {
  it('lower-cases, normalises and drops punctuation', () => {
    expect(tokenize('Where is my ORDER #1234?')).toEqual(['where', 'is', 'my', 'order', '#']);
    expect(tokenize('ＣＡＮＣＥＬ')).toEqual(['cancel']);
  });
  it('splits Chinese without spaces into words and keeps Vietnamese marks', () => {
    expect(tokenize('我想退款', { locale: 'zh' })).toEqual(['我想', '退款']);
    expect(tokenize('Tôi muốn hoàn tiền', { locale: 'vi' })).toEqual(['tôi', 'muốn', 'hoàn', 'tiền']);
  });
  it('reads at most maxLength characters', () => {
    expect(tokenize('aa bb cc', { maxLength: 2 })).toEqual(['aa']);
  });
});

describe('ruleClassifier', () => {
  const classifier = ruleClassifier([
    { category: 'refund', keywords: ['refund', 'money back'] },
    { category: 'shipping', phrases: ['where is my order'], weight: 2 },
  ]);
  it('scores by weight and explains which rule decided', () => {
    const result = classifier.classify({ body: 'Where is my order? I want a refund' }) as Classification;
    expect(result.category).toBe('shipping');
    expect(result.confidence).toBeCloseTo(2 / 3);
    expect(result.explanation).toContain('shipping#1');
    expect(result.scores).toEqual({ refund: 1 / 3, shipping: 2 / 3 });
  });
  it('breaks ties by rule order', () => {
    const tie = ruleClassifier([
      { category: 'b', keywords: ['x'] },
      { category: 'a', keywords: ['x'] },
    ]);
    expect((tie.classify({ body: 'x' }) as Classification).category).toBe('b');
  });
  it('falls back with confidence 0 when nothing matches', () => {
    expect(classifier.classify({ body: 'hello' })).toMatchObject({ category: 'other', confidence: 0 });
  });
  it('honours channels, segments, patterns and predicates', () => {
    const c = ruleClassifier([
      { category: 'vip', segments: ['vip'] },
      { category: 'phone', channels: ['phone'], keywords: ['call'], weight: 5 },
      { category: 'order', patterns: ['#\\d{4,}'], when: (input) => input.body.length < 100 },
    ]);
    expect((c.classify({ body: 'call me', channel: 'phone' }) as Classification).category).toBe('phone');
    expect((c.classify({ body: 'call me', channel: 'chat' }) as Classification).category).toBe('other');
    expect((c.classify({ body: 'hi', segments: ['vip'] }) as Classification).category).toBe('vip');
    expect(
      (c.classify({ body: 'hi', customer: { id: 'c1', segment: 'vip' } }) as Classification).category,
    ).toBe('vip');
    expect((c.classify({ body: 'order #12345' }) as Classification).category).toBe('order');
    expect((c.classify({ body: `order #12345 ${'x'.repeat(100)}` }) as Classification).category).toBe(
      'other',
    );
  });
  it('refuses catastrophic and invalid patterns with a code and a path', () => {
    const attempt = (pattern: string) => {
      try {
        ruleClassifier([{ category: 'x', patterns: [pattern] }]);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(CarekitValidationError);
        return (error as CarekitValidationError).issues[0];
      }
    };
    expect(attempt('(a+)+$')).toMatchObject({ code: 'unsafe_pattern', path: [0, 'patterns', 0] });
    expect(attempt('(\\w*)*x')).toMatchObject({ code: 'unsafe_pattern' });
    expect(attempt('(a)\\1')).toMatchObject({ code: 'unsafe_pattern' });
    expect(attempt('a('.padEnd(10, 'b'))).toMatchObject({ code: 'invalid_pattern' });
    expect(attempt('a'.repeat(201))).toMatchObject({ code: 'too_big' });
    expect(attempt('order #\\d+')).toBeNull();
  });
  it('refuses rules that are not a list of objects with a validation error', () => {
    expect(() => ruleClassifier({} as never)).toThrow(CarekitValidationError);
    expect(() => ruleClassifier([null] as never)).toThrow(CarekitValidationError);
  });
  it('refuses a rule with nothing to match', () => {
    expect(() => ruleClassifier([{ category: 'x' }])).toThrow(/needs something to match/);
  });
  it('the default rules cover the taxonomy and classify plain English', () => {
    const names = new Set(defaultTaxonomy.map((t) => t.category));
    for (const rule of defaultRules) expect(names.has(rule.category)).toBe(true);
    const c = ruleClassifier(defaultRules);
    const cat = (body: string) => (c.classify({ body }) as Classification).category;
    expect(cat('The mug arrived broken')).toBe('defect');
    expect(cat('I want my money back')).toBe('refund');
    expect(cat('My parcel has not arrived, tracking says nothing')).toBe('shipping');
    expect(cat('I forgot my password')).toBe('account');
    const angry = c.classify({
      body: 'This is unacceptable, I want to speak to a manager',
    }) as Classification;
    expect(angry).toMatchObject({ category: 'complaint', sentiment: 'negative', priority: 'high' });
  });
});

const examples = [
  { text: 'where is my parcel', category: 'shipping' },
  { text: 'my parcel has not arrived yet', category: 'shipping' },
  { text: 'I want my money back', category: 'refund' },
  { text: 'please refund my money', category: 'refund' },
  { text: 'tôi muốn hoàn tiền', category: 'refund', language: 'vi' },
  { text: '我想退款', category: 'refund', language: 'zh' },
  { text: '我的包裹在哪里', category: 'shipping', language: 'zh' },
];

describe('trainTextClassifier', () => {
  const model = trainTextClassifier(examples);
  it('classifies and names the words that decided', () => {
    const result = model.classify({ body: 'my parcel is late' });
    expect(result.category).toBe('shipping');
    expect(result.explanation).toContain('"parcel"');
    expect(Object.values(result.scores ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
  it('classifies Vietnamese and Chinese', () => {
    expect(model.classify({ body: 'hoàn tiền cho tôi', language: 'vi' }).category).toBe('refund');
    expect(model.classify({ body: '退款', language: 'zh' }).category).toBe('refund');
    expect(model.classify({ body: '包裹', language: 'zh' }).category).toBe('shipping');
  });
  it('reports probabilities that sum to one', () => {
    const p = model.probabilities('money');
    expect(Object.keys(p).sort()).toEqual(['refund', 'shipping']);
    expect(p.refund).toBeGreaterThan(0.5);
  });
  it('falls back to the prior for unknown words', () => {
    expect(model.classify({ body: 'zzz' }).explanation).toContain('no known words');
  });
  it('round-trips through JSON', () => {
    const loaded = textClassifierFromJSON(JSON.parse(JSON.stringify(model)));
    expect(loaded.classify({ body: 'refund please' })).toEqual(model.classify({ body: 'refund please' }));
  });
  it('refuses a saved model of another version or with broken counts', () => {
    const json = model.toJSON();
    expect(() => textClassifierFromJSON({ ...json, version: 2 })).toThrow(CarekitValidationError);
    expect(() => textClassifierFromJSON({ ...json, documents: [1] })).toThrow(/one per category/);
  });
  it('validates examples and options', () => {
    expect(() => trainTextClassifier([])).toThrow(CarekitValidationError);
    expect(() => trainTextClassifier(examples, { alpha: -1 })).toThrow(CarekitValidationError);
  });
  it('works with one category', () => {
    const one = trainTextClassifier([{ text: 'a b', category: 'x' }]);
    expect(one.classify({ body: 'a' })).toMatchObject({ category: 'x', confidence: 1 });
  });
});

describe('chainClassifiers', () => {
  const fixed = (category: string, confidence: number, name?: string): Classifier => ({
    ...(name ? { name } : {}),
    classify: () => ({ category, confidence, tags: [], explanation: category }),
  });
  const failing: Classifier = {
    name: 'broken',
    classify: () => {
      throw new Error('down');
    },
  };
  it('takes the first answer above its threshold, synchronously', () => {
    const chain = chainClassifiers([
      { classifier: fixed('a', 0.5, 'first'), threshold: 0.9 },
      fixed('b', 0.7),
    ]);
    const result = chain.classify({ body: '' }) as Classification;
    expect(result.category).toBe('b');
    expect(result.explanation).toContain('first: confidence 0.5 too low');
  });
  it('skips errors and rejections, and awaits async steps', async () => {
    const slowReject: Classifier = { classify: () => Promise.reject(new Error('timeout')) };
    const slow: Classifier = { name: 'llm', classify: async () => fixed('c', 0.95).classify({ body: '' }) };
    const result = await chainClassifiers([failing, slowReject, slow]).classify({ body: '' });
    expect(result.category).toBe('c');
    expect(result.explanation).toMatch(/broken failed: down.*timeout/);
  });
  it('returns the most confident answer when none clears the bar', async () => {
    const slowLow: Classifier = { classify: async () => fixed('d', 0.3).classify({ body: '' }) };
    const result = await chainClassifiers([fixed('a', 0.2), slowLow, fixed('b', 0.4)]).classify({ body: '' });
    expect(result.category).toBe('b');
    expect(result.explanation).toContain('none above its threshold');
  });
  it('falls back when every step fails', () => {
    const result = chainClassifiers([failing], { fallbackCategory: 'triage' }).classify({ body: '' });
    expect(result).toMatchObject({ category: 'triage', confidence: 0 });
  });
});

describe('parseCsv (test reader)', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,b\n"x, ""y""","1\n2"\r\nlast,')).toEqual([
      ['a', 'b'],
      ['x, "y"', '1\n2'],
      ['last', ''],
    ]);
  });
});

const bitext = fileURLToPath(new URL('../../../../shared/data/bitext/train.csv', import.meta.url));
const hasBitext = existsSync(bitext);
if (!hasBitext) console.warn(`Skipping the Bitext accuracy test: ${bitext} is absent.`);

describe.skipIf(!hasBitext)('accuracy on the Bitext data set (5-fold cross-validation)', () => {
  it('reaches at least 95% intent accuracy', () => {
    const rows = parseBitext(readFileSync(bitext, 'utf8'));
    expect(rows.length).toBeGreaterThan(1000);
    const folds = foldsOf(rows.length, 5);
    const truth: string[] = [];
    const predicted: string[] = [];
    for (let f = 0; f < 5; f++) {
      const model = trainTextClassifier(
        rows.filter((_, i) => folds[i] !== f).map((r) => ({ text: r.instruction, category: r.intent })),
      );
      rows.forEach((r, i) => {
        if (folds[i] !== f) return;
        truth.push(r.intent);
        predicted.push(model.classify({ body: r.instruction }).category);
      });
    }
    const { accuracy, macroF1 } = score(truth, predicted);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(macroF1).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
