import { fold } from './accumulator.js';
import { type CallbackOptions, callbackRate, returningCustomerRate } from './customers.js';
import {
  agentWorkTime,
  type DurationResult,
  firstReplyTime,
  handleTime,
  nextReplyTime,
  requesterWaitTime,
  resolutionTime,
} from './durations.js';
import {
  escalationRate,
  type FcrDefinition,
  fcr,
  type RateResult,
  reopenRate,
  slaCompliance,
} from './rates.js';
import type { KpiResult } from './result.js';
import { type SelfServiceReport, selfServiceReport } from './selfService.js';
import {
  type CesResult,
  type CsatResult,
  cesAccumulator,
  csatAccumulator,
  type NpsResult,
  npsAccumulator,
} from './surveys.js';
import type { TicketFacts } from './ticketFacts.js';
import { type VolumeResult, volume } from './volume.js';

/** Options of {@link kpiReport}. */
export interface KpiReportOptions {
  /** Count business hours in the time KPIs (facts derived with a calendar). */
  readonly business?: boolean;
  readonly fcr?: FcrDefinition;
  /** SLA clocks to report compliance for. Default first reply, next reply, resolution. */
  readonly slaClocks?: readonly string[];
  /** Volume buckets; default by day in UTC, grouped by channel. */
  readonly volume?: Parameters<typeof volume>[1];
  /** The callback (repeat contact) window and sameness rule. Default 7 days, same category. */
  readonly callback?: CallbackOptions;
}

/** The dashboard of a support operation. */
export interface KpiReport {
  readonly tickets: number;
  readonly csat: CsatResult;
  readonly nps: NpsResult;
  readonly ces: CesResult;
  readonly firstReplyTime: DurationResult;
  readonly nextReplyTime: DurationResult;
  readonly resolutionTime: DurationResult;
  readonly handleTime: DurationResult;
  readonly requesterWaitTime: DurationResult;
  readonly agentWorkTime: DurationResult;
  readonly fcr: RateResult;
  readonly reopenRate: RateResult;
  readonly escalationRate: RateResult;
  readonly callbackRate: RateResult;
  readonly returningCustomerRate: RateResult;
  readonly slaCompliance: Readonly<Record<string, RateResult>>;
  readonly volume: VolumeResult;
  /** Deflection, bot handover, the bot's resolution rate and CSAT by bot and human. */
  readonly selfService: SelfServiceReport;
}

/**
 * Every KPI of a set of ticket facts (survey answers are read from the facts).
 *
 * @example
 * ```ts
 * const report = kpiReport(facts, { business: true, fcr: 'zendeskOneTouch' });
 * report.csat.value;
 * //=> 86.5
 * ```
 */
export function kpiReport(facts: readonly TicketFacts[], options: KpiReportOptions = {}): KpiReport {
  const time = { business: options.business ?? false };
  const answers = (kind: 'csat' | 'nps' | 'ces') =>
    facts.flatMap((f) => (f.excluded === null ? f.surveys.filter((s) => s.survey === kind) : []));
  return {
    tickets: facts.filter((f) => f.excluded === null).length,
    csat: fold(csatAccumulator(), answers('csat')),
    nps: fold(npsAccumulator(), answers('nps')),
    ces: fold(cesAccumulator(), answers('ces')),
    firstReplyTime: firstReplyTime(facts, time),
    nextReplyTime: nextReplyTime(facts, time),
    resolutionTime: resolutionTime(facts, time),
    handleTime: handleTime(facts),
    requesterWaitTime: requesterWaitTime(facts),
    agentWorkTime: agentWorkTime(facts),
    fcr: fcr(facts, options.fcr),
    reopenRate: reopenRate(facts),
    escalationRate: escalationRate(facts),
    callbackRate: callbackRate(facts, options.callback),
    returningCustomerRate: returningCustomerRate(facts),
    slaCompliance: Object.fromEntries(
      (options.slaClocks ?? ['firstReply', 'nextReply', 'resolution']).map((c) => [
        c,
        slaCompliance(facts, c),
      ]),
    ),
    volume: volume(facts, options.volume ?? { bucket: 'day', groupBy: 'channel' }),
    selfService: selfServiceReport(facts),
  };
}

const HOUR = 3_600_000;

function show(result: KpiResult, unit: 'percent' | 'points' | 'score' | 'duration'): string {
  if (result.value === null) return `— (${result.reason ?? 'no data'})`;
  const v = result.value;
  if (unit === 'percent') return `${v.toFixed(1)}%`;
  if (unit === 'points') return v.toFixed(1);
  if (unit === 'score') return v.toFixed(2);
  return v >= HOUR ? `${(v / HOUR).toFixed(1)} h` : `${(v / 60_000).toFixed(1)} min`;
}

function rows(report: KpiReport): [string, string, string, string][] {
  const dur = (name: string, r: DurationResult): [string, string, string, string] => [
    name,
    `${show(r, 'duration')} mean, ${r.median === null ? '—' : show({ ...r, value: r.median }, 'duration')} median, ${r.p90 === null ? '—' : show({ ...r, value: r.p90 }, 'duration')} p90`,
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
    dur('Resolution time', report.resolutionTime),
    dur('Handle time (AHT)', report.handleTime),
    pct('FCR', report.fcr),
    pct('Reopen rate', report.reopenRate),
    pct('Escalation rate', report.escalationRate),
    pct('Callback rate', report.callbackRate),
    pct('Returning customers', report.returningCustomerRate),
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
  ];
}

/**
 * Renders a report as a Markdown table (`md`) or aligned plain text (`text`).
 *
 * @example
 * ```ts
 * formatReport(report, 'md').split('\n')[0];
 * //=> '| KPI | value | n | definition |'
 * ```
 */
export function formatReport(report: KpiReport, format: 'md' | 'text' = 'md'): string {
  const body = rows(report);
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
