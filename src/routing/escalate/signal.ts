import { z } from 'zod';
import { Label, Priority, SlaClock } from '../../model/index.js';
import { Sentiment } from '../classify/classification.js';

// The signals an escalation policy's rules are tested against (declared here, below both the
// policy and its evaluation, which each need them).

const ticket = {
  /** The ticket's current tier (1 = frontline). */
  tier: z.number().int().min(1).max(100).default(1),
  /** The customer's segments (`vip`, `at_risk`). */
  segments: z.array(Label).max(50).default([]),
  priority: Priority.optional(),
};

/** The kinds of remedy an authority limit applies to. */
export const RemedyAuthority = z.enum(['refund', 'replacement', 'credit', 'discount']);
export type RemedyAuthority = z.infer<typeof RemedyAuthority>;

/**
 * Something that happened to a ticket, with the ticket's current tier, segments and
 * priority: what the lifecycle workflow passes to {@link evaluateEscalation}.
 */
export const EscalationInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sla_warning'), clock: SlaClock, ...ticket }),
  z.strictObject({ kind: z.literal('sla_breach'), clock: SlaClock, ...ticket }),
  z.strictObject({ kind: z.literal('reopened'), reopens: z.number().int().min(0), ...ticket }),
  z.strictObject({
    kind: z.literal('classified'),
    category: Label,
    sentiment: Sentiment.optional(),
    tags: z.array(Label).max(100).optional(),
    ...ticket,
  }),
  z.strictObject({ kind: z.literal('asks_for_manager'), ...ticket }),
  z.strictObject({
    kind: z.literal('remedy_requested'),
    remedy: RemedyAuthority,
    amount: z.number().min(0),
    ...ticket,
  }),
]);
export type EscalationInput = z.output<typeof EscalationInput>;
export type EscalationInputRaw = z.input<typeof EscalationInput>;

/**
 * What an escalation policy may decide: the fields of an {@link EscalationAction} the lifecycle
 * needs (an action of {@link evaluateEscalation} is a decision).
 */
export type EscalationDecision =
  | { readonly type: 'escalate'; readonly toTier: number; readonly reason: string }
  | { readonly type: 'notify'; readonly role: string; readonly reason: string }
  | { readonly type: 'raise_priority'; readonly to: Priority; readonly reason: string };
