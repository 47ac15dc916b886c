import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { tokenize } from '../../../src/routing/classify/tokenize.js';
import { ruleClassifier, textClassifierFromJSON, trainTextClassifier } from '../../../src/routing/index.js';
import { propertyRuns } from '../../support/runs.js';

const word = fc.constantFrom(
  'order',
  'refund',
  'parcel',
  'late',
  'broken',
  'money',
  'hoàn',
  'tiền',
  '退款',
  'x',
);
const text = fc.array(word, { maxLength: 8 }).map((w) => w.join(' '));
const examples = fc.array(fc.record({ text, category: fc.constantFrom('a', 'b', 'c') }), {
  minLength: 1,
  maxLength: 20,
});

describe('classification laws', () => {
  test.prop([examples, text], propertyRuns(100))(
    'toJSON/fromJSON is a round trip: the loaded model answers the same',
    (ex, body) => {
      const model = trainTextClassifier(ex);
      const loaded = textClassifierFromJSON(JSON.parse(JSON.stringify(model)));
      expect(loaded.classify({ body })).toEqual(model.classify({ body }));
      expect(loaded.toJSON()).toEqual(model.toJSON());
    },
  );

  test.prop([examples, text], propertyRuns(100))(
    'probabilities are in 0..1, sum to 1, and the winner has the largest',
    (ex, body) => {
      const model = trainTextClassifier(ex);
      const result = model.classify({ body });
      const p = Object.values(result.scores ?? {});
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBe(Math.max(...p));
    },
  );

  test.prop([examples], propertyRuns(100))('training order does not change the model', (ex) => {
    expect(trainTextClassifier([...ex].reverse()).toJSON()).toEqual(trainTextClassifier(ex).toJSON());
  });

  test.prop([fc.string({ maxLength: 200 })], propertyRuns(100))(
    'tokens are lower-case, NFKC and non-empty',
    (s) => {
      for (const token of tokenize(s)) {
        expect(token.length).toBeGreaterThan(0);
        expect(token).toBe(token.normalize('NFKC').toLowerCase());
      }
    },
  );

  test.prop(
    [
      fc.array(
        fc.record({
          category: fc.constantFrom('a', 'b', 'c'),
          keywords: fc.array(word, { minLength: 1, maxLength: 3 }),
          weight: fc.integer({ min: 1, max: 5 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      text,
    ],
    propertyRuns(100),
  )(
    'rule scores: the winner has the top score, confidence is its share, the answer is deterministic',
    (rules, body) => {
      const classifier = ruleClassifier(rules);
      const first = classifier.classify({ body });
      expect(classifier.classify({ body })).toEqual(first);
      if ('then' in first) throw new Error('sync expected');
      const scores = first.scores ?? {};
      const top = Math.max(0, ...Object.values(scores));
      if (Object.keys(scores).length === 0) expect(first.confidence).toBe(0);
      else expect(scores[first.category]).toBe(top);
      expect(first.confidence).toBeCloseTo(top, 12);
    },
  );
});
