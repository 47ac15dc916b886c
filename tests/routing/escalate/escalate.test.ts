import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../../src/model/index.js';
import {
  createEscalationPolicy,
  type EscalationPolicyConfig,
  evaluateEscalation,
  proposeRemedies,
  toEscalateFn,
} from '../../../src/routing/index.js';

const config: EscalationPolicyConfig = {
  tiers: [
    { tier: 1, name: 'frontline', queue: 'support', authority: { refund: 50, replacement: 40, credit: 20 } },
    {
      tier: 2,
      name: 'specialist',
      queue: 'specialists',
      authority: { refund: 200, replacement: 200, credit: 100 },
    },
    {
      tier: 3,
      name: 'manager',
      queue: 'managers',
      authority: { refund: 1000, replacement: 1000, credit: 500 },
    },
  ],
  rules: [
    { id: 'breach', when: { on: 'sla_breach' }, actions: [{ do: 'escalate' }, { do: 'raise_priority' }] },
    {
      id: 'warn-first',
      when: { on: 'sla_warning', clock: 'firstReply' },
      actions: [{ do: 'notify', role: 'team_lead' }],
    },
    { id: 'reopens', when: { on: 'reopened', atLeast: 2 }, actions: [{ do: 'escalate', to: 2 }] },
    { id: 'vip-angry', when: { on: 'sentiment' }, segments: ['vip'], actions: [{ do: 'escalate', to: 3 }] },
    { id: 'vip', when: { on: 'segment', in: ['vip'] }, actions: [{ do: 'raise_priority', to: 'high' }] },
    {
      id: 'complaint',
      when: { on: 'category', in: ['complaint'] },
      actions: [{ do: 'notify', role: 'manager' }],
    },
    {
      id: 'manager',
      when: { on: 'asks_for_manager' },
      belowTier: 3,
      actions: [{ do: 'notify', role: 'manager' }],
    },
    {
      id: 'authority',
      when: { on: 'remedy_over_authority' },
      actions: [{ do: 'escalate', to: 'authority' }],
    },
  ],
  remedyLimits: { vip: { partialRefundShare: 0.5, voucherShare: 0.25 }, strict: { fullRefund: false } },
};
const policy = createEscalationPolicy(config);

describe('evaluateEscalation', () => {
  it('functional escalation: a breach moves the ticket up one tier and raises priority', () => {
    expect(evaluateEscalation(policy, { kind: 'sla_breach', clock: 'firstReply', tier: 1 })).toEqual({
      actions: [
        {
          type: 'escalate',
          fromTier: 1,
          toTier: 2,
          queue: 'specialists',
          rule: 'breach',
          reason: 'SLA breach on firstReply',
        },
        { type: 'raise_priority', to: 'high', rule: 'breach', reason: 'SLA breach on firstReply' },
      ],
      tier: 2,
      priority: 'high',
      fired: ['breach'],
    });
  });
  it('hierarchical escalation: a warning notifies, the ticket stays', () => {
    const d = evaluateEscalation(policy, { kind: 'sla_warning', clock: 'firstReply', tier: 1 });
    expect(d.actions).toEqual([
      { type: 'notify', role: 'team_lead', rule: 'warn-first', reason: 'SLA warning on firstReply' },
    ]);
    expect(d.tier).toBe(1);
    expect(evaluateEscalation(policy, { kind: 'sla_warning', clock: 'resolution' }).actions).toEqual([]);
  });
  it('reopens at least N, never down a tier', () => {
    expect(evaluateEscalation(policy, { kind: 'reopened', reopens: 1 }).actions).toEqual([]);
    expect(evaluateEscalation(policy, { kind: 'reopened', reopens: 2 }).tier).toBe(2);
    expect(evaluateEscalation(policy, { kind: 'reopened', reopens: 5, tier: 3 }).actions).toEqual([]);
  });
  it('classification: VIP with negative sentiment goes to the manager; complaints notify', () => {
    const d = evaluateEscalation(policy, {
      kind: 'classified',
      category: 'complaint',
      sentiment: 'negative',
      segments: ['vip'],
      priority: 'normal',
    });
    expect(d.fired).toEqual(['vip-angry', 'vip', 'complaint']);
    expect(d.tier).toBe(3);
    expect(d.priority).toBe('high');
    expect(d.actions.map((a) => a.type)).toEqual(['escalate', 'raise_priority', 'notify']);
    const plain = evaluateEscalation(policy, {
      kind: 'classified',
      category: 'complaint',
      sentiment: 'negative',
    });
    expect(plain.fired).toEqual(['complaint']);
  });
  it('a request for a manager notifies the manager, below tier 3 only', () => {
    expect(evaluateEscalation(policy, { kind: 'asks_for_manager' }).actions[0]).toMatchObject({
      role: 'manager',
    });
    expect(
      evaluateEscalation(policy, { kind: 'classified', category: 'x', tags: ['asks_for_manager'] }).fired,
    ).toEqual(['manager']);
    expect(evaluateEscalation(policy, { kind: 'asks_for_manager', tier: 3 }).actions).toEqual([]);
  });
  it('a remedy over authority goes to the lowest tier allowed to grant it', () => {
    expect(
      evaluateEscalation(policy, { kind: 'remedy_requested', remedy: 'refund', amount: 40 }).actions,
    ).toEqual([]);
    const d = evaluateEscalation(policy, { kind: 'remedy_requested', remedy: 'refund', amount: 120 });
    expect(d.actions[0]).toMatchObject({
      toTier: 2,
      reason: "refund of 120 is over tier 1's authority (50)",
    });
    expect(
      evaluateEscalation(policy, { kind: 'remedy_requested', remedy: 'refund', amount: 5000 }).tier,
    ).toBe(3);
  });
  it('function rules and their reasons', () => {
    const p = createEscalationPolicy({ tiers: config.tiers }, [
      {
        id: 'night',
        test: (s) => (s.kind === 'sla_breach' ? 'breach at night' : false),
        actions: [{ do: 'notify', role: 'oncall' }],
      },
      { id: 'always', test: () => true, actions: [{ do: 'escalate' }] },
    ]);
    const d = evaluateEscalation(p, { kind: 'sla_breach', clock: 'resolution', tier: 3 });
    expect(d.actions).toEqual([{ type: 'notify', role: 'oncall', rule: 'night', reason: 'breach at night' }]);
    expect(evaluateEscalation(p, { kind: 'reopened', reopens: 0 }).actions[0]).toMatchObject({
      reason: 'rule always',
    });
  });
  it('validates policies and signals with codes and paths', () => {
    const issue = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CarekitValidationError);
        return (e as CarekitValidationError).issues[0];
      }
      return undefined;
    };
    expect(
      issue(() =>
        createEscalationPolicy({
          tiers: [
            { tier: 1, name: 'a' },
            { tier: 1, name: 'b' },
          ],
        }),
      ),
    ).toMatchObject({
      code: 'duplicate_tier',
      path: ['tiers', 1, 'tier'],
    });
    expect(
      issue(() =>
        createEscalationPolicy({
          tiers: [{ tier: 1, name: 'a' }],
          rules: [{ when: { on: 'sla_breach' }, actions: [{ do: 'escalate', to: 4 }] }],
        }),
      ),
    ).toMatchObject({ code: 'unknown_tier', path: ['rules', 0, 'actions', 0, 'to'] });
    expect(
      issue(() => evaluateEscalation(policy, { kind: 'sla_breach', clock: 'lunch' as 'firstReply' }))?.path,
    ).toEqual(['clock']);
    expect(
      issue(() =>
        createEscalationPolicy({ tiers: [{ tier: 1, name: 'a' }] }, [
          { id: 'x', test: 3 as never, actions: [] },
        ]),
      ),
    ).toMatchObject({ code: 'invalid_rule' });
  });
});

describe('proposeRemedies', () => {
  it('offers at least two options, cheapest authority first, tagged with the tier they need', () => {
    const options = proposeRemedies('defect', 80, policy);
    expect(options.map((o) => [o.remedy, o.amount, o.tier])).toEqual([
      ['voucher', 12, 1],
      ['partial_refund', 24, 1],
      ['replacement', 80, 2],
      ['full_refund_with_return', 80, 2],
    ]);
    expect(options[0]?.description).toBe('A voucher of 12 for the next order');
  });
  it('uses the segment limits and drops a full refund where the business does not offer it', () => {
    expect(proposeRemedies('delay', 100, policy, 'vip').map((o) => [o.remedy, o.amount])).toEqual([
      ['partial_refund', 50],
      ['voucher', 25],
      ['full_refund_with_return', 100],
    ]);
    const strict = proposeRemedies('wrong_item', 100, policy, 'strict');
    expect(strict.map((o) => o.remedy)).toEqual(['voucher', 'replacement']);
  });
  it('tags an option no tier may grant with null, last', () => {
    const options = proposeRemedies('missing_item', 5000, policy);
    expect(options.at(-1)).toMatchObject({ remedy: 'replacement', tier: null });
  });
  it('validates the problem and the value', () => {
    expect(() => proposeRemedies('lost' as 'delay', 10, policy)).toThrow(CarekitValidationError);
    expect(() => proposeRemedies('delay', -1, policy)).toThrow(CarekitValidationError);
  });
});

describe('toEscalateFn (the lifecycle workflow shape)', () => {
  const escalate = toEscalateFn(policy);
  const ticket = {
    ticketId: 't1',
    tier: 1,
    priority: 'normal' as const,
    category: null,
    segment: null,
    reopens: 0,
    assigneeId: null,
  };
  it('passes the policy’s actions on: one vocabulary, no translation', () => {
    expect(escalate({ kind: 'sla_breach', clock: 'firstReply' }, ticket)).toMatchObject([
      { type: 'escalate', toTier: 2, reason: 'SLA breach on firstReply' },
      { type: 'raise_priority', to: 'high', reason: 'SLA breach on firstReply' },
    ]);
    expect(escalate({ kind: 'classified', category: 'complaint' }, ticket)).toMatchObject([
      { type: 'notify', role: 'manager', reason: 'category complaint' },
    ]);
    expect(escalate({ kind: 'reopened', reopens: 2 }, { ...ticket, segment: 'vip' })[0]).toMatchObject({
      toTier: 2,
    });
    // A clock outside the vocabulary is refused by the policy's schema, not silently ignored.
    expect(() => escalate({ kind: 'sla_breach', clock: 'custom' as 'firstReply' }, ticket)).toThrow(
      CarekitValidationError,
    );
  });
});
