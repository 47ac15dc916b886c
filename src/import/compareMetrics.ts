import { type TicketFacts, ticketFacts } from '../metrics/index.js';
import { CarekitError } from '../model/index.js';
import type { TicketStore } from '../workflows/index.js';
import type { ImportErrorCode } from './errors.js';
import type { ImportLifecycle } from './importLifecycle.js';
import type { ImportItem, MinutePair, RecordPlace, SourceMetrics } from './items.js';

/** The figures compared: the source's names, carekit's facts. */
export const COMPARED_METRICS = ['firstReply', 'firstResolution', 'fullResolution'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** How far carekit's figure may be from the source's and still agree. */
export interface MetricTolerance {
  /** Absolute slack in minutes (the source rounds to whole minutes). Default 1. */
  readonly minutes?: number;
  /** Relative slack, a fraction of the source's figure. Default 0.01 (1 %). */
  readonly relative?: number;
}

/** Options of {@link compareMetrics}. */
export interface CompareMetricsOptions {
  readonly lifecycle: ImportLifecycle;
  readonly tolerance?: MetricTolerance;
  /** How many disagreements to list (all are counted). Default 20. */
  readonly listed?: number;
  /** Tickets loaded at once. Default 200. */
  readonly batchSize?: number;
}

/** One figure's agreement over the tickets that have it on both sides. */
export interface MetricAgreement {
  /** Tickets where both the source and carekit have the figure. */
  readonly compared: number;
  readonly agree: number;
  /** `agree / compared` as a percentage, or null when nothing was compared. */
  readonly share: number | null;
  /** Tickets where exactly one side has the figure (one solved, the other not). */
  readonly onlyOneSide: number;
}

/** A ticket whose figure differs from the source's beyond the tolerance. */
export interface MetricDisagreement {
  /** Where the source's metrics record is in the export. */
  readonly place: RecordPlace;
  readonly ticketId: string;
  readonly metric: ComparedMetric;
  readonly hours: 'calendar' | 'business';
  /** The source's figure in minutes, and carekit's (null: not there). */
  readonly sourceMinutes: number | null;
  readonly carekitMinutes: number | null;
}

/** The agreement report: per figure and per kind of hours. */
export interface MetricsAgreement {
  readonly tickets: number;
  /** Tickets with source metrics that the store does not hold (not imported). */
  readonly missing: number;
  /**
   * Tickets merged into another, left out of the comparison: carekit counts a merged pair once,
   * as its target (docs/relations.md), while the source keeps metrics for both.
   */
  readonly merged: number;
  readonly calendar: Readonly<Record<ComparedMetric, MetricAgreement>>;
  /** Business minutes, counted in the desk's `kpis.businessCalendar`; null without one. */
  readonly business: Readonly<Record<ComparedMetric, MetricAgreement>> | null;
  readonly tolerance: Required<MetricTolerance>;
  readonly disagreements: readonly MetricDisagreement[];
}

const MINUTE = 60_000;

function carekitMinutes(
  facts: TicketFacts,
  metric: ComparedMetric,
  hours: 'calendar' | 'business',
): number | null {
  if (hours === 'business') {
    const b = facts.business;
    if (b === null || b === undefined) return null;
    const ms =
      metric === 'firstReply'
        ? b.firstReplyMs
        : metric === 'firstResolution'
          ? b.firstResolutionMs
          : b.resolutionMs;
    return ms === null ? null : ms / MINUTE;
  }
  const at =
    metric === 'firstReply'
      ? facts.firstReplyAt
      : metric === 'firstResolution'
        ? facts.firstSolvedAt
        : facts.solvedAt;
  return at === null ? null : (at - facts.createdAt) / MINUTE;
}

/**
 * Compares carekit's figures for imported tickets with the source's own (Zendesk's ticket
 * metrics: reply time, first and full resolution time, in calendar and business minutes) and
 * reports the share that agree, so a team sees whether its numbers carry over. carekit's figures
 * are `ticketFacts` over the stored log, with the import's lifecycle: first reply is the first
 * public agent reply after creation, first resolution the first solve, full resolution the last;
 * business minutes count the desk's `kpis.businessCalendar`. A figure agrees when it is within
 * `tolerance.minutes` (default 1) or `tolerance.relative` (default 1 %) of the source's.
 *
 * @example
 * ```ts
 * const metrics = readZendesk(readJsonRecords(metricsFile), mapping);
 * const agreement = await compareMetrics(store, metrics, { lifecycle });
 * agreement.calendar.firstReply;
 * //=> { compared: 287, agree: 287, share: 100, onlyOneSide: 0 }
 * ```
 */
export async function compareMetrics(
  store: TicketStore,
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  options: CompareMetricsOptions,
): Promise<MetricsAgreement> {
  if (typeof store?.ticketEvents !== 'function') {
    throw new CarekitError<ImportErrorCode>('invalid_store', 'compareMetrics needs a TicketStore');
  }
  const lifecycle = options.lifecycle;
  const tolerance = {
    minutes: options.tolerance?.minutes ?? 1,
    relative: options.tolerance?.relative ?? 0.01,
  };
  const listed = options.listed ?? 20;
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const empty = () =>
    Object.fromEntries(
      COMPARED_METRICS.map((m) => [m, { compared: 0, agree: 0, share: null, onlyOneSide: 0 }]),
    ) as Record<
      ComparedMetric,
      { compared: number; agree: number; share: number | null; onlyOneSide: number }
    >;
  const calendar = empty();
  const business = lifecycle.businessCalendar ? empty() : null;
  const disagreements: MetricDisagreement[] = [];
  let tickets = 0;
  let missing = 0;
  let merged = 0;
  let batch: { ticketId: string; place: RecordPlace; metrics: SourceMetrics }[] = [];

  const agrees = (source: number, ours: number) =>
    Math.abs(source - ours) <= Math.max(tolerance.minutes, tolerance.relative * Math.abs(source));

  // One options bag a policy, so that ticketFacts checks each once (it remembers bags it checked).
  const bags = new Map<unknown, Parameters<typeof ticketFacts>[1]>();
  const factsOptions = (policy: (typeof lifecycle.policies)[number] | undefined) => {
    let bag = bags.get(policy);
    if (bag === undefined) {
      bag = {
        reopenWindowMs: 3650 * 86_400_000,
        ...(lifecycle.businessCalendar ? { calendar: lifecycle.businessCalendar } : {}),
        ...(policy ? { sla: policy, calendars: lifecycle.calendars } : {}),
      };
      bags.set(policy, bag);
    }
    return bag;
  };

  const flush = async () => {
    const stored = new Map((await store.loadMany(batch.map((b) => b.ticketId))).map((t) => [t.ticketId, t]));
    for (const entry of batch) {
      const ticket = stored.get(entry.ticketId);
      if (ticket === undefined) {
        missing++;
        continue;
      }
      if (ticket.snapshot.status === 'merged') {
        merged++;
        continue;
      }
      tickets++;
      const events = await store.ticketEvents(entry.ticketId);
      const policy = lifecycle.policies.find((p) => p.id === ticket.workflowKey);
      const facts = ticketFacts(events, factsOptions(policy));
      const sides: ['calendar' | 'business', typeof calendar | null][] = [
        ['calendar', calendar],
        ['business', business],
      ];
      for (const metric of COMPARED_METRICS) {
        const pair: MinutePair | undefined = entry.metrics[metric];
        for (const [hours, table] of sides) {
          if (table === null) continue;
          const source = pair?.[hours] ?? null;
          const ours = carekitMinutes(facts, metric, hours);
          const row = table[metric];
          if (source === null && ours === null) continue;
          if (source === null || ours === null) {
            row.onlyOneSide++;
          } else {
            row.compared++;
            if (agrees(source, ours)) {
              row.agree++;
              continue;
            }
          }
          if (disagreements.length < listed) {
            disagreements.push({
              place: entry.place,
              ticketId: entry.ticketId,
              metric,
              hours,
              sourceMinutes: source,
              carekitMinutes: ours === null ? null : Math.round(ours * 100) / 100,
            });
          }
        }
      }
    }
    batch = [];
  };

  for await (const item of items as AsyncIterable<ImportItem>) {
    if (item.kind !== 'metrics') continue;
    batch.push({ ticketId: item.ticketId, place: item.place, metrics: item.metrics });
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  const finish = (table: typeof calendar) => {
    for (const m of COMPARED_METRICS) {
      const row = table[m];
      row.share = row.compared === 0 ? null : Math.round((row.agree / row.compared) * 1000) / 10;
    }
    return table;
  };
  return {
    tickets,
    missing,
    merged,
    calendar: finish(calendar),
    business: business ? finish(business) : null,
    tolerance,
    disagreements,
  };
}
