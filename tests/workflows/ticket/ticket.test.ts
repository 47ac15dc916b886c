import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { CarekitError, CarekitValidationError, parseTicketEvent } from '../../../src/model/index.js';
import { createTicketWorkflow, type TicketSnapshot } from '../../../src/workflows/index.js';
import { ticketMachine } from '../../../src/workflows/machine/index.js';

import {
  agentReplied,
  assigned,
  customerReplied,
  D,
  ticketEvent as ev,
  givenTicket,
  H,
  opened,
  statusSet,
  T0,
  tick,
} from '../../support/givenTicket.js';

describe('ticket lifecycle', () => {
  const tickets = createTicketWorkflow();

  it('starts new, routes, and opens on a public agent reply', () => {
    const { snapshot, effects } = tickets.start(opened());
    expect(snapshot.status).toBe('new');
    expect(effects).toEqual([
      {
        type: 'route',
        id: 'T-1/e1/route/0',
        ticketId: 'T-1',
        at: T0,
        causedBy: 'e1',
        tier: 1,
        queue: null,
        reason: 'new ticket',
      },
    ]);
    givenTicket()
      .when(agentReplied(T0 + H))
      .then({ status: 'open', context: { assigneeId: 'a1', firstReplyAt: T0 + H } });
  });

  it('opens on assignment and never returns to new', () => {
    givenTicket(assigned(T0 + 1))
      .when(assigned(T0 + 2, null))
      .then({
        status: 'open',
        context: { assigneeId: null, counters: expect.objectContaining({ assignments: 1 }) },
      });
  });

  it('keeps a ticket new on an internal note or an internal reply', () => {
    givenTicket(ev('agent.noted', T0 + 1, { agentId: 'a1', body: 'looks like a carrier issue' }))
      .when(agentReplied(T0 + 2, { body: 'internal', public: false }))
      .then({
        status: 'new',
        context: { counters: expect.objectContaining({ internalNotes: 2 }), firstReplyAt: null },
      });
  });

  it('reply-and-pend, then a customer reply opens it again', () => {
    givenTicket(agentReplied(T0 + H, { body: 'Can you send a photo?', status: 'pending' }))
      .when(customerReplied(T0 + 2 * H, { body: 'Here it is' }))
      .then({
        status: 'open',
        context: { counters: expect.objectContaining({ agentReplies: 1, customerReplies: 1, reopens: 0 }) },
      });
  });

  it('moves on_hold back to open on a customer reply', () => {
    givenTicket(assigned(T0 + 1), statusSet(T0 + 2, 'on_hold'))
      .when(customerReplied(T0 + 3, { body: 'any news from the carrier?' }))
      .then({ status: 'open' });
  });

  it('requires an assignee to solve by status change', () => {
    givenTicket()
      .when(statusSet(T0 + 1, 'solved'))
      .then({
        status: 'new',
        rejected: {
          code: 'requires_assignee',
          status: 'new',
          message: expect.stringContaining('assign it first'),
        },
      });
  });

  it('lets solving without an assignee when configured', () => {
    givenTicket()
      .on(createTicketWorkflow({ requireAssigneeToSolve: false }))
      .when(statusSet(T0 + 1, 'solved'))
      .then({ status: 'solved', rejected: undefined });
  });

  it('reopens a solved ticket within the window, counted once', () => {
    givenTicket(agentReplied(T0 + H, { body: 'Refunded.', status: 'solved' }))
      .when(customerReplied(T0 + 2 * D, { body: 'Not received yet' }))
      .then({
        status: 'open',
        context: { counters: { reopens: 1 }, solvedAt: null, firstSolvedAt: T0 + H },
      });
  });

  it('reopens at exactly the end of the reopen window, and closes one millisecond later', () => {
    const wf = createTicketWorkflow({ reopenWindow: { days: 2 }, autoCloseSolvedAfter: null });
    const solved = givenTicket(agentReplied(T0 + H, { body: 'Done.', status: 'solved' })).on(wf);
    solved.when(customerReplied(T0 + H + 2 * D, { body: 'no' })).then({ status: 'open' });
    solved.when(customerReplied(T0 + H + 2 * D + 1, { body: 'no' })).then({ status: 'closed' });
  });

  it('closes a solved ticket on a late customer reply and asks for a follow-up ticket', () => {
    const { effects } = givenTicket(agentReplied(T0 + H, { body: 'Refunded.', status: 'solved' }))
      .on(createTicketWorkflow({ autoCloseSolvedAfter: null }))
      .when(customerReplied(T0 + H + 8 * D - 1, { body: 'New problem with another order' }))
      .then({ status: 'closed' });
    expect(effects).toContainEqual(
      expect.objectContaining({
        type: 'open_follow_up',
        customerId: 'c1',
        body: 'New problem with another order',
      }),
    );
  });

  it('accepts nothing but surveys once closed', () => {
    const closed = givenTicket(ev('ticket.closed', T0 + 1));
    closed.when(customerReplied(T0 + 2, { body: 'hello?' })).then({
      status: 'closed',
      rejected: {
        code: 'not_allowed_in_status',
        message: expect.stringContaining('accepts only survey answers'),
      },
    });
    closed
      .when(ev('survey.answered', T0 + 3, { survey: 'csat', score: 4 }))
      .then({ status: 'closed', context: { surveys: [{ survey: 'csat', score: 4, at: T0 + 3 }] } });
  });

  it('auto-solves a stale pending ticket and auto-closes it on ticks', () => {
    const wf = createTicketWorkflow({
      autoSolvePendingAfter: { days: 2 },
      autoCloseSolvedAfter: { days: 1 },
    });
    let { snapshot } = givenTicket(agentReplied(T0 + H, { body: 'Waiting for you', status: 'pending' })).on(
      wf,
    );
    expect(wf.dueAt(snapshot)).toBe(T0 + H + 2 * D);
    snapshot = wf.apply(snapshot, tick(T0 + H + D)).snapshot;
    expect(snapshot.status).toBe('pending');
    snapshot = wf.apply(snapshot, ev('clock.tick', T0 + H + 2 * D)).snapshot;
    expect(snapshot.status).toBe('solved');
    expect(snapshot.context.solvedBy).toBe('auto');
    expect(wf.dueAt(snapshot)).toBe(T0 + H + 3 * D);
    snapshot = wf.apply(snapshot, ev('clock.tick', T0 + H + 3 * D)).snapshot;
    expect(snapshot.status).toBe('closed');
    expect(wf.dueAt(snapshot)).toBeNull();
  });

  it('applies a passed deadline before a later event, whether or not the host ticked', () => {
    const wf = createTicketWorkflow({ autoSolvePendingAfter: { days: 2 }, reopenWindow: { days: 7 } });
    // auto-solved at T0 + 2 days, then reopened by the reply
    const { snapshot } = givenTicket(agentReplied(T0, { body: 'Did that help?', status: 'pending' }))
      .on(wf)
      .when(customerReplied(T0 + 3 * D, { body: 'Sorry, I was away. It still fails.' }))
      .then({
        status: 'open',
        rejected: undefined,
        context: { counters: { reopens: 1 }, firstSolvedAt: T0 + 2 * D },
      });
    expect(snapshot.context.eventIds).toEqual(['e1', expect.any(String), expect.any(String)]);
  });

  it('marks spam as closed and excluded', () => {
    givenTicket()
      .when(ev('ticket.marked_spam', T0 + 1))
      .then({ status: 'closed', context: { excluded: 'spam' } });
  });

  it('merges into another ticket', () => {
    const { snapshot } = givenTicket()
      .when(ev('ticket.merged', T0 + 1, { into: 'T-0' }))
      .then({ status: 'merged' });
    expect(tickets.view(snapshot)).toMatchObject({ excluded: 'merged', mergedInto: 'T-0', closedAt: T0 + 1 });
  });

  it('closes a blocked customer ticket as spam, or sends it to review', () => {
    const spam = createTicketWorkflow({ blockedCustomers: 'close_as_spam' });
    const blocked = opened({ customer: { id: 'c9', blocked: true } });
    const closed = spam.start(blocked);
    expect(closed.snapshot.status).toBe('closed');
    expect(closed.snapshot.context.excluded).toBe('spam');
    expect(closed.effects[0]).toMatchObject({ type: 'notify', reason: 'blocked_customer' });
    const review = tickets.start(blocked);
    expect(review.snapshot.status).toBe('new');
    expect(review.snapshot.context.queue).toBe('review');
    expect(review.effects).toContainEqual(expect.objectContaining({ type: 'route', queue: 'review' }));
  });

  it('sends an acknowledgement when configured', () => {
    const ack = createTicketWorkflow({ acknowledgeTemplate: 'ack' });
    expect(ack.start(opened()).effects).toContainEqual(
      expect.objectContaining({
        type: 'send_template',
        templateId: 'ack',
        customerId: 'c1',
        channel: 'email',
      }),
    );
  });

  it('ignores a duplicate event id and leaves the snapshot as it was', () => {
    const { snapshot } = tickets.start(opened());
    const event = ev('customer.replied', T0 + 1, { body: 'hi' });
    const once = tickets.apply(snapshot, event);
    const twice = tickets.apply(once.snapshot, event);
    expect(twice.duplicate).toBe(true);
    expect(twice.snapshot).toBe(once.snapshot);
    expect(twice.snapshot.context.counters.customerReplies).toBe(1);
  });

  it('rejects events for another ticket or a second opening, and applies a late one at the last instant', () => {
    const { snapshot } = givenTicket(customerReplied(T0 + H, { body: 'x' }));
    expect(
      tickets.apply(snapshot, { ...ev('customer.replied', T0 + 2 * H, { body: 'x' }), ticketId: 'T-2' })
        .rejected?.code,
    ).toBe('wrong_ticket');
    // Mail arrives late: the message counts at the ticket's last instant, its own time kept.
    const late = tickets.apply(snapshot, ev('customer.replied', T0, { body: 'late' }));
    expect(late.rejected).toBeUndefined();
    expect(late.snapshot.context.lastEventAt).toBe(T0 + H);
    expect(late.snapshot.context.counters.customerReplies).toBe(2);
    expect(late.effects.every((e) => e.at === T0 + H)).toBe(true);
    expect(tickets.apply(snapshot, { ...opened(), id: 'again' }).rejected?.code).toBe('already_opened');
  });

  it('never changes the snapshot passed in', () => {
    const { snapshot } = tickets.start(opened());
    const before = JSON.stringify(snapshot);
    tickets.apply(snapshot, ev('agent.replied', T0 + 1, { agentId: 'a1', body: 'x', status: 'solved' }));
    expect(JSON.stringify(snapshot)).toBe(before);
  });

  it('throws a validation error for a malformed event and changes nothing', () => {
    const { snapshot } = tickets.start(opened());
    expect(() =>
      tickets.apply(snapshot, { type: 'customer.replied', id: 'x', ticketId: 'T-1', at: 'later' } as never),
    ).toThrow(CarekitValidationError);
    expect(() => tickets.start(ev('customer.replied', T0, { body: 'x' }))).toThrow(CarekitError);
  });

  it('refuses a snapshot of another schema version unless a migration is given', () => {
    const { snapshot } = tickets.start(opened());
    const old = { ...snapshot, schemaVersion: 0 } as unknown as TicketSnapshot;
    expect(() => tickets.apply(old, ev('clock.tick', T0 + 1))).toThrow(/schema version 0/);
    const migrating = createTicketWorkflow({
      migrateSnapshot: (s) => ({ ...(s as TicketSnapshot), schemaVersion: 1 }),
    });
    expect(migrating.apply(old, ev('clock.tick', T0 + 1)).snapshot.schemaVersion).toBe(1);
    expect(() => tickets.dueAt(null as unknown as TicketSnapshot)).toThrow(/not a carekit ticket snapshot/);
  });

  it('refuses an escalation decision in a shape it does not know (the old action/to words)', () => {
    const wf = createTicketWorkflow({
      escalation: (signal) =>
        signal.kind === 'reopened'
          ? ([{ action: 'notify', to: 'team_lead', reason: 'reopened' }] as unknown as [])
          : [],
    });
    expect(() =>
      givenTicket(agentReplied(T0 + 1, { body: 'done', status: 'solved' }))
        .on(wf)
        .when(customerReplied(T0 + 2, { body: 'not done' })),
    ).toThrow(/action → type, notify to → role/);
  });

  it('escalates explicitly and by policy on reopens', () => {
    const wf = createTicketWorkflow({
      escalation: (signal, t) =>
        signal.kind === 'reopened' ? [{ type: 'escalate', toTier: t.tier + 1, reason: 'reopened' }] : [],
    });
    const solved = givenTicket(agentReplied(T0 + 1, { body: 'done', status: 'solved' })).on(wf);
    const reopened = customerReplied(T0 + 2, { body: 'not done' });
    solved.when(reopened).then({ status: 'open', effectTypes: ['escalate', 'route'] });
    givenTicket(agentReplied(T0 + 1, { body: 'done', status: 'solved' }), reopened)
      .on(wf)
      .when(ev('ticket.escalated', T0 + 3, { tier: 3, reason: 'VIP' }))
      .then({ context: { tier: 3, counters: expect.objectContaining({ escalations: 2 }) } });
  });

  it('tells the escalation function the classification a ticket opens with, and each later one, with sentiment and tags', () => {
    const heard: unknown[] = [];
    const wf = createTicketWorkflow({
      escalation: (signal) => {
        heard.push(signal);
        return signal.kind === 'classified' && signal.tags?.includes('asks_for_manager')
          ? [{ type: 'notify', role: 'team_lead', reason: 'asked for a manager' }]
          : [];
      },
    });
    const started = wf.start(
      opened({ category: 'complaint', sentiment: 'negative', tags: ['asks_for_manager'] }),
    );
    expect(heard).toEqual([
      { kind: 'classified', category: 'complaint', sentiment: 'negative', tags: ['asks_for_manager'] },
    ]);
    expect(started.effects.map((e) => e.type)).toEqual(['route', 'notify']);
    expect(wf.start(opened()).effects.map((e) => e.type)).toEqual(['route']);
    expect(heard).toHaveLength(1);
    const next = wf.apply(
      started.snapshot,
      ev('ticket.categorized', T0 + 1, { category: 'refund', sentiment: 'neutral' }),
    );
    expect(heard.at(-1)).toEqual({ kind: 'classified', category: 'refund', sentiment: 'neutral' });
    expect(next.effects).toEqual([]);
  });

  it('refuses bad options with paths', () => {
    expect(() => createTicketWorkflow({ reopenWindow: { months: 1 } as never })).toThrow(
      CarekitValidationError,
    );
  });

  it('replays a log to the same snapshot as applying it event by event', () => {
    const log = [
      opened(),
      ev('ticket.assigned', T0 + 1, { agentId: 'a1' }),
      ev('agent.replied', T0 + 2, { agentId: 'a1', body: 'x', status: 'pending' }),
      ev('customer.replied', T0 + 3, { body: 'y' }),
      ev('customer.replied', T0 + 3, { body: 'y' }),
      ev('survey.answered', T0 + 4, { survey: 'nps', score: 9 }),
      ev('ticket.status_set', T0 + 5, { status: 'solved' }),
    ];
    const replayed = tickets.replay(log);
    let { snapshot } = tickets.start(log[0]!);
    for (const event of log.slice(1)) snapshot = tickets.apply(snapshot, event).snapshot;
    expect(replayed.snapshot).toEqual(snapshot);
    expect(replayed.rejected.map((r) => r.code)).toEqual(['not_allowed_in_status']);
    expect(() => tickets.replay([])).toThrow(CarekitError);
  });

  it('runs as an XState actor with the status as its state value', () => {
    const openedEvent = parseTicketEvent(opened());
    if (openedEvent.type !== 'ticket.opened') throw new Error('unreachable');
    const actor = createActor(ticketMachine(tickets), { input: { opened: openedEvent } });
    actor.start();
    expect(actor.getSnapshot().value).toBe('new');
    actor.send({
      type: 'agent.replied',
      id: 'x1',
      ticketId: 'T-1',
      at: T0 + 1,
      agentId: 'a1',
      body: 'hi',
      status: 'pending',
    });
    expect(actor.getSnapshot().value).toBe('pending');
    expect(actor.getSnapshot().context.counters.agentReplies).toBe(1);
  });
});
