import { z } from 'zod';
import {
  CarekitError,
  functionOption,
  objectOption,
  parseOptions,
  parseTicketEvent,
  type TicketEvent,
  type TicketEventOf,
  type TicketStatus,
} from '../../model/index.js';
import { type EscalationPolicy, toEscalateFn } from '../../routing/index.js';
import {
  CalendarsOption,
  createSlaEngine,
  type SlaCalendars,
  type SlaEngine,
  type SlaPolicy,
  type SlaState,
} from '../../sla/index.js';
import { cloneContext, TICKET_SNAPSHOT_VERSION, type TicketContext, type TicketSnapshot } from './context.js';
import type { TicketEffect } from './effects.js';
import { buildTicketMachine, type TicketMachine } from './machine.js';
import {
  defaultEscalation,
  type EscalateFn,
  resolveConfig,
  TicketWorkflowConfig,
  type TicketWorkflowConfigInput,
} from './options.js';
import {
  type Action,
  actions,
  deadlineTick,
  passedDeadline,
  type RejectionCode,
  type RuleEnv,
  selectRule,
  settle,
} from './rules.js';
import type { SlaAdapter } from './slaAdapter.js';
import { openedContext, openingEffects } from './start.js';
import { type NpsEligibleFn, resolveSurveyPolicy } from './survey.js';
import { type TicketView, viewOf } from './view.js';

/** Options of {@link createTicketWorkflow}: the data configuration plus policies in function form. */
export interface TicketWorkflowOptions extends TicketWorkflowConfigInput {
  /**
   * The SLA policy whose clocks the lifecycle keeps (from `createSlaPolicy`), an engine bound
   * to one (`createSlaEngine`), any {@link SlaAdapter}, or null for none.
   */
  sla?: SlaPolicy | SlaAdapter | null;
  /** Business calendars by the names the SLA policy uses (see `carekit/sla`). */
  calendars?: SlaCalendars;
  /**
   * The escalation policy: one made by `createEscalationPolicy` (from `carekit/routing`), or a
   * function from a signal to decisions. {@link defaultEscalation} when absent.
   */
  escalation?: EscalateFn | EscalationPolicy;
  /**
   * Called with a stored snapshot whose `schemaVersion` is not this library's; return a
   * snapshot of the current version, or throw. Without it such a snapshot is refused.
   */
  migrateSnapshot?: (snapshot: unknown) => TicketSnapshot;
  /**
   * Whether a customer may get an NPS survey now, given the policy's `npsEvery` in ms: the
   * per-customer throttle, which needs the host's knowledge of other tickets.
   */
  npsEligible?: NpsEligibleFn;
}

const TicketWorkflowOptionsSchema = TicketWorkflowConfig.extend({
  sla: objectOption<SlaPolicy | SlaAdapter>(
    () => true,
    'an SLA policy from createSlaPolicy, an engine from createSlaEngine or an SLA adapter',
  )
    .nullable()
    .optional(),
  calendars: CalendarsOption.optional(),
  escalation: z
    .union([
      functionOption<EscalateFn>('an escalation function'),
      objectOption<EscalationPolicy>(() => true, 'an escalation policy from createEscalationPolicy'),
    ])
    .optional(),
  migrateSnapshot: functionOption<(snapshot: unknown) => TicketSnapshot>('a snapshot migration').optional(),
  npsEligible: functionOption<NpsEligibleFn>('an NPS eligibility check').optional(),
});

/** An event that was not applied, and why. */
export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
  readonly eventId: string;
  readonly eventType: TicketEvent['type'];
  readonly status: TicketStatus;
}

/** The result of {@link TicketWorkflow.apply}. */
export interface ApplyResult {
  readonly snapshot: TicketSnapshot;
  readonly effects: readonly TicketEffect[];
  /** Present when the event was refused; `snapshot` is then the one passed in. */
  readonly rejected?: Rejection;
  /** True when the event's id was applied before; `snapshot` is then the one passed in. */
  readonly duplicate?: true;
}

/** The result of {@link TicketWorkflow.replay}. */
export interface ReplayResult {
  readonly snapshot: TicketSnapshot;
  readonly effects: readonly TicketEffect[];
  readonly rejected: readonly Rejection[];
  /** How many events were skipped because their id had been applied already. */
  readonly duplicates: number;
}

/** The lifecycle of one kind of ticket: a machine for tools, and a pure API for hosts. */
export interface TicketWorkflow {
  /** The XState machine (for `createActor`, inspection and diagrams). */
  readonly machine: TicketMachine;
  /** The validated configuration, for review documents. */
  readonly config: TicketWorkflowConfig;
  /** Opens a ticket. Throws {@link model!CarekitValidationError | CarekitValidationError} for a malformed event. */
  start(opened: unknown): { snapshot: TicketSnapshot; effects: readonly TicketEffect[] };
  /** Applies one event. Pure: the snapshot passed in is never changed. */
  apply(snapshot: TicketSnapshot, event: unknown): ApplyResult;
  /** Rebuilds a ticket from its event log (the first event must open it). */
  replay(events: readonly unknown[], options?: ReplayOptions): ReplayResult;
  /** The earliest instant at which a `clock.tick` would change anything, or null. */
  dueAt(snapshot: TicketSnapshot): number | null;
  /** The ticket as plain JSON for a UI or an API, with SLA clocks read at `now`. */
  view(snapshot: TicketSnapshot, now?: number): TicketView;
}

/** Options of {@link TicketWorkflow.replay}. */
export interface ReplayOptions {
  /**
   * Skip validation because the events were produced by `parseTicketEvent` already (for
   * example, read back from carekit's own store). Default false.
   */
  readonly trusted?: boolean;
}

const FINAL = new Set<TicketStatus>(['closed', 'merged']);

/**
 * Wraps carekit's SLA engine with the fast alert check: an alert can be due only when a clock
 * recorded a warning or breach not yet announced, or a counting clock's warning or due instant
 * has come. Otherwise reading the clocks after the event would find nothing new.
 */
function engineAdapter(engine: SlaEngine): SlaAdapter {
  return {
    init: (opened) => engine.init(opened),
    step: (state, event, statusAfter) => engine.step(state as SlaState, event, statusAfter),
    read: (state, now) => engine.read(state as SlaState, now),
    alertsDue(state, at, alerted) {
      const { clocks } = state as SlaState;
      for (const name in clocks) {
        const c = clocks[name as keyof typeof clocks];
        if (c.warnedAt !== null && alerted[`${name}:warning`] !== c.warnedAt) return true;
        if (c.breachedAt !== null && alerted[`${name}:breach`] !== c.breachedAt) return true;
        if (!c.counting) continue;
        if (c.warnedAt === null && c.warnDueAt !== null && c.warnDueAt <= at) return true;
        if (c.breachedAt === null && c.dueAt !== null && c.dueAt <= at) return true;
      }
      return false;
    },
  };
}

function isSlaPolicy(value: SlaPolicy | SlaAdapter): value is SlaPolicy {
  return 'clocks' in value && !('step' in value);
}

function rejectionMessage(
  code: RejectionCode,
  event: TicketEvent,
  status: TicketStatus,
  ctx: TicketContext | null,
): string {
  const ticket = ctx?.ticketId ?? event.ticketId;
  switch (code) {
    case 'not_allowed_in_status':
      return FINAL.has(status)
        ? `ticket ${ticket} is ${status}: it accepts only survey answers, not ${event.type}`
        : `${event.type} is not allowed while ticket ${ticket} is ${status}`;
    case 'requires_assignee':
      return `ticket ${ticket} cannot be solved without an assignee; assign it first`;
    case 'already_opened':
      return `ticket ${ticket} is already open; ticket.opened can only start a ticket`;
    case 'wrong_ticket':
      return `event ${event.id} is for ticket ${event.ticketId}, not ${ticket}`;
    case 'out_of_order':
      return `event ${event.id} at ${new Date(event.at).toISOString()} is earlier than the ticket's last event at ${new Date(ctx?.lastEventAt ?? 0).toISOString()}`;
    case 'invalid_snapshot':
      return 'the snapshot is not a carekit ticket snapshot';
  }
}

function rejection(
  code: RejectionCode,
  event: TicketEvent,
  status: TicketStatus,
  ctx: TicketContext | null,
): Rejection {
  return {
    code,
    message: rejectionMessage(code, event, status, ctx),
    eventId: event.id,
    eventType: event.type,
    status,
  };
}

/**
 * Creates the ticket lifecycle: the XState machine (state value = {@link TicketStatus}) and a
 * pure API over plain-JSON snapshots that hosts drive with events. Time is an input: every event
 * carries `at`, and deadlines (SLA warnings and breaches, auto-solve, auto-close) are stored in
 * the snapshot; `dueAt` tells the host when to send a `clock.tick`.
 *
 * @example
 * ```ts
 * const tickets = createTicketWorkflow({ reopenWindow: { days: 3 } });
 * let { snapshot } = tickets.start({
 *   type: 'ticket.opened', id: 'e1', ticketId: 'T-1', at: '2025-03-10T09:00:00Z',
 *   channel: 'email', subject: 'Broken mug', body: 'It arrived in pieces.', customer: { id: 'c1' },
 * });
 * ({ snapshot } = tickets.apply(snapshot, { type: 'agent.replied', id: 'e2', ticketId: 'T-1',
 *   at: '2025-03-10T10:00:00Z', agentId: 'a1', body: 'Sorry! A new one ships today.', status: 'solved' }));
 * snapshot.status;
 * //=> 'solved'
 * tickets.apply(snapshot, { type: 'ticket.assigned', id: 'e3', ticketId: 'T-9', at: '2025-03-10T11:00:00Z', agentId: 'a2' }).rejected?.code;
 * //=> 'wrong_ticket'
 * ```
 */
export function createTicketWorkflow(options: TicketWorkflowOptions = {}): TicketWorkflow {
  // The whole bag is checked first: a string or an array is refused before anything spreads it.
  const {
    sla: slaOption = null,
    calendars,
    escalation = defaultEscalation,
    migrateSnapshot,
    npsEligible,
    ...config
  } = parseOptions(TicketWorkflowOptionsSchema, options, 'createTicketWorkflow options');
  const sla: SlaAdapter | null =
    slaOption === null
      ? null
      : isSlaPolicy(slaOption)
        ? engineAdapter(createSlaEngine(slaOption, { calendars }))
        : 'policy' in slaOption && 'init' in slaOption
          ? engineAdapter(slaOption as SlaEngine)
          : slaOption;
  const survey = config.survey === null ? null : resolveSurveyPolicy(config.survey, npsEligible ?? null);
  const escalate: EscalateFn = typeof escalation === 'function' ? escalation : toEscalateFn(escalation);
  const env: RuleEnv = { config: resolveConfig(config), escalate, sla, survey };
  const machine = buildTicketMachine(env);

  function parseOpened(input: unknown): TicketEventOf<'ticket.opened'> {
    const event = parseTicketEvent(input);
    if (event.type !== 'ticket.opened') {
      throw new CarekitError('not_an_opened_event', `a ticket starts with ticket.opened, not ${event.type}`);
    }
    return event;
  }

  function begin(event: TicketEventOf<'ticket.opened'>): {
    snapshot: TicketSnapshot;
    effects: TicketEffect[];
  } {
    const context = openedContext(event, env);
    if (context.customer.blocked === true && config.blockedCustomers === 'close_as_spam') {
      const effects: TicketEffect[] = [];
      actions.closeBlocked(context, event, env, effects);
      return { snapshot: { schemaVersion: TICKET_SNAPSHOT_VERSION, status: 'closed', context }, effects };
    }
    const effects = openingEffects(context, event, env);
    return { snapshot: { schemaVersion: TICKET_SNAPSHOT_VERSION, status: 'new', context }, effects };
  }

  /**
   * Applies an event to a context owned by the caller. Returns the context to keep: the same
   * object, mutated, or a copy when passed deadlines were processed first (so that a rejected
   * event leaves the caller's context exactly as it was).
   */
  function step(
    status: TicketStatus,
    context: TicketContext,
    event: TicketEvent,
    effects: TicketEffect[],
  ): { status: TicketStatus; context: TicketContext; rejected?: RejectionCode } {
    if (event.ticketId !== context.ticketId) return { status, context, rejected: 'wrong_ticket' };
    if (event.at < context.lastEventAt) return { status, context, rejected: 'out_of_order' };
    let current = status;
    let working = context;
    const mark = effects.length;
    for (
      let deadline = passedDeadline(current, working, event.at);
      deadline !== null;
      deadline = passedDeadline(current, working, event.at)
    ) {
      if (working === context) working = cloneContext(context);
      current = transit(current, working, deadlineTick(event, deadline), effects) ?? current;
    }
    const rule = selectRule(current, working, event, env);
    const rejected = rule === undefined ? 'not_allowed_in_status' : rule.reject;
    if (rule === undefined || rejected !== undefined) {
      effects.length = mark;
      return { status, context, rejected: rejected ?? 'not_allowed_in_status' };
    }
    const to = rule.target ?? current;
    for (const name of rule.actions) (actions[name] as Action)(working, event, env, effects);
    settle(working, current, to, event, env, effects);
    return { status: to, context: working };
  }

  /** Takes the tick rule at a deadline; returns the status reached. */
  function transit(
    status: TicketStatus,
    context: TicketContext,
    tick: TicketEvent,
    effects: TicketEffect[],
  ): TicketStatus | undefined {
    const rule = selectRule(status, context, tick, env);
    if (rule === undefined || rule.reject !== undefined) return undefined;
    const to = rule.target ?? status;
    for (const name of rule.actions) (actions[name] as Action)(context, tick, env, effects);
    settle(context, status, to, tick, env, effects);
    return to;
  }

  function checkSnapshot(snapshot: unknown): TicketSnapshot {
    const candidate = snapshot as Partial<TicketSnapshot> | null;
    if (candidate === null || typeof candidate !== 'object' || typeof candidate.context !== 'object') {
      throw new CarekitError(
        'invalid_snapshot',
        'the snapshot is not a carekit ticket snapshot (no context)',
      );
    }
    if (candidate.schemaVersion !== TICKET_SNAPSHOT_VERSION) {
      if (migrateSnapshot !== undefined) return checkSnapshot(migrateSnapshot(snapshot));
      throw new CarekitError(
        'unsupported_snapshot_version',
        `the snapshot has schema version ${String(candidate.schemaVersion)}, this carekit reads version ${TICKET_SNAPSHOT_VERSION}; pass migrateSnapshot to createTicketWorkflow to upgrade it`,
      );
    }
    return candidate as TicketSnapshot;
  }

  return {
    machine,
    config,
    start(opened) {
      return begin(parseOpened(opened));
    },
    apply(input, eventInput) {
      const snapshot = checkSnapshot(input);
      const event = parseTicketEvent(eventInput);
      if (snapshot.context.eventIds.includes(event.id))
        return { snapshot: input, effects: [], duplicate: true };
      if (event.type === 'ticket.opened' && event.ticketId === snapshot.context.ticketId) {
        return {
          snapshot: input,
          effects: [],
          rejected: rejection('already_opened', event, snapshot.status, snapshot.context),
        };
      }
      const effects: TicketEffect[] = [];
      // The clone is the step's to mutate; the snapshot passed in is never touched.
      const result = step(snapshot.status, cloneContext(snapshot.context), event, effects);
      if (result.rejected !== undefined) {
        return {
          snapshot: input,
          effects: [],
          rejected: rejection(result.rejected, event, snapshot.status, snapshot.context),
        };
      }
      return {
        snapshot: { schemaVersion: TICKET_SNAPSHOT_VERSION, status: result.status, context: result.context },
        effects,
      };
    },
    replay(events, replayOptions = {}) {
      const parse = replayOptions.trusted === true ? (e: unknown) => e as TicketEvent : parseTicketEvent;
      if (events.length === 0)
        throw new CarekitError('empty_log', 'replay needs at least the ticket.opened event');
      const first = parse(events[0]);
      if (first.type !== 'ticket.opened') {
        throw new CarekitError(
          'not_an_opened_event',
          `a ticket's log starts with ticket.opened, not ${first.type}`,
        );
      }
      const started = begin(first);
      // One working context is mutated through the whole log: no copy per event.
      let context = started.snapshot.context;
      let status = started.snapshot.status;
      const effects = started.effects;
      const rejected: Rejection[] = [];
      const seen = new Set(context.eventIds);
      let duplicates = 0;
      for (let i = 1; i < events.length; i++) {
        const event = parse(events[i]);
        if (seen.has(event.id)) {
          duplicates++;
          continue;
        }
        if (event.type === 'ticket.opened' && event.ticketId === context.ticketId) {
          rejected.push(rejection('already_opened', event, status, context));
          continue;
        }
        const result = step(status, context, event, effects);
        if (result.rejected !== undefined) {
          rejected.push(rejection(result.rejected, event, status, context));
          continue;
        }
        seen.add(event.id);
        status = result.status;
        context = result.context;
      }
      return {
        snapshot: { schemaVersion: TICKET_SNAPSHOT_VERSION, status, context },
        effects,
        rejected,
        duplicates,
      };
    },
    dueAt(input) {
      const { status, context } = checkSnapshot(input);
      let due: number | null = null;
      const consider = (at: number | null) => {
        if (at !== null && (due === null || at < due)) due = at;
      };
      consider(context.survey.dueAt);
      if (FINAL.has(status)) return due;
      if (status === 'pending') consider(context.autoSolveAt);
      if (status === 'solved') consider(context.autoCloseAt);
      if (sla !== null && context.sla !== null)
        consider(sla.read(context.sla, context.lastEventAt).nextChangeAt);
      return due;
    },
    view(input, now) {
      const snapshot = checkSnapshot(input);
      return viewOf(snapshot, now ?? snapshot.context.lastEventAt, sla);
    },
  };
}
