import { checkFinite, MetricsArgumentError, readSafely } from './guards.js';

/**
 * A mergeable quantile sketch with relative-error guarantee, after DDSketch (Masson, Rim and
 * Lee, VLDB 2019): a value x > 0 goes to bucket ⌈log_γ x⌉ with γ = (1 + α) / (1 − α), and the
 * quantile estimate of a bucket is 2γ^k / (γ + 1), within relative error α of every value in it.
 *
 * Written here rather than taken from `@datadog/sketches-js` because carekit needs the state
 * to be plain JSON (partitions cross process boundaries and land in SQL or a job's output), and
 * that library serialises only to protobuf through a dependency it does not declare.
 */
export interface QuantileSketch {
  /** Relative accuracy α (default 0.01: estimates within 1%). */
  readonly alpha: number;
  /** Count per bucket key. */
  readonly buckets: Readonly<Record<string, number>>;
  /** Values ≤ 0 (durations of zero). */
  readonly zeros: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number | null;
  readonly max: number | null;
}

/**
 * An empty sketch with relative accuracy `alpha`.
 *
 * @example
 * ```ts
 * sketchQuantile([1, 2, 3, 100].reduce(addToSketch, emptySketch()), 0.5);
 * //=> 2.00 (within 1% of the exact median 2)
 * ```
 */
export function emptySketch(alpha = 0.01): QuantileSketch {
  checkAlpha(alpha, 'emptySketch');
  return { alpha, buckets: {}, zeros: 0, count: 0, sum: 0, min: null, max: null };
}

const gammaOf = (alpha: number) => (1 + alpha) / (1 - alpha);

function checkAlpha(alpha: unknown, fn: string, path: string[] = ['alpha']): void {
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1))
    throw new MetricsArgumentError(
      'invalid_sketch',
      path,
      `${fn}: the relative accuracy alpha must be a number between 0 and 1 (0.01 for 1%), got ${typeof alpha === 'number' ? alpha : typeof alpha}`,
    );
}

/**
 * Checks the shape of a sketch cheaply (its counters, not every bucket): made by `emptySketch`
 * and the functions here, or read back from their JSON.
 */
function checkSketch(sketch: unknown, fn: string, name: string): void {
  readSafely(fn, [name], () => {
    const s = sketch as Partial<Record<keyof QuantileSketch, unknown>> | null;
    const ok =
      typeof s === 'object' &&
      s !== null &&
      typeof s.buckets === 'object' &&
      s.buckets !== null &&
      // Number.isInteger and Number.isFinite are false for anything that is not a number.
      Number.isInteger(s.count) &&
      (s.count as number) >= 0 &&
      Number.isInteger(s.zeros) &&
      Number.isFinite(s.sum) &&
      (s.min === null || typeof s.min === 'number') &&
      (s.max === null || typeof s.max === 'number');
    if (!ok)
      throw new MetricsArgumentError(
        'invalid_sketch',
        [name],
        `${fn}: ${name} is not a quantile sketch (make one with emptySketch(), or read one back from its JSON)`,
      );
    checkAlpha(s.alpha, fn, [name, 'alpha']);
  });
}

/**
 * Adds a value (a new sketch; the input is not changed). A value at or below 0 counts as a zero.
 *
 * @throws MetricsArgumentError `invalid_argument` for a value that is not a finite number (NaN
 *   would make every quantile NaN), `invalid_sketch` for anything that is not a sketch.
 * @example
 * ```ts
 * addToSketch(emptySketch(), 42).count;
 * //=> 1
 * ```
 */
export function addToSketch(sketch: QuantileSketch, value: number): QuantileSketch {
  checkSketch(sketch, 'addToSketch', 'sketch');
  checkFinite(value, 'addToSketch', 'value', 'a finite number (a duration in ms)');
  const buckets = { ...sketch.buckets };
  let zeros = sketch.zeros;
  if (value <= 0) zeros++;
  else {
    const key = String(Math.ceil(Math.log(value) / Math.log(gammaOf(sketch.alpha))));
    buckets[key] = (buckets[key] ?? 0) + 1;
  }
  return {
    alpha: sketch.alpha,
    buckets,
    zeros,
    count: sketch.count + 1,
    sum: sketch.sum + value,
    min: sketch.min === null ? value : Math.min(sketch.min, value),
    max: sketch.max === null ? value : Math.max(sketch.max, value),
  };
}

/**
 * Adds a value to a sketch the caller owns, in place (what the accumulators use inside a fold:
 * copying the buckets on every add made a million tickets take seconds). The caller has checked
 * that `value` is a finite number.
 *
 * @internal
 */
export function addToSketchInPlace(sketch: QuantileSketch, value: number): void {
  const mutable = sketch as { -readonly [K in keyof QuantileSketch]: QuantileSketch[K] };
  if (value <= 0) mutable.zeros++;
  else {
    const buckets = sketch.buckets as Record<string, number>;
    const key = Math.ceil(Math.log(value) / logGamma(sketch.alpha));
    buckets[key] = (buckets[key] ?? 0) + 1;
  }
  mutable.count++;
  mutable.sum += value;
  mutable.min = sketch.min === null ? value : Math.min(sketch.min, value);
  mutable.max = sketch.max === null ? value : Math.max(sketch.max, value);
}

let cachedAlpha = Number.NaN;
let cachedLogGamma = Number.NaN;
function logGamma(alpha: number): number {
  // Stryker disable next-line ConditionalExpression: always recomputing gives the same logarithm; the cache only saves the time.
  if (alpha !== cachedAlpha) {
    cachedAlpha = alpha;
    cachedLogGamma = Math.log(gammaOf(alpha));
  }
  return cachedLogGamma;
}

/**
 * Merges two sketches of the same accuracy: exactly the sketch of both inputs together.
 *
 * @throws MetricsArgumentError `incompatible_sketches` when the accuracies differ, `invalid_sketch`
 *   for anything that is not a sketch.
 * @example
 * ```ts
 * mergeSketches(addToSketch(emptySketch(), 1), addToSketch(emptySketch(), 3)).count;
 * //=> 2
 * ```
 */
export function mergeSketches(a: QuantileSketch, b: QuantileSketch): QuantileSketch {
  checkSketch(a, 'mergeSketches', 'a');
  checkSketch(b, 'mergeSketches', 'b');
  if (a.alpha !== b.alpha)
    throw new MetricsArgumentError(
      'incompatible_sketches',
      ['b', 'alpha'],
      `mergeSketches: cannot merge sketches of accuracy ${a.alpha} and ${b.alpha}; make both with the same alpha`,
    );
  const buckets: Record<string, number> = { ...a.buckets };
  for (const [key, count] of Object.entries(b.buckets)) buckets[key] = (buckets[key] ?? 0) + count;
  const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) =>
    x === null ? y : y === null ? x : f(x, y);
  return {
    alpha: a.alpha,
    buckets,
    zeros: a.zeros + b.zeros,
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: pick(a.min, b.min, Math.min),
    max: pick(a.max, b.max, Math.max),
  };
}

/**
 * The q-quantile (0..1) estimate by the nearest-rank method: within relative error α of the value
 * of rank ⌈q·n⌉ (at least 1) in ascending order — the smallest value with at least a share q of
 * the values at or below it — or null for an empty sketch. So `q = 1` is the largest value and
 * the p90 of two values is the larger one.
 *
 * @example
 * ```ts
 * sketchQuantile([600_000, 1_800_000].reduce(addToSketch, emptySketch()), 0.9);
 * //=> 1800000 (the larger of the two, within 1%)
 * sketchQuantile(emptySketch(), 0.9);
 * //=> null
 * ```
 */
export function sketchQuantile(sketch: QuantileSketch, q: number): number | null {
  checkSketch(sketch, 'sketchQuantile', 'sketch');
  if (typeof q !== 'number' || !(q >= 0 && q <= 1))
    throw new MetricsArgumentError(
      'invalid_quantile',
      ['q'],
      `sketchQuantile: q must be a number from 0 to 1 (0.5 for the median), got ${typeof q === 'number' ? q : typeof q}`,
    );
  // The 0-based index of the value of rank ⌈q·n⌉.
  const rank = Math.max(1, Math.ceil(q * sketch.count)) - 1;
  if (rank < sketch.zeros) return 0;
  const gamma = gammaOf(sketch.alpha);
  const keys = Object.keys(sketch.buckets)
    .map(Number)
    .sort((x, y) => x - y);
  let seen = sketch.zeros;
  for (const key of keys) {
    seen += sketch.buckets[String(key)]!;
    if (seen > rank) {
      const estimate = (2 * gamma ** key) / (gamma + 1);
      return Math.min(Math.max(estimate, sketch.min ?? estimate), sketch.max ?? estimate);
    }
  }
  // An empty sketch has no zeros and no buckets: it ends here, with its max of null.
  return sketch.max;
}
