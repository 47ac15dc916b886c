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

/**
 * What the customer-level KPIs keep of one customer, as one plain-JSON array:
 * `[tickets, ...contacts]`. `tickets` counts the customer's tickets added (returning customers);
 * each contact the callback rate still holds takes four slots — `createdAt`, `category`,
 * `channel`, `followed` (1 once a callback followed it, else 0) — sorted by creation. One array per
 * customer, not an object per contact: a fold over a million tickets allocates once per customer.
 */
export type CustomerSummary = [tickets: number, ...contacts: (number | string | null)[]];

/**
 * The plain-JSON partial state of the customer-level accumulators (callbacks and returning
 * customers): one {@link CustomerSummary} per customer, and running totals kept as contacts are
 * added and marked, so a result reads four numbers instead of visiting every customer.
 */
export interface CustomerState {
  readonly customers: Readonly<Record<string, CustomerSummary>>;
  readonly totals: {
    /** Customer contacts added (held or already settled). */
    readonly contacts: number;
    /** Of those, the ones a callback followed. */
    readonly followed: number;
    /** Customers with a summary (every customer seen, when returning customers are kept). */
    readonly customers: number;
    /** Of those, the ones with more than one ticket. */
    readonly returning: number;
  };
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

const contactOf = (f: TicketFacts) => ({ createdAt: f.createdAt, category: f.category, channel: f.channel });
const customerContact = (f: TicketFacts) => f.excluded === null && f.origin === 'customer';

function rate(hits: number, n: number, definition: string, what: string): RateResult {
  // With n = 0 the share is NaN, and kpi() gives the value null with its reason.
  return kpi((100 * hits) / n, n, definition, { hits }, `no ${what} to count`);
}

const callbackDefinition = (within: number) =>
  `callback rate (repeat contacts): customer tickets followed by another ticket of the same customer about the same thing within ${Math.round((within / DAY) * 10) / 10} days`;

/** Slots per held contact in a {@link CustomerSummary}: createdAt, category, channel, followed. */
const STRIDE = 4;

/** The slot of the first held contact created at or after `t` (summaries are sorted by creation). */
function firstAtOrAfter(s: CustomerSummary, t: number): number {
  let lo = 0;
  let hi = (s.length - 1) / STRIDE;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((s[1 + mid * STRIDE] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return 1 + lo * STRIDE;
}

/** The customer-level KPIs of one pass: callback rate and returning-customer rate. */
export interface CustomerKpis {
  readonly callback: RateResult;
  readonly returning: RateResult;
}

/** @internal The one customer-summary accumulator behind both customer-level KPIs (see {@link customerKpisAccumulator}). */
export interface CustomerKpisAccumulator extends Accumulator<TicketFacts, CustomerState, CustomerKpis> {
  settle(state: CustomerState, before: number): CustomerState;
}

const returningDefinition =
  'returning-customer rate: customers with more than one ticket, of customers with any, in the facts given';

/**
 * @internal
 * The customer-level KPIs in one accumulator, one record lookup per ticket: a summary per
 * customer (see {@link CustomerSummary}) counts the customer's tickets and holds the contacts
 * the callback rate may still mark. Each contact is marked as soon as a later contact of the same
 * customer about the same thing falls within the window after it, so the answer never depends on
 * the order of adds or merges. `keep` says what to keep: without `returning` a customer whose
 * contacts are all settled is forgotten (memory follows the active customers); without
 * `callbacks` only the count is kept. `callbackAccumulator`, `returningCustomerAccumulator` and
 * the KPI report are this accumulator.
 */
export function customerKpisAccumulator(
  options: CallbackOptions,
  keep: { readonly callbacks: boolean; readonly returning: boolean },
): CustomerKpisAccumulator {
  const within = options.withinMs ?? 7 * DAY;
  const sameAs = options.sameAs;
  const { callbacks, returning } = keep;
  // Whether the held contact at slot `j` is about the same thing as `x` (`xFirst`: x came first).
  const same =
    sameAs === undefined
      ? (s: CustomerSummary, j: number, _t: number, category: string | null) => s[j + 1] === category
      : (
          s: CustomerSummary,
          j: number,
          t: number,
          category: string | null,
          channel: string,
          xFirst: boolean,
        ) => {
          const held = {
            createdAt: s[j] as number,
            category: s[j + 1] as string | null,
            channel: s[j + 2] as string,
          };
          const x = { createdAt: t, category, channel };
          return xFirst ? sameAs(x, held) : sameAs(held, x);
        };
  // Held contacts marked by the last meet() (the totals count each mark once).
  let marked = 0;
  /**
   * Meets a contact with the held ones within the window of it: marks each earlier held contact
   * it follows (counted in `marked`), and returns whether a later held one follows it.
   */
  const meet = (
    s: CustomerSummary,
    t: number,
    category: string | null,
    channel: string,
    followed: boolean,
  ) => {
    marked = 0;
    // Stryker disable next-line EqualityOperator: one slot past the end reads undefined, which is neither before, after nor beyond t, so it changes nothing
    for (let j = firstAtOrAfter(s, t - within); j < s.length; j += STRIDE) {
      const at = s[j] as number;
      if (at > t + within) break;
      if (at < t) {
        if (s[j + 3] === 0 && same(s, j, t, category, channel, false)) {
          s[j + 3] = 1;
          marked++;
        }
      } else if (at > t && !followed && same(s, j, t, category, channel, true)) followed = true;
    }
    return followed;
  };
  type Totals = { contacts: number; followed: number; customers: number; returning: number };
  return {
    empty: () => ({
      customers: Object.create(null) as Record<string, CustomerSummary>,
      totals: { contacts: 0, followed: 0, customers: 0, returning: 0 },
    }),
    add(state, f) {
      if (!customerContact(f)) return state;
      const customers = state.customers as Record<string, CustomerSummary>;
      const totals = state.totals as Totals;
      const t = f.createdAt;
      totals.contacts++;
      const s = customers[f.customerId];
      if (s === undefined) {
        customers[f.customerId] = callbacks ? [1, t, f.category, f.channel, 0] : [1];
        totals.customers++;
        return state;
      }
      if (++s[0] === 2) totals.returning++;
      if (!callbacks) return state;
      const flag = meet(s, t, f.category, f.channel, false) ? 1 : 0;
      totals.followed += marked + flag;
      // Kept sorted by creation, after the contacts of the same instant (at the end, mostly).
      s.splice(firstAtOrAfter(s, t + 1), 0, t, f.category, f.channel, flag);
      return state;
    },
    merge(a, b) {
      const customers = Object.create(null) as Record<string, CustomerSummary>;
      for (const id in a.customers) customers[id] = [...(a.customers[id] as CustomerSummary)];
      const totals: Totals = {
        contacts: a.totals.contacts + b.totals.contacts,
        followed: a.totals.followed + b.totals.followed,
        customers: a.totals.customers + b.totals.customers,
        returning: a.totals.returning + b.totals.returning,
      };
      for (const id in b.customers) {
        const incoming = b.customers[id] as CustomerSummary;
        const held = customers[id];
        if (held === undefined) {
          customers[id] = [...incoming];
          continue;
        }
        // One customer on both sides: counted once, and returning (a ticket on each side).
        totals.customers--;
        totals.returning += 1 - (held[0] > 1 ? 1 : 0) - (incoming[0] > 1 ? 1 : 0);
        // meet() marks the held side too; the incoming contacts met each other already in b.
        const added: (number | string | null)[] = [];
        for (let j = 1; j < incoming.length; j += STRIDE) {
          const t = incoming[j] as number;
          const category = incoming[j + 1] as string | null;
          const channel = incoming[j + 2] as string;
          const was = incoming[j + 3] === 1;
          const now = meet(held, t, category, channel, was);
          totals.followed += marked + (now && !was ? 1 : 0);
          added.push(t, category, channel, now ? 1 : 0);
        }
        customers[id] = mergeSorted(held, added, held[0] + incoming[0]);
      }
      return { customers, totals };
    },
    result(state) {
      const { contacts, followed, customers, returning: returned } = state.totals;
      return {
        callback: rate(followed, contacts, callbackDefinition(within), 'customer tickets'),
        returning: rate(returned, customers, returningDefinition, 'customers'),
      };
    },
    // Only with callbacks kept (the callback accumulator and the KPI report expose settle).
    settle(state, before) {
      const customers = state.customers as Record<string, CustomerSummary>;
      const totals = state.totals as Totals;
      for (const id in customers) {
        const s = customers[id] as CustomerSummary;
        // Sorted by creation, so the contacts to forget come first (most customers have none).
        // Counted already (the totals): forgetting a contact changes no number. Past the last
        // contact s[j] is undefined and the sum NaN, which ends the loop.
        let j = 1;
        while ((s[j] as number) + within < before) j += STRIDE;
        if (j === s.length && !returning) {
          delete customers[id];
          totals.customers--;
          if (s[0] > 1) totals.returning--;
        } else s.splice(1, j - 1);
      }
      return state;
    },
  };
}

/** Two sorted contact lists in one summary (on equal instants the held contacts first). */
function mergeSorted(
  held: CustomerSummary,
  added: readonly (number | string | null)[],
  tickets: number,
): CustomerSummary {
  const out: CustomerSummary = [tickets];
  let i = 1;
  let j = 0;
  while (i < held.length && j < added.length) {
    if ((held[i] as number) <= (added[j] as number)) {
      out.push(held[i] as number, held[i + 1] as string | null, held[i + 2] as string, held[i + 3] as number);
      i += STRIDE;
    } else {
      out.push(
        added[j] as number,
        added[j + 1] as string | null,
        added[j + 2] as string,
        added[j + 3] as number,
      );
      j += STRIDE;
    }
  }
  // One side is used up: the rest of the other follows as it is.
  for (; i < held.length; i++) out.push(held[i] as number | string | null);
  for (; j < added.length; j++) out.push(added[j] as number | string | null);
  return out;
}

/**
 * Callback rate as an accumulator. Each contact is marked as soon as a later contact of the same
 * customer about the same thing falls within the window after it, so the answer never depends on
 * the order of adds or merges; `settle` forgets the contacts that can no longer change, which
 * keeps a stream's memory to the customers active within the window.
 *
 * @example
 * ```ts
 * fold(callbackAccumulator({ withinMs: 7 * 86_400_000 }), facts).value;
 * //=> 12.5
 * ```
 */
export function callbackAccumulator(options: CallbackOptions = {}): CallbackAccumulator {
  const core = customerKpisAccumulator(parseCallbackOptions(options, 'callbackAccumulator'), {
    callbacks: true,
    returning: false,
  });
  return {
    empty: core.empty,
    add(state, f) {
      checkFact(f, 'callbackAccumulator.add');
      return core.add(state, f);
    },
    merge: core.merge,
    result: (state) => core.result(state).callback,
    settle: core.settle,
  };
}

/**
 * Counts callbacks over contacts grouped by customer (each group in any order; sorted here, in
 * place). Sorted by time only: contacts of one instant are never callbacks of each other, so
 * their order changes no count.
 */
function countCallbacks(groups: Iterable<ContactRecord[]>, options: CallbackOptions): RateResult {
  const within = options.withinMs ?? 7 * DAY;
  const same = options.sameAs ?? sameCategory;
  let n = 0;
  let hits = 0;
  for (const group of groups) {
    n += group.length;
    const contacts = group.sort((x, y) => x.createdAt - y.createdAt);
    for (const [i, contact] of contacts.entries()) {
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

/** The plain-JSON partial state of the returning-customer accumulator: a ticket count per customer. */
export type ReturningState = CustomerState;

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
  const core = customerKpisAccumulator(
    {},
    // Stryker disable next-line ObjectLiteral: callbacks read as false either way; returning is read by settle only, which this accumulator does not expose
    {
      callbacks: false,
      // Stryker disable next-line BooleanLiteral: read by settle only, which this accumulator does not expose
      returning: true,
    },
  );
  return {
    empty: core.empty,
    add(state, f) {
      checkFact(f, 'returningCustomerAccumulator.add');
      return core.add(state, f);
    },
    merge: core.merge,
    result: (state) => core.result(state).returning,
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
  return rate(returning, tickets.size, returningDefinition, 'customers');
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
    const list = placed.get(order.customer.id);
    if (list) list.push(order.at as number);
    else placed.set(order.customer.id, [order.at as number]);
  }
  let n = 0;
  let hits = 0;
  for (const f of facts) {
    if (f.excluded !== null || f.category !== category) continue;
    n++;
    if (placed.get(f.customerId)?.some((at) => at >= f.createdAt && at - f.createdAt <= within)) hits++;
  }
  const days = Math.round((within / DAY) * 10) / 10;
  return rate(
    hits,
    n,
    `conversion rate: ${category} conversations followed by an order of the same customer within ${days} days`,
    `${category} conversations`,
  );
}
