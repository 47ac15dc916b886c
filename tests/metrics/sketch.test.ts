// Worked examples of the quantile sketch behind the p50/p90 of duration KPIs: its buckets, its
// estimates within the relative accuracy alpha, merging, and the refusals of a bad argument.
import { describe, expect, it } from 'vitest';
import {
  addToSketch,
  type DurationState,
  durationAccumulator,
  emptySketch,
  fold,
  mergeSketches,
  type QuantileSketch,
  sketchQuantile,
} from '../../src/metrics/index.js';
import { CarekitError } from '../../src/model/index.js';

const sketchOf = (values: number[], alpha = 0.01) => values.reduce(addToSketch, emptySketch(alpha));

/** The carekit error `run` throws, as data. */
function refusal(run: () => unknown): { code: string; path: unknown; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitError);
    const e = error as CarekitError & { path?: unknown };
    return { code: e.code, path: e.path, message: e.message };
  }
  throw new Error('expected a refusal');
}

const notASketch = (fn: string, name: string) => ({
  code: 'invalid_sketch',
  path: [name],
  message: `${fn}: ${name} is not a quantile sketch (make one with emptySketch(), or read one back from its JSON)`,
});

describe('emptySketch', () => {
  it('is plain JSON with no values, at 1% by default', () => {
    expect(emptySketch()).toEqual({
      alpha: 0.01,
      buckets: {},
      zeros: 0,
      count: 0,
      sum: 0,
      min: null,
      max: null,
    });
    expect(emptySketch(0.05).alpha).toBe(0.05);
    expect(emptySketch(0.999).alpha).toBe(0.999);
  });

  it('refuses an alpha that is not strictly between 0 and 1', () => {
    const advice = 'emptySketch: the relative accuracy alpha must be a number between 0 and 1 (0.01 for 1%)';
    for (const alpha of [0, 1, -0.01, 2, Number.NaN])
      expect(refusal(() => emptySketch(alpha))).toEqual({
        code: 'invalid_sketch',
        path: ['alpha'],
        message: `${advice}, got ${alpha}`,
      });
    expect(refusal(() => emptySketch('0.5' as never))).toEqual({
      code: 'invalid_sketch',
      path: ['alpha'],
      message: `${advice}, got string`,
    });
  });
});

describe('addToSketch', () => {
  it('counts a value in bucket ⌈log_γ x⌉, γ = (1 + α) / (1 − α), and keeps count, sum, min and max', () => {
    expect(addToSketch(emptySketch(), 100)).toEqual({
      alpha: 0.01,
      buckets: { '231': 1 },
      zeros: 0,
      count: 1,
      sum: 100,
      min: 100,
      max: 100,
    });
    expect(sketchOf([1000, 100, 1001, 4000])).toEqual({
      alpha: 0.01,
      buckets: { '231': 1, '346': 2, '415': 1 },
      zeros: 0,
      count: 4,
      sum: 6101,
      min: 100,
      max: 4000,
    });
    // Values below 1 ms fall in negative buckets.
    expect(sketchOf([0.5, 0.25]).buckets).toEqual({ '-34': 1, '-69': 1 });
    expect(sketchOf([100, 1000], 0.05).buckets).toEqual({ '47': 1, '70': 1 });
  });

  it('counts a value at or below 0 as a zero (in no bucket), with its sum, min and max', () => {
    expect(sketchOf([0, -5, 10])).toEqual({
      alpha: 0.01,
      buckets: { '116': 1 },
      zeros: 2,
      count: 3,
      sum: 5,
      min: -5,
      max: 10,
    });
    expect(addToSketch(emptySketch(), -5)).toEqual({
      alpha: 0.01,
      buckets: {},
      zeros: 1,
      count: 1,
      sum: -5,
      min: -5,
      max: -5,
    });
  });

  it('returns a new sketch and leaves its input unchanged', () => {
    const one = addToSketch(emptySketch(), 100);
    const two = addToSketch(one, 100);
    expect(two.buckets).toEqual({ '231': 2 });
    expect(one).toEqual({
      alpha: 0.01,
      buckets: { '231': 1 },
      zeros: 0,
      count: 1,
      sum: 100,
      min: 100,
      max: 100,
    });
  });

  it('accepts a sketch read back from its JSON', () => {
    const back = JSON.parse(JSON.stringify(sketchOf([100, 0]))) as QuantileSketch;
    expect(addToSketch(back, 100)).toEqual(sketchOf([100, 0, 100]));
  });

  it('refuses a value that is not a finite number', () => {
    expect(refusal(() => addToSketch(emptySketch(), Number.NaN))).toEqual({
      code: 'invalid_argument',
      path: ['value'],
      message: 'addToSketch: value must be a finite number (a duration in ms), got number NaN',
    });
  });

  it('refuses anything that is not a sketch, naming the counter that is wrong by its shape', () => {
    const good = sketchOf([100]);
    const bad: unknown[] = [
      null,
      42,
      'a sketch',
      Object.assign(() => 0, good),
      { ...good, buckets: null },
      { ...good, buckets: 5 },
      { ...good, buckets: undefined },
      { ...good, count: '1' },
      { ...good, count: 1.5 },
      { ...good, count: -1 },
      { ...good, zeros: '0' },
      { ...good, zeros: 0.5 },
      { ...good, sum: '100' },
      { ...good, sum: Number.NaN },
      { ...good, sum: Number.POSITIVE_INFINITY },
      { ...good, min: '100' },
      { ...good, max: '100' },
    ];
    for (const sketch of bad)
      expect(refusal(() => addToSketch(sketch as never, 1))).toEqual(notASketch('addToSketch', 'sketch'));
    // A sketch with no values yet has no min and max; zero is a count.
    expect(addToSketch({ ...good, min: null, max: null, count: 0 }, 1).count).toBe(1);
  });

  it('refuses a sketch whose alpha is not a relative accuracy, with the path to it', () => {
    expect(refusal(() => addToSketch({ ...emptySketch(), alpha: 1 }, 1))).toEqual({
      code: 'invalid_sketch',
      path: ['sketch', 'alpha'],
      message:
        'addToSketch: the relative accuracy alpha must be a number between 0 and 1 (0.01 for 1%), got 1',
    });
    const { alpha: _, ...noAlpha } = emptySketch();
    expect(refusal(() => addToSketch(noAlpha as never, 1)).message).toBe(
      'addToSketch: the relative accuracy alpha must be a number between 0 and 1 (0.01 for 1%), got undefined',
    );
  });

  it('turns a sketch that throws when read into a refusal', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(refusal(() => addToSketch(throwing as never, 1))).toEqual({
      code: 'unreadable_argument',
      path: ['sketch'],
      message: 'addToSketch: sketch could not be read (trap); pass plain data',
    });
  });
});

describe('mergeSketches', () => {
  it('is exactly the sketch of both inputs together', () => {
    const a = sketchOf([1000, 0, 4000]);
    const b = sketchOf([1001, -5, 100, 0.5]);
    expect(mergeSketches(a, b)).toEqual(sketchOf([1000, 0, 4000, 1001, -5, 100, 0.5]));
    expect(mergeSketches(a, b)).toEqual({
      alpha: 0.01,
      buckets: { '-34': 1, '231': 1, '346': 2, '415': 1 },
      zeros: 2,
      count: 7,
      sum: 6096.5,
      min: -5,
      max: 4000,
    });
  });

  it('takes min and max from the side that has values', () => {
    const some = sketchOf([100, 1000]);
    expect(mergeSketches(emptySketch(), some)).toEqual(some);
    expect(mergeSketches(some, emptySketch())).toEqual(some);
    expect(mergeSketches(emptySketch(), emptySketch())).toEqual(emptySketch());
    expect(mergeSketches(sketchOf([1000]), sketchOf([100]))).toMatchObject({ min: 100, max: 1000 });
    expect(mergeSketches(sketchOf([100]), sketchOf([1000]))).toMatchObject({ min: 100, max: 1000 });
  });

  it('refuses sketches of different accuracies', () => {
    expect(refusal(() => mergeSketches(emptySketch(0.01), emptySketch(0.02)))).toEqual({
      code: 'incompatible_sketches',
      path: ['b', 'alpha'],
      message:
        'mergeSketches: cannot merge sketches of accuracy 0.01 and 0.02; make both with the same alpha',
    });
  });

  it('refuses anything that is not a sketch on either side', () => {
    expect(refusal(() => mergeSketches(null as never, emptySketch()))).toEqual(
      notASketch('mergeSketches', 'a'),
    );
    expect(refusal(() => mergeSketches(emptySketch(), {} as never))).toEqual(
      notASketch('mergeSketches', 'b'),
    );
    expect(refusal(() => mergeSketches(emptySketch(), { ...emptySketch(), alpha: 0 })).path).toEqual([
      'b',
      'alpha',
    ]);
  });
});

describe('sketchQuantile', () => {
  // γ = 1.01 / 0.99; the estimate of bucket k is 2γ^k / (γ + 1).
  const four = sketchOf([1000, 2000, 3000, 4000]);

  it('estimates the value of rank ⌈q·n⌉ (at least 1) from its bucket', () => {
    expect([0, 0.25, 0.26, 0.5, 0.51, 0.75, 0.76, 1].map((q) => sketchQuantile(four, q))).toEqual([
      1002.42800852213, 1002.42800852213, 2018.6892212309394, 2018.6892212309394, 3011.5705935108144,
      3011.5705935108144, 3984.7360271605235, 3984.7360271605235,
    ]);
  });

  it('stays within the relative accuracy alpha of the exact value', () => {
    const values = [1000, 2000, 3000, 4000];
    for (const [i, q] of [0.25, 0.5, 0.75, 1].entries()) {
      const estimate = sketchQuantile(four, q) as number;
      expect(Math.abs(estimate - values[i]!)).toBeLessThanOrEqual(0.01 * values[i]!);
    }
    const coarse = sketchOf([100, 1000], 0.05);
    expect(sketchQuantile(coarse, 0.5)).toBe(104.86032828007926);
    expect(sketchQuantile(coarse, 0.5)).not.toBe(sketchQuantile(sketchOf([100, 1000]), 0.5));
  });

  it('walks the buckets in ascending order, negative ones (values below 1 ms) first', () => {
    const s = sketchOf([100, 0.5, 0.25]);
    expect([0, 0.34, 0.67, 1].map((q) => sketchQuantile(s, q))).toEqual([0.25, 0.5015394534033262, 100, 100]);
  });

  it('keeps an estimate between the smallest and the largest value', () => {
    // The bucket estimates of 100 (100.49…) and 2 (1.99…) lie above and below the value itself.
    for (const q of [0, 0.5, 1]) {
      expect(sketchQuantile(sketchOf([100]), q)).toBe(100);
      expect(sketchQuantile(sketchOf([2]), q)).toBe(2);
    }
  });

  it('answers 0 while the rank falls among the zeros', () => {
    const s = sketchOf([0, 10]);
    expect([0, 0.5, 0.51, 1].map((q) => sketchQuantile(s, q))).toEqual([0, 0, 10, 10]);
    expect(sketchQuantile(sketchOf([0, -5, 10]), 0.66)).toBe(0);
    expect(sketchQuantile(sketchOf([0, -5, 10]), 0.67)).toBe(10);
  });

  it('is null for an empty sketch', () => {
    expect(sketchQuantile(emptySketch(), 0)).toBeNull();
    expect(sketchQuantile(emptySketch(), 1)).toBeNull();
  });

  it('refuses a q outside 0..1, and anything that is not a sketch', () => {
    const advice = 'sketchQuantile: q must be a number from 0 to 1 (0.5 for the median)';
    for (const q of [-0.01, 1.01, Number.NaN])
      expect(refusal(() => sketchQuantile(four, q))).toEqual({
        code: 'invalid_quantile',
        path: ['q'],
        message: `${advice}, got ${q}`,
      });
    expect(refusal(() => sketchQuantile(four, '0.5' as never)).message).toBe(`${advice}, got string`);
    expect(refusal(() => sketchQuantile([] as never, 0.5))).toEqual(notASketch('sketchQuantile', 'sketch'));
  });
});

describe('the duration accumulator’s sketch', () => {
  const acc = durationAccumulator((ms: number) => ms, 'test');

  it('is the sketch addToSketch makes of the same durations (negative ones count as 0)', () => {
    // The largest value comes before the last one, the smallest neither first nor last.
    const values = [1000, 4000, 0, 4000, 1001, 100, 0.5, 0.25];
    expect(fold(acc, values)).toMatchObject({ n: 8 });
    const state = values.reduce((s, v) => acc.add(s, v), acc.empty());
    expect(state.sketch).toEqual(sketchOf(values));
    const first = acc.add(acc.empty(), 100);
    expect(first.sketch).toEqual(sketchOf([100]));
    expect(acc.add(acc.empty(), -5).sketch).toEqual(sketchOf([0]));
  });

  it('uses the accuracy of the sketch in the state it is given', () => {
    // The accumulator adds in place: each state here is a new one.
    const coarse = (): DurationState => ({ sketch: emptySketch(0.05) });
    const fine = (): DurationState => ({ sketch: emptySketch(0.01) });
    const a = acc.add(coarse(), 1000);
    const b = acc.add(fine(), 1000);
    expect([a.sketch.buckets, b.sketch.buckets]).toEqual([{ '70': 1 }, { '346': 1 }]);
    expect(acc.add(acc.add(coarse(), 100), 1000).sketch).toEqual(sketchOf([100, 1000], 0.05));
  });
});
