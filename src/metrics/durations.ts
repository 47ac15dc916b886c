import { type Accumulator, fold } from './accumulator.js';
import { type KpiResult, kpi } from './result.js';
import {
  addToSketchInPlace,
  emptySketch,
  mergeSketches,
  type QuantileSketch,
  sketchQuantile,
} from './sketch.js';
import type { TicketFacts } from './ticketFacts.js';

/** A duration KPI: the exact mean, and the median and any percentile from a mergeable sketch. */
export interface DurationResult extends KpiResult {
  /** Mean in ms (exact). */
  readonly value: number | null;
  readonly median: number | null;
  readonly p90: number | null;
  /** Any quantile (0..1), within the sketch's relative error (1%). */
  quantile(q: number): number | null;
}

/** The plain-JSON partial state of a duration accumulator: a mergeable quantile sketch. */
export interface DurationState {
  readonly sketch: QuantileSketch;
}

/**
 * An accumulator of durations picked from each item (`null` skips the item).
 *
 * @example
 * ```ts
 * fold(durationAccumulator((ms: number) => ms, 'test'), [1000, 2000, 3000]).value;
 * //=> 2000
 * ```
 */
export function durationAccumulator<Item>(
  pick: (item: Item) => number | null,
  definition: string,
): Accumulator<Item, DurationState, DurationResult> {
  return {
    empty: () => ({ sketch: emptySketch() }),
    // In place: a fold owns its state (see Accumulator); the sketch's buckets are not copied per item.
    add: (s, item) => {
      const ms = pick(item);
      if (ms !== null && Number.isFinite(ms)) addToSketchInPlace(s.sketch, Math.max(0, ms));
      return s;
    },
    merge: (a, b) => ({ sketch: mergeSketches(a.sketch, b.sketch) }),
    result: ({ sketch }) => {
      const quantile = (q: number) => sketchQuantile(sketch, q);
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

const counted = (f: TicketFacts) => f.excluded === null;

function timeKpi(
  facts: readonly TicketFacts[],
  pick: (f: TicketFacts) => number | null,
  definition: string,
): DurationResult {
  return fold(
    durationAccumulator((f: TicketFacts) => (counted(f) ? pick(f) : null), definition),
    facts,
  );
}

const hoursLabel = (o: TimeOptions) => (o.business ? 'business' : 'calendar');

/**
 * First reply time: from creation to the first public reply by a person, over tickets that have
 * one (Zendesk's definition); spam and merged tickets are left out.
 *
 * @example
 * ```ts
 * firstReplyTime(facts).median;
 * //=> 5400000 (1 h 30 min)
 * ```
 */
export function firstReplyTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  return timeKpi(
    facts,
    (f) =>
      options.business
        ? (f.business?.firstReplyMs ?? null)
        : f.firstReplyAt === null
          ? null
          : f.firstReplyAt - f.createdAt,
    `first reply time: creation to first public reply by a person, ${hoursLabel(options)} hours`,
  );
}

/**
 * Next reply time: after the first reply, from each customer message that waited for an answer
 * to the next public reply by a person (Zendesk's "next reply time"; the first reply is measured
 * by {@link firstReplyTime}). Every wait counts once, so `n` is the number of waits, not tickets.
 *
 * @example
 * ```ts
 * nextReplyTime(facts).value;
 * //=> 2700000 (45 min)
 * ```
 */
export function nextReplyTime(facts: readonly TicketFacts[], options: TimeOptions = {}): DurationResult {
  const waits: number[] = [];
  for (const f of facts) {
    if (!counted(f)) continue;
    const list = options.business ? (f.business?.nextReplyWaitsMs ?? []) : f.nextReplyWaitsMs;
    for (const ms of list) waits.push(ms);
  }
  return fold(
    durationAccumulator(
      (ms: number) => ms,
      `next reply time: each customer message after the first reply to the next public reply by a person, ${hoursLabel(options)} hours`,
    ),
    waits,
  );
}

/** Options of {@link resolutionTime}. */
export interface ResolutionOptions extends TimeOptions {
  /** `full` (default): to the last solve; `first`: to the first solve. */
  readonly until?: 'first' | 'full';
}

/**
 * Resolution time: from creation to the first solve or, by default, to the final solve, over
 * solved (or closed after solving) tickets.
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
  const first = options.until === 'first';
  return timeKpi(
    facts,
    (f) => {
      if (options.business)
        return first ? (f.business?.firstResolutionMs ?? null) : (f.business?.resolutionMs ?? null);
      const end = first ? f.firstSolvedAt : f.solvedAt;
      return end === null ? null : end - f.createdAt;
    },
    `${first ? 'first' : 'full'} resolution time: creation to ${first ? 'first' : 'final'} solve, ${hoursLabel(options)} hours`,
  );
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
  return timeKpi(
    facts,
    (f) => (f.handleTimeMs > 0 ? f.handleTimeMs : null),
    'handle time (AHT): agent work time per ticket (sum of workMs)',
  );
}

/**
 * Requester wait time: time the ticket spent pending (waiting on the customer).
 *
 * @example
 * ```ts
 * requesterWaitTime(facts).value;
 * //=> 7200000
 * ```
 */
export function requesterWaitTime(facts: readonly TicketFacts[]): DurationResult {
  return timeKpi(facts, (f) => f.timeInStatus.pending, 'requester wait time: calendar time in pending');
}

/**
 * Agent work time: time the ticket spent new or open (the team owed the next step).
 *
 * @example
 * ```ts
 * agentWorkTime(facts).value;
 * //=> 3600000
 * ```
 */
export function agentWorkTime(facts: readonly TicketFacts[]): DurationResult {
  return timeKpi(
    facts,
    (f) => f.timeInStatus.new + f.timeInStatus.open,
    'agent work time: calendar time in new and open',
  );
}
