import { z } from 'zod';
import { Channel, Priority, SettableStatus, SurveyKind } from './enums.js';
import { FieldId, FieldValueInput } from './fields.js';
import {
  Id,
  Instant,
  Label,
  Locale,
  MAX_BODY_LENGTH,
  MAX_SUBJECT_LENGTH,
  MAX_TEXT_LENGTH,
  Meta,
  Text,
} from './primitives.js';
import { Customer, checkSurveyScore } from './records.js';

const base = {
  /** Unique per ticket; a repeated id is ignored (at-least-once delivery). */
  id: Id,
  ticketId: Id,
  /** When it happened: ISO 8601 with an offset, or epoch ms. Parsed to epoch ms. */
  at: Instant,
  /**
   * The time the sender stamped when it differs from `at`: the desk applies an event stamped
   * before the ticket's last event at that last instant, and one stamped too far ahead at its own
   * clock, keeping the sender's time here (the time rule, see docs/desk.md).
   */
  sentAt: Instant.optional(),
  /** Integrator data carried along untouched. */
  meta: Meta.optional(),
};

const Body = z.string().max(MAX_BODY_LENGTH);
/** Milliseconds of agent work this event stands for (for handle time). */
const WorkMs = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3_600_000);
const Tier = z.number().int().min(1).max(100);

/**
 * Who made a change: a person's or a system's id, or `{ rule }` when a business rule (a trigger,
 * an automation or a macro of `carekit/rules`) made it. Replaying a log with rule events gives the
 * same ticket without running the rules again.
 */
export const By = z.union([Id, z.strictObject({ rule: Id })]);
export type By = z.infer<typeof By>;
/** A custom status id (see `defineStatuses`); the event's `status` is then its category. */
const CustomStatusId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, {
  message: 'must be a custom status id: a lowercase identifier',
});

const events = {
  'ticket.opened': z.strictObject({
    type: z.literal('ticket.opened'),
    ...base,
    channel: Channel,
    subject: z.string().max(MAX_SUBJECT_LENGTH),
    body: Body,
    customer: Customer,
    priority: Priority.optional(),
    category: Label.optional(),
    tags: z.array(Label).max(100).optional(),
    language: Locale.optional(),
    /** Who opened it: the customer (default), an agent on the customer's behalf, or automation (outreach). */
    origin: z.enum(['customer', 'agent', 'system']).optional(),
    /** The agent who opened it, when `origin` is `agent`. */
    agentId: Id.optional(),
    /** The ticket this one follows up (a reply to a closed ticket opens a linked follow-up). */
    followUpOf: Id.optional(),
    /** The id of the contact in the system it came from (mail Message-ID, chat id). */
    externalId: z.string().min(1).max(1000).optional(),
  }),
  'customer.replied': z.strictObject({
    type: z.literal('customer.replied'),
    ...base,
    body: Body,
    channel: Channel.optional(),
  }),
  'agent.replied': z.strictObject({
    type: z.literal('agent.replied'),
    ...base,
    agentId: Id,
    body: Body,
    /** A public reply reaches the customer; `false` makes it an internal reply. Default `true`. */
    public: z.boolean().optional(),
    /** Set the status in the same step: reply-and-pend, reply-and-solve. */
    status: SettableStatus.optional(),
    /** A custom status of the desk to set with `status` (its category). */
    customStatus: CustomStatusId.optional(),
    /** The reply was written by a bot, not a person. */
    bot: z.boolean().optional(),
    workMs: WorkMs.optional(),
    /** `{ rule }` when a macro's reply: the agent applied the macro, the macro wrote the reply. */
    by: By.optional(),
  }),
  'agent.noted': z.strictObject({
    type: z.literal('agent.noted'),
    ...base,
    agentId: Id,
    body: Body,
    workMs: WorkMs.optional(),
  }),
  'ticket.assigned': z.strictObject({
    type: z.literal('ticket.assigned'),
    ...base,
    /** The new assignee, or `null` to unassign. */
    agentId: Id.nullable(),
    tier: Tier.optional(),
    /**
     * With `agentId: null`, moves the ticket into a named queue (`bot` while an assistant holds
     * it, `review`...) or, with `null`, out of its queue. Assigning an agent leaves every queue.
     */
    queue: Label.nullable().optional(),
    by: By.optional(),
  }),
  'ticket.status_set': z.strictObject({
    type: z.literal('ticket.status_set'),
    ...base,
    /** The lifecycle status; with `customStatus`, the custom status's category. */
    status: SettableStatus,
    /** A custom status of the desk (see `defineStatuses`). */
    customStatus: CustomStatusId.optional(),
    by: By.optional(),
  }),
  'ticket.reprioritized': z.strictObject({
    type: z.literal('ticket.reprioritized'),
    ...base,
    priority: Priority,
    by: By.optional(),
    reason: Text.optional(),
  }),
  'ticket.categorized': z.strictObject({
    type: z.literal('ticket.categorized'),
    ...base,
    category: Label,
    tags: z.array(Label).max(100).optional(),
    confidence: z.number().min(0).max(1).optional(),
    by: By.optional(),
  }),
  'ticket.escalated': z.strictObject({
    type: z.literal('ticket.escalated'),
    ...base,
    tier: Tier,
    reason: z.string().min(1).max(MAX_TEXT_LENGTH),
    by: By.optional(),
  }),
  'ticket.merged': z.strictObject({
    type: z.literal('ticket.merged'),
    ...base,
    into: Id,
    by: By.optional(),
  }),
  'ticket.closed': z.strictObject({
    type: z.literal('ticket.closed'),
    ...base,
    by: By.optional(),
    reason: Text.optional(),
  }),
  'ticket.marked_spam': z.strictObject({
    type: z.literal('ticket.marked_spam'),
    ...base,
    by: By.optional(),
  }),
  'ticket.fields_set': z.strictObject({
    type: z.literal('ticket.fields_set'),
    ...base,
    /** A partial update: each named field gets the value, `null` clears it; others are kept. */
    fields: z.record(FieldId, FieldValueInput).refine((f) => Object.keys(f).length > 0, {
      message: 'must set at least one field',
      params: { code: 'too_small' },
    }),
    by: By.optional(),
  }),
  'ticket.tagged': z.strictObject({
    type: z.literal('ticket.tagged'),
    ...base,
    add: z.array(Label).max(100).optional(),
    remove: z.array(Label).max(100).optional(),
    by: By.optional(),
  }),
  'macro.applied': z.strictObject({
    type: z.literal('macro.applied'),
    ...base,
    macroId: Id,
    agentId: Id,
    /** The macro's reply as the host rendered it from the macro's template, if it has one. */
    body: Body.optional(),
  }),
  'survey.answered': z
    .strictObject({
      type: z.literal('survey.answered'),
      ...base,
      survey: SurveyKind,
      score: z.number().int(),
      comment: z.string().max(MAX_TEXT_LENGTH).optional(),
    })
    .superRefine(checkSurveyScore),
  'clock.tick': z.strictObject({
    type: z.literal('clock.tick'),
    ...base,
  }),
} as const;

/** Every event type, in the order DESIGN.md lists them (the business-rule events before surveys). */
export const TICKET_EVENT_TYPES = Object.keys(events) as TicketEventType[];

/** The schema of each event type, keyed by `type`. */
export const ticketEventSchemas = events;

/**
 * Everything that can happen to a ticket, as a union discriminated by `type`.
 * Objects are strict: an unknown key is an error (integrator data goes under `meta`).
 */
export const TicketEvent = z.discriminatedUnion('type', [
  events['ticket.opened'],
  events['customer.replied'],
  events['agent.replied'],
  events['agent.noted'],
  events['ticket.assigned'],
  events['ticket.status_set'],
  events['ticket.reprioritized'],
  events['ticket.categorized'],
  events['ticket.escalated'],
  events['ticket.merged'],
  events['ticket.closed'],
  events['ticket.marked_spam'],
  events['ticket.fields_set'],
  events['ticket.tagged'],
  events['macro.applied'],
  events['survey.answered'],
  events['clock.tick'],
]);
/** A parsed event: `at` is epoch milliseconds. */
export type TicketEvent = z.output<typeof TicketEvent>;
/** An event as written by a producer: `at` may be an ISO string. */
export type TicketEventInput = z.input<typeof TicketEvent>;
/** The `type` of a ticket event. */
export type TicketEventType = TicketEvent['type'];
/** The parsed event of one type: `TicketEventOf<'agent.replied'>`. */
export type TicketEventOf<T extends TicketEventType> = Extract<TicketEvent, { type: T }>;
