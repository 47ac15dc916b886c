import { z } from 'zod';
import type { OrderEvent } from '../model/index.js';
import type { Accumulator } from './accumulator.js';
import { checkFact, checkFacts, fnOption, msOption, parseOptions } from './guards.js';
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

/** A contact the callback accumulator still holds, and whether a callback already followed it. */
export interface CallbackEntry extends ContactRecord {
  readonly followed: boolean;
}

/**
 * The plain-JSON partial state of the callback accumulator: per customer, the contacts that may
 * still matter (all of them, until {@link CallbackAccumulator.settle} forgets those older than the
 * window before a watermark), each marked once a callback followed it; and the counts of the
 * contacts already settled.
 */
export interface CustomerState {
  readonly customers: Readonly<Record<string, readonly CallbackEntry[]>>;
  readonly settled: { readonly contacts: number; readonly followed: number };
}

/** The callback accumulator, with `settle` to forget what can no longer change. */
export interface CallbackAccumulator extends Accumulator<TicketFacts, CustomerState, RateResult> {
  /**
   * Declares that no ticket created before `before` will be added any more (a stream read in time
   * order, or a time-partitioned job past a partition): contacts older than the window before it
   * can no longer gain a callback nor be one, so they are counted and forgotten. Memory then
   * follows the customers active within the window, not every ticket. Like `add`, it may update
   * the state in place; merging states settled at different watermarks is exact only if each
   * watermark also holds for the other side.
   */
  settle(state: CustomerState, before: number): CustomerState;
}

const CallbackOptionsSchema = z.strictObject({ withinMs: msOption.optional(), sameAs: fnOption.optional() });

/** Options of {@link callbackRate}. */
export interface CallbackOptions {
  /** How soon a new contact counts as a callback. Default 7 days. */
  readonly withinMs?: number;
  /** Whether two contacts are about the same thing. Default: the same category (unknown matches unknown). */
  readonly sameAs?: (first: ContactRecord, next: ContactRecord) => boolean;
}

/** @internal */
export const parseCallbackOptions = (options: unknown, fn: string): CallbackOptions =>
  parseOptions<CallbackOptions>(CallbackOptionsSchema, options, fn);

const sameCategory = (a: ContactRecord, b: ContactRecord) => a.category === b.category;

/** The index of the first contact created at or after `t` in a list sorted by creation. */
function firstAtOrAfter(list: readonly ContactRecord[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as ContactRecord).createdAt < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const contactOf = (f: TicketFacts) => ({ createdAt: f.createdAt, category: f.category, channel: f.channel });
const customerContact = (f: TicketFacts) => f.excluded === null && f.origin === 'customer';

function rate(hits: number, n: number, definition: string, what: string): RateResult {
  return kpi(n === 0 ? 0 : (100 * hits) / n, n, definition, { hits }, `no ${what} to count`);
}

const callbackDefinition = (within: number) =>
  `callback rate (repeat contacts): customer tickets followed by another ticket of the same customer about the same thing within ${Math.round((within / DAY) * 10) / 10} days`;

/**
 * Callback rate as an accumulator. Each contact is marked as soon as a later contact of the same
 * customer about the same thing falls within the window after it, so the answer never depends on
 * the order of adds or merges; `settle` forgets the contacts that can no longer change, which
 * keeps a stream's memory to the customers active within the window (`carekit report` does).
 *
 * @example
 * ```ts
 * fold(callbackAccumulator({ withinMs: 7 * 86_400_000 }), facts).value;
 * //=> 12.5
 * ```
 */
export function callbackAccumulator(options: CallbackOptions = {}): CallbackAccumulator {
  const o = parseCallbackOptions(options, 'callbackAccumulator');
  const within = o.withinMs ?? 7 * DAY;
  const same = o.sameAs ?? sameCategory;
  type Mutable = { -readonly [K in keyof CallbackEntry]: CallbackEntry[K] };
  // Marks both ways between a contact and the held ones (sorted by time) within the window of it.
  const meet = (held: readonly CallbackEntry[], x: Mutable) => {
    let i = firstAtOrAfter(held, x.createdAt - within);
    for (; i < held.length; i++) {
      const c = held[i] as Mutable;
      if (c.createdAt > x.createdAt + within) break;
      if (c.createdAt < x.createdAt) {
        if (!c.followed && same(c, x)) c.followed = true;
      } else if (c.createdAt > x.createdAt && !x.followed && same(x, c)) x.followed = true;
    }
  };
  return {
    empty: () => ({
      customers: Object.create(null) as Record<string, CallbackEntry[]>,
      settled: { contacts: 0, followed: 0 },
    }),
    add(state, f) {
      checkFact(f, 'callbackAccumulator.add');
      if (!customerContact(f)) return state;
      const customers = state.customers as Record<string, CallbackEntry[]>;
      const entry = { createdAt: f.createdAt, category: f.category, channel: f.channel, followed: false };
      const held = customers[f.customerId];
      if (held) {
        meet(held, entry);
        held.splice(firstAtOrAfter(held, entry.createdAt + 1), 0, entry);
      } else customers[f.customerId] = [entry];
      return state;
    },
    merge(a, b) {
      const customers = Object.create(null) as Record<string, CallbackEntry[]>;
      for (const [id, list] of Object.entries(a.customers)) customers[id] = list.map((e) => ({ ...e }));
      for (const [id, list] of Object.entries(b.customers)) {
        const held = customers[id] ?? [];
        const incoming = list.map((e) => ({ ...e }));
        // meet() marks the held side too; the incoming entries met each other already in b.
        for (const x of incoming) meet(held, x);
        customers[id] = [...held, ...incoming].sort((x, y) => x.createdAt - y.createdAt);
      }
      return {
        customers,
        settled: {
          contacts: a.settled.contacts + b.settled.contacts,
          followed: a.settled.followed + b.settled.followed,
        },
      };
    },
    result(state) {
      let n = state.settled.contacts;
      let hits = state.settled.followed;
      for (const id in state.customers) {
        for (const e of state.customers[id] as CallbackEntry[]) {
          n++;
          if (e.followed) hits++;
        }
      }
      return rate(hits, n, callbackDefinition(within), 'customer tickets');
    },
    settle(state, before) {
      const customers = state.customers as Record<string, CallbackEntry[]>;
      const settled = state.settled as { contacts: number; followed: number };
      for (const id in customers) {
        const list = customers[id] as CallbackEntry[];
        // Sorted by creation: most customers have nothing old enough (no copy then).
        if ((list[0] as CallbackEntry).createdAt + within >= before) continue;
        const keep = list.filter((e) => e.createdAt + within >= before);
        for (const e of list) {
          if (e.createdAt + within >= before) continue;
          settled.contacts++;
          if (e.followed) settled.followed++;
        }
        if (keep.length === 0) delete customers[id];
        else customers[id] = keep;
      }
      return state;
    },
  };
}

const byText = (x: string | null, y: string | null) =>
  x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;

/** Sorted by time, then category and channel, so the result never depends on the input order. */
function ordered(list: readonly ContactRecord[]): readonly ContactRecord[] {
  if (list.length < 2) return list;
  return [...list].sort(
    (x, y) => x.createdAt - y.createdAt || byText(x.category, y.category) || byText(x.channel, y.channel),
  );
}

/** Counts callbacks over contacts grouped by customer (each group in any order). */
function countCallbacks(groups: Iterable<readonly ContactRecord[]>, options: CallbackOptions): RateResult {
  const within = options.withinMs ?? 7 * DAY;
  const same = options.sameAs ?? ((a: ContactRecord, b: ContactRecord) => a.category === b.category);
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
  return rate(hits, n, callbackDefinition(within), 'customer tickets');
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
  const o = parseCallbackOptions(options, 'callbackRate');
  checkFacts(facts, 'callbackRate');
  // The same count as the accumulator, grouped with a Map (much faster than a record of every customer).
  const groups = new Map<string, ContactRecord[]>();
  for (const f of facts) {
    if (!customerContact(f)) continue;
    const contact = contactOf(f);
    const group = groups.get(f.customerId);
    if (group) group.push(contact);
    else groups.set(f.customerId, [contact]);
  }
  return countCallbacks(groups.values(), o);
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
      checkFact(f, 'returningCustomerAccumulator.add');
      if (!customerContact(f)) return state;
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
  checkFacts(facts, 'returningCustomerRate');
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

const ConversionOptionsSchema = z.strictObject({
  withinMs: msOption.optional(),
  category: z.string().min(1).optional(),
});

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
  const o = parseOptions<ConversionOptions>(ConversionOptionsSchema, options, 'conversionRate');
  checkFacts(facts, 'conversionRate');
  const within = o.withinMs ?? 7 * DAY;
  const category = o.category ?? 'pre_sales';
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
