import type { InboundContactInput } from 'carekit';
import { describe, expect, it } from 'vitest';
import { createDesk, createMemoryStore, ticketThread } from '../../../src/workflows/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const H = 3_600_000;
const agents = [{ id: 'ana', name: 'Ana', tier: 1, capacity: 10 }];
const contact = (
  externalId: string,
  customer: string,
  hours: number,
  body = 'Where is my parcel?',
): InboundContactInput => ({
  externalId,
  channel: 'email',
  customer: { id: customer },
  subject: 'Parcel',
  body,
  at: T0 + hours * H,
});

/** The ticket ids of the contacts received so far, by external id. */
const id = {} as Record<'a' | 'b' | 'c' | 'p' | 'q' | 'r', string>;
async function receive(desk: ReturnType<typeof createDesk>, input: ReturnType<typeof contact>) {
  const result = await desk.receive(input);
  id[input.externalId as keyof typeof id] = result.ticket.ticketId;
  return result;
}

function newDesk() {
  const store = createMemoryStore();
  return { store, desk: createDesk({ agents, store, clock: () => T0 + 1000 * H }) };
}

const threadIds = async (store: ReturnType<typeof createMemoryStore>, id: string) =>
  ticketThread(await store.ticketEvents(id)).map((m) => `${m.ref.ticketId}/${m.ref.eventId}`);

describe('desk.merge', () => {
  it('moves the source thread into the target in time order, ends it merged and forwards later messages', async () => {
    const { store, desk } = newDesk();
    await receive(desk, contact('a', 'c1', 0));
    await receive(desk, contact('b', 'c1', 1, 'I wrote before: where is it?'));
    await desk.handle({ type: 'customer.replied', id: 'r1', ticketId: id.a, at: T0 + 2 * H, body: 'Hello?' });
    const merged = await desk.merge([id.a], id.b, { by: 'ana', at: T0 + 3 * H });
    expect(merged.rejected).toBeUndefined();
    expect(merged.ticket?.mergedFrom).toEqual([id.a]);
    expect((await desk.ticket(id.a))?.status).toBe('merged');
    expect(await threadIds(store, id.b)).toEqual([
      `${id.a}/${id.a}:opened`,
      `${id.b}/${id.b}:opened`,
      `${id.a}/r1`,
    ]);
    const later = await desk.handle({
      type: 'customer.replied',
      id: 'r2',
      ticketId: id.a,
      at: T0 + 4 * H,
      body: 'And?',
    });
    expect(later.followUp?.ticketId).toBe(id.b);
    expect(await threadIds(store, id.b)).toContain(`${id.b}/r2`);
  });

  it('refuses, writing nothing: another customer, itself, a missing ticket, a cycle', async () => {
    const { store, desk } = newDesk();
    await receive(desk, contact('a', 'c1', 0));
    await receive(desk, contact('b', 'c2', 1));
    const before = JSON.stringify([await store.load(id.a), await store.load(id.b)]);
    const other = await desk.merge([id.a], id.b, { by: 'ana', at: T0 + 2 * H });
    expect(other.rejected?.code).toBe('invalid_merge');
    expect(other.rejected?.message).toContain('acrossCustomers');
    expect((await desk.merge([id.b], id.b, { by: 'ana', at: T0 + 2 * H })).rejected?.code).toBe(
      'invalid_merge',
    );
    expect((await desk.merge(['T-missing'], id.b, { by: 'ana', at: T0 + 2 * H })).rejected?.code).toBe(
      'invalid_merge',
    );
    expect(JSON.stringify([await store.load(id.a), await store.load(id.b)])).toBe(before);
    const across = await desk.merge([id.a], id.b, { by: 'ana', at: T0 + 2 * H, acrossCustomers: true });
    expect(across.rejected).toBeUndefined();

    await receive(desk, contact('p', 'c1', 0));
    await receive(desk, contact('q', 'c1', 0));
    expect((await desk.link(id.p, id.q, { by: 'ana', at: T0 + H })).rejected).toBeUndefined();
    const cycle = await desk.merge([id.p], id.q, { by: 'ana', at: T0 + 2 * H });
    expect(cycle.rejected?.message).toMatch(/open child tickets|descendant/);
  });

  it('a crash between the two writes is finished by calling merge again', async () => {
    const inner = createMemoryStore();
    let failNext = false;
    const store: typeof inner = Object.create(inner);
    store.save = async (...args) => {
      if (failNext && args[0] === id.b) {
        failNext = false;
        throw new Error('the database went away');
      }
      return inner.save(...args);
    };
    const desk = createDesk({ agents, store, clock: () => T0 + 1000 * H });
    await receive(desk, contact('a', 'c1', 0));
    await receive(desk, contact('b', 'c1', 1));
    failNext = true;
    await expect(desk.merge([id.a], id.b, { by: 'ana', at: T0 + 2 * H })).rejects.toThrow('went away');
    expect((await desk.ticket(id.a))?.status).toBe('merged');
    // Meanwhile a message to the source is forwarded, not lost.
    await desk.handle({ type: 'customer.replied', id: 'r1', ticketId: id.a, at: T0 + 3 * H, body: 'Hello?' });
    const again = await desk.merge([id.a], id.b, { by: 'ana', at: T0 + 4 * H });
    expect(again.rejected).toBeUndefined();
    expect(await threadIds(inner, id.b)).toEqual([
      `${id.a}/${id.a}:opened`,
      `${id.b}/${id.b}:opened`,
      `${id.b}/r1`,
    ]);
  });
});

describe('desk.split', () => {
  it('opens a linked ticket from the chosen messages, with its own routing and clocks from the split', async () => {
    const { store, desk } = newDesk();
    await receive(desk, contact('a', 'c1', 0));
    await desk.handle({
      type: 'customer.replied',
      id: 'r1',
      ticketId: id.a,
      at: T0 + H,
      body: 'Also, my invoice is wrong',
    });
    await desk.handle({
      type: 'customer.replied',
      id: 'r2',
      ticketId: id.a,
      at: T0 + 2 * H,
      body: 'The VAT number',
    });
    const split = await desk.split(id.a, ['r1', 'r2'], { by: 'ana', at: T0 + 3 * H, subject: 'Invoice' });
    expect(split.rejected).toBeUndefined();
    expect(split.ticket?.ticketId).toBe(`${id.a}~S1`);
    expect(split.ticket?.splitFrom).toBe(id.a);
    expect(split.ticket?.openedAt).toBe(T0 + 3 * H);
    expect(split.ticket?.assigneeId).toBe('ana');
    expect(await threadIds(store, id.a)).toEqual([`${id.a}/${id.a}:opened`]);
    expect(await threadIds(store, `${id.a}~S1`)).toEqual([`${id.a}/r1`, `${id.a}/r2`]);
    expect((await desk.ticket(id.a))?.splitInto).toEqual([`${id.a}~S1`]);
    const all = await desk.split(id.a, [`${id.a}:opened`], { by: 'ana', at: T0 + 4 * H });
    expect(all.rejected?.code).toBe('invalid_relation');
  });

  // Found by the relations property: the ticket was stored solved, but its auto-close (4 days)
  // had passed by the split's instant, so it refused the split after the new ticket was opened
  // with copies of its messages, which were then in two threads.
  it('refuses, writing nothing, a split, merge or link of a solved ticket whose auto-close passed by then', async () => {
    const { store, desk } = newDesk();
    await receive(desk, contact('a', 'c1', 0));
    await receive(desk, contact('b', 'c1', 1));
    await desk.handle({ type: 'customer.replied', id: 'r1', ticketId: id.a, at: T0 + H, body: 'Also this' });
    await desk.handle({
      type: 'agent.replied',
      id: 'a1',
      ticketId: id.a,
      at: T0 + 2 * H,
      agentId: 'ana',
      body: 'Done',
      status: 'solved',
    });
    const dump = async () =>
      JSON.stringify(
        await Promise.all([id.a, id.b].map(async (t) => [await store.load(t), await store.ticketEvents(t)])),
      );
    const before = await dump();
    const late = T0 + 200 * H;
    const split = await desk.split(id.a, ['r1'], { by: 'ana', at: late });
    expect(split.rejected?.code).toBe('invalid_relation');
    expect(split.rejected?.status).toBe('closed');
    expect(await store.load(`${id.a}~S1`)).toBeNull();
    const into = await desk.merge([id.b], id.a, { by: 'ana', at: late });
    expect(into.rejected?.code).toBe('invalid_merge');
    const from = await desk.merge([id.a], id.b, { by: 'ana', at: late });
    expect(from.rejected?.code).toBe('invalid_merge');
    // The same for a link (it threw `relation_refused` after the checks, found by the property).
    const link = await desk.link(id.b, id.a, { by: 'ana', at: late });
    expect(link.rejected?.code).toBe('invalid_relation');
    expect(await dump()).toBe(before);
    expect(ticketThread(await store.ticketEvents(id.a)).map((m) => m.body)).toEqual([
      'Where is my parcel?',
      'Also this',
      'Done',
    ]);
  });
});

describe('parent and child tickets', () => {
  it('a parent is not solved while a child is open; the child being done tells its assignee', async () => {
    const { desk } = newDesk();
    await receive(desk, contact('p', 'c1', 0));
    await receive(desk, contact('c', 'c1', 0));
    await desk.link(id.p, id.c, { by: 'ana', at: T0 + H });
    const refused = await desk.handle({
      type: 'ticket.status_set',
      id: 's1',
      ticketId: id.p,
      at: T0 + 2 * H,
      status: 'solved',
    });
    expect(refused.rejected?.code).toBe('open_children');
    expect(refused.rejected?.message).toContain(id.c);
    // The desk keeps the parent current: the child's solve tells the parent's assignee at once.
    const childSolved = await desk.handle({
      type: 'ticket.status_set',
      id: 's2',
      ticketId: id.c,
      at: T0 + 2 * H,
      status: 'solved',
    });
    expect(
      childSolved.effects.some((e) => e.type === 'notify' && e.reason === 'child_done' && e.to === 'ana'),
    ).toBe(true);
    // A host's own syncChild after it changes nothing.
    expect((await desk.syncChild(id.c, { at: T0 + 2 * H })).effects).toEqual([]);
    const solved = await desk.handle({
      type: 'ticket.status_set',
      id: 's3',
      ticketId: id.p,
      at: T0 + 3 * H,
      status: 'solved',
    });
    expect(solved.ticket.status).toBe('solved');
    expect((await desk.link(id.c, id.p, { by: 'ana', at: T0 + 4 * H })).rejected?.code).toBe(
      'invalid_relation',
    );
  });

  it('unlinking a solved child whose auto-close passed by then closes it, keeping its parent in its history', async () => {
    // Found by the relation laws (seed 1097579191): the child was left stored as solved, naming a
    // parent that no longer listed it.
    const { store, desk } = newDesk();
    await receive(desk, contact('p', 'c1', 0));
    await receive(desk, contact('c', 'c1', 0));
    await desk.link(id.p, id.c, { by: 'ana', at: T0 + H });
    await desk.handle({
      type: 'ticket.status_set',
      id: 's1',
      ticketId: id.c,
      at: T0 + 2 * H,
      status: 'solved',
    });
    expect((await store.load(id.p))?.snapshot.context.children).toEqual({ [id.c]: 'done' });
    const late = T0 + 200 * H;
    const unlinked = await desk.unlink(id.p, id.c, { by: 'ana', at: late });
    expect(unlinked.rejected).toBeUndefined();
    const child = (await store.load(id.c))!.snapshot;
    expect([child.status, child.context.parentId]).toEqual(['closed', id.p]);
    expect(child.context.closedAt).toBeLessThanOrEqual(late);
    expect((await store.load(id.p))?.snapshot.context.children).toEqual({});
    // The close is in the child's log, so replay gives what is stored.
    expect((await store.ticketEvents(id.c)).map((e) => e.type).slice(-1)).toEqual(['clock.tick']);
  });
});

describe('side conversations', () => {
  it('has its own participants, status and clock, and never reaches the customer', async () => {
    const { desk } = newDesk();
    await receive(desk, contact('r', 'c1', 0, 'I want a refund'));
    const opened = await desk.handle({
      type: 'side.opened',
      id: 'w1',
      ticketId: id.r,
      at: T0 + H,
      sideId: 'warehouse',
      subject: 'Was parcel 123 returned?',
      participants: [{ id: 'wh-lisbon', kind: 'warehouse' }],
      agentId: 'ana',
      body: 'Can you check the return of parcel 123?',
      targetMs: 4 * H,
    });
    expect(opened.ticket.sides.warehouse?.status).toBe('waiting');
    expect(opened.effects.filter((e) => e.type === 'send_template' || e.type === 'send_message')).toEqual([]);
    const late = await desk.tick({ now: T0 + 6 * H });
    expect(late.effects.some((e) => e.type === 'notify' && e.reason === 'side_overdue')).toBe(true);
    const answer = await desk.handle({
      type: 'side.replied',
      id: 'w2',
      ticketId: id.r,
      at: T0 + 7 * H,
      sideId: 'warehouse',
      direction: 'in',
      from: 'wh-lisbon',
      body: 'Yes, it came back on Monday',
    });
    expect(answer.ticket.sides.warehouse).toMatchObject({
      status: 'open',
      dueAt: null,
      breaches: [T0 + 5 * H],
      messages: 2,
    });
    expect(answer.ticket.counters.customerReplies).toBe(0);
    expect(answer.ticket.counters.agentReplies).toBe(0);
  });
});
