// Every metrics function refuses a bad argument with a carekit error: a code, a path, a sentence.
import { describe, expect, it } from 'vitest';
import {
  addToSketch,
  createReportStream,
  csat,
  customerJourney,
  durationAccumulator,
  emptySketch,
  fold,
  formatReport,
  kpiReport,
  kpiReportAccumulator,
  mergeSketches,
  npsAccumulator,
  sketchQuantile,
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

const throwing = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
    ownKeys() {
      throw new Error('trap');
    },
    getPrototypeOf() {
      throw new Error('trap');
    },
  },
);

describe('metrics arguments', () => {
  it('addToSketch refuses NaN and Infinity (it returned a NaN sketch) and anything that is not a sketch', () => {
    expect(refusal(() => addToSketch(emptySketch(), Number.NaN))).toMatchObject({
      code: 'invalid_argument',
      path: ['value'],
    });
    expect(refusal(() => addToSketch(emptySketch(), Number.POSITIVE_INFINITY)).code).toBe('invalid_argument');
    expect(refusal(() => addToSketch({} as never, 1))).toMatchObject({
      code: 'invalid_sketch',
      path: ['sketch'],
    });
    // A sketch read back from JSON still works.
    const back = JSON.parse(JSON.stringify(addToSketch(emptySketch(), 5)));
    expect(addToSketch(back, 7).count).toBe(2);
  });

  it('sketches: a bad alpha, a bad quantile and a merge of different accuracies are refused', () => {
    expect(refusal(() => emptySketch(2)).code).toBe('invalid_sketch');
    expect(refusal(() => sketchQuantile(emptySketch(), Number.NaN))).toMatchObject({
      code: 'invalid_quantile',
      path: ['q'],
    });
    expect(refusal(() => mergeSketches(emptySketch(0.01), emptySketch(0.02))).code).toBe(
      'incompatible_sketches',
    );
  });

  it('scores, accumulators, reports and journeys are checked at the boundary', () => {
    expect(refusal(() => csat([5, 'a' as never]))).toMatchObject({ code: 'invalid_scores', path: [1] });
    expect(refusal(() => fold(npsAccumulator(), [{ score: Number.NaN }])).code).toBe('invalid_scores');
    expect(refusal(() => fold({} as never, []))).toMatchObject({
      code: 'invalid_accumulator',
      path: ['acc', 'empty'],
    });
    expect(refusal(() => durationAccumulator('x' as never, 'd'))).toMatchObject({ path: ['pick'] });
    expect(refusal(() => formatReport({} as never)).code).toBe('invalid_report');
    expect(refusal(() => formatReport(kpiReport([]), 'html' as never)).path).toEqual(['format']);
    expect(refusal(() => customerJourney([null] as never, 'c1'))).toMatchObject({
      code: 'invalid_events',
      path: [0],
    });
  });

  it('options bags: not plain, unreadable or unknown keys are refused with the allowed keys', () => {
    expect(refusal(() => kpiReportAccumulator(new Date() as never)).code).toBe('invalid_type');
    expect(refusal(() => kpiReport([], throwing as never)).code).toBe('invalid_type');
    const getter = Object.defineProperty({}, 'business', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(refusal(() => kpiReport([], getter)).code).toBe('unreadable_input');
    expect(refusal(() => kpiReport([throwing as never])).code).toBe('unreadable_argument');
    const unknown = refusal(() => createReportStream({ grace: 1 } as never));
    expect(unknown.code).toBe('unknown_option');
    expect(unknown.message).toContain('graceMs');
  });
});
