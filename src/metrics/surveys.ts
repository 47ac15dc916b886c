import { z } from 'zod';
import type { Accumulator } from './accumulator.js';
import { fold } from './accumulator.js';
import { checkScores, MetricsArgumentError, parseOptions } from './guards.js';
import { type KpiResult, kpi } from './result.js';

/** A survey score to count. */
export interface ScoreItem {
  readonly score: number;
}

/** The plain-JSON partial state of a survey accumulator: counts that merge by addition. */
export interface CountState {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
  readonly hits: number;
  readonly misses: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Number.isFinite as a type guard: it is false for every non-number, so no typeof check beside it.
const isFiniteNumber = (x: unknown): x is number => Number.isFinite(x);

/** The score of an answer, refused unless a finite number (in range): a NaN would make the KPI NaN. */
function scoreOf(item: ScoreItem, fn: string, min = -Infinity, max = Infinity): number {
  const score: unknown = (item as ScoreItem | null)?.score;
  if (isFiniteNumber(score) && score >= min && score <= max) return score;
  throw new MetricsArgumentError(
    'invalid_scores',
    ['score'],
    `${fn}: expected an answer { score } with a finite score${Number.isFinite(min) ? ` from ${min} to ${max}` : ''}, got ${typeof score === 'number' ? score : typeof score}`,
  );
}

const emptyCount = (): CountState => ({ n: 0, sum: 0, sumSquares: 0, hits: 0, misses: 0 });
const mergeCount = (a: CountState, b: CountState): CountState => ({
  n: a.n + b.n,
  sum: a.sum + b.sum,
  sumSquares: a.sumSquares + b.sumSquares,
  hits: a.hits + b.hits,
  misses: a.misses + b.misses,
});

/** NPS with its counts and a 95% margin of error (in NPS points). */
export interface NpsResult extends KpiResult {
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly marginOfError: number | null;
}

const NPS_DEFINITION =
  'NPS (Bain & Company): % promoters (9–10) − % detractors (0–6) of 0–10 answers, −100..100';

/**
 * The Net Promoter Score accumulator: promoters score 9–10, detractors 0–6; NPS is the share
 * of promoters minus the share of detractors, in points from −100 to 100. The margin of error
 * is 1.96 standard errors of that difference (answers scored +1, 0, −1).
 *
 * @example
 * ```ts
 * fold(npsAccumulator(), [...Array(30).fill({ score: 10 }), ...Array(50).fill({ score: 8 }), ...Array(20).fill({ score: 2 })]).value;
 * //=> 10
 * ```
 */
export function npsAccumulator(): Accumulator<ScoreItem, CountState, NpsResult> {
  return {
    empty: emptyCount,
    // In place: a fold owns its state (see Accumulator).
    add: (s, item) => {
      const score = scoreOf(item, 'npsAccumulator.add', 0, 10);
      const v = score >= 9 ? 1 : score <= 6 ? -1 : 0;
      const m = s as Mutable<CountState>;
      m.n++;
      m.sum += v;
      m.sumSquares += v * v;
      if (v === 1) m.hits++;
      if (v === -1) m.misses++;
      return s;
    },
    merge: mergeCount,
    result: (s) => {
      // With no answers both are NaN, and kpi() gives the value null with its reason.
      const mean = s.sum / s.n;
      const variance = s.sumSquares / s.n - mean * mean;
      return kpi(
        100 * mean,
        s.n,
        NPS_DEFINITION,
        {
          promoters: s.hits,
          passives: s.n - s.hits - s.misses,
          detractors: s.misses,
          marginOfError: s.n === 0 ? null : 100 * 1.96 * Math.sqrt(Math.max(variance, 0) / s.n),
        },
        'no NPS answers',
      );
    },
  };
}

/**
 * NPS of a list of 0–10 scores.
 *
 * @example
 * ```ts
 * nps([10, 9, 8, 3]).value;
 * //=> 25
 * ```
 */
export function nps(scores: readonly number[]): NpsResult {
  checkScores(scores, 'nps', 0, 10);
  return fold(
    npsAccumulator(),
    scores.map((score) => ({ score })),
  );
}

/** Options of CSAT. */
export interface CsatOptions {
  /** Scores counted as satisfied. Default 4 and 5 (of 1–5). */
  readonly satisfied?: readonly number[];
}

const CsatOptionsSchema = z.strictObject({ satisfied: z.array(z.number().finite()).min(1).optional() });

/** CSAT: the share of satisfied answers, and the mean score. */
export interface CsatResult extends KpiResult {
  readonly satisfied: number;
  readonly mean: number | null;
}

/**
 * The CSAT accumulator: the percentage of answers that are satisfied (default 4–5 on 1–5).
 *
 * @example
 * ```ts
 * csat([5, 5, 4, 4, 5, 4, 5, 4, 2, 1]).value;
 * //=> 80
 * ```
 */
export function csatAccumulator(options: CsatOptions = {}): Accumulator<ScoreItem, CountState, CsatResult> {
  const o = parseOptions<CsatOptions>(CsatOptionsSchema, options, 'csat');
  const good = new Set(o.satisfied ?? [4, 5]);
  const definition = `CSAT: % of answers scoring ${[...good].sort((x, y) => x - y).join(' or ')} (the mean score beside it)`;
  return {
    empty: emptyCount,
    add: (s, item) => {
      const score = scoreOf(item, 'csatAccumulator.add');
      const m = s as Mutable<CountState>;
      m.n++;
      m.sum += score;
      m.sumSquares += score * score;
      if (good.has(score)) m.hits++;
      return s;
    },
    merge: mergeCount,
    result: (s) =>
      kpi(
        (100 * s.hits) / s.n,
        s.n,
        definition,
        { satisfied: s.hits, mean: s.n === 0 ? null : s.sum / s.n },
        'no CSAT answers',
      ),
  };
}

/**
 * CSAT of a list of scores.
 *
 * @example
 * ```ts
 * csat([5, 4, 1]).satisfied;
 * //=> 2
 * ```
 */
export function csat(scores: readonly number[], options: CsatOptions = {}): CsatResult {
  const acc = csatAccumulator(options);
  checkScores(scores, 'csat');
  return fold(
    acc,
    scores.map((score) => ({ score })),
  );
}

/** Options of CES. */
export interface CesOptions {
  /** Scores counted as agreeing that the issue was easy to handle. Default 5–7 (of 1–7). */
  readonly agreeAtLeast?: number;
}

const CesOptionsSchema = z.strictObject({ agreeAtLeast: z.number().finite().optional() });

/** CES: the mean effort score and the share agreeing. */
export interface CesResult extends KpiResult {
  readonly agreeing: number;
  readonly shareAgreeing: number | null;
}

/**
 * The Customer Effort Score accumulator (Gartner's CES 2.0, "the company made it easy to
 * handle my issue", 1–7): the mean score, and the share agreeing (≥ 5 by default).
 *
 * @example
 * ```ts
 * ces([4, 5, 6, 7, 7]).value;
 * //=> 5.8
 * ```
 */
export function cesAccumulator(options: CesOptions = {}): Accumulator<ScoreItem, CountState, CesResult> {
  const agree = parseOptions<CesOptions>(CesOptionsSchema, options, 'ces').agreeAtLeast ?? 5;
  const definition = `CES (Gartner CES 2.0): mean of 1–7 answers; agreeing means ${agree} or more`;
  return {
    empty: emptyCount,
    add: (s, item) => {
      const score = scoreOf(item, 'cesAccumulator.add');
      const m = s as Mutable<CountState>;
      m.n++;
      m.sum += score;
      m.sumSquares += score * score;
      if (score >= agree) m.hits++;
      return s;
    },
    merge: mergeCount,
    result: (s) =>
      kpi(
        s.sum / s.n,
        s.n,
        definition,
        { agreeing: s.hits, shareAgreeing: s.n === 0 ? null : (100 * s.hits) / s.n },
        'no CES answers',
      ),
  };
}

/**
 * CES of a list of 1–7 scores.
 *
 * @example
 * ```ts
 * ces([7, 7, 3]).agreeing;
 * //=> 2
 * ```
 */
export function ces(scores: readonly number[], options: CesOptions = {}): CesResult {
  const acc = cesAccumulator(options);
  checkScores(scores, 'ces');
  return fold(
    acc,
    scores.map((score) => ({ score })),
  );
}
