// Worked examples of each definition as its source words it (see the TSDoc of each function).
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import {
  agentWaitTime,
  agentWorkTime,
  CarekitError,
  durationAccumulator,
  EXACT_QUANTILE_LIMIT,
  fcr,
  firstReplyTime,
  firstResolutionTime,
  fold,
  formatReport,
  fullResolutionTime,
  kpiReport,
  kpiReportAccumulator,
  MetricsArgumentError,
  oneTouchRate,
  onHoldTime,
  reopenRate,
  requesterWaitTime,
  resolutionTime,
  ticketFacts,
  twoTouchRate,
  volume,
  zeroTouchRate,
} from '../../src/index.js';
import { H, log, MIN, reply, T0 } from './support.js';

describe("Zendesk's status times", () => {
  // 09:00 opened; 10:00 pending; 12:00 the customer answers (open); 13:00 on-hold; 13:30 open; 14:00 solved
  const steps = [
    reply(T0 + H, { status: 'pending' }),
    { type: 'customer.replied', at: T0 + 3 * H, body: 'here' },
    { type: 'ticket.status_set', at: T0 + 4 * H, status: 'on_hold' },
    { type: 'ticket.status_set', at: T0 + 4.5 * H, status: 'open' },
    reply(T0 + 5 * H, { status: 'solved' }),
    { type: 'customer.replied', at: T0 + 6 * H, body: 'thanks' }, // reopens; time runs again
    reply(T0 + 7 * H, { status: 'solved' }),
  ];
  const facts = [ticketFacts(log('W', steps))];

  it('requester wait time is new + open + on-hold (was: pending)', () => {
    // 09–10 new/open, 12–13 open, 13–13:30 on-hold, 13:30–14 open, 15–16 open again after the reopen
    expect(requesterWaitTime(facts)).toMatchObject({ value: 4 * H, n: 1 });
    expect(requesterWaitTime(facts).definition).toMatch(/new, open and on-hold/);
  });

  it('agent wait time is pending, on-hold time is on-hold, agent work time is new + open', () => {
    expect(agentWaitTime(facts).value).toBe(2 * H);
    expect(onHoldTime(facts).value).toBe(0.5 * H);
    expect(agentWorkTime(facts).value).toBe(3.5 * H);
  });

  it('counts business hours per status with a calendar', () => {
    const calendar = createCalendar({
      timeZone: 'America/New_York',
      week: { mon: [['09:00', '12:00']] },
    });
    const business = [ticketFacts(log('B', steps), { calendar })];
    // Open hours 09–12 only: 09–10 new/open (1 h); 10–12 pending (2 h); the rest is after 12.
    expect(requesterWaitTime(business, { business: true }).value).toBe(H);
    expect(agentWaitTime(business, { business: true }).value).toBe(2 * H);
    expect(onHoldTime(business, { business: true }).value).toBe(0);
  });

  it('are in the report and its text', () => {
    const report = kpiReport(facts);
    expect(report.requesterWaitTime.value).toBe(4 * H);
    expect(report.agentWaitTime.value).toBe(2 * H);
    expect(report.onHoldTime.value).toBe(0.5 * H);
    const text = formatReport(report, 'md');
    expect(text).toContain('| Requester wait time | 4.0 h mean, 4.0 h median, 4.0 h p90 | 1 |');
    expect(text).toContain('| Agent wait time | 2.0 h mean');
    expect(text).toContain('| On-hold time | 30.0 min mean');
  });
});

describe('first and full resolution time', () => {
  const reopened = ticketFacts(
    log('R', [
      reply(T0 + 2 * H, { status: 'solved' }),
      { type: 'customer.replied', at: T0 + 3 * H, body: 'still broken' },
      reply(T0 + 26 * H, { status: 'solved' }),
    ]),
  );
  const once = ticketFacts(log('S', [reply(T0 + 4 * H, { status: 'solved' })]));
  const open = ticketFacts(
    log('O', [reply(T0 + H, { status: 'solved' }), { type: 'customer.replied', at: T0 + 2 * H, body: 'no' }]),
  );

  it('first: creation to the first solve; full: creation to the latest solve', () => {
    expect(firstResolutionTime([reopened]).value).toBe(2 * H);
    expect(fullResolutionTime([reopened]).value).toBe(26 * H);
    // A ticket reopened and open again has a first resolution and no full one yet.
    expect(firstResolutionTime([open]).n).toBe(1);
    expect(fullResolutionTime([open]).n).toBe(0);
    expect(resolutionTime([reopened, once], { until: 'first' }).value).toBe(3 * H);
  });

  it('the report and its text show both, so a median first resolution can be read', () => {
    const report = kpiReport([reopened, once, open]);
    expect(report.firstResolutionTime).toMatchObject({ n: 3, median: 2 * H });
    expect(report.resolutionTime).toMatchObject({ n: 2, median: 4 * H });
    const text = formatReport(report, 'text');
    expect(text).toMatch(/First resolution time\s+2\.3 h mean, 2\.0 h median, 4\.0 h p90\s+3/);
    expect(text).toMatch(/Full resolution time\s+15\.0 h mean, 4\.0 h median, 26\.0 h p90\s+2/);
  });
});

describe('one-touch, two-touch, zero-touch', () => {
  const bot = ticketFacts(log('Z', [reply(T0 + MIN, { bot: true, status: 'solved' })]));
  const one = ticketFacts(log('A', [reply(T0 + H, { status: 'solved' })]));
  const oneWithThanks = ticketFacts(
    log('B', [
      reply(T0 + H, { status: 'pending' }),
      { type: 'customer.replied', at: T0 + 2 * H, body: 'thanks' },
      { type: 'ticket.status_set', at: T0 + 3 * H, status: 'solved' },
    ]),
  );
  const two = ticketFacts(
    log('C', [
      reply(T0 + H, { status: 'pending' }),
      { type: 'customer.replied', at: T0 + 2 * H, body: 'and?' },
      reply(T0 + 3 * H, { status: 'solved' }),
    ]),
  );
  const unsolved = ticketFacts(log('D', [reply(T0 + H)]));
  const facts = [bot, one, oneWithThanks, two, unsolved];

  it('one-touch is exactly one agent reply: a bot-solved ticket is zero-touch, not one-touch', () => {
    expect(oneTouchRate(facts)).toMatchObject({ value: 50, n: 4, hits: 2 });
    expect(twoTouchRate(facts)).toMatchObject({ value: 25, hits: 1 });
    expect(zeroTouchRate(facts)).toMatchObject({ value: 25, hits: 1 });
    // Before: `agentReplies < 2` counted the bot's ticket as one-touch (3 of 4).
    expect(fcr(facts, 'zendeskOneTouch')).toMatchObject({ value: 50, n: 4, hits: 2 });
  });

  it('the report shows the three rates', () => {
    const text = formatReport(kpiReport(facts), 'md');
    expect(text).toContain('| One-touch | 50.0% | 4 |');
    expect(text).toContain('| Two-touch | 25.0% | 4 |');
    expect(text).toContain('| Zero-touch | 25.0% | 4 |');
  });
});

describe('reopens', () => {
  it('a customer reply to a solved ticket within the window reopens it; later, it closes it', () => {
    const within = ticketFacts(
      log('A', [
        reply(T0 + H, { status: 'solved' }),
        { type: 'customer.replied', at: T0 + 2 * H, body: 'no' },
      ]),
    );
    const after = ticketFacts(
      log('B', [
        reply(T0 + H, { status: 'solved' }),
        { type: 'customer.replied', at: T0 + 9 * 24 * H, body: 'hello?' },
      ]),
    );
    expect([within.reopens, within.status, after.reopens, after.status]).toEqual([1, 'open', 0, 'closed']);
    expect(reopenRate([within, after])).toMatchObject({ value: 50, n: 2, hits: 1 });
  });
});

describe('percentiles: nearest rank', () => {
  const acc = durationAccumulator((ms: number) => ms, 'd');

  it('p90 of 10 and 30 minutes is 30 minutes (it was 10, below the mean)', () => {
    const r = fold(acc, [10 * MIN, 30 * MIN]);
    expect([r.value, r.median, r.p90, r.quantile(1), r.quantile(0)]).toEqual([
      20 * MIN,
      10 * MIN,
      30 * MIN,
      30 * MIN,
      10 * MIN,
    ]);
  });

  it('small sets are exact; past the limit the sketch answers within 1%', () => {
    const small = Array.from({ length: EXACT_QUANTILE_LIMIT }, (_, i) => (i + 1) * 1001);
    expect(fold(acc, small).p90).toBe(small[Math.ceil(0.9 * small.length) - 1]);
    const large = [...small, 10_000_000];
    const p90 = fold(acc, large).p90 as number;
    const exact = large[Math.ceil(0.9 * large.length) - 1] as number;
    expect(p90).not.toBe(exact); // the sketch's estimate, not the value
    expect(Math.abs(p90 - exact)).toBeLessThanOrEqual(0.01 * exact);
  });
});

describe('volume', () => {
  it("buckets in the metrics calendar's zone by default", () => {
    const calendar = createCalendar({ timeZone: 'America/New_York', week: { mon: [['09:00', '17:00']] } });
    // 02:00 UTC on Tuesday is still Monday evening in New York.
    const late = ticketFacts(log('V', [], { at: Date.UTC(2025, 2, 11, 2) }), { calendar });
    expect(volume([late], { bucket: 'day' })).toMatchObject({
      buckets: { '2025-03-10': { all: 1 } },
      definition: 'volume: tickets created per day in America/New_York',
    });
    expect(Object.keys(kpiReport([late]).volume.buckets)).toEqual(['2025-03-10']);
    expect(Object.keys(volume([late], { bucket: 'day', timeZone: 'UTC' }).buckets)).toEqual(['2025-03-11']);
    const plain = ticketFacts(log('U', [], { at: Date.UTC(2025, 2, 11, 2) }));
    expect(Object.keys(volume([plain], { bucket: 'day' }).buckets)).toEqual(['2025-03-11']);
  });

  it("reads each ticket's own offset in a quarter hour that an offset change or local mean time splits", () => {
    const at = (t: number, id: string) => ticketFacts(log(id, [], { at: t }));
    // Asia/Gaza moved from +2 to +3 at 00:01 local on 2011-04-01 (22:01 UTC): 22:00:30 UTC is
    // 00:00:30 that day, 22:05 UTC is 01:05, in the same quarter hour of UTC.
    const gaza = volume(
      [at(Date.UTC(2011, 2, 31, 22, 0, 30), 'G1'), at(Date.UTC(2011, 2, 31, 22, 5), 'G2')],
      {
        bucket: 'hour',
        timeZone: 'Asia/Gaza',
      },
    );
    expect(gaza.buckets).toEqual({ '2011-04-01T00': { all: 1 }, '2011-04-01T01': { all: 1 } });
    // London kept local mean time (-0:01:15) until 1847: 00:00:30 UTC is 23:59:15 the day before.
    const london = volume([at(Date.UTC(1840, 5, 1, 0, 0, 30), 'L1'), at(Date.UTC(1840, 5, 1, 0, 5), 'L2')], {
      bucket: 'hour',
      timeZone: 'Europe/London',
    });
    expect(london.buckets).toEqual({ '1840-05-31T23': { all: 1 }, '1840-06-01T00': { all: 1 } });
    // The same in the other order, and a year of AD 500 (read as local mean time too).
    const back = volume([at(Date.UTC(1840, 5, 1, 0, 5), 'L2'), at(Date.UTC(1840, 5, 1, 0, 0, 30), 'L1')], {
      bucket: 'hour',
      timeZone: 'Europe/London',
    });
    expect(back.buckets).toEqual(london.buckets);
    const early = new Date(0);
    early.setUTCFullYear(500, 5, 1);
    early.setUTCHours(0, 0, 30);
    expect(
      Object.keys(volume([at(early.getTime(), 'E')], { bucket: 'hour', timeZone: 'Europe/London' }).buckets),
    ).toEqual(['0500-05-31T23']);
  });
});

describe('the text report', () => {
  it('prints the reason of an empty KPI once', () => {
    const text = formatReport(kpiReport([ticketFacts(log('E', []))]), 'text');
    const line = text.split('\n').find((l) => l.startsWith('Next reply time')) as string;
    expect(line).toMatch(/^Next reply time\s+— \(no tickets qualify\)\s+0 /);
    expect(line).not.toContain('median');
  });
});

describe('bad arguments get carekit errors', () => {
  const facts = [ticketFacts(log('A', [reply(T0 + H, { status: 'solved' })]))];
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitError);
      return [(error as CarekitError).code, (error as Error).message];
    }
    throw new Error('did not throw');
  };

  it('invalid_facts for anything not made by ticketFacts', () => {
    expect(codeOf(() => fcr({} as never))[0]).toBe('invalid_facts');
    const [code, message] = codeOf(() => kpiReport([facts[0], { ticketId: 'T-9' }] as never));
    expect(code).toBe('invalid_facts');
    expect(message).toMatch(/\[1\] is an object without factsVersion/);
    expect(() => firstReplyTime([null] as never)).toThrow(MetricsArgumentError);
    const acc = kpiReportAccumulator();
    expect(codeOf(() => acc.add(acc.empty(), { surveys: [] } as never))[0]).toBe('invalid_facts');
  });

  it('an unknown FCR definition lists the named ones; an options bag works', () => {
    const [code, message] = codeOf(() => fcr(facts, 'zendeskOneTuch' as never));
    expect(code).toBe('unknown_definition');
    expect(message).toContain('"zendeskOneTouch", "noCustomerFollowUp", "noReopen"');
    expect(fcr(facts, { definition: 'zendeskOneTouch' })).toMatchObject({ value: 100, n: 1 });
    expect(codeOf(() => kpiReport(facts, { fcr: 'oneTouch' as never }))[0]).toBe('unknown_definition');
  });

  it('options bags are strict: an unknown key is refused with the allowed keys listed', () => {
    const [code, message] = codeOf(() => kpiReport(facts, { busines: true } as never));
    expect(code).toBe('invalid_input');
    expect(message).toContain(
      'unknown option "busines"; the allowed options are business, fcr, slaClocks, volume, callback',
    );
    expect(codeOf(() => firstReplyTime(facts, { business: 'yes' } as never))[0]).toBe('invalid_input');
    expect(codeOf(() => volume(facts, { bucket: 'fortnight' } as never))[0]).toBe('invalid_input');
    expect(codeOf(() => volume(facts, { bucket: 'day', timeZone: 'Mars/Olympus' }))[1]).toMatch(
      /not an IANA time zone/,
    );
    expect(codeOf(() => fcr(facts, { definiton: 'noReopen' } as never))[1]).toMatch(
      /unknown option "definiton"/,
    );
    expect(codeOf(() => ticketFacts(log('X', []), { calender: {} } as never))[1]).toMatch(
      /unknown option "calender"/,
    );
  });
});
