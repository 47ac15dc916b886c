// The lifecycle's side of business rules (carekit/rules): the ticket as rules read it, the
// automations' bookkeeping after every event, and the pass of triggers, automations and macros
// after an accepted event, whose changes are events with `by: { rule }`.
import type { CarekitIssue, TicketEvent, TicketEventOf, TicketStatus } from '../../model/index.js';
import { compiledCondition } from '../../rules/compileCondition.js';
import {
  actionOutcome,
  conditionHolds,
  type RuleAction,
  type RuleTicket,
  type RuleTrigger,
} from '../../rules/index.js';
import { anyAutomationDue, ruleTicketOf } from './automations.js';
import type { TicketContext } from './context.js';
import type { EffectDraft } from './effects.js';
import type { RuleEnv } from './ruleEnv.js';
import { type Action, actions, selectRule, settle } from './rules.js';

/** Something the rules could not do, or a pass stopped as a cycle. The ticket is consistent. */
export interface RuleWarning {
  /** `rule_cycle` (the pass hit its limit) or `rule_action_rejected` (the lifecycle refused a rule's change). */
  readonly code: 'rule_cycle' | 'rule_action_rejected';
  /** The rules concerned: those that fired in the last pass of a cycle, or the one refused. */
  readonly rules: readonly string[];
  readonly message: string;
  /** The event after which the rules ran. */
  readonly eventId: string;
}

/** What a run of the rules collects: the log to append (in order) and the warnings. */
export interface RuleRun {
  /** Every event applied, in order: the host's and the rules'. Deadline ticks are not included. */
  readonly log: TicketEvent[];
  readonly warnings: RuleWarning[];
  /** False when replaying a recorded log: rules make nothing, automations are only marked fired. */
  readonly live: boolean;
}

/** The state a pass works on; the pass changes it in place. */
export interface PassState {
  status: TicketStatus;
  context: TicketContext;
}

interface Applied {
  readonly event: TicketEvent;
  readonly from: TicketStatus;
  readonly to: TicketStatus;
  readonly reopensBefore: number;
}

const MAX_ID = 256;
/** The event types of a pass of one event: one list, refilled for each such pass. */
const ONE_TYPE: string[] = [''];
/** The moments of a pass, by (reopened ? 1 : 0) + (status changed ? 2 : 0): no object per pass. */
const MOMENTS = [
  { reopened: false, statusChanged: false },
  { reopened: true, statusChanged: false },
  { reopened: false, statusChanged: true },
  { reopened: true, statusChanged: true },
] as const;

/** A short stable digest, for rule event ids that would be too long. */
function digest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * Applies one event a rule made: the lifecycle's rule for it, then the bookkeeping. Rule events
 * happen at the instant of their cause, so no deadline can pass before them. Returns the
 * rejection code, or undefined when applied.
 */
function applyRuleEvent(
  state: PassState,
  event: TicketEvent,
  env: RuleEnv,
  effects: EffectDraft[],
): Applied | { rejected: string } {
  const rule = selectRule(state.status, state.context, event, env);
  if (rule === undefined || rule.reject !== undefined)
    return { rejected: rule?.reject ?? 'not_allowed_in_status' };
  const from = state.status;
  const reopensBefore = state.context.counters.reopens;
  const to = rule.target ?? from;
  for (const name of rule.actions) (actions[name] as Action)(state.context, event, env, effects);
  settle(state.context, from, to, event, env, effects);
  state.status = to;
  return { event, from, to, reopensBefore };
}

/**
 * Runs the business rules after an accepted event (`applied`), changing `state` in place.
 *
 * - The first pass is over the accepted event; each next pass over the events the previous
 *   one made. A `macro.applied` event applies the macro's actions and, with a `body`, its reply.
 * - In a pass, triggers run in the order listed; each fires at most once, when it waits for the
 *   type of an event of the pass or a moment one made (`reopened`, `status_changed`) and its
 *   condition holds on the ticket as it is then, so an action's change is visible to the
 *   triggers after it. Then the automations due at the instant fire, once per episode.
 * - An action that would change nothing makes no event, so passes come to rest; after
 *   `maxPasses` passes that still made changes, the run stops with a `rule_cycle` warning
 *   naming the rules of the last pass, and the ticket keeps the state after that last full pass
 *   (automations due then are passed over for their episode).
 */
export function runRules(
  state: PassState,
  applied: { event: TicketEvent; from: TicketStatus; reopensBefore: number },
  env: RuleEnv,
  effects: EffectDraft[],
  run: RuleRun,
): void {
  const rules = env.rules;
  if (rules === null) return;
  if (!run.live) {
    // A recorded log carries the rules' changes: only the automations' episodes are kept.
    if (!anyAutomationDue(state.context.automations, applied.event.at)) return;
    for (const automation of rules.automations) {
      const due = state.context.automations[automation.id];
      if (typeof due === 'number' && due <= applied.event.at)
        state.context.automations[automation.id] = 'fired';
    }
    return;
  }
  const first = applied.event;
  // Built when first needed: after many events no trigger waits and no automation is due.
  let pass: Pass | null = null;
  // Built field by field: an object spread here, after every event, cost more than the triggers.
  let generation: Applied[] = [
    { event: first, from: applied.from, to: state.status, reopensBefore: applied.reopensBefore },
  ];
  for (let n = 0; generation.length > 0; n++) {
    if (n === rules.maxPasses) {
      const names = [...new Set(generation.map((a) => ruleOf(a.event) ?? a.event.id))];
      run.warnings.push({
        code: 'rule_cycle',
        rules: names,
        eventId: first.id,
        message: `the rules kept changing the ticket after ${rules.maxPasses} passes (a cycle among ${names.join(', ')}); the ticket keeps the state after the last full pass`,
      });
      // Automations due now are passed over for this episode, as a replay of the log would.
      for (const automation of rules.automations) {
        const due = state.context.automations[automation.id];
        if (typeof due === 'number' && due <= first.at) state.context.automations[automation.id] = 'fired';
      }
      return;
    }
    const next: Applied[] = [];
    const at = generation[0]!.event.at;
    for (const x of generation) {
      if (x.event.type !== 'macro.applied') continue;
      pass ??= new Pass(state, env, rules, effects, run, first);
      pass.applyMacro(x.event, next);
    }
    // Each trigger fires at most once per pass: when it waits for an event of the pass.
    let types: string[];
    let reopened = false;
    let statusChanged = false;
    if (generation.length === 1) {
      // The usual pass, of one event: the one-type list is reused (triggersFor keeps no list).
      const x = generation[0]!;
      ONE_TYPE[0] = x.event.type;
      types = ONE_TYPE;
      reopened = state.context.counters.reopens > x.reopensBefore;
      statusChanged = x.to !== x.from;
    } else {
      types = [];
      for (const x of generation) {
        if (!types.includes(x.event.type)) types.push(x.event.type);
        if (state.context.counters.reopens > x.reopensBefore) reopened = true;
        if (x.to !== x.from) statusChanged = true;
      }
    }
    const cause = generation[generation.length - 1]!.event;
    const waiting = rules.triggersFor(types, MOMENTS[(reopened ? 1 : 0) + (statusChanged ? 2 : 0)]);
    const holds = conditionsOf(waiting);
    for (let i = 0; i < waiting.length; i++) {
      const trigger = waiting[i]!;
      pass ??= new Pass(state, env, rules, effects, run, first);
      const ticket = pass.ticket(at);
      if (holds === null ? conditionHolds(trigger.if, ticket) : holds[i]!(ticket))
        pass.perform(trigger.id, trigger.then, cause, next);
    }
    // Most passes have no automation due: one pass over the states decides it.
    if (anyAutomationDue(state.context.automations, at))
      for (const automation of rules.automations) {
        const due = state.context.automations[automation.id];
        if (typeof due !== 'number' || due > at) continue;
        state.context.automations[automation.id] = 'fired';
        pass ??= new Pass(state, env, rules, effects, run, first);
        pass.perform(automation.id, automation.then, cause, next);
      }
    generation = next;
  }
}

/** The compiled conditions of each trigger list `triggersFor` gives, in its order. */
const listConditions = new WeakMap<readonly RuleTrigger[], readonly ((ticket: RuleTicket) => boolean)[]>();
const ALWAYS = () => true;

/**
 * A trigger list's compiled conditions, looked up once per pass rather than once per trigger;
 * null (each condition through `conditionHolds`) for a list that could change (not frozen) or
 * holds a tree `defineRules` did not compile.
 */
function conditionsOf(list: readonly RuleTrigger[]): readonly ((ticket: RuleTicket) => boolean)[] | null {
  const known = listConditions.get(list);
  if (known !== undefined) return known;
  if (!Object.isFrozen(list)) return null;
  const holds: ((ticket: RuleTicket) => boolean)[] = [];
  for (const trigger of list) {
    const compiled = trigger.if === undefined ? ALWAYS : compiledCondition(trigger.if);
    if (compiled === undefined) return null;
    holds.push(compiled);
  }
  listConditions.set(list, holds);
  return holds;
}

/**
 * One run of the rules after an event: ids for the rules' events, the ticket as rules read it
 * (one view per change), and performing actions. A class rather than closures made per run:
 * a run happens after every event, and its helpers are then built once, on the prototype.
 */
class Pass {
  // Built when a rule first makes an event: most runs make none.
  #root: string | null = null;
  #counts: Map<string, number> | null = null;
  #view: RuleTicket | null = null;
  constructor(
    readonly state: PassState,
    readonly env: RuleEnv,
    readonly rules: NonNullable<RuleEnv['rules']>,
    readonly effects: EffectDraft[],
    readonly run: RuleRun,
    readonly first: TicketEvent,
  ) {}

  nextId(ruleId: string): string {
    const first = this.first;
    this.#root ??=
      first.type === 'clock.tick' && first.id.endsWith('#deadline')
        ? `${first.ticketId}@${first.at}`
        : first.id;
    this.#counts ??= new Map();
    const n = (this.#counts.get(ruleId) ?? 0) + 1;
    this.#counts.set(ruleId, n);
    let id = `${this.#root}>${ruleId}#${n}`;
    if (id.length > MAX_ID) id = `${this.first.ticketId.slice(0, 200)}>${digest(id)}`;
    while (this.state.context.eventIds.includes(id)) id = `${id}~`;
    return id;
  }

  /** The ticket as rules read it: rebuilt only after a rule's event was applied. */
  ticket(at: number): RuleTicket {
    this.#view ??= ruleTicketOf(this.state.status, this.state.context, at, this.env);
    return this.#view;
  }

  perform(ruleId: string, list: readonly RuleAction[], cause: TicketEvent, next: Applied[]): void {
    const { state, rules, effects } = this;
    let expanded = list as readonly Exclude<RuleAction, { type: 'custom' }>[];
    if (list.some((action) => action.type === 'custom')) {
      const out: Exclude<RuleAction, { type: 'custom' }>[] = [];
      for (const action of list) {
        if (action.type === 'custom') out.push(...rules.customActions[action.name]!(this.ticket(cause.at)));
        else out.push(action);
      }
      expanded = out;
    }
    for (const action of expanded) {
      const outcome = actionOutcome(action, this.ticket(cause.at), ruleId, rules.statuses);
      if (outcome === null) continue;
      if (outcome.kind === 'notify') {
        const base = { ticketId: state.context.ticketId, at: cause.at, causedBy: cause.id };
        effects.push({ type: 'notify', ...base, to: outcome.to, reason: 'rule', message: outcome.message });
      } else if (outcome.kind === 'send_template') {
        const base = { ticketId: state.context.ticketId, at: cause.at, causedBy: cause.id };
        effects.push({
          type: 'send_template',
          ...base,
          templateId: outcome.templateId,
          customerId: state.context.customer.id,
          channel: state.context.channel,
        });
      } else {
        // actionOutcome makes a new body each call: completed in place (the keys in the order a
        // spread would give them), since copying it was the costliest step of a rule's change.
        const event = outcome.event as Record<string, unknown> as TicketEvent & Record<string, unknown>;
        event.id = this.nextId(ruleId);
        event.ticketId = state.context.ticketId;
        event.at = cause.at;
        const result = applyRuleEvent(state, event, this.env, effects);
        this.#view = null;
        if ('rejected' in result) {
          this.run.warnings.push({
            code: 'rule_action_rejected',
            rules: [ruleId],
            eventId: this.first.id,
            message: `rule ${ruleId}: ${event.type} was refused (${result.rejected}) while the ticket was ${state.status}; the rule's other actions were applied`,
          });
          continue;
        }
        this.run.log.push(event);
        next.push(result);
      }
    }
  }

  applyMacro(event: TicketEventOf<'macro.applied'>, next: Applied[]): void {
    const { state } = this;
    const macro = this.rules.macros.get(event.macroId)!;
    this.perform(macro.id, macro.then, event, next);
    if (event.body === undefined || macro.reply === undefined) return;
    const reply = {
      type: 'agent.replied',
      id: this.nextId(macro.id),
      ticketId: state.context.ticketId,
      at: event.at,
      agentId: event.agentId,
      body: event.body,
      by: { rule: macro.id },
      ...(macro.reply.public === undefined ? {} : { public: macro.reply.public }),
      ...(macro.reply.status === undefined ? {} : { status: macro.reply.status }),
    } as TicketEvent;
    const result = applyRuleEvent(state, reply, this.env, this.effects);
    this.#view = null;
    if ('rejected' in result) {
      this.run.warnings.push({
        code: 'rule_action_rejected',
        rules: [macro.id],
        eventId: this.first.id,
        message: `macro ${macro.id}: its reply was refused (${result.rejected})`,
      });
      return;
    }
    this.run.log.push(reply);
    next.push(result);
  }
}

function ruleOf(event: TicketEvent): string | null {
  const by = 'by' in event ? event.by : undefined;
  return by !== undefined && typeof by === 'object' ? by.rule : null;
}

/** The details of a refusal that the lifecycle's rules know: which fields are wrong or missing. */
export function rejectionIssues(
  code: string,
  event: TicketEvent,
  ctx: TicketContext,
  env: RuleEnv,
): CarekitIssue[] {
  if (code === 'invalid_fields' && event.type === 'ticket.fields_set') {
    return env.fields === null
      ? Object.keys(event.fields).map((id) => ({
          code: 'unknown_field',
          path: ['fields', id],
          message: `fields.${id}: is not a ticket field (this workflow defines none)`,
        }))
      : env.fields.check(event.fields);
  }
  if (code === 'required_fields_missing' && env.fields !== null) {
    return env.fields.missingToSolve(ctx.fields).map((id) => ({
      code: 'required_to_solve',
      path: ['fields', id],
      message: `fields.${id}: is required to solve the ticket (${env.fields!.byId(id)!.label})`,
    }));
  }
  if (code === 'unknown_status' && (event.type === 'ticket.status_set' || event.type === 'agent.replied')) {
    const custom = env.statuses?.byId(event.customStatus ?? '');
    return [
      {
        code: 'unknown_status',
        path: ['customStatus'],
        message:
          custom === undefined
            ? `customStatus: "${event.customStatus}" is not a custom status of this desk${env.statuses === null ? ' (none are defined)' : `; they are ${env.statuses.definitions.map((s) => s.id).join(', ')}`}`
            : `customStatus: "${custom.id}" is a ${custom.category} status, but the event's status is ${event.status}`,
      },
    ];
  }
  return [];
}
