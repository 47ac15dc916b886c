import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../../src/model/index.js';
import { createTicketWorkflow, planOutreach } from '../../../src/workflows/index.js';

const T0 = Date.UTC(2025, 2, 10, 8);
const D = 86_400_000;
const delayed = {
  type: 'order.shipment_delayed',
  id: 'ship-77',
  orderId: '4411',
  at: T0,
  customer: { id: 'c1', email: 'lan@example.com' },
  expectedAt: '2025-03-14T12:00:00Z',
  channel: 'marketplace',
};

describe('planOutreach', () => {
  it('opens an outbound ticket and sends the delay notice, waiting on the customer', () => {
    const plan = planOutreach(delayed);
    expect(plan?.ticketId).toBe('out-ship-77');
    expect(plan?.effects).toEqual([
      {
        type: 'send_template',
        id: 'out-ship-77/ship-77:notice/send_template/0',
        ticketId: 'out-ship-77',
        at: T0,
        causedBy: 'ship-77:notice',
        templateId: 'delay_notice',
        customerId: 'c1',
        channel: 'marketplace',
      },
    ]);
    const tickets = createTicketWorkflow({ autoSolvePendingAfter: { days: 5 }, survey: {} });
    const { snapshot } = tickets.replay(plan?.events ?? []);
    expect(snapshot.status).toBe('pending');
    expect(snapshot.context).toMatchObject({
      origin: 'system',
      category: 'shipping_delay',
      tags: ['proactive'],
    });
    expect(snapshot.context.counters).toMatchObject({ botReplies: 1, agentReplies: 0 });
    expect(snapshot.context.subject).toBe('Your order is delayed');
    expect(snapshot.context.subject.length).toBeGreaterThan(0);
    // the customer answers: an agent takes over
    const answered = tickets.apply(snapshot, {
      type: 'customer.replied',
      id: 'r1',
      ticketId: 'out-ship-77',
      at: T0 + D,
      body: 'OK, thanks!',
    });
    expect(answered.snapshot.status).toBe('open');
    // silence: auto-solved, and no survey for an outbound ticket
    const silent = tickets.apply(snapshot, {
      type: 'clock.tick',
      id: 'k1',
      ticketId: 'out-ship-77',
      at: T0 + 5 * D,
    });
    expect(silent.snapshot.status).toBe('solved');
    expect(silent.snapshot.context.survey.status).toBe('skipped');
  });

  it('plans the same ticket for a redelivered order event', () => {
    expect(planOutreach(delayed)).toEqual(planOutreach(delayed));
  });

  it('gives a problem a higher priority and no outreach for a new order', () => {
    const plan = planOutreach({
      type: 'order.problem_detected',
      id: 'p1',
      orderId: '9',
      at: T0,
      customer: { id: 'c2' },
      problem: 'out_of_stock',
    });
    expect(plan?.events[0]).toMatchObject({
      priority: 'high',
      body: 'Order 9: out of stock',
      channel: 'email',
    });
    expect(
      planOutreach({ type: 'order.placed', id: 'n1', orderId: '10', at: T0, customer: { id: 'c3' } }),
    ).toBeNull();
    expect(
      planOutreach({ type: 'order.delivered', id: 'd1', orderId: '10', at: T0, customer: { id: 'c3' } }),
    ).toBeNull();
    expect(
      planOutreach(
        { type: 'order.delivered', id: 'd1', orderId: '10', at: T0, customer: { id: 'c3' } },
        { templates: { delivered: 'check_in' } },
      )?.effects[0]?.templateId,
    ).toBe('check_in');
  });

  it('refuses a malformed order event or policy with paths', () => {
    expect(() => planOutreach({ ...delayed, expectedAt: 'next week' })).toThrow(CarekitValidationError);
    expect(() => planOutreach(delayed, { channel: 'fax' as never })).toThrow(/channel/);
  });
});
