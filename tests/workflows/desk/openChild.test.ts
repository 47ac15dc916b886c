import { describe, expect, it } from 'vitest';
import { createDesk, createMemoryStore } from '../../../src/workflows/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const agents = [{ id: 'ana', name: 'Ana', tier: 1, capacity: 50 }];

describe('desk.openChild', () => {
  it('opens a child ticket for the parent’s customer, linked; the parent waits for it', async () => {
    const store = createMemoryStore();
    const desk = createDesk({ agents, store, clock: () => T0 + 3_600_000 });
    const parent = (
      await desk.receive({
        externalId: 'm1',
        channel: 'email',
        customer: { id: 'c1' },
        subject: 'Refund',
        body: 'My parcel came back, where is my refund?',
        at: T0,
      })
    ).ticket.ticketId;
    const opened = await desk.openChild(parent, {
      by: 'ana',
      at: T0 + 60_000,
      subject: 'Was parcel 123 returned?',
      body: 'Please confirm the return of parcel 123.',
      category: 'warehouse',
    });
    expect(opened.rejected).toBeUndefined();
    const childId = opened.ticket!.ticketId;
    expect(childId).toBe(`${parent}~C1`);
    const child = (await store.load(childId))!;
    expect([child.customerId, child.snapshot.context.parentId, child.snapshot.context.category]).toEqual([
      'c1',
      parent,
      'warehouse',
    ]);
    expect((await store.load(parent))!.snapshot.context.children).toEqual({ [childId]: 'open' });
    // Its opening message is the agent's, and the customer gets no acknowledgement for it.
    expect(opened.effects.some((e) => e.type === 'send_template')).toBe(false);
    const solve = await desk.handle({
      type: 'agent.replied',
      id: 'a1',
      ticketId: parent,
      at: T0 + 120_000,
      agentId: 'ana',
      body: 'Refunded',
      status: 'solved',
    });
    expect(solve.rejected?.code).toBe('open_children');
    const done = await desk.handle({
      type: 'ticket.status_set',
      id: 's1',
      ticketId: childId,
      at: T0 + 180_000,
      status: 'solved',
      by: 'ana',
    });
    expect(done.effects.some((e) => e.type === 'notify' && e.reason === 'child_done')).toBe(true);
    expect((await store.load(parent))!.snapshot.context.children).toEqual({ [childId]: 'done' });
    // A repeated call with the same id changes nothing.
    const again = await desk.openChild(parent, {
      by: 'ana',
      at: T0 + 60_000,
      subject: 'Was parcel 123 returned?',
      body: 'Please confirm the return of parcel 123.',
      ticketId: childId,
    });
    expect(again.rejected).toBeUndefined();
    expect(again.effects).toEqual([]);
  });

  it('refuses a missing or final parent and an unknown agent, writing nothing', async () => {
    const store = createMemoryStore();
    const desk = createDesk({ agents, store, clock: () => T0 + 3_600_000 });
    const child = { by: 'ana', at: T0, subject: 'x', body: 'y' };
    expect((await desk.openChild('T-none', child)).rejected?.code).toBe('invalid_relation');
    const parent = (
      await desk.receive({
        externalId: 'm1',
        channel: 'email',
        customer: { id: 'c1' },
        subject: 's',
        body: 'b',
        at: T0,
      })
    ).ticket.ticketId;
    expect((await desk.openChild(parent, { ...child, by: 'zed' })).rejected?.message).toMatch(/not an agent/);
    await desk.handle({ type: 'ticket.closed', id: 'x1', ticketId: parent, at: T0 + 1 });
    const closed = await desk.openChild(parent, child);
    expect(closed.rejected?.message).toMatch(/closed; a parent must be live/);
    const all: string[] = [];
    for await (const id of store.ticketIds()) all.push(id);
    expect(all).toEqual([parent]);
    await expect(desk.openChild(parent, { ...child, colour: 'red' } as never)).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
