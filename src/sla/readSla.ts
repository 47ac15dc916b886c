import { checkInstant, isInstantArgument, readNowOption } from '../model/arguments.js';
import type { NowOptions, Priority, TicketStatus } from '../model/index.js';
import { SLA_CLOCKS, type SlaClock } from '../model/index.js';
import { resolveClockMeasure } from './clockMeasure.js';
import {
  checkSlaContext,
  checkSlaState,
  policyMismatch,
  recordCrossings,
  type SlaContext,
  type SlaState,
} from './stepSla.js';

/**
 * - `inactive`: not measured now (not started, stopped without a reply, or no target for the priority).
 * - `running`: owed, counting, target not reached.
 * - `paused`: owed, in a pause status, target not reached.
 * - `breached`: owed (running or paused) past its target, or stopped after a breach.
 * - `fulfilled`: done; `breachedAt` tells whether it was achieved late.
 */
export type SlaClockStatus = 'inactive' | 'running' | 'paused' | 'fulfilled' | 'breached';

/** One clock at an instant. Plain JSON: instants are epoch ms. */
export interface SlaClockReport {
  readonly status: SlaClockStatus;
  /** The target in ms of the clock's time (business or calendar), or `null` without one. */
  readonly targetMs: number | null;
  /** When the target is (or was) reached while counting; `null` when paused, stopped or without a target. */
  readonly dueAt: number | null;
  /** Clock time counted in the current cycle (for resolution: since opening, across reopens). */
  readonly elapsedMs: number;
  /** `targetMs - elapsedMs`: negative when overdue, `null` without a target. */
  readonly remainingMs: number | null;
  readonly startedAt: number | null;
  readonly warnedAt: number | null;
  readonly breachedAt: number | null;
  readonly fulfilledAt: number | null;
  /** Times the clock has started; reply clocks start once per unanswered message. */
  readonly cycles: number;
  /** Cycles that breached their target. */
  readonly breaches: number;
}

/** Every clock of a ticket at an instant, and the next instant at which one of them changes. */
export interface SlaReport {
  readonly policyId: string;
  /** The instant read. */
  readonly at: number;
  readonly status: TicketStatus;
  readonly priority: Priority;
  readonly clocks: Readonly<Record<SlaClock, SlaClockReport>>;
  /** The earliest warning or breach still to come after `at`, or `null`. Wake the ticket then. */
  readonly nextChangeAt: number | null;
}

const NOT_MEASURED: SlaClockReport = {
  status: 'inactive',
  targetMs: null,
  dueAt: null,
  elapsedMs: 0,
  remainingMs: null,
  startedAt: null,
  warnedAt: null,
  breachedAt: null,
  fulfilledAt: null,
  cycles: 0,
  breaches: 0,
};

/** Options of {@link readSla} and `SlaEngine.read`. */
export interface ReadSlaOptions extends NowOptions {}

/**
 * Reads the clocks of an {@link SlaState} at `options.now` (default: the state's last event; an
 * instant before the last event reads as that event's instant). Pure; one calendar call per
 * counting clock. The state first, the policy second, options last.
 *
 * @throws {@link "carekit/model"!CarekitArgumentError | CarekitArgumentError} `invalid_instant` when `now` is not a valid Date
 * or finite number, `unrecognized_keys` for an option other than `now`, `invalid_sla_state` or `invalid_policy` for a bad state or context.
 *
 * @example
 * ```ts
 * // opened 09:00 with a 4 h first-reply target, read at 12:00
 * const report = readSla(state, { policy }, { now: Date.parse('2025-03-10T12:00:00Z') });
 * report.clocks.firstReply.status;
 * //=> 'running'
 * report.clocks.firstReply.remainingMs;
 * //=> 3600000
 * new Date(report.clocks.firstReply.warnedAt!).toISOString(); // 75 % of 4 h
 * //=> '2025-03-10T12:00:00.000Z'
 * new Date(report.nextChangeAt!).toISOString(); // the breach still to come
 * //=> '2025-03-10T13:00:00.000Z'
 * ```
 */
export function readSla(state: SlaState, ctx: SlaContext, options?: ReadSlaOptions): SlaReport;
/**
 * The positional form, kept for one release.
 *
 * @deprecated Pass `now` as an option: `readSla(state, ctx, { now })`.
 */
export function readSla(state: SlaState, now: Date | number, ctx: SlaContext): SlaReport;
export function readSla(
  state: SlaState,
  second: SlaContext | Date | number,
  third?: SlaContext | ReadSlaOptions,
): SlaReport {
  const positional = isInstantArgument(second) || typeof second !== 'object';
  const ctx = (positional ? third : second) as SlaContext;
  checkSlaState(state, 'readSla');
  const requested = positional
    ? checkInstant(second, 'readSla', ['now'])
    : (readNowOption(third, 'readSla') ?? state.at);
  checkSlaContext(ctx, 'readSla');
  if (state.policyId !== ctx.policy.id) throw policyMismatch(state, ctx.policy.id);
  const at = Math.max(requested, state.at);
  let nextChangeAt: number | null = null;
  const clocks = {} as Record<SlaClock, SlaClockReport>;
  for (const name of SLA_CLOCKS) {
    const rule = ctx.policy.clocks[name];
    if (rule === null) {
      clocks[name] = NOT_MEASURED;
      continue;
    }
    const clock = recordCrossings(state.clocks[name], at);
    let elapsedMs = clock.elapsedMs;
    // A clock has `since` exactly while it counts.
    if (
      clock.since !== null &&
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the time between an instant and itself is 0.
      at > clock.since
    ) {
      elapsedMs += resolveClockMeasure(rule.calendar, ctx.calendars).between(clock.since, at);
    }
    const { targetMs, breachedAt, fulfilledAt } = clock;
    let status: SlaClockStatus;
    if (targetMs === null) status = 'inactive';
    else if (clock.owed) status = breachedAt !== null ? 'breached' : clock.counting ? 'running' : 'paused';
    else status = fulfilledAt !== null ? 'fulfilled' : breachedAt !== null ? 'breached' : 'inactive';
    // A clock that does not count has neither a warning nor a due time to come (both null).
    for (const next of [
      // Stryker disable next-line ConditionalExpression: once crossed (recordCrossings at `at`), the warning and the due time are not after `at`, so the test below drops them.
      clock.warnedAt === null ? clock.warnDueAt : null,
      // Stryker disable next-line ConditionalExpression: as above, for the due time.
      breachedAt === null ? clock.dueAt : null,
    ]) {
      if (
        next !== null &&
        // Stryker disable next-line ConditionalExpression,EqualityOperator: a warning or due time not after `at` was crossed by recordCrossings, so no candidate left is.
        next > at &&
        // Stryker disable next-line EqualityOperator: an equal earlier candidate is the same instant.
        (nextChangeAt === null || next < nextChangeAt)
      )
        nextChangeAt = next;
    }
    clocks[name] = {
      status,
      targetMs,
      // Stryker disable next-line ConditionalExpression: a clock without a target has neither a due time nor a breach.
      dueAt: clock.counting && targetMs !== null ? (clock.dueAt ?? breachedAt) : null,
      elapsedMs,
      remainingMs: targetMs === null ? null : targetMs - elapsedMs,
      startedAt: clock.startedAt,
      warnedAt: clock.warnedAt,
      breachedAt,
      fulfilledAt,
      cycles: clock.cycles,
      breaches: clock.breaches,
    };
  }
  return {
    policyId: state.policyId,
    at,
    status: state.status,
    priority: state.priority,
    clocks,
    nextChangeAt,
  };
}
