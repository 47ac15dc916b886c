import { describe, expect, it } from 'vitest';
import { defaultMapping, parseImportMapping } from '../../src/import/index.js';
import { CarekitValidationError } from '../../src/model/index.js';

describe('the import mapping', () => {
  it('has sensible defaults per source', () => {
    const zd = defaultMapping('zendesk');
    expect([
      zd.statuses.hold,
      zd.statuses.closed,
      zd.priorities.urgent,
      zd.channels.voice,
      zd.channels.mail,
    ]).toEqual(['on_hold', 'closed', 'urgent', 'phone', 'email']);
    const fd = defaultMapping('freshdesk');
    expect([fd.statuses['2'], fd.statuses['3'], fd.statuses['4'], fd.statuses['5']]).toEqual([
      'open',
      'pending',
      'solved',
      'closed',
    ]);
    expect([fd.priorities['1'], fd.priorities['2'], fd.priorities['3'], fd.priorities['4']]).toEqual([
      'low',
      'normal',
      'high',
      'urgent',
    ]);
    expect([fd.channels['1'], fd.channels['3'], fd.channels['7']]).toEqual(['email', 'phone', 'chat']);
    // A default is the caller's own copy.
    zd.statuses.open = 'solved';
    expect(defaultMapping('zendesk').statuses.open).toBe('open');
  });

  it("lays a user's mapping over the defaults, entry by entry", () => {
    const m = parseImportMapping('freshdesk', {
      statuses: { '6': 'on_hold' },
      groups: { '43000001': { tier: 2 } },
      agents: { '43000100001': 'ana' },
      unmappedAgents: 'report',
    });
    expect(m.statuses).toMatchObject({ '2': 'open', '6': 'on_hold' });
    expect(m.groups['43000001']).toEqual({ tier: 2 });
    expect([m.agents['43000100001'], m.unmappedAgents, m.ticketPrefix]).toEqual(['ana', 'report', 'fd-']);
  });

  it('holds its tables without a prototype, so a source value such as `constructor` maps to nothing', () => {
    for (const source of ['zendesk', 'freshdesk'] as const) {
      for (const table of Object.values(defaultMapping(source)))
        if (typeof table === 'object' && table !== null && !Array.isArray(table))
          expect(Object.getPrototypeOf(table)).toBeNull();
      const mapping = parseImportMapping(source, { channels: { web: 'web_form' } });
      for (const table of [
        mapping.channels,
        mapping.priorities,
        mapping.statuses,
        mapping.categories,
        mapping.groups,
      ])
        expect(Object.getPrototypeOf(table)).toBeNull();
      expect(mapping.channels.constructor).toBeUndefined();
      expect(mapping.priorities.toString).toBeUndefined();
      expect(mapping.channels.web).toBe('web_form');
    }
  });

  it('refuses unknown keys and wrong values with codes, paths and sentences', () => {
    const attempt = (input: unknown) => {
      try {
        parseImportMapping('zendesk', input);
      } catch (error) {
        expect(error).toBeInstanceOf(CarekitValidationError);
        return (error as CarekitValidationError).issues.map((i) => [i.code, i.path.join('.'), i.message]);
      }
      throw new Error('expected a validation error');
    };
    expect(attempt({ status: {} })).toEqual([
      ['unrecognized_keys', '', expect.stringContaining('unknown key "status"')],
    ]);
    expect(attempt({ statuses: { hold: 'waiting' } })).toEqual([
      [
        'invalid_value',
        'statuses.hold',
        expect.stringContaining('must be one of "open", "pending", "on_hold", "solved", "closed"'),
      ],
    ]);
    expect(attempt({ groups: { '1': { tier: 0 } } })[0]?.slice(0, 2)).toEqual(['too_small', 'groups.1.tier']);
    expect(attempt({ fields: { '360': 'Order Id' } })[0]?.slice(0, 2)).toEqual([
      'invalid_format',
      'fields.360',
    ]);
    expect(attempt({ groups: { '1': { tier: 1, queue: 'x' } } })[0]?.[0]).toBe('unrecognized_keys');
    expect(() => parseImportMapping('helpscout' as 'zendesk')).toThrow(
      expect.objectContaining({ code: 'unknown_source' }),
    );
  });
});
