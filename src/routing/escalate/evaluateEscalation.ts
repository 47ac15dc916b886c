import { Priority, parseInput, priorityRank } from '../../model/index.js';
import {
  checkEscalationPolicy,
  type EscalationActionSpec,
  type EscalationPolicy,
  type EscalationRule,
  type Tier,
  type Trigger,
} from './createEscalationPolicy.js';
import {
  type EscalationDecision,
  EscalationInput,
  type EscalationInputRaw,
  type RemedyAuthority,
} from './signal.js';

/**
 * An action as data, for the host (or the lifecycle workflow) to carry out: an
 * {@link EscalationDecision} with the rule that decided it (and, to escalate, the tier it leaves
 * and the tier's queue).
 */
export type EscalationAction =
  | (Extract<EscalationDecision, { type: 'escalate' }> & {
      readonly fromTier: number;
      readonly queue?: string;
      readonly rule: string;
    })
  | (Extract<EscalationDecision, { type: 'raise_priority' }> & { readonly rule: string })
  | (Extract<EscalationDecision, { type: 'notify' }> & { readonly rule: string });

/** What {@link evaluateEscalation} returns: the actions, and the tier and priority after them. */
export interface EscalationOutcome {
  readonly actions: readonly EscalationAction[];
  readonly tier: number;
  readonly priority: Priority | undefined;
  /** Ids of the rules that fired, in policy order. */
  readonly fired: readonly string[];
}

function authorityOf(tier: Tier | undefined, remedy: RemedyAuthority): number {
  return tier ? tier.authority[remedy] : 0;
}

function matches(trigger: Trigger, s: EscalationInput, tiers: readonly Tier[]): string | null {
  switch (trigger.on) {
    case 'sla_warning':
    case 'sla_breach':
      if (s.kind !== trigger.on || (trigger.clock && trigger.clock !== s.clock)) return null;
      return `SLA ${trigger.on === 'sla_breach' ? 'breach' : 'warning'} on ${s.clock}`;
    case 'reopened':
      return s.kind === 'reopened' && s.reopens >= trigger.atLeast
        ? `reopened ${s.reopens} time${s.reopens === 1 ? '' : 's'} (at least ${trigger.atLeast})`
        : null;
    case 'sentiment':
      return s.kind === 'classified' && s.sentiment === trigger.is ? `${trigger.is} sentiment` : null;
    case 'segment': {
      if (s.kind !== 'classified') return null;
      const hit = s.segments.find((x) => trigger.in.includes(x));
      return hit === undefined ? null : `customer in segment ${hit}`;
    }
    case 'category':
      return s.kind === 'classified' && trigger.in.includes(s.category) ? `category ${s.category}` : null;
    case 'asks_for_manager':
      return s.kind === 'asks_for_manager' ||
        (s.kind === 'classified' && s.tags?.includes('asks_for_manager'))
        ? 'customer asked for a manager'
        : null;
    case 'remedy_over_authority': {
      if (s.kind !== 'remedy_requested') return null;
      const limit = authorityOf(
        tiers.find((t) => t.tier === s.tier),
        s.remedy,
      );
      return s.amount > limit
        ? `${s.remedy} of ${s.amount} is over tier ${s.tier}'s authority (${limit})`
        : null;
    }
  }
}

function isDataRule(rule: EscalationPolicy['rules'][number]): rule is EscalationRule {
  return 'when' in rule;
}

/**
 * Applies an escalation policy to one signal and returns the actions as data. Pure: the
 * lifecycle workflow calls it on SLA warnings and breaches, reopens and classification
 * results, and records the actions as effects. Escalations collapse to the highest target
 * tier (never down); priority only rises; each role is notified once.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} on a malformed signal.
 * @example
 * ```ts
 * evaluateEscalation(policy, { kind: 'sla_breach', clock: 'firstReply', tier: 1 });
 * //=> { actions: [{ type: 'escalate', fromTier: 1, toTier: 2, rule: 'breach', reason: 'SLA breach on firstReply' }], tier: 2, priority: undefined, fired: ['breach'] }
 * ```
 */
export function evaluateEscalation(
  policy: EscalationPolicy,
  signalInput: EscalationInputRaw,
): EscalationOutcome {
  checkEscalationPolicy(policy, 'evaluateEscalation');
  const signal = parseInput(EscalationInput, signalInput, 'escalation signal');
  const { tiers } = policy;
  const top = tiers.at(-1)!.tier;
  let target: { tier: number; rule: string; reason: string } | null = null;
  let priority: { to: Priority; rule: string; reason: string } | null = null;
  const notify = new Map<string, { rule: string; reason: string }>();
  const fired: string[] = [];
  const rank = priorityRank;

  policy.rules.forEach((rule, index) => {
    const id = rule.id ?? `rule#${index}`;
    let reason: string | null;
    let actions: readonly EscalationActionSpec[];
    if (isDataRule(rule)) {
      if (rule.segments && !rule.segments.some((x) => signal.segments.includes(x))) return;
      if (rule.belowTier !== undefined && signal.tier >= rule.belowTier) return;
      reason = matches(rule.when, signal, tiers);
      actions = rule.actions;
    } else {
      const verdict = rule.test(signal);
      reason = verdict === true ? `rule ${id}` : verdict === false ? null : verdict;
      actions = rule.actions;
    }
    if (reason === null) return;
    fired.push(id);
    for (const action of actions) {
      if (action.do === 'escalate') {
        let to: number;
        if (typeof action.to === 'number') to = action.to;
        else if (action.to === 'authority' && signal.kind === 'remedy_requested') {
          to = tiers.find((t) => authorityOf(t, signal.remedy) >= signal.amount)?.tier ?? top;
        } else to = tiers.find((t) => t.tier > signal.tier)?.tier ?? signal.tier;
        if (to > signal.tier && (!target || to > target.tier)) target = { tier: to, rule: id, reason };
      } else if (action.do === 'raise_priority') {
        const from = signal.priority ?? 'normal';
        const to = action.to ?? Priority.options[Math.min(rank(from) + 1, Priority.options.length - 1)]!;
        if (rank(to) > rank(from) && (!priority || rank(to) > rank(priority.to)))
          priority = { to, rule: id, reason };
      } else if (!notify.has(action.role)) notify.set(action.role, { rule: id, reason });
    }
  });

  const actions: EscalationAction[] = [];
  const t = target as { tier: number; rule: string; reason: string } | null;
  if (t) {
    const queue = tiers.find((x) => x.tier === t.tier)?.queue;
    actions.push({
      type: 'escalate',
      fromTier: signal.tier,
      toTier: t.tier,
      ...(queue ? { queue } : {}),
      rule: t.rule,
      reason: t.reason,
    });
  }
  const p = priority as { to: Priority; rule: string; reason: string } | null;
  if (p) actions.push({ type: 'raise_priority', to: p.to, rule: p.rule, reason: p.reason });
  for (const [role, why] of notify) actions.push({ type: 'notify', role, ...why });
  return { actions, tier: t ? t.tier : signal.tier, priority: p ? p.to : signal.priority, fired };
}
