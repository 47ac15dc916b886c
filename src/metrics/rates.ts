import { type Accumulator, fold } from './accumulator.js';
import { type KpiResult, kpi } from './result.js';
import type { TicketFacts } from './ticketFacts.js';

/** The plain-JSON partial state of a rate accumulator: counts that merge by addition. */
export interface RateState {
  readonly n: number;
  readonly hits: number;
}

/** A rate: the share of qualifying items that count, in percent. */
export interface RateResult extends KpiResult {
  readonly hits: number;
}

/**
 * An accumulator of a percentage: of the items `eligible` accepts, the share `hit` accepts.
 *
 * @example
 * ```ts
 * fold(rateAccumulator((x: number) => x > 0, () => true, 'positive'), [1, -1, 2, 3]).value;
 * //=> 75
 * ```
 */
export function rateAccumulator<Item>(
  hit: (item: Item) => boolean,
  eligible: (item: Item) => boolean,
  definition: string,
): Accumulator<Item, RateState, RateResult> {
  return {
    empty: () => ({ n: 0, hits: 0 }),
    add: (s, item) => (eligible(item) ? { n: s.n + 1, hits: s.hits + (hit(item) ? 1 : 0) } : s),
    merge: (a, b) => ({ n: a.n + b.n, hits: a.hits + b.hits }),
    result: (s) => kpi((100 * s.hits) / s.n, s.n, definition, { hits: s.hits }, 'no tickets qualify'),
  };
}

const counted = (f: TicketFacts) => f.excluded === null;
const solved = (f: TicketFacts) => counted(f) && f.firstSolvedAt !== null;

/** The named first-contact-resolution definitions. */
export const FCR_DEFINITIONS = {
  /** Zendesk one-touch: solved with fewer than 2 public agent replies. */
  zendeskOneTouch: {
    text: 'FCR (Zendesk one-touch): solved tickets with fewer than 2 public agent replies',
    hit: (f: TicketFacts) => f.agentReplies < 2,
  },
  /** Freshservice: solved with no customer message after the first contact. */
  noCustomerFollowUp: {
    text: 'FCR (no customer follow-up, Freshservice): solved tickets with no customer message after the first',
    hit: (f: TicketFacts) => f.customerReplies === 0,
  },
  /** Solved and never reopened. */
  noReopen: {
    text: 'FCR (no reopen): solved tickets never reopened',
    hit: (f: TicketFacts) => f.reopens === 0,
  },
} as const;

/** A named definition or your own predicate over solved tickets. */
export type FcrDefinition =
  | keyof typeof FCR_DEFINITIONS
  | { readonly name: string; readonly hit: (facts: TicketFacts) => boolean };

/**
 * First contact resolution under a named definition; the result says which.
 *
 * @example
 * ```ts
 * fcr(facts, 'zendeskOneTouch').definition;
 * //=> 'FCR (Zendesk one-touch): solved tickets with fewer than 2 public agent replies'
 * ```
 */
export function fcr(
  facts: readonly TicketFacts[],
  definition: FcrDefinition = 'zendeskOneTouch',
): RateResult {
  const d =
    typeof definition === 'string'
      ? FCR_DEFINITIONS[definition]
      : { text: `FCR (${definition.name})`, hit: definition.hit };
  return fold(rateAccumulator(d.hit, solved, d.text), facts);
}

/**
 * Reopen rate: the share of solved tickets reopened at least once.
 *
 * @example
 * ```ts
 * reopenRate(facts).value;
 * //=> 25
 * ```
 */
export function reopenRate(facts: readonly TicketFacts[]): RateResult {
  return fold(
    rateAccumulator(
      (f: TicketFacts) => f.reopens > 0,
      solved,
      'reopen rate: solved tickets reopened at least once',
    ),
    facts,
  );
}

/**
 * Escalation rate: the share of tickets escalated to a higher tier at least once.
 *
 * @example
 * ```ts
 * escalationRate(facts).hits;
 * //=> 1
 * ```
 */
export function escalationRate(facts: readonly TicketFacts[]): RateResult {
  return fold(
    rateAccumulator(
      (f: TicketFacts) => f.escalations > 0,
      counted,
      'escalation rate: tickets escalated at least once',
    ),
    facts,
  );
}

/**
 * SLA compliance of one clock: of the tickets whose clock finished (met or breached), the share
 * met.
 *
 * @example
 * ```ts
 * slaCompliance(facts, 'firstReply').value;
 * //=> 90
 * ```
 */
export function slaCompliance(facts: readonly TicketFacts[], clock: string): RateResult {
  return fold(
    rateAccumulator(
      (f: TicketFacts) => f.sla?.[clock] === 'met',
      (f: TicketFacts) => counted(f) && (f.sla?.[clock] === 'met' || f.sla?.[clock] === 'breached'),
      `SLA compliance (${clock}): targets met of ${clock} clocks that finished or breached`,
    ),
    facts,
  );
}

/**
 * The share of tickets in a category (complaint rate, return rate...).
 *
 * @example
 * ```ts
 * categoryRate(facts, 'complaint').value;
 * //=> 5
 * ```
 */
export function categoryRate(facts: readonly TicketFacts[], category: string): RateResult {
  return fold(
    rateAccumulator(
      (f: TicketFacts) => f.category === category,
      counted,
      `${category} rate: tickets in category ${category}`,
    ),
    facts,
  );
}

/**
 * Complaint rate: the share of tickets classified as complaints (category `complaint`, or the
 * one you name), of all tickets counted.
 *
 * @example
 * ```ts
 * complaintRate(facts).value;
 * //=> 4.2
 * ```
 */
export function complaintRate(facts: readonly TicketFacts[], category = 'complaint'): RateResult {
  const result = categoryRate(facts, category);
  return { ...result, definition: `complaint rate: tickets in category ${category}, of all tickets` };
}

/**
 * Return rate (contacts about returns): the share of tickets in category `return` (or the one
 * you name), of all tickets counted. It is a care KPI, not the shop's rate of returned orders.
 *
 * @example
 * ```ts
 * returnRate(facts).value;
 * //=> 10
 * ```
 */
export function returnRate(facts: readonly TicketFacts[], category = 'return'): RateResult {
  const result = categoryRate(facts, category);
  return { ...result, definition: `return contact rate: tickets in category ${category}, of all tickets` };
}

/**
 * Backlog at an instant: tickets created by then and not solved (by their final solve) or
 * closed by then.
 *
 * @example
 * ```ts
 * backlog(facts, Date.UTC(2025, 2, 10, 12)).value;
 * //=> 4
 * ```
 */
export function backlog(facts: readonly TicketFacts[], at: number): KpiResult {
  let open = 0;
  for (const f of facts) {
    if (!counted(f) || f.createdAt > at) continue;
    const done = (f.closedAt !== null && f.closedAt <= at) || (f.solvedAt !== null && f.solvedAt <= at);
    if (!done) open++;
  }
  return {
    value: open,
    n: facts.length,
    definition: 'backlog: tickets created and not yet solved or closed at the instant',
  };
}
