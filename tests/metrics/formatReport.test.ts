// formatReport row by row: every KPI's name, its value in its unit, its n and its definition, the
// rows shown only when there is something to say, the text table's columns, and the refusals.
import { describe, expect, it } from 'vitest';
import {
  fold,
  formatReport,
  type KpiReport,
  kpiReport,
  kpiReportAccumulator,
  ticketFacts,
} from '../../src/metrics/index.js';
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';
import { createSlaPolicy } from '../../src/sla/index.js';

const MONDAY = Date.UTC(2025, 2, 10);
const H = 3_600_000;
const MIN = 60_000;

function log(ticketId: string, steps: Record<string, unknown>[], opened: Record<string, unknown> = {}) {
  let n = 0;
  return [
    {
      type: 'ticket.opened',
      id: `${ticketId}-0`,
      ticketId,
      at: MONDAY + 9 * H,
      channel: 'email',
      subject: 's',
      body: 'b',
      customer: { id: `c-${ticketId}` },
      ...opened,
    },
    ...steps.map((s) => ({ ticketId, id: `${ticketId}-${++n}`, ...s })),
  ].map((e) => parseTicketEvent(e)) as TicketEvent[];
}

// T1: answered in 1 h and solved (CSAT 5, NPS 9); T2: answered in 20 min, a customer reply
// answered an hour later, solved after 4 h (CSAT 2, NPS 3, CES 4); T3: a chat, escalated.
// Built inside each test, not when the file loads: Stryker counts only what a test runs as its coverage.
const makeFacts = () => [
  ticketFacts(
    log('T1', [
      {
        type: 'agent.replied',
        at: MONDAY + 10 * H,
        agentId: 'ana',
        body: 'x',
        workMs: 30 * MIN,
        status: 'solved',
      },
      { type: 'survey.answered', at: MONDAY + 11 * H, survey: 'csat', score: 5 },
      { type: 'survey.answered', at: MONDAY + 11 * H + MIN, survey: 'nps', score: 9 },
    ]),
  ),
  ticketFacts(
    log('T2', [
      { type: 'agent.replied', at: MONDAY + 9 * H + 20 * MIN, agentId: 'ben', body: 'x', workMs: 10 * MIN },
      { type: 'customer.replied', at: MONDAY + 12 * H, body: 'y' },
      { type: 'agent.replied', at: MONDAY + 13 * H, agentId: 'ben', body: 'x', status: 'solved' },
      { type: 'survey.answered', at: MONDAY + 14 * H, survey: 'csat', score: 2 },
      { type: 'survey.answered', at: MONDAY + 14 * H + MIN, survey: 'nps', score: 3 },
      { type: 'survey.answered', at: MONDAY + 14 * H + 2 * MIN, survey: 'ces', score: 4 },
    ]),
  ),
  ticketFacts(
    log('T3', [{ type: 'ticket.escalated', at: MONDAY + 10 * H, tier: 2, reason: 'complaint' }], {
      channel: 'chat',
    }),
  ),
];

/** The Markdown table's rows as [name, value, n, definition]. */
const table = (r: KpiReport) =>
  formatReport(r, 'md')
    .split('\n')
    .slice(2)
    .map((line) => line.slice(2, -2).split(' | '));

const NAMES = [
  'CSAT',
  'NPS',
  'CES',
  'First reply time',
  'Next reply time',
  'First resolution time',
  'Full resolution time',
  'Requester wait time',
  'Agent wait time',
  'On-hold time',
  'Handle time (AHT)',
  'FCR',
  'One-touch',
  'Two-touch',
  'Zero-touch',
  'Reopen rate',
  'Escalation rate',
  'Callback rate',
  'Returning customers',
  'SLA firstReply',
  'SLA nextReply',
  'SLA resolution',
];

describe('formatReport', () => {
  it('names every KPI, in order, with its definition and n', () => {
    const facts = makeFacts();
    const report = kpiReport(facts);
    const rows = table(report);
    expect(rows.map((r) => r[0])).toEqual(NAMES);
    expect(formatReport(report, 'md').split('\n').slice(0, 2)).toEqual([
      '| KPI | value | n | definition |',
      '|---|---|---|---|',
    ]);
    const byName = Object.fromEntries(rows.map((r) => [r[0], r]));
    expect(byName.CSAT).toEqual(['CSAT', '50.0%', '2', report.csat.definition]);
    expect(byName.CES).toEqual(['CES', '4.00', '1', report.ces.definition]);
    expect(byName['Escalation rate']).toEqual([
      'Escalation rate',
      '33.3%',
      '3',
      report.escalationRate.definition,
    ]);
    expect(byName['Handle time (AHT)']?.[3]).toBe(report.handleTime.definition);
    expect(byName['Reopen rate']?.slice(0, 3)).toEqual(['Reopen rate', '0.0%', '2']);
    expect(byName['SLA resolution']).toEqual([
      'SLA resolution',
      '— (no tickets qualify)',
      '0',
      report.slaCompliance.resolution?.definition,
    ]);
  });

  it('writes percent with one decimal, NPS in points with its margin, CES with two, durations in min below an hour and h from it', () => {
    const facts = makeFacts();
    const report = kpiReport(facts);
    const byName = Object.fromEntries(table(report).map((r) => [r[0], r[1]]));
    expect(byName.NPS).toBe('0.0 ± 138.6');
    // The p90 is exactly one hour: written as 1.0 h, not 60.0 min.
    expect(byName['First reply time']).toBe('40.0 min mean, 20.0 min median, 1.0 h p90');
    expect(byName['Next reply time']).toBe('1.0 h mean, 1.0 h median, 1.0 h p90');
    expect(byName['Handle time (AHT)']).toBe('20.0 min mean, 10.0 min median, 30.0 min p90');
    // NPS without a margin, and a duration without tickets: the reason once.
    const none = kpiReport([facts[2]!]);
    const empty = Object.fromEntries(table(none).map((r) => [r[0], r[1]]));
    expect(none.nps.marginOfError).toBeNull();
    expect(empty.NPS).toBe(`— (${none.nps.reason})`);
    expect(empty['First reply time']).toBe(`— (${none.firstReplyTime.reason})`);
    const single = { ...report, nps: { ...report.nps, value: 12.34, marginOfError: null } };
    expect(Object.fromEntries(table(single).map((r) => [r[0], r[1]])).NPS).toBe('12.3');
    const reasonless = { ...report, csat: { ...report.csat, value: null, reason: undefined } } as never;
    expect(table(reasonless)[0]?.[1]).toBe('— (no data)');
  });

  it('shows chat abandonment, self-service and relation rows only when there is something to say', () => {
    const facts = makeFacts();
    const report = kpiReport(facts);
    const names = (r: KpiReport) => table(r).map((row) => row[0]);
    expect(report.chatAbandonmentRate.n).toBe(0);
    const chats = { ...report, chatAbandonmentRate: { ...report.chatAbandonmentRate, value: 50, n: 2 } };
    const chatRow = table(chats).find((r) => r[0] === 'Chat abandonment');
    expect(chatRow).toEqual(['Chat abandonment', '50.0%', '2', report.chatAbandonmentRate.definition]);
    expect(names(chats).indexOf('Chat abandonment')).toBe(NAMES.indexOf('Returning customers') + 1);
    const s = report.selfService;
    const bots = {
      ...report,
      selfService: { ...s, botHandoverRate: { ...s.botHandoverRate, value: 25, n: 4 } },
    };
    expect(names(bots).slice(NAMES.length)).toEqual([
      'Deflection rate',
      'Bot resolution rate',
      'Bot handover rate',
      'CSAT (self-service)',
      'CSAT (people)',
    ]);
    expect(names({ ...report, relations: undefined } as never)).toEqual(NAMES);
    const none = report.relations;
    const rel = (extra: Partial<typeof none>) =>
      table({ ...report, relations: { ...none, ...extra } }).slice(NAMES.length);
    expect(rel({})).toEqual([]);
    const merged = ['Merged tickets', '1', '0', expect.stringMatching(/^tickets merged into another/)];
    expect(rel({ merged: 1 })).toEqual([merged]);
    expect(rel({ mergeTargets: 2 })).toEqual([['Merged tickets', '0', '2', merged[3]]]);
    const splits = expect.stringMatching(/^splits recorded/);
    expect(rel({ splits: 1 })).toEqual([['Splits', '1', '0', splits]]);
    expect(rel({ splitTickets: 3 })).toEqual([['Splits', '0', '3', splits]]);
    const child = expect.stringMatching(/^children linked to a parent/);
    expect(rel({ parents: 1, children: 2, openChildren: 1, childrenPerParent: { mean: 2, max: 2 } })).toEqual(
      [['Child tickets', '2 under 1 parents (2.0 per parent, 1 open)', '0', child]],
    );
    expect(rel({ childTickets: 1 })).toEqual([
      ['Child tickets', '0 under 0 parents (— per parent, 0 open)', '1', child],
    ]);
    expect(rel({ childTickets: 1, childWaitMs: { count: 1, mean: 2 * H, max: 2 * H } })).toEqual([
      ['Child tickets', '0 under 0 parents (— per parent, 0 open)', '1', child],
      ['Wait for children', '2.0 h', '1', "mean calendar time from a child's link to it being done"],
    ]);
    expect(rel({ sideConversations: 2, sideConversationsOverdue: 1 })).toEqual([
      [
        'Side conversations',
        '2 (1 past their target)',
        '2',
        expect.stringMatching(/^side conversations opened/),
      ],
    ]);
  });

  it('aligns the text table: names and values padded, n right-aligned, definitions last', () => {
    const facts = makeFacts();
    const report = kpiReport(facts);
    const lines = formatReport(report, 'text').split('\n');
    const nameWidth = 'First resolution time'.length;
    const valueWidth = '20.0 min mean, 10.0 min median, 30.0 min p90'.length;
    expect(lines[0]).toBe(`${'KPI'.padEnd(nameWidth)}  ${'value'.padEnd(valueWidth)}  n  definition`);
    expect(lines[1]).toBe(
      `${'CSAT'.padEnd(nameWidth)}  ${'50.0%'.padEnd(valueWidth)}  2  ${report.csat.definition}`,
    );
    expect(lines).toHaveLength(NAMES.length + 1);
    // A wider n column right-aligns the narrower ones.
    const wide = { ...report, csat: { ...report.csat, n: 1234 } };
    const [head, csat, nps] = formatReport(wide, 'text').split('\n');
    expect(head).toContain(`${'value'.padEnd(valueWidth)}     n  definition`);
    expect(csat).toContain(`${'50.0%'.padEnd(valueWidth)}  1234  `);
    expect(nps).toContain(`${'0.0 ± 138.6'.padEnd(valueWidth)}     2  `);
    // A header wider than every value sets the width.
    const narrow = formatReport(kpiReport([]), 'text').split('\n')[0];
    expect(narrow?.startsWith(`${'KPI'.padEnd(nameWidth)}  value`)).toBe(true);
  });

  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const e = error as { code: string; path: unknown; message: string };
      return { code: e.code, path: e.path, message: e.message };
    }
    throw new Error('accepted');
  };

  it('refuses another format and what is not a report, saying what it got', () => {
    const facts = makeFacts();
    const report = kpiReport(facts);
    expect(refusal(() => formatReport(report, 'html' as never))).toEqual({
      code: 'invalid_argument',
      path: ['format'],
      message: `formatReport: format is 'md' or 'text', got "html"`,
    });
    expect(refusal(() => formatReport(report, 'x'.repeat(50) as never)).message).toBe(
      `formatReport: format is 'md' or 'text', got "${'x'.repeat(40)}"`,
    );
    expect(refusal(() => formatReport(report, 5 as never)).message).toBe(
      `formatReport: format is 'md' or 'text', got number`,
    );
    const tail = "; pass what kpiReport or a report accumulator's result returns";
    for (const bad of [null, 'report']) {
      expect(refusal(() => formatReport(bad as never))).toEqual({
        code: 'invalid_report',
        path: [],
        message: `formatReport: report is not a KPI report (not an object)${tail}`,
      });
    }
    const partial = refusal(() => formatReport({} as never)).message;
    expect(partial).toMatch(
      /^formatReport: report is not a KPI report \(Cannot read properties of undefined/,
    );
    expect(partial.endsWith(tail)).toBe(true);
    const long = {
      get csat(): never {
        throw new Error('y'.repeat(200));
      },
    };
    expect(refusal(() => formatReport(long as never)).message).toBe(
      `formatReport: report is not a KPI report (${'y'.repeat(120)})${tail}`,
    );
    const odd = {
      get csat(): never {
        throw 'odd';
      },
    };
    expect(refusal(() => formatReport(odd as never)).message).toBe(
      `formatReport: report is not a KPI report (unreadable)${tail}`,
    );
    expect(refusal(() => kpiReport(null as never)).message).toMatch(/^kpiReport: /);
  });
});

describe('kpiReportAccumulator', () => {
  it('counts SLA targets met of the clocks that finished, per clock the options name', () => {
    const sla = createSlaPolicy({
      id: 'p',
      calendar: null,
      firstReply: { targets: { normal: { minutes: 30 } } },
    });
    const timed = [
      log('T1', [
        { type: 'agent.replied', at: MONDAY + 10 * H, agentId: 'ana', body: 'x', status: 'solved' },
      ]),
      log('T2', [
        { type: 'agent.replied', at: MONDAY + 9 * H + 20 * MIN, agentId: 'ben', body: 'x', status: 'solved' },
      ]),
    ].map((events) => ticketFacts(events, { sla }));
    // T1 answered after an hour (breached), T2 after 20 minutes (met).
    expect(kpiReport(timed).slaCompliance.firstReply).toMatchObject({ value: 50, n: 2 });
    const only = kpiReport(timed, { slaClocks: ['firstReply'] });
    expect(Object.keys(only.slaCompliance)).toEqual(['firstReply']);
  });

  it('says business hours in the definitions of a business-hours report, calendar hours otherwise', () => {
    const facts = makeFacts();
    expect(kpiReport(facts).requesterWaitTime.definition).toMatch(/, calendar hours$/);
    expect(kpiReport(facts, { business: true }).requesterWaitTime.definition).toMatch(/, business hours$/);
    expect(kpiReport(facts, { business: true }).nextReplyTime.definition).toMatch(/business hours/);
    // Facts made without a calendar carry no business times: a business report finds no waits in them.
    expect(kpiReport(facts, { business: true }).nextReplyTime.n).toBe(0);
    expect(kpiReport(facts).nextReplyTime.n).toBe(1);
  });

  it('adds facts made before relations were kept, and names itself in its refusals', () => {
    const facts = makeFacts();
    const acc = kpiReportAccumulator();
    const { relations: _, ...older } = facts[0]!;
    expect(fold(acc, [older as never]).relations.merged).toBe(0);
    expect(() => acc.add(acc.empty(), {} as never)).toThrow(/^kpiReportAccumulator\.add: /);
    expect(() => kpiReportAccumulator({ bogus: 1 } as never)).toThrow(/kpiReportAccumulator/);
  });
});
