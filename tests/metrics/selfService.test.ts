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
import { CarekitError, type TicketEvent } from '../../src/model/index.js';
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

describe('which tickets self-service counts', () => {
  const spamAfter = (t: string, at: number) => ev(t, at, { type: 'ticket.marked_spam' }) as TicketEvent;
  const deflectedSpam = ticketFacts([opened('S'), botAnswer('S', 0), ...yes('S', 5), spamAfter('S', 6)]);
  // An outbound notice the desk sent as a bot: an agent opened the ticket.
  const notice = ticketFacts([
    ev('N', 0, {
      type: 'ticket.opened',
      channel: 'chat',
      subject: '',
      body: 'your order shipped',
      customer: { id: 'c-N' },
      origin: 'agent',
      agentId: 'ana',
    }),
    botAnswer('N', 0),
    ...yes('N', 5),
  ]);
  // A person replied first, the bot after, and the bot solved it: no hand-over, but not self-service.
  const personFirst = ticketFacts([
    opened('P'),
    ev('P', 1, { type: 'agent.replied', agentId: 'ana', body: 'Let me check' }),
    botAnswer('P', 2),
    ...yes('P', 5),
  ]);
  // Handed over to a person who solved it without a public reply.
  const silentHandover = ticketFacts([
    opened('H'),
    botAnswer('H', 0),
    ev('H', 5, { type: 'customer.replied', body: 'no' }),
    ev('H', 6, { type: 'ticket.assigned', agentId: 'ana', by: 'bot' }),
    ev('H', 30, { type: 'ticket.status_set', status: 'solved' }),
  ]);
  // The bot answered and the customer has not said yet.
  const waiting = ticketFacts([opened('W'), botAnswer('W', 0)]);

  it('a ticket is deflected only when a bot answered a customer, no person took part, and it was solved', () => {
    expect([personFirst.agentReplies, personFirst.botReplies, personFirst.botHandover]).toEqual([
      1,
      1,
      false,
    ]);
    expect([silentHandover.agentReplies, silentHandover.botHandover, silentHandover.firstSolvedAt]).toEqual([
      0,
      true,
      T0 + 30 * M,
    ]);
    expect([waiting.firstSolvedAt, waiting.agentReplies, waiting.botHandover]).toEqual([null, 0, false]);
    expect([deflectedSpam, notice, personFirst, silentHandover, waiting].map(deflected)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('spam, merged and tickets not opened by the customer are in no rate', () => {
    const merged = ticketFacts([
      opened('M'),
      botAnswer('M', 0),
      ...yes('M', 5),
      ev('M', 6, { type: 'ticket.merged', into: 'A' }) as TicketEvent,
    ]);
    expect([deflectedSpam.excluded, merged.excluded, notice.origin]).toEqual(['spam', 'merged', 'agent']);
    const report = selfServiceReport([...facts, deflectedSpam, merged, notice]);
    expect(report).toEqual(selfServiceReport(facts));
    expect(report.deflectionRate).toMatchObject({ value: 40, n: 5, hits: 2 });
    expect(report.botHandoverRate).toMatchObject({ n: 4, hits: 1 });
    expect(report.botResolutionRate).toMatchObject({ n: 4, hits: 2 });
  });

  it('a hand-over counts as handed over, a waiting bot answer as answered and not solved', () => {
    const report = selfServiceReport([silentHandover, waiting, personFirst]);
    expect(report.deflectionRate).toMatchObject({ value: 0, n: 3, hits: 0 });
    expect(report.botHandoverRate).toMatchObject({ n: 3, hits: 1 });
    expect(report.botResolutionRate).toMatchObject({ value: 0, n: 3, hits: 0 });
  });

  it('CSAT by who solved counts CSAT answers of counted tickets only', () => {
    const withNps = ticketFacts([
      opened('Q'),
      botAnswer('Q', 0),
      ...yes('Q', 5),
      csat('Q', 10, 5),
      ev('Q', 11, { type: 'survey.answered', survey: 'nps', score: 2 }),
    ]);
    const humanSpam = ticketFacts([
      opened('R'),
      ev('R', 10, { type: 'agent.replied', agentId: 'ana', body: 'Here you go', status: 'solved' }),
      csat('R', 20, 1),
      spamAfter('R', 30),
    ]);
    const report = selfServiceReport([withNps, humanSpam, facts[4] as TicketFacts]);
    expect(report.csatBot).toMatchObject({ value: 100, n: 1, mean: 5 });
    expect(report.csatHuman).toMatchObject({ value: 100, n: 1, mean: 5 });
    expect(report.csatBot.definition).toMatch(/, on tickets solved by self-service$/);
    expect(report.csatHuman.definition).toMatch(/, on tickets solved by a person$/);
  });

  it('refuses what is not ticket facts, naming the function called', () => {
    const advice = 'derive them with ticketFacts(events, options) from this version of carekit';
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(CarekitError);
        const e = error as CarekitError & { path: unknown };
        return { code: e.code, path: e.path, message: e.message };
      }
      throw new Error('expected a refusal');
    };
    const notFacts = 'an object without factsVersion (not made by ticketFacts), not ticket facts';
    expect(refusal(() => deflected({} as never))).toEqual({
      code: 'invalid_facts',
      path: [],
      message: `deflected: ${notFacts}; ${advice}`,
    });
    const acc = selfServiceAccumulator();
    expect(refusal(() => acc.add(acc.empty(), {} as never))).toEqual({
      code: 'invalid_facts',
      path: [],
      message: `selfServiceAccumulator.add: ${notFacts}; ${advice}`,
    });
    expect(refusal(() => selfServiceReport('facts' as never))).toEqual({
      code: 'invalid_facts',
      path: [],
      message: `selfServiceReport: expected an array of ticket facts, got "facts"; ${advice}`,
    });
  });
});
