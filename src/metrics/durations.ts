import { z } from 'zod';
import { type Accumulator, fold } from './accumulator.js';
import { checkFacts, checkFunction, checkName, parseOptions } from './guards.js';
import { type KpiResult, kpi } from './result.js';
import {
  addToSketchInPlace,
  emptySketch,
  mergeSketches,
  type QuantileSketch,
  sketchQuantile,
} from './sketch.js';
import type { TicketFacts } from './ticketFacts.js';

/**
 * A duration KPI: the exact mean, and the median, p90 and any percentile by the nearest-rank
 * method — the q-quantile of n values is the value of rank ⌈q·n⌉ (at least 1) in ascending order,
 * the smallest value with at least a share q of the values at or below it (Hyndman and Fan's
 * type 1, the inverse of the empirical distribution). So p90 of 10 and 30 minutes is 30 minutes:
 * a percentile reaches the slowest case as soon as fewer than 1 − q of the cases lie above it.
 * Exact for up to {@link EXACT_QUANTILE_LIMIT} values; beyond, from the mergeable sketch, within
 * its relative error (1%) of the exact nearest-rank value.
 */
export interface DurationResult extends KpiResult {
  /** Mean in ms (exact). */
  readonly value: number | null;
  readonly median: number | null;
  readonly p90: number | null;
  /** Any quantile (0..1): exact for small sets, within the sketch's relative error (1%) beyond. */
  quantile(q: number): number | null;
}

/**
 * Up to this many values a duration accumulator keeps them and its percentiles are exact; past
 * it the values are dropped and the sketch answers (within 1%). Memory stays bounded either way.
 */
export const EXACT_QUANTILE_LIMIT = 256;

/**
 * The plain-JSON partial state of a duration accumulator: a mergeable quantile sketch, and the
 * values themselves while there are at most {@link EXACT_QUANTILE_LIMIT} (null past it).
 */
export interface DurationState {
  readonly sketch: QuantileSketch;
  readonly values?: number[] | null;
}

/** The nearest-rank q-quantile of ascending values (see {@link DurationResult}). */
function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0 || Number.isNaN(q)) return null;
  const rank = Math.max(1, Math.ceil(Math.min(Math.max(q, 0), 1) * sorted.length));
  return sorted[rank - 1] as number;
}

/**
 * An accumulator of durations picked from each item (`null` skips the item).
 *
 * @example
 * ```ts
 * const r = fold(durationAccumulator((ms: number) => ms, 'test'), [600_000, 1_800_000]);
 * [r.value, r.median, r.p90];
 * //=> [1200000, 600000, 1800000]
 * ```
 */
export function durationAccumulator<Item>(
  pick: (item: Item) => number | null,
  definition: string,
): Accumulator<Item, DurationState, DurationResult> {
  checkFunction(pick, 'durationAccumulator', 'pick');
  checkName(definition, 'durationAccumulator', 'definition');
  return {
    empty: () => ({ sketch: emptySketch(), values: [] }),
    // In place: a fold owns its state (see Accumulator); the sketch's buckets are not copied per item.
    add: (s, item) => {
      // No duration (null) is skipped as NaN and ±Infinity are.
      const ms = pick(item) ?? Number.NaN;
      if (!Number.isFinite(ms)) return s;
      const value = Math.max(0, ms);
      addToSketchInPlace(s.sketch, value);
      const values = s.values;
      if (values === undefined || values === null) return s;
      if (values.length < EXACT_QUANTILE_LIMIT) {
        values.push(value);
        return s;
      }
      return { sketch: s.sketch, values: null };
    },
    merge: (a, b) => {
      const sketch = mergeSketches(a.sketch, b.sketch);
      const exact = a.values && b.values && sketch.count <= EXACT_QUANTILE_LIMIT;
      return { sketch, values: exact ? [...a.values, ...b.values] : null };
    },
    result: ({ sketch, values }) => {
      const sorted = values && values.length === sketch.count ? [...values].sort((x, y) => x - y) : null;
      const quantile = (q: number) => (sorted ? nearestRank(sorted, q) : sketchQuantile(sketch, q));
      return kpi(
        sketch.sum / sketch.count,
        sketch.count,
        definition,
        { median: quantile(0.5), p90: quantile(0.9), quantile },
        'no tickets qualify',
      );
    },
  };
}

/** Options of the time KPIs. */
export interface TimeOptions {
  /** Count business hours (needs facts derived with a calendar). Default false: calendar hours. */
  readonly business?: boolean;
}

const TimeOptionsSchema = z.strictObject({ business: z.boolean().optional() });

/** @internal */
export const parseTimeOptions = (options: unknown, fn: string): TimeOptions =>
  parseOptions<TimeOptions>(TimeOptionsSchema, options, fn);

const counted = (f: TicketFacts) => f.excluded === null;

const hoursLabel = (o: TimeOptions) => (o.business ? 'business' : 'calendar');

/** @internal Each per-ticket duration KPI once: its pick (spam and merged left out) and its definition, for both the calculators and the report accumulator. */
export const DURATIONS = {
  firstReply: (business: boolean) => ({
    pick: (f: TicketFacts) =>
      !counted(f)
        ? null
        : business
          ? (f.business?.firstReplyMs ?? null)
          : f.firstReplyAt === null
            ? null
            : f.firstReplyAt - f.createdAt,
    text: `first reply time (Zendesk): creation to the first public reply by a person, ${business ? 'business' : 'calendar'} hours`,
  }),
  firstResolution: (business: boolean) => ({
    pick: (f: TicketFacts) =>
      !counted(f)
        ? null
        : business
          ? (f.business?.firstResolutionMs ?? null)
          : f.firstSolvedAt === null
            ? null
            : f.firstSolvedAt - f.createdAt,
    text: `first resolution time (Zendesk): creation to the first solve, ${business ? 'business' : 'calendar'} hours`,
  }),
  fullResolution: (business: boolean) => ({
    pick: (f: TicketFacts) =>
      !counted(f)
        ? null
        : business
          ? (f.business?.resolutionMs ?? null)
          : f.solvedAt === null
            ? null
            : f.solvedAt - f.createdAt,
    text: `full resolution time (Zendesk): creation to the latest solve, ${business ? 'business' : 'calendar'} hours`,
  }),
  handle: () => ({
    pick: (f: TicketFacts) => (counted(f) && f.handleTimeMs > 0 ? f.handleTimeMs : null),
    text: 'handle time (AHT): agent work time per ticket (sum of workMs)',
  }),
} as const;

/** @internal */
export const nextReplyText = (business: boolean) =>
  `next reply time (Zendesk): each customer message after the first reply to the next public reply by a person, ${business ? 'business' : 'calendar'} hours`;

function durationKpi(
  facts: readonly TicketFacts[],
  fn: string,
  d: { pick: (f: TicketFacts) => number | null; text: string },
): DurationResult {
  checkFacts(facts, fn);
  return fold(durationAccumulator(d.pick, d.text), facts);
}

/**
 * First reply time, as Zendesk defines it: "the duration between ticket creation and the first
 * public agent reply on the ticket" (Zendesk, "About native Support time duration metrics"), over
 * tickets that have one; a bot's reply is not an agent's. Spam and merged tickets are left out.
 *
 * @example
 * ```ts
 * firstReplyTime(facts).median;
 * //=> 5400000 (1 h 30 min)
 * ```
 */
export function firstReplyTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  const o = parseTimeOptions(options, 'firstReplyTime');
  return durationKpi(facts, 'firstReplyTime', DURATIONS.firstReply(o.business ?? false));
}

/**
 * Next reply time, as Zendesk names it: after the first reply, from each customer message that
 * waited for an answer to the next public reply by a person (the first reply is measured by
 * {@link firstReplyTime}). Every wait counts once, so `n` is the number of waits, not tickets.
 *
 * @example
 * ```ts
 * nextReplyTime(facts).value;
 * //=> 2700000 (45 min)
 * ```
 */
export function nextReplyTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  const business = parseTimeOptions(options, 'nextReplyTime').business ?? false;
  checkFacts(facts, 'nextReplyTime');
  const acc = durationAccumulator((ms: number) => ms, nextReplyText(business));
  let state = acc.empty();
  for (const f of facts) {
    if (!counted(f)) continue;
    const waits = business ? f.business?.nextReplyWaitsMs : f.nextReplyWaitsMs;
    if (waits === undefined) continue;
    for (const ms of waits) state = acc.add(state, ms);
  }
  return acc.result(state);
}

/** Options of {@link resolutionTime}. */
export interface ResolutionOptions extends TimeOptions {
  /** `full` (default): to the last solve; `first`: to the first solve. */
  readonly until?: 'first' | 'full';
}

const ResolutionOptionsSchema = z.strictObject({
  business: z.boolean().optional(),
  until: z.enum(['first', 'full']).optional(),
});

/**
 * Resolution time: from creation to the latest solve (default; Zendesk's full resolution time) or
 * to the first solve (`until: 'first'`; Zendesk's first resolution time). See
 * {@link firstResolutionTime} and {@link fullResolutionTime} for the definitions' wording.
 *
 * @example
 * ```ts
 * resolutionTime(facts, { until: 'first' }).n;
 * //=> 3
 * ```
 */
export function resolutionTime(
  facts: readonly TicketFacts[],
  options: ResolutionOptions = {},
): DurationResult {
  const o = parseOptions<ResolutionOptions>(ResolutionOptionsSchema, options, 'resolutionTime');
  const business = o.business ?? false;
  return durationKpi(
    facts,
    'resolutionTime',
    o.until === 'first' ? DURATIONS.firstResolution(business) : DURATIONS.fullResolution(business),
  );
}

/**
 * First resolution time, as Zendesk defines it: "duration between ticket creation and its first
 * resolution", whose second timestamp is "the first time the ticket status is set to solved"
 * (Zendesk, "About native Support time duration metrics"). A reopened ticket keeps its first
 * resolution time; Zendesk also stops the clock when an unsolved ticket is closed by a rule,
 * which carekit's lifecycle never does (it closes solved tickets only, or by `ticket.closed`,
 * which is not a resolution here).
 *
 * @example
 * ```ts
 * // solved at 2 h, reopened, solved again at 26 h
 * [firstResolutionTime([facts]).value, fullResolutionTime([facts]).value];
 * //=> [7200000, 93600000]
 * ```
 */
export function firstResolutionTime(
  facts: readonly TicketFacts[],
  options: TimeOptions = {},
): DurationResult {
  return resolutionTime(facts, { ...parseTimeOptions(options, 'firstResolutionTime'), until: 'first' });
}

/**
 * Full resolution time, as Zendesk defines it: from ticket creation to its latest solve (the
 * ticket metrics API's `full_resolution_time_in_minutes`: "Number of minutes to the full
 * resolution"), over tickets solved and not reopened since (a reopened ticket that is open again
 * has no full resolution yet).
 *
 * @example
 * ```ts
 * fullResolutionTime([facts]).value;
 * //=> 93600000 (26 h)
 * ```
 */
export function fullResolutionTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  return resolutionTime(facts, { ...parseTimeOptions(options, 'fullResolutionTime'), until: 'full' });
}

/**
 * Handle time: the agent work time events carry (`workMs`), per ticket that has any; the mean
 * is the average handling time (AHT).
 *
 * @example
 * ```ts
 * handleTime(facts).value;
 * //=> 540000 (9 min)
 * ```
 */
export function handleTime(facts: readonly TicketFacts[]): DurationResult {
  return durationKpi(facts, 'handleTime', DURATIONS.handle());
}

type Status = keyof TicketFacts['timeInStatus'];

/** Calendar or business ms a ticket spent in the given statuses (null when business hours are asked of facts without a calendar). */
function timeIn(f: TicketFacts, statuses: readonly Status[], business: boolean): number | null {
  const source = business ? f.business?.timeInStatus : f.timeInStatus;
  if (source === undefined) return null;
  let ms = 0;
  for (const s of statuses) ms += source[s];
  return ms;
}

/** @internal The status times as the report accumulator reads them: one definition for both paths. */
export const STATUS_TIMES = {
  requesterWait: {
    statuses: ['new', 'open', 'on_hold'],
    text: 'requester wait time (Zendesk): time in new, open and on-hold',
  },
  agentWait: { statuses: ['pending'], text: 'agent wait time (Zendesk): time in pending' },
  onHold: { statuses: ['on_hold'], text: 'on-hold time (Zendesk): time in on-hold' },
  agentWork: { statuses: ['new', 'open'], text: 'agent work time (Zendesk): time in new and open' },
} as const satisfies Record<string, { statuses: readonly Status[]; text: string }>;

/** @internal A status-time pick for {@link durationAccumulator}, spam and merged tickets left out. */
export function statusTimePick(
  kind: keyof typeof STATUS_TIMES,
  business: boolean,
): (f: TicketFacts) => number | null {
  const statuses = STATUS_TIMES[kind].statuses;
  return (f) => (counted(f) ? timeIn(f, statuses, business) : null);
}

function statusTime(
  facts: readonly TicketFacts[],
  kind: keyof typeof STATUS_TIMES,
  options: unknown,
  fn: string,
): DurationResult {
  const o = parseTimeOptions(options, fn);
  const business = o.business ?? false;
  checkFacts(facts, fn);
  return fold(
    durationAccumulator(statusTimePick(kind, business), `${STATUS_TIMES[kind].text}, ${hoursLabel(o)} hours`),
    facts,
  );
}

/**
 * Requester wait time, as Zendesk defines it: the customer waiting on the team, "the total time a
 * ticket spent in the following statuses: New, Open, On-hold" (Zendesk's native duration metric,
 * as restated in GitLab's Support handbook, "Metrics definitions"; Zendesk's ticket metrics API
 * field `requester_wait_time_in_minutes`: "Number of minutes the requester spent waiting").
 * Time in pending (the team waiting on the customer) is {@link agentWaitTime}. Per ticket, until it
 * is solved, closed or merged (or its last event); spam and merged tickets are left out.
 *
 * Changed in this version: it counted time in pending before, which is Zendesk's agent wait time.
 *
 * @example
 * ```ts
 * // opened 09:00, pending 10:00, the customer answers 12:00 (open), solved 14:00
 * requesterWaitTime([facts]).value;
 * //=> 10800000 (3 h: 09:00–10:00 and 12:00–14:00)
 * ```
 */
export function requesterWaitTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  return statusTime(facts, 'requesterWait', options, 'requesterWaitTime');
}

/**
 * Agent wait time, as Zendesk defines it: the team waiting on the customer, "how long tickets
 * spent waiting for customers to respond", the total time in Pending (GitLab's restatement of
 * Zendesk's definition; the API's `agent_wait_time_in_minutes`: "Number of minutes the agent
 * spent waiting").
 *
 * @example
 * ```ts
 * agentWaitTime([facts]).value;
 * //=> 7200000 (2 h: 10:00–12:00)
 * ```
 */
export function agentWaitTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  return statusTime(facts, 'agentWait', options, 'agentWaitTime');
}

/**
 * On-hold time, as Zendesk defines it: "how long tickets spent waiting for outside sources (i.e.
 * not agent or customer)", the total time in On-hold (GitLab's restatement of Zendesk's
 * definition; the API's `on_hold_time_in_minutes`: "Number of minutes on hold").
 *
 * @example
 * ```ts
 * onHoldTime([facts]).value;
 * //=> 0
 * ```
 */
export function onHoldTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  return statusTime(facts, 'onHold', options, 'onHoldTime');
}

/**
 * Agent work time, as Zendesk defines it: "how long tickets spent waiting for direct agent
 * action", the total time in New and Open (GitLab's restatement of Zendesk's definition).
 *
 * @example
 * ```ts
 * agentWorkTime([facts]).value;
 * //=> 10800000
 * ```
 */
export function agentWorkTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  return statusTime(facts, 'agentWork', options, 'agentWorkTime');
}
