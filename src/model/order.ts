import { z } from 'zod';
import { Channel } from './enums.js';
import { Id, Instant, Label, Meta } from './primitives.js';
import { Customer } from './records.js';

const orderBase = {
  /** Unique per order event; the same id always plans the same outreach (idempotent). */
  id: Id,
  orderId: Id,
  at: Instant,
  customer: Customer,
  /** The channel to reach the customer on; the outreach policy's default when absent. */
  channel: Channel.optional(),
  /** Where the order was placed (own shop, a marketplace), for reports. */
  storefront: z.string().min(1).max(100).optional(),
  /** Order value in the business's currency, for remedies and segments. */
  value: z.number().min(0).max(1e12).optional(),
  meta: Meta.optional(),
};

/**
 * Something that happened to an order that customer care may act on before the customer
 * asks: a delayed shipment, a detected problem, a delivery (for post-sale follow-up).
 */
export const OrderEvent = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('order.shipment_delayed'),
    ...orderBase,
    /** The delivery date promised before, and the new estimate (ISO or epoch ms). */
    promisedAt: Instant.optional(),
    expectedAt: Instant.optional(),
    carrier: z.string().min(1).max(100).optional(),
  }),
  z.strictObject({
    type: z.literal('order.problem_detected'),
    ...orderBase,
    problem: z.enum([
      'out_of_stock',
      'payment_failed',
      'address_invalid',
      'lost_in_transit',
      'damaged_in_transit',
      'other',
    ]),
    detail: z.string().max(2000).optional(),
  }),
  z.strictObject({
    type: z.literal('order.delivered'),
    ...orderBase,
  }),
  z.strictObject({
    type: z.literal('order.placed'),
    ...orderBase,
    items: z.array(Label).max(500).optional(),
  }),
]);
export type OrderEvent = z.output<typeof OrderEvent>;
export type OrderEventInput = z.input<typeof OrderEvent>;
