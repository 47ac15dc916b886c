// Worked examples of agent utilisation and chat abandonment, as their TSDoc defines them.
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import {
  agentUtilisation,
  agentUtilisationAccumulator,
  chatAbandonmentRate,
  foldState,
  formatReport,
  kpiReport,
  ticketFacts,
} from '../../src/metrics/index.js';
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';

const MONDAY = Date.UTC(2025, 2, 10); // Monday 10 March 2025, 00:00 UTC
const H = 3_600_000;
const MIN = 60_000;
const weekdays = createCalendar({
  timeZone: 'UTC',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
});
const mornings = createCalendar({
  timeZone: 'UTC',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['08:00', '12:00']]])),
});

function log(ticketId: string, steps: Record<string, unknown>[], opened: Record<string, unknown> = {}) {
  let n = 0;
  return [
    {
      type: 'ticket.opened',
      id: `${ticketId}-0`,
      ticketId,
      at: MONDAY + 9 * H,
      channel: 'chat',
      subject: 's',
      body: 'b',
      customer: { id: `c-${ticketId}` },
      ...opened,
    },
    ...steps.map((s) => ({ ticketId, id: `${ticketId}-${++n}`, ...s })),
  ].map((e) => parseTicketEvent(e)) as TicketEvent[];
}
const reply = (agentId: string, at: number, workMs: number, extra: Record<string, unknown> = {}) => ({
  type: 'agent.replied',
  at,
  agentId,
  body: 'x',
  workMs,
  ...extra,
});

describe('agentUtilisation: handled time over staffed time', () => {
  // Monday: ana (09:00–17:00) logs 5 h of work on replies and notes; ben (08:00–12:00) 1 h; a bot's
  // work has no shift. Tuesday's reply falls outside the period.
  const facts = [
    ticketFacts(
      log('T1', [
        reply('ana', MONDAY + 10 * H, 3 * H),
        { type: 'agent.noted', at: MONDAY + 11 * H, agentId: 'ana', body: 'n', workMs: H },
      ]),
    ),
    ticketFacts(log('T2', [reply('ana', MONDAY + 14 * H, H), reply('ben', MONDAY + 15 * H, H)])),
    ticketFacts(
      log('T3', [
        reply('bot', MONDAY + 9 * H + MIN, 10 * MIN, { bot: true }),
        reply('ana', MONDAY + 33 * H, 2 * H),
      ]),
    ),
  ];
  const period = { from: MONDAY, to: MONDAY + 24 * H };

  it('per agent: work stamped in [from, to) over the shift hours in it', () => {
    const r = agentUtilisation(facts, { shifts: { ana: weekdays, ben: mornings }, ...period });
    expect(r.agents.ana).toEqual({ handledMs: 5 * H, staffedMs: 8 * H, value: 62.5 });
    expect(r.agents.ben).toEqual({ handledMs: H, staffedMs: 4 * H, value: 25 });
    // The bot's work has no shift: listed, not in the team's value.
    expect(r.agents.bot).toEqual({ handledMs: 10 * MIN, staffedMs: 0, value: null });
    // The team: (5 h + 1 h) / (8 h + 4 h).
    expect([r.value, r.n, r.handledMs, r.staffedMs]).toEqual([50, 2, 6 * H, 12 * H]);
  });

  it('without a period: the facts span, from the first creation to the last event', () => {
    const r = agentUtilisation(facts, { shifts: { ana: weekdays } });
    // Monday 09:00 to Tuesday 09:00 (the last reply): Monday's 8 shift hours; 7 h of work in it.
    expect([r.from, r.to]).toEqual([MONDAY + 9 * H, MONDAY + 33 * H]);
    expect(r.agents.ana).toEqual({ handledMs: 7 * H, staffedMs: 8 * H, value: 87.5 });
  });

  it('merges per partition, and shows in the report only with shift calendars', () => {
    const acc = agentUtilisationAccumulator({ shifts: { ana: weekdays, ben: mornings }, ...period });
    const merged = acc.result(acc.merge(foldState(acc, facts.slice(0, 1)), foldState(acc, facts.slice(1))));
    expect(merged.value).toBe(50);
    expect(kpiReport(facts).agentUtilisation).toBeUndefined();
    const report = kpiReport(facts, { utilisation: { shifts: { ana: weekdays, ben: mornings }, ...period } });
    expect(report.agentUtilisation?.value).toBe(50);
    expect(formatReport(report)).toContain('| Agent utilisation | 50.0% | 2 |');
  });

  it('a period that ends before it starts, or a shift that is not a calendar, is refused', () => {
    expect(() => agentUtilisation(facts, { shifts: {}, from: 2, to: 1 })).toThrow(
      /ends \(to\) before it starts/,
    );
    expect(() => agentUtilisation(facts, { shifts: { ana: {} as never } })).toThrow(
      /shifts.ana is not a calendar/,
    );
  });
});

describe("agentUtilisation's edges", () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const e = error as { code: string; path: unknown; message: string };
      return { code: e.code, path: e.path, message: e.message };
    }
    throw new Error('accepted');
  };
  // Opened on Tuesday 09:00, Monday 09:00 and Wednesday 09:00 (in that order), the last event on
  // Monday 16:00, Wednesday 10:00 and Tuesday 12:00: the span is the earliest creation to the
  // latest event whatever the order of the facts.
  const tuesday = ticketFacts(log('U1', [reply('ana', MONDAY + 36 * H, H)], { at: MONDAY + 33 * H }));
  const monday = ticketFacts(log('U2', [reply('ana', MONDAY + 16 * H, H)]));
  const wednesday = ticketFacts(log('U3', [reply('ben', MONDAY + 58 * H, H)], { at: MONDAY + 57 * H }));

  it('takes the default period from the earliest creation to the latest event, in any order', () => {
    for (const order of [
      [tuesday, monday, wednesday],
      [wednesday, tuesday, monday],
    ]) {
      const r = agentUtilisation(order, { shifts: { ana: weekdays } });
      expect([r.from, r.to]).toEqual([MONDAY + 9 * H, MONDAY + 58 * H]);
      // Monday 09:00–17:00, Tuesday 09:00–17:00, Wednesday 09:00–10:00.
      expect(r.agents.ana?.staffedMs).toBe(17 * H);
    }
    const acc = agentUtilisationAccumulator({ shifts: { ana: weekdays } });
    const one = foldState(acc, [tuesday]);
    const two = foldState(acc, [monday, wednesday]);
    for (const [a, b] of [
      [one, two],
      [two, one],
      [acc.empty(), two],
      [two, acc.empty()],
    ] as const) {
      expect(acc.merge(a, b)).toMatchObject({ first: MONDAY + 9 * H, last: MONDAY + 58 * H });
    }
    expect(acc.merge(acc.empty(), acc.empty())).toMatchObject({ first: null, last: null });
  });

  it('counts work at the start of the period, not at its end or before it', () => {
    const at = (t: number) => ticketFacts(log(`W${t}`, [reply('ana', MONDAY + t * H, H)]));
    const facts = [at(9.5), at(10), at(12), at(13)];
    const r = agentUtilisation(facts, {
      shifts: { ana: weekdays },
      from: MONDAY + 10 * H,
      to: MONDAY + 12 * H,
    });
    // 10:00 counts, 12:00 (the end) and 09:30 (before) do not, nor 13:00.
    expect(r.agents.ana).toEqual({ handledMs: H, staffedMs: 2 * H, value: 50 });
    // A period of no length is accepted: nothing staffed, nothing counted.
    const empty = agentUtilisation(facts, {
      shifts: { ana: weekdays },
      from: MONDAY + 10 * H,
      to: MONDAY + 10 * H,
    });
    expect(empty).toMatchObject({ value: null, n: 0, handledMs: 0, staffedMs: 0 });
  });

  it('says why when nothing was staffed, and lists every agent in id order', () => {
    const acc = agentUtilisationAccumulator({ shifts: { zoe: weekdays, ana: mornings } });
    // No facts: no period, so no staffed time.
    expect(acc.result(acc.empty())).toEqual({
      value: null,
      n: 0,
      definition: expect.stringMatching(/^agent utilisation/),
      reason: 'no staffed shift hours in the period',
      handledMs: 0,
      staffedMs: 0,
      from: null,
      to: null,
      agents: {
        ana: { handledMs: 0, staffedMs: 0, value: null },
        zoe: { handledMs: 0, staffedMs: 0, value: null },
      },
    });
    const r = agentUtilisation([wednesday, monday], { shifts: { zoe: weekdays, ana: mornings } });
    expect(Object.keys(r.agents)).toEqual(['ana', 'ben', 'zoe']);
    expect(r).not.toHaveProperty('reason');
    // Facts of an older version, without work: nothing handled, the span still read.
    const { work: _, ...noWork } = monday;
    const unworked = agentUtilisation([noWork as typeof monday], { shifts: { ana: weekdays } });
    expect(unworked).toMatchObject({ handledMs: 0, staffedMs: 7 * H, value: 0 });
    expect(unworked.agents).toEqual({ ana: { handledMs: 0, staffedMs: 7 * H, value: 0 } });
    // A period given at one end only, and no facts for the other: no period, nothing staffed.
    for (const end of [{ from: MONDAY }, { to: MONDAY + 24 * H }]) {
      const half = agentUtilisationAccumulator({ shifts: { ana: weekdays }, ...end });
      expect(half.result(half.empty()).agents.ana).toEqual({ handledMs: 0, staffedMs: 0, value: null });
    }
    // Before 1970 (negative epoch milliseconds): the span still starts and ends at the facts.
    const DEC_1969 = Date.UTC(1969, 11, 29); // a Monday
    const old = ticketFacts(log('O1', [reply('ana', DEC_1969 + 12 * H, H)], { at: DEC_1969 + 10 * H }));
    expect(agentUtilisation([old], { shifts: { ana: weekdays } })).toMatchObject({
      from: DEC_1969 + 10 * H,
      to: DEC_1969 + 12 * H,
      staffedMs: 2 * H,
      value: 50,
    });
  });

  it('names the function, the argument and its path in every refusal', () => {
    expect(refusal(() => agentUtilisation(null as never, { shifts: {} })).message).toMatch(
      /^agentUtilisation: /,
    );
    expect(refusal(() => agentUtilisationAccumulator({ shifts: {}, from: 2, to: 1 }))).toEqual({
      code: 'invalid_argument',
      path: ['to'],
      message: 'agentUtilisationAccumulator: the period ends (to) before it starts (from)',
    });
    expect(refusal(() => agentUtilisationAccumulator({ shifts: { ana: { timeZone: 1 } as never } }))).toEqual(
      {
        code: 'invalid_argument',
        path: ['shifts', 'ana'],
        message:
          'agentUtilisationAccumulator: shifts.ana is not a calendar; make shift calendars with createCalendar({ timeZone, week })',
      },
    );
    const throwing = {
      get timeZone(): string {
        throw new Error('boom');
      },
    };
    expect(refusal(() => agentUtilisationAccumulator({ shifts: { ana: throwing as never } }))).toMatchObject({
      path: ['shifts'],
      message: expect.stringMatching(/^agentUtilisationAccumulator: .*boom/),
    });
    const acc = agentUtilisationAccumulator({ shifts: {} });
    expect(refusal(() => acc.add(acc.empty(), {} as never)).message).toMatch(
      /^agentUtilisationAccumulator\.add: /,
    );
  });
});

describe('chatAbandonmentRate: chats the customer left before a first reply', () => {
  const at = (m: number) => MONDAY + 9 * H + m * MIN;
  const facts = [
    // answered after 2 min, solved later: not abandoned
    ticketFacts(
      log('A', [reply('ana', at(2), 0), { type: 'ticket.status_set', at: at(20), status: 'solved' }]),
    ),
    // closed after 5 min with no reply: abandoned
    ticketFacts(log('B', [{ type: 'ticket.closed', at: at(5) }])),
    // solved (ended) after 3 min, a reply only after it: abandoned
    ticketFacts(
      log('C', [{ type: 'ticket.status_set', at: at(3), status: 'solved' }, reply('ana', at(9), 0)]),
    ),
    // still waiting at the end of the log: left out
    ticketFacts(log('D', [])),
    // an email closed with no reply: not a chat
    ticketFacts(log('E', [{ type: 'ticket.closed', at: at(5) }], { channel: 'email' })),
    // a bot solved it by itself: self-service, not abandonment
    ticketFacts(log('F', [reply('bot', at(1), 0, { bot: true, status: 'solved' })])),
  ];

  it('ended (solved or closed) before a person replied, of chats that got a reply or ended', () => {
    const r = chatAbandonmentRate(facts);
    expect([r.hits, r.n, Math.round(r.value! * 10) / 10]).toEqual([2, 3, 66.7]);
    expect(kpiReport(facts).chatAbandonmentRate.hits).toBe(2);
  });
});
