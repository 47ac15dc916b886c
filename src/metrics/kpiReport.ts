import { fold } from './accumulator.js';
import type { DurationResult } from './durations.js';
import { checkFacts, MetricsArgumentError } from './guards.js';
import { type KpiReport, kpiReportAccumulator } from './kpiReportAccumulator.js';
import { type KpiReportOptions, parseReportOptions } from './kpiReportOptions.js';
import type { RelationsReport } from './relations.js';
import type { KpiResult } from './result.js';
import type { TicketFacts } from './ticketFacts.js';

/**
 * Every KPI of a set of ticket facts (survey answers are read from the facts): exactly
 * `fold(kpiReportAccumulator(options), facts)`, one mechanism, so a streamed or partitioned report
 * equals it.
 *
 * @example
 * ```ts
 * const report = kpiReport(facts, { business: true, fcr: 'zendeskOneTouch' });
 * report.csat.value;
 * //=> 86.5
 * ```
 */
export function kpiReport(facts: readonly TicketFacts[], options: KpiReportOptions = {}): KpiReport {
  const acc = kpiReportAccumulator(parseReportOptions(options, 'kpiReport'));
  checkFacts(facts, 'kpiReport');
  return fold(acc, facts);
}

const HOUR = 3_600_000;

function show(result: KpiResult, unit: 'percent' | 'points' | 'score' | 'duration'): string {
  if (result.value === null) return `— (${result.reason ?? 'no data'})`;
  const v = result.value;
  if (unit === 'percent') return `${v.toFixed(1)}%`;
  if (unit === 'points') return v.toFixed(1);
  if (unit === 'score') return v.toFixed(2);
  return showDuration(v);
}

function showDuration(ms: number): string {
  return ms >= HOUR ? `${(ms / HOUR).toFixed(1)} h` : `${(ms / 60_000).toFixed(1)} min`;
}

function rows(report: KpiReport): [string, string, string, string][] {
  // An empty KPI says why once, not once per statistic.
  const dur = (name: string, r: DurationResult): [string, string, string, string] => [
    name,
    r.value === null
      ? show(r, 'duration')
      : `${show(r, 'duration')} mean, ${show({ ...r, value: r.median }, 'duration')} median, ${show({ ...r, value: r.p90 }, 'duration')} p90`,
    String(r.n),
    r.definition,
  ];
  const pct = (name: string, r: KpiResult): [string, string, string, string] => [
    name,
    show(r, 'percent'),
    String(r.n),
    r.definition,
  ];
  return [
    pct('CSAT', report.csat),
    [
      'NPS',
      `${show(report.nps, 'points')}${report.nps.marginOfError === null ? '' : ` ± ${report.nps.marginOfError.toFixed(1)}`}`,
      String(report.nps.n),
      report.nps.definition,
    ],
    ['CES', show(report.ces, 'score'), String(report.ces.n), report.ces.definition],
    dur('First reply time', report.firstReplyTime),
    dur('Next reply time', report.nextReplyTime),
    dur('First resolution time', report.firstResolutionTime),
    dur('Full resolution time', report.resolutionTime),
    dur('Requester wait time', report.requesterWaitTime),
    dur('Agent wait time', report.agentWaitTime),
    dur('On-hold time', report.onHoldTime),
    dur('Handle time (AHT)', report.handleTime),
    pct('FCR', report.fcr),
    pct('One-touch', report.oneTouchRate),
    pct('Two-touch', report.twoTouchRate),
    pct('Zero-touch', report.zeroTouchRate),
    pct('Reopen rate', report.reopenRate),
    pct('Escalation rate', report.escalationRate),
    pct('Callback rate', report.callbackRate),
    pct('Returning customers', report.returningCustomerRate),
    // Chat and staffing rows only when there is something to say (no chats, no shift calendars).
    ...(report.chatAbandonmentRate.n === 0 ? [] : [pct('Chat abandonment', report.chatAbandonmentRate)]),
    ...(report.agentUtilisation === undefined ? [] : [pct('Agent utilisation', report.agentUtilisation)]),
    ...Object.entries(report.slaCompliance).map(([clock, r]) => pct(`SLA ${clock}`, r)),
    // Self-service rows only when a bot answered anything (a desk without a bot has no use for them).
    ...(report.selfService.botHandoverRate.n === 0
      ? []
      : [
          pct('Deflection rate', report.selfService.deflectionRate),
          pct('Bot resolution rate', report.selfService.botResolutionRate),
          pct('Bot handover rate', report.selfService.botHandoverRate),
          pct('CSAT (self-service)', report.selfService.csatBot),
          pct('CSAT (people)', report.selfService.csatHuman),
        ]),
    // Relation rows only when a ticket had one (reports made before relations were kept have none).
    ...relationRows(report.relations),
  ];
}

function relationRows(r: RelationsReport | undefined): [string, string, string, string][] {
  if (r === undefined) return [];
  const out: [string, string, string, string][] = [];
  if (r.merged > 0 || r.mergeTargets > 0)
    out.push([
      'Merged tickets',
      String(r.merged),
      String(r.mergeTargets),
      'tickets merged into another, counted once on the source (n: merge targets); left out of the other KPIs',
    ]);
  if (r.splits > 0 || r.splitTickets > 0)
    out.push([
      'Splits',
      String(r.splits),
      String(r.splitTickets),
      'splits recorded (n: tickets opened by a split)',
    ]);
  if (r.parents > 0 || r.childTickets > 0) {
    const mean = r.childrenPerParent.mean === null ? '—' : r.childrenPerParent.mean.toFixed(1);
    out.push([
      'Child tickets',
      `${r.children} under ${r.parents} parents (${mean} per parent, ${r.openChildren} open)`,
      String(r.childTickets),
      'children linked to a parent at the end of its log (n: tickets that are a child)',
    ]);
    if (r.childWaitMs.mean !== null)
      out.push([
        'Wait for children',
        showDuration(r.childWaitMs.mean),
        String(r.childWaitMs.count),
        "mean calendar time from a child's link to it being done",
      ]);
  }
  if (r.sideConversations > 0)
    out.push([
      'Side conversations',
      `${r.sideConversations} (${r.sideConversationsOverdue} past their target)`,
      String(r.sideConversations),
      "side conversations opened; past target: the third party's first answer came after the internal target",
    ]);
  return out;
}

/**
 * Renders a report as a Markdown table (`md`) or aligned plain text (`text`).
 *
 * @throws MetricsArgumentError `invalid_report` for anything that is not a KPI report,
 *   `invalid_argument` for another format.
 * @example
 * ```ts
 * formatReport(report, 'md').split('\n')[0];
 * //=> '| KPI | value | n | definition |'
 * ```
 */
export function formatReport(report: KpiReport, format: 'md' | 'text' = 'md'): string {
  if (format !== 'md' && format !== 'text')
    throw new MetricsArgumentError(
      'invalid_argument',
      ['format'],
      `formatReport: format is 'md' or 'text', got ${typeof format === 'string' ? JSON.stringify((format as string).slice(0, 40)) : typeof format}`,
    );
  let body: [string, string, string, string][];
  try {
    if (typeof report !== 'object' || report === null) throw new TypeError('not an object');
    body = rows(report);
  } catch (error) {
    throw new MetricsArgumentError(
      'invalid_report',
      [],
      `formatReport: report is not a KPI report (${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'}); pass what kpiReport or a report accumulator's result returns`,
    );
  }
  if (format === 'md') {
    return [
      '| KPI | value | n | definition |',
      '|---|---|---|---|',
      ...body.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  }
  const widths = [0, 1, 2].map((i) =>
    Math.max(...body.map((r) => r[i]!.length), ['KPI', 'value', 'n'][i]!.length),
  );
  const line = (r: readonly string[]) =>
    [r[0]!.padEnd(widths[0]!), r[1]!.padEnd(widths[1]!), r[2]!.padStart(widths[2]!), r[3]].join('  ');
  return [line(['KPI', 'value', 'n', 'definition']), ...body.map(line)].join('\n');
}
