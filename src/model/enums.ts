import { z } from 'zod';

/**
 * Where a contact came from. `marketplace` is a message through a marketplace storefront
 * (the marketplace relays it); `web_form` a contact form on the business's own site.
 */
export const Channel = z.enum(['email', 'chat', 'phone', 'social', 'web_form', 'marketplace', 'sms']);
export type Channel = z.infer<typeof Channel>;

/** Ticket priority, lowest first. The order of `Priority.options` is the order of urgency. */
export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;

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
