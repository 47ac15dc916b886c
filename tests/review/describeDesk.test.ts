import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../src/model/index.js';
import { describeDesk } from '../../src/review/index.js';
import { createDeskFromConfig, parseDeskConfig } from '../../src/workflows/index.js';

const loja = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../examples/loja-azul.desk.json'), 'utf8'),
) as Record<string, unknown>;

describe('describeDesk', () => {
  it('documents a bare desk with its defaults', () => {
    const md = describeDesk({});
    expect(md.split('\n')[0]).toBe('# Customer care: how customer care works');
    expect(md).toContain('No business calendars');
    expect(md).toContain('No SLA policies');
    expect(md).toContain('No escalation policy');
    expect(md).toContain('No agents configured.');
    expect(md).toContain('No templates in the configuration.');
    expect(md).toContain('No satisfaction surveys.');
    expect(md).toContain('FCR (Zendesk one-touch)');
  });

  it('documents the demo desk: targets per priority (and where there is none), calendars, tiers, rules, team, templates, surveys', () => {
    const md = describeDesk(loja);
    expect(md).toContain('| first reply | 30 min | 1 h | 1 h | 2 h | support | never | 75% |');
    expect(md).toContain(
      '| resolution | no target | 24 h | 36 h | no target | support | pending, on_hold | 75% |',
    );
    expect(md).toContain('| Friday | 08:00–23:00 |');
    expect(md).toContain('2026-12-24 (09:00–14:00) Christmas Eve');
    expect(md).toContain('| 2 | specialists | specialists | 200 | 200 | 100 | 0 |');
    expect(md).toContain('| reopened twice | reopened 2 times or more | escalate to tier 2 |');
    expect(md).toContain('`onShift` → `tierAtLeast` → `speaks` → `withinCapacity`');
    expect(md).toContain('| `damaged_item` |');
    expect(md).toContain('`remedies.refund_amount`');
    expect(md).toContain('NPS: at most once per customer every 90 days.');
    expect(md).toContain('in business hours of `support`');
    expect(md).toContain('```mermaid\nflowchart TB');
  });

  it('refuses an invalid configuration with every problem and its path', () => {
    try {
      describeDesk({
        slaPolicies: [
          { id: 'a', calendar: 'x', firstReply: { targets: { normal: { hours: 1 } } } },
          { id: 'a', calendar: null, resolution: { targets: { normal: { hours: 1 } } } },
        ],
        agents: [
          { id: 'b', name: 'B', calendarId: 'y' },
          { id: 'b', name: 'B2' },
        ],
        lifecycle: { acknowledgeTemplate: 'ack' },
        templates: [{ id: 'other', purpose: 'p', channels: ['chat'], locales: { en: { variants: ['x'] } } }],
        kpis: { businessCalendar: 'z' },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitValidationError);
      expect((error as CarekitValidationError).issues.map((i) => [i.code, i.path.join('.')])).toEqual([
        ['unknown_calendar', 'slaPolicies.0.calendar'],
        ['duplicate_id', 'slaPolicies.1.id'],
        ['unknown_calendar', 'agents.0.calendarId'],
        ['duplicate_id', 'agents.1.id'],
        ['unknown_calendar', 'kpis.businessCalendar'],
        ['unknown_template', 'lifecycle.acknowledgeTemplate'],
      ]);
    }
  });
});

describe('createDeskFromConfig', () => {
  it('runs the configuration the review documents', async () => {
    const config = parseDeskConfig(loja);
    expect(config.agents).toHaveLength(12);
    const desk = createDeskFromConfig(loja);
    const { ticket } = await desk.receive({
      externalId: 'm1',
      channel: 'marketplace',
      customer: { id: 'c1', language: 'pt' },
      subject: 'Pedido',
      body: 'Where is my order? It has not arrived yet.',
      at: '2026-11-24T10:00:00-03:00',
      language: 'pt',
    });
    expect(ticket.category).toBe('order_status');
    expect((await desk.store.load(ticket.ticketId))?.workflowKey).toBe('marketplace');
    expect(['ana', 'bruno', 'ines', 'joao']).toContain(ticket.assigneeId);
  });
});
