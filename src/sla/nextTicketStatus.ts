import { checkOneOf } from '../model/arguments.js';
import { isFinalStatus, type TicketEvent, TicketStatus } from '../model/index.js';
import { checkEvent } from './options.js';

/**
 * The status a ticket reaches after an event when the lifecycle does not say: a public reply
 * or an assignment opens a new ticket, a reply may set the status, a customer reply reopens a
 * pending, on-hold or solved ticket, closing or marking spam closes it, merging merges it.
 *
 * @throws {@link "carekit/model"!CarekitArgumentError | CarekitArgumentError} `invalid_status` when `before` is not a
 * ticket status, `invalid_event` when `event` is not a parsed ticket event.
 * @example
 * ```ts
 * nextTicketStatus('pending', { type: 'customer.replied', id: 'e2', ticketId: 't1', at: 0, body: 'Hi?' });
 * //=> 'open'
 * ```
 */
export function nextTicketStatus(before: TicketStatus, event: TicketEvent): TicketStatus {
  checkOneOf(before, TicketStatus.options, 'nextTicketStatus', ['before'], 'invalid_status');
  checkEvent(event, 'nextTicketStatus');
  return statusAfterEvent(before, event);
}

/** {@link nextTicketStatus} without the argument checks, for callers that made them. @internal */
export function statusAfterEvent(before: TicketStatus, event: TicketEvent): TicketStatus {
  if (isFinalStatus(before)) return before;
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
