import { z } from 'zod';
import {
  checkFunction,
  checkNumber,
  checkObject,
  checkOneOf,
  readArgument,
  readBag,
} from '../../model/arguments.js';
import { type Customer, Label, parseInput, type SurveyKind } from '../../model/index.js';

/** What a host knows about a customer besides the record: history and the latest survey. */
export interface CustomerFacts {
  /** Tickets the customer opened before this one. */
  readonly priorTickets?: number;
  /** Orders the customer placed. */
  readonly orders?: number;
  /** When the customer first appeared (epoch ms). */
  readonly firstSeenAt?: number;
  /** The latest survey answer. */
  readonly lastSurvey?: { readonly survey: SurveyKind; readonly score: number; readonly at: number };
  /** Now (epoch ms), for the time windows. */
  readonly now?: number;
}

/** A segment rule in the function form. */
export interface CustomSegmentRule {
  readonly segment: string;
  readonly when: (customer: Customer, facts: CustomerFacts) => boolean;
}

/** Segment rules as data; every threshold has a default. */
export const SegmentRulesConfig = z.strictObject({
  /** Lifetime value from which a customer is `vip` (default 1,000). */
  vipLifetimeValue: z.number().min(0).default(1000),
  /** A customer is `new` with at most this many orders and prior tickets (default 0)... */
  newMaxOrders: z.number().int().min(0).default(0),
  /** ...or when first seen less than this many days ago (default 30). */
  newWithinDays: z.number().min(0).default(30),
  /** A customer with at least this many orders is `returning` (default 2). */
  returningMinOrders: z.number().int().min(1).default(2),
  /** Scores at or below which the latest survey makes a customer `at_risk`. */
  atRiskScores: z
    .strictObject({ csat: z.number().default(2), nps: z.number().default(6), ces: z.number().default(5) })
    .default({ csat: 2, nps: 6, ces: 5 }),
  /** How long a low score keeps a customer `at_risk` (default 90 days). */
  atRiskForDays: z.number().positive().default(90),
  /** Segments from the customer record's `segment` and `tags` that are copied through. */
  passThrough: z.array(Label).default([]),
});
export type SegmentRulesConfig = z.input<typeof SegmentRulesConfig>;

/** Compiled segment rules. */
export interface SegmentRules {
  readonly config: z.output<typeof SegmentRulesConfig>;
  /** The customer's segments, most important first: blocked, vip, at_risk, new or returning, custom. */
  assign(customer: Customer, facts?: CustomerFacts): string[];
}

const DAY = 86_400_000;

/**
 * Builds segment rules: `blocked` (on the blocklist), `vip` (lifetime value at or above a
 * threshold), `at_risk` (a low survey score recently), `new` (no history or first seen
 * lately) or `returning` (repeat orders), plus custom rules. Routing, SLA selection and
 * escalation read the result.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} on a malformed config.
 * @example
 * ```ts
 * const rules = createSegmentRules({ vipLifetimeValue: 500 });
 * rules.assign({ id: 'c1', lifetimeValue: 800 }, { orders: 3 });
 * //=> ['vip', 'returning']
 * ```
 */
export function createSegmentRules(
  config: SegmentRulesConfig = {},
  custom: readonly CustomSegmentRule[] = [],
): SegmentRules {
  const c = parseInput(SegmentRulesConfig, config, 'segment rules');
  return {
    config: c,
    assign(customer, facts = {}) {
      const out: string[] = [];
      if (customer.blocked) out.push('blocked');
      if ((customer.lifetimeValue ?? 0) >= c.vipLifetimeValue && customer.lifetimeValue !== undefined)
        out.push('vip');
      const survey = facts.lastSurvey;
      if (
        survey &&
        survey.score <= c.atRiskScores[survey.survey] &&
        (facts.now === undefined || facts.now - survey.at <= c.atRiskForDays * DAY)
      ) {
        out.push('at_risk');
      }
      const orders = facts.orders ?? 0;
      if (orders >= c.returningMinOrders) out.push('returning');
      else if (
        (orders <= c.newMaxOrders && (facts.priorTickets ?? 0) === 0) ||
        (facts.firstSeenAt !== undefined &&
          facts.now !== undefined &&
          facts.now - facts.firstSeenAt < c.newWithinDays * DAY)
      ) {
        out.push('new');
      }
      for (const s of [customer.segment, ...(customer.tags ?? [])]) {
        if (s && c.passThrough.includes(s) && !out.includes(s)) out.push(s);
      }
      for (const rule of custom)
        if (!out.includes(rule.segment) && rule.when(customer, facts)) out.push(rule.segment);
      return out;
    },
  };
}

const defaults = createSegmentRules();

/**
 * Assigns segments with the default rules (or the rules given).
 *
 * @example
 * ```ts
 * assignSegments({ id: 'c1', lifetimeValue: 5000, blocked: true }, { orders: 0 });
 * //=> ['blocked', 'vip', 'new']
 * ```
 */
export function assignSegments(
  customer: Customer,
  facts: CustomerFacts = {},
  rules: SegmentRules = defaults,
): string[] {
  const fn = 'assignSegments';
  const c = checkObject(customer, fn, ['customer'], 'a customer record (Customer from carekit/model)');
  for (const key of ['blocked', 'lifetimeValue', 'segment', 'tags'])
    readArgument(c, key, fn, ['customer', key]);
  const f = readBag(
    facts,
    fn,
    ['facts'],
    'customer facts { priorTickets?, orders?, firstSeenAt?, lastSurvey?, now? }',
    ['priorTickets', 'orders', 'firstSeenAt', 'lastSurvey', 'now'],
  );
  for (const key of ['priorTickets', 'orders', 'firstSeenAt', 'now'])
    if (f[key] !== undefined) checkNumber(f[key], fn, ['facts', key], 'a finite number');
  if (f.lastSurvey !== undefined) {
    const s = readBag(f.lastSurvey, fn, ['facts', 'lastSurvey'], 'a survey answer { survey, score, at }');
    checkOneOf(s.survey, ['csat', 'nps', 'ces'], fn, ['facts', 'lastSurvey', 'survey']);
    checkNumber(s.score, fn, ['facts', 'lastSurvey', 'score']);
    checkNumber(s.at, fn, ['facts', 'lastSurvey', 'at'], 'epoch milliseconds');
  }
  const r = checkObject(rules, fn, ['rules'], 'segment rules made by createSegmentRules');
  const assign = checkFunction<SegmentRules['assign']>(
    readArgument(r, 'assign', fn, ['rules', 'assign']),
    fn,
    ['rules'],
    'segment rules made by createSegmentRules',
  );
  return assign.call(rules, customer, f as CustomerFacts);
}
