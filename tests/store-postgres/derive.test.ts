// The store's copies of the contract's snapshot rules (kept so that carekit/store-postgres loads
// no workflows) agree with the contract's own functions on any snapshot.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { holderOf, npsAskedAt, waitingOf } from '../../src/store-postgres/derive.js';
import {
  holderOf as contractHolderOf,
  npsAskedAt as contractNpsAskedAt,
  createTicketWorkflow,
  needsAgent,
  type TicketSnapshot,
  waitingSince,
} from '../../src/workflows/index.js';
import { propertyRuns } from '../support/runs.js';

const base = createTicketWorkflow().start({
  type: 'ticket.opened',
  id: 'T-1:opened',
  ticketId: 'T-1',
  at: 1_000,
  channel: 'email',
  subject: 'Help',
  body: 'Where is my order?',
  customer: { id: 'c1' },
}).snapshot;

const snapshot = fc
  .record({
    status: fc.constantFrom<TicketSnapshot['status']>(
      'new',
      'open',
      'pending',
      'on_hold',
      'solved',
      'closed',
      'merged',
    ),
    assigneeId: fc.constantFrom(null, 'a1'),
    queue: fc.constantFrom(null, 'review', 'bot'),
    openedAt: fc.integer({ min: 0, max: 10 }),
    statusChangedAt: fc.integer({ min: 0, max: 10 }),
    requestedAt: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
    kinds: fc.subarray(['csat', 'nps', 'ces'] as const),
  })
  .map(
    (s): TicketSnapshot => ({
      ...base,
      status: s.status,
      context: {
        ...base.context,
        assigneeId: s.assigneeId,
        queue: s.queue,
        openedAt: s.openedAt,
        statusChangedAt: s.statusChangedAt,
        survey: { ...base.context.survey, requestedAt: s.requestedAt, kinds: [...s.kinds] },
      },
    }),
  );

test.prop([snapshot], propertyRuns(300))('derives holder, waiting and NPS asks as the contract does', (s) => {
  expect(holderOf(s)).toBe(contractHolderOf(s));
  expect(waitingOf(s)).toBe(needsAgent(s) ? waitingSince(s) : null);
  expect(npsAskedAt(s)).toBe(contractNpsAskedAt(s));
});
