import type { TicketEvent, TicketStatus } from '../model/index.js';

/**
 * The status a ticket reaches after an event when the lifecycle does not say: a public reply
 * or an assignment opens a new ticket, a reply may set the status, a customer reply reopens a
 * pending, on-hold or solved ticket, closing or marking spam closes it, merging merges it.
 *
 * @example
 * ```ts
 * nextTicketStatus('pending', { type: 'customer.replied', id: 'e2', ticketId: 't1', at: 0, body: 'Hi?' });
 * //=> 'open'
 * ```
 */
export function nextTicketStatus(before: TicketStatus, event: TicketEvent): TicketStatus {
  if (before === 'closed' || before === 'merged') return before;
  switch (event.type) {
    case 'agent.replied':
      return event.status ?? (before === 'new' && event.public !== false ? 'open' : before);
    case 'ticket.assigned':
      return before === 'new' && event.agentId !== null ? 'open' : before;
    case 'customer.replied':
      return before === 'pending' || before === 'on_hold' || before === 'solved' ? 'open' : before;
    case 'ticket.status_set':
      return event.status;
    case 'ticket.closed':
    case 'ticket.marked_spam':
      return 'closed';
    case 'ticket.merged':
      return 'merged';
    default:
      return before;
  }
}
