import { z } from 'zod';
import { Channel, Id, MAX_BODY_LENGTH, MAX_ID_LENGTH, Priority, SurveyKind } from '../../model/index.js';

/** An effect's id or cause: built from ids (`<ticketId>/<causedBy>/<type>/<n>`), so longer than one id. */
const EffectRef = z
  .string()
  .min(1)
  .max(4 * MAX_ID_LENGTH);
/** An instant as epoch milliseconds (effects are produced by carekit, so never an ISO string). */
const EpochMs = z.number().int().min(-8.64e15).max(8.64e15);
const Tier = z.number().int().min(1).max(100);
const Reason = z.string().max(MAX_BODY_LENGTH);

/** The fields every effect has: its id, its ticket, when and why. */
export const effectBase = {
  /**
   * Unique and stable: `<ticketId>/<causedBy>/<type>/<n>`, `n` counting the effects of that type
   * the same event caused. The same event applied to the same snapshot gives the same ids; an
   * outbox and its receivers deduplicate by it.
   */
  id: EffectRef,
  ticketId: Id,
  /** The instant of the event that caused the effect (epoch ms). */
  at: EpochMs,
  /** Id of the event that caused it. */
  causedBy: EffectRef,
};

/** Why a `notify` effect was made. */
export const NotifyReason = z.enum([
  'sla_warning',
  'sla_breach',
  'escalation',
  'blocked_customer',
  'reopened',
  'low_survey_score',
  'rule',
  /** A side conversation's internal target passed without the third party's answer. */
  'side_overdue',
  /** A child ticket was solved, closed or merged (to the parent's assignee). */
  'child_done',
]);
/**
 * Why a `notify` effect was made: an SLA `sla_warning` or `sla_breach`, an `escalation`, a
 * `blocked_customer`'s ticket sent to review, a ticket `reopened`, a `low_survey_score`, a business
 * `rule`, a side conversation overdue (`side_overdue`), a child ticket done (`child_done`, to the
 * parent's assignee).
 */
export type NotifyReason = z.infer<typeof NotifyReason>;

/** Tell a person or a role about the ticket. */
export const NotifyEffect = z
  .strictObject({
    type: z.literal('notify'),
    ...effectBase,
    /** An agent id, or a role such as `assignee`, `team_lead`, `tier:2`. */
    to: Id,
    reason: NotifyReason,
    message: z.string().max(MAX_BODY_LENGTH),
  })
  .readonly();
/** Tell a person or a role about the ticket. */
export type NotifyEffect = z.infer<typeof NotifyEffect>;

/** Send a rendered template to the customer. */
export const SendTemplateEffect = z
  .strictObject({
    type: z.literal('send_template'),
    ...effectBase,
    templateId: Id,
    customerId: Id,
    channel: Channel,
  })
  .readonly();
/** Send a rendered template to the customer. */
export type SendTemplateEffect = z.infer<typeof SendTemplateEffect>;

/** Ask the host's router for an assignee. */
export const RouteEffect = z
  .strictObject({
    type: z.literal('route'),
    ...effectBase,
    tier: Tier,
    /** A queue name when the ticket must go to a special queue (`review` for blocked customers). */
    queue: Id.nullable(),
    reason: Reason,
  })
  .readonly();
/** Ask the host's router for an assignee. */
export type RouteEffect = z.infer<typeof RouteEffect>;

/** The ticket moved from one tier to another. */
export const EscalateEffect = z
  .strictObject({
    type: z.literal('escalate'),
    ...effectBase,
    fromTier: Tier,
    toTier: Tier,
    reason: Reason,
    priority: Priority,
  })
  .readonly();
/** The ticket moved from one tier to another. */
export type EscalateEffect = z.infer<typeof EscalateEffect>;

/** Send a satisfaction survey. */
export const RequestSurveyEffect = z
  .strictObject({
    type: z.literal('request_survey'),
    ...effectBase,
    survey: SurveyKind,
    customerId: Id,
    reminder: z.boolean(),
  })
  .readonly();
/** Send a satisfaction survey. */
export type RequestSurveyEffect = z.infer<typeof RequestSurveyEffect>;

/** Open a new ticket that follows up this closed one, carrying the customer's message. */
export const OpenFollowUpEffect = z
  .strictObject({
    type: z.literal('open_follow_up'),
    ...effectBase,
    customerId: Id,
    body: z.string().max(MAX_BODY_LENGTH),
    channel: Channel,
  })
  .readonly();
/** Open a new ticket that follows up this closed one, carrying the customer's message. */
export type OpenFollowUpEffect = z.infer<typeof OpenFollowUpEffect>;

/**
 * Something the host must do after an event was applied. carekit never sends mail or calls a
 * network; it returns effects as data and the host performs them (an outbox). The schema is the
 * source of the type; `parseEffect` validates an effect read back from an outbox.
 *
 * | type | when | what the host does |
 * |---|---|---|
 * | `notify` | SLA warning or breach, a hierarchical escalation, a blocked customer's ticket sent to review, a business rule's `notify` action | tell the named agent or role |
 * | `send_template` | an acknowledgement or notice the policy asks for, a business rule's `send_template` action | render the template and send it to the customer |
 * | `route` | the ticket needs an assignee for its tier or queue (opened, escalated, sent to review) | run the router and emit `ticket.assigned` |
 * | `escalate` | the escalation policy moved the ticket up a tier | record it, usually followed by `route` |
 * | `request_survey` | the survey policy says it is time | send the survey |
 * | `open_follow_up` | a customer wrote to a solved ticket after the reopen window | open a new ticket linked to this one |
 */
export const TicketEffect = z.discriminatedUnion('type', [
  NotifyEffect,
  SendTemplateEffect,
  RouteEffect,
  EscalateEffect,
  RequestSurveyEffect,
  OpenFollowUpEffect,
]);
/** Something the host must do after an event was applied (see the schema of the same name). */
export type TicketEffect = z.infer<typeof TicketEffect>;

/** An effect before the lifecycle gives it its id (what the rules produce). */
export type EffectDraft = TicketEffect extends infer E
  ? E extends TicketEffect
    ? Omit<E, 'id'>
    : never
  : never;

/**
 * Gives each draft its id: `<ticketId>/<causedBy>/<type>/<n>`, `n` counting the drafts of that
 * type and cause before it in the list. Stable: the same drafts in the same order get the same ids.
 *
 * The id is written into each draft, which becomes the effect (the key order is the one a copy
 * `{ ...draft, id }` has), and the same array is returned: the drafts are the lifecycle's own,
 * made for this call and never seen before it, so a replay makes no copy per effect.
 */
export function identifyEffects(drafts: EffectDraft[]): TicketEffect[] {
  const seen = new Map<string, number>();
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i] as EffectDraft & { id?: string };
    const key = `${draft.ticketId}/${draft.causedBy}/${draft.type}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    draft.id = `${key}/${n}`;
  }
  return drafts as TicketEffect[];
}
