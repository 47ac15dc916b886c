import type { Priority } from '../../model/index.js';
import { checkEscalationPolicy, type EscalationPolicy } from './createEscalationPolicy.js';
import { evaluateEscalation } from './evaluateEscalation.js';
import type { EscalationInputRaw } from './signal.js';

/** The signal shape the ticket lifecycle sends (`carekit/workflows`). */
export type LifecycleSignal =
  | { readonly kind: 'sla_warning' | 'sla_breach'; readonly clock: string }
  | { readonly kind: 'reopened'; readonly reopens: number }
  | { readonly kind: 'categorized'; readonly category: string };

/** The ticket facts the lifecycle passes along. */
export interface LifecycleTicket {
  readonly tier: number;
  readonly priority: Priority;
  readonly segment: string | null;
}

/** A decision in the lifecycle's shape. */
export type LifecycleDecision =
  | { readonly action: 'escalate'; readonly toTier: number; readonly reason: string }
  | { readonly action: 'notify'; readonly to: string; readonly reason: string }
  | { readonly action: 'raise_priority'; readonly priority: Priority; readonly reason: string };

const CLOCKS = new Set(['firstReply', 'nextReply', 'periodicUpdate', 'resolution']);

/**
 * Adapts an escalation policy to the lifecycle workflow's escalation function
 * (`createTicketWorkflow({ escalate })`): signal and ticket in, decisions as data out.
 * Signals the policy does not know (an SLA clock of another name) give no decision.
 *
 * @example
 * ```ts
 * const escalate = toEscalateFn(policy);
 * escalate({ kind: 'sla_breach', clock: 'firstReply' }, { tier: 1, priority: 'normal', segment: null });
 * //=> [{ action: 'escalate', toTier: 2, reason: 'SLA breach on firstReply' }]
 * ```
 */
export function toEscalateFn(
  policy: EscalationPolicy,
): (signal: LifecycleSignal, ticket: LifecycleTicket) => readonly LifecycleDecision[] {
  checkEscalationPolicy(policy, 'toEscalateFn');
  return (signal, ticket) => {
    const context = {
      tier: ticket.tier,
      priority: ticket.priority,
      segments: ticket.segment ? [ticket.segment] : [],
    };
    let input: EscalationInputRaw;
    if (signal.kind === 'categorized') input = { kind: 'classified', category: signal.category, ...context };
    else if (signal.kind === 'reopened') input = { kind: 'reopened', reopens: signal.reopens, ...context };
    else if (CLOCKS.has(signal.clock))
      input = { kind: signal.kind, clock: signal.clock as 'firstReply', ...context };
    else return [];
    return evaluateEscalation(policy, input).actions.map((a): LifecycleDecision => {
      if (a.type === 'escalate') return { action: 'escalate', toTier: a.toTier, reason: a.reason };
      if (a.type === 'notify') return { action: 'notify', to: a.role, reason: a.reason };
      return { action: 'raise_priority', priority: a.to, reason: a.reason };
    });
  };
}
