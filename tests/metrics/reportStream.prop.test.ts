// The streamed report (what `carekit report` runs) equals kpiReport over each ticket's facts.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  createReportStream,
  kpiReport,
  type ReportStreamOptions,
  ticketFacts,
} from '../../src/metrics/index.js';
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbTicketLog } from '../workflows/ticket/arbitraries.js';

const H = 3_600_000;
const DAY = 24 * H;
const lifecycle = {
  reopenWindowMs: 7 * DAY,
  autoSolvePendingAfterMs: 30 * H,
  autoCloseSolvedAfterMs: 20 * H,
};

// Results hold functions (quantile); compare what they say.
const comparable = (r: unknown) =>
  JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'function' ? undefined : v)));

/** The reference: every ticket's events in time order (its opening first), read at the log's end. */
function reference(events: readonly TicketEvent[], options: ReportStreamOptions) {
  const latest = Math.max(...events.map((e) => e.at));
  const byTicket = new Map<string, TicketEvent[]>();
  for (const e of events) byTicket.set(e.ticketId, [...(byTicket.get(e.ticketId) ?? []), e]);
  const facts = [];
  for (const list of byTicket.values()) {
    const sorted = [...list].sort((a, b) => a.at - b.at);
    const opened = sorted.find((e) => e.type === 'ticket.opened');
    if (!opened) continue;
    facts.push(
      ticketFacts([opened, ...sorted.filter((e) => e !== opened)], { ...options.lifecycle, now: latest }),
    );
  }
  return kpiReport(facts, options.report);
}

/** Several tickets of a few customers, interleaved in time order, with survey answers weeks late. */
const arbLog = fc
  .array(
    fc.tuple(
      arbTicketLog(20),
      fc.integer({ min: 0, max: 20 * DAY }),
      fc.constantFrom('c1', 'c2', 'c3'),
      fc.option(fc.integer({ min: 15 * DAY, max: 60 * DAY })),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((tickets) => {
    const events: TicketEvent[] = [];
    tickets.forEach(([log, shift, customer, late], k) => {
      const parsed = log.map((raw) => {
        const e = raw as Record<string, unknown>;
        const ticketId = `K${k}${e.ticketId === 'T-2' ? 'b' : ''}`;
        const base = { ...e, id: `${ticketId}:${String(e.id)}`, ticketId, at: (e.at as number) + shift };
        return parseTicketEvent(e.type === 'ticket.opened' ? { ...base, customer: { id: customer } } : base);
      });
      events.push(...parsed);
      if (late !== null) {
        const at = Math.max(...parsed.map((e) => e.at)) + late;
        const answer = parseTicketEvent({
          type: 'survey.answered',
          id: `K${k}:late`,
          ticketId: `K${k}`,
          at,
          survey: 'csat',
          score: 5,
        });
        events.push(answer, answer); // delivered twice: counted once
      }
    });
    // An export is in time order (a stable sort keeps redeliveries beside their first delivery).
    return events.sort((a, b) => a.at - b.at);
  });

describe('createReportStream', () => {
  test.prop([arbLog], propertyRuns(80))(
    'equals kpiReport over ticketFacts of the same log',
    (events) => {
      const options: ReportStreamOptions = {
        lifecycle,
        graceMs: 2 * DAY,
        lateAnswerMs: 90 * DAY,
        sweepEvery: 3,
      };
      const stream = createReportStream(options);
      for (const e of events) stream.add(e);
      const { report } = stream.finish();
      expect(comparable(report)).toEqual(comparable(reference(events, options)));
    },
    propertyTimeout(60_000),
  );

  it('forgets finished tickets and answers a survey weeks after the close on the finished ticket', () => {
    const at0 = Date.UTC(2025, 2, 10, 9);
    const events: TicketEvent[] = [];
    for (let i = 0; i < 50; i++) {
      const t = at0 + i * DAY;
      events.push(
        parseTicketEvent({
          type: 'ticket.opened',
          id: `o${i}`,
          ticketId: `T${i}`,
          at: t,
          channel: 'email',
          subject: 's',
          body: 'b',
          customer: { id: `c${i % 5}` },
        }),
        parseTicketEvent({
          type: 'agent.replied',
          id: `r${i}`,
          ticketId: `T${i}`,
          at: t + H,
          agentId: 'a',
          body: 'x',
          status: 'solved',
        }),
      );
      // Ticket 3 is answered 20 days after its auto-close (long after the stream forgot it).
      if (i === 25)
        events.push(
          parseTicketEvent({
            type: 'survey.answered',
            id: 's3',
            ticketId: 'T3',
            at: t,
            survey: 'csat',
            score: 2,
          }),
        );
    }
    const stream = createReportStream({ lifecycle, sweepEvery: 10 });
    for (const e of events) stream.add(e);
    // Auto-closed 20 h after the solve, forgotten 14 days later: only the last ~15 days are held.
    expect(stream.held().active).toBeLessThan(20);
    const { report, tickets, unopened } = stream.finish();
    expect([tickets, unopened, report.csat.n, report.csat.value]).toEqual([50, 0, 1, 0]);
    expect(comparable(report)).toEqual(comparable(reference(events, { lifecycle })));
  });

  it('remembers a finished ticket for lateAnswerMs only: memory stays flat, a later answer is unplaced', () => {
    const at0 = Date.UTC(2025, 2, 10, 9);
    const events: TicketEvent[] = [];
    for (let i = 0; i < 200; i++) {
      const t = at0 + i * DAY;
      const ticket = (type: string, id: string, at: number, rest: object) =>
        parseTicketEvent({ type, id: `${id}${i}`, ticketId: `T${i}`, at, ...rest });
      events.push(
        ticket('ticket.opened', 'o', t, {
          channel: 'email',
          subject: 's',
          body: 'b',
          customer: { id: `c${i % 5}` },
        }),
        ticket('agent.replied', 'r', t + H, { agentId: 'a', body: 'x', status: 'solved' }),
      );
    }
    // T0's answer 100 days after its close: 86 days after it was finished, 56 days past lateAnswerMs.
    events.push(
      parseTicketEvent({
        type: 'survey.answered',
        id: 'late',
        ticketId: 'T0',
        at: at0 + 100 * DAY,
        survey: 'csat',
        score: 5,
      }),
    );
    events.sort((a, b) => a.at - b.at);
    const stream = createReportStream({ lifecycle, sweepEvery: 10 });
    let most = 0;
    for (const e of events) {
      stream.add(e);
      most = Math.max(most, stream.held().finished);
    }
    // About 30 days of finished tickets (one a day), never the 200 of the log.
    expect(most).toBeLessThan(40);
    const { report, tickets, unplaced } = stream.finish();
    expect([tickets, unplaced, report.csat.n]).toEqual([200, 1, 0]);
  });
});
