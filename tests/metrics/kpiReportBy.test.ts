// kpiReportBy and its accumulator: the refusals name the function called and the argument at fault.
import { describe, expect, it } from 'vitest';
import { kpiReportBy, kpiReportByAccumulator } from '../../src/metrics/index.js';
import { CarekitError } from '../../src/model/index.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitError);
    const e = error as CarekitError & { path?: unknown; issues?: unknown };
    return { code: e.code, path: e.path, issues: e.issues, message: e.message };
  }
  throw new Error('expected a refusal');
};
const advice = 'derive them with ticketFacts(events, options) from this version of carekit';
const groupings = '"assignee", "tier", "channel", "category", "status", "customStatus"';
const allowed = 'business, fcr, slaClocks, volume, callback, utilisation';

describe('kpiReportBy refusals', () => {
  it('an unknown grouping, with the allowed ones, in the words of the function called', () => {
    for (const fn of ['kpiReportBy', 'kpiReportByAccumulator']) {
      const sentence = `${fn} options: by: must be one of ${groupings}`;
      const run =
        fn === 'kpiReportBy'
          ? () => kpiReportBy([], 'team' as never)
          : () => kpiReportByAccumulator('team' as never);
      expect(refusal(run)).toEqual({
        code: 'invalid_input',
        path: undefined,
        issues: [{ code: 'invalid_value', path: ['by'], message: sentence }],
        message: `Invalid ${fn} options: 1 problem\n  - ${sentence}`,
      });
    }
  });

  it('an unknown report option, with the allowed ones, in the words of the function called', () => {
    for (const fn of ['kpiReportBy', 'kpiReportByAccumulator']) {
      const sentence = `${fn} options: unknown option "bogus"; the allowed options are ${allowed}`;
      const run =
        fn === 'kpiReportBy'
          ? () => kpiReportBy([], 'tier', { bogus: 1 } as never)
          : () => kpiReportByAccumulator('tier', { bogus: 1 } as never);
      expect(refusal(run)).toEqual({
        code: 'invalid_input',
        path: undefined,
        issues: [{ code: 'unknown_option', path: ['bogus'], message: sentence }],
        message: `Invalid ${fn} options: 1 problem\n  - ${sentence}`,
      });
    }
  });

  it('facts not made by ticketFacts, as an array or one at a time', () => {
    expect(refusal(() => kpiReportBy({} as never, 'tier'))).toMatchObject({
      code: 'invalid_facts',
      path: [],
      message: `kpiReportBy: expected an array of ticket facts, got an object; ${advice}`,
    });
    const acc = kpiReportByAccumulator('tier');
    expect(refusal(() => acc.add(acc.empty(), { ticketId: 'T-1' } as never))).toMatchObject({
      code: 'invalid_facts',
      path: [],
      message: `kpiReportByAccumulator.add: an object without factsVersion (not made by ticketFacts), not ticket facts; ${advice}`,
    });
  });
});
