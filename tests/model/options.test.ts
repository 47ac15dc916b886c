import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CarekitValidationError,
  defineFields,
  defineStatuses,
  durationToMs,
  parseOptions,
  safeParseInput,
} from '../../src/model/index.js';
import { createTicketWorkflow } from '../../src/workflows/index.js';
import { cpuTime } from '../support/cpuTime.js';

const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitValidationError);
    return (error as CarekitValidationError).issues;
  }
  throw new Error('accepted');
};

describe('parseOptions', () => {
  const Options = z.strictObject({
    limit: z.number().int().positive().default(10),
    nested: z.strictObject({ a: z.string() }).optional(),
  });

  it('reads undefined as {} and applies defaults', () => {
    expect(parseOptions(Options, undefined, 'search options')).toEqual({ limit: 10 });
  });

  it('lists the allowed keys for an unknown one, at the root and nested', () => {
    expect(issuesOf(() => parseOptions(Options, { limt: 5 }, 'search options'))[0]).toMatchObject({
      code: 'unrecognized_keys',
      message: '(root): "limt" is not an option of search options; allowed: limit, nested',
    });
    expect(issuesOf(() => parseOptions(Options, { nested: { b: 1, a: 'x' } }, 'o'))[0]!.message).toMatch(
      /allowed: a$/,
    );
  });

  it('refuses a 1 MB string at once, with a short message', () => {
    const { ms, result: issues } = cpuTime(() =>
      issuesOf(() => createTicketWorkflow('x'.repeat(1e6) as never)),
    );
    const [issue] = issues;
    expect(ms).toBeLessThan(50);
    expect(issue).toMatchObject({ code: 'invalid_type', path: [] });
    expect(issue!.message.length).toBeLessThan(200);
  });

  it('refuses NaN and Infinity limits, and a getter that throws', () => {
    expect(issuesOf(() => parseOptions(Options, { limit: Number.NaN }, 'o'))[0]!.code).toBe('invalid_type');
    expect(issuesOf(() => parseOptions(Options, { limit: Number.POSITIVE_INFINITY }, 'o'))[0]!.code).toMatch(
      /invalid_type|too_big/,
    );
    const hostile = Object.defineProperty({}, 'limit', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(issuesOf(() => parseOptions(Options, hostile, 'o'))[0]!.code).toBe('unreadable_input');
  });

  it('createTicketWorkflow refuses misspelt options and wrong function forms', () => {
    expect(issuesOf(() => createTicketWorkflow({ reopenWindo: { days: 1 } } as never))[0]!.message).toMatch(
      /allowed: reopenWindow/,
    );
    expect(issuesOf(() => createTicketWorkflow({ escalation: 5 } as never))[0]!.path).toEqual(['escalation']);
  });
});

describe('model helpers refuse bad arguments (issue 19)', () => {
  const proxy = new Proxy([], {
    get() {
      throw new Error('trap');
    },
  });
  it('defineFields and defineStatuses: a Proxy is unreadable input', () => {
    expect(() => defineFields(proxy as never)).toThrow(expect.objectContaining({ code: 'unreadable_input' }));
    expect(() => defineStatuses(proxy as never)).toThrow(
      expect.objectContaining({ code: 'unreadable_input' }),
    );
  });
  it('durationToMs refuses NaN parts and unknown keys', () => {
    expect(() => durationToMs({ hours: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'invalid_type', path: ['duration', 'hours'] }),
    );
    expect(() => durationToMs({ hour: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'unrecognized_keys' }),
    );
    expect(durationToMs({ hours: 1, minutes: 30 })).toBe(5_400_000);
  });
  it('parseOptions and safeParseInput need a zod schema', () => {
    expect(() => parseOptions('x' as never, {}, 'x')).toThrow(
      expect.objectContaining({ code: 'invalid_schema' }),
    );
    expect(() => safeParseInput(null as never, {})).toThrow(
      expect.objectContaining({ code: 'invalid_schema' }),
    );
  });
});
