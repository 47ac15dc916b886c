import { z } from 'zod';
import {
  Channel,
  type Customer,
  type OrderEvent,
  Priority,
  parseInput,
  parseOrderEvent,
  type TicketEventInput,
} from '../../model/index.js';
import type { SendTemplateEffect } from '../ticket/effects.js';

/** How the business reaches out before the customer asks (data; validated). */
export const OutreachPolicy = z.strictObject({
  /** The channel used when the order event names none. Default email. */
  channel: Channel.default('email'),
  /** Template ids per situation; `null` turns that outreach off. */
  templates: z
    .strictObject({
      shipmentDelayed: z.string().min(1).max(200).nullable().default('delay_notice'),
      problemDetected: z.string().min(1).max(200).nullable().default('order_problem'),
      delivered: z.string().min(1).max(200).nullable().default(null),
    })
    .default({ shipmentDelayed: 'delay_notice', problemDetected: 'order_problem', delivered: null }),
  /** Priority of an outbound ticket about a delay; problems get `problemPriority`. */
  priority: Priority.default('normal'),
  problemPriority: Priority.default('high'),
  /** Outbound ticket ids are this prefix and the order event id, so a redelivered event plans the same ticket. */
  ticketIdPrefix: z.string().max(50).default('out-'),
  /** The agent id the notice is sent as (a bot: it does not count as a person's reply). */
  senderId: z.string().min(1).max(200).default('care-bot'),
});
export type OutreachPolicy = z.output<typeof OutreachPolicy>;
export type OutreachPolicyInput = z.input<typeof OutreachPolicy>;

/** What an outbound ticket is made of, for {@link outboundTicket}. */
export interface OutboundTicket {
  readonly ticketId: string;
  /** The opening and notice events get the ids `<prefix>:opened` and `<prefix>:notice`. */
  readonly eventPrefix: string;
  readonly at: number;
  readonly channel: Channel;
  readonly subject: string;
  readonly body: string;
  readonly customer: Customer;
  readonly priority?: Priority;
  readonly category: string;
  readonly tags: readonly string[];
  readonly followUpOf?: string;
  readonly meta: Record<string, string>;
  readonly templateId: string;
  readonly senderId: string;
}

/**
 * The events and message of an outbound ticket: opened by the business (origin `system`), its
 * notice logged as the sender bot's reply that leaves it `pending`, and the template to send.
 * Shared by {@link planOutreach} and `planCheckIns`.
 *
 * @internal
 * @example
 * ```ts
 * outboundTicket({ ticketId: 'out-1', eventPrefix: 'o1', at: 0, channel: 'email', subject: 'Late', body: 'Order 1', customer: { id: 'c1' }, category: 'shipping_delay', tags: [], meta: {}, templateId: 'delay_notice', senderId: 'care-bot' }).events.map((e) => e.id);
 * //=> ['o1:opened', 'o1:notice']
 * ```
 */
export function outboundTicket(t: OutboundTicket): Pick<OutreachPlan, 'events' | 'effects'> {
  const noticeId = `${t.eventPrefix}:notice`;
  const events: TicketEventInput[] = [
    {
      type: 'ticket.opened',
      id: `${t.eventPrefix}:opened`,
      ticketId: t.ticketId,
      at: t.at,
      channel: t.channel,
      subject: t.subject,
      body: t.body,
      customer: t.customer,
      ...(t.priority ? { priority: t.priority } : {}),
      category: t.category,
      tags: [...t.tags],
      origin: 'system',
      ...(t.followUpOf ? { followUpOf: t.followUpOf } : {}),
      meta: t.meta,
    },
    {
      type: 'agent.replied',
      id: noticeId,
      ticketId: t.ticketId,
      at: t.at,
      agentId: t.senderId,
      body: `[${t.templateId}] ${t.body}`,
      bot: true,
      status: 'pending',
      meta: t.meta,
    },
  ];
  const effects: SendTemplateEffect[] = [
    {
      type: 'send_template',
      id: `${t.ticketId}/${noticeId}/send_template/0`,
      ticketId: t.ticketId,
      at: t.at,
      causedBy: noticeId,
      templateId: t.templateId,
      customerId: t.customer.id,
      channel: t.channel,
    },
  ];
  return { events, effects };
}

/** The outreach for one order event: the events to apply and the message to send. */
export interface OutreachPlan {
  readonly ticketId: string;
  /** `ticket.opened` (origin `system`) and the notice as a bot reply that sets `pending`. */
  readonly events: readonly TicketEventInput[];
  /** The notice to render and send. */
  readonly effects: readonly SendTemplateEffect[];
}

const SUBJECTS: Record<OrderEvent['type'], string> = {
  'order.shipment_delayed': 'Your order is delayed',
  'order.problem_detected': 'A problem with your order',
  'order.delivered': 'How is your order?',
  'order.placed': 'Your order',
};

const CATEGORIES: Record<OrderEvent['type'], string> = {
  'order.shipment_delayed': 'shipping_delay',
  'order.problem_detected': 'order_status',
  'order.delivered': 'follow_up',
  'order.placed': 'order_status',
};

/**
 * Plans proactive outreach for an order event: informing the buyer of a delay or a problem
 * before they ask (source practice), as an outbound ticket that waits for the customer's
 * answer. The plan is data: apply `events` with the ticket workflow (the ticket opens with
 * origin `system`, the notice sets it `pending`, a customer answer reopens it for an agent,
 * silence auto-solves it) and send the `send_template` effect. Planning the same order event
 * twice gives the same ticket and event ids, so redelivery is harmless. Returns null when the
 * policy has no outreach for the event (a new order, or a template turned off).
 *
 * @example
 * ```ts
 * const plan = planOutreach({ type: 'order.shipment_delayed', id: 'ship-77', orderId: '4411',
 *   at: '2025-03-10T08:00:00Z', customer: { id: 'c1', email: 'lan@example.com' } });
 * plan?.ticketId;
 * //=> 'out-ship-77'
 * plan?.events.map((e) => e.type);
 * //=> ['ticket.opened', 'agent.replied']
 * plan?.effects[0]?.templateId;
 * //=> 'delay_notice'
 * ```
 */
export function planOutreach(
  orderEvent: unknown,
  policyInput: OutreachPolicyInput = {},
): OutreachPlan | null {
  const order = parseOrderEvent(orderEvent);
  const policy = parseInput(OutreachPolicy, policyInput, 'outreach policy');
  const templateId =
    order.type === 'order.shipment_delayed'
      ? policy.templates.shipmentDelayed
      : order.type === 'order.problem_detected'
        ? policy.templates.problemDetected
        : order.type === 'order.delivered'
          ? policy.templates.delivered
          : null;
  if (templateId === null) return null;
  const ticketId = `${policy.ticketIdPrefix}${order.id}`;
  const channel = order.channel ?? policy.channel;
  const detail =
    order.type === 'order.problem_detected'
      ? `Order ${order.orderId}: ${order.problem.replaceAll('_', ' ')}${order.detail ? ` (${order.detail})` : ''}`
      : order.type === 'order.shipment_delayed' && order.expectedAt !== undefined
        ? `Order ${order.orderId} is now expected ${new Date(order.expectedAt).toISOString().slice(0, 10)}`
        : `Order ${order.orderId}`;
  const meta = { orderId: order.orderId, orderEventId: order.id, templateId };
  const { events, effects } = outboundTicket({
    ticketId,
    eventPrefix: order.id,
    at: order.at,
    channel,
    subject: SUBJECTS[order.type],
    body: detail,
    customer: order.customer,
    priority: order.type === 'order.problem_detected' ? policy.problemPriority : policy.priority,
    category: CATEGORIES[order.type],
    tags: ['proactive'],
    meta,
    templateId,
    senderId: policy.senderId,
  });
  return { ticketId, events, effects };
}
