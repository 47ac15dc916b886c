import { z } from 'zod';
import { checkInstant, checkNumber, isInstantArgument, readNowOption } from '../../model/arguments.js';
import {
  CarekitError,
  type CarekitIssue,
  FINAL_STATUSES,
  functionOption,
  type NowOptions,
  objectOption,
  parseOptions,
  parseTicketEvent,
  type TicketEvent,
  type TicketEventInput,
  type TicketEventOf,
  type TicketFields,
  type TicketStatus,
  type TicketStatuses,
} from '../../model/index.js';
import { type EscalationPolicy, toEscalateFn } from '../../routing/index.js';
import type { RuleSet } from '../../rules/index.js';
import {
  CalendarsOption,
  createSlaEngine,
  type SlaCalendars,
  type SlaEngine,
  type SlaPolicy,
  type SlaState,
} from '../../sla/index.js';
import { checkEvent } from '../../sla/options.js';
import type { WorkflowErrorCode } from '../errors.js';
import { exactDue } from './automations.js';
import { type RuleRun, type RuleWarning, rejectionIssues, runRules } from './businessRules.js';
import { cloneContext, TICKET_SNAPSHOT_VERSION, type TicketContext, type TicketSnapshot } from './context.js';
import { type EffectDraft, identifyEffects, type TicketEffect } from './effects.js';
import { buildTicketMachine } from './machine.js';
import {
  defaultEscalation,
  type EscalateFn,
  type ResolvedTicketWorkflowConfig,
  resolveConfig,
  TicketWorkflowConfig,
} from './options.js';
import type { RuleEnv } from './ruleEnv.js';
import {
  type Action,
  actions,
  deadlineTick,
  openChildrenOf,
  passedDeadline,
  type RejectionCode,
  selectRule,
  settle,
} from './rules.js';
import type { SlaAdapter } from './slaAdapter.js';
import { openedContext, openingEffects } from './start.js';
import { type NpsEligibleFn, resolveSurveyPolicy } from './survey.js';
import { type TicketView, viewOf } from './view.js';

/** Options of {@link createTicketWorkflow}: the data configuration plus policies in function form. */
export interface TicketWorkflowOptions extends TicketWorkflowConfig {
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
  /** The desk's ticket fields (`defineFields`): set with `ticket.fields_set`, required to solve. Default: the rules' fields. */
  fields?: TicketFields;
  /** The desk's custom statuses (`defineStatuses`). Default: the rules' statuses. */
  statuses?: TicketStatuses;
  /**
   * Business rules (`defineRules` from `carekit/rules`): `apply` runs triggers, automations and
   * macros after each accepted event and returns their changes as events in `log`.
   */
  rules?: RuleSet;
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
  fields: objectOption<TicketFields>(() => true, 'ticket fields from defineFields').optional(),
  statuses: objectOption<TicketStatuses>(() => true, 'custom statuses from defineStatuses').optional(),
  rules: objectOption<RuleSet>(() => true, 'business rules from defineRules')
    .nullable()
    .optional(),
});

/** An event that was not applied, and why. */
export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
  readonly eventId: string;
  readonly eventType: TicketEvent['type'];
  readonly status: TicketStatus;
  /** For field and status refusals: each problem with a code and a path (`['fields', 'order_id']`). */
  readonly issues?: readonly CarekitIssue[];
}

/** The result of {@link TicketWorkflow.apply}. */
export interface ApplyResult {
  readonly snapshot: TicketSnapshot;
  readonly effects: readonly TicketEffect[];
  /** Present when the event was refused; `snapshot` is then the one passed in. */
  readonly rejected?: Rejection;
  /** True when the event's id was applied before; `snapshot` is then the one passed in. */
  readonly duplicate?: true;
  /**
   * With business rules: the events to append to the ticket's log, in the order they were
   * applied: the event itself and every change the rules made (`by: { rule }`); changes made by
   * automations due before the event come before it. Replaying this log gives `snapshot`.
   */
  readonly log?: readonly TicketEvent[];
  /** With business rules: what the rules could not do (a refused change, a cycle stopped). */
  readonly warnings?: readonly RuleWarning[];
}

/** The result of {@link TicketWorkflow.replay}. */
export interface ReplayResult {
  readonly snapshot: TicketSnapshot;
  readonly effects: readonly TicketEffect[];
  readonly rejected: readonly Rejection[];
  /** How many events were skipped because their id had been applied already. */
  readonly duplicates: number;
  /** With `runRules`: the log the rules made (as {@link ApplyResult.log}, for the whole history). */
  readonly log?: readonly TicketEvent[];
  /** With `runRules`: the rules' warnings. */
  readonly warnings?: readonly RuleWarning[];
}

/**
 * A workflow's XState machine as `carekit/workflows` declares it: its id and its root state node
 * (whose `states` are the ticket statuses). `ticketMachine(workflow)` from
 * `carekit/workflows/machine` gives the same object with its XState type.
 */
export interface TicketMachineHandle {
  /** The machine's id (`ticket`). */
  readonly id: string;
  /** The root state node; `Object.keys(root.states)` lists the statuses. */
  readonly root: { readonly key: string; readonly states: Readonly<Record<string, object>> };
}

/** The lifecycle of one kind of ticket: a machine for tools, and a pure API for hosts. */
export interface TicketWorkflow {
  /**
   * The XState machine, for inspection and diagrams ({@link "carekit/review"!toMermaid | toMermaid}). It is
   * declared here without xstate's types, so that a project compiling with `skipLibCheck: false`
   * and `exactOptionalPropertyTypes` can use `carekit/workflows` (xstate's own declarations do not
   * compile under those settings). For `createActor` and the rest of XState,
   * `ticketMachine(workflow)` from `carekit/workflows/machine` returns the same machine with its
   * full XState type.
   */
  readonly machine: TicketMachineHandle;
  /** The validated configuration, for review documents. */
  readonly config: ResolvedTicketWorkflowConfig;
  /**
   * Opens a ticket. Throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} for a
   * malformed event (the event is typed, and validated at run time as well: a webhook body goes
   * through `parseTicketEvent` first).
   */
  start(opened: TicketEventInput): {
    snapshot: TicketSnapshot;
    effects: readonly TicketEffect[];
    /** With business rules: the log to store, the opened event and what the rules made after it. */
    log?: readonly TicketEvent[];
    warnings?: readonly RuleWarning[];
  };
  /**
   * Applies one event. Pure: the snapshot passed in is never changed. The event is typed (a
   * misspelt field is a type error) and validated at run time unless `trusted`.
   */
  apply(snapshot: TicketSnapshot, event: TicketEventInput, options?: ApplyOptions): ApplyResult;
  /** Rebuilds a ticket from its event log (the first event must open it). */
  replay(events: readonly TicketEventInput[], options?: ReplayOptions): ReplayResult;
  /** The earliest instant at which a `clock.tick` would change anything, or null. */
  dueAt(snapshot: TicketSnapshot): number | null;
  /**
   * The ticket as plain JSON for a UI or an API, with SLA clocks read at `options.now` (a `Date`
   * or epoch ms; default: the ticket's last event). Unknown option keys are refused.
   */
  view(snapshot: TicketSnapshot, options?: NowOptions): TicketView;
  /** @deprecated Pass `now` in the options: `view(snapshot, { now })`. */
  view(snapshot: TicketSnapshot, now: Date | number): TicketView;
  /** The business rules this lifecycle runs, or null. */
  readonly rules: RuleSet | null;
  /** The same lifecycle with other business rules (for `dryRun`: what-if review). */
  withRules(rules: RuleSet | null): TicketWorkflow;
}

/** Options of {@link TicketWorkflow.apply}. */
export interface ApplyOptions {
  /** Skip validation because the event was produced by `parseTicketEvent` already (the desk does). Default false. */
  readonly trusted?: boolean;
}

/** Options of {@link TicketWorkflow.replay}. */
export interface ReplayOptions {
  /**
   * Skip validation because the events were produced by `parseTicketEvent` already (for
   * example, read back from carekit's own store). Default false.
   */
  readonly trusted?: boolean;
  /**
   * Run the business rules as `apply` does, for a log of the host's events only (what `dryRun`
   * does). Default false: a log is replayed as recorded, with the rules' changes read from it,
   * so rules are not run twice; automations still keep their episodes.
   */
  readonly runRules?: boolean;
}

const FINAL = new Set<TicketStatus>(FINAL_STATUSES);

/**
 * The event as the lifecycle applies it: at `last` when it was stamped earlier, with the sender's
 * time kept in `sentAt` (an event that already carries `sentAt` keeps it). A host driving the
 * XState machine itself passes events through it with the ticket's `lastEventAt`.
 *
 * @example
 * ```ts
 * atOrAfter({ type: 'clock.tick', id: 't', ticketId: 'T-1', at: 1000 }, 5000);
 * //=> { type: 'clock.tick', id: 't', ticketId: 'T-1', at: 5000, sentAt: 1000 }
 * ```
 */
export function atOrAfter<E extends TicketEvent>(event: E, last: number): E {
  // Checked before the spread below: a 10 MB string was spread one property per character.
  checkEvent(event, 'atOrAfter');
  checkNumber(last, 'atOrAfter', ['last'], 'epoch milliseconds');
  if (event.at >= last) return event;
  return { ...event, at: last, sentAt: event.sentAt ?? event.at };
}

/**
 * Wraps carekit's SLA engine with the fast alert check: an alert can be due only when a clock
 * recorded a warning or breach not yet announced, or a counting clock's warning or due instant
 * has come. Otherwise reading the clocks after the event would find nothing new.
 *
 * @internal
 */
export function engineAdapter(engine: SlaEngine): SlaAdapter {
  return {
    init: (opened) => engine.init(opened),
    step: (state, event, statusAfter, pauses) => engine.step(state as SlaState, event, statusAfter, pauses),
    read: (state, now) => engine.read(state as SlaState, { now }),
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
    case 'invalid_snapshot':
      return 'the snapshot is not a carekit ticket snapshot';
    case 'unknown_agent':
      return `${event.type} names an agent this desk does not know`;
    case 'empty_reply':
      return `the public reply ${event.id} is empty`;
    case 'invalid_merge':
      return `ticket ${ticket} cannot be merged that way`;
    case 'open_children':
      return `ticket ${ticket} cannot be solved while its child tickets ${openChildrenOf(ctx ?? ({ children: {} } as unknown as TicketContext)).join(', ')} are open; solve them first or allow it with solveWithOpenChildren`;
    case 'invalid_side':
      return event.type === 'side.opened'
        ? `ticket ${ticket} already has a side conversation ${event.sideId}`
        : `ticket ${ticket} has no open side conversation ${'sideId' in event ? event.sideId : ''}`;
    case 'invalid_relation':
      return `ticket ${ticket}: the relation was refused`;
    case 'invalid_fields':
      return `ticket ${ticket}: the fields were not set, nothing was changed`;
    case 'required_fields_missing':
      return `ticket ${ticket} cannot be solved while fields required to solve are empty`;
    case 'unknown_status':
      return `ticket ${ticket}: the status was not set`;
    case 'unknown_macro':
      return `ticket ${ticket}: ${event.type === 'macro.applied' ? `no macro is named "${event.macroId}"` : 'unknown macro'}`;
  }
}

function rejection(
  code: RejectionCode,
  event: TicketEvent,
  status: TicketStatus,
  ctx: TicketContext | null,
  issues: readonly CarekitIssue[] = [],
): Rejection {
  const message = rejectionMessage(code, event, status, ctx);
  return {
    code,
    message: issues.length === 0 ? message : `${message}: ${issues.map((i) => i.message).join('; ')}`,
    eventId: event.id,
    eventType: event.type,
    status,
    ...(issues.length === 0 ? {} : { issues }),
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
    fields: fieldsOption,
    statuses: statusesOption,
    rules = null,
    ...config
  } = parseOptions(TicketWorkflowOptionsSchema, options, 'createTicketWorkflow options');
  const fields = fieldsOption ?? rules?.fields ?? null;
  const statuses = statusesOption ?? rules?.statuses ?? null;
  if (
    rules !== null &&
    ((rules.fields !== null && rules.fields !== fields) ||
      (rules.statuses !== null && rules.statuses !== statuses))
  ) {
    throw new CarekitError<WorkflowErrorCode>(
      'rules_mismatch',
      'the business rules were defined with other fields or statuses than the workflow; pass the same defineFields/defineStatuses results to both (or only to defineRules)',
    );
  }
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
  const env: RuleEnv = { config: resolveConfig(config), escalate, sla, survey, fields, statuses, rules };
  const machine = buildTicketMachine(env);

  function parseOpened(input: unknown): TicketEventOf<'ticket.opened'> {
    const event = parseTicketEvent(input);
    if (event.type !== 'ticket.opened') {
      throw new CarekitError<WorkflowErrorCode>(
        'not_an_opened_event',
        `a ticket starts with ticket.opened, not ${event.type}`,
      );
    }
    return event;
  }

  function begin(
    event: TicketEventOf<'ticket.opened'>,
    run: RuleRun | null,
  ): {
    snapshot: TicketSnapshot;
    effects: EffectDraft[];
  } {
    const context = openedContext(event, env);
    const effects: EffectDraft[] = [];
    let status: TicketStatus = 'new';
    if (context.customer.blocked === true && config.blockedCustomers === 'close_as_spam') {
      actions.closeBlocked(context, event, env, effects);
      status = 'closed';
    } else effects.push(...openingEffects(context, event, env));
    if (run !== null) {
      run.log.push(event);
      const state = { status, context };
      runRules(state, { event, from: 'new', reopensBefore: 0 }, env, effects, run);
      status = state.status;
    }
    return { snapshot: { schemaVersion: TICKET_SNAPSHOT_VERSION, status, context }, effects };
  }

  function newRun(live: boolean): RuleRun | null {
    return rules === null ? null : { log: [], warnings: [], live };
  }

  /**
   * Applies an event to a context owned by the caller. Returns the context to keep: the same
   * object, mutated, or a copy when passed deadlines were processed first (so that a rejected
   * event leaves the caller's context exactly as it was). `reached` is the status after the
   * passed deadlines: the status a refusal is about.
   *
   * The time rule: an event stamped before the ticket's last event is applied at that instant,
   * its own time kept in `sentAt` (mail arrives late; senders' clocks drift). Nothing is refused
   * for its timestamp.
   */
  function step(
    status: TicketStatus,
    context: TicketContext,
    input: TicketEvent,
    effects: EffectDraft[],
    run: RuleRun | null = null,
    inPlace = false,
  ): {
    status: TicketStatus;
    context: TicketContext;
    rejected?: RejectionCode;
    reached: TicketStatus;
    /** In place only: the refused event's passed deadlines changed `context` (it is spoilt). */
    spoilt?: true;
  } {
    if (input.ticketId !== context.ticketId)
      return { status, context, rejected: 'wrong_ticket', reached: status };
    const event = atOrAfter(input, context.lastEventAt);
    let current = status;
    let working = context;
    const mark = effects.length;
    const logMark = run?.log.length ?? 0;
    const warningMark = run?.warnings.length ?? 0;
    let previous: number | null = null;
    let ticked = false;
    for (
      let deadline = passedDeadline(current, working, event.at, env);
      deadline !== null;
      deadline = passedDeadline(current, working, event.at, env)
    ) {
      if (working === context && !inPlace) working = cloneContext(context);
      ticked = true;
      const tick = deadlineTick(event, deadline);
      const reopensBefore = working.counters.reopens;
      const from = current;
      current = transit(current, working, tick, effects) ?? current;
      if (run !== null) current = afterEvent(current, working, tick, from, reopensBefore, effects, run);
      // A deadline that neither moved the status nor itself would come back forever.
      if (deadline === previous && from === current) break;
      previous = deadline;
    }
    const rule = selectRule(current, working, event, env);
    const rejected = rule === undefined ? 'not_allowed_in_status' : rule.reject;
    if (rule === undefined || rejected !== undefined) {
      effects.length = mark;
      if (run !== null) {
        run.log.length = logMark;
        run.warnings.length = warningMark;
      }
      const refused = rejected ?? 'not_allowed_in_status';
      if (inPlace && ticked) return { status, context, rejected: refused, reached: current, spoilt: true };
      return { status, context, rejected: refused, reached: current };
    }
    const to = rule.target ?? current;
    const reopensBefore = working.counters.reopens;
    for (const name of rule.actions) (actions[name] as Action)(working, event, env, effects);
    settle(working, current, to, event, env, effects);
    if (run === null) return { status: to, context: working, reached: to };
    run.log.push(event);
    const reached = afterEvent(to, working, event, current, reopensBefore, effects, run);
    return { status: reached, context: working, reached };
  }

  /** Runs the business rules after an applied event; returns the status they leave. */
  function afterEvent(
    status: TicketStatus,
    context: TicketContext,
    event: TicketEvent,
    from: TicketStatus,
    reopensBefore: number,
    effects: EffectDraft[],
    run: RuleRun,
  ): TicketStatus {
    const state = { status, context };
    runRules(state, { event, from, reopensBefore }, env, effects, run);
    return state.status;
  }

  /** Takes the tick rule at a deadline; returns the status reached. */
  function transit(
    status: TicketStatus,
    context: TicketContext,
    tick: TicketEvent,
    effects: EffectDraft[],
  ): TicketStatus | undefined {
    const rule = selectRule(status, context, tick, env);
    if (rule === undefined || rule.reject !== undefined) return undefined;
    const to = rule.target ?? status;
    for (const name of rule.actions) (actions[name] as Action)(context, tick, env, effects);
    settle(context, status, to, tick, env, effects);
    return to;
  }

  /** Replays a log (see `replay`). In place, passed deadlines change the context directly. */
  function replayLog(
    events: readonly TicketEventInput[],
    replayOptions: ReplayOptions,
    inPlace: boolean,
  ): ReplayResult {
    const parse = replayOptions.trusted === true ? (e: unknown) => e as TicketEvent : parseTicketEvent;
    if (events.length === 0)
      throw new CarekitError<WorkflowErrorCode>('empty_log', 'replay needs at least the ticket.opened event');
    const first = parse(events[0]);
    if (first.type !== 'ticket.opened') {
      throw new CarekitError<WorkflowErrorCode>(
        'not_an_opened_event',
        `a ticket's log starts with ticket.opened, not ${first.type}`,
      );
    }
    const run = newRun(replayOptions.runRules === true);
    const started = begin(first, run);
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
      const logMark = run?.log.length ?? 0;
      const result = step(status, context, event, effects, run, inPlace);
      // Deadlines are applied in place, without a copy of the context per event; a refusal
      // after them leaves the context spoilt, and the log is replayed again with copies (at
      // most once; the rules run again the same way, they are deterministic).
      if (result.spoilt === true) return replayLog(events, replayOptions, false);
      if (result.rejected !== undefined) {
        rejected.push(
          rejection(
            result.rejected,
            event,
            result.reached,
            context,
            rejectionIssues(result.rejected, event, context, env),
          ),
        );
        continue;
      }
      // The rules' events are applied too: a copy of one later in the log is a duplicate.
      if (run !== null) for (let j = logMark; j < run.log.length; j++) seen.add(run.log[j]!.id);
      seen.add(event.id);
      status = result.status;
      context = result.context;
    }
    return {
      snapshot: { schemaVersion: TICKET_SNAPSHOT_VERSION, status, context },
      effects: identifyEffects(effects),
      rejected,
      duplicates,
      ...(run === null || !run.live ? {} : { log: run.log, warnings: run.warnings }),
    };
  }

  function checkSnapshot(snapshot: unknown): TicketSnapshot {
    const candidate = snapshot as Partial<TicketSnapshot> | null;
    if (candidate === null || typeof candidate !== 'object' || typeof candidate.context !== 'object') {
      throw new CarekitError<WorkflowErrorCode>(
        'invalid_snapshot',
        'the snapshot is not a carekit ticket snapshot (no context)',
      );
    }
    if (candidate.schemaVersion !== TICKET_SNAPSHOT_VERSION) {
      if (migrateSnapshot !== undefined) return checkSnapshot(migrateSnapshot(snapshot));
      throw new CarekitError<WorkflowErrorCode>(
        'unsupported_snapshot_version',
        `the snapshot has schema version ${String(candidate.schemaVersion)}, this carekit reads version ${TICKET_SNAPSHOT_VERSION}; pass migrateSnapshot to createTicketWorkflow to upgrade it`,
      );
    }
    return candidate as TicketSnapshot;
  }

  return {
    machine,
    config,
    rules,
    withRules(next) {
      return createTicketWorkflow({
        ...options,
        rules: next ?? undefined,
        fields: fields ?? undefined,
        statuses: statuses ?? undefined,
      } as TicketWorkflowOptions);
    },
    start(opened) {
      const run = newRun(true);
      const started = begin(parseOpened(opened), run);
      const effects = identifyEffects(started.effects);
      return run === null
        ? { snapshot: started.snapshot, effects }
        : { snapshot: started.snapshot, effects, log: run.log, warnings: run.warnings };
    },
    apply(input, eventInput, applyOptions = {}) {
      const snapshot = checkSnapshot(input);
      const event =
        applyOptions.trusted === true ? (eventInput as TicketEvent) : parseTicketEvent(eventInput);
      if (snapshot.context.eventIds.includes(event.id))
        return { snapshot: input, effects: [], duplicate: true };
      if (event.type === 'ticket.opened' && event.ticketId === snapshot.context.ticketId) {
        return {
          snapshot: input,
          effects: [],
          rejected: rejection('already_opened', event, snapshot.status, snapshot.context),
        };
      }
      const effects: EffectDraft[] = [];
      const run = newRun(true);
      // The clone is the step's to mutate (in place: a refusal answers from the snapshot passed
      // in, which is never touched).
      const result = step(snapshot.status, cloneContext(snapshot.context), event, effects, run, true);
      if (result.rejected !== undefined) {
        return {
          snapshot: input,
          effects: [],
          rejected: rejection(
            result.rejected,
            event,
            result.reached,
            snapshot.context,
            rejectionIssues(result.rejected, event, cloneContext(snapshot.context), env),
          ),
        };
      }
      const next: TicketSnapshot = {
        schemaVersion: TICKET_SNAPSHOT_VERSION,
        status: result.status,
        context: result.context,
      };
      if (run === null) return { snapshot: next, effects: identifyEffects(effects) };
      return {
        snapshot: next,
        effects: identifyEffects(effects),
        log: run.log,
        ...(run.warnings.length === 0 ? {} : { warnings: run.warnings }),
      };
    },
    replay(events, replayOptions = {}) {
      return replayLog(events, replayOptions, true);
    },
    dueAt(input) {
      const { status, context } = checkSnapshot(input);
      let due: number | null = null;
      const consider = (at: number | null) => {
        if (at !== null && (due === null || at < due)) due = at;
      };
      // A survey deadline means nothing to a workflow without a survey policy.
      if (survey !== null) consider(context.survey.dueAt);
      if (FINAL.has(status)) return due;
      if (status === 'pending') consider(context.autoSolveAt);
      if (status === 'solved') consider(context.autoCloseAt);
      // A side conversation's target is announced when it passes (once per missed instant).
      for (const id in context.sides ?? {}) {
        const side = context.sides[id]!;
        if (side.dueAt !== null && side.breaches[side.breaches.length - 1] !== side.dueAt)
          consider(side.dueAt);
      }
      // A stored automation state may be a lower bound of its instant: the instant is answered.
      for (const id in context.automations) {
        const automation = context.automations[id];
        if (typeof automation === 'number' && (due === null || automation < due))
          consider(exactDue(status, context, id, automation, env));
      }
      if (sla !== null && context.sla !== null)
        consider(sla.read(context.sla, context.lastEventAt).nextChangeAt);
      return due;
    },
    view(input: TicketSnapshot, options?: NowOptions | Date | number) {
      const snapshot = checkSnapshot(input);
      const now =
        options === undefined
          ? undefined
          : isInstantArgument(options)
            ? checkInstant(options, 'view', ['now'])
            : readNowOption(options, 'view');
      return viewOf(snapshot, now ?? snapshot.context.lastEventAt, sla);
    },
  };
}
