import { badArgument, checkObject, checkOneOf, readArgument } from '../model/arguments.js';
import {
  CarekitError,
  isFinalStatus,
  type Priority,
  SLA_CLOCKS,
  type SlaClock,
  type TicketEvent,
  type TicketEventOf,
  TicketStatus,
} from '../model/index.js';
import { type ClockMeasure, resolveClockMeasure, type SlaCalendars } from './clockMeasure.js';
import type { SlaClockRule, SlaPolicy } from './createSlaPolicy.js';
import type { SlaErrorCode } from './errors.js';
import { statusAfterEvent } from './nextTicketStatus.js';
import { assertSlaPolicy, checkEvent } from './options.js';

/** What the engine needs besides the state: the policy and the calendars it names. */
export interface SlaContext {
  readonly policy: SlaPolicy;
  /** Business calendars by the names the policy uses. Not needed for calendar-hours policies. */
  readonly calendars?: SlaCalendars | undefined;
}

/**
 * One clock inside {@link SlaState}. Plain JSON. While `counting`, the clock time since
 * `since` is not yet in `elapsedMs`; `dueAt` and `warnDueAt` cache when the target and the
 * warning threshold will be reached, so a step costs no calendar call for a clock it does not
 * change.
 */
export interface SlaClockState {
  /** The team owes what this clock measures (it is running or paused). */
  readonly owed: boolean;
  /** Owed and not in a pause status. */
  readonly counting: boolean;
  /** Clock time counted up to `since` when counting, in total otherwise. */
  readonly elapsedMs: number;
  readonly since: number | null;
  readonly targetMs: number | null;
  readonly dueAt: number | null;
  readonly warnDueAt: number | null;
  readonly startedAt: number | null;
  readonly warnedAt: number | null;
  readonly breachedAt: number | null;
  readonly fulfilledAt: number | null;
  /** How many times the clock has started (reply clocks start again for each unanswered message). */
  readonly cycles: number;
  /** How many of those cycles breached their target. */
  readonly breaches: number;
}

/** The SLA engine's state for one ticket: small plain JSON, safe to store in a snapshot. */
export interface SlaState {
  readonly policyId: string;
  /** The instant of the last event stepped. */
  readonly at: number;
  readonly status: TicketStatus;
  readonly priority: Priority;
  /** A public agent reply has been given (or the ticket was opened by an agent or automation). */
  readonly replied: boolean;
  readonly clocks: Readonly<Record<SlaClock, SlaClockState>>;
}

const IDLE: SlaClockState = {
  owed: false,
  counting: false,
  elapsedMs: 0,
  since: null,
  targetMs: null,
  dueAt: null,
  warnDueAt: null,
  startedAt: null,
  warnedAt: null,
  breachedAt: null,
  fulfilledAt: null,
  cycles: 0,
  breaches: 0,
};

/**
 * Records the warning and breach instants a counting clock has passed by `t` (used by
 * {@link stepSla} and `readSla`; not part of the module's public face).
 *
 * @internal
 * @example
 * ```ts
 * recordCrossings({ ...clock, counting: true, dueAt: 100, breachedAt: null }, 150).breachedAt;
 * //=> 100
 * ```
 */
export function recordCrossings(clock: SlaClockState, t: number): SlaClockState {
  // Only a counting clock has due times, and they are cleared when a step records the crossing
  // itself; one kept after a crossing read here is the instant recorded, so it reads the same.
  const warnedAt = clock.warnDueAt !== null && clock.warnDueAt <= t ? clock.warnDueAt : clock.warnedAt;
  const breachedAt = clock.dueAt !== null && clock.dueAt <= t ? clock.dueAt : clock.breachedAt;
  if (warnedAt === clock.warnedAt && breachedAt === clock.breachedAt) return clock;
  return {
    ...clock,
    warnedAt,
    breachedAt,
    breaches: clock.breaches + (breachedAt === clock.breachedAt ? 0 : 1),
  };
}

/**
 * Moves one clock to the plan of a step: whether the team owes it, whether it counts, its target,
 * whether this instant fulfils it and whether a new cycle starts. The plan is passed as arguments
 * (no object per clock and step).
 */
function moveClock(
  clock: SlaClockState,
  t: number,
  owed: boolean,
  counting: boolean,
  target: number | null,
  fulfil: boolean,
  newCycle: boolean,
  rule: SlaClockRule,
  measure: ClockMeasure,
): SlaClockState {
  clock = recordCrossings(clock, t);
  // Fulfilling a clock stops it or starts its next cycle, so it needs no test of its own here.
  if (
    !newCycle &&
    owed === clock.owed &&
    counting === clock.counting &&
    (!owed || target === clock.targetMs)
  ) {
    return clock;
  }
  let elapsedMs = clock.elapsedMs;
  // `since` is set exactly while the clock counts, and a step is never before it; a step at
  // `since` itself (events of one instant) adds nothing and costs no calendar call.
  if (
    clock.since !== null &&
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the time between an instant and itself is 0.
    t > clock.since
  )
    elapsedMs += measure.between(clock.since, t);
  let startedAt = clock.startedAt;
  let warnedAt = clock.warnedAt;
  let breachedAt = clock.breachedAt;
  let fulfilledAt = fulfil ? t : clock.fulfilledAt;
  let cycles = clock.cycles;
  let breaches = clock.breaches;
  if (newCycle) {
    elapsedMs = 0;
    startedAt = t;
    warnedAt = null;
    breachedAt = null;
    fulfilledAt = null;
    cycles++;
  } else if (owed) {
    // An owed clock is not fulfilled (resolution reopened): the elapsed time and any breach are kept.
    fulfilledAt = null;
  }
  const targetMs = owed ? target : clock.targetMs;
  let dueAt: number | null = null;
  let warnDueAt: number | null = null;
  if (owed && targetMs !== null) {
    const warnMs = Math.round(targetMs * rule.warnAt);
    // A new, shorter target (a priority change) may already be passed: that counts from now.
    if (warnedAt === null && elapsedMs >= warnMs) warnedAt = t;
    if (breachedAt === null && elapsedMs >= targetMs) {
      breachedAt = t;
      breaches++;
    }
    if (counting) {
      if (breachedAt === null) dueAt = measure.add(t, targetMs - elapsedMs);
      if (warnedAt === null) warnDueAt = measure.add(t, warnMs - elapsedMs);
    }
  }
  return {
    owed,
    counting: owed && counting,
    elapsedMs,
    since: owed && counting ? t : null,
    targetMs,
    dueAt,
    warnDueAt,
    startedAt,
    warnedAt,
    breachedAt,
    fulfilledAt,
    cycles,
    breaches,
  };
}

/**
 * The error for a state stepped or read with another policy than the one that created it.
 *
 * @internal
 * @example
 * ```ts
 * policyMismatch(stateOfPolicyA, policyB.id).code;
 * //=> 'sla_policy_mismatch'
 * ```
 */
export function policyMismatch(state: SlaState, policyId: string): CarekitError {
  return new CarekitError<SlaErrorCode>(
    'sla_policy_mismatch',
    `This SLA state was created by the policy ${JSON.stringify(state.policyId)}, not ${JSON.stringify(policyId)}; ` +
      'step and read it with the policy that started it',
  );
}

function checkCalendars(ctx: SlaContext): void {
  for (const name of SLA_CLOCKS) {
    const rule = ctx.policy.clocks[name];
    if (rule !== null) resolveClockMeasure(rule.calendar, ctx.calendars);
  }
}

/**
 * Starts the SLA clocks of a ticket at its `ticket.opened` event. The first reply and the
 * resolution clocks start at opening (the first reply only when the customer opened it; a
 * ticket opened by an agent or by automation starts with the periodic update clock instead).
 * The priority is the event's, `normal` when it has none.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `unknown_calendar` when the policy names a calendar that is not in `calendars`;
 * `invalid_event` or `invalid_policy` ({@link "carekit/model"!CarekitArgumentError | CarekitArgumentError}) for bad arguments.
 * @example
 * ```ts
 * const policy = createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets: { normal: { hours: 4 } } } });
 * const state = initialSlaState(openedEvent, { policy }); // opened at 2025-03-10T09:00Z
 * new Date(state.clocks.firstReply.dueAt!).toISOString();
 * //=> '2025-03-10T13:00:00.000Z'
 * ```
 */
export function initialSlaState(opened: TicketEventOf<'ticket.opened'>, ctx: SlaContext): SlaState {
  checkEvent(opened, 'initialSlaState', ['opened']);
  if (opened.type !== 'ticket.opened')
    badArgument<SlaErrorCode>(
      'initialSlaState',
      ['opened', 'type'],
      'the ticket.opened event',
      opened.type,
      'invalid_event',
    );
  checkSlaContext(ctx, 'initialSlaState');
  checkCalendars(ctx);
  const t = opened.at;
  const priority = opened.priority ?? 'normal';
  const replied = opened.origin !== undefined && opened.origin !== 'customer';
  const clocks = { firstReply: IDLE, nextReply: IDLE, periodicUpdate: IDLE, resolution: IDLE };
  for (const name of SLA_CLOCKS) {
    const rule = ctx.policy.clocks[name];
    if (rule === null) continue;
    const owed =
      name === 'resolution' || (name === 'firstReply' && !replied) || (name === 'periodicUpdate' && replied);
    if (!owed) continue;
    clocks[name] = moveClock(
      IDLE,
      t,
      true,
      !rule.pauseIn.includes('new'),
      rule.targetsMs[priority] ?? null,
      // Stryker disable next-line BooleanLiteral: a new cycle starts unfulfilled, so moveClock ignores fulfil when newCycle is true.
      false,
      true,
      rule,
      resolveClockMeasure(rule.calendar, ctx.calendars),
    );
  }
  return { policyId: ctx.policy.id, at: t, status: 'new', priority, replied, clocks };
}

/**
 * Steps the SLA clocks over one event. Pure; costs at most three calendar calls per clock the
 * event changes (the time counted since the last step, the new due and warning instants) and
 * none for the others. Events are taken in order: an event earlier than
 * the previous one counts as happening at the previous one's instant.
 *
 * Rules, for each clock:
 * - A reply marked `bot: true` counts as a public reply only when the policy's
 *   `botRepliesCount` is set; otherwise the reply clocks keep running for a person's answer.
 * - **first reply**: from opening to the first public agent reply; if the ticket is solved
 *   without any reply and then reopened, it resumes with the time it had.
 * - **next reply**: from the oldest customer message not yet answered (after the first reply)
 *   to the next public agent reply.
 * - **periodic update**: once the first reply is given, and while the ticket is not solved,
 *   an update is due `target` after the last public agent reply (or after a reopen); each
 *   public reply fulfils the current cycle and starts the next.
 * - **resolution**: from opening to `solved` (or `ticket.closed`); it resumes, with its elapsed
 *   time and any breach kept, when the ticket is reopened.
 * - A clock stops counting while the ticket is in one of its `pauseIn` statuses.
 * - Solving, closing, merging or marking spam stops every reply clock that is still owed,
 *   without fulfilling it (no reply was given); a breach already recorded stays.
 * - A priority change re-targets the clocks still owed from that moment: the elapsed time is
 *   kept, the target becomes the new priority's, and if the elapsed time already reaches it the
 *   warning and breach are recorded at the moment of the change. A recorded breach is never undone.
 *
 * @throws {@link "carekit/model"!CarekitArgumentError | CarekitArgumentError} `invalid_sla_state`, `invalid_event`,
 * `invalid_policy`, `invalid_value` (statusAfter) for bad arguments; `sla_policy_mismatch`.
 * @param statusAfter - the status the lifecycle reached with this event; when omitted it is
 * derived with {@link nextTicketStatus}.
 * @param pauses - overrides the policy's `pauseIn` for the named clocks until the next step:
 * `true` paused, `false` counting (a desk's custom status such as "awaiting supplier" that
 * stops the resolution clock).
 * @example
 * ```ts
 * // opened 09:00 with a 4 h first-reply target; the agent answers at 14:00
 * const after = stepSla(state, { type: 'agent.replied', id: 'e2', ticketId: 't1', at: Date.parse('2025-03-10T14:00:00Z'), agentId: 'a1', body: 'Hello' }, { policy });
 * new Date(after.clocks.firstReply.breachedAt!).toISOString();
 * //=> '2025-03-10T13:00:00.000Z'
 * new Date(after.clocks.firstReply.fulfilledAt!).toISOString();
 * //=> '2025-03-10T14:00:00.000Z'
 * ```
 */
export function stepSla(
  state: SlaState,
  event: TicketEvent,
  ctx: SlaContext,
  statusAfter?: TicketStatus,
  pauses?: Readonly<Partial<Record<string, boolean>>>,
): SlaState {
  checkStepArguments(state, event, statusAfter, pauses, 'stepSla', ctx);
  if (state.policyId !== ctx.policy.id) throw policyMismatch(state, ctx.policy.id);
  if (event.type === 'ticket.opened' || isFinalStatus(state.status)) return state;
  return stepClocks(state, event, prepareSla(ctx), statusAfter, pauses);
}

/**
 * True when `state` and `event` pass checkSlaState and checkEvent (false when unsure: a getter
 * threw). Only a shortcut: a false answer sends the arguments through those checks, which accept
 * what passes here, so the equivalent mutants that answer false more often are marked below.
 */
// Stryker disable next-line BlockStatement: an empty body answers undefined, read as false (the full checks).
function wellShaped(state: unknown, event: unknown): boolean {
  // Stryker disable next-line BlockStatement: an empty try falls through to false (the full checks).
  try {
    // null and undefined throw on the first read below; a primitive reads as undefined.
    if (Array.isArray(state) || Array.isArray(event)) return false;
    const s = state as { policyId?: unknown; at?: unknown; clocks?: unknown };
    const e = event as { type?: unknown; at?: unknown };
    const at = s.at;
    const clocks = s.clocks;
    const eventAt = e.at;
    return (
      // Stryker disable next-line StringLiteral: typeof is never "", so the answer is false (the full checks).
      typeof s.policyId === 'string' &&
      Number.isFinite(at) &&
      clocks !== null &&
      // Stryker disable next-line StringLiteral: typeof is never "", so the answer is false (the full checks).
      typeof clocks === 'object' &&
      // Stryker disable next-line StringLiteral: typeof is never "", so the answer is false (the full checks).
      typeof e.type === 'string' &&
      Number.isFinite(eventAt)
    );
  } catch {
    // A getter threw: the full checks word it.
  }
  return false;
}

/** The argument checks of a step, in the order stepSla has always made them. */
function checkStepArguments(
  state: SlaState,
  event: TicketEvent,
  statusAfter: TicketStatus | undefined,
  pauses: Readonly<Partial<Record<string, boolean>>> | undefined,
  what: string,
  ctx?: SlaContext,
): void {
  // The usual case, a state and an event of the right shape, is seen in one read of each field;
  // anything else goes through the checks that word the error.
  if (ctx !== undefined) {
    checkSlaState(state, what);
    checkEvent(event, what);
    checkSlaContext(ctx, what);
  } else if (!wellShaped(state, event)) {
    checkSlaState(state, what);
    checkEvent(event, what);
  }
  if (statusAfter !== undefined) checkOneOf(statusAfter, TicketStatus.options, what, ['statusAfter']);
  if (pauses !== undefined && (pauses === null || typeof pauses !== 'object'))
    badArgument<SlaErrorCode>(
      what,
      ['pauses'],
      'an object of clock names to true or false, or undefined',
      pauses,
    );
}

/** One clock of a policy with its measure resolved (see {@link PreparedSla}). */
interface PreparedClock {
  readonly name: SlaClock;
  readonly rule: SlaClockRule;
  readonly measure: ClockMeasure;
}

/**
 * A policy's clocks with their calendars resolved to measures, in the order of `SLA_CLOCKS`:
 * what a step reads. {@link stepSla} builds it per call; an engine builds it once, since its
 * policy and calendars are fixed (not part of the module's public face).
 *
 * @internal
 */
export interface PreparedSla {
  readonly policyId: string;
  readonly botRepliesCount: boolean;
  readonly clocks: readonly PreparedClock[];
}

/**
 * Resolves the calendar of every clock of `ctx.policy` once (see {@link PreparedSla}).
 *
 * @internal
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `unknown_calendar` when the policy names a calendar not in `ctx.calendars`.
 * @example
 * ```ts
 * const policy = createSlaPolicy({
 *   id: 'p',
 *   calendar: null,
 *   firstReply: { targets: { normal: { hours: 4 } } },
 *   resolution: { targets: { normal: { days: 2 } } },
 * });
 * prepareSla({ policy }).clocks.map((c) => c.name);
 * //=> ['firstReply', 'resolution']
 * ```
 */
export function prepareSla(ctx: SlaContext): PreparedSla {
  const clocks: PreparedClock[] = [];
  for (const name of SLA_CLOCKS) {
    const rule = ctx.policy.clocks[name];
    if (rule !== null)
      clocks.push({ name, rule, measure: resolveClockMeasure(rule.calendar, ctx.calendars) });
  }
  return { policyId: ctx.policy.id, botRepliesCount: ctx.policy.botRepliesCount === true, clocks };
}

/**
 * {@link stepSla} with the policy prepared by {@link prepareSla}: the same checks of the state,
 * the event, `statusAfter` and `pauses`, and the same result, without resolving calendars again.
 *
 * @internal
 * @example
 * ```ts
 * const policy = createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets: { normal: { hours: 4 } } } });
 * const opened = { type: 'ticket.opened', id: 'e1', ticketId: 't1', at: 0, customerId: 'c1', channel: 'email', subject: 'Hi', body: 'Help' } as const;
 * const state = initialSlaState(opened, { policy });
 * const reply = { type: 'agent.replied', id: 'e2', ticketId: 't1', at: 60_000, agentId: 'a1', body: 'Hello' } as const;
 * stepPreparedSla(state, reply, prepareSla({ policy }), 'open').clocks.firstReply.fulfilledAt;
 * //=> 60000
 * ```
 */
export function stepPreparedSla(
  state: SlaState,
  event: TicketEvent,
  prepared: PreparedSla,
  statusAfter?: TicketStatus,
  pauses?: Readonly<Partial<Record<string, boolean>>>,
  what = 'stepSla',
): SlaState {
  checkStepArguments(state, event, statusAfter, pauses, what);
  if (state.policyId !== prepared.policyId) throw policyMismatch(state, prepared.policyId);
  if (event.type === 'ticket.opened' || isFinalStatus(state.status)) return state;
  return stepClocks(state, event, prepared, statusAfter, pauses);
}

/** The step itself, over checked arguments of a live ticket. */
function stepClocks(
  state: SlaState,
  event: TicketEvent,
  prepared: PreparedSla,
  statusAfter: TicketStatus | undefined,
  pauses: Readonly<Partial<Record<string, boolean>>> | undefined,
): SlaState {
  const before = state.status;
  const t = Math.max(event.at, state.at);
  const after = statusAfter ?? statusAfterEvent(before, event);
  const priority = event.type === 'ticket.reprioritized' ? event.priority : state.priority;
  const publicReply =
    event.type === 'agent.replied' &&
    event.public !== false &&
    (event.bot !== true || prepared.botRepliesCount);
  const customerMessage = event.type === 'customer.replied';
  const live = after === 'new' || after === 'open' || after === 'pending' || after === 'on_hold';
  const replied = state.replied || publicReply;
  const solvedNow = after === 'solved' || (after === 'closed' && event.type === 'ticket.closed');
  const clocks = state.clocks;
  // Copied once, at the first clock that moves: a step that moves none allocates no clocks.
  let next: Record<SlaClock, SlaClockState> | null = null;
  for (let i = 0; i < prepared.clocks.length; i++) {
    const { name, rule, measure } = prepared.clocks[i]!;
    const clock = clocks[name];
    let owed: boolean;
    let fulfil: boolean;
    let newCycle = false;
    switch (name) {
      case 'firstReply':
        fulfil = clock.owed && publicReply;
        owed = live && !replied && clock.cycles > 0;
        break;
      case 'nextReply':
        fulfil = clock.owed && publicReply;
        newCycle = !clock.owed && customerMessage && state.replied && live;
        owed = newCycle || (clock.owed && !publicReply && live);
        break;
      case 'periodicUpdate':
        fulfil = clock.owed && publicReply;
        owed = live && replied;
        newCycle = owed && (!clock.owed || publicReply);
        break;
      case 'resolution':
        fulfil = clock.owed && solvedNow;
        owed = live;
        break;
    }
    const counting = owed && !(pauses?.[name] ?? (rule.pauseIn as readonly TicketStatus[]).includes(after));
    const target = rule.targetsMs[priority] ?? null;
    const moved = moveClock(clock, t, owed, counting, target, fulfil, newCycle, rule, measure);
    if (moved !== clock) {
      next ??= { ...clocks };
      next[name] = moved;
    }
  }
  return { policyId: state.policyId, at: t, status: after, priority, replied, clocks: next ?? clocks };
}

/** Refuses a context without a policy, or with `calendars` that are not an object. */
export function checkSlaContext(ctx: unknown, what: string): asserts ctx is SlaContext {
  const c = checkObject(ctx, what, ['ctx'], 'an SLA context ({ policy, calendars? })');
  assertSlaPolicy(readArgument(c, 'policy', what, ['ctx', 'policy']), what, ['ctx', 'policy']);
  const calendars = readArgument(c, 'calendars', what, ['ctx', 'calendars']);
  if (calendars !== undefined && (calendars === null || typeof calendars !== 'object'))
    badArgument<SlaErrorCode>(
      what,
      ['ctx', 'calendars'],
      'an object of calendars by name, or undefined',
      calendars,
    );
}

/** Refuses anything but an SLA state from `initialSlaState`/`stepSla` (its shape, cheaply). */
export function checkSlaState(state: unknown, what: string): asserts state is SlaState {
  const expected = 'an SLA state from initialSlaState or stepSla';
  if (state === null || typeof state !== 'object' || Array.isArray(state))
    badArgument<SlaErrorCode>(what, ['state'], expected, state, 'invalid_sla_state');
  const policyId = readArgument(state, 'policyId', what, ['state']);
  const at = readArgument(state, 'at', what, ['state']);
  const clocks = readArgument(state, 'clocks', what, ['state']);
  if (typeof policyId !== 'string' || !Number.isFinite(at) || clocks === null || typeof clocks !== 'object')
    badArgument<SlaErrorCode>(what, ['state'], expected, state, 'invalid_sla_state');
}
