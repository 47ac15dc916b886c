import type { Accumulator } from './accumulator.js';
import { callbackAccumulator, returningCustomerAccumulator } from './customers.js';
import {
  agentWorkTime,
  type DurationState,
  durationAccumulator,
  firstReplyTime,
  handleTime,
  nextReplyTime,
  requesterWaitTime,
  resolutionTime,
} from './durations.js';
import { type KpiReport, type KpiReportOptions, kpiReport } from './kpiReport.js';
import { FCR_DEFINITIONS, rateAccumulator } from './rates.js';
import { selfServiceAccumulator } from './selfService.js';
import { addToSketchInPlace } from './sketch.js';
import { cesAccumulator, csatAccumulator, npsAccumulator } from './surveys.js';
import type { TicketFacts } from './ticketFacts.js';
import { volumeCounter } from './volume.js';

// biome-ignore lint/suspicious/noExplicitAny: a record of accumulators of different states
type AnyAccumulator = Accumulator<any, any, any>;

/** Runs several accumulators side by side over the same items: one state each, merged pairwise. */
function combine<T extends Record<string, AnyAccumulator>>(parts: T) {
  const keys = Object.keys(parts) as (keyof T)[];
  return {
    empty: () =>
      Object.fromEntries(keys.map((k) => [k, (parts[k] as AnyAccumulator).empty()])) as Record<
        keyof T,
        unknown
      >,
    merge: (a: Record<keyof T, unknown>, b: Record<keyof T, unknown>) =>
      Object.fromEntries(keys.map((k) => [k, (parts[k] as AnyAccumulator).merge(a[k], b[k])])) as Record<
        keyof T,
        unknown
      >,
  };
}

/** The plain-JSON partial state of {@link kpiReportAccumulator}. */
export interface KpiReportState {
  readonly tickets: number;
  readonly parts: Readonly<Record<string, unknown>>;
  readonly volume: {
    readonly n: number;
    readonly buckets: Readonly<Record<string, Readonly<Record<string, number>>>>;
  };
}

/**
 * The whole KPI report as one mergeable accumulator, so a report can be computed in bounded
 * memory from a stream of ticket facts (the `carekit report` command does), or per partition and
 * merged. Its result equals `kpiReport` over the same facts (a property test).
 *
 * @example
 * ```ts
 * const acc = kpiReportAccumulator({ business: true });
 * const monday = foldState(acc, mondayFacts);
 * const tuesday = foldState(acc, tuesdayFacts);
 * acc.result(acc.merge(monday, tuesday)).fcr.value;
 * //=> 72.5
 * ```
 */
export function kpiReportAccumulator(
  options: KpiReportOptions = {},
): Accumulator<TicketFacts, KpiReportState, KpiReport> {
  const business = options.business ?? false;
  const time = { business };
  const counted = (f: TicketFacts) => f.excluded === null;
  const solved = (f: TicketFacts) => counted(f) && f.firstSolvedAt !== null;
  const fcrDefinition =
    options.fcr === undefined || typeof options.fcr === 'string'
      ? FCR_DEFINITIONS[options.fcr ?? 'zendeskOneTouch']
      : { text: `FCR (${options.fcr.name})`, hit: options.fcr.hit };
  const clocks = options.slaClocks ?? ['firstReply', 'nextReply', 'resolution'];
  const countVolume = volumeCounter(options.volume ?? { bucket: 'day', groupBy: 'channel' });

  const parts = {
    csat: csatAccumulator(),
    nps: npsAccumulator(),
    ces: cesAccumulator(),
    firstReply: durationAccumulator(
      (f: TicketFacts) =>
        !counted(f)
          ? null
          : business
            ? (f.business?.firstReplyMs ?? null)
            : f.firstReplyAt === null
              ? null
              : f.firstReplyAt - f.createdAt,
      firstReplyTime([], time).definition,
    ),
    nextReply: durationAccumulator((ms: number) => ms, nextReplyTime([], time).definition),
    resolution: durationAccumulator(
      (f: TicketFacts) =>
        !counted(f)
          ? null
          : business
            ? (f.business?.resolutionMs ?? null)
            : f.solvedAt === null
              ? null
              : f.solvedAt - f.createdAt,
      resolutionTime([], time).definition,
    ),
    handle: durationAccumulator(
      (f: TicketFacts) => (counted(f) && f.handleTimeMs > 0 ? f.handleTimeMs : null),
      handleTime([]).definition,
    ),
    requesterWait: durationAccumulator(
      (f: TicketFacts) => (counted(f) ? f.timeInStatus.pending : null),
      requesterWaitTime([]).definition,
    ),
    agentWork: durationAccumulator(
      (f: TicketFacts) => (counted(f) ? f.timeInStatus.new + f.timeInStatus.open : null),
      agentWorkTime([]).definition,
    ),
    fcr: rateAccumulator(fcrDefinition.hit, solved, fcrDefinition.text),
    reopen: rateAccumulator(
      (f: TicketFacts) => f.reopens > 0,
      solved,
      'reopen rate: solved tickets reopened at least once',
    ),
    escalation: rateAccumulator(
      (f: TicketFacts) => f.escalations > 0,
      counted,
      'escalation rate: tickets escalated at least once',
    ),
    callback: callbackAccumulator(options.callback),
    returning: returningCustomerAccumulator(),
    selfService: selfServiceAccumulator(),
    ...Object.fromEntries(
      clocks.map((clock) => [
        `sla:${clock}`,
        rateAccumulator(
          (f: TicketFacts) => f.sla?.[clock] === 'met',
          (f: TicketFacts) => counted(f) && (f.sla?.[clock] === 'met' || f.sla?.[clock] === 'breached'),
          `SLA compliance (${clock}): targets met of ${clock} clocks that finished or breached`,
        ),
      ]),
    ),
  } as Record<string, AnyAccumulator>;
  const combined = combine(parts);

  return {
    empty: () => ({ tickets: 0, parts: combined.empty(), volume: { n: 0, buckets: {} } }),
    add(state, f) {
      const s = state.parts as Record<string, unknown>;
      for (const key of [
        'firstReply',
        'resolution',
        'handle',
        'requesterWait',
        'agentWork',
        'fcr',
        'reopen',
        'escalation',
        'callback',
        'returning',
        'selfService',
      ]) {
        s[key] = (parts[key] as AnyAccumulator).add(s[key], f);
      }
      for (const clock of clocks)
        s[`sla:${clock}`] = (parts[`sla:${clock}`] as AnyAccumulator).add(s[`sla:${clock}`], f);
      if (!counted(f)) return state;
      const waits = business ? (f.business?.nextReplyWaitsMs ?? []) : f.nextReplyWaitsMs;
      for (const ms of waits) addToSketchInPlace((s.nextReply as DurationState).sketch, Math.max(0, ms));
      for (const answer of f.surveys)
        s[answer.survey] = (parts[answer.survey] as AnyAccumulator).add(s[answer.survey], answer);
      countVolume(state.volume.buckets as Record<string, Record<string, number>>, f);
      return {
        tickets: state.tickets + 1,
        parts: s,
        volume: { n: state.volume.n + 1, buckets: state.volume.buckets },
      };
    },
    merge(a, b) {
      const buckets: Record<string, Record<string, number>> = {};
      for (const side of [a.volume.buckets, b.volume.buckets]) {
        for (const [key, groups] of Object.entries(side)) {
          const row = { ...(buckets[key] ?? {}) };
          buckets[key] = row;
          for (const [group, n] of Object.entries(groups)) row[group] = (row[group] ?? 0) + n;
        }
      }
      return {
        tickets: a.tickets + b.tickets,
        parts: combined.merge(a.parts as Record<string, unknown>, b.parts as Record<string, unknown>),
        volume: { n: a.volume.n + b.volume.n, buckets },
      };
    },
    result(state) {
      const s = state.parts as Record<string, unknown>;
      const r = (key: string) => (parts[key] as AnyAccumulator).result(s[key]);
      const empty = kpiReport([], options);
      return {
        tickets: state.tickets,
        csat: r('csat'),
        nps: r('nps'),
        ces: r('ces'),
        firstReplyTime: r('firstReply'),
        nextReplyTime: r('nextReply'),
        resolutionTime: r('resolution'),
        handleTime: r('handle'),
        requesterWaitTime: r('requesterWait'),
        agentWorkTime: r('agentWork'),
        fcr: r('fcr'),
        reopenRate: r('reopen'),
        escalationRate: r('escalation'),
        callbackRate: r('callback'),
        returningCustomerRate: r('returning'),
        slaCompliance: Object.fromEntries(clocks.map((clock) => [clock, r(`sla:${clock}`)])),
        volume: { definition: empty.volume.definition, n: state.volume.n, buckets: state.volume.buckets },
        selfService: r('selfService'),
      };
    },
  };
}
