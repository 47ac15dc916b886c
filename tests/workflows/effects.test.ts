import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../src/model/index.js';
import { createAnswerBook } from '../../src/routing/index.js';
import { createTemplateLibrary, starterTemplates } from '../../src/templates/index.js';
import {
  createDesk,
  DeskEffect,
  EFFECT_TYPES,
  parseEffect,
  safeParseEffect,
  TicketEffect,
} from '../../src/workflows/index.js';

const base = { id: 't1/e1/route/0', ticketId: 't1', at: 1_000, causedBy: 'e1' };
const route = { type: 'route', ...base, tier: 1, queue: null, reason: 'new ticket' };
const message = {
  type: 'send_message',
  ...base,
  id: 't1/e1/send_template/0',
  templateId: 'acknowledgement',
  customerId: 'c1',
  channel: 'email',
  locale: 'en',
  text: 'Thanks, we got your message.',
  missing: [],
};

const issuesOf = (input: unknown) => {
  const result = safeParseEffect(input);
  if (result.success) throw new Error('expected a refusal');
  return result.error.issues.map(({ code, path }) => ({ code, path }));
};

describe('parseEffect', () => {
  it('returns a well-formed effect equal to what was read', () => {
    expect(parseEffect(route)).toEqual(route);
    expect(parseEffect(message)).toEqual(message);
    expect(parseEffect({ ...message, bot: true, survey: { kind: 'csat', reminder: false } })).toMatchObject({
      bot: true,
      survey: { kind: 'csat', reminder: false },
    });
  });

  it('knows every effect type the lifecycle and the desk make', () => {
    expect(EFFECT_TYPES).toEqual([
      'notify',
      'send_template',
      'route',
      'escalate',
      'request_survey',
      'open_follow_up',
      'send_message',
    ]);
    expect(DeskEffect.options.length).toBe(TicketEffect.options.length + 1);
  });

  it('refuses a misspelt effect type with its code and path', () => {
    expect(issuesOf({ ...route, type: 'rout' })).toEqual([{ code: 'unknown_effect_type', path: ['type'] }]);
    expect(issuesOf({ ...route, type: undefined })).toEqual([{ code: 'required', path: ['type'] }]);
    expect(() => parseEffect({ ...route, type: 'send_mesage' })).toThrow(CarekitValidationError);
    expect(() => parseEffect({ ...route, type: 'send_mesage' })).toThrow(
      /type: "send_mesage" is not an effect type; expected one of notify, send_template, route/,
    );
  });

  it('refuses a misspelt field with its code and path (and the missing field it was meant to be)', () => {
    const { channel, ...rest } = message;
    expect(issuesOf({ ...rest, chanel: channel })).toEqual([
      { code: 'invalid_value', path: ['channel'] },
      { code: 'unrecognized_keys', path: [] },
    ]);
    expect(() => parseEffect({ ...rest, chanel: channel })).toThrow(
      /channel: must be one of "email", .*\n.*\(root\): has unknown key "chanel"/,
    );
    expect(issuesOf({ ...message, survey: { kind: 'csat', remider: true } })).toEqual([
      { code: 'required', path: ['survey', 'reminder'] },
      { code: 'unrecognized_keys', path: ['survey'] },
    ]);
  });

  it('refuses out-of-range values, an ISO instant and a non-object, never coercing', () => {
    expect(issuesOf({ ...route, tier: 0 })).toEqual([{ code: 'too_small', path: ['tier'] }]);
    expect(issuesOf({ ...route, at: '2026-11-23T09:00:00Z' })).toEqual([
      { code: 'invalid_type', path: ['at'] },
    ]);
    expect(issuesOf({ ...message, channel: 'fax' })).toEqual([{ code: 'invalid_value', path: ['channel'] }]);
    // An optional field is absent or a value, never a key holding undefined.
    expect(issuesOf({ ...message, html: undefined })).toEqual([{ code: 'required', path: ['html'] }]);
    expect(issuesOf([route])).toEqual([{ code: 'invalid_type', path: [] }]);
    expect(issuesOf(null)).toEqual([{ code: 'invalid_type', path: [] }]);
    expect(issuesOf(JSON.parse(`{"__proto__": {}, ${JSON.stringify(route).slice(1)}`))).toEqual([
      { code: 'forbidden_key', path: ['__proto__'] },
    ]);
  });

  it('parses what a desk produces, the bot answer included', async () => {
    const desk = createDesk({
      agents: [{ id: 'ana', name: 'Ana', capacity: 5 }],
      lifecycle: { acknowledgeTemplate: 'acknowledgement' },
      templates: createTemplateLibrary(starterTemplates),
      templateContext: () => ({ brand: { name: 'Loja Azul' }, order: { id: 'O-17', status: 'shipped' } }),
      bot: {
        book: createAnswerBook([
          {
            id: 'track',
            templateId: 'order_status',
            examples: ['where is my order', 'where is my parcel', 'track my order', 'has my order shipped'],
            autoChannels: ['chat'],
          },
        ]),
        policy: {
          threshold: 0.6,
          minCoverage: 0.6,
          askTemplateId: 'bot_did_this_help',
          handoverTemplateId: 'bot_handover',
        },
      },
    });
    const first = await desk.receive({
      externalId: 'm1',
      channel: 'chat',
      customer: { id: 'c1', name: 'Rui' },
      body: 'Where is my order?',
      at: '2026-11-23T09:00:00Z',
    });
    const second = await desk.receive({
      externalId: 'm2',
      channel: 'email',
      customer: { id: 'c2', name: 'Ana' },
      subject: 'Broken mug',
      body: 'It arrived in pieces, I want my money back',
      at: '2026-11-23T09:05:00Z',
    });
    const effects = [...first.effects, ...second.effects];
    expect(effects.some((e) => e.type === 'send_message' && e.bot === true)).toBe(true);
    for (const effect of effects) expect(parseEffect(JSON.parse(JSON.stringify(effect)))).toEqual(effect);
  });
});
