// Arbitrary event logs for one ticket: every event type, valid and invalid for the current
// status, duplicate ids, ticks, and now and then an event earlier than the last one.
import { fc } from '@fast-check/vitest';
import type { TicketEventInput } from 'carekit';

export const T0 = Date.UTC(2025, 2, 10, 9, 0);
const H = 3_600_000;

const agents = fc.constantFrom('a1', 'a2', 'a3');
const settable = fc.constantFrom('open', 'pending', 'on_hold', 'solved');

/**
 * Now and then a custom status: the first configuration's awaiting_supplier (an on_hold status)
 * with its category, with another status, or an unknown one.
 */
function withCustomStatus<T extends Record<string, unknown>>(spec: T, roll: number): T {
  if (roll === 0) return { ...spec, status: 'on_hold', customStatus: 'awaiting_supplier' };
  if (roll === 1) return { ...spec, customStatus: 'awaiting_supplier' };
  if (roll === 2 && spec.status !== undefined) return { ...spec, customStatus: 'escalated_to_finance' };
  return spec;
}
const tag = fc.constantFrom('vip', 'refund', 'late');

const body = fc.constantFrom(
  'Where is my order?',
  'Thanks!',
  'Any news?',
  '¿Dónde está mi pedido?',
  'Cảm ơn',
);

type Spec = Record<string, unknown> & { type: string };

const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('customer.replied'), body }) },
  {
    weight: 5,
    arbitrary: fc
      .record(
        {
          type: fc.constant('agent.replied'),
          agentId: agents,
          body,
          public: fc.boolean(),
          status: settable,
          bot: fc.boolean(),
        },
        { requiredKeys: ['type', 'agentId', 'body'] },
      )
      .chain((s) => fc.nat(9).map((roll) => withCustomStatus(s, roll))),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('agent.noted'), agentId: agents, body }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant('ticket.assigned'),
        agentId: fc.option(agents, { nil: null }),
        tier: fc.integer({ min: 1, max: 3 }),
      },
      { requiredKeys: ['type', 'agentId'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.record({ type: fc.constant('ticket.status_set'), status: settable }), fc.nat(9))
      .map(([s, roll]) => withCustomStatus(s, roll)),
  },
  {
    weight: 2,
    arbitrary: fc
      .record(
        {
          order_id: fc.constantFrom('A-1', 'B-22', '', 5, null),
          refund: fc.constantFrom(10, 0, -1, 'x', null),
          reason: fc.constantFrom('late', 'broken', 'lost', null),
          colour: fc.constant('red'),
        },
        { requiredKeys: [] },
      )
      .filter((f) => Object.keys(f).length > 0 && (!('colour' in f) || Object.keys(f).length === 1))
      .map((fields) => ({ type: 'ticket.fields_set', fields })),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: fc.constant('ticket.tagged'),
        add: fc.array(tag, { maxLength: 2 }),
        remove: fc.array(tag, { maxLength: 2 }),
      },
      { requiredKeys: ['type'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('macro.applied'),
      macroId: fc.constantFrom('refund', 'nope'),
      agentId: agents,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('ticket.reprioritized'),
      priority: fc.constantFrom('low', 'normal', 'high', 'urgent'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('ticket.categorized'),
      category: fc.constantFrom('refund', 'shipping', 'complaint'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('ticket.escalated'),
      tier: fc.integer({ min: 1, max: 3 }),
      reason: fc.constant('manual'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'ticket.merged', into: 'T-0' }) },
  { weight: 1, arbitrary: fc.constant({ type: 'ticket.closed' }) },
  { weight: 1, arbitrary: fc.constant({ type: 'ticket.marked_spam' }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('survey.answered'),
      survey: fc.constant('csat'),
      score: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ type: 'clock.tick' }) },
  {
    weight: 1,
    arbitrary: fc.constant({
      type: 'ticket.opened',
      channel: 'chat',
      subject: 's',
      body: 'b',
      customer: { id: 'c1' },
    }),
  },
);

/** A gap before the event: usually forward (minutes to days), sometimes zero or backwards. */
const gap = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 3 * 24 * H }) },
  { weight: 3, arbitrary: fc.integer({ min: 3 * 24 * H, max: 12 * 24 * H }) },
  { weight: 1, arbitrary: fc.integer({ min: -H, max: -1 }) },
);

export interface LogOptions {
  readonly blocked?: boolean;
}

/** A ticket's log: the opening event and up to `max` more, some duplicated, some for another ticket. */
export function arbTicketLog(max = 30, options: LogOptions = {}) {
  return fc.array(fc.tuple(spec, gap, fc.nat(99)), { maxLength: max }).map((items) => {
    const log: Record<string, unknown>[] = [
      {
        type: 'ticket.opened',
        id: 'e0',
        ticketId: 'T-1',
        at: T0,
        channel: 'email',
        subject: 'Broken mug',
        body: 'It arrived in pieces.',
        customer: options.blocked ? { id: 'c1', blocked: true } : { id: 'c1' },
      },
    ];
    let at = T0;
    items.forEach(([s, g, roll], i) => {
      at += g;
      if (roll < 8 && log.length > 1) {
        // Redeliver an earlier event (at-least-once delivery).
        log.push(log[1 + (roll % (log.length - 1))]!);
        return;
      }
      const ticketId = roll === 99 ? 'T-2' : 'T-1';
      log.push({ ...s, id: `e${i + 1}`, ticketId, at });
    });
    return log as unknown as TicketEventInput[];
  });
}
