import { CarekitError, Id, parseInput } from '../../../model/index.js';
import type { WorkflowErrorCode } from '../../errors.js';
import type { DeskDeps } from '../deps.js';
import { hash64, InboundContact, type InboundContactInput, messageKey } from '../inbound.js';
import type { DeskResult } from '../types.js';
import { deliver } from './handle.js';
import { defaultTicketId, openTicket } from './open.js';

/**
 * Takes an inbound contact: deduplicates it by channel and id, threads it onto the ticket of a
 * message it answers (the same customer's), or opens a new ticket. A contact whose id another
 * customer's message already has is not that message: it is taken as a contact of its own.
 */
export async function receive(deps: DeskDeps, input: InboundContactInput | unknown): Promise<DeskResult> {
  const contact = parseInput(InboundContact, input, 'inbound contact');
  await deps.ready();
  const customerId = contact.customer.id;
  let key = messageKey(contact.channel, contact.externalId);
  for (let round = 0; round < 2; round++) {
    const holder = await deps.store.findByExternalId(key);
    if (holder === null) break;
    const stored = await deps.loader.load(holder);
    if (stored && stored.customerId === customerId) {
      return {
        ticket: deps.workflow(stored.workflowKey).view(stored.snapshot),
        effects: [],
        duplicate: true,
        warnings: [],
      };
    }
    // Another customer's message has this id: never answer with their ticket.
    key = `${messageKey(contact.channel, contact.externalId)}#${hash64(customerId)}`;
  }
  const now = deps.options.clock();
  const late = contact.at > now + deps.options.maxClockSkewMs;
  const at = late ? now : contact.at;
  const thread = await threadOf(deps, contact, customerId);
  if (thread !== null) {
    return deliver(
      deps,
      {
        type: 'customer.replied',
        id: `msg-${hash64(key)}`,
        ticketId: thread,
        at,
        ...(late ? { sentAt: contact.at } : {}),
        body: contact.body,
        channel: contact.channel,
        meta: { ...(contact.meta ?? {}), externalId: contact.externalId },
      },
      key,
    );
  }
  // A follow-up the host asks for links to a ticket of the same customer only.
  const linked = contact.followUpOf === undefined ? null : await deps.loader.load(contact.followUpOf);
  const followUpOf = linked !== null && linked.customerId === customerId ? linked.ticketId : undefined;
  const preferred = deps.options.ticketId?.(contact) ?? defaultTicketId(key);
  if (!Id.safeParse(preferred).success) {
    throw new CarekitError<WorkflowErrorCode>(
      'invalid_ticket_id',
      `the ticketId option returned ${JSON.stringify(preferred).slice(0, 80)}, not an id (a string of 1 to 256 characters)`,
    );
  }
  const opened = await openTicket(deps, {
    key,
    channel: contact.channel,
    customer: contact.customer,
    subject: contact.subject,
    body: contact.body,
    at,
    ...(late ? { sentAt: contact.at } : {}),
    ...(contact.language ? { language: contact.language } : {}),
    ...(contact.tags ? { tags: contact.tags } : {}),
    ...(contact.priority ? { priority: contact.priority } : {}),
    ...(contact.meta ? { meta: contact.meta } : {}),
    ...(followUpOf ? { followUpOf } : {}),
    preferredId: preferred,
    keyIsExternalId: true,
  });
  // Neither `taken` (a free id is looked for) nor `stale` (nothing is copied) is expected here.
  if (!('result' in opened))
    throw new CarekitError<WorkflowErrorCode>('ticket_id_taken', `the ticket id ${preferred} is taken`);
  return opened.result;
}

/** The ticket a contact answers: the first of `inReplyTo` and `references` the desk has seen, the same customer's. */
async function threadOf(deps: DeskDeps, contact: InboundContact, customerId: string): Promise<string | null> {
  const keys = [contact.inReplyTo, ...(contact.references ?? [])].filter((k): k is string => k !== undefined);
  for (const id of keys) {
    const ticketId = await deps.store.findByExternalId(messageKey(contact.channel, id));
    if (ticketId === null) continue;
    const stored = await deps.loader.load(ticketId);
    if (stored && stored.customerId === customerId) return ticketId;
  }
  return null;
}
