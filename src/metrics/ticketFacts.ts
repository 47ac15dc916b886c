import { z } from 'zod';
import { businessTimeBetween, type Calendar } from '../calendar/index.js';
import { CarekitError } from '../model/errors.js';
import type {
  Channel,
  Priority,
  SurveyKind,
  TicketEvent,
  TicketStatus,
  TicketStatuses,
} from '../model/index.js';
import { isFinalStatus } from '../model/index.js';
import { slaEvaluator } from '../sla/evaluateSla.js';
import type { SlaCalendars, SlaPolicy, SlaReport } from '../sla/index.js';
import type { MetricsErrorCode } from './errors.js';
import { TICKET_FACTS_VERSION } from './factsVersion.js';
import { msOption, objectOption, parseOptions } from './guards.js';
import { isRelationEvent, type RelationFacts, relationFacts } from './relations.js';

/** Up to this many ids counted, a duplicate is found by a scan of them; beyond, in a Set. */
const SEEN_SCAN = 16;

/** Relation events a final ticket still records (its lifecycle's final rules accept them). */
const LATE_RELATION_TYPES: ReadonlySet<string> = new Set([
  'ticket.child_changed',
  'message.moved',
  'ticket.merged_from',
]);

export { TICKET_FACTS_VERSION };

const TicketFactsOptionsSchema = z.strictObject({
  calendar: objectOption<object>('a calendar from createCalendar').optional(),
  sla: objectOption<object>('an SLA policy from createSlaPolicy').optional(),
  calendars: objectOption<object>('a record of calendars').optional(),
  statuses: objectOption<object>('custom statuses from defineStatuses').optional(),
  reopenWindowMs: msOption.optional(),
  autoSolvePendingAfterMs: msOption.nullable().optional(),
  autoCloseSolvedAfterMs: msOption.nullable().optional(),
  solveWithOpenChildren: z.boolean().optional(),
  now: z
    // z.date refuses an invalid Date itself ("expected a valid Date, got an invalid Date").
    .union([z.number().finite(), z.date()])
    .transform((t) => (typeof t === 'number' ? t : t.getTime()))
    .optional(),
});

/** What the KPIs need to know about one ticket, derived from its event log. Plain JSON. */
export interface TicketFacts {
  /** {@link TICKET_FACTS_VERSION}: these facts were made by `ticketFacts` of this version. */
  readonly factsVersion: typeof TICKET_FACTS_VERSION;
  readonly ticketId: string;
  readonly customerId: string;
  readonly channel: Channel;
  readonly category: string | null;
  readonly priority: Priority;
  readonly segment: string | null;
  /** The agent assigned last (null when none). */
  readonly assigneeId: string | null;
  /** The support tier the ticket ended at (1 unless escalated or assigned to a higher tier). */
  readonly tier: number;
  readonly origin: 'customer' | 'agent' | 'system';
  readonly createdAt: number;
  readonly firstReplyAt: number | null;
  readonly firstSolvedAt: number | null;
  /** When it was solved for the last time, if it ended solved or closed after a solve. */
  readonly solvedAt: number | null;
  readonly closedAt: number | null;
  readonly status: TicketStatus;
  /**
   * The desk's custom status the ticket ended in (`awaiting_supplier`), or null; absent in facts
   * made before custom statuses: read as null.
   */
  readonly customStatus?: string | null;
  readonly reopens: number;
  readonly agentReplies: number;
  /** Public replies marked `bot: true` (absent in facts made before bots were counted: read as 0). */
  readonly botReplies?: number;
  /**
   * A person took over after a bot had replied: an agent was assigned, a person replied publicly,
   * or the ticket was moved out of its queue (the bot's hand-over).
   */
  readonly botHandover?: boolean;
  readonly customerReplies: number;
  readonly assignments: number;
  readonly escalations: number;
  /** Sum of `workMs` on agent replies and notes: the handle time events carry. */
  readonly handleTimeMs: number;
  /**
   * The same work per agent and instant: each reply or note with `workMs`, at its event's time
   * (what agent utilisation counts; absent in facts made before it was kept: read as none).
   */
  readonly work?: readonly { readonly agentId: string; readonly at: number; readonly ms: number }[];
  /** Calendar ms spent in each status until the ticket was solved, closed or merged (or its last event). */
  readonly timeInStatus: Readonly<Record<'new' | 'open' | 'pending' | 'on_hold', number>>;
  /** Business ms from creation to the first reply / the first solve / the last solve, with a calendar. */
  readonly business: {
    /** The calendar's IANA zone: `volume` buckets in it by default. */
    readonly timeZone: string;
    /** Business ms spent in each status, over the same intervals as `timeInStatus`. */
    readonly timeInStatus: Readonly<Record<'new' | 'open' | 'pending' | 'on_hold', number>>;
    readonly firstReplyMs: number | null;
    readonly firstResolutionMs: number | null;
    readonly resolutionMs: number | null;
    /** The next-reply waits in business ms, in order. */
    readonly nextReplyWaitsMs: readonly number[];
  } | null;
  /**
   * Next-reply waits (calendar ms): after the first reply, from each customer message that
   * waited for an answer to the next public reply by a person. A second customer message before
   * the answer does not start a new wait.
   */
  readonly nextReplyWaitsMs: readonly number[];
  /** Spam and merged tickets are left out of the KPIs. */
  readonly excluded: 'spam' | 'merged' | null;
  readonly surveys: readonly { readonly survey: SurveyKind; readonly score: number; readonly at: number }[];
  /** Per SLA clock that ran: was its target met (fulfilled without breach) or breached. */
  readonly sla: Readonly<Record<string, 'met' | 'breached' | 'open'>> | null;
  readonly lastEventAt: number;
  /**
   * The ticket's merges, split, parent, children and side conversations (docs/relations.md), or
   * null when it has none; what the KPI report's `relations` section adds up (absent in facts
   * made before relations were kept: read as none).
   */
  readonly relations?: RelationFacts | null;
}

/** Options of {@link ticketFacts}. */
export interface TicketFactsOptions {
  /** A business calendar for the business-hours durations. */
  readonly calendar?: Calendar;
  /** An SLA policy (and its calendars) for the SLA outcomes. */
  readonly sla?: SlaPolicy;
  readonly calendars?: SlaCalendars;
  /**
   * The desk's custom statuses (`defineStatuses`): with `sla`, a custom status that pauses a
   * clock (or keeps it running) counts as it does in the lifecycle.
   */
  readonly statuses?: TicketStatuses;
  /** A customer reply to a solved ticket within this window reopens it, later closes it. Default 7 days (the lifecycle's default). */
  readonly reopenWindowMs?: number;
  /**
   * The lifecycle's auto-solve of stale pending tickets, in ms (its `autoSolvePendingAfter`):
   * with it, the first event at or after the deadline (a `clock.tick` or any other) finds the
   * ticket solved at the deadline, as the lifecycle does. Default null: no deadline.
   */
  readonly autoSolvePendingAfterMs?: number | null;
  /** The lifecycle's auto-close of solved tickets, in ms (its `autoCloseSolvedAfter`). Default null. */
  readonly autoCloseSolvedAfterMs?: number | null;
  /**
   * The lifecycle's `solveWithOpenChildren`. Default false: as in the lifecycle, a pending parent
   * with an open child is not auto-solved at its deadline (held), and its pending timeout starts
   * again when the last child is done (docs/relations.md).
   */
  readonly solveWithOpenChildren?: boolean;
  /**
   * The instant the log is read at (epoch ms): the lifecycle's deadlines that fell after the last
   * event and at or before `now` are applied too, as a `clock.tick` at `now` would. Default: none
   * (only deadlines that an event came after are applied). A `Date` or epoch ms.
   */
  readonly now?: Date | number;
}

/**
 * Derives the facts KPIs need from one ticket's parsed events (in order), with the lifecycle's
 * status rules: a public reply or an assignment opens a new ticket, a reply may set the status,
 * a customer reply moves pending and on-hold to open and reopens a solved ticket within the
 * reopen window (later, closes it), close and spam close it, merge merges it. The lifecycle's
 * own deadlines (auto-solve of stale pending tickets, auto-close of solved ones) apply, at their
 * instant, before the first event that comes after them, when their durations are given (the
 * desk gives its lifecycle's).
 * Duplicate event ids are ignored.
 *
 * @throws CarekitError `invalid_ticket_log` when the first event is not `ticket.opened`; a
 *   `CarekitValidationError` for an options bag with an unknown or ill-typed option.
 * @example
 * ```ts
 * const facts = ticketFacts([opened, { type: 'agent.replied', id: 'e2', ticketId: 'T-1', at: opened.at + 3_600_000, agentId: 'a1', body: 'Done', status: 'solved' }]);
 * [facts.status, facts.firstReplyAt! - facts.createdAt, facts.agentReplies];
 * //=> ['solved', 3600000, 1]
 * ```
 */
export function ticketFacts(events: readonly TicketEvent[], input: TicketFactsOptions = {}): TicketFacts {
  return deriveTicketFacts(events, parseTicketFactsOptions(input));
}

/**
 * The SLA evaluation of an options bag, made (its calendars and statuses checked) once and
 * remade if the bag's policy, calendars or statuses were replaced since.
 */
interface Evaluator {
  readonly sla: SlaPolicy;
  readonly calendars: TicketFactsOptions['calendars'];
  readonly statuses: TicketFactsOptions['statuses'];
  readonly evaluate: (timeline: TicketEvent[], now: number) => SlaReport;
}
const evaluators = new WeakMap<TicketFactsOptions, Evaluator>();
const evaluatorFor = (options: TicketFactsOptions, sla: SlaPolicy) => {
  const made = evaluators.get(options);
  if (made?.sla === sla && made.calendars === options.calendars && made.statuses === options.statuses)
    return made.evaluate;
  const evaluate = slaEvaluator(sla, {
    calendars: options.calendars,
    ...(options.statuses ? { statuses: options.statuses } : {}),
  });
  evaluators.set(options, { sla, calendars: options.calendars, statuses: options.statuses, evaluate });
  return evaluate;
};

/** @internal Validates a facts options bag once (a bag reused across calls is checked once). */
export const parseTicketFactsOptions = (input: unknown): TicketFactsOptions =>
  parseOptions<TicketFactsOptions>(TicketFactsOptionsSchema, input, 'ticketFacts');

/**
 * @internal {@link ticketFacts} with options already validated by `parseTicketFactsOptions` (a
 * stream's hot path); `at`, when given, is the `now` the options would carry (the stream passes
 * its latest instant beside a shared bag instead of a copy of the bag per ticket).
 */
export function deriveTicketFacts(
  events: readonly TicketEvent[],
  options: TicketFactsOptions,
  at?: number,
): TicketFacts {
  if (!Array.isArray(events))
    throw new CarekitError<MetricsErrorCode>(
      'invalid_ticket_log',
      'ticketFacts: expected an array of parsed ticket events',
    );
  const opened = events[0];
  if (opened?.type !== 'ticket.opened')
    throw new CarekitError<MetricsErrorCode>(
      'invalid_ticket_log',
      `ticketFacts: a ticket log starts with ticket.opened, not ${opened === undefined ? 'nothing' : JSON.stringify((opened as { type?: unknown }).type)}`,
    );
  const window = options.reopenWindowMs ?? 7 * 86_400_000;
  const solveMs = options.autoSolvePendingAfterMs ?? null;
  const closeMs = options.autoCloseSolvedAfterMs ?? null;
  // The lifecycle's deadlines, kept as it keeps them (see its status bookkeeping).
  let autoSolveAt: number | null = null;
  let autoCloseAt: number | null = null;
  // Children still open (ticket.child_changed): a pending parent's auto-solve waits for them.
  // Made at the first such event (most tickets have none).
  let openChildren: Set<string> | null = null;
  const holdForChildren = options.solveWithOpenChildren !== true;
  const time = { new: 0, open: 0, pending: 0, on_hold: 0 };
  let status = 'new' as TicketStatus;
  let customStatus: string | null = null;
  let since = opened.at;
  let priority: Priority = opened.priority ?? 'normal';
  let category = opened.category ?? null;
  let assigneeId: string | null = null;
  let firstReplyAt: number | null = null;
  // Next-reply waits: [from, to] pairs, converted to business time at the end.
  const waits: [number, number][] = [];
  let waitingSince: number | null = null;
  let firstSolvedAt: number | null = null;
  let solvedAt: number | null = null;
  let closedAt: number | null = null;
  let excluded: 'spam' | 'merged' | null = null;
  let reopens = 0;
  let agentReplies = 0;
  let botReplies = 0;
  let botHandover = false;
  let customerReplies = 0;
  let assignments = 0;
  let escalations = 0;
  let tier = 1;
  let handleTimeMs = 0;
  const work: { agentId: string; at: number; ms: number }[] = [];
  let last = opened.at;
  const surveys: { survey: SurveyKind; score: number; at: number }[] = [];
  const accepted: TicketEvent[] = [opened];

  const cal = options.calendar;
  const businessTime = { new: 0, open: 0, pending: 0, on_hold: 0 };
  const spend = (at: number) => {
    if (!(status in time)) return;
    const key = status as keyof typeof time;
    time[key] += at - since;
    if (cal !== undefined && at > since) businessTime[key] += businessTimeBetween(cal, since, at);
  };
  const move = (to: TicketStatus, at: number) => {
    if (to === status) return;
    spend(at);
    // Any change of status ends a custom status (an explicit one is set again after the move).
    customStatus = null;
    if (to === 'solved') {
      solvedAt = at;
      firstSolvedAt ??= at;
    } else if (status === 'solved' && to !== 'closed' && to !== 'merged') {
      reopens++;
      solvedAt = null;
    }
    if (isFinalStatus(to)) closedAt = at;
    status = to;
    since = at;
  };

  // Like the lifecycle, apply the deadlines that have passed by `until`, each at its instant.
  const applyDeadlines = (until: number) => {
    for (;;) {
      if (status === 'pending' && autoSolveAt !== null && autoSolveAt <= until) {
        if (holdForChildren && openChildren !== null && openChildren.size > 0) {
          autoSolveAt = null;
          break;
        }
        const at = autoSolveAt;
        move('solved', at);
        autoSolveAt = null;
        autoCloseAt = closeMs === null ? null : at + closeMs;
        continue;
      }
      if (status === 'solved' && autoCloseAt !== null && autoCloseAt <= until) {
        move('closed', autoCloseAt);
        autoCloseAt = null;
      }
      break;
    }
  };

  let related = isRelationEvent(opened);
  let late: TicketEvent[] | null = null;
  // The ids counted so far (`accepted` and `late`): looked up in those arrays while they are short,
  // in a Set once they are not (most logs hold a handful of events: no Set to make).
  let seenSet: Set<string> | null = null;
  const seen = (id: string): boolean => {
    if (seenSet !== null) return seenSet.has(id);
    for (let j = 0; j < accepted.length; j++) if ((accepted[j] as TicketEvent).id === id) return true;
    if (late !== null)
      for (let j = 0; j < late.length; j++) if ((late[j] as TicketEvent).id === id) return true;
    return false;
  };
  const count = (e: TicketEvent, into: TicketEvent[]) => {
    into.push(e);
    if (seenSet !== null) seenSet.add(e.id);
    else if (accepted.length + (late?.length ?? 0) > SEEN_SCAN) {
      seenSet = new Set<string>();
      for (const a of accepted) seenSet.add(a.id);
      if (late !== null) for (const a of late) seenSet.add(a.id);
    }
  };
  for (let i = 1; i < events.length; i++) {
    const raw = events[i] as TicketEvent;
    if (!related && isRelationEvent(raw)) related = true;
    if (raw.ticketId !== opened.ticketId || seen(raw.id)) continue;
    // The time rule, as the lifecycle keeps it: an event stamped before the last one counts at
    // the last instant, its own time in `sentAt`.
    const e = raw.at < last ? { ...raw, at: last, sentAt: raw.sentAt ?? raw.at } : raw;
    applyDeadlines(e.at);
    const final = isFinalStatus(status);
    if (final && e.type !== 'survey.answered') {
      // What the lifecycle still records on a final ticket (a parent learns of its children, a
      // merge begun before the close brings its messages) counts for its relations, as the
      // snapshot keeps it.
      if (related && LATE_RELATION_TYPES.has(e.type)) {
        late ??= [];
        count(e, late);
      }
      continue;
    }
    count(e, accepted);
    last = e.at;
    const from = status;
    switch (e.type) {
      case 'customer.replied':
        customerReplies++;
        if (firstReplyAt !== null && waitingSince === null) waitingSince = e.at;
        if (status === 'pending' || status === 'on_hold') move('open', e.at);
        else if (status === 'solved') move(e.at - (solvedAt ?? e.at) <= window ? 'open' : 'closed', e.at);
        break;
      case 'agent.replied':
        handleTimeMs += e.workMs ?? 0;
        if (e.workMs) work.push({ agentId: e.agentId, at: e.at, ms: e.workMs });
        if (e.public !== false && e.bot === true) botReplies++;
        if (e.public !== false && e.bot !== true) {
          agentReplies++;
          if (botReplies > 0) botHandover = true;
          firstReplyAt ??= e.at;
          if (waitingSince !== null) {
            waits.push([waitingSince, e.at]);
            waitingSince = null;
          }
          if (assigneeId === null) {
            assigneeId = e.agentId;
            assignments++;
          }
        }
        if (e.status !== undefined) move(e.status, e.at);
        else if (status === 'new' && e.public !== false) move('open', e.at);
        break;
      case 'agent.noted':
        handleTimeMs += e.workMs ?? 0;
        if (e.workMs) work.push({ agentId: e.agentId, at: e.at, ms: e.workMs });
        break;
      case 'ticket.assigned':
        if (botReplies > 0 && (e.agentId !== null || e.queue === null)) botHandover = true;
        if (e.agentId !== null && e.agentId !== assigneeId) assignments++;
        assigneeId = e.agentId;
        if (e.tier !== undefined && e.tier > tier) escalations++;
        if (e.tier !== undefined) tier = e.tier;
        if (status === 'new' && e.agentId !== null) move('open', e.at);
        break;
      case 'ticket.status_set':
        move(e.status, e.at);
        break;
      case 'ticket.reprioritized':
        priority = e.priority;
        break;
      case 'ticket.categorized':
        category = e.category;
        break;
      case 'ticket.escalated':
        if (e.tier > tier) escalations++;
        tier = e.tier;
        break;
      case 'ticket.merged':
        excluded = 'merged';
        move('merged', e.at);
        break;
      case 'ticket.closed':
        move('closed', e.at);
        break;
      case 'ticket.marked_spam':
        excluded = 'spam';
        move('closed', e.at);
        break;
      case 'ticket.child_changed': {
        openChildren ??= new Set<string>();
        const wasOpen = openChildren.has(e.childId);
        if (e.state === 'open') openChildren.add(e.childId);
        else openChildren.delete(e.childId);
        // The last open child is done: a held pending timeout starts again now.
        if (
          wasOpen &&
          openChildren.size === 0 &&
          status === 'pending' &&
          autoSolveAt === null &&
          solveMs !== null
        )
          autoSolveAt = e.at + solveMs;
        break;
      }
      case 'survey.answered':
        surveys.push({ survey: e.survey, score: e.score, at: e.at });
        break;
      default:
        break;
    }
    if ((e.type === 'ticket.status_set' || e.type === 'agent.replied') && e.status !== undefined)
      customStatus = e.customStatus ?? null;
    // A stale pending ticket is measured from entering pending or the last public reply in it.
    const publicReply = e.type === 'agent.replied' && e.public !== false;
    if (status !== 'pending') autoSolveAt = null;
    else if (solveMs !== null && (from !== 'pending' || publicReply)) autoSolveAt = e.at + solveMs;
    if (status !== 'solved') autoCloseAt = null;
    else if (from !== 'solved' && closeMs !== null) autoCloseAt = e.at + closeMs;
  }
  const now = at ?? (typeof options.now === 'number' ? options.now : options.now?.getTime());
  if (now !== undefined && now >= last) applyDeadlines(now);
  // A deadline applied after the last event moved `since` past it; time stops there.
  spend(Math.max(last, since));

  const between = (to: number | null) =>
    cal === undefined || to === null ? null : businessTimeBetween(cal, opened.at, to);
  let sla: Record<string, 'met' | 'breached' | 'open'> | null = null;
  // A blocked customer's ticket sent to review runs no SLA clock there (as the lifecycle keeps
  // it), so it is left out of SLA compliance, as tickets closed as spam are.
  if (options.sla !== undefined && opened.customer.blocked !== true) {
    const report = evaluatorFor(options, options.sla)(accepted, last);
    sla = {};
    for (const [clock, c] of Object.entries(report.clocks)) {
      if (c.cycles === 0) continue;
      sla[clock] =
        c.breaches > 0 || c.breachedAt !== null ? 'breached' : c.status === 'fulfilled' ? 'met' : 'open';
    }
  }
  return {
    factsVersion: TICKET_FACTS_VERSION,
    ticketId: opened.ticketId,
    customerId: opened.customer.id,
    channel: opened.channel,
    category,
    priority,
    segment: opened.customer.segment ?? null,
    assigneeId,
    tier,
    origin: opened.origin ?? 'customer',
    createdAt: opened.at,
    firstReplyAt,
    firstSolvedAt,
    solvedAt,
    closedAt,
    status,
    customStatus,
    reopens,
    agentReplies,
    botReplies,
    botHandover,
    customerReplies,
    assignments,
    escalations,
    handleTimeMs,
    work,
    timeInStatus: time,
    business:
      cal === undefined
        ? null
        : {
            timeZone: cal.timeZone,
            timeInStatus: businessTime,
            firstReplyMs: between(firstReplyAt),
            firstResolutionMs: between(firstSolvedAt),
            resolutionMs: between(solvedAt),
            nextReplyWaitsMs: waits.map(([from, to]) => businessTimeBetween(cal, from, to)),
          },
    nextReplyWaitsMs: waits.map(([from, to]) => to - from),
    excluded,
    surveys,
    sla,
    lastEventAt: last,
    relations: related
      ? relationFacts(late === null ? accepted : [...accepted, ...late], 'ticketFacts', ['events'])
      : null,
  };
}
