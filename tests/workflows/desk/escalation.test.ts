import type { InboundContactInput } from 'carekit';
import { describe, expect, it } from 'vitest';
import { createEscalationPolicy, defaultRules, ruleClassifier } from '../../../src/routing/index.js';
import { createDesk, type DeskOptions, type EscalationSignal } from '../../../src/workflows/index.js';

// An escalation policy's rules on the classification (category, sentiment, segment, a request
// for a manager) fire when a desk opens a classified ticket, not only on a later
// `ticket.categorized`: the lifecycle hears the classification the ticket was opened with.

const tiers = [
  { tier: 1, name: 'frontline' },
  { tier: 2, name: 'specialists', role: 'specialist_lead' },
  { tier: 3, name: 'managers' },
];

const agents = [
  { id: 'ana', name: 'Ana', tier: 1, capacity: 5 },
  { id: 'lia', name: 'Lia', tier: 2, capacity: 5 },
  { id: 'max', name: 'Max', tier: 3, capacity: 5 },
];

const options = (extra: Partial<DeskOptions> = {}): DeskOptions => ({
  agents,
  classifier: ruleClassifier(defaultRules),
  router: { filters: ['tierAtLeast'], strategy: 'leastLoaded' },
  ...extra,
});

const contact = (externalId: string, body: string, extra: Record<string, unknown> = {}) =>
  ({
    externalId,
    channel: 'email',
    customer: { id: `c-${externalId}`, name: 'Rui Costa' },
    subject: 'Help',
    body,
    at: '2026-11-23T09:00:00Z',
    ...extra,
  }) as InboundContactInput;

describe('escalation on the classification a desk opens a ticket with', () => {
  it('sends an asks-for-manager contact to the managers’ tier', async () => {
    const desk = createDesk(
      options({
        escalation: createEscalationPolicy({
          tiers,
          rules: [{ id: 'manager', when: { on: 'asks_for_manager' }, actions: [{ do: 'escalate', to: 3 }] }],
        }),
      }),
    );
    const { ticket, effects, classification } = await desk.receive(
      contact('m1', 'This is the third time. I want to speak to a manager now.'),
    );
    expect(classification?.tags).toContain('asks_for_manager');
    expect(ticket).toMatchObject({ tier: 3, assigneeId: 'max', category: 'complaint' });
    expect(effects.filter((e) => e.type === 'escalate')).toMatchObject([{ fromTier: 1, toTier: 3 }]);
    // A plain question stays with the frontline.
    const calm = await desk.receive(contact('m2', 'Where is my order? It has not arrived.'));
    expect(calm.ticket).toMatchObject({ tier: 1, assigneeId: 'ana' });
  });

  it('acts on the sentiment, the category and the segment', async () => {
    const desk = createDesk(
      options({
        escalation: createEscalationPolicy({
          tiers,
          rules: [
            {
              id: 'angry',
              when: { on: 'sentiment', is: 'negative' },
              actions: [{ do: 'raise_priority', to: 'urgent' }],
            },
            {
              id: 'refunds',
              when: { on: 'category', in: ['refund'] },
              actions: [{ do: 'notify', role: 'finance' }],
            },
            { id: 'vip', when: { on: 'segment', in: ['vip'] }, actions: [{ do: 'escalate', to: 2 }] },
          ],
        }),
      }),
    );
    const angry = await desk.receive(contact('s1', 'This is unacceptable, the worst service ever.'));
    expect(angry.classification?.sentiment).toBe('negative');
    expect(angry.ticket.priority).toBe('urgent');

    const refund = await desk.receive(
      contact('s2', 'I would like my money back for the order, please refund me.'),
    );
    expect(refund.classification?.category).toBe('refund');
    expect(refund.effects).toContainEqual(
      expect.objectContaining({ type: 'notify', to: 'finance', reason: 'escalation' }),
    );

    const vip = await desk.receive(
      contact('s3', 'How do I set up the device?', {
        customer: { id: 'c-vip', name: 'Vera', segment: 'vip' },
      }),
    );
    expect(vip.ticket).toMatchObject({ tier: 2, assigneeId: 'lia' });
  });

  it('passes the sentiment and the tags to an escalation function, and the stored log replays to the same ticket', async () => {
    const heard: EscalationSignal[] = [];
    const desk = createDesk(
      options({
        escalation: (signal) => {
          heard.push(signal);
          return signal.kind === 'classified' && signal.sentiment === 'negative'
            ? [{ type: 'escalate', toTier: 2, reason: 'unhappy customer' }]
            : [];
        },
      }),
    );
    const { ticket } = await desk.receive(contact('f1', 'Terrible. I want to talk to a manager.'));
    expect(heard).toContainEqual({
      kind: 'classified',
      category: 'complaint',
      sentiment: 'negative',
      tags: ['angry', 'asks_for_manager'],
    });
    expect(ticket.tier).toBe(2);
    const log = await desk.store.ticketEvents(ticket.ticketId);
    expect(log[0]).toMatchObject({ type: 'ticket.opened', sentiment: 'negative', category: 'complaint' });
  });

  it('leaves a blocked customer’s ticket to the people who review it', async () => {
    const desk = createDesk(
      options({
        escalation: createEscalationPolicy({
          tiers,
          rules: [{ id: 'manager', when: { on: 'asks_for_manager' }, actions: [{ do: 'escalate', to: 3 }] }],
        }),
      }),
    );
    await desk.blocklist.add('c-b1', { reason: 'abuse', by: 'lead', at: Date.parse('2026-11-22T09:00:00Z') });
    const { ticket } = await desk.receive(contact('b1', 'I want to speak to a manager.'));
    expect(ticket.tier).toBe(1);
  });
});
