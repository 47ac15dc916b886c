import { z } from 'zod';
import { Channel, Customer, Id, Instant, Label, Locale, Meta, Priority } from '../../model/index.js';

const MessageId = z.string().min(1).max(1000);

/** An inbound contact from any channel: what `desk.receive` takes. */
export const InboundContact = z.strictObject({
  /**
   * The contact's id in the system it came from (mail Message-ID, chat id): with the channel,
   * the deduplication key (the same id on another channel is another contact).
   */
  externalId: MessageId,
  channel: Channel,
  customer: Customer,
  subject: z.string().max(998).default(''),
  body: z.string().max(200_000),
  at: Instant,
  language: Locale.optional(),
  tags: z.array(Label).max(100).optional(),
  priority: Priority.optional(),
  meta: Meta.optional(),
  /** The ticket this contact follows up (the host knows it: a reply-to address, a form field). */
  followUpOf: Id.optional(),
  /** The message this one answers (mail `In-Reply-To`): any message id the desk has seen. */
  inReplyTo: MessageId.optional(),
  /** Earlier messages of the thread (mail `References`), tried after `inReplyTo`. */
  references: z.array(MessageId).max(100).optional(),
});
export type InboundContact = z.output<typeof InboundContact>;
export type InboundContactInput = z.input<typeof InboundContact>;

/** The store key of a message: scoped by channel, so ids of two systems never meet. */
export function messageKey(channel: string, messageId: string): string {
  return `${channel}:${messageId}`;
}

/** The store key of a customer message that came as an event (`customer.replied` through `handle`). */
export function eventKey(ticketId: string, eventId: string): string {
  return `event:${ticketId}:${eventId}`;
}

/** A 64-bit FNV-style hash in hex: short, stable ticket ids from external ids. */
export function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** How many ids the desk tries for a new ticket before it gives up with `ticket_id_taken`. */
export const TICKET_ID_ATTEMPTS = 50;

/** The n-th candidate id (from 0) for a new ticket whose preferred id is `base`. */
export function candidateId(base: string, n: number): string {
  return n === 0 ? base : `${base}-${n + 1}`;
}

/** The id of the n-th follow-up (from 1) of a closed ticket. */
export function followUpId(ticketId: string, n: number): string {
  return `${ticketId}~F${n}`;
}
