// Builders of parsed ticket events for the SLA tests: only the fields the engine reads vary.
import type { Priority, SettableStatus, TicketEvent, TicketEventOf } from '../../src/model/index.js';

let counter = 0;
const base = (at: number) => ({ id: `e${++counter}`, ticketId: 't1', at });

/** Epoch ms of a UTC wall time written `2025-03-10T09:00`. */
export const utc = (wall: string): number => Date.parse(`${wall}:00Z`);

export const opened = (
  at: number,
  extra: Partial<Pick<TicketEventOf<'ticket.opened'>, 'priority' | 'origin' | 'category'>> = {},
): TicketEventOf<'ticket.opened'> => ({
  type: 'ticket.opened',
  ...base(at),
  channel: 'email',
  subject: 'Where is my order?',
  body: 'It has not arrived.',
  customer: { id: 'c1' },
  ...extra,
});

export const customerReplied = (at: number): TicketEvent => ({
  type: 'customer.replied',
  ...base(at),
  body: 'Any news?',
});

export const agentReplied = (
  at: number,
  extra: { status?: SettableStatus; public?: boolean; bot?: boolean } = {},
): TicketEvent => ({ type: 'agent.replied', ...base(at), agentId: 'a1', body: 'Looking into it.', ...extra });

export const statusSet = (at: number, status: SettableStatus): TicketEvent => ({
  type: 'ticket.status_set',
  ...base(at),
  status,
});

export const reprioritized = (at: number, priority: Priority): TicketEvent => ({
  type: 'ticket.reprioritized',
  ...base(at),
  priority,
});

export const closed = (at: number): TicketEvent => ({ type: 'ticket.closed', ...base(at) });
export const merged = (at: number): TicketEvent => ({ type: 'ticket.merged', ...base(at), into: 't0' });
export const markedSpam = (at: number): TicketEvent => ({ type: 'ticket.marked_spam', ...base(at) });
export const tick = (at: number): TicketEvent => ({ type: 'clock.tick', ...base(at) });
