// A burst of calls on one ticket in one desk (a webhook delivering a thread at once): every call
// lands. Without the desk's per-ticket turn, each call read the same version, all but one were
// refused, and the last of a dozen failed `version_conflict` after `maxAttempts` tries.
import { describe, expect, it } from 'vitest';
import { createDesk, createMemoryStore } from '../../../src/workflows/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');

describe('a burst of calls on one ticket', () => {
  it('stores every one of twenty concurrent replies, each once', async () => {
    const store = createMemoryStore();
    const desk = createDesk({ store, clock: () => T0 + 3_600_000 });
    const { ticket } = await desk.receive({
      externalId: 'm0',
      channel: 'email',
      customer: { id: 'c1' },
      subject: 'Order',
      body: 'Where is my order?',
      at: T0,
    });
    const replies = Array.from({ length: 20 }, (_, i) => ({
      type: 'customer.replied' as const,
      id: `r${i}`,
      ticketId: ticket.ticketId,
      at: T0 + 60_000 * (i + 1),
      body: `message ${i}`,
    }));
    const results = await Promise.all(replies.map((event) => desk.handle(event)));
    expect(results.every((r) => r.rejected === undefined && r.duplicate !== true)).toBe(true);
    const log = await store.ticketEvents(ticket.ticketId);
    const ids = log.map((e) => e.id).filter((id) => id.startsWith('r'));
    expect(ids.sort()).toEqual(replies.map((r) => r.id).sort());
  });
});
