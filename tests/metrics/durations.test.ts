// Worked examples of the duration KPIs: calendar and business hours, who is counted, the
// nearest-rank percentiles and the accumulator's partial state.
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import {
  agentWaitTime,
  agentWorkTime,
  CarekitError,
  type DurationState,
  durationAccumulator,
  EXACT_QUANTILE_LIMIT,
  emptySketch,
  firstReplyTime,
  firstResolutionTime,
  fold,
  fullResolutionTime,
  handleTime,
  nextReplyTime,
  onHoldTime,
  requesterWaitTime,
  resolutionTime,
  ticketFacts,
} from '../../src/index.js';
import { H, log, MIN, reply, T0 } from './support.js';

// Open hours 09:00–12:00 on Mondays only.
const calendar = createCalendar({ timeZone: 'America/New_York', week: { mon: [['09:00', '12:00']] } });

// 09:00 opened; 13:00 first reply (pending); 14:00 the customer answers (open); 15:00 on-hold;
// 15:30 open; 16:00 answered and solved; 17:00 reopened; 18:00 solved again.
const steps = [
  reply(T0 + 4 * H, { status: 'pending', workMs: 5 * MIN }),
  { type: 'customer.replied', at: T0 + 5 * H, body: 'here' },
  { type: 'ticket.status_set', at: T0 + 6 * H, status: 'on_hold' },
  { type: 'ticket.status_set', at: T0 + 6.5 * H, status: 'open' },
  reply(T0 + 7 * H, { status: 'solved', workMs: 7 * MIN }),
  { type: 'customer.replied', at: T0 + 8 * H, body: 'again' },
  reply(T0 + 9 * H, { status: 'solved' }),
];
const worked = ticketFacts(log('W', steps));
const workedBusiness = ticketFacts(log('W', steps), { calendar });
// The same life, then left out: marked as spam, or merged into another ticket.
const spam = ticketFacts(log('S', [...steps, { type: 'ticket.marked_spam', at: T0 + 10 * H }]));
const merged = ticketFacts(log('M', [...steps, { type: 'ticket.merged', at: T0 + 10 * H, into: 'W' }]));
const spamBusiness = ticketFacts(log('S', [...steps, { type: 'ticket.marked_spam', at: T0 + 10 * H }]), {
  calendar,
});
// Answered once, no work logged, still open.
const quiet = ticketFacts(log('Q', [reply(T0 + H)]));

describe('firstReplyTime', () => {
  it('creation to the first public reply, in calendar or business hours', () => {
    expect(firstReplyTime([worked, quiet])).toMatchObject({
      value: 2.5 * H,
      n: 2,
      median: H,
      p90: 4 * H,
      definition:
        'first reply time (Zendesk): creation to the first public reply by a person, calendar hours',
    });
    // 09:00–12:00 is open, 12:00–13:00 is not.
    expect(firstReplyTime([workedBusiness], { business: true })).toMatchObject({
      value: 3 * H,
      n: 1,
      definition:
        'first reply time (Zendesk): creation to the first public reply by a person, business hours',
    });
    expect(firstReplyTime([workedBusiness], { business: false }).value).toBe(4 * H);
    expect(firstReplyTime([workedBusiness], {}).value).toBe(4 * H);
  });

  it('leaves out spam, merged and unanswered tickets, and business hours of facts without a calendar', () => {
    const unanswered = ticketFacts(log('U', []));
    expect(firstReplyTime([spam, merged, unanswered])).toMatchObject({
      value: null,
      n: 0,
      reason: 'no tickets qualify',
    });
    expect(firstReplyTime([spamBusiness], { business: true }).n).toBe(0);
    expect(firstReplyTime([worked], { business: true })).toMatchObject({ value: null, n: 0 });
  });
});

describe('resolutionTime, firstResolutionTime and fullResolutionTime', () => {
  it('creation to the first or the latest solve, in calendar or business hours', () => {
    expect(resolutionTime([worked])).toMatchObject({
      value: 9 * H,
      n: 1,
      definition: 'full resolution time (Zendesk): creation to the latest solve, calendar hours',
    });
    expect(resolutionTime([worked], { until: 'full' }).value).toBe(9 * H);
    expect(resolutionTime([worked], {}).value).toBe(9 * H);
    expect(resolutionTime([workedBusiness], { business: true }).value).toBe(3 * H);
    expect(resolutionTime([worked], { until: 'first' })).toMatchObject({
      value: 7 * H,
      definition: 'first resolution time (Zendesk): creation to the first solve, calendar hours',
    });
    expect(firstResolutionTime([worked]).value).toBe(7 * H);
    expect(fullResolutionTime([worked]).value).toBe(9 * H);
    expect(firstResolutionTime([workedBusiness], { business: true })).toMatchObject({
      value: 3 * H,
      definition: 'first resolution time (Zendesk): creation to the first solve, business hours',
    });
    expect(fullResolutionTime([workedBusiness], { business: true })).toMatchObject({
      value: 3 * H,
      definition: 'full resolution time (Zendesk): creation to the latest solve, business hours',
    });
  });

  it('leaves out spam, merged and unsolved tickets, and business hours of facts without a calendar', () => {
    for (const until of ['first', 'full'] as const) {
      expect(resolutionTime([spam, merged, quiet], { until }).n).toBe(0);
      expect(resolutionTime([spamBusiness], { until, business: true }).n).toBe(0);
      expect(resolutionTime([worked], { until, business: true }).n).toBe(0);
    }
  });
});

describe('nextReplyTime', () => {
  it('each customer message after the first reply to the next public reply, in calendar or business hours', () => {
    // 14:00–16:00 and 17:00–18:00; both outside Monday's open hours.
    expect(nextReplyTime([worked])).toMatchObject({
      value: 1.5 * H,
      n: 2,
      median: H,
      p90: 2 * H,
      definition:
        'next reply time (Zendesk): each customer message after the first reply to the next public reply by a person, calendar hours',
    });
    expect(nextReplyTime([workedBusiness], { business: true })).toMatchObject({
      value: 0,
      n: 2,
      definition:
        'next reply time (Zendesk): each customer message after the first reply to the next public reply by a person, business hours',
    });
  });

  it('leaves out spam and merged tickets, and business hours of facts without a calendar', () => {
    expect(nextReplyTime([spam, merged])).toMatchObject({ value: null, n: 0, reason: 'no tickets qualify' });
    expect(nextReplyTime([spamBusiness], { business: true }).n).toBe(0);
    expect(nextReplyTime([worked], { business: true }).n).toBe(0);
  });
});

describe('handleTime', () => {
  it('the work time events carry, per ticket that has any; spam and merged left out', () => {
    expect(handleTime([worked, quiet, spam, merged])).toMatchObject({
      value: 12 * MIN,
      n: 1,
      definition: 'handle time (AHT): agent work time per ticket (sum of workMs)',
    });
    const zero = ticketFacts(log('Z', [reply(T0 + H, { workMs: 0 })]));
    expect(handleTime([zero])).toMatchObject({ value: null, n: 0, reason: 'no tickets qualify' });
  });
});

describe('status times', () => {
  it('sum the time in their statuses until the solve, in calendar hours', () => {
    // new/open 09–13 and 14–15, 15:30–16, 17–18; pending 13–14; on-hold 15–15:30.
    expect(requesterWaitTime([worked])).toMatchObject({
      value: 7 * H,
      n: 1,
      definition: 'requester wait time (Zendesk): time in new, open and on-hold, calendar hours',
    });
    expect(agentWaitTime([worked])).toMatchObject({
      value: H,
      definition: 'agent wait time (Zendesk): time in pending, calendar hours',
    });
    expect(onHoldTime([worked])).toMatchObject({
      value: 0.5 * H,
      definition: 'on-hold time (Zendesk): time in on-hold, calendar hours',
    });
    expect(agentWorkTime([worked])).toMatchObject({
      value: 6.5 * H,
      definition: 'agent work time (Zendesk): time in new and open, calendar hours',
    });
  });

  it('in business hours with a calendar; none for facts without one, nor for spam and merged tickets', () => {
    expect(requesterWaitTime([workedBusiness], { business: true })).toMatchObject({
      value: 3 * H,
      definition: 'requester wait time (Zendesk): time in new, open and on-hold, business hours',
    });
    expect(agentWaitTime([workedBusiness], { business: true }).definition).toBe(
      'agent wait time (Zendesk): time in pending, business hours',
    );
    expect(agentWorkTime([workedBusiness], { business: true }).value).toBe(3 * H);
    expect(agentWorkTime([workedBusiness], { business: false }).value).toBe(6.5 * H);
    expect(onHoldTime([worked], { business: true })).toMatchObject({ value: null, n: 0 });
    for (const kpi of [requesterWaitTime, agentWaitTime, onHoldTime, agentWorkTime]) {
      expect(kpi([spam, merged]).n).toBe(0);
      expect(kpi([spamBusiness], { business: true }).n).toBe(0);
    }
  });
});

describe('bad arguments', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitError);
      const e = error as CarekitError & { issues?: { code: string; message: string }[] };
      return { code: e.issues?.[0]?.code ?? e.code, message: e.issues?.[0]?.message ?? e.message };
    }
    throw new Error('expected a refusal');
  };
  const advice = 'derive them with ticketFacts(events, options) from this version of carekit';

  it('each KPI names itself when its facts are not an array of ticket facts', () => {
    const kpis = {
      firstReplyTime,
      nextReplyTime,
      resolutionTime,
      handleTime,
      requesterWaitTime,
      agentWaitTime,
      onHoldTime,
      agentWorkTime,
    };
    for (const [name, kpi] of Object.entries(kpis))
      expect(refusal(() => kpi({} as never))).toEqual({
        code: 'invalid_facts',
        message: `${name}: expected an array of ticket facts, got an object; ${advice}`,
      });
    // The first and full resolution times are resolution times.
    expect(refusal(() => firstResolutionTime({} as never)).message).toMatch(/^resolutionTime: /);
  });

  it('each KPI names itself when its options bag has an unknown key, and lists the allowed ones', () => {
    const kpis = {
      firstReplyTime,
      nextReplyTime,
      firstResolutionTime,
      fullResolutionTime,
      requesterWaitTime,
      agentWaitTime,
      onHoldTime,
      agentWorkTime,
    };
    for (const [name, kpi] of Object.entries(kpis))
      expect(refusal(() => kpi([], { until: 'first' } as never))).toEqual({
        code: 'unknown_option',
        message: `${name} options: unknown option "until"; the allowed options are business`,
      });
    expect(refusal(() => resolutionTime([], { untill: 'first' } as never))).toEqual({
      code: 'unknown_option',
      message: 'resolutionTime options: unknown option "untill"; the allowed options are business, until',
    });
    expect(refusal(() => resolutionTime([], { until: 'last' } as never)).code).toBe('invalid_value');
  });

  it('durationAccumulator needs a pick function and a definition', () => {
    expect(refusal(() => durationAccumulator(null as never, 'wait'))).toEqual({
      code: 'invalid_argument',
      message: 'durationAccumulator: pick must be a function, got null',
    });
    expect(refusal(() => durationAccumulator((ms: number) => ms, ''))).toEqual({
      code: 'invalid_argument',
      message:
        'durationAccumulator: definition must be a non-empty string of at most 1,000 characters, got ""',
    });
  });
});

describe('durationAccumulator', () => {
  const acc = durationAccumulator((ms: number | null) => ms, 'wait');
  const run = (values: number[]) => values.reduce((s, v) => acc.add(s, v), acc.empty());

  it('skips null, NaN and infinite durations and counts a negative one as zero', () => {
    const r = fold(acc, [null, Number.NaN, Number.POSITIVE_INFINITY, -5 * MIN, 10 * MIN]);
    expect([r.value, r.n, r.median, r.p90]).toEqual([5 * MIN, 2, 0, 10 * MIN]);
    expect(r.definition).toBe('wait');
  });

  it('percentiles read the durations in ascending order of value, whatever the order they came in', () => {
    // 30 min, 1 min 30 s, 10 min: in the order of their digits, 1800000 (30 min) would come first.
    const r = fold(acc, [30 * MIN, 90_000, 10 * MIN]);
    expect([r.quantile(0), r.median, r.p90]).toEqual([90_000, 10 * MIN, 30 * MIN]);
  });

  it('nothing counted: every figure is null, with the reason', () => {
    const r = fold(acc, []);
    expect(r).toMatchObject({ value: null, n: 0, median: null, p90: null, reason: 'no tickets qualify' });
    expect(r.quantile(0.5)).toBeNull();
  });

  it('quantiles are clamped to 0..1; NaN has no quantile', () => {
    const r = fold(acc, [10 * MIN, 20 * MIN, 30 * MIN]);
    expect([r.quantile(-1), r.quantile(0), r.quantile(0.34), r.quantile(2), r.quantile(Number.NaN)]).toEqual([
      10 * MIN,
      10 * MIN,
      20 * MIN,
      30 * MIN,
      null,
    ]);
  });

  it('keeps the values up to the limit, then only the sketch', () => {
    const full = run(Array.from({ length: EXACT_QUANTILE_LIMIT }, (_, i) => i + 1));
    expect(full.values).toHaveLength(EXACT_QUANTILE_LIMIT);
    expect(acc.add(full, 1).values).toBeNull();
    expect(acc.add(acc.add(full, 1), 1).values).toBeNull();
  });

  it('merges values while both sides keep them and the total is within the limit', () => {
    const half = Array.from({ length: EXACT_QUANTILE_LIMIT / 2 }, (_, i) => (i + 1) * 1001);
    const both = acc.merge(run(half), run(half));
    expect(both.values).toHaveLength(EXACT_QUANTILE_LIMIT);
    expect(acc.result(both).p90).toBe(half[Math.ceil(0.9 * half.length) - 1]);
    expect(acc.merge(run(half), run([...half, 1])).values).toBeNull();
    const dropped = { ...run([1]), values: null };
    expect(acc.merge(run([2]), dropped).values).toBeNull();
    expect(acc.merge(dropped, run([2])).values).toBeNull();
  });

  it('a state without its values (read back from an older version, or dropped) answers from the sketch', () => {
    const old: DurationState = { sketch: emptySketch() };
    const r = acc.result([1001, 2002, 3003].reduce((s, v) => acc.add(s, v), old));
    expect([r.n, r.value]).toEqual([3, 2002]);
    // The sketch's estimate of the median, within its 1%, not the value itself.
    expect(r.median).not.toBe(2002);
    expect(Math.abs((r.median as number) - 2002)).toBeLessThanOrEqual(0.01 * 2002);
    // Values that do not account for every counted duration are not used either.
    const partial = { ...run([1001, 2002, 3003]), values: [2002] };
    expect(acc.result(partial).median).toBe(r.median);
  });
});
