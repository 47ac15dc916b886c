// Survey KPIs (NPS, CSAT, CES): their worked values, the counts beside them, and what they refuse.
import { describe, expect, it } from 'vitest';
import {
  ces,
  cesAccumulator,
  csat,
  csatAccumulator,
  fold,
  foldState,
  nps,
  npsAccumulator,
} from '../../src/metrics/index.js';
import { CarekitError } from '../../src/model/index.js';

/** The carekit error `run` throws, as data. */
function refusal(run: () => unknown): { code: string; path: unknown; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitError);
    const e = error as CarekitError & { path?: unknown; issues?: { code: string; path: unknown }[] };
    const issue = e.issues?.[0];
    return { code: issue?.code ?? e.code, path: issue?.path ?? e.path, message: e.message };
  }
  throw new Error('expected a refusal');
}

const answers = (scores: readonly number[]) => scores.map((score) => ({ score }));

describe('NPS', () => {
  it('30 promoters, 50 passives and 20 detractors: +10 within 13.72 points (1.96 standard errors)', () => {
    // Scored +1, 0, −1: mean 0.1, variance 0.5 − 0.01 = 0.49, standard error 0.7 / √100 = 0.07.
    const scores = [...Array(30).fill(9), ...Array(50).fill(8), ...Array(20).fill(6)];
    const result = nps(scores);
    expect(result).toMatchObject({ value: 10, n: 100, promoters: 30, passives: 50, detractors: 20 });
    expect(result.marginOfError).toBeCloseTo(13.72, 10);
    expect(result.definition).toMatch(/^NPS \(Bain & Company\)/);
  });

  it('all promoters: +100 with no margin of error', () => {
    expect(nps([10, 9, 10])).toMatchObject({ value: 100, marginOfError: 0 });
  });

  it('no answers: no value, no margin, a reason', () => {
    expect(fold(npsAccumulator(), [])).toMatchObject({
      value: null,
      n: 0,
      reason: 'no NPS answers',
      promoters: 0,
      passives: 0,
      detractors: 0,
      marginOfError: null,
    });
  });

  it('the accumulator refuses an answer out of 0–10, or not a finite number, saying what it got', () => {
    for (const score of [11, -1, 10.5]) {
      expect(refusal(() => fold(npsAccumulator(), answers([score])))).toEqual({
        code: 'invalid_scores',
        path: ['score'],
        message: `npsAccumulator.add: expected an answer { score } with a finite score from 0 to 10, got ${score}`,
      });
    }
    expect(refusal(() => fold(npsAccumulator(), [{ score: Number.NaN }])).message).toMatch(/, got NaN$/);
    expect(refusal(() => fold(npsAccumulator(), [{ score: '9' as never }])).message).toMatch(/, got string$/);
    expect(refusal(() => fold(npsAccumulator(), [null as never])).message).toMatch(/, got undefined$/);
    expect(fold(npsAccumulator(), answers([0, 10])).n).toBe(2);
  });

  it('nps() refuses a list with a score out of range, naming itself', () => {
    expect(refusal(() => nps([3, 11])).message).toMatch(/^nps: /);
  });
});

describe('CSAT', () => {
  it('the state holds the counts, the sum and the sum of squares, as plain JSON', () => {
    expect(foldState(csatAccumulator(), answers([5, 3, 4]))).toEqual({
      n: 3,
      sum: 12,
      sumSquares: 50,
      hits: 2,
      misses: 0,
    });
  });

  it('its definition names the satisfied scores in numeric order', () => {
    expect(csat([5]).definition).toBe('CSAT: % of answers scoring 4 or 5 (the mean score beside it)');
    expect(csat([9], { satisfied: [10, 9, 8] }).definition).toBe(
      'CSAT: % of answers scoring 8 or 9 or 10 (the mean score beside it)',
    );
  });

  it('no answers: no value and no mean, a reason', () => {
    expect(csat([])).toMatchObject({
      value: null,
      n: 0,
      satisfied: 0,
      mean: null,
      reason: 'no CSAT answers',
    });
  });

  it('refuses a bad score or option, naming the function', () => {
    expect(refusal(() => fold(csatAccumulator(), [{ score: Number.POSITIVE_INFINITY }]))).toEqual({
      code: 'invalid_scores',
      path: ['score'],
      message: 'csatAccumulator.add: expected an answer { score } with a finite score, got Infinity',
    });
    expect(refusal(() => fold(csatAccumulator(), [{ score: '5' as never }])).message).toMatch(
      /, got string$/,
    );
    expect(refusal(() => csat([5, Number.NaN])).message).toMatch(/^csat: /);
    expect(refusal(() => csat([5], { satisfied: [] })).message).toBe(
      'Invalid csat options: 1 problem\n  - csat options: satisfied: needs at least 1 item',
    );
  });
});

describe('CES', () => {
  it('mean 5.8, four of five agreeing (80 %); the threshold is an option', () => {
    const result = ces([4, 5, 6, 7, 7]);
    expect(result.value).toBeCloseTo(5.8, 10);
    expect(result).toMatchObject({ n: 5, agreeing: 4, shareAgreeing: 80 });
    expect(result.definition).toBe('CES (Gartner CES 2.0): mean of 1–7 answers; agreeing means 5 or more');
    expect(ces([4, 5, 6, 7, 7], { agreeAtLeast: 7 })).toMatchObject({ agreeing: 2, shareAgreeing: 40 });
    expect(ces([1], { agreeAtLeast: 7 }).definition).toMatch(/agreeing means 7 or more$/);
  });

  it('the state holds the sum of squares too', () => {
    expect(foldState(cesAccumulator(), answers([7, 2]))).toEqual({
      n: 2,
      sum: 9,
      sumSquares: 53,
      hits: 1,
      misses: 0,
    });
  });

  it('no answers: no value and no share, a reason', () => {
    expect(ces([])).toMatchObject({
      value: null,
      n: 0,
      agreeing: 0,
      shareAgreeing: null,
      reason: 'no CES answers',
    });
  });

  it('refuses a bad score or option, naming the function', () => {
    expect(refusal(() => fold(cesAccumulator(), [{ score: Number.NaN }])).message).toBe(
      'cesAccumulator.add: expected an answer { score } with a finite score, got NaN',
    );
    expect(refusal(() => ces([5, Number.NaN])).message).toMatch(/^ces: /);
    expect(refusal(() => ces([5], { agreeAtLeast: Number.NaN })).message).toBe(
      'Invalid ces options: 1 problem\n  - ces options: agreeAtLeast: expected a number, got NaN',
    );
  });
});
