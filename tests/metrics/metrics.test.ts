import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import {
  backlog,
  ces,
  csat,
  durationAccumulator,
  escalationRate,
  fcr,
  firstReplyTime,
  formatReport,
  handleTime,
  kpiReport,
  nps,
  npsAccumulator,
  reopenRate,
  resolutionTime,
  slaCompliance,
  type TicketFacts,
  ticketFacts,
  volume,
} from '../../src/metrics/index.js';
import { createSlaPolicy } from '../../src/sla/index.js';
import { H, log, MIN, T0 } from './support.js';

describe('worked oracles', () => {
  it('AHT: (668,205 + 99,153 + 198,306) s over 4,311 calls is 224 s', () => {
    const acc = durationAccumulator((ms: number) => ms, 'AHT');
    // Talk, hold and wrap-up totals as three partitions' sums; every call counted once.
    const total = (668_205 + 99_153 + 198_306) * 1000;
    const perCall = Array.from(
      { length: 4311 },
      (_, i) => Math.floor(total / 4311) + (i < total % 4311 ? 1 : 0),
    );
    const result = acc.result(perCall.reduce(acc.add, acc.empty()));
    expect(Math.round(result.value! / 1000)).toBe(224);
    expect(result.n).toBe(4311);
  });

  it('FCR: 8 of 13 is 61.54%', () => {
    const facts = Array.from({ length: 13 }, (_, i) =>
      ticketFacts(
        log(`T${i}`, [
          {
            type: 'agent.replied',
            at: T0 + H,
            agentId: 'a',
            body: 'x',
            ...(i < 8 ? { status: 'solved' } : {}),
          },
          ...(i < 8
            ? []
            : [{ type: 'agent.replied', at: T0 + 2 * H, agentId: 'a', body: 'y', status: 'solved' }]),
        ]),
      ),
    );
    const result = fcr(facts, 'zendeskOneTouch');
    expect(result.value?.toFixed(2)).toBe('61.54');
    expect(result).toMatchObject({ n: 13, hits: 8 });
    expect(result.definition).toContain('Zendesk one-touch');
  });

  it('NPS: 30% promoters and 20% detractors is +10', () => {
    const scores = [...Array(30).fill(10), ...Array(50).fill(7), ...Array(20).fill(3)];
    expect(nps(scores)).toMatchObject({ value: 10, n: 100, promoters: 30, passives: 50, detractors: 20 });
    expect(nps(scores).marginOfError).toBeGreaterThan(0);
  });

  it('CSAT: 8 good, 2 bad is 80%', () => {
    expect(csat([5, 5, 5, 4, 4, 4, 5, 4, 1, 2])).toMatchObject({ value: 80, satisfied: 8, mean: 3.9 });
  });

  it('CES: scores 4, 5, 6, 7, 7 average 5.8', () => {
    expect(ces([4, 5, 6, 7, 7]).value).toBeCloseTo(5.8, 10);
    expect(ces([4, 5, 6, 7, 7]).agreeing).toBe(4);
  });

  it('says why instead of dividing by zero', () => {
    expect(nps([])).toMatchObject({ value: null, n: 0, reason: 'no NPS answers' });
    expect(csat([]).value).toBeNull();
    expect(fcr([]).reason).toBe('no tickets qualify');
    expect(firstReplyTime([]).median).toBeNull();
    expect(npsAccumulator().result(npsAccumulator().empty()).marginOfError).toBeNull();
  });
});

describe('ticketFacts', () => {
  it('derives replies, solves, reopens, handle time and time in status', () => {
    const facts = ticketFacts(
      log('T1', [
        { type: 'ticket.assigned', at: T0 + 10 * MIN, agentId: 'a1' },
        {
          type: 'agent.replied',
          at: T0 + H,
          agentId: 'a1',
          body: 'photo?',
          status: 'pending',
          workMs: 5 * MIN,
        },
        { type: 'customer.replied', at: T0 + 3 * H, body: 'here' },
        {
          type: 'agent.replied',
          at: T0 + 4 * H,
          agentId: 'a1',
          body: 'refunded',
          status: 'solved',
          workMs: 4 * MIN,
        },
        { type: 'customer.replied', at: T0 + 5 * H, body: 'not yet' },
        { type: 'agent.replied', at: T0 + 6 * H, agentId: 'a1', body: 'now', status: 'solved' },
        { type: 'ticket.escalated', at: T0 + 6 * H, tier: 2, reason: 'x' },
        { type: 'survey.answered', at: T0 + 7 * H, survey: 'csat', score: 5 },
      ]),
    );
    expect(facts).toMatchObject({
      status: 'solved',
      firstReplyAt: T0 + H,
      firstSolvedAt: T0 + 4 * H,
      solvedAt: T0 + 6 * H,
      reopens: 1,
      agentReplies: 3,
      customerReplies: 2,
      assignments: 1,
      handleTimeMs: 9 * MIN,
      timeInStatus: { new: 10 * MIN, open: 50 * MIN + 1 * H + 1 * H, pending: 2 * H, on_hold: 0 },
      surveys: [{ survey: 'csat', score: 5, at: T0 + 7 * H }],
    });
  });

  it('counts business hours with a calendar and SLA outcomes with a policy', () => {
    const calendar = createCalendar({
      timeZone: 'America/New_York',
      week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] },
    });
    const sla = createSlaPolicy({
      id: 'p',
      calendar: 'hours',
      firstReply: { targets: { normal: { hours: 2 } } },
      resolution: { targets: { normal: { hours: 4 } } },
    });
    const facts = ticketFacts(
      log('T2', [{ type: 'agent.replied', at: T0 + 10 * H, agentId: 'a', body: 'x', status: 'solved' }]),
      {
        calendar,
        sla,
        calendars: { hours: calendar },
      },
    );
    expect(facts.business).toEqual({
      timeZone: 'America/New_York',
      // 09:00 → 19:00 New York, open all along: 8 business hours (09–17)
      timeInStatus: { new: 8 * H, open: 0, pending: 0, on_hold: 0 },
      firstReplyMs: 8 * H,
      firstResolutionMs: 8 * H,
      resolutionMs: 8 * H,
      nextReplyWaitsMs: [],
    });
    expect(facts.sla).toEqual({ firstReply: 'breached', resolution: 'breached' });
    expect(firstReplyTime([facts], { business: true }).value).toBe(8 * H);
    expect(slaCompliance([facts], 'firstReply')).toMatchObject({ value: 0, n: 1 });
  });

  it('a merged ticket appears once in volume, but its breach before the merge still counts (docs/relations.md)', () => {
    const sla = createSlaPolicy({
      id: 'p',
      calendar: null,
      firstReply: { targets: { normal: { hours: 2 } } },
    });
    const late = ticketFacts(log('L', [{ type: 'ticket.merged', at: T0 + 3 * H, into: 'K' }]), { sla });
    const early = ticketFacts(log('E', [{ type: 'ticket.merged', at: T0 + H, into: 'K' }]), { sla });
    const target = ticketFacts(
      log('K', [
        { type: 'ticket.merged_from', at: T0 + 3 * H, source: 'L', moved: 1 },
        { type: 'agent.replied', at: T0 + 3 * H, agentId: 'a', body: 'x' },
      ]),
      { sla },
    );
    expect([late.sla, early.sla]).toEqual([{ firstReply: 'breached' }, { firstReply: 'open' }]);
    const all = [late, early, target];
    // The target breached too (3 h); the early source's running clock went on in the target.
    expect(slaCompliance(all, 'firstReply')).toMatchObject({ value: 0, n: 2 });
    const report = kpiReport(all, { slaClocks: ['firstReply'] });
    expect(report.tickets).toBe(1);
    expect(report.slaCompliance.firstReply).toMatchObject({ value: 0, n: 2 });
    expect(report.volume.n).toBe(1);
  });

  it('leaves spam and merged tickets out, and ignores duplicates', () => {
    const spam = ticketFacts(log('S', [{ type: 'ticket.marked_spam', at: T0 + MIN }]));
    expect(spam.excluded).toBe('spam');
    const events = log('D', [{ type: 'customer.replied', at: T0 + MIN, body: 'x' }]);
    expect(ticketFacts([...events, events[1]!]).customerReplies).toBe(1);
    expect(kpiReport([spam]).tickets).toBe(0);
    expect(() => ticketFacts(events.slice(1))).toThrow(/ticket.opened/);
  });
});

describe('calculators over facts', () => {
  const facts: TicketFacts[] = [
    ticketFacts(
      log('A', [
        { type: 'agent.replied', at: T0 + H, agentId: 'a', body: 'x', status: 'solved', workMs: 6 * MIN },
      ]),
      {},
    ),
    ticketFacts(
      log('B', [
        { type: 'agent.replied', at: T0 + 2 * H, agentId: 'b', body: 'x', status: 'solved' },
        { type: 'customer.replied', at: T0 + 3 * H, body: 'no' },
        { type: 'ticket.escalated', at: T0 + 3 * H, tier: 2, reason: 'reopened' },
      ]),
      {},
    ),
    ticketFacts(log('C', [], { channel: 'chat', at: T0 + 26 * H })),
  ];

  it('computes times, rates and backlog', () => {
    expect(firstReplyTime(facts)).toMatchObject({ value: 1.5 * H, n: 2 });
    expect(resolutionTime(facts, { until: 'first' })).toMatchObject({ value: 1.5 * H, n: 2 });
    expect(resolutionTime(facts).n).toBe(1);
    expect(handleTime(facts)).toMatchObject({ value: 6 * MIN, n: 1 });
    expect(reopenRate(facts)).toMatchObject({ value: 50, n: 2 });
    expect(escalationRate(facts)).toMatchObject({ hits: 1, n: 3 });
    expect(backlog(facts, T0 + 30 * MIN).value).toBe(2);
    expect(backlog(facts, T0 + 30 * H).value).toBe(2);
  });

  it('buckets volume by day in a time zone, grouped by channel', () => {
    expect(
      volume(facts, { bucket: 'day', timeZone: 'Asia/Ho_Chi_Minh', groupBy: 'channel' }).buckets,
    ).toEqual({
      '2025-03-10': { email: 2 },
      '2025-03-11': { chat: 1 },
    });
    expect(Object.keys(volume(facts, { bucket: 'week' }).buckets)).toEqual(['2025-03-10']);
    expect(
      Object.keys(volume(facts, { bucket: 'month', groupBy: 'agent' }).buckets['2025-03'] ?? {}),
    ).toEqual(['a', 'b', 'unassigned']);
  });

  it('renders a report as Markdown and as aligned text', () => {
    const report = kpiReport(facts);
    const md = formatReport(report, 'md');
    expect(md.split('\n')[0]).toBe('| KPI | value | n | definition |');
    // Zendesk one-touch counts solved or closed tickets: B was reopened and is open again.
    expect(md).toContain('| FCR | 100.0% | 1 |');
    expect(md).toContain('| Reopen rate | 50.0% | 2 |');
    expect(formatReport(report, 'text')).toMatch(/^KPI\s+value\s+n {2}definition/);
  });
});
