import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  CarekitError,
  CarekitValidationError,
  type OrderEvent,
  parseOrderEvent,
  parseTicketEvent,
  type TicketEvent,
  type TicketEventOf,
} from '../../../src/model/index.js';
import { createTemplateLibrary, starterTemplates } from '../../../src/templates/index.js';
import { createDesk, planCheckIns, planOutreach } from '../../../src/workflows/index.js';
import { propertyRuns } from '../../support/runs.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-02T10:00:00Z');
const delivered = (id: string, customerId: string, at: number, extra: Record<string, unknown> = {}) =>
  parseOrderEvent({
    type: 'order.delivered',
    id,
    orderId: `O-${id}`,
    at,
    customer: { id: customerId },
    ...extra,
  });
const complaint = (ticketId: string, customerId: string, at: number, solvedAfter: number | null) => {
  const events: TicketEvent[] = [
    parseTicketEvent({
      type: 'ticket.opened',
      id: 'o',
      ticketId,
      at,
      channel: 'chat',
      subject: 'Rude courier',
      body: 'Terrible service',
      customer: { id: customerId },
      category: 'complaint',
    }),
    parseTicketEvent({ type: 'ticket.assigned', id: 'a', ticketId, at: at + 1, agentId: 'ana' }),
  ];
  if (solvedAfter !== null)
    events.push(
      parseTicketEvent({
        type: 'agent.replied',
        id: 's',
        ticketId,
        at: at + solvedAfter,
        agentId: 'ana',
        body: 'Sorry',
        status: 'solved',
      }),
    );
  return events;
};
/** Applies plans to the log the way a desk would store them. */
const apply = (log: (TicketEvent | OrderEvent)[], plans: ReturnType<typeof planCheckIns>['plans']) => {
  for (const p of plans) for (const e of p.events) log.push(parseTicketEvent(e));
};

describe('planCheckIns', () => {
  it('checks in after a delivery and after a solved complaint, once each', () => {
    const log: (TicketEvent | OrderEvent)[] = [delivered('d1', 'c1', T0), ...complaint('T-9', 'c2', T0, DAY)];
    const early = planCheckIns(log, {}, { now: T0 + 2 * DAY });
    expect(early.plans).toEqual([]);
    expect(early.nextDueAt).toBe(T0 + 3 * DAY);
    const due = planCheckIns(log, {}, { now: T0 + 8 * DAY });
    expect(due.plans.map((p) => [p.key, p.ticketId, p.customerId])).toEqual([
      ['delivered:d1', 'checkin-delivered-d1', 'c1'],
      ['complaint:T-9', 'checkin-complaint-T-9', 'c2'],
    ]);
    expect(due.plans[1]?.events[0]).toMatchObject({
      origin: 'system',
      followUpOf: 'T-9',
      tags: ['proactive', 'check_in'],
    });
    expect(due.plans[0]?.effects[0]).toMatchObject({
      type: 'send_template',
      templateId: 'follow_up',
      channel: 'email',
    });
    apply(log, due.plans);
    expect(planCheckIns(log, {}, { now: T0 + 8 * DAY }).plans).toEqual([]);
  });

  it('waits while the customer has a ticket open, and drops what expired', () => {
    const log = [delivered('d1', 'c1', T0), ...complaint('T-1', 'c1', T0 + DAY, null)];
    const waiting = planCheckIns(log, {}, { now: T0 + 4 * DAY });
    expect(waiting.plans).toEqual([]);
    expect(waiting.skipped).toEqual([
      expect.objectContaining({ key: 'delivered:d1', reason: 'open_ticket' }),
    ]);
    const late = planCheckIns([delivered('d1', 'c1', T0)], {}, { now: T0 + 30 * DAY });
    expect(late.skipped[0]).toMatchObject({ reason: 'expired' });
    const blocked = planCheckIns(
      [delivered('d1', 'c1', T0, { customer: { id: 'c1', blocked: true } })],
      {},
      { now: T0 + 4 * DAY },
    );
    expect(blocked.skipped[0]).toMatchObject({ reason: 'blocked' });
  });

  it('never contacts a customer more often than the limit, counting delay notices', () => {
    const notice = planOutreach({
      type: 'order.shipment_delayed',
      id: 'late-1',
      orderId: 'O-2',
      at: T0 + 2 * DAY,
      customer: { id: 'c1' },
    });
    const log: (TicketEvent | OrderEvent)[] = [
      delivered('d1', 'c1', T0),
      ...(notice?.events ?? []).map((e) => parseTicketEvent(e)),
    ];
    const held = planCheckIns(log, { limit: { contacts: 1, per: { days: 14 } } }, { now: T0 + 3 * DAY });
    expect(held.skipped[0]).toMatchObject({ reason: 'limit' });
    expect(held.nextDueAt).toBe(T0 + 16 * DAY);
    // The notice ticket is still pending (open to the customer): resolve it, then the window passes.
    expect(
      planCheckIns(log, { limit: { contacts: 2, per: { days: 14 } } }, { now: T0 + 3 * DAY }).plans,
    ).toHaveLength(1);
  });

  it('refuses a malformed policy with paths', () => {
    try {
      planCheckIns([], { limit: { contacts: 0 }, afterDelivery: { after: { days: -1 } } }, { now: T0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitValidationError);
      expect((error as CarekitValidationError).issues.map((i) => i.path.join('.')).sort()).toEqual([
        'afterDelivery.after.days',
        'limit.contacts',
      ]);
    }
  });

  test.prop(
    [
      fc.array(
        fc.record({ customer: fc.constantFrom('c1', 'c2', 'c3'), day: fc.nat(40), complaint: fc.boolean() }),
        { maxLength: 25 },
      ),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 20 }),
      fc.array(fc.integer({ min: 1, max: 72 }), { minLength: 1, maxLength: 40 }),
    ],
    propertyRuns(150),
  )(
    'over any history and any calling times, no customer gets more outbound contacts than the limit in any window, and nothing is planned twice',
    (triggers, contacts, perDays, steps) => {
      const log: (TicketEvent | OrderEvent)[] = [];
      triggers.forEach((t, i) => {
        const at = T0 + t.day * DAY;
        if (t.complaint) log.push(...complaint(`T-${i}`, t.customer, at, DAY / 2));
        else log.push(delivered(`d${i}`, t.customer, at));
      });
      const policy = { limit: { contacts, per: { days: perDays } } };
      let now = T0;
      const keys: string[] = [];
      for (const hours of steps) {
        now += hours * 3_600_000;
        const { plans } = planCheckIns(log, policy, { now });
        keys.push(...plans.map((p) => p.key));
        apply(log, plans);
      }
      expect(new Set(keys).size).toBe(keys.length);
      const sent = log.filter(
        (e): e is TicketEventOf<'ticket.opened'> =>
          'ticketId' in e && e.type === 'ticket.opened' && e.origin === 'system',
      );
      for (const a of sent) {
        const inWindow = sent.filter(
          (b) => b.customer.id === a.customer.id && b.at <= a.at && b.at > a.at - perDays * DAY,
        );
        expect(inWindow.length).toBeLessThanOrEqual(contacts);
      }
    },
  );
});

describe('desk.reachOut', () => {
  const desk = () =>
    createDesk({
      agents: [{ id: 'ana', name: 'Ana' }],
      templates: createTemplateLibrary(starterTemplates),
      templateContext: () => ({ brand: { name: 'Loja Azul' }, agent: { name: 'Loja Azul' } }),
    });

  it('opens the outbound ticket, renders the message, routes nobody until the customer answers', async () => {
    const d = desk();
    const { plans } = planCheckIns([delivered('d1', 'c1', T0)], {}, { now: T0 + 3 * DAY });
    const plan = plans[0];
    if (!plan) throw new Error('no plan');
    const result = await d.reachOut(plan);
    expect(result.ticket).toMatchObject({ status: 'pending', assigneeId: null });
    expect(result.effects).toEqual([
      expect.objectContaining({ type: 'send_message', templateId: 'follow_up', customerId: 'c1' }),
    ]);
    expect((await d.routerState()).loads.ana ?? 0).toBe(0);
    expect((await d.reachOut(plan)).duplicate).toBe(true);
    const answer = await d.handle({
      type: 'customer.replied',
      id: 'r1',
      ticketId: plan.ticketId,
      at: T0 + 4 * DAY,
      body: 'The lid is cracked',
    });
    expect(answer.ticket).toMatchObject({ status: 'open', assigneeId: 'ana' });
  });

  it('refuses a plan that does not open a ticket, and stores nothing', async () => {
    const d = desk();
    await expect(
      d.reachOut({
        ticketId: 'x',
        events: [{ type: 'customer.replied', id: 'e', ticketId: 'x', at: T0, body: 'hi' }],
      }),
    ).rejects.toThrow(CarekitError);
    expect(await d.store.load('x')).toBeNull();
  });
});
