// fold and foldState: a refusal names the function called and the argument at fault.
import { describe, expect, it } from 'vitest';
import { fold, foldState, npsAccumulator } from '../../src/metrics/index.js';
import { CarekitError } from '../../src/model/index.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitError);
    const e = error as CarekitError & { path: unknown };
    return { code: e.code, path: e.path, message: e.message };
  }
  throw new Error('expected a refusal');
};

describe('fold and foldState', () => {
  it('fold gives the result, foldState the state it comes from', () => {
    const acc = npsAccumulator();
    const answers = [10, 9, 7, 3].map((score) => ({ score }));
    expect(fold(acc, answers)).toEqual(acc.result(foldState(acc, answers)));
    expect(fold(acc, new Set(answers))).toMatchObject({ value: 25, n: 4, promoters: 2, detractors: 1 });
  });

  for (const [fn, run] of [
    ['fold', fold],
    ['foldState', foldState],
  ] as const) {
    it(`${fn} refuses what is not an accumulator, or items that cannot be iterated, naming itself`, () => {
      expect(refusal(() => run(null as never, []))).toEqual({
        code: 'invalid_accumulator',
        path: ['acc'],
        message: `${fn}: expected an accumulator { empty, add, merge, result } (e.g. npsAccumulator()), got null`,
      });
      expect(refusal(() => run({ ...npsAccumulator(), merge: 1 } as never, []))).toEqual({
        code: 'invalid_accumulator',
        path: ['acc', 'merge'],
        message: `${fn}: the accumulator has no merge function (an accumulator has empty, add, merge and result)`,
      });
      expect(refusal(() => run(npsAccumulator(), 5 as never))).toEqual({
        code: 'invalid_argument',
        path: ['items'],
        message: `${fn}: items must be iterable (an array of items), got number 5`,
      });
    });
  }
});
