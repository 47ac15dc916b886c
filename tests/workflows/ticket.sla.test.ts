import type { TicketEventInput, TicketEventInputOf } from 'carekit';
import { describe, expect, it } from 'vitest';
import { createEscalationPolicy } from '../../src/routing/index.js';
import { createSlaPolicy } from '../../src/sla/index.js';
import { createTicketWorkflow } from '../../src/workflows/index.js';

const T0 = Date.UTC(2025, 2, 10, 9, 0);
const MIN = 60_000;
const H = 60 * MIN;

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
    let { snapshot } = tickets.start(opened);
    const warned = tickets.apply(snapshot, {
      type: 'clock.tick',
      id: 't1',
      ticketId: 'T-1',
      at: T0 + 45 * MIN,
    });
    expect(warned.effects).toEqual([
      expect.objectContaining({ type: 'notify', reason: 'sla_warning', to: 'tier:1', causedBy: 't1' }),
    ]);
    snapshot = warned.snapshot;
    expect(tickets.dueAt(snapshot)).toBe(T0 + H);
    const breached = tickets.apply(snapshot, { type: 'clock.tick', id: 't2', ticketId: 'T-1', at: T0 + H });
    expect(breached.effects.map((e) => e.type)).toEqual(['notify', 'escalate', 'route']);
    expect(breached.snapshot.context.tier).toBe(2);
    // the same breach is not announced twice
    const again = tickets.apply(breached.snapshot, {
      type: 'clock.tick',
      id: 't3',
      ticketId: 'T-1',
      at: T0 + 2 * H,
    });
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
    let { snapshot } = tickets.start(opened);
    snapshot = tickets.apply(snapshot, {
      type: 'agent.replied',
      id: 'e2',
      ticketId: 'T-1',
      at: T0 + 10 * MIN,
      agentId: 'a1',
      body: 'Can you send the order number?',
      status: 'pending',
    }).snapshot;
    const paused = tickets.view(snapshot, T0 + 5 * H).sla?.clocks.resolution;
    expect(paused).toMatchObject({ status: 'paused', elapsedMs: 10 * MIN });
    snapshot = tickets.apply(snapshot, {
      type: 'customer.replied',
      id: 'e3',
      ticketId: 'T-1',
      at: T0 + 5 * H,
      body: '#4411',
    }).snapshot;
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
    let { snapshot } = wf.start(opened);
    snapshot = wf.apply(snapshot, {
      type: 'ticket.categorized',
      id: 'e2',
      ticketId: 'T-1',
      at: T0 + 5 * MIN,
      category: 'complaint',
    }).snapshot;
    expect(snapshot.context.priority).toBe('urgent');
    expect(wf.view(snapshot).sla?.clocks.firstReply).toMatchObject({
      targetMs: 15 * MIN,
      dueAt: T0 + 15 * MIN,
    });
  });

  it('replays with SLA to the same snapshot as applying event by event', () => {
    const log: TicketEventInput[] = [
      opened,
      { type: 'ticket.assigned', id: 'e2', ticketId: 'T-1', at: T0 + 5 * MIN, agentId: 'a1' },
      {
        type: 'agent.replied',
        id: 'e3',
        ticketId: 'T-1',
        at: T0 + 2 * H,
        agentId: 'a1',
        body: 'x',
        status: 'pending',
      },
      { type: 'customer.replied', id: 'e4', ticketId: 'T-1', at: T0 + 3 * H, body: 'y' },
      {
        type: 'agent.replied',
        id: 'e5',
        ticketId: 'T-1',
        at: T0 + 9 * H,
        agentId: 'a1',
        body: 'z',
        status: 'solved',
      },
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
    let { snapshot } = wf.start(opened);
    const categorized = wf.apply(snapshot, {
      type: 'ticket.categorized',
      id: 'c1',
      ticketId: 'T-1',
      at: T0 + MIN,
      category: 'complaint',
    });
    expect(categorized.effects).toEqual([
      expect.objectContaining({ type: 'notify', to: 'team_lead', reason: 'escalation' }),
    ]);
    snapshot = categorized.snapshot;
    const breached = wf.apply(snapshot, { type: 'clock.tick', id: 'k1', ticketId: 'T-1', at: T0 + H });
    expect(breached.snapshot.context.tier).toBe(2);
    expect(breached.effects.map((e) => e.type)).toContain('escalate');
  });
});
