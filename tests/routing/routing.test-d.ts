import { describe, expectTypeOf, it } from 'vitest';
import {
  type Classification,
  type Classifier,
  chainClassifiers,
  type TextClassifier,
  trainTextClassifier,
} from '../../src/routing/index.js';

describe('classification types', () => {
  it('a text classifier answers synchronously; a generic classifier may not', () => {
    expectTypeOf(trainTextClassifier).returns.toEqualTypeOf<TextClassifier>();
    expectTypeOf<ReturnType<TextClassifier['classify']>>().toEqualTypeOf<Classification>();
    expectTypeOf<ReturnType<Classifier['classify']>>().toEqualTypeOf<
      Classification | Promise<Classification>
    >();
    expectTypeOf(chainClassifiers).returns.toEqualTypeOf<Classifier>();
  });
  it('needs a body', () => {
    const c = trainTextClassifier([{ text: 'a', category: 'x' }]);
    // @ts-expect-error body is required
    c.classify({ subject: 'a' });
  });
});
