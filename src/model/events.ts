import { z } from 'zod';
import { Channel, Priority, Sentiment, SettableStatus, SurveyKind } from './enums.js';
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
/**
 * A message's identity for as long as it lives: the ticket it was first written to and its event
 * id there. A merge or a split moves a message, never renames it.
 */
export const MessageRef = z.strictObject({ ticketId: Id, eventId: Id });
export type MessageRef = z.infer<typeof MessageRef>;
/** The most messages one relation event names (a merge or split of a longer thread takes several). */
export const MAX_MESSAGES_PER_EVENT = 1000;
/** A side conversation's id, unique within its ticket. */
const SideId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
  message: 'must be a side conversation id: letters, digits, `_ . : -`, at most 64',
});
/** A third party in a side conversation (a supplier, a carrier, a warehouse), or an agent. */
export const SideParticipant = z.strictObject({
  id: Id,
  name: Text.optional(),
  /** What the participant is to the business: `supplier`, `carrier`, `warehouse`, `agent`... */
  kind: Label.optional(),
  /** Where the host reaches them (an address, a channel id); carekit never sends. */
  address: Text.optional(),
});
export type SideParticipant = z.infer<typeof SideParticipant>;
/** The status of a side conversation. */
export const SideStatus = z.enum(['open', 'waiting', 'closed']);
export type SideStatus = z.infer<typeof SideStatus>;

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
    /** How the first message feels, as the classifier read it (escalation rules may act on it). */
    sentiment: Sentiment.optional(),
    language: Locale.optional(),
    /** Who opened it: the customer (default), an agent on the customer's behalf, or automation (outreach). */
    origin: z.enum(['customer', 'agent', 'system']).optional(),
    /** The agent who opened it, when `origin` is `agent`. */
    agentId: Id.optional(),
    /** The ticket this one follows up (a reply to a closed ticket opens a linked follow-up). */
    followUpOf: Id.optional(),
    /** The id of the contact in the system it came from (mail Message-ID, chat id). */
    externalId: z.string().min(1).max(1000).optional(),
    /**
     * The ticket this one was split from, and the identity of the message that opens it (the first
     * message chosen); the other chosen messages follow as `message.moved`.
     */
    splitFrom: z.strictObject({ ticketId: Id, message: MessageRef, writtenAt: Instant }).optional(),
    /** The parent ticket, when this one is opened as its child (work handed to another team). */
    parentId: Id.optional(),
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
    /** How the message feels, as the classifier read it (escalation rules may act on it). */
    sentiment: Sentiment.optional(),
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
  'message.moved': z.strictObject({
    type: z.literal('message.moved'),
    ...base,
    /** The ticket the message moved from (a merge's source, a split's original). */
    from: Id,
    /** The message's identity (where it was first written), kept through every move. */
    message: MessageRef,
    author: z.enum(['customer', 'agent']),
    agentId: Id.optional(),
    body: Body,
    /** False for an internal reply or note. Default `true`. */
    public: z.boolean().optional(),
    channel: Channel.optional(),
    /** When the message was written (its original `at`): the thread is in this order. */
    writtenAt: Instant,
    by: By.optional(),
  }),
  'ticket.merged_from': z.strictObject({
    type: z.literal('ticket.merged_from'),
    ...base,
    /** The source ticket whose thread moved in (its messages are the `message.moved` before this). */
    source: Id,
    /** How many messages came with it. */
    moved: z.number().int().min(0),
    by: By.optional(),
  }),
  'ticket.split': z.strictObject({
    type: z.literal('ticket.split'),
    ...base,
    /** The new ticket the messages now live in. */
    into: Id,
    /** The messages that left this ticket's thread. */
    messages: z.array(MessageRef).min(1).max(MAX_MESSAGES_PER_EVENT),
    by: By.optional(),
  }),
  'ticket.parent_set': z.strictObject({
    type: z.literal('ticket.parent_set'),
    ...base,
    /** The parent ticket, or `null` to detach the ticket from its parent. */
    parentId: Id.nullable(),
    by: By.optional(),
  }),
  'ticket.child_changed': z.strictObject({
    type: z.literal('ticket.child_changed'),
    ...base,
    childId: Id,
    /** `open` while the child is live, `done` once solved, closed or merged, `unlinked` when it leaves. */
    state: z.enum(['open', 'done', 'unlinked']),
    by: By.optional(),
  }),
  'side.opened': z.strictObject({
    type: z.literal('side.opened'),
    ...base,
    sideId: SideId,
    subject: z.string().max(MAX_SUBJECT_LENGTH),
    participants: z.array(SideParticipant).min(1).max(50),
    /** The agent who starts it, and the first message to the third party. */
    agentId: Id,
    body: Body,
    /**
     * The internal target (an OLA) in calendar milliseconds: the third party should answer within
     * it. Absent: the side conversation has no clock.
     */
    targetMs: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 3_600_000)
      .optional(),
  }),
  'side.replied': z.strictObject({
    type: z.literal('side.replied'),
    ...base,
    sideId: SideId,
    /** `out`: an agent wrote to the third party; `in`: a participant answered. */
    direction: z.enum(['in', 'out']),
    /** The agent (out) or participant (in) who wrote. */
    from: Id,
    body: Body,
  }),
  'side.status_set': z.strictObject({
    type: z.literal('side.status_set'),
    ...base,
    sideId: SideId,
    status: SideStatus,
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
  events['message.moved'],
  events['ticket.merged_from'],
  events['ticket.split'],
  events['ticket.parent_set'],
  events['ticket.child_changed'],
  events['side.opened'],
  events['side.replied'],
  events['side.status_set'],
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
/** The event of one type as a producer writes it: `TicketEventInputOf<'ticket.opened'>`. */
export type TicketEventInputOf<T extends TicketEventType> = Extract<TicketEventInput, { type: T }>;
