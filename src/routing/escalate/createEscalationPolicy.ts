import { z } from 'zod';
import { badArgument, readArgument } from '../../model/arguments.js';
import { CarekitValidationError, Label, Priority, parseInput, SlaClock } from '../../model/index.js';
import { Sentiment } from '../classify/classification.js';
import type { RoutingErrorCode } from '../errors.js';
import type { EscalationInput } from './signal.js';

/** What an agent of a tier may grant without asking, in the business's currency. */
export const Authority = z.strictObject({
  /** Largest refund. */
  refund: z.number().min(0).default(0),
  /** Largest order value the tier may replace free of charge. */
  replacement: z.number().min(0).default(0),
  /** Largest voucher or goodwill credit. */
  credit: z.number().min(0).default(0),
  /** Largest discount, in percent. */
  discount: z.number().min(0).max(100).default(0),
});
export type Authority = z.output<typeof Authority>;

/** One tier: its number (1 = frontline), a name, the queue it works from and its authority. */
export const Tier = z.strictObject({
  tier: z.number().int().min(1).max(100),
  name: z.string().min(1).max(100),
  queue: Label.optional(),
  authority: Authority.default({ refund: 0, replacement: 0, credit: 0, discount: 0 }),
  /** The role notified by hierarchical escalation to this tier (default: the tier's name). */
  role: Label.optional(),
});
export type Tier = z.output<typeof Tier>;

/** What makes a rule fire. */
export const Trigger = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal('sla_warning'), clock: SlaClock.optional() }),
  z.strictObject({ on: z.literal('sla_breach'), clock: SlaClock.optional() }),
  z.strictObject({ on: z.literal('reopened'), atLeast: z.number().int().min(1) }),
  z.strictObject({ on: z.literal('sentiment'), is: Sentiment.default('negative') }),
  z.strictObject({ on: z.literal('segment'), in: z.array(Label).min(1) }),
  z.strictObject({ on: z.literal('category'), in: z.array(Label).min(1) }),
  z.strictObject({ on: z.literal('asks_for_manager') }),
  z.strictObject({ on: z.literal('remedy_over_authority') }),
]);
export type Trigger = z.output<typeof Trigger>;

/** What a rule does. `escalate` moves the ticket (functional); `notify` leaves it (hierarchical). */
export const EscalationActionSpec = z.discriminatedUnion('do', [
  z.strictObject({
    do: z.literal('escalate'),
    /** A tier number, `next` (one up, the default) or `authority` (the lowest tier allowed to grant the remedy). */
    to: z.union([z.number().int().min(1), z.enum(['next', 'authority'])]).default('next'),
  }),
  z.strictObject({ do: z.literal('raise_priority'), to: Priority.optional() }),
  z.strictObject({ do: z.literal('notify'), role: Label }),
]);
export type EscalationActionSpec = z.output<typeof EscalationActionSpec>;

/** A rule as data: a trigger, optional conditions on the ticket, and actions. */
export const EscalationRule = z.strictObject({
  id: z.string().min(1).max(100).optional(),
  when: Trigger,
  /** Only for tickets in one of these segments. */
  segments: z.array(Label).min(1).optional(),
  /** Only while the ticket is below this tier (so a rule does not fire again higher up). */
  belowTier: z.number().int().min(2).optional(),
  actions: z.array(EscalationActionSpec).min(1).max(10),
});
export type EscalationRule = z.output<typeof EscalationRule>;
export type EscalationRuleInput = z.input<typeof EscalationRule>;

/** A rule in the function form: `test` decides; a string answer is the reason shown. */
export interface EscalationRuleFn {
  readonly id: string;
  test(signal: EscalationInput): boolean | string;
  readonly actions: readonly z.input<typeof EscalationActionSpec>[];
}

/** Business limits on remedies per customer segment (shares of the order value). */
export const RemedyLimits = z.strictObject({
  /** Largest partial refund as a share of the order value (default 0.3). */
  partialRefundShare: z.number().min(0).max(1).default(0.3),
  /** Voucher as a share of the order value (default 0.15). */
  voucherShare: z.number().min(0).max(1).default(0.15),
  /** Whether a full refund is offered at all (default true). */
  fullRefund: z.boolean().default(true),
});
export type RemedyLimits = z.output<typeof RemedyLimits>;

export const EscalationPolicyConfig = z
  .strictObject({
    tiers: z.array(Tier).min(1).max(100),
    rules: z.array(EscalationRule).max(1000).default([]),
    /** Remedy limits: `default`, and optional overrides per segment (`vip`). */
    remedyLimits: z.record(Label, RemedyLimits).default({}),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<number>();
    config.tiers.forEach((t, i) => {
      if (seen.has(t.tier)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'tier'],
          message: `tier ${t.tier} appears twice; every tier needs its own number`,
          params: { code: 'duplicate_tier' },
        });
      }
      seen.add(t.tier);
    });
    config.rules.forEach((rule, i) => {
      rule.actions.forEach((action, j) => {
        if (action.do === 'escalate' && typeof action.to === 'number' && !seen.has(action.to)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'actions', j, 'to'],
            message: `tier ${action.to} is not one of the tiers (${[...seen].join(', ')})`,
            params: { code: 'unknown_tier' },
          });
        }
      });
    });
  });
export type EscalationPolicyConfig = z.input<typeof EscalationPolicyConfig>;

/** A compiled escalation policy. */
export interface EscalationPolicy {
  /** Tiers, lowest first. */
  readonly tiers: readonly Tier[];
  readonly rules: readonly (EscalationRule | CompiledRuleFn)[];
  readonly remedyLimits: Readonly<Record<string, RemedyLimits>>;
}

export interface CompiledRuleFn {
  readonly id: string;
  readonly test: (signal: EscalationInput) => boolean | string;
  readonly actions: readonly EscalationActionSpec[];
}

/**
 * Builds an escalation policy: tiers with queues and authority limits, rules (as data, or
 * functions) that turn signals (SLA warnings and breaches, reopens, sentiment, segment,
 * category, a request for a manager, a remedy beyond authority) into actions, and remedy
 * limits per segment. Evaluate it with {@link evaluateEscalation}.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} on duplicate tiers, rules naming unknown tiers, or malformed rules.
 * @example
 * ```ts
 * const policy = createEscalationPolicy({
 *   tiers: [
 *     { tier: 1, name: 'frontline', authority: { refund: 50 } },
 *     { tier: 2, name: 'specialist', authority: { refund: 200 } },
 *     { tier: 3, name: 'manager', authority: { refund: 1000 } },
 *   ],
 *   rules: [
 *     { id: 'breach', when: { on: 'sla_breach' }, actions: [{ do: 'escalate' }] },
 *     { id: 'vip-angry', when: { on: 'sentiment' }, segments: ['vip'], actions: [{ do: 'notify', role: 'manager' }] },
 *   ],
 * });
 * policy.tiers.map((t) => t.name);
 * //=> ['frontline', 'specialist', 'manager']
 * ```
 */
export function createEscalationPolicy(
  config: EscalationPolicyConfig,
  functions: readonly EscalationRuleFn[] = [],
): EscalationPolicy {
  const parsed = parseInput(EscalationPolicyConfig, config, 'escalation policy');
  const compiledFns = functions.map((fn, i) => {
    if (typeof fn.test !== 'function') {
      throw new CarekitValidationError(
        [
          {
            code: 'invalid_rule',
            path: [i, 'test'],
            message: `[${i}].test: rule ${fn.id} needs a test function`,
          },
        ],
        'escalation rules',
      );
    }
    return {
      id: fn.id,
      test: fn.test,
      actions: parseInput(z.array(EscalationActionSpec).min(1), fn.actions, `escalation rule ${fn.id}`),
    };
  });
  return {
    tiers: [...parsed.tiers].sort((a, b) => a.tier - b.tier),
    rules: [...parsed.rules, ...compiledFns],
    remedyLimits: parsed.remedyLimits,
  };
}

/**
 * Refuses anything but a policy made by {@link createEscalationPolicy} (its shape, cheaply).
 *
 * @internal
 */
export function checkEscalationPolicy(policy: unknown, fn: string): asserts policy is EscalationPolicy {
  const expected = 'an escalation policy made by createEscalationPolicy';
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy))
    badArgument<RoutingErrorCode>(fn, ['policy'], expected, policy, 'invalid_policy');
  const tiers = readArgument(policy, 'tiers', fn, ['policy']);
  const rules = readArgument(policy, 'rules', fn, ['policy']);
  if (!Array.isArray(tiers) || tiers.length === 0 || !Array.isArray(rules))
    badArgument<RoutingErrorCode>(fn, ['policy'], expected, policy, 'invalid_policy');
}
