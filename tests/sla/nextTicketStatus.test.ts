// nextTicketStatus over every status and every event that moves one: a table written from the
// lifecycle's rules (docs/lifecycle.md), not from the code.
import { describe, expect, it } from 'vitest';
import type { TicketEvent, TicketStatus } from '../../src/model/index.js';
import { nextTicketStatus } from '../../src/sla/index.js';
import {
  agentReplied,
  closed,
  customerReplied,
  markedSpam,
  merged,
  statusSet,
  tick,
} from './ticketEvents.js';

const assigned = (agentId: string | null): TicketEvent => ({
  type: 'ticket.assigned',
  id: `assign-${agentId}`,
  ticketId: 't1',
  at: 1,
  agentId,
});

const events: Record<string, TicketEvent> = {
  'public reply': agentReplied(1),
  'private reply': agentReplied(1, { public: false }),
  'reply that pends': agentReplied(1, { status: 'pending' }),
  'assigned to an agent': assigned('a1'),
  unassigned: assigned(null),
  'customer reply': customerReplied(1),
  'status set to on hold': statusSet(1, 'on_hold'),
  closed: closed(1),
  spam: markedSpam(1),
  merged: merged(1),
  tick: tick(1),
};

// The status after each event, from each status before it.
const table: Record<Exclude<TicketStatus, 'closed' | 'merged'>, Record<keyof typeof events, TicketStatus>> = {
  new: {
    'public reply': 'open',
    'private reply': 'new',
    'reply that pends': 'pending',
    'assigned to an agent': 'open',
    unassigned: 'new',
    'customer reply': 'new',
    'status set to on hold': 'on_hold',
    closed: 'closed',
    spam: 'closed',
    merged: 'merged',
    tick: 'new',
  },
  open: {
    'public reply': 'open',
    'private reply': 'open',
    'reply that pends': 'pending',
    'assigned to an agent': 'open',
    unassigned: 'open',
    'customer reply': 'open',
    'status set to on hold': 'on_hold',
    closed: 'closed',
    spam: 'closed',
    merged: 'merged',
    tick: 'open',
  },
  pending: {
    'public reply': 'pending',
    'private reply': 'pending',
    'reply that pends': 'pending',
    'assigned to an agent': 'pending',
    unassigned: 'pending',
    'customer reply': 'open',
    'status set to on hold': 'on_hold',
    closed: 'closed',
    spam: 'closed',
    merged: 'merged',
    tick: 'pending',
  },
  on_hold: {
    'public reply': 'on_hold',
    'private reply': 'on_hold',
    'reply that pends': 'pending',
    'assigned to an agent': 'on_hold',
    unassigned: 'on_hold',
    'customer reply': 'open',
    'status set to on hold': 'on_hold',
    closed: 'closed',
    spam: 'closed',
    merged: 'merged',
    tick: 'on_hold',
  },
  solved: {
    'public reply': 'solved',
    'private reply': 'solved',
    'reply that pends': 'pending',
    'assigned to an agent': 'solved',
    unassigned: 'solved',
    'customer reply': 'open',
    'status set to on hold': 'on_hold',
    closed: 'closed',
    spam: 'closed',
    merged: 'merged',
    tick: 'solved',
  },
};

describe('nextTicketStatus', () => {
  for (const [before, row] of Object.entries(table)) {
    it(`from ${before}`, () => {
      const got = Object.fromEntries(
        Object.entries(events).map(([name, event]) => [
          name,
          nextTicketStatus(before as TicketStatus, event),
        ]),
      );
      expect(got).toEqual(row);
    });
  }

  it('leaves a closed or merged ticket where it is, whatever the event', () => {
    for (const before of ['closed', 'merged'] as const) {
      for (const event of Object.values(events)) expect(nextTicketStatus(before, event)).toBe(before);
    }
  });

  it('names itself and the argument it refuses', () => {
    expect(() => nextTicketStatus('archived' as never, tick(1))).toThrow(
      expect.objectContaining({
        code: 'invalid_status',
        path: ['before'],
        message: expect.stringContaining('nextTicketStatus'),
      }),
    );
    expect(() => nextTicketStatus('open', { type: 'ticket.opened' } as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('nextTicketStatus') }),
    );
  });
});
