import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { Priority } from '../../../src/model/index.js';
import {
  createEscalationPolicy,
  type EscalationInputRaw,
  evaluateEscalation,
  Problem,
  proposeRemedies,
} from '../../../src/routing/index.js';
import { propertyRuns } from '../../support/runs.js';

const arbTiers = fc
  .uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 })
  .chain((numbers) =>
    fc.tuple(
      ...numbers.map((tier) =>
        fc
          .record({ refund: fc.nat(500), replacement: fc.nat(500), credit: fc.nat(500) })
          .map((authority) => ({ tier, name: `t${tier}`, authority })),
      ),
    ),
  );

const arbSignal: fc.Arbitrary<EscalationInputRaw> = fc
  .oneof(
    fc.record({
      kind: fc.constantFrom('sla_warning', 'sla_breach' as const),
      clock: fc.constantFrom('firstReply', 'resolution' as const),
    }),
    fc.record({ kind: fc.constant('reopened' as const), reopens: fc.nat(5) }),
    fc.record({
      kind: fc.constant('classified' as const),
      category: fc.constantFrom('complaint', 'refund'),
      sentiment: fc.constantFrom('negative', 'neutral' as const),
      segments: fc.subarray(['vip', 'new']),
    }),
    fc.record({
      kind: fc.constant('remedy_requested' as const),
      remedy: fc.constantFrom('refund', 'credit' as const),
      amount: fc.nat(1000),
    }),
  )
  .chain((s) =>
    fc
      .record({ tier: fc.integer({ min: 1, max: 6 }), priority: fc.constantFrom(...Priority.options) })
      .map((c) => ({ ...s, ...c })),
  );

const rules = [
  {
    when: { on: 'sla_breach' as const },
    actions: [{ do: 'escalate' as const }, { do: 'raise_priority' as const }],
  },
  { when: { on: 'reopened' as const, atLeast: 2 }, actions: [{ do: 'escalate' as const }] },
  {
    when: { on: 'sentiment' as const },
    actions: [
      { do: 'notify' as const, role: 'lead' },
      { do: 'raise_priority' as const, to: 'low' as const },
    ],
  },
  {
    when: { on: 'remedy_over_authority' as const },
    actions: [{ do: 'escalate' as const, to: 'authority' as const }],
  },
];

describe('escalation laws', () => {
  test.prop([arbTiers, arbSignal], propertyRuns(100))(
    'never lowers the tier or the priority, escalates to a real tier, and is deterministic',
    (tiers, signal) => {
      const policy = createEscalationPolicy({ tiers, rules });
      const d = evaluateEscalation(policy, signal);
      expect(evaluateEscalation(policy, signal)).toEqual(d);
      expect(d.tier).toBeGreaterThanOrEqual(signal.tier ?? 1);
      const rank = (p: string | undefined) => Priority.options.indexOf((p ?? 'normal') as Priority);
      expect(rank(d.priority)).toBeGreaterThanOrEqual(rank(signal.priority));
      for (const a of d.actions)
        if (a.type === 'escalate') expect(tiers.map((t) => t.tier)).toContain(a.toTier);
      expect(d.actions.filter((a) => a.type === 'escalate').length).toBeLessThanOrEqual(1);
    },
  );

  test.prop(
    [arbTiers, fc.constantFrom(...Problem.options), fc.integer({ min: 0, max: 2000 })],
    propertyRuns(100),
  )(
    'remedies: at least two options; each tier named has the authority; no lower tier has it',
    (tiers, problem, value) => {
      const policy = createEscalationPolicy({ tiers });
      const options = proposeRemedies(problem, value, policy);
      expect(options.length).toBeGreaterThanOrEqual(2);
      for (const o of options) {
        const allowed = policy.tiers.filter((t) => t.authority[o.authority] >= o.amount).map((t) => t.tier);
        expect(o.tier).toBe(allowed.length === 0 ? null : Math.min(...allowed));
        expect(o.amount).toBeLessThanOrEqual(value);
      }
    },
  );
});
