import { z } from 'zod';
import type { OrderEvent, TicketEvent } from '../model/index.js';
import { RESOLVED_STATUSES } from '../model/index.js';
import { checkName, MetricsArgumentError, parseOptions, readSafely } from './guards.js';

const JourneyOptionsSchema = z.strictObject({ now: z.number().finite().optional() });

/** One moment of a customer's journey. */
export interface JourneyEntry {
  readonly at: number;
  readonly kind:
    | 'contact'
    | 'outreach'
    | 'reply'
    | 'status'
    | 'escalation'
    | 'survey'
    | 'remedy'
    | 'order'
    | 'segment_change'
    /** A merge, a split, or a ticket becoming (or ceasing to be) another's child. */
    | 'relation';
  readonly ticketId?: string;
  /** The parent ticket of the entry's ticket when it had one then: children group under it. */
  readonly parentId?: string;
  readonly orderId?: string;
  /** A line for a person: "opened T-1 by email: Late parcel", "CSAT 2". */
  readonly summary: string;
}

/** What a CRM shows an agent about a customer, derived from the journey. */
export interface JourneyFacts {
  readonly firstContactAt: number | null;
  readonly contactsLast30Days: number;
  /** Tickets, a merged ticket once (in the ticket it was merged into). */
  readonly tickets: number;
  /** Tickets merged into another. */
  readonly merged: number;
  /** Child tickets by parent, at the end of the events given (work handed to other teams). */
  readonly children: Readonly<Record<string, readonly string[]>>;
  /** Tickets not solved, closed or merged at the end of the events given. */
  readonly openTickets: number;
  readonly lastCsat: number | null;
  /** Remedies given (events whose `meta.remedy` is `{ kind, amount? }`), and their total amount. */
  readonly remedies: number;
  readonly remedyAmount: number;
  readonly orders: number;
  readonly segment: string | null;
}

/** A customer's journey: every moment in time order, and the facts derived from it. */
export interface CustomerJourney {
  readonly customerId: string;
  readonly entries: readonly JourneyEntry[];
  readonly facts: JourneyFacts;
}

const DAY = 86_400_000;
const RESOLVED = new Set<string>(RESOLVED_STATUSES);

function remedyOf(event: TicketEvent): { kind: string; amount: number } | null {
  const remedy = (event.meta as Record<string, unknown> | undefined)?.remedy;
  if (typeof remedy !== 'object' || remedy === null) return null;
  const { kind, amount } = remedy as Record<string, unknown>;
  if (typeof kind !== 'string') return null;
  return { kind, amount: typeof amount === 'number' && Number.isFinite(amount) ? amount : 0 };
}

/**
 * One customer's journey across tickets and orders: every contact, outreach, reply, status
 * change, escalation, survey answer, remedy, order and segment change, in time order, with the
 * facts a CRM shows an agent (first contact, contacts in the last 30 days, open tickets, last
 * CSAT, lifetime remedies, orders, current segment) — and the input for segment rules such as
 * "at risk". Ticket events are attributed to the customer through their ticket's
 * `ticket.opened`; a remedy is an event whose `meta.remedy` is `{ kind, amount? }`.
 *
 * @example
 * ```ts
 * const journey = customerJourney([...ticketEvents, ...orderEvents], 'c-7', { now });
 * journey.facts.openTickets;
 * //=> 1
 * journey.entries.map((e) => e.summary);
 * //=> ['ordered O-1', 'opened T-1 by email: Broken mug', 'reply from ana', 'status solved', 'CSAT 2']
 * ```
 */
export function customerJourney(
  events: readonly (TicketEvent | OrderEvent)[],
  customerId: string,
  options: { now?: number } = {},
): CustomerJourney {
  parseOptions(JourneyOptionsSchema, options, 'customerJourney');
  checkName(customerId, 'customerJourney', 'customerId');
  checkEvents(events);
  const owner = new Map<string, string>();
  for (const e of events) if (e.type === 'ticket.opened') owner.set(e.ticketId, e.customer.id);
  const mine = events
    .filter((e) =>
      e.type.startsWith('order.')
        ? (e as OrderEvent).customer.id === customerId
        : owner.get((e as TicketEvent).ticketId) === customerId,
    )
    // Array.prototype.sort is stable: events of one instant keep the order they came in.
    .sort((a, b) => (a.at as number) - (b.at as number));

  const entries: JourneyEntry[] = [];
  const status = new Map<string, string>();
  const seen = new Set<string>();
  let segment: string | null = null;
  let lastCsat: number | null = null;
  let remedies = 0;
  let remedyAmount = 0;
  let orders = 0;
  const contacts: number[] = [];
  const parents = new Map<string, string>();
  const push = (entry: JourneyEntry) => {
    const parentId = entry.ticketId === undefined ? undefined : parents.get(entry.ticketId);
    entries.push(parentId === undefined ? entry : { ...entry, parentId });
  };

  for (const event of mine) {
    const at = event.at as number;
    if (event.type.startsWith('order.')) {
      const order = event as OrderEvent;
      if (order.type === 'order.placed') orders++;
      push({
        at,
        kind: 'order',
        orderId: order.orderId,
        summary: `${order.type.slice(6).replace('_', ' ')} ${order.orderId}`,
      });
      continue;
    }
    const e = event as TicketEvent;
    const key = `${e.ticketId}\u0000${e.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ticketId = e.ticketId;
    switch (e.type) {
      case 'ticket.opened': {
        const outbound = e.origin === 'system' || e.origin === 'agent';
        // A split ticket's first message was counted as a contact where it was written.
        if (!outbound && e.splitFrom === undefined) contacts.push(at);
        status.set(ticketId, 'new');
        if (e.parentId !== undefined) parents.set(ticketId, e.parentId);
        const next = e.customer.segment ?? null;
        if (next !== null && next !== segment) {
          if (segment !== null)
            push({ at, kind: 'segment_change', ticketId, summary: `segment ${segment} → ${next}` });
          segment = next;
        }
        if (e.splitFrom !== undefined) {
          push({ at, kind: 'relation', ticketId, summary: `split ${ticketId} off ${e.splitFrom.ticketId}` });
          break;
        }
        push({
          at,
          kind: outbound ? 'outreach' : 'contact',
          ticketId,
          summary: `${outbound ? 'we contacted them' : 'opened'} ${ticketId} by ${e.channel}${e.subject ? `: ${e.subject}` : ''}`,
        });
        break;
      }
      case 'ticket.merged_from':
        push({ at, kind: 'relation', ticketId, summary: `merged ${e.source} into ${ticketId}` });
        break;
      case 'ticket.parent_set':
        if (e.parentId === null) parents.delete(ticketId);
        push({
          at,
          kind: 'relation',
          ticketId,
          summary:
            e.parentId === null
              ? `${ticketId} is no longer a child ticket`
              : `${ticketId} became a child of ${e.parentId}`,
        });
        if (e.parentId !== null) parents.set(ticketId, e.parentId);
        break;
      case 'customer.replied':
        contacts.push(at);
        if (status.get(ticketId) === 'solved' || status.get(ticketId) === 'pending')
          status.set(ticketId, 'open');
        push({ at, kind: 'contact', ticketId, summary: `wrote again on ${ticketId}` });
        break;
      case 'agent.replied':
        if (e.public !== false)
          push({
            at,
            kind: 'reply',
            ticketId,
            summary: `${e.bot ? 'bot reply' : `reply from ${e.agentId}`}`,
          });
        if (e.status) {
          status.set(ticketId, e.status);
          push({ at, kind: 'status', ticketId, summary: `status ${e.status}` });
        }
        break;
      case 'ticket.status_set':
        status.set(ticketId, e.status);
        push({ at, kind: 'status', ticketId, summary: `status ${e.status}` });
        break;
      case 'ticket.closed':
      case 'ticket.marked_spam':
      case 'ticket.merged':
        status.set(ticketId, e.type === 'ticket.merged' ? 'merged' : 'closed');
        push({
          at,
          kind: 'status',
          ticketId,
          summary: `status ${e.type === 'ticket.merged' ? 'merged' : 'closed'}`,
        });
        break;
      case 'ticket.escalated':
        push({ at, kind: 'escalation', ticketId, summary: `escalated to tier ${e.tier}: ${e.reason}` });
        break;
      case 'survey.answered':
        if (e.survey === 'csat') lastCsat = e.score;
        push({ at, kind: 'survey', ticketId, summary: `${e.survey.toUpperCase()} ${e.score}` });
        break;
      default:
        break;
    }
    const remedy = remedyOf(e);
    if (remedy) {
      remedies++;
      remedyAmount += remedy.amount;
      push({
        at,
        kind: 'remedy',
        ticketId,
        summary: `remedy ${remedy.kind}${remedy.amount ? ` ${remedy.amount}` : ''}`,
      });
    }
  }
  const now = options.now ?? (mine.length > 0 ? (mine[mine.length - 1]?.at as number) : 0);
  const children: Record<string, string[]> = {};
  for (const [child, parent] of [...parents].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const list = children[parent] ?? [];
    list.push(child);
    children[parent] = list;
  }
  const merged = [...status.values()].filter((s) => s === 'merged').length;
  return {
    customerId,
    entries,
    facts: {
      firstContactAt: contacts.length > 0 ? Math.min(...contacts) : null,
      contactsLast30Days: contacts.filter((at) => at <= now && now - at <= 30 * DAY).length,
      tickets: status.size - merged,
      merged,
      children,
      openTickets: [...status.values()].filter((s) => !RESOLVED.has(s)).length,
      lastCsat,
      remedies,
      remedyAmount,
      orders,
      segment,
    },
  };
}

/** Parsed events only (`parseTicketEvent`, `parseOrderEvent`): one cheap look at each. */
function checkEvents(events: unknown): void {
  if (!Array.isArray(events))
    throw new MetricsArgumentError(
      'invalid_events',
      [],
      'customerJourney: expected an array of parsed ticket and order events (parseTicketEvent, parseOrderEvent)',
    );
  readSafely('customerJourney', [], () => {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as { type?: unknown; at?: unknown } | null;
      if (typeof e !== 'object' || e === null || typeof e.type !== 'string' || typeof e.at !== 'number')
        throw new MetricsArgumentError(
          'invalid_events',
          [i],
          `customerJourney: [${i}] is not a parsed event (an object with a type and an epoch-ms at); parse events with parseTicketEvent or parseOrderEvent first`,
        );
    }
  });
}
