import { describe, expect, it } from 'vitest';
import {
  Agent,
  CarekitError,
  CarekitValidationError,
  Customer,
  parseInput,
  parseTicketEvent,
  SurveyResponse,
  safeParseInput,
  safeParseTicketEvent,
  TICKET_EVENT_TYPES,
} from '../../src/model/index.js';

const base = { id: 'e1', ticketId: 't1', at: '2025-03-10T09:00:00-04:00' };

function issuesOf(input: unknown) {
  const result = safeParseTicketEvent(input);
  if (result.success) throw new Error('expected a failure');
  return result.error.issues;
}

describe('parseTicketEvent', () => {
  it('normalises an ISO instant with an offset to epoch ms', () => {
    const event = parseTicketEvent({ ...base, type: 'customer.replied', body: 'Any news on my order?' });
    expect(event.at).toBe(Date.UTC(2025, 2, 10, 13, 0, 0));
    expect(event.type).toBe('customer.replied');
  });

  it('keeps epoch ms as they are', () => {
    expect(parseTicketEvent({ ...base, at: 1_741_611_600_000, type: 'clock.tick' }).at).toBe(
      1_741_611_600_000,
    );
  });

  it('parses a full ticket.opened with a customer', () => {
    const event = parseTicketEvent({
      ...base,
      type: 'ticket.opened',
      channel: 'marketplace',
      subject: 'Where is my parcel?',
      body: 'Ordered a week ago.',
      customer: {
        id: 'c1',
        name: 'Lan',
        email: 'lan@example.com',
        language: 'vi',
        timeZone: 'Asia/Ho_Chi_Minh',
      },
      priority: 'high',
      tags: ['order'],
    });
    expect(event).toMatchObject({ type: 'ticket.opened', priority: 'high', customer: { id: 'c1' } });
  });

  it.each([
    ['yesterday', 'invalid_instant'],
    ['2025-03-10T09:00:00', 'invalid_instant'],
    ['2025-02-30T10:00:00Z', 'invalid_instant'],
    ['2025-03-10T24:30:00Z', 'invalid_instant'],
    [1.5, 'invalid_type'],
    [Number.NaN, 'invalid_type'],
    [null, 'invalid_type'],
    [9e15, 'too_big'],
  ])('refuses the instant %j with %s', (at, code) => {
    const issues = issuesOf({ ...base, at, type: 'ticket.closed' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, path: ['at'] });
    expect(issues[0]?.message).toMatch(/^at: /);
  });

  it('names an unknown event type and lists the known ones', () => {
    const [issue] = issuesOf({ ...base, type: 'ticket.reopened' });
    expect(issue?.code).toBe('unknown_event_type');
    expect(issue?.path).toEqual(['type']);
    expect(issue?.message).toContain('agent.replied');
  });

  it('asks for a missing type', () => {
    expect(issuesOf({ ...base })[0]).toMatchObject({ code: 'required', path: ['type'] });
  });

  it.each([
    [null, 'null'],
    [[], 'an array'],
    ['event', 'string'],
    [42, 'number'],
  ])('refuses a non-object root %j', (input, word) => {
    const [issue] = issuesOf(input);
    expect(issue?.code).toBe('invalid_type');
    expect(issue?.message).toContain(word);
  });

  it('reports every missing id at once', () => {
    const issues = issuesOf({ type: 'ticket.closed', at: 0 });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['required', ['id']],
      ['required', ['ticketId']],
    ]);
  });

  it('reports wrong types with what was received', () => {
    const issues = issuesOf({ ...base, id: 5, type: 'agent.replied', agentId: 'a1', body: ['x'] });
    expect(issues).toEqual([
      { code: 'invalid_type', path: ['id'], message: 'id: expected a string, got number 5' },
      { code: 'invalid_type', path: ['body'], message: 'body: expected a string, got an array' },
    ]);
  });

  it('refuses unknown keys (strict) and points at meta', () => {
    const [issue] = issuesOf({ ...base, type: 'ticket.closed', color: 'red' });
    expect(issue).toMatchObject({ code: 'unrecognized_keys', path: [] });
    expect(issue?.message).toContain('"color"');
    expect(issue?.message).toContain('meta');
  });

  it('carries integrator data under meta', () => {
    const event = parseTicketEvent({
      ...base,
      type: 'ticket.closed',
      meta: { crm: { id: 7, flags: [true, null] } },
    });
    expect(event.meta).toEqual({ crm: { id: 7, flags: [true, null] } });
  });

  it.each([
    ['{"__proto__": {"polluted": true}}', ['__proto__']],
    ['{"meta": {"__proto__": {"polluted": true}}}', ['meta', '__proto__']],
    ['{"meta": {"a": [{"constructor": 1}]}}', ['meta', 'a', 0, 'constructor']],
  ])('refuses prototype keys anywhere: %s', (json, path) => {
    const input = { ...base, type: 'ticket.closed', ...JSON.parse(json) };
    const issues = issuesOf(input);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'forbidden_key', path }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body of 1 MB with a length limit, quickly', () => {
    const [issue] = issuesOf({ ...base, type: 'customer.replied', body: 'x'.repeat(1_000_000) });
    expect(issue).toMatchObject({ code: 'too_big', path: ['body'] });
    expect(issue?.message).toContain('200000');
  });

  it.each([
    ['csat', 0],
    ['csat', 6],
    ['nps', 11],
    ['nps', -1],
    ['ces', 8],
  ] as const)('refuses a %s score of %d', (survey, score) => {
    const [issue] = issuesOf({ ...base, type: 'survey.answered', survey, score });
    expect(issue).toMatchObject({ code: 'score_out_of_range', path: ['score'] });
    expect(issue?.message).toContain(survey.toUpperCase());
  });

  it.each([
    ['csat', 1],
    ['csat', 5],
    ['nps', 0],
    ['nps', 10],
    ['ces', 7],
  ] as const)('accepts a %s score of %d', (survey, score) => {
    expect(parseTicketEvent({ ...base, type: 'survey.answered', survey, score })).toMatchObject({ score });
  });

  it('validates the nested customer with full paths', () => {
    const issues = issuesOf({
      ...base,
      type: 'ticket.opened',
      channel: 'fax',
      subject: 's',
      body: 'b',
      customer: { id: 'c1', email: 'not-an-email', timeZone: 'Mars/Olympus', language: '??' },
    });
    expect(issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['invalid_value', 'channel'],
      ['invalid_format', 'customer.email'],
      ['invalid_locale', 'customer.language'],
      ['invalid_time_zone', 'customer.timeZone'],
    ]);
  });

  it('throws only CarekitValidationError, with the issues in the message', () => {
    expect.assertions(4);
    try {
      parseTicketEvent({ ...base, type: 'ticket.closed', at: 'soon' });
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitValidationError);
      expect(error).toBeInstanceOf(CarekitError);
      expect((error as CarekitValidationError).code).toBe('invalid_input');
      expect((error as Error).message).toContain('at: expected an ISO 8601 date-time');
    }
  });

  it('turns a throwing getter into a validation error', () => {
    const input = { ...base, type: 'ticket.closed' };
    Object.defineProperty(input, 'id', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const result = safeParseTicketEvent(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.code).toBe('unreadable_input');
  });

  it('knows twenty-five event types (the relations added eight)', () => {
    expect(TICKET_EVENT_TYPES).toHaveLength(25);
  });
});

describe('records', () => {
  it('applies agent defaults', () => {
    expect(parseInput(Agent, { id: 'a1', name: 'Ana' }, 'agent')).toEqual({
      id: 'a1',
      name: 'Ana',
      skills: [],
      languages: [],
      tier: 1,
      capacity: 10,
      availability: 'available',
    });
  });

  it('names what it parsed in the error', () => {
    const result = safeParseInput(Agent, { id: 'a1' }, 'agent');
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.message).toMatch(/^Invalid agent: 1 problem/);
      expect(result.error.issues[0]).toMatchObject({ code: 'required', path: ['name'] });
    }
  });

  it('summarises many problems', () => {
    const result = safeParseInput(Customer, {
      id: '',
      name: 1,
      email: 2,
      phone: 3,
      tags: 4,
      blocked: 5,
      segment: 6,
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).toContain('and 2 more');
  });

  it('refuses tags with surrounding spaces', () => {
    const result = safeParseInput(Customer, { id: 'c', tags: [' vip'] });
    expect(result.success || result.error.issues[0]?.code).toBe('invalid_label');
  });

  it('checks survey score ranges in SurveyResponse', () => {
    expect(safeParseInput(SurveyResponse, { survey: 'ces', score: 7, at: 0 }).success).toBe(true);
    expect(safeParseInput(SurveyResponse, { survey: 'ces', score: 0, at: 0 }).success).toBe(false);
  });

  it('throws from parseInput', () => {
    expect(() => parseInput(Agent, {}, 'agent')).toThrow(CarekitValidationError);
  });
});
