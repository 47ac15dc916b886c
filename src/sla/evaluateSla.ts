import { z } from 'zod';
import {
  CarekitError,
  objectOption,
  parseOptions,
  type TicketEvent,
  type TicketStatuses,
} from '../model/index.js';
import type { SlaCalendars } from './clockMeasure.js';
import type { SlaPolicy } from './createSlaPolicy.js';
import type { SlaErrorCode } from './errors.js';
import { statusAfterEvent } from './nextTicketStatus.js';
import { assertSlaPolicy, assertTimeline, CalendarsOption, InstantOption } from './options.js';
import { readSla, type SlaReport } from './readSla.js';
import { initialSlaState, type SlaState, stepSla } from './stepSla.js';

/**
 * A ticket's timeline for the SLA engine: its parsed events in order, starting with
 * `ticket.opened`. The engine reads `ticket.opened`, `customer.replied`, `agent.replied`
 * (public, status), `ticket.assigned`, `ticket.status_set`, `ticket.reprioritized`,
 * `ticket.closed`, `ticket.merged` and `ticket.marked_spam`; other events only move time on.
 */
export type SlaTimeline = readonly TicketEvent[];

/** Options of {@link evaluateSla}. */
export interface EvaluateSlaOptions {
  /** Business calendars by the names the policy uses. Not needed for calendar-hours policies. */
  readonly calendars?: SlaCalendars | undefined;
  /** The instant to read the clocks at. Default: the last event's instant. */
  readonly now?: Date | number | undefined;
  /**
   * The desk's custom statuses (`defineStatuses`): while a ticket is in one, the clocks it
   * pauses (or keeps running) follow it rather than the policy's `pauseIn`, as in the lifecycle.
   */
  readonly statuses?: TicketStatuses | undefined;
}

const EvaluateOptions = z.strictObject({
  calendars: CalendarsOption.optional(),
  now: InstantOption.optional(),
  statuses: objectOption<TicketStatuses>(
    (v) => typeof (v as TicketStatuses).byId === 'function',
    'custom statuses from defineStatuses',
  ).optional(),
});

/**
 * Folds a timeline through the SLA engine ({@link initialSlaState}, then {@link stepSla} for
 * every event) and returns the final state. The incremental form of {@link evaluateSla}.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `timeline_without_opening` when the first event is not `ticket.opened`.
 * @example
 * ```ts
 * // events: opened 2025-03-10T09:00Z, public agent reply 10:00Z
 * const state = foldSla(policy, events, {});
 * state.clocks.firstReply.fulfilledAt;
 * //=> 1741600800000
 * JSON.parse(JSON.stringify(state)); // plain JSON: store it, step it later
 * //=> an equal state
 * ```
 */
export function foldSla(
  policy: SlaPolicy,
  timeline: SlaTimeline,
  options: Pick<EvaluateSlaOptions, 'calendars' | 'statuses'>,
): SlaState {
  assertSlaPolicy(policy, 'foldSla');
  assertTimeline(timeline, 'foldSla');
  return fold(policy, timeline, options);
}

/** {@link foldSla} once its caller has checked the policy and the timeline. */
function fold(
  policy: SlaPolicy,
  timeline: SlaTimeline,
  options: Pick<EvaluateSlaOptions, 'calendars' | 'statuses'> | undefined,
): SlaState {
  const [opened, ...rest] = timeline;
  if (opened?.type !== 'ticket.opened') {
    throw new CarekitError<SlaErrorCode>(
      'timeline_without_opening',
      `An SLA timeline must start with a ticket.opened event; it starts with ${opened === undefined ? 'nothing' : opened.type}`,
    );
  }
  const ctx = { policy, calendars: options?.calendars };
  let state = initialSlaState(opened, ctx);
  const statuses = options?.statuses;
  // The custom status as the lifecycle keeps it: a status given explicitly replaces it, any
  // other change of status clears it (a closed or merged ticket's status never changes); its
  // pauses override the policy's while it lasts. A status the set does not define overrides
  // nothing.
  let pauses: Readonly<Partial<Record<string, boolean>>> | undefined;
  for (const event of rest) {
    if (
      (event.type === 'ticket.status_set' || event.type === 'agent.replied') &&
      event.status !== undefined
    ) {
      // Stryker disable next-line ConditionalExpression: byId(undefined) finds no status, so both arms give undefined.
      pauses = event.customStatus === undefined ? undefined : statuses?.byId(event.customStatus)?.pauses;
    } else if (statusAfterEvent(state.status, event) !== state.status) {
      pauses = undefined;
    }
    state = stepSla(state, event, ctx, undefined, pauses);
  }
  return state;
}

/**
 * Evaluates a ticket's SLA clocks from its timeline. Pure: the same timeline, policy,
 * calendars and `now` always give the same report.
 *
 * Semantics (see `docs/sla.md`): first reply runs from opening to the first public agent
 * reply; next reply from the oldest unanswered customer message to the next public agent
 * reply; periodic update is due every target after the last public agent reply while the
 * ticket is unsolved; resolution runs from opening to solved and resumes on reopen. A clock
 * pauses in its `pauseIn` statuses. It breaches when its elapsed time reaches the target
 * (`breachedAt` is that instant) and keeps counting until fulfilled (achieved late).
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `timeline_without_opening`, `unknown_calendar`.
 * @example
 * ```ts
 * const policy = createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets: { normal: { hours: 4 } } } });
 * const report = evaluateSla(policy, [
 *   { type: 'ticket.opened', id: 'e1', ticketId: 't1', at: Date.parse('2025-03-10T09:00:00Z'), channel: 'email', subject: 'Where is my order?', body: '...', customer: { id: 'c1' } },
 *   { type: 'agent.replied', id: 'e2', ticketId: 't1', at: Date.parse('2025-03-10T14:00:00Z'), agentId: 'a1', body: 'On its way' },
 * ], { now: Date.parse('2025-03-10T15:00:00Z') });
 * report.clocks.firstReply;
 * //=> { status: 'fulfilled', targetMs: 14400000, elapsedMs: 18000000, remainingMs: -3600000,
 * //     breachedAt: 1741611600000, fulfilledAt: 1741615200000, dueAt: null, ... }
 * ```
 */
export function evaluateSla(
  policy: SlaPolicy,
  timeline: SlaTimeline,
  options: EvaluateSlaOptions = {},
): SlaReport {
  assertSlaPolicy(policy, 'evaluateSla');
  const opts = parseOptions(EvaluateOptions, options, 'evaluateSla options');
  return evaluateChecked(policy, opts, timeline, opts.now);
}

/** {@link evaluateSla} once its caller has checked the policy and the options. */
function evaluateChecked(
  policy: SlaPolicy,
  opts: z.output<typeof EvaluateOptions>,
  timeline: SlaTimeline,
  now: z.output<typeof EvaluateOptions>['now'],
): SlaReport {
  assertTimeline(timeline, 'evaluateSla');
  const state = fold(policy, timeline, opts);
  return readSla(state, { policy, calendars: opts.calendars }, { now: now ?? state.at });
}

/**
 * @internal {@link evaluateSla} for many timelines under one policy and one options bag, the
 * bag checked once (as `evaluateSla` checks it) instead of once a timeline: `ticketFacts`
 * evaluates every ticket of a report this way. Each timeline is still checked, and `now` is
 * the instant of its last event unless given.
 */
export function slaEvaluator(
  policy: SlaPolicy,
  options: Omit<EvaluateSlaOptions, 'now'>,
): (timeline: SlaTimeline, now?: number) => SlaReport {
  assertSlaPolicy(policy, 'evaluateSla');
  const opts = parseOptions(EvaluateOptions, options, 'evaluateSla options');
  return (timeline, now) => evaluateChecked(policy, opts, timeline, now);
}
