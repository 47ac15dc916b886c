import type { TicketEventInput, TicketEventInputOf } from 'carekit';
import { describe, expect, it } from 'vitest';
import { createEscalationPolicy } from '../../../src/routing/index.js';
import { createSlaPolicy } from '../../../src/sla/index.js';
import { createTicketWorkflow } from '../../../src/workflows/index.js';
import {
  agentReplied,
  assigned,
  customerReplied,
  givenTicket,
  H,
  MIN,
  T0,
  tick,
  ticketEvent,
} from '../../support/givenTicket.js';

const policy = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { normal: { hours: 1 }, urgent: { minutes: 15 } } },
  resolution: { targets: { normal: { hours: 8 }, urgent: { hours: 2 } } },
});

const opened: TicketEventInputOf<'ticket.opened'> = {
  type: 'ticket.opened',
  id: 'e1',
  ticketId: 'T-1',
  at: T0,
  channel: 'chat',
  subject: 'Order late',
  body: 'Where is it?',
  customer: { id: 'c1' },
};

describe('ticket lifecycle with an SLA policy', () => {
  const tickets = createTicketWorkflow({ sla: policy });

  it('keeps SLA clocks in the snapshot and wakes the host for the next warning', () => {
    const { snapshot } = tickets.start(opened);
    const view = tickets.view(snapshot);
    expect(view.sla?.clocks.firstReply).toMatchObject({ status: 'running', dueAt: T0 + H });
    expect(tickets.dueAt(snapshot)).toBe(T0 + 45 * MIN);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('warns, then breaches and escalates one tier on ticks', () => {
    const warning = tick(T0 + 45 * MIN);
    givenTicket(opened)
      .on(tickets)
      .when(warning)
      .then({
        effects: [
          expect.objectContaining({
            type: 'notify',
            reason: 'sla_warning',
            to: 'tier:1',
            causedBy: warning.id,
          }),
        ],
      });
    expect(tickets.dueAt(givenTicket(opened, warning).on(tickets).snapshot)).toBe(T0 + H);
    const breach = tick(T0 + H);
    givenTicket(opened, warning)
      .on(tickets)
      .when(breach)
      .then({ effectTypes: ['notify', 'escalate', 'route'], context: { tier: 2 } });
    // the same breach is not announced twice
    const again = givenTicket(opened, warning, breach)
      .on(tickets)
      .when(tick(T0 + 2 * H))
      .then({});
    expect(again.effects.filter((e) => e.type === 'notify' && e.reason === 'sla_breach')).toEqual([]);
  });

  it('announces a breach found when a late event arrives, without a tick', () => {
    const { snapshot } = tickets.start(opened);
    const late = tickets.apply(snapshot, {
      type: 'agent.replied',
      id: 'e2',
      ticketId: 'T-1',
      at: T0 + 2 * H,
      agentId: 'a1',
      body: 'Sorry for the wait',
    });
    const notes = late.effects.flatMap((e) =>
      e.type === 'notify' ? [`${e.reason}: ${e.message.split(' ')[0]}`] : [],
    );
    expect(notes).toEqual(['sla_warning: firstReply', 'sla_breach: firstReply']);
    const clocks = tickets.view(late.snapshot).sla?.clocks;
    expect(clocks?.firstReply).toMatchObject({
      status: 'fulfilled',
      breachedAt: T0 + H,
      fulfilledAt: T0 + 2 * H,
    });
  });

  it('pauses resolution while pending', () => {
    const pending = givenTicket(
      opened,
      agentReplied(T0 + 10 * MIN, { body: 'Can you send the order number?', status: 'pending' }),
    ).on(tickets);
    const paused = tickets.view(pending.snapshot, { now: T0 + 5 * H }).sla?.clocks.resolution;
    expect(paused).toMatchObject({ status: 'paused', elapsedMs: 10 * MIN });
    // `now` as a Date, and the deprecated positional form, read the same; a misspelt key or a bad
    // instant is refused.
    expect(tickets.view(pending.snapshot, { now: new Date(T0 + 5 * H) })).toEqual(
      tickets.view(pending.snapshot, { now: T0 + 5 * H }),
    );
    expect(tickets.view(pending.snapshot, T0 + 5 * H)).toEqual(
      tickets.view(pending.snapshot, { now: T0 + 5 * H }),
    );
    expect(() => tickets.view(pending.snapshot, { nw: T0 } as never)).toThrow(
      expect.objectContaining({ code: 'unrecognized_keys' }),
    );
    expect(() => tickets.view(pending.snapshot, Number.NaN)).toThrow(
      expect.objectContaining({ code: 'invalid_instant' }),
    );
    const { snapshot } = pending
      .when(customerReplied(T0 + 5 * H, { body: '#4411' }))
      .then({ status: 'open' });
    expect(tickets.view(snapshot).sla?.clocks.resolution).toMatchObject({
      status: 'running',
      dueAt: T0 + 5 * H + 8 * H - 10 * MIN,
    });
  });

  it('re-targets the clocks when the escalation policy raises the priority', () => {
    const wf = createTicketWorkflow({
      sla: policy,
      escalation: (signal) =>
        signal.kind === 'classified' && signal.category === 'complaint'
          ? [{ type: 'raise_priority', to: 'urgent', reason: 'complaint' }]
          : [],
    });
    const { snapshot } = givenTicket(opened)
      .on(wf)
      .when(ticketEvent('ticket.categorized', T0 + 5 * MIN, { category: 'complaint' }))
      .then({ context: { priority: 'urgent' } });
    expect(wf.view(snapshot).sla?.clocks.firstReply).toMatchObject({
      targetMs: 15 * MIN,
      dueAt: T0 + 15 * MIN,
    });
  });

  it('replays with SLA to the same snapshot as applying event by event', () => {
    const log: TicketEventInput[] = [
      opened,
      assigned(T0 + 5 * MIN),
      agentReplied(T0 + 2 * H, { body: 'x', status: 'pending' }),
      customerReplied(T0 + 3 * H, { body: 'y' }),
      agentReplied(T0 + 9 * H, { body: 'z', status: 'solved' }),
    ];
    const replayed = tickets.replay(log);
    let { snapshot, effects } = tickets.start(log[0]!);
    const all = [...effects];
    for (const e of log.slice(1)) {
      const r = tickets.apply(JSON.parse(JSON.stringify(snapshot)), e);
      all.push(...r.effects);
      snapshot = r.snapshot;
    }
    expect(replayed.snapshot).toEqual(snapshot);
    expect(replayed.effects).toEqual(all);
  });
});

describe('ticket lifecycle with a routing escalation policy', () => {
  it('escalates on breach and notifies on a complaint, as the policy says', () => {
    const escalation = createEscalationPolicy({
      tiers: [
        { tier: 1, name: 'frontline', authority: { refund: 50 } },
        { tier: 2, name: 'specialist', authority: { refund: 200 } },
        { tier: 3, name: 'manager', authority: { refund: 1000 } },
      ],
      rules: [
        { id: 'breach', when: { on: 'sla_breach' }, actions: [{ do: 'escalate' }] },
        {
          id: 'complaint',
          when: { on: 'category', in: ['complaint'] },
          actions: [{ do: 'notify', role: 'team_lead' }],
        },
      ],
    });
    const wf = createTicketWorkflow({ sla: policy, escalation });
    const categorized = ticketEvent('ticket.categorized', T0 + MIN, { category: 'complaint' });
    givenTicket(opened)
      .on(wf)
      .when(categorized)
      .then({
        effects: [expect.objectContaining({ type: 'notify', to: 'team_lead', reason: 'escalation' })],
      });
    const breached = givenTicket(opened, categorized)
      .on(wf)
      .when(tick(T0 + H))
      .then({ context: { tier: 2 } });
    expect(breached.effects.map((e) => e.type)).toContain('escalate');
  });
});
