import type { TicketEvent } from '../model/index.js';
import type { KpiReport, KpiReportOptions } from './kpiReport.js';
import {
  type KpiReportState,
  kpiReportAccumulator,
  type SurveyAudience,
  surveyAudience,
} from './kpiReportAccumulator.js';
import { type TicketFacts, type TicketFactsOptions, ticketFacts } from './ticketFacts.js';

type Opened = Extract<TicketEvent, { type: 'ticket.opened' }>;

/** Options of {@link createReportStream}. */
export interface ReportStreamOptions {
  /** The report's options (as `kpiReport`'s). */
  readonly report?: KpiReportOptions;
  /**
   * The facts options of one ticket (calendar, SLA policy...), from its `ticket.opened`. The
   * lifecycle's deadlines are given apart, in `lifecycle`.
   */
  readonly facts?: (opened: Opened) => Omit<TicketFactsOptions, 'now' | keyof ReportStreamLifecycle>;
  /** The lifecycle's reopen window and deadlines (`lifecycleFactsOptions(config)`). */
  readonly lifecycle?: ReportStreamLifecycle;
  /**
   * How far (in the log's own time) events may arrive out of order: a ticket is finished this long
   * after it closed (explicitly or at its lifecycle deadline). Default 14 days.
   */
  readonly graceMs?: number;
  /** Look for finished tickets every this many events. Default 10,000. */
  readonly sweepEvery?: number;
}

/** The lifecycle rules a report stream applies (see `lifecycleFactsOptions`). */
export interface ReportStreamLifecycle {
  readonly reopenWindowMs?: number;
  readonly autoSolvePendingAfterMs?: number | null;
  readonly autoCloseSolvedAfterMs?: number | null;
}

/** A KPI report computed from a stream of events in bounded memory. */
export interface ReportStream {
  /** Adds one parsed event (in the log's order). */
  add(event: TicketEvent): void;
  /** Finishes every ticket still open and returns the report with its counts. */
  finish(): { readonly report: KpiReport; readonly tickets: number; readonly unopened: number };
  /** What the stream holds now: tickets still active, finished tickets remembered, customers held. */
  held(): { readonly active: number; readonly finished: number; readonly customers: number };
}

const DAY = 86_400_000;
const AUDIENCES: readonly SurveyAudience[] = ['excluded', 'self-service', 'person', 'neither'];

/**
 * A KPI report over a stream of events, in memory that follows the active tickets and the
 * customers, not the log: events are grouped per ticket; a ticket is finished, folded into the
 * report's mergeable state and forgotten `graceMs` after it closed — explicitly, or at its
 * lifecycle's auto-solve and auto-close deadlines (read as a `clock.tick` at the log's latest
 * instant would). Of a finished ticket only whom its survey answers count for is kept, so a late
 * answer is added where the ticket's facts would have had it; the callback summary forgets the
 * contacts that can no longer change. Its report equals `kpiReport` over `ticketFacts` of each
 * ticket's events (in time order, `now` the log's latest instant), as long as no event arrives more
 * than `graceMs` out of order (a property test holds it).
 *
 * @example
 * ```ts
 * const stream = createReportStream({ lifecycle: lifecycleFactsOptions(workflow.config) });
 * for (const event of events) stream.add(event);
 * stream.finish().report.csat.value;
 * //=> 86.5
 * ```
 */
export function createReportStream(options: ReportStreamOptions = {}): ReportStream {
  const grace = options.graceMs ?? 14 * DAY;
  const every = options.sweepEvery ?? 10_000;
  const lifecycle = options.lifecycle ?? {};
  const solveMs = lifecycle.autoSolvePendingAfterMs ?? null;
  const closeMs = lifecycle.autoCloseSolvedAfterMs ?? null;
  const acc = kpiReportAccumulator(options.report);
  let state: KpiReportState = acc.empty();
  interface Active {
    events: TicketEvent[];
    closedAt: number | null;
    firstAt: number;
    lastAt: number;
    checkedAt: number | null;
  }
  const active = new Map<string, Active>();
  // A finished ticket: the index of whom its survey answers count for (a small integer: cheap).
  const finished = new Map<string, number>();
  const lateIds = new Map<string, Set<string>>();
  let latest = Number.NEGATIVE_INFINITY;
  let seen = 0;
  let tickets = 0;
  let unopened = 0;

  const factsOf = (events: readonly TicketEvent[], now: number): TicketFacts | null => {
    const ordered = [...events].sort((a, b) => a.at - b.at);
    const at = ordered.findIndex((e) => e.type === 'ticket.opened');
    if (at < 0) return null;
    const opened = ordered[at] as Opened;
    const log = [opened, ...ordered.filter((_, i) => i !== at)];
    return ticketFacts(log, { ...(options.facts?.(opened) ?? {}), ...lifecycle, now });
  };
  const fold = (id: string, facts: TicketFacts | null, events: readonly TicketEvent[]) => {
    active.delete(id);
    // A survey answer still within the grace period may be delivered again: remember its id.
    for (const e of events) {
      if (e.type !== 'survey.answered' || e.at + grace < latest) continue;
      let ids = lateIds.get(id);
      if (!ids) {
        ids = new Set();
        lateIds.set(id, ids);
      }
      ids.add(e.id);
    }
    if (facts === null) {
      unopened++;
      return;
    }
    state = acc.add(state, facts);
    tickets++;
    finished.set(id, AUDIENCES.indexOf(surveyAudience(facts)));
  };
  const sweep = () => {
    let watermark = latest - grace;
    for (const [id, t] of active) {
      // A candidate: closed by an event, or untouched long enough for the lifecycle's deadlines
      // to have solved and closed it. Its facts decide (an event may close nothing, and an open
      // ticket never auto-closes); one that is not closed is looked at again after its next event.
      const candidate =
        t.checkedAt !== t.lastAt &&
        ((t.closedAt !== null && t.closedAt + grace < latest) ||
          (closeMs !== null && t.lastAt + (solveMs ?? 0) + closeMs + grace < latest));
      if (candidate) {
        const facts = factsOf(t.events, latest);
        if (facts !== null && facts.closedAt !== null && facts.closedAt + grace < latest) {
          fold(id, facts, t.events);
          continue;
        }
        t.checkedAt = t.lastAt;
      }
      if (t.firstAt < watermark) watermark = t.firstAt;
    }
    // No ticket created before the watermark is still to come: callbacks settle up to it.
    if (Number.isFinite(watermark)) state = acc.settle(state, watermark);
  };

  return {
    add(event) {
      if (event.at > latest) latest = event.at;
      const done = finished.get(event.ticketId);
      if (done !== undefined) {
        // A finished ticket accepts survey answers only, as its facts would (others are ignored).
        if (event.type !== 'survey.answered') return;
        let ids = lateIds.get(event.ticketId);
        if (ids?.has(event.id)) return;
        if (!ids) {
          ids = new Set();
          lateIds.set(event.ticketId, ids);
        }
        ids.add(event.id);
        state = acc.addAnswers(state, AUDIENCES[done] as SurveyAudience, [
          { survey: event.survey, score: event.score, at: event.at },
        ]);
        return;
      }
      let t = active.get(event.ticketId);
      if (!t) {
        t = { events: [], closedAt: null, firstAt: event.at, lastAt: event.at, checkedAt: null };
        active.set(event.ticketId, t);
      }
      t.events.push(event);
      if (event.at < t.firstAt) t.firstAt = event.at;
      if (event.at > t.lastAt) t.lastAt = event.at;
      if (
        event.type === 'ticket.closed' ||
        event.type === 'ticket.merged' ||
        event.type === 'ticket.marked_spam'
      )
        t.closedAt = event.at;
      if (++seen % every === 0) sweep();
    },
    finish() {
      for (const [id, t] of active) fold(id, factsOf(t.events, latest), t.events);
      return { report: acc.result(state), tickets, unopened };
    },
    held() {
      const customers = Object.keys(
        (state.parts as { callback: { customers: object } }).callback.customers,
      ).length;
      return { active: active.size, finished: finished.size, customers };
    },
  };
}
