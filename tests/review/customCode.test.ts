import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDesk, deskHash, withSummary } from '../../src/review/index.js';
import {
  type Classifier,
  createEscalationPolicy,
  createRouter,
  type RoutingFilter,
  type RoutingStrategy,
  ruleClassifier,
} from '../../src/routing/index.js';
import { createDesk, createDeskFromConfig, type EscalateFn } from '../../src/workflows/index.js';

const loja = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../examples/loja-azul.desk.json'), 'utf8'),
) as Record<string, unknown>;

const vipFirst: RoutingFilter = withSummary(
  { name: 'vipFirst', test: (agent, ticket) => ticket.segment !== 'vip' || agent.tier >= 2 || 'not senior' },
  'VIP customers are served by tier 2 or above.',
);
const fewestRefunds: RoutingStrategy = { name: 'fewestRefunds', key: (_agent, stats) => stats.assigned };
const llm: Classifier = withSummary(
  { name: 'llm', classify: () => ({ category: 'other', confidence: 1, tags: [], explanation: 'stub' }) },
  'Asks the shop’s language model for the category.',
);
const escalateAngry: EscalateFn = withSummary(function escalateAngry(signal, ticket) {
  return signal.kind === 'sla_breach'
    ? [{ type: 'escalate', toTier: ticket.tier + 2, reason: 'breach' }]
    : [];
}, 'A breach skips a tier.');
const agents = [
  { id: 'ana', name: 'Ana' },
  { id: 'bo', name: 'Bo', tier: 2 },
];

describe('describeDesk of a desk that runs custom code', () => {
  const builtin = describeDesk(createDesk({ agents }), { date: 0 });
  const custom = describeDesk(
    createDesk({
      agents,
      router: { filters: ['available', vipFirst], strategy: fewestRefunds },
      classifier: llm,
      escalation: escalateAngry,
    }),
    { date: 0 },
  );

  it('names every piece of custom code, marked and with its summary', () => {
    expect(custom).toContain('`vipFirst` (**custom code**: VIP customers are served by tier 2 or above.)');
    expect(custom).toContain('`fewestRefunds` (**custom code**, no summary given)');
    expect(custom).toContain(
      'classified by `llm` (**custom code**: Asks the shop’s language model for the category.)',
    );
    expect(custom).toContain(
      'Escalation is decided by `escalateAngry` (**custom code**: A breach skips a tier.)',
    );
    expect(custom).toContain(
      '| `vipFirst` | routing filter | custom code | VIP customers are served by tier 2 or above. |',
    );
    expect(custom).toContain('| `escalateAngry` | escalation | custom code | A breach skips a tier. |');
    expect(custom).toContain('vipFirst (custom code)'); // in the contact diagram
  });

  it('never describes a built-in for the custom code', () => {
    expect(builtin).toContain('then `mostSpareCapacity` picks');
    expect(builtin).toContain('No escalation policy: carekit’s default applies');
    expect(builtin).toContain('None: every policy below is carekit’s built-in behaviour');
    expect(custom).not.toContain('mostSpareCapacity');
    expect(custom).not.toContain('carekit’s default');
    expect(custom).not.toContain('None: every policy below');
    expect(custom).not.toContain('an SLA clock breached'); // the default's rule, drawn for the built-in only
    expect(builtin).toContain('an SLA clock breached');
    expect(custom).not.toBe(builtin);
  });

  it('marks a classifier object without a summary as code it cannot read, not as the built-in rules', () => {
    const md = describeDesk(
      createDesk({ classifier: ruleClassifier([{ category: 'refund', keywords: ['refund'] }]) }),
    );
    expect(md).toContain('classified by `rules` (**code this document cannot read**, no summary given)');
    expect(md).not.toContain('default English rules');
  });

  it('tells a prebuilt router’s custom steps from its built-in names, and says what it cannot tell', () => {
    const md = describeDesk(createDesk({ router: createRouter({ filters: ['available', vipFirst] }) }));
    expect(md).toContain('`available` → `vipFirst` (**custom code**, no summary given)');
    expect(md).toContain('tells its steps by name only');
  });

  it('names function rules inside an escalation policy and draws only what data rules say', () => {
    const escalation = createEscalationPolicy(
      {
        tiers: [
          { tier: 1, name: 'frontline' },
          { tier: 2, name: 'specialists' },
        ],
        rules: [
          { id: 'angry', when: { on: 'sentiment' }, actions: [{ do: 'escalate' }] },
          { id: 'remedy', when: { on: 'remedy_over_authority' }, actions: [{ do: 'escalate', to: 2 }] },
          { id: 'refunds', when: { on: 'category', in: ['refund'] }, actions: [{ do: 'escalate', to: 2 }] },
        ],
      },
      [
        withSummary(
          { id: 'big-order', test: () => false, actions: [{ do: 'escalate' as const }] },
          'Orders above 500.',
        ),
      ],
    );
    const md = describeDesk(createDesk({ escalation, lifecycle: { maxTier: 2 } }));
    expect(md).toContain(
      '| big-order | decided by `big-order` (**custom code**: Orders above 500.) | escalate one tier up |',
    );
    expect(md).toContain('the desk never sends this signal: the rule does not fire here');
    expect(md).toContain(
      't1 -- "customer sounds negative<br>category is refund<br>custom code big-order" --> t2',
    );
    // A rule that cannot fire in a desk (only a host sends remedy requests) is not an arrow; the
    // classifier's sentiment reaches the policy, so that rule is one.
    expect(md).not.toContain('a remedy beyond the tier’s authority<br>');
    expect(md).toContain('customer sounds negative<br>');
  });

  it('describes the configuration plus its code the same way createDeskFromConfig runs it', () => {
    const fromData = describeDesk(loja, { date: 0 });
    const withCode = describeDesk(loja, {
      date: 0,
      extra: { router: { filters: [vipFirst], strategy: 'leastLoaded' } },
    });
    expect(fromData).toContain('`onShift` → `tierAtLeast` → `speaks` → `withinCapacity`');
    expect(withCode).toContain('Each ticket goes through the filters `vipFirst` (**custom code**');
    expect(withCode).not.toContain('`onShift` → `tierAtLeast`');
    expect(withCode).toContain('from the configuration and the code the desk runs beside it');
    // The running desk built from the same pair tells the same routing.
    const desk = createDeskFromConfig(loja, { router: { filters: [vipFirst], strategy: 'leastLoaded' } });
    expect(describeDesk(desk, { name: 'Loja Azul' })).toContain(
      'Each ticket goes through the filters `vipFirst` (**custom code**: VIP customers are served by tier 2 or above.), then `leastLoaded` picks',
    );
  });

  it('reads the running demo desk: its tiers, rules and calendars', () => {
    const md = describeDesk(createDeskFromConfig(loja), { name: 'Loja Azul' });
    expect(md).toContain('# Loja Azul: how customer care works');
    expect(md).toContain('from the running desk (`desk.options`)');
    expect(md).toContain('| 2 | specialists | specialists | 200 | 200 | 100 | 0 |');
    expect(md).toContain('| first reply | 30 min | 1 h | 1 h | 2 h | support | never | 75% |');
    expect(md).toContain(
      '| resolution | no target | 24 h | 36 h | no target | support | pending, on_hold | 75% |',
    );
    expect(md).toContain('| Friday | 08:00–23:00 |');
  });
});

describe('the stamp on every page', () => {
  it('states carekit’s version, the desk’s hash and the date', () => {
    const md = describeDesk(loja, { date: Date.UTC(2026, 11, 1) });
    const version = (
      JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
    ).version;
    expect(md.split('\n')[2]).toBe(
      `carekit ${version} · desk hash \`${deskHash(loja).slice(0, 16)}\` · 2026-12-01`,
    );
  });

  it('hashes what runs: the same data in another key order hashes the same, changed data or code does not', () => {
    const reordered = Object.fromEntries(Object.entries(loja).reverse());
    expect(deskHash(reordered)).toBe(deskHash(loja));
    expect(deskHash({ ...loja, name: 'Loja Verde' })).not.toBe(deskHash(loja));
    const a = { name: 'x', test: () => true };
    const b = { name: 'x', test: () => false };
    expect(deskHash(loja, { extra: { router: { filters: [a] } } })).not.toBe(
      deskHash(loja, { extra: { router: { filters: [b] } } }),
    );
  });
});
