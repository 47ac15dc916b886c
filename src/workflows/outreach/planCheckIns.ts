import { z } from 'zod';
import {
  checkArray,
  checkInstant,
  checkNumber,
  checkObject,
  checkString,
  isInstantArgument,
  readArgument,
  readNowOption,
} from '../../model/arguments.js';
import {
  Channel,
  type Customer,
  Duration,
  durationToMs,
  Id,
  isFinalStatus,
  Label,
  type NowOptions,
  type OrderEvent,
  parseInput,
  RESOLVED_STATUSES,
  type TicketEvent,
} from '../../model/index.js';
import { type OutreachPlan, outboundTicket } from './planOutreach.js';

const Trigger = (after: Duration, templateId: string) =>
  z.strictObject({
    /** How long after the delivery or the resolution to check in. */
    after: Duration.default(after),
    templateId: z.string().min(1).max(200).default(templateId),
  });

/** When to check in with customers after a sale, and how often at most (data; validated). */
export const CheckInPolicy = z.strictObject({
  /** A check-in after an order is delivered; `null` turns it off. */
  afterDelivery: Trigger({ days: 3 }, 'follow_up')
    .nullable()
    .default({ after: { days: 3 }, templateId: 'follow_up' }),
  /** A check-in after a ticket of these categories is solved; `null` turns it off. */
  afterComplaint: Trigger({ days: 7 }, 'follow_up')
    .extend({ categories: z.array(Label).min(1).max(100).default(['complaint']) })
    .nullable()
    .default({ after: { days: 7 }, templateId: 'follow_up', categories: ['complaint'] }),
  /**
   * Never more than `contacts` outbound contacts (check-ins, delay notices: tickets opened with
   * origin `system`) to one customer within any window of `per`.
   */
  limit: z
    .strictObject({
      contacts: z.number().int().min(1).max(100).default(1),
      per: Duration.default({ days: 14 }),
    })
    .default({ contacts: 1, per: { days: 14 } }),
  /** A check-in that could not be sent this long after it was due is dropped. */
  expireAfter: Duration.default({ days: 14 }),
  /** The channel when the delivery names none; a complaint's check-in uses the complaint's channel. */
  channel: Channel.default('email'),
  ticketIdPrefix: z.string().max(50).default('checkin-'),
  /** The agent id the check-in is sent as (a bot: it is not a person's reply). */
  senderId: Id.default('care-bot'),
});
export type CheckInPolicy = z.output<typeof CheckInPolicy>;
export type CheckInPolicyInput = z.input<typeof CheckInPolicy>;

/** A check-in that is due but was not planned, and why. */
export interface SkippedCheckIn {
  /** `delivered:<order event id>` or `complaint:<ticket id>`. */
  readonly key: string;
  readonly customerId: string;
  readonly dueAt: number;
  readonly reason: 'limit' | 'open_ticket' | 'blocked' | 'expired';
  readonly message: string;
}

/** What {@link planCheckIns} decided at one instant. */
export interface CheckInPlans {
  readonly plans: readonly (OutreachPlan & { readonly key: string; readonly customerId: string })[];
  readonly skipped: readonly SkippedCheckIn[];
  /** The next instant a check-in not yet due becomes due (call again then), or null. */
  readonly nextDueAt: number | null;
}

interface Candidate {
  readonly key: string;
  readonly dueAt: number;
  readonly customer: Customer;
  readonly channel: Channel;
  readonly templateId: string;
  readonly subject: string;
  readonly body: string;
  readonly orderId?: string;
  readonly followUpOf?: string;
}

interface TicketState {
  customer: Customer;
  channel: Channel;
  category: string | null;
  status: string;
  solvedAt: number | null;
  origin: string;
  openedAt: number;
  checkInOf: string | null;
}

const RESOLVED = new Set<string>(RESOLVED_STATUSES);

/** Options of {@link planCheckIns}: the instant to plan at (required: the planner is pure). */
export interface PlanCheckInsOptions extends NowOptions {
  /** The instant to plan at: a `Date` or epoch milliseconds. */
  readonly now: Date | number;
}

/**
 * Plans post-sale check-ins: a message some days after an order is delivered, and after a
 * complaint is solved, asking whether all is well (source practice: follow the customer's
 * journey after the sale). Pure: give it the events so far (ticket and order events, already
 * parsed, in any order), the policy, and the instant as `options.now` (required: a `Date` or
 * epoch ms); it returns the check-ins due now as outbound ticket
 * plans (apply them with `desk.reachOut`), the ones held back and why, and when to call again.
 *
 * Rules: a check-in is planned once (its ticket carries `meta.checkInOf`, so planning again after
 * it was applied plans nothing); never while the customer has a ticket open (it waits); never
 * to a blocked customer; never more than `limit.contacts` outbound contacts to one customer
 * within `limit.per` (delay notices count too; the check-in waits for the window); dropped when
 * it could not go out within `expireAfter` of its due time. Oldest due first. Arguments of the
 * wrong shape (not an array of parsed events, a bad instant, a bad policy) are refused with a
 * carekit error naming the path.
 *
 * @example
 * ```ts
 * const delivered = parseOrderEvent({ type: 'order.delivered', id: 'd1', orderId: 'O-1', at: '2026-11-02T10:00:00Z', customer: { id: 'c1' } });
 * const { plans } = planCheckIns([delivered], {}, { now: Date.parse('2026-11-05T10:00:00Z') });
 * plans.map((p) => [p.ticketId, p.effects[0]?.templateId]);
 * //=> [['checkin-delivered-d1', 'follow_up']]
 * ```
 */
export function planCheckIns(
  events: readonly (TicketEvent | OrderEvent)[],
  policyInput: CheckInPolicyInput,
  options: PlanCheckInsOptions,
): CheckInPlans;
/**
 * The positional form, kept for one release.
 *
 * @deprecated Pass `now` as an option: `planCheckIns(events, policy, { now })`.
 */
export function planCheckIns(
  events: readonly (TicketEvent | OrderEvent)[],
  policyInput: CheckInPolicyInput,
  now: Date | number,
): CheckInPlans;
export function planCheckIns(
  events: readonly (TicketEvent | OrderEvent)[],
  policyInput: CheckInPolicyInput,
  third: PlanCheckInsOptions | Date | number,
): CheckInPlans {
  const fn = 'planCheckIns';
  const now = isInstantArgument(third)
    ? checkInstant(third, fn, ['now'])
    : checkInstant(readNowOption(third, fn), fn, ['options', 'now']);
  const list = checkArray(events, fn, ['events'], 'an array of ticket and order events', 1_000_000);
  for (const [i, item] of list.entries()) {
    const event = checkObject(item, fn, ['events', i], 'a parsed ticket or order event');
    checkString(readArgument(event, 'type', fn, ['events', i, 'type']), fn, ['events', i, 'type'], 100);
    checkNumber(
      readArgument(event, 'at', fn, ['events', i, 'at']),
      fn,
      ['events', i, 'at'],
      'epoch milliseconds',
    );
  }
  const policy = parseInput(CheckInPolicy, policyInput, 'check-in policy');
  const perMs = durationToMs(policy.limit.per);
  const expireMs = durationToMs(policy.expireAfter);
  const ordered = [...events].sort((a, b) => (a.at as number) - (b.at as number));
  const tickets = new Map<string, TicketState>();
  const deliveries: OrderEvent[] = [];
  const seen = new Set<string>();
  for (const event of ordered) {
    if (event.type.startsWith('order.')) {
      if (event.type === 'order.delivered' && (event.at as number) <= now)
        deliveries.push(event as OrderEvent);
      continue;
    }
    const e = event as TicketEvent;
    if (e.at > now || seen.has(`${e.ticketId}\u0000${e.id}`)) continue;
    seen.add(`${e.ticketId}\u0000${e.id}`);
    if (e.type === 'ticket.opened') {
      const checkInOf = e.meta?.checkInOf;
      tickets.set(e.ticketId, {
        customer: e.customer,
        channel: e.channel,
        category: e.category ?? null,
        status: 'new',
        solvedAt: null,
        origin: e.origin ?? 'customer',
        openedAt: e.at,
        checkInOf: typeof checkInOf === 'string' ? checkInOf : null,
      });
      continue;
    }
    const t = tickets.get(e.ticketId);
    if (!t) continue;
    const to =
      e.type === 'agent.replied' || e.type === 'ticket.status_set'
        ? (e.status ?? (e.type === 'agent.replied' && t.status === 'new' ? 'open' : t.status))
        : e.type === 'customer.replied'
          ? isFinalStatus(t.status)
            ? t.status
            : 'open'
          : e.type === 'ticket.closed' || e.type === 'ticket.marked_spam'
            ? 'closed'
            : e.type === 'ticket.merged'
              ? 'merged'
              : t.status;
    if (e.type === 'ticket.categorized') t.category = e.category;
    if (to === 'solved' && t.status !== 'solved') t.solvedAt = e.at;
    else if (to !== 'solved' && to !== 'closed') t.solvedAt = null;
    if (e.type === 'ticket.marked_spam' || e.type === 'ticket.merged') t.solvedAt = null;
    t.status = to;
  }

  const candidates: Candidate[] = [];
  if (policy.afterDelivery) {
    for (const d of deliveries) {
      candidates.push({
        key: `delivered:${d.id}`,
        dueAt: (d.at as number) + durationToMs(policy.afterDelivery.after),
        customer: d.customer,
        channel: d.channel ?? policy.channel,
        templateId: policy.afterDelivery.templateId,
        subject: 'How is your order?',
        body: `Order ${d.orderId} was delivered`,
        orderId: d.orderId,
      });
    }
  }
  if (policy.afterComplaint) {
    for (const [ticketId, t] of tickets) {
      if (t.origin !== 'customer' || t.solvedAt === null || t.category === null) continue;
      if (!policy.afterComplaint.categories.includes(t.category)) continue;
      candidates.push({
        key: `complaint:${ticketId}`,
        dueAt: t.solvedAt + durationToMs(policy.afterComplaint.after),
        customer: t.customer,
        channel: t.channel,
        templateId: policy.afterComplaint.templateId,
        subject: 'Is everything all right now?',
        body: `Checking in after ${ticketId} was solved`,
        followUpOf: ticketId,
      });
    }
  }
  candidates.sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));

  const done = new Set([...tickets.values()].map((t) => t.checkInOf).filter((k) => k !== null));
  // Outbound contacts per customer (times), including the ones planned in this call.
  const outbound = new Map<string, number[]>();
  const open = new Set<string>();
  for (const t of tickets.values()) {
    if (t.origin === 'system')
      outbound.set(t.customer.id, [...(outbound.get(t.customer.id) ?? []), t.openedAt]);
    else if (!RESOLVED.has(t.status)) open.add(t.customer.id);
  }

  const plans: (OutreachPlan & { key: string; customerId: string })[] = [];
  const skipped: SkippedCheckIn[] = [];
  let nextDueAt: number | null = null;
  for (const c of candidates) {
    if (done.has(c.key)) continue;
    if (c.dueAt > now) {
      nextDueAt = nextDueAt === null ? c.dueAt : Math.min(nextDueAt, c.dueAt);
      continue;
    }
    const customerId = c.customer.id;
    const skip = (reason: SkippedCheckIn['reason'], message: string) =>
      skipped.push({ key: c.key, customerId, dueAt: c.dueAt, reason, message });
    if (now - c.dueAt > expireMs) {
      skip('expired', `not sent within ${expireMs / 3_600_000} h of its due time`);
      continue;
    }
    if (c.customer.blocked) {
      skip('blocked', 'the customer is blocked');
      continue;
    }
    if (open.has(customerId)) {
      skip('open_ticket', 'the customer has a ticket open; the check-in waits until it is solved');
      continue;
    }
    const recent = (outbound.get(customerId) ?? []).filter((at) => at > now - perMs && at <= now);
    if (recent.length >= policy.limit.contacts) {
      skip(
        'limit',
        `already contacted ${recent.length} time(s) in the last ${perMs / 86_400_000} days (limit ${policy.limit.contacts})`,
      );
      // The window admits one more contact once enough of the recent ones have left it.
      const free = (recent.sort((a, b) => a - b)[recent.length - policy.limit.contacts] as number) + perMs;
      if (free - c.dueAt <= expireMs) nextDueAt = nextDueAt === null ? free : Math.min(nextDueAt, free);
      continue;
    }
    outbound.set(customerId, [...(outbound.get(customerId) ?? []), now]);
    plans.push(plan(c, policy, now));
  }
  return { plans, skipped, nextDueAt };
}

function plan(c: Candidate, policy: CheckInPolicy, now: number) {
  const ticketId = `${policy.ticketIdPrefix}${c.key.replace(':', '-')}`;
  const { events, effects } = outboundTicket({
    ticketId,
    eventPrefix: ticketId,
    at: now,
    channel: c.channel,
    subject: c.subject,
    body: c.body,
    customer: c.customer,
    category: 'follow_up',
    tags: ['proactive', 'check_in'],
    ...(c.followUpOf ? { followUpOf: c.followUpOf } : {}),
    meta: { checkInOf: c.key, templateId: c.templateId, ...(c.orderId ? { orderId: c.orderId } : {}) },
    templateId: c.templateId,
    senderId: policy.senderId,
  });
  return { key: c.key, customerId: c.customer.id, ticketId, events, effects };
}
