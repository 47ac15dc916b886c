import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../../src/model/index.js';
import { TemplateEntry } from '../../../src/templates/index.js';
import { BlocklistEntry, createDesk, DeskConfig, parseDeskConfig } from '../../../src/workflows/index.js';

const entry = {
  id: 'ack',
  purpose: 'acknowledge',
  channels: ['email'],
  locales: { en: { variants: ['Thanks {{ customer.first_name }}'] } },
};

describe('one schema per record', () => {
  it("a desk config's template entry is the library's entry without its variables schema", () => {
    const templates = DeskConfig.shape.templates.def.innerType as unknown as {
      element: { shape: Record<string, unknown> };
    };
    const inConfig = templates.element.shape;
    expect(Object.keys(inConfig).sort()).toEqual(
      Object.keys(TemplateEntry.shape)
        .filter((k) => k !== 'schema')
        .sort(),
    );
    expect(parseDeskConfig({ templates: [entry] }).templates[0]).toEqual({ ...entry, format: 'text' });
  });

  it('refuses a template entry the library would refuse, when the config is parsed', () => {
    const result = (() => {
      try {
        parseDeskConfig({ templates: [{ ...entry, channels: ['fax'] }] });
      } catch (error) {
        return error;
      }
    })();
    expect(result).toBeInstanceOf(CarekitValidationError);
    expect((result as CarekitValidationError).issues[0]).toMatchObject({
      code: 'invalid_value',
      path: ['templates', 0, 'channels', 0],
    });
  });

  it('the blocklist checks an entry with the schema of the type it lists', async () => {
    const desk = createDesk({ agents: [{ id: 'ana', name: 'Ana' }] });
    await desk.blocklist.add('c1', { reason: 'chargebacks', by: 'ana', at: '2026-11-23T09:00:00Z' as never });
    const listed = await desk.blocklist.list();
    expect(listed).toEqual([
      { customerId: 'c1', reason: 'chargebacks', by: 'ana', at: Date.parse('2026-11-23T09:00:00Z') },
    ]);
    expect(BlocklistEntry.parse(listed[0])).toEqual(listed[0]);
    await expect(desk.blocklist.add('c2', { reason: '', by: 'ana', at: 0 })).rejects.toMatchObject({
      issues: [{ code: 'too_small', path: ['reason'] }],
    });
  });
});
