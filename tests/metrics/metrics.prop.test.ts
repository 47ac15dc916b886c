import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  type Accumulator,
  addToSketch,
  cesAccumulator,
  csatAccumulator,
  durationAccumulator,
  emptySketch,
  foldState,
  npsAccumulator,
  rateAccumulator,
  sketchQuantile,
  ticketFacts,
} from '../../src/metrics/index.js';
import { parseTicketEvent } from '../../src/model/index.js';
import { createTicketWorkflow } from '../../src/workflows/index.js';
import { propertyRuns } from '../support/runs.js';
import { arbTicketLog } from '../workflows/ticket/arbitraries.js';

type AnyAcc = Accumulator<{ score: number }, unknown, unknown>;
const accumulators: [string, AnyAcc, fc.Arbitrary<number>][] = [
  ['nps', npsAccumulator() as AnyAcc, fc.integer({ min: 0, max: 10 })],
  ['csat', csatAccumulator() as AnyAcc, fc.integer({ min: 1, max: 5 })],
  ['ces', cesAccumulator() as AnyAcc, fc.integer({ min: 1, max: 7 })],
  [
    'rate',
    rateAccumulator(
      (x: { score: number }) => x.score > 3,
      (x) => x.score !== 5,
      'r',
    ) as unknown as AnyAcc,
    fc.integer({ min: 0, max: 9 }),
  ],
  [
    'duration',
    durationAccumulator((x: { score: number }) => x.score * 1000, 'd') as unknown as AnyAcc,
    fc.integer({ min: 0, max: 1_000_000 }),
  ],
];

// Results hold functions (quantile); compare what they say.
const comparable = (r: unknown) =>
  JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'function' ? undefined : v)));

describe.each(accumulators)('%s accumulator laws', (_name, acc, score) => {
  const items = fc.array(
    score.map((s) => ({ score: s })),
    { maxLength: 60 },
  );

  test.prop([items, items, items], propertyRuns(100))(
    'merge is associative and commutative, with empty as identity',
    (a, b, c) => {
      const [sa, sb, sc] = [a, b, c].map((x) => foldState(acc, x));
      const r = (s: unknown) => comparable(acc.result(s));
      expect(r(acc.merge(acc.merge(sa, sb), sc))).toEqual(r(acc.merge(sa, acc.merge(sb, sc))));
      expect(r(acc.merge(sa, sb))).toEqual(r(acc.merge(sb, sa)));
      expect(r(acc.merge(acc.empty(), sa))).toEqual(r(sa));
    },
  );

  test.prop([items, fc.nat()], propertyRuns(100))(
    'folding everything equals merging any split',
    (all, cut) => {
      const at = all.length === 0 ? 0 : cut % (all.length + 1);
      const whole = acc.result(foldState(acc, all));
      const parts = acc.result(acc.merge(foldState(acc, all.slice(0, at)), foldState(acc, all.slice(at))));
      expect(comparable(parts)).toEqual(comparable(whole));
      // the partial state is plain JSON: it survives a trip between processes
      expect(comparable(acc.result(JSON.parse(JSON.stringify(foldState(acc, all)))))).toEqual(
        comparable(whole),
      );
    },
  );
});

describe('exact calculators equal a naive reference', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1 })], propertyRuns(100))(
    'NPS',
    (scores) => {
      const promoters = scores.filter((s) => s >= 9).length;
      const detractors = scores.filter((s) => s <= 6).length;
      const result = npsAccumulator().result(
        foldState(
          npsAccumulator(),
          scores.map((score) => ({ score })),
        ),
      );
      expect(result.value).toBeCloseTo((100 * (promoters - detractors)) / scores.length, 9);
    },
  );
});

describe('quantile sketch', () => {
  test.prop(
    [
      fc.array(fc.double({ min: 1, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    ],
    propertyRuns(100),
  )('stays within 1% of the exact nearest-rank quantile', (values, q) => {
    const sketch = values.reduce(addToSketch, emptySketch(0.01));
    const sorted = [...values].sort((a, b) => a - b);
    const exact = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
    const estimate = sketchQuantile(sketch, q)!;
    expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(0.01 * exact * (1 + 1e-9));
  });
});

describe('ticketFacts agrees with the lifecycle', () => {
  test.prop([arbTicketLog(30)], propertyRuns(200))(
    'status, counters and timestamps match view() when no timeout applies',
    (log) => {
      // Timeouts are the lifecycle's own deadlines; with them off, both read the same events.
      const wf = createTicketWorkflow({
        autoSolvePendingAfter: null,
        autoCloseSolvedAfter: null,
        requireAssigneeToSolve: false,
      });
      // Keep the events the lifecycle applied, one by one: an id rejected once may be accepted
      // later, so filtering the log by accepted ids would keep the rejected occurrence too.
      let { snapshot } = wf.replay(log.slice(0, 1));
      const applied = log.slice(0, 1);
      for (const event of log.slice(1)) {
        const result = wf.apply(snapshot, event);
        if (!result.rejected && !result.duplicate) applied.push(event);
        snapshot = result.snapshot;
      }
      const view = wf.view(snapshot);
      const events = applied.map((e) => parseTicketEvent(e));
      const facts = ticketFacts(events);
      expect(facts.status).toBe(view.status);
      expect(facts.reopens).toBe(view.counters.reopens);
      expect(facts.agentReplies).toBe(view.counters.agentReplies);
      expect(facts.customerReplies).toBe(view.counters.customerReplies);
      expect(facts.firstReplyAt).toBe(view.firstReplyAt);
      expect(facts.firstSolvedAt).toBe(view.firstSolvedAt);
      expect(facts.excluded).toBe(view.excluded);
    },
  );

  test.prop([arbTicketLog(30)], propertyRuns(200))(
    "status and timestamps match view() with the lifecycle's auto-solve and auto-close on ticks",
    (log) => {
      const wf = createTicketWorkflow({
        autoSolvePendingAfter: { hours: 30 },
        autoCloseSolvedAfter: { hours: 20 },
        requireAssigneeToSolve: false,
      });
      let { snapshot } = wf.replay(log.slice(0, 1));
      const applied = log.slice(0, 1);
      for (const event of log.slice(1)) {
        const result = wf.apply(snapshot, event);
        if (!result.rejected && !result.duplicate) applied.push(event);
        snapshot = result.snapshot;
      }
      const view = wf.view(snapshot);
      const facts = ticketFacts(
        applied.map((e) => parseTicketEvent(e)),
        { autoSolvePendingAfterMs: 30 * 3_600_000, autoCloseSolvedAfterMs: 20 * 3_600_000 },
      );
      expect(facts.status).toBe(view.status);
      expect(facts.reopens).toBe(view.counters.reopens);
      expect(facts.firstSolvedAt).toBe(view.firstSolvedAt);
      expect(facts.solvedAt).toBe(view.solvedAt);
      expect(facts.closedAt).toBe(view.closedAt);
    },
  );
});
