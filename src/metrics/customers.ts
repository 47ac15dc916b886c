import type { OrderEvent } from '../model/index.js';
import type { Accumulator } from './accumulator.js';
import type { RateResult } from './rates.js';
import { kpi } from './result.js';
import type { TicketFacts } from './ticketFacts.js';

const DAY = 86_400_000;

/** One ticket as the customer-level KPIs keep it: plain JSON, grouped by customer. */
export interface ContactRecord {
  readonly createdAt: number;
  readonly category: string | null;
  readonly channel: string;
}

/** The plain-JSON partial state of the customer-level accumulators: contacts per customer. */
export interface CustomerState {
  readonly customers: Readonly<Record<string, readonly ContactRecord[]>>;
}

function emptyCustomers(): CustomerState {
  return { customers: Object.create(null) as Record<string, readonly ContactRecord[]> };
}

/** Adds in place (a fold owns its state): copying a record of every customer per ticket would be quadratic. */
function addContact(state: CustomerState, f: TicketFacts): CustomerState {
  if (f.excluded !== null || f.origin !== 'customer') return state;
  const customers = state.customers as Record<string, ContactRecord[]>;
  const contact = { createdAt: f.createdAt, category: f.category, channel: f.channel };
  const list = customers[f.customerId];
  if (list) list.push(contact);
  else customers[f.customerId] = [contact];
  return state;
}

function mergeCustomers(a: CustomerState, b: CustomerState): CustomerState {
  const customers = Object.create(null) as Record<string, ContactRecord[]>;
  for (const side of [a, b]) {
    for (const [id, list] of Object.entries(side.customers))
      customers[id] = [...(customers[id] ?? []), ...list];
  }
  return { customers };
}

const byText = (x: string | null, y: string | null) =>
  x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;

/** Sorted by time, then category and channel, so the result never depends on merge order. */
function ordered(list: readonly ContactRecord[]): readonly ContactRecord[] {
  if (list.length < 2) return list;
  return [...list].sort(
    (x, y) => x.createdAt - y.createdAt || byText(x.category, y.category) || byText(x.channel, y.channel),
  );
}

function rate(hits: number, n: number, definition: string, what: string): RateResult {
  return kpi(n === 0 ? 0 : (100 * hits) / n, n, definition, { hits }, `no ${what} to count`);
}

/** Options of {@link callbackRate}. */
export interface CallbackOptions {
  /** How soon a new contact counts as a callback. Default 7 days. */
  readonly withinMs?: number;
  /** Whether two contacts are about the same thing. Default: the same category (unknown matches unknown). */
  readonly sameAs?: (first: ContactRecord, next: ContactRecord) => boolean;
}

/**
 * Callback rate as an accumulator: contacts grouped by customer, merged by concatenation, so
 * partitions (days, shards) merge into the same answer.
 *
 * @example
 * ```ts
 * fold(callbackAccumulator({ withinMs: 7 * 86_400_000 }), facts).value;
 * //=> 12.5
 * ```
 */
export function callbackAccumulator(
  options: CallbackOptions = {},
): Accumulator<TicketFacts, CustomerState, RateResult> {
  return {
    empty: emptyCustomers,
    add: addContact,
    merge: mergeCustomers,
    result: (state) => countCallbacks(Object.values(state.customers), options),
  };
}

/** Counts callbacks over contacts grouped by customer (each group in any order). */
function countCallbacks(groups: Iterable<readonly ContactRecord[]>, options: CallbackOptions): RateResult {
  const within = options.withinMs ?? 7 * DAY;
  const same = options.sameAs ?? ((a: ContactRecord, b: ContactRecord) => a.category === b.category);
  const days = Math.round((within / DAY) * 10) / 10;
  let n = 0;
  let hits = 0;
  for (const group of groups) {
    n += group.length;
    if (group.length < 2) continue;
    const contacts = ordered(group);
    for (let i = 0; i < contacts.length; i++) {
      const contact = contacts[i] as ContactRecord;
      for (let j = i + 1; j < contacts.length; j++) {
        const next = contacts[j] as ContactRecord;
        if (next.createdAt - contact.createdAt > within) break;
        if (next.createdAt > contact.createdAt && same(contact, next)) {
          hits++;
          break;
        }
      }
    }
  }
  return rate(
    hits,
    n,
    `callback rate (repeat contacts): customer tickets followed by another ticket of the same customer about the same thing within ${days} days`,
    'customer tickets',
  );
}

/**
 * Callback rate (repeat contact rate): the share of customer tickets after which the same
 * customer contacted again about the same thing (by default the same category) within N days
 * (default 7). It is how contact centres measure first contact resolution from the customer's
 * side (SQM Group counts repeat contacts within a window); a high rate means problems come back.
 * Spam, merged and agent- or system-opened tickets are left out.
 *
 * @example
 * ```ts
 * callbackRate(facts, { withinMs: 3 * 86_400_000 }).value;
 * //=> 8.3
 * ```
 */
export function callbackRate(facts: readonly TicketFacts[], options: CallbackOptions = {}): RateResult {
  // The same count as the accumulator, grouped with a Map (much faster than a record of every customer).
  const groups = new Map<string, ContactRecord[]>();
  for (const f of facts) {
    if (f.excluded !== null || f.origin !== 'customer') continue;
    const contact = { createdAt: f.createdAt, category: f.category, channel: f.channel };
    const group = groups.get(f.customerId);
    if (group) group.push(contact);
    else groups.set(f.customerId, [contact]);
  }
  return countCallbacks(groups.values(), options);
}

/** The plain-JSON partial state of the returning-customer accumulator: tickets per customer. */
export interface ReturningState {
  readonly tickets: Readonly<Record<string, number>>;
}

/**
 * Returning-customer rate as an accumulator (tickets counted per customer).
 *
 * @example
 * ```ts
 * fold(returningCustomerAccumulator(), facts).value;
 * //=> 25
 * ```
 */
export function returningCustomerAccumulator(): Accumulator<TicketFacts, ReturningState, RateResult> {
  return {
    empty: () => ({ tickets: Object.create(null) as Record<string, number> }),
    add(state, f) {
      if (f.excluded !== null || f.origin !== 'customer') return state;
      const tickets = state.tickets as Record<string, number>;
      tickets[f.customerId] = (tickets[f.customerId] ?? 0) + 1;
      return state;
    },
    merge(a, b) {
      const tickets = Object.assign(Object.create(null), a.tickets) as Record<string, number>;
      for (const [id, n] of Object.entries(b.tickets)) tickets[id] = (tickets[id] ?? 0) + n;
      return { tickets };
    },
    result(state) {
      let customers = 0;
      let returning = 0;
      for (const id in state.tickets) {
        customers++;
        if ((state.tickets[id] as number) > 1) returning++;
      }
      return rate(
        returning,
        customers,
        'returning-customer rate: customers with more than one ticket, of customers with any, in the facts given',
        'customers',
      );
    },
  };
}

/**
 * Returning-customer rate: of the customers who opened a ticket in the facts given (the period
 * you pass), the share who opened more than one. Spam, merged and outbound tickets are left out.
 *
 * @example
 * ```ts
 * returningCustomerRate(facts).value;
 * //=> 25
 * ```
 */
export function returningCustomerRate(facts: readonly TicketFacts[]): RateResult {
  const tickets = new Map<string, number>();
  for (const f of facts) {
    if (f.excluded !== null || f.origin !== 'customer') continue;
    tickets.set(f.customerId, (tickets.get(f.customerId) ?? 0) + 1);
  }
  let returning = 0;
  for (const count of tickets.values()) if (count > 1) returning++;
  return rate(
    returning,
    tickets.size,
    'returning-customer rate: customers with more than one ticket, of customers with any, in the facts given',
    'customers',
  );
}

/** Options of {@link conversionRate}. */
export interface ConversionOptions {
  /** How long after the conversation an order still counts. Default 7 days. */
  readonly withinMs?: number;
  /** The category of pre-sales conversations. Default `pre_sales`. */
  readonly category?: string;
}

/**
 * Conversion rate of pre-sales conversations: the share of tickets in the pre-sales category
 * (default `pre_sales`) whose customer placed an order (`order.placed`) within N days after the
 * conversation started (default 7). Orders are parsed `OrderEvent`s (`at` in epoch ms).
 *
 * @example
 * ```ts
 * conversionRate(facts, orders, { withinMs: 3 * 86_400_000 }).value;
 * //=> 40
 * ```
 */
export function conversionRate(
  facts: readonly TicketFacts[],
  orders: readonly OrderEvent[],
  options: ConversionOptions = {},
): RateResult {
  const within = options.withinMs ?? 7 * DAY;
  const category = options.category ?? 'pre_sales';
  const placed = new Map<string, number[]>();
  for (const order of orders) {
    if (order.type !== 'order.placed') continue;
    const list = placed.get(order.customer.id) ?? [];
    list.push(order.at as number);
    placed.set(order.customer.id, list);
  }
  let n = 0;
  let hits = 0;
  for (const f of facts) {
    if (f.excluded !== null || f.category !== category) continue;
    n++;
    if ((placed.get(f.customerId) ?? []).some((at) => at >= f.createdAt && at - f.createdAt <= within))
      hits++;
  }
  const days = Math.round((within / DAY) * 10) / 10;
  return rate(
    hits,
    n,
    `conversion rate: ${category} conversations followed by an order of the same customer within ${days} days`,
    `${category} conversations`,
  );
}
