import type { Priority, Sentiment, SlaClock } from '../../model/index.js';
import { checkEscalationPolicy, type EscalationPolicy } from './createEscalationPolicy.js';
import { evaluateEscalation } from './evaluateEscalation.js';
import type { EscalationDecision, EscalationInputRaw } from './signal.js';

export type { EscalationDecision } from './signal.js';

/**
 * What the ticket lifecycle tells an escalation policy about: an SLA warning or breach, a
 * reopen, a classification (when a ticket is opened with one, and at every `ticket.categorized`),
 * with the classifier's sentiment and tags when it gave them (a tag `asks_for_manager` fires the
 * policy's `asks_for_manager` rules). The same words as {@link EscalationInput}, which adds the
 * signals only a host sends (`asks_for_manager`, `remedy_requested`).
 */
export type EscalationSignal =
  | { readonly kind: 'sla_warning' | 'sla_breach'; readonly clock: SlaClock }
  | { readonly kind: 'reopened'; readonly reopens: number }
  | {
      readonly kind: 'classified';
      readonly category: string;
      readonly sentiment?: Sentiment;
      readonly tags?: readonly string[];
    };

/** The parts of a ticket an escalation policy in function form may look at. */
export interface EscalationTicket {
  readonly ticketId: string;
  readonly tier: number;
  readonly priority: Priority;
  readonly category: string | null;
  readonly segment: string | null;
  readonly reopens: number;
  readonly assigneeId: string | null;
}

/** An escalation policy in function form: a pure function from a signal to decisions. */
export type EscalateFn = (
  signal: EscalationSignal,
  ticket: EscalationTicket,
) => readonly EscalationDecision[];

/**
 * Adapts an escalation policy to the lifecycle workflow's escalation function
 * (`createTicketWorkflow({ escalation })`): signal and ticket in, the policy's actions out
 * (an {@link EscalationAction} is an {@link EscalationDecision}); only the ticket's one segment
 * becomes the policy's list of segments.
 *
 * @example
 * ```ts
 * const escalate = toEscalateFn(policy);
 * escalate({ kind: 'sla_breach', clock: 'firstReply' }, ticket);
 * //=> [{ type: 'escalate', fromTier: 1, toTier: 2, rule: 'breach', reason: 'SLA breach on firstReply' }]
 * ```
 */
export function toEscalateFn(policy: EscalationPolicy): EscalateFn {
  checkEscalationPolicy(policy, 'toEscalateFn');
  return (signal, ticket) => {
    const context = {
      tier: ticket.tier,
      priority: ticket.priority,
      segments: ticket.segment ? [ticket.segment] : [],
    };
    const input: EscalationInputRaw =
      signal.kind === 'classified'
        ? {
            kind: 'classified',
            category: signal.category,
            ...(signal.sentiment !== undefined ? { sentiment: signal.sentiment } : {}),
            ...(signal.tags !== undefined ? { tags: [...signal.tags] } : {}),
            ...context,
          }
        : signal.kind === 'reopened'
          ? { kind: 'reopened', reopens: signal.reopens, ...context }
          : { kind: signal.kind, clock: signal.clock, ...context };
    return evaluateEscalation(policy, input).actions;
  };
}
