import { describe, expectTypeOf, it } from 'vitest';
import {
  type Classification,
  type Classifier,
  chainClassifiers,
  type TextClassifier,
  trainTextClassifier,
} from '../../src/routing/index.js';

describe('classification types', () => {
  it('a text classifier answers synchronously; a generic classifier may not', () => {
    expectTypeOf(trainTextClassifier).returns.toEqualTypeOf<TextClassifier>();
    expectTypeOf<ReturnType<TextClassifier['classify']>>().toEqualTypeOf<Classification>();
    expectTypeOf<ReturnType<Classifier['classify']>>().toEqualTypeOf<
      Classification | Promise<Classification>
    >();
    expectTypeOf(chainClassifiers).returns.toEqualTypeOf<Classifier>();
  });
  it('needs a body', () => {
    const c = trainTextClassifier([{ text: 'a', category: 'x' }]);
    // @ts-expect-error body is required
    c.classify({ subject: 'a' });
  });
});

import {
  createEscalationPolicy,
  createRouter,
  type EscalationOutcome,
  evaluateEscalation,
  type RouteOutcome,
  type RouterState,
  type RoutingFilter,
  type RoutingStrategy,
  toEscalateFn,
} from '../../src/routing/index.js';

describe('routing types', () => {
  it('route returns an agent id or null, a reason and the next state', () => {
    const router = createRouter({ strategy: 'leastLoaded' });
    expectTypeOf(router.route).returns.toEqualTypeOf<RouteOutcome>();
    expectTypeOf<RouteOutcome['agentId']>().toEqualTypeOf<string | null>();
    expectTypeOf<RouteOutcome['state']>().toEqualTypeOf<RouterState>();
  });
  it('policies name known filters and strategies', () => {
    // @ts-expect-error unknown strategy
    createRouter({ strategy: 'random' });
    // @ts-expect-error unknown filter
    createRouter({ filters: ['hasSkils'] });
    const f: RoutingFilter = { name: 'f', test: () => true };
    const s: RoutingStrategy = { name: 's', key: (agent) => agent.tier };
    createRouter({ filters: ['available', f, { filter: 'tierAtLeast', tier: 2 }], strategy: s });
  });
  it('escalation signals are checked by kind', () => {
    const policy = createEscalationPolicy({ tiers: [{ tier: 1, name: 'frontline' }] });
    expectTypeOf(
      evaluateEscalation(policy, { kind: 'reopened', reopens: 2 }),
    ).toEqualTypeOf<EscalationOutcome>();
    // @ts-expect-error a breach needs its clock
    evaluateEscalation(policy, { kind: 'sla_breach' });
    createEscalationPolicy({
      tiers: [{ tier: 1, name: 'a' }],
      // @ts-expect-error actions are escalate, raise_priority or notify
      rules: [{ when: { on: 'sla_breach' }, actions: [{ do: 'page' }] }],
    });
    expectTypeOf(toEscalateFn(policy)).parameter(0).toMatchTypeOf<{ kind: string }>();
  });
});

import type { EscalateFn } from '../../src/workflows/index.js';

describe('escalation plugs into the lifecycle workflow', () => {
  it('toEscalateFn gives the workflow escalate function type', () => {
    const policy = createEscalationPolicy({ tiers: [{ tier: 1, name: 'frontline' }] });
    expectTypeOf(toEscalateFn(policy)).toExtend<EscalateFn>();
  });
});
