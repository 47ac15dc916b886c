import { z } from 'zod';
import { type Accumulator, fold } from './accumulator.js';
import {
  checkFacts,
  checkFinite,
  checkFunction,
  checkName,
  fnOption,
  MetricsArgumentError,
  parseOptions,
  readSafely,
} from './guards.js';
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
  checkFunction(hit, 'rateAccumulator', 'hit');
  checkFunction(eligible, 'rateAccumulator', 'eligible');
  checkName(definition, 'rateAccumulator', 'definition');
  return {
    empty: () => ({ n: 0, hits: 0 }),
    // In place: a fold owns its state (see Accumulator).
    add: (s, item) => {
      if (!eligible(item)) return s;
      const m = s as { n: number; hits: number };
      m.n++;
      if (hit(item)) m.hits++;
      return s;
    },
    merge: (a, b) => ({ n: a.n + b.n, hits: a.hits + b.hits }),
    result: (s) => kpi((100 * s.hits) / s.n, s.n, definition, { hits: s.hits }, 'no tickets qualify'),
  };
}

const counted = (f: TicketFacts) => f.excluded === null;
const solved = (f: TicketFacts) => counted(f) && f.firstSolvedAt !== null;
// Zendesk's touch metrics count tickets whose status is solved or closed.
const solvedOrClosed = (f: TicketFacts) => counted(f) && (f.status === 'solved' || f.status === 'closed');

/**
 * The named first-contact-resolution definitions. Each says which tickets it counts (`eligible`)
 * and which of them were resolved at first contact (`hit`).
 */
export const FCR_DEFINITIONS = {
  /**
   * Zendesk one-touch: "solved or closed tickets with exactly one agent reply" (Zendesk, "How
   * are one-touch resolutions calculated?"); an agent reply is a public reply by a person, as in
   * Zendesk's `replies` ("the number of public replies added to a ticket by an agent"). A ticket
   * solved with no agent reply (by a bot, or without a word) is zero-touch, not one-touch.
   */
  zendeskOneTouch: {
    text: 'FCR (Zendesk one-touch): solved or closed tickets with exactly one public agent reply',
    eligible: solvedOrClosed,
    hit: (f: TicketFacts) => f.agentReplies === 1,
  },
  /** Freshservice: solved with no customer message after the first contact. */
  noCustomerFollowUp: {
    text: 'FCR (no customer follow-up, Freshservice): solved tickets with no customer message after the first',
    eligible: solved,
    hit: (f: TicketFacts) => f.customerReplies === 0,
  },
  /** Solved and never reopened. */
  noReopen: {
    text: 'FCR (no reopen): solved tickets never reopened',
    eligible: solved,
    hit: (f: TicketFacts) => f.reopens === 0,
  },
} as const satisfies Record<
  string,
  { text: string; eligible: (f: TicketFacts) => boolean; hit: (f: TicketFacts) => boolean }
>;

/** A named definition or your own predicate over solved tickets. */
export type FcrDefinition =
  | keyof typeof FCR_DEFINITIONS
  | { readonly name: string; readonly hit: (facts: TicketFacts) => boolean };

/** Options of {@link fcr}: the definition, by name or as your own predicate. */
export interface FcrOptions {
  readonly definition?: FcrDefinition;
}

const names = () =>
  Object.keys(FCR_DEFINITIONS)
    .map((n) => JSON.stringify(n))
    .join(', ');

const CustomFcrSchema = z.strictObject({ name: z.string().min(1), hit: fnOption });

/**
 * Resolves an FCR definition (a name or `{ name, hit }`) to its text and predicates, refusing an
 * unknown name with the allowed names listed.
 *
 * @internal
 */
export function resolveFcrDefinition(
  definition: unknown,
  fn: string,
): { text: string; eligible: (f: TicketFacts) => boolean; hit: (f: TicketFacts) => boolean } {
  if (definition === undefined) return FCR_DEFINITIONS.zendeskOneTouch;
  if (typeof definition === 'string') {
    if (Object.hasOwn(FCR_DEFINITIONS, definition))
      return FCR_DEFINITIONS[definition as keyof typeof FCR_DEFINITIONS];
    throw new MetricsArgumentError(
      'unknown_definition',
      ['definition'],
      `${fn}: unknown FCR definition ${JSON.stringify(definition)}; the named definitions are ${names()}, or pass { name, hit } with your own predicate`,
    );
  }
  const custom = parseOptions<{ name: string; hit: (f: TicketFacts) => boolean }>(
    CustomFcrSchema,
    definition,
    `${fn} definition`,
  );
  return { text: `FCR (${custom.name})`, eligible: solved, hit: custom.hit };
}

/**
 * First contact resolution under a named definition; the result says which. The definition is a
 * name (`zendeskOneTouch`, the default; `noCustomerFollowUp`; `noReopen`), your own
 * `{ name, hit }` over solved tickets, or an options bag `{ definition }` holding either.
 *
 * @throws MetricsArgumentError `unknown_definition` for a name not in {@link FCR_DEFINITIONS}.
 * @example
 * ```ts
 * fcr(facts, 'zendeskOneTouch').definition;
 * //=> 'FCR (Zendesk one-touch): solved or closed tickets with exactly one public agent reply'
 * fcr(facts, { definition: 'noReopen' }).value;
 * //=> 87.5
 * ```
 */
export function fcr(
  facts: readonly TicketFacts[],
  definition: FcrDefinition | FcrOptions = 'zendeskOneTouch',
): RateResult {
  const isBag = readSafely(
    'fcr',
    ['definition'],
    () =>
      typeof definition === 'object' &&
      definition !== null &&
      !('hit' in definition) &&
      !('name' in definition),
  );
  const d = isBag
    ? resolveFcrDefinition(parseOptions<FcrOptions>(FcrOptionsSchema, definition, 'fcr').definition, 'fcr')
    : resolveFcrDefinition(definition, 'fcr');
  checkFacts(facts, 'fcr');
  return fold(rateAccumulator(d.hit, d.eligible, d.text), facts);
}

const FcrOptionsSchema = z.strictObject({ definition: z.unknown().optional() });

/** @internal The touch rates' definitions, for the calculators and the report accumulator. */
export const TOUCHES = {
  0: 'zero-touch rate: solved or closed tickets with no public agent reply (self-service, or solved without a word)',
  1: 'one-touch rate (Zendesk): solved or closed tickets with exactly one public agent reply',
  2: 'two-touch rate (Zendesk): solved or closed tickets with exactly two public agent replies',
} as const;

/** @internal */
export const touchAccumulator = (touches: 0 | 1 | 2) =>
  rateAccumulator((f: TicketFacts) => f.agentReplies === touches, solvedOrClosed, TOUCHES[touches]);

/**
 * One-touch rate, as Zendesk defines one-touch tickets: of solved or closed tickets, the share
 * solved "with exactly one agent reply" (Zendesk, "How are one-touch resolutions calculated?").
 * An agent reply is a public reply by a person; bot replies and internal notes do not count.
 * Zendesk's earlier Explore formula, `Agent replies < 2`, also counted tickets with no reply; that
 * share is {@link zeroTouchRate} here.
 *
 * @example
 * ```ts
 * // of 4 solved tickets: 1 with no agent reply, 2 with one, 1 with two
 * [zeroTouchRate(facts).value, oneTouchRate(facts).value, twoTouchRate(facts).value];
 * //=> [25, 50, 25]
 * ```
 */
export function oneTouchRate(facts: readonly TicketFacts[]): RateResult {
  checkFacts(facts, 'oneTouchRate');
  return fold(touchAccumulator(1), facts);
}

/**
 * Two-touch rate, as Zendesk defines two-touch tickets: of solved or closed tickets, the share
 * solved with exactly two agent replies.
 *
 * @example
 * ```ts
 * twoTouchRate(facts).hits;
 * //=> 1
 * ```
 */
export function twoTouchRate(facts: readonly TicketFacts[]): RateResult {
  checkFacts(facts, 'twoTouchRate');
  return fold(touchAccumulator(2), facts);
}

/**
 * Zero-touch rate: of solved or closed tickets, the share solved with no public agent reply — by
 * self-service (a bot's answer, see `deflected`) or without a word. Kept apart from one-touch,
 * which needs exactly one reply by a person.
 *
 * @example
 * ```ts
 * zeroTouchRate(facts).value;
 * //=> 25
 * ```
 */
export function zeroTouchRate(facts: readonly TicketFacts[]): RateResult {
  checkFacts(facts, 'zeroTouchRate');
  return fold(touchAccumulator(0), facts);
}

/**
 * Reopen rate: the share of solved tickets reopened at least once. A reopen counts as Zendesk's
 * ticket metric `reopens` counts them ("total number of times the ticket was reopened"): a solved
 * ticket moved back to open, pending or on-hold (by a customer reply within the reopen window, or
 * by an agent); closing or merging a solved ticket is not a reopen. `facts.reopens` holds the count.
 *
 * @example
 * ```ts
 * reopenRate(facts).value;
 * //=> 25
 * ```
 */
export function reopenRate(facts: readonly TicketFacts[]): RateResult {
  checkFacts(facts, 'reopenRate');
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
  checkFacts(facts, 'escalationRate');
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
 * @internal Whether a ticket's clock counts in SLA compliance: a counted ticket's clock that
 * finished (met or breached), and a merged ticket's clock only when it breached before the merge
 * (merging a ticket away never hides its breach; its other clocks continue on the target).
 */
export function slaCounted(f: TicketFacts, clock: string): boolean {
  const state = f.sla?.[clock];
  if (f.excluded === 'merged') return state === 'breached';
  return counted(f) && (state === 'met' || state === 'breached');
}

/** @internal The definition of SLA compliance of a clock. */
export const slaDefinition = (clock: string): string =>
  `SLA compliance (${clock}): targets met of ${clock} clocks that finished or breached; a merged ticket counts only a breach`;

/**
 * SLA compliance of one clock: of the tickets whose clock finished (met or breached), the share
 * met. A merged ticket counts only when its clock breached before the merge (see docs/relations.md).
 *
 * @example
 * ```ts
 * slaCompliance(facts, 'firstReply').value;
 * //=> 90
 * ```
 */
export function slaCompliance(facts: readonly TicketFacts[], clock: string): RateResult {
  checkFacts(facts, 'slaCompliance');
  checkName(clock, 'slaCompliance', 'clock');
  return fold(
    rateAccumulator(
      // Stryker disable next-line OptionalChaining: hit runs only on tickets slaCounted accepts, whose clock is met or breached, so their sla is never null.
      (f: TicketFacts) => f.sla?.[clock] === 'met',
      (f: TicketFacts) => slaCounted(f, clock),
      slaDefinition(clock),
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
  checkFacts(facts, 'categoryRate');
  checkName(category, 'categoryRate', 'category');
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
  checkFacts(facts, 'backlog');
  checkFinite(at, 'backlog', 'at', 'an instant in epoch ms');
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
