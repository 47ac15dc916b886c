import type { TicketStatus } from '../../model/index.js';
import { type AutomationInputs, automationInputs, planAutomations } from '../../rules/automationInstant.js';
import {
  automationInstant,
  nextAutomationState,
  type RuleSlaClock,
  type RuleTicket,
} from '../../rules/index.js';
import type { TicketContext } from './context.js';
import type { RuleEnv } from './ruleEnv.js';

/**
 * The ticket as rules read it, over a context without copying it. SLA clocks are read only if a
 * rule asks for them. A class, so that the lazy `sla` getter lives on the prototype (an object
 * literal with a getter is several times slower to build, and this is built after every event).
 */
class ContextTicket implements RuleTicket {
  #sla: Readonly<Record<string, RuleSlaClock>> | null | undefined;
  constructor(
    readonly status: TicketStatus,
    private readonly ctx: TicketContext,
    private readonly at: number,
    private readonly env: RuleEnv,
  ) {}
  get ticketId() {
    return this.ctx.ticketId;
  }
  get customStatus() {
    return this.ctx.customStatus;
  }
  get priority() {
    return this.ctx.priority;
  }
  get category() {
    return this.ctx.category;
  }
  get channel() {
    return this.ctx.channel;
  }
  get customerId() {
    return this.ctx.customer.id;
  }
  get segment() {
    return this.ctx.customer.segment ?? null;
  }
  get language() {
    return this.ctx.language;
  }
  get origin() {
    return this.ctx.origin;
  }
  get assigneeId() {
    return this.ctx.assigneeId;
  }
  get queue() {
    return this.ctx.queue;
  }
  get tier() {
    return this.ctx.tier;
  }
  get reopens() {
    return this.ctx.counters.reopens;
  }
  get agentReplies() {
    return this.ctx.counters.agentReplies;
  }
  get customerReplies() {
    return this.ctx.counters.customerReplies;
  }
  get tags() {
    return this.ctx.tags;
  }
  get customerTags() {
    return this.ctx.customer.tags ?? [];
  }
  get fields() {
    return this.ctx.fields;
  }
  get openedAt() {
    return this.ctx.openedAt;
  }
  get statusChangedAt() {
    return this.ctx.statusChangedAt;
  }
  get lastCustomerMessageAt() {
    return this.ctx.lastCustomerMessageAt;
  }
  get lastAgentReplyAt() {
    return this.ctx.lastAgentReplyAt;
  }
  get solvedAt() {
    return this.ctx.solvedAt;
  }
  get sla() {
    if (this.#sla === undefined) {
      const { env, ctx } = this;
      this.#sla = env.sla === null || ctx.sla === null ? null : env.sla.read(ctx.sla, this.at).clocks;
    }
    return this.#sla;
  }
}

/** The ticket as rules read it. It reads the context as it is when read: rebuild it after a change of status. */
export function ruleTicketOf(status: TicketStatus, ctx: TicketContext, at: number, env: RuleEnv): RuleTicket {
  return new ContextTicket(status, ctx, at, env);
}

/** Each rule set's automation ids by position (ids are unique: `defineRules` refuses repeats). */
const positions = new WeakMap<readonly { readonly id: string }[], Map<string, number>>();

function positionsOf(automations: readonly { readonly id: string }[]): Map<string, number> {
  let map = positions.get(automations);
  if (map === undefined) {
    map = new Map(automations.map((a, i) => [a.id, i]));
    positions.set(automations, map);
  }
  return map;
}

/** The states before the event, by position: reused, since this runs after every event. */
const priors: (number | 'fired' | undefined)[] = [];

/**
 * Recomputes every automation's state after an event at `at` with the status reached.
 *
 * The stored states are read once, in a `for…in` over the object: a snapshot's `automations`
 * take as many shapes as there are subsets of due automations, and a keyed read per automation
 * of so many shapes was the costliest line of the rules' bookkeeping.
 */
export function updateAutomations(ctx: TicketContext, status: TicketStatus, at: number, env: RuleEnv): void {
  const rules = env.rules!;
  const list = rules.automations;
  const ticket = ruleTicketOf(status, ctx, at, env);
  const before = ctx.automations;
  // Nothing the automations read changed since their last reading on this context: skipped.
  const inputs = automationInputs(list, rules.calendars);
  const last = inputs === null ? undefined : lastReadings.get(ctx);
  if (
    last !== undefined &&
    last.list === list &&
    last.states === before &&
    unchanged(last.values, ticket, inputs!)
  ) {
    if (statesAhead(before, at)) return;
  }
  const index = positionsOf(list);
  for (let i = 0; i < list.length; i++) priors[i] = undefined;
  let keys = 0;
  for (const id in before) {
    keys++;
    const i = index.get(id);
    if (i !== undefined) priors[i] = before[id];
  }
  // A rule set from defineRules is planned once; hand-made trees are read as data.
  const plan = planAutomations(list, rules.calendars);
  let next: Record<string, number | 'fired'> | null = null;
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    const automation = list[i]!;
    const prior = priors[i];
    const instant =
      plan === null ? automationInstant(automation, ticket, at, rules.calendars) : plan[i]!(ticket, at);
    const state = nextAutomationState(prior, instant, at);
    if (state !== undefined) count++;
    // Most events change no automation: the object is replaced only when one changes.
    if (next === null && state !== prior) {
      next = {};
      for (let j = 0; j < i; j++) {
        const kept = priors[j];
        if (kept !== undefined) next[list[j]!.id] = kept;
      }
    }
    if (next !== null && state !== undefined) next[automation.id] = state;
  }
  if (next !== null) ctx.automations = next;
  else if (keys !== count) ctx.automations = { ...before };
  if (inputs !== null) remember(ctx, list, inputs, ticket, last);
}

/** What the automations read of a context at their last full reading, and the states it left. */
interface Reading {
  list: readonly object[];
  states: object;
  values: unknown[];
}

/**
 * The last full reading per working context (a copy of a context is a new key, so it is read in
 * full). Kept beside the context, not in it: the snapshot's shape does not change.
 */
const lastReadings = new WeakMap<TicketContext, Reading>();

function unchanged(values: readonly unknown[], ticket: RuleTicket, inputs: AutomationInputs): boolean {
  const read = inputs.read;
  for (let i = 0; i < read.length; i++) if (read[i]!(ticket) !== values[i]) return false;
  return true;
}

/**
 * Whether every stored instant is after `at`. The skip needs it: an instant read again after it
 * has passed is `at` itself (an automation already due fires now), not the stored one.
 */
function statesAhead(states: Readonly<Record<string, number | 'fired'>>, at: number): boolean {
  for (const id in states) {
    const due = states[id];
    if (typeof due === 'number' && due <= at) return false;
  }
  return true;
}

function remember(
  ctx: TicketContext,
  list: readonly object[],
  inputs: AutomationInputs,
  ticket: RuleTicket,
  last: Reading | undefined,
): void {
  const reading = last ?? { list, states: ctx.automations, values: [] };
  reading.list = list;
  reading.states = ctx.automations;
  const read = inputs.read;
  for (let i = 0; i < read.length; i++) reading.values[i] = read[i]!(ticket);
  if (last === undefined) lastReadings.set(ctx, reading);
}

/**
 * The instant a stored automation state stands for, read on the context as its last reading left
 * it: a state may be a lower bound (see `planAutomations`), and this sums its business time.
 * Null when the automation cannot come due before another event (its calendar never opens).
 * A state of an automation the rule set does not plan (a tree made by hand, an id it does not
 * know) is already exact and is answered as stored.
 */
export function exactDue(
  status: TicketStatus,
  ctx: TicketContext,
  id: string,
  due: number,
  env: RuleEnv,
): number | null {
  const rules = env.rules;
  if (rules === null) return due;
  const plan = planAutomations(rules.automations, rules.calendars);
  if (plan === null) return due;
  const i = positionsOf(rules.automations).get(id);
  if (i === undefined) return due;
  // Every stored instant is after the last reading (at the last event): the instant read again
  // at that time, summed, is the one an eager reading would have stored.
  const at = ctx.lastEventAt;
  return plan[i]!(ruleTicketOf(status, ctx, at, env), at, true);
}

/** Whether an automation is due by `at` (a `for…in`, cheap over the states' many shapes). */
export function anyAutomationDue(
  automations: Readonly<Record<string, number | 'fired'>>,
  at: number,
): boolean {
  for (const id in automations) {
    const due = automations[id];
    if (typeof due === 'number' && due <= at) return true;
  }
  return false;
}
