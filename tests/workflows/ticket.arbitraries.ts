// Arbitrary event logs for one ticket: every event type, valid and invalid for the current
// status, duplicate ids, ticks, and now and then an event earlier than the last one.
import { fc } from '@fast-check/vitest';

export const T0 = Date.UTC(2025, 2, 10, 9, 0);
const H = 3_600_000;

const agents = fc.constantFrom('a1', 'a2', 'a3');
const settable = fc.constantFrom('open', 'pending', 'on_hold', 'solved');

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
    arbitrary: fc.record(
      {
        type: fc.constant('agent.replied'),
        agentId: agents,
        body,
        public: fc.boolean(),
        status: settable,
        bot: fc.boolean(),
      },
      { requiredKeys: ['type', 'agentId', 'body'] },
    ),
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
  { weight: 3, arbitrary: fc.record({ type: fc.constant('ticket.status_set'), status: settable }) },
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
    return log;
  });
}
