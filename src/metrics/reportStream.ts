import { z } from 'zod';
import type { TicketEvent } from '../model/index.js';
import { fnOption, msOption, objectOption, parseOptions } from './guards.js';
import type { KpiReport } from './kpiReportAccumulator.js';
import {
  type KpiReportState,
  kpiReportAccumulator,
  type SurveyAudience,
  surveyAudience,
} from './kpiReportAccumulator.js';
import type { KpiReportOptions } from './kpiReportOptions.js';
import {
  deriveTicketFacts,
  parseTicketFactsOptions,
  type TicketFacts,
  type TicketFactsOptions,
} from './ticketFacts.js';

type Opened = Extract<TicketEvent, { type: 'ticket.opened' }>;

/** Options of {@link createReportStream}. */
export interface ReportStreamOptions {
  /** The report's options (as `kpiReport`'s). */
  readonly report?: KpiReportOptions;
  /**
   * The facts options of one ticket (calendar, SLA policy...), from its `ticket.opened`. The
   * lifecycle's deadlines are given apart, in `lifecycle`. Return the same object for tickets that
   * share options (one per SLA policy): each distinct object is validated once.
   */
  readonly facts?: (opened: Opened) => Omit<TicketFactsOptions, 'now' | keyof ReportStreamLifecycle>;
  /** The lifecycle's reopen window and deadlines (`lifecycleFactsOptions(config)`). */
  readonly lifecycle?: ReportStreamLifecycle;
  /**
   * How far (in the log's own time) events may arrive out of order: a ticket is finished this long
   * after it closed (explicitly or at its lifecycle deadline). Default 14 days.
   */
  readonly graceMs?: number;
  /**
   * How long (in the log's own time) a finished ticket is remembered for late survey answers: an
   * answer that arrives within this time after the ticket was finished counts where the ticket's
   * facts would have had it; a later one has no ticket to land on (counted in `unplaced`). Default
   * 30 days, so an answer up to 44 days after the close counts with the default grace — beyond the
   * lifecycle's survey window (sent 1 day after the solve, expired 14 days after it was sent).
   */
  readonly lateAnswerMs?: number;
  /** Look for finished tickets every this many events. Default 10,000. */
  readonly sweepEvery?: number;
}

/** The lifecycle rules a report stream applies (see `lifecycleFactsOptions`). */
export interface ReportStreamLifecycle {
  readonly reopenWindowMs?: number;
  readonly autoSolvePendingAfterMs?: number | null;
  readonly autoCloseSolvedAfterMs?: number | null;
  /** The lifecycle's `solveWithOpenChildren` (a pending parent's auto-solve waits for its children unless true). */
  readonly solveWithOpenChildren?: boolean;
}

/** A KPI report computed from a stream of events in bounded memory. */
export interface ReportStream {
  /** Adds one parsed event (in the log's order). */
  add(event: TicketEvent): void;
  /**
   * Finishes every ticket still open and returns the report with its counts: tickets folded,
   * tickets whose events had no `ticket.opened`, and survey answers that came after their ticket
   * was forgotten (`lateAnswerMs`) or for a ticket never seen (`unplaced`, left out of the report).
   */
  finish(): {
    readonly report: KpiReport;
    readonly tickets: number;
    readonly unopened: number;
    readonly unplaced: number;
  };
  /** What the stream holds now: tickets still active, finished tickets remembered, customers held. */
  held(): { readonly active: number; readonly finished: number; readonly customers: number };
}

const DAY = 86_400_000;

const ReportStreamOptionsSchema = z.strictObject({
  report: objectOption<object>('kpiReport options').optional(),
  facts: fnOption.optional(),
  lifecycle: z
    .strictObject({
      reopenWindowMs: msOption.optional(),
      autoSolvePendingAfterMs: msOption.nullable().optional(),
      autoCloseSolvedAfterMs: msOption.nullable().optional(),
      solveWithOpenChildren: z.boolean().optional(),
    })
    .optional(),
  graceMs: msOption.optional(),
  lateAnswerMs: msOption.optional(),
  sweepEvery: z.number().int().positive().max(1e9).optional(),
});

/**
 * An event as the stream holds it until its ticket is finished: without the texts the facts never
 * read (subject, body, tags, meta), which are most of its memory.
 */
function slim(event: TicketEvent): TicketEvent {
  if (!('body' in event) && !('meta' in event) && !('tags' in event)) return event;
  const {
    body: _body,
    subject: _subject,
    tags: _tags,
    meta: _meta,
    ...rest
  } = event as TicketEvent & {
    body?: unknown;
    subject?: unknown;
    tags?: unknown;
    meta?: unknown;
  };
  return rest as TicketEvent;
}

/** A ticket whose events are still coming. */
interface Active {
  readonly done: false;
  readonly id: string;
  readonly events: TicketEvent[];
  /** The events arrived in time order, `ticket.opened` first (the usual case: no sort needed). */
  inOrder: boolean;
  closedAt: number | null;
  firstAt: number;
  lastAt: number;
  checkedAt: number | null;
}

/** What a finished ticket leaves behind until `until`: whom its answers count for, and their ids. */
interface Finished {
  readonly done: true;
  readonly id: string;
  readonly audience: SurveyAudience;
  readonly until: number;
  answers: string[] | null;
}

/**
 * A KPI report over a stream of events, in memory bounded by the report's sketches and by what is
 * active in a window of the log's time — not by the length of the log: events are grouped per
 * ticket; a ticket is finished, folded into the report's mergeable state and its events dropped
 * `graceMs` after it closed — explicitly, or at its lifecycle's auto-solve and auto-close
 * deadlines (read as a `clock.tick` at the log's latest instant would). Of a finished ticket only
 * whom its survey answers count for (and its answers' ids) is kept, for `lateAnswerMs`, so a late
 * answer is added where the ticket's facts would have had it; the callback summary forgets the
 * contacts that can no longer change. Its report equals `kpiReport` over `ticketFacts` of each
 * ticket's events (in time order, `now` the log's latest instant), as long as no event arrives
 * more than `graceMs` out of order and no answer more than `lateAnswerMs` after its ticket was
 * finished (a property test holds it).
 *
 * @throws CarekitValidationError for an options bag with an unknown or ill-typed option.
 * @example
 * ```ts
 * const stream = createReportStream({ lifecycle: lifecycleFactsOptions(workflow.config) });
 * for (const event of events) stream.add(event);
 * stream.finish().report.csat.value;
 * //=> 86.5
 * ```
 */
export function createReportStream(options: ReportStreamOptions = {}): ReportStream {
  const o = parseOptions<ReportStreamOptions>(ReportStreamOptionsSchema, options, 'createReportStream');
  const grace = o.graceMs ?? 14 * DAY;
  const keep = o.lateAnswerMs ?? 30 * DAY;
  const every = o.sweepEvery ?? 10_000;
  const lifecycle = o.lifecycle ?? {};
  const solveMs = lifecycle.autoSolvePendingAfterMs ?? null;
  const closeMs = lifecycle.autoCloseSolvedAfterMs ?? null;
  const callbackWithin = o.report?.callback?.withinMs ?? 7 * DAY;
  const acc = kpiReportAccumulator(o.report);
  let state: KpiReportState = acc.empty();
  // Every ticket held, active or finished, by id: one lookup an event, and a ticket that is
  // finished replaces its entry instead of moving to another map.
  const held = new Map<string, Active | Finished>();
  // The active tickets in the order they were first seen (what a sweep visits, compacted as it goes).
  let active: Active[] = [];
  // The finished tickets in the order they were finished (about the order of their `until`):
  // expired from the front (`expiredTo`), compacted now and then.
  let finished: Finished[] = [];
  let expiredTo = 0;
  // Per facts bag of the caller: the bag with the lifecycle's options, validated once.
  const bags = new Map<object | undefined, TicketFactsOptions>();
  let latest = Number.NEGATIVE_INFINITY;
  let settledAt = Number.NEGATIVE_INFINITY;
  let seen = 0;
  let tickets = 0;
  let unopened = 0;
  let unplaced = 0;

  const bagOf = (opened: Opened): TicketFactsOptions => {
    const own = o.facts?.(opened);
    let bag = bags.get(own);
    if (bag === undefined) {
      bag = parseTicketFactsOptions({ ...(own ?? {}), ...lifecycle });
      // A caller that makes a new bag per ticket gets each validated, not remembered forever.
      if (bags.size < 1_000) bags.set(own, bag);
    }
    return bag;
  };
  const factsOf = (t: Active, now: number): TicketFacts | null => {
    let log = t.events;
    if (!t.inOrder) {
      const ordered = [...log].sort((a, b) => a.at - b.at);
      const at = ordered.findIndex((e) => e.type === 'ticket.opened');
      if (at < 0) return null;
      log = [ordered[at] as TicketEvent, ...ordered.slice(0, at), ...ordered.slice(at + 1)];
    }
    const opened = log[0] as Opened;
    return deriveTicketFacts(log, bagOf(opened), now);
  };
  const fold = (t: Active, facts: TicketFacts | null) => {
    if (facts === null) {
      held.delete(t.id);
      if (t.events.every((e) => e.type === 'survey.answered')) unplaced += t.events.length;
      else unopened++;
      return;
    }
    state = acc.add(state, facts);
    tickets++;
    // Its answers' ids: an answer may be delivered again after the ticket is finished.
    let answers: string[] | null = null;
    for (const e of t.events) {
      if (e.type !== 'survey.answered') continue;
      answers ??= [];
      answers.push(e.id);
    }
    const f: Finished = {
      done: true,
      id: t.id,
      audience: surveyAudience(facts),
      until: latest + keep,
      answers,
    };
    held.set(t.id, f);
    finished.push(f);
  };
  const sweep = () => {
    let watermark = latest - grace;
    // The tickets still active after this sweep, in the same order, written over `active`.
    let kept = 0;
    for (let i = 0; i < active.length; i++) {
      const t = active[i] as Active;
      // A candidate: closed by an event, or untouched long enough for the lifecycle's deadlines
      // to have solved and closed it. Its facts decide (an event may close nothing, and an open
      // ticket never auto-closes); one that is not closed is looked at again after its next event.
      const candidate =
        t.checkedAt !== t.lastAt &&
        ((t.closedAt !== null && t.closedAt + grace < latest) ||
          (closeMs !== null && t.lastAt + (solveMs ?? 0) + closeMs + grace < latest));
      if (candidate) {
        const facts = factsOf(t, latest);
        if (facts !== null && facts.closedAt !== null && facts.closedAt + grace < latest) {
          fold(t, facts);
          continue;
        }
        t.checkedAt = t.lastAt;
      }
      if (t.firstAt < watermark) watermark = t.firstAt;
      active[kept++] = t;
    }
    active.length = kept;
    for (; expiredTo < finished.length; expiredTo++) {
      const f = finished[expiredTo] as Finished;
      if (f.until >= latest) break;
      held.delete(f.id);
    }
    if (expiredTo > 1_024 && expiredTo * 2 > finished.length) {
      finished = finished.slice(expiredTo);
      expiredTo = 0;
    }
    // No ticket created before the watermark is still to come: callbacks settle up to it, once
    // the watermark moved on by a whole callback window. Settling visits every customer (50,000
    // of them cost 8 % of a 100,000-ticket report when it ran every seventh of a window); a
    // contact is then held for at most two windows.
    if (Number.isFinite(watermark) && watermark - settledAt >= callbackWithin) {
      state = acc.settle(state, watermark);
      settledAt = watermark;
    }
  };

  return {
    add(input) {
      if (input.at > latest) latest = input.at;
      // A ticket is active or finished, never both.
      const found = held.get(input.ticketId);
      if (found?.done === true) {
        const done = found;
        const event = input;
        // A finished ticket accepts survey answers only, as its facts would (others are ignored).
        if (event.type !== 'survey.answered' || done.answers?.includes(event.id)) return;
        done.answers ??= [];
        done.answers.push(event.id);
        state = acc.addAnswers(state, done.audience, [
          { survey: event.survey, score: event.score, at: event.at },
        ]);
        return;
      }
      const event = slim(input);
      let t = found;
      if (t === undefined) {
        t = {
          done: false,
          id: event.ticketId,
          events: [event],
          inOrder: event.type === 'ticket.opened',
          closedAt: null,
          firstAt: event.at,
          lastAt: event.at,
          checkedAt: null,
        };
        held.set(event.ticketId, t);
        active.push(t);
      } else {
        if (event.at < t.lastAt || event.type === 'ticket.opened') t.inOrder = false;
        t.events.push(event);
        if (event.at < t.firstAt) t.firstAt = event.at;
        if (event.at > t.lastAt) t.lastAt = event.at;
      }
      if (
        event.type === 'ticket.closed' ||
        event.type === 'ticket.merged' ||
        event.type === 'ticket.marked_spam'
      )
        t.closedAt = event.at;
      if (++seen % every === 0) sweep();
    },
    finish() {
      for (const t of active) fold(t, factsOf(t, latest));
      active = [];
      return { report: acc.result(state), tickets, unopened, unplaced };
    },
    held() {
      const customers = Object.keys(
        (state.parts as { callback: { customers: object } }).callback.customers,
      ).length;
      return { active: active.length, finished: finished.length - expiredTo, customers };
    },
  };
}
