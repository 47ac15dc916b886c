import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  deflected,
  fold,
  foldState,
  formatReport,
  kpiReport,
  selfServiceAccumulator,
  selfServiceReport,
  type TicketFacts,
  ticketFacts,
} from '../../src/metrics/index.js';
import type { TicketEvent } from '../../src/model/index.js';
import { propertyRuns } from '../support/runs.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const M = 60_000;
let seq = 0;
const ev = (ticketId: string, at: number, rest: Record<string, unknown>) =>
  ({ id: `e${seq++}`, ticketId, at: T0 + at * M, ...rest }) as TicketEvent;
const opened = (ticketId: string) =>
  ev(ticketId, 0, {
    type: 'ticket.opened',
    channel: 'chat',
    subject: '',
    body: 'where is my order',
    customer: { id: `c-${ticketId}` },
  });
const botAnswer = (t: string, at: number) =>
  ev(t, at, {
    type: 'agent.replied',
    agentId: 'bot',
    body: 'It is on its way. Did this help?',
    bot: true,
    status: 'pending',
  });
const yes = (t: string, at: number) => [
  ev(t, at, { type: 'customer.replied', body: 'yes thanks' }),
  ev(t, at, {
    type: 'agent.replied',
    agentId: 'bot',
    body: 'confirmed',
    bot: true,
    public: false,
    status: 'solved',
  }),
];
const handover = (t: string, at: number) => [
  ev(t, at, { type: 'customer.replied', body: 'no' }),
  ev(t, at, { type: 'ticket.assigned', agentId: null, queue: null, by: 'bot' }),
  ev(t, at + 1, { type: 'ticket.assigned', agentId: 'ana' }),
  ev(t, at + 30, { type: 'agent.replied', agentId: 'ana', body: 'Sorted', status: 'solved' }),
];
const csat = (t: string, at: number, score: number) =>
  ev(t, at, { type: 'survey.answered', survey: 'csat', score });

const logs: TicketEvent[][] = [
  // deflected, happy
  [opened('A'), botAnswer('A', 0), ...yes('A', 5), csat('A', 10, 5)],
  // deflected, then a CSAT of 4
  [opened('B'), botAnswer('B', 0), ...yes('B', 5), csat('B', 10, 4)],
  // handed over, a person solves it
  [opened('C'), botAnswer('C', 0), ...handover('C', 5), csat('C', 60, 2)],
  // solved by the bot, then reopened: not deflected
  [
    opened('D'),
    botAnswer('D', 0),
    ...yes('D', 5),
    ev('D', 60, { type: 'customer.replied', body: 'it broke again' }),
  ],
  // no bot at all
  [
    opened('E'),
    ev('E', 10, { type: 'agent.replied', agentId: 'ana', body: 'Here you go', status: 'solved' }),
    csat('E', 20, 5),
  ],
];
const facts = logs.map((log) => ticketFacts(log));

describe('self-service KPIs', () => {
  it('reads bot replies and hand-overs from the log', () => {
    expect(facts.map((f) => [f.botReplies, f.botHandover, f.agentReplies])).toEqual([
      [1, false, 0],
      [1, false, 0],
      [1, true, 1],
      [1, false, 0],
      [0, false, 1],
    ]);
    expect(facts.map(deflected)).toEqual([true, true, false, false, false]);
  });

  it('reports deflection, handover, the bot resolution rate and CSAT by bot and human', () => {
    const report = selfServiceReport(facts);
    expect(report.deflectionRate).toMatchObject({ value: 40, n: 5, hits: 2 });
    expect(report.botHandoverRate).toMatchObject({ value: 25, n: 4, hits: 1 });
    expect(report.botResolutionRate).toMatchObject({ value: 50, n: 4, hits: 2 });
    expect(report.csatBot).toMatchObject({ value: 100, n: 2, mean: 4.5 });
    expect(report.csatHuman).toMatchObject({ value: 50, n: 2, mean: 3.5 });
    expect(report.csatBot.definition).toMatch(/self-service/);
    expect(kpiReport(facts).selfService).toEqual(report);
    const text = formatReport(kpiReport(facts));
    expect(text).toMatch(/\| Deflection rate \| 40\.0% \| 5 \|/);
    expect(text).toMatch(/\| CSAT \(people\) \| 50\.0% \| 2 \|/);
    // A desk without a bot shows no self-service rows.
    expect(formatReport(kpiReport([facts[4] as TicketFacts]))).not.toMatch(/Deflection/);
  });

  it('counts facts made before bots were counted as no bot', () => {
    const { botReplies: _, botHandover: __, ...old } = facts[0] as TicketFacts;
    expect(deflected(old)).toBe(false);
    expect(selfServiceReport([old]).botHandoverRate.n).toBe(0);
  });

  test.prop([fc.array(fc.nat(logs.length - 1), { maxLength: 40 }), fc.nat(40)], propertyRuns(100))(
    'merging the states of two parts equals folding the whole; deflected never exceeds answered',
    (picks, cut) => {
      const list = picks.map((i) => facts[i] as TicketFacts);
      const acc = selfServiceAccumulator();
      const split = Math.min(cut, list.length);
      const merged = acc.result(
        acc.merge(foldState(acc, list.slice(0, split)), foldState(acc, list.slice(split))),
      );
      expect(merged).toEqual(fold(acc, list));
      expect(merged.botResolutionRate.hits).toBe(merged.deflectionRate.hits);
      expect(merged.botResolutionRate.hits + merged.botHandoverRate.hits).toBeLessThanOrEqual(
        merged.botHandoverRate.n,
      );
    },
  );
});
