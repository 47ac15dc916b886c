import { z } from 'zod';

/**
 * Where a contact came from. `marketplace` is a message through a marketplace storefront
 * (the marketplace relays it); `web_form` a contact form on the business's own site.
 */
export const Channel = z.enum(['email', 'chat', 'phone', 'social', 'web_form', 'marketplace', 'sms']);
export type Channel = z.infer<typeof Channel>;

/** How a contact's text feels, as a classifier reads it: escalation rules can act on it (an angry customer goes up a tier). */
export const Sentiment = z.enum(['negative', 'neutral', 'positive']);
export type Sentiment = z.infer<typeof Sentiment>;

/** Ticket priority, lowest first. The order of `Priority.options` is the order of urgency. */
export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;

/**
 * A priority's rank in the order of urgency (`low` 0 … `urgent` 3), for comparing two priorities.
 *
 * @example
 * ```ts
 * priorityRank('high') > priorityRank('normal');
 * //=> true
 * ```
 */
export function priorityRank(priority: Priority): number {
  return Priority.options.indexOf(priority);
}

/**
 * The lifecycle status of a ticket.
 * - `new`: nobody has acted on it yet.
 * - `open`: the team owes the next step.
 * - `pending`: waiting on the customer.
 * - `on_hold`: waiting on a third party (carrier, supplier, another team).
 * - `solved`: the team considers it done; the customer may still reopen it.
 * - `closed`: final; nothing but survey answers is accepted.
 * - `merged`: final; folded into another ticket.
 */
export const TicketStatus = z.enum(['new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'merged']);
export type TicketStatus = z.infer<typeof TicketStatus>;

/**
 * The final statuses: a ticket in one accepts nothing more but survey answers (`closed`, `merged`).
 * A customer message to such a ticket opens a follow-up.
 */
export const FINAL_STATUSES = ['closed', 'merged'] as const satisfies readonly TicketStatus[];
/** A final status (see {@link FINAL_STATUSES}). */
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/**
 * The resolved statuses: the team owes nothing more (`solved`, `closed`, `merged`). A ticket in any
 * other status is open work for reports, check-ins and a parent's children.
 */
export const RESOLVED_STATUSES = ['solved', 'closed', 'merged'] as const satisfies readonly TicketStatus[];
/** A resolved status (see {@link RESOLVED_STATUSES}). */
export type ResolvedStatus = (typeof RESOLVED_STATUSES)[number];

/**
 * Whether a status is final (`closed` or `merged`): nothing but survey answers is accepted.
 *
 * @example
 * ```ts
 * isFinalStatus('merged');
 * //=> true
 * isFinalStatus('solved');
 * //=> false
 * ```
 */
export function isFinalStatus(status: string): status is FinalStatus {
  return status === 'closed' || status === 'merged';
}

/**
 * Whether a status is resolved (`solved`, `closed` or `merged`): the team owes nothing more.
 *
 * @example
 * ```ts
 * isResolvedStatus('solved');
 * //=> true
 * isResolvedStatus('on_hold');
 * //=> false
 * ```
 */
export function isResolvedStatus(status: string): status is ResolvedStatus {
  return status === 'solved' || isFinalStatus(status);
}

/**
 * The SLA clocks, in the order reports list them: first reply, next reply, periodic update,
 * resolution. `carekit/sla` measures them; custom statuses, rules, escalation and reports name them.
 */
export const SlaClock = z.enum(['firstReply', 'nextReply', 'periodicUpdate', 'resolution']);
export type SlaClock = z.infer<typeof SlaClock>;
/** The SLA clock names as a list (`SlaClock.options`). */
export const SLA_CLOCKS: readonly SlaClock[] = SlaClock.options;

/** The statuses an agent may set directly (by a reply or a status change). */
export const SettableStatus = z.enum(['open', 'pending', 'on_hold', 'solved']);
export type SettableStatus = z.infer<typeof SettableStatus>;

/** Whether an agent can take work now. */
export const Availability = z.enum(['available', 'busy', 'away', 'offline']);
export type Availability = z.infer<typeof Availability>;

/** The kinds of satisfaction survey: CSAT (1..5), NPS (0..10), CES (1..7). */
export const SurveyKind = z.enum(['csat', 'nps', 'ces']);
export type SurveyKind = z.infer<typeof SurveyKind>;

/** Score range of each survey kind, inclusive. */
export const SURVEY_SCALES: Readonly<Record<SurveyKind, { readonly min: number; readonly max: number }>> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  ces: { min: 1, max: 7 },
};

/** Who performed an action: the customer, an agent, a bot, or the system (automation). */
export const ActorKind = z.enum(['customer', 'agent', 'bot', 'system']);
export type ActorKind = z.infer<typeof ActorKind>;
