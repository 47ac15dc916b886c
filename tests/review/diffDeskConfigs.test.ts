import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHtml } from '../../src/cli/carekit.js';
import { deskHash, diffDeskConfigChanges, diffDeskConfigs } from '../../src/review/index.js';

const loja = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../examples/loja-azul.desk.json'), 'utf8'),
) as {
  calendars: Record<string, { week: Record<string, unknown> }>;
  slaPolicies: { firstReply: { targets: Record<string, unknown> } }[];
  agents: { id: string; capacity?: number }[];
  escalation: { tiers: { authority: Record<string, number> }[]; rules: unknown[] };
  routing: { strategy: string };
  lifecycle: Record<string, unknown>;
};

describe('diffDeskConfigs', () => {
  it('lists targets, hours, tiers, rules, routing, agents and lifecycle changes, one row each', () => {
    const next = structuredClone(loja);
    (next.slaPolicies[0] as (typeof next.slaPolicies)[number]).firstReply.targets.urgent = { minutes: 15 };
    (next.calendars.support as (typeof next.calendars)[string]).week.sun = [];
    (next.escalation.tiers[1] as (typeof next.escalation.tiers)[number]).authority.refund = 300;
    next.escalation.rules.pop();
    next.agents.reverse(); // order alone is no change
    const sofia = next.agents.find((a) => a.id === 'sofia') as (typeof next.agents)[number];
    sofia.capacity = 9;
    next.routing.strategy = 'roundRobin';
    next.lifecycle.reopenWindow = { days: 3 };
    expect(diffDeskConfigChanges(loja, next).map((c) => [c.path.join(' '), c.before, c.after])).toEqual([
      ['calendars support week sun', '10:00–18:00', 'closed'],
      ['slaPolicies vip firstReply targets urgent', '30 min', '15 min'],
      ['agents sofia capacity', '12', '9'],
      ['routing strategy', 'leastLoaded', 'roundRobin'],
      [
        'escalation rules reopened twice',
        'when {"atLeast":2,"on":"reopened"}; actions {"do":"escalate","to":2}',
        null,
      ],
      ['escalation tiers tier 2 authority refund', '200', '300'],
      ['lifecycle reopenWindow', '7 days', '3 days'],
    ]);
    const md = diffDeskConfigs(loja, next, { names: ['v1.json', 'v2.json'], date: Date.UTC(2026, 11, 1) });
    expect(md).toContain(`from \`v1.json\` (hash \`${deskHash(loja).slice(0, 16)}\`)`);
    expect(md).toContain('7 changes:');
    expect(md).toContain('| Calendar › `support` › hours › Sunday | 10:00–18:00 | closed |');
    expect(md).toContain('Reviewed and approved by:');
  });

  it('finds nothing between a configuration and itself reordered', () => {
    const reordered = Object.fromEntries(Object.entries(loja).reverse());
    expect(diffDeskConfigChanges(loja, reordered)).toEqual([]);
    expect(diffDeskConfigs(loja, reordered)).toContain(
      'No changes: the two configurations run the same desk.',
    );
  });
});

describe('workflow.html without the mermaid package', () => {
  it('says so on the page, how to add it, and what the reader sees instead', () => {
    const html = toHtml('# T\n\n```mermaid\nflowchart TB\n  a --> b\n```\n', 'T', false);
    expect(html).toContain(
      'install the optional <code>mermaid</code> package (<code>npm install mermaid</code>)',
    );
    expect(html).toContain('The diagrams are shown as their Mermaid source');
    expect(html).not.toContain('mermaid.min.js');
  });
});
