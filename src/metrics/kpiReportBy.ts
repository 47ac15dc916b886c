import { z } from 'zod';
import type { Accumulator } from './accumulator.js';
import { checkFact, checkFacts, parseOptions } from './guards.js';
import type { KpiReport } from './kpiReportAccumulator.js';
import { type KpiReportState, kpiReportAccumulator } from './kpiReportAccumulator.js';
import type { KpiReportOptions } from './kpiReportOptions.js';
import { parseReportOptions } from './kpiReportOptions.js';
import type { TicketFacts } from './ticketFacts.js';

/** What {@link kpiReportBy} groups tickets by. */
export type ReportGrouping = 'assignee' | 'tier' | 'channel' | 'category' | 'status' | 'customStatus';

const GROUPINGS: Record<ReportGrouping, (f: TicketFacts) => string> = {
  assignee: (f) => f.assigneeId ?? 'unassigned',
  tier: (f) => `tier ${f.tier}`,
  channel: (f) => f.channel,
  category: (f) => f.category ?? 'uncategorized',
  status: (f) => f.status,
  // A ticket in no custom status is grouped under its lifecycle status.
  customStatus: (f) => f.customStatus ?? f.status,
};

const By = z.enum(['assignee', 'tier', 'channel', 'category', 'status', 'customStatus']);

/** The plain-JSON partial state of {@link kpiReportByAccumulator}: one report state per group. */
export interface KpiReportByState {
  readonly groups: Readonly<Record<string, KpiReportState>>;
}

/** One KPI report per group. */
export interface KpiReportByResult {
  readonly by: ReportGrouping;
  readonly groups: Readonly<Record<string, KpiReport>>;
}

function parseBy(by: unknown, fn: string): ReportGrouping {
  return parseOptions<{ by: ReportGrouping }>(z.strictObject({ by: By }), { by }, fn).by;
}

/**
 * Every KPI grouped by assignee (the agent assigned last), tier (the tier the ticket ended at),
 * channel, category, status or custom status (the desk's own, `awaiting_supplier`; a ticket in
 * none is grouped under its lifecycle status), as one mergeable accumulator: a group's state is a
 * `kpiReportAccumulator` state, and states merge group by group, so per-agent reports can be
 * computed per partition and merged like the rest.
 *
 * @example
 * ```ts
 * const acc = kpiReportByAccumulator('assignee');
 * acc.result(acc.merge(foldState(acc, monday), foldState(acc, tuesday))).groups.ana?.fcr.value;
 * //=> 75
 * ```
 */
export function kpiReportByAccumulator(
  by: ReportGrouping,
  options: KpiReportOptions = {},
): Accumulator<TicketFacts, KpiReportByState, KpiReportByResult> {
  return groupedAccumulator(by, options, 'kpiReportByAccumulator');
}

/** The accumulator of {@link kpiReportByAccumulator}; a refused grouping or option names `fn`, the function called. */
function groupedAccumulator(
  by: ReportGrouping,
  options: KpiReportOptions,
  fn: string,
): Accumulator<TicketFacts, KpiReportByState, KpiReportByResult> {
  const grouping = parseBy(by, fn);
  const acc = kpiReportAccumulator(parseReportOptions(options, fn));
  const key = GROUPINGS[grouping];
  return {
    empty: () => ({ groups: Object.create(null) as Record<string, KpiReportState> }),
    add(state, f) {
      checkFact(f, 'kpiReportByAccumulator.add');
      const groups = state.groups as Record<string, KpiReportState>;
      const k = key(f);
      groups[k] = acc.add(groups[k] ?? acc.empty(), f);
      return state;
    },
    merge(a, b) {
      const groups = Object.create(null) as Record<string, KpiReportState>;
      for (const side of [a.groups, b.groups])
        for (const [k, s] of Object.entries(side)) groups[k] = acc.merge(groups[k] ?? acc.empty(), s);
      return { groups };
    },
    result: (state) => ({
      by: grouping,
      groups: Object.fromEntries(
        Object.keys(state.groups)
          .sort()
          .map((k) => [k, acc.result(state.groups[k] as KpiReportState)]),
      ),
    }),
  };
}

/**
 * Every KPI of `kpiReport`, one report per assignee, tier, channel, category, status or custom
 * status; each
 * group's report is `kpiReport` over that group's facts (a property test holds it).
 *
 * @example
 * ```ts
 * const byAgent = kpiReportBy(facts, 'assignee');
 * Object.keys(byAgent.groups);
 * //=> ['ana', 'ben', 'unassigned']
 * byAgent.groups.ana?.firstReplyTime.median;
 * //=> 1800000
 * ```
 */
export function kpiReportBy(
  facts: readonly TicketFacts[],
  by: ReportGrouping,
  options: KpiReportOptions = {},
): KpiReportByResult {
  checkFacts(facts, 'kpiReportBy');
  const acc = groupedAccumulator(by, options, 'kpiReportBy');
  let state = acc.empty();
  for (const f of facts) state = acc.add(state, f);
  return acc.result(state);
}
