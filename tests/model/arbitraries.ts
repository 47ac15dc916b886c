// fast-check arbitraries for well-formed event inputs, built field by field from the schemas
// in src/model. Shared by the model's property tests and, later, other modules' tests.
import { fc } from '@fast-check/vitest';
import type { TicketEventInput } from '../../src/model/index.js';

const MIN_AT = Date.UTC(2000, 0, 1);
const MAX_AT = Date.UTC(2040, 0, 1);

export const arbId = fc.string({ minLength: 1, maxLength: 24 });
export const arbLabel = fc
  .string({ minLength: 1, maxLength: 16 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);
export const arbEpochMs = fc.integer({ min: MIN_AT, max: MAX_AT });

/** An ISO 8601 string with a random offset (whole minutes, within ±14:00) naming `ms`. */
export const arbIsoWithOffset = fc
  .tuple(fc.integer({ min: MIN_AT / 1000, max: MAX_AT / 1000 }), fc.integer({ min: -14 * 60, max: 14 * 60 }))
  .map(([seconds, offsetMinutes]) => {
    const ms = seconds * 1000;
    const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return { ms, iso: `${local}${offset}` };
  });

export const arbAt = fc.oneof(
  arbEpochMs,
  arbIsoWithOffset.map(({ iso }) => iso),
);

const arbChannel = fc.constantFrom(
  'email',
  'chat',
  'phone',
  'social',
  'web_form',
  'marketplace',
  'sms' as const,
);
const arbPriority = fc.constantFrom('low', 'normal', 'high', 'urgent' as const);
const arbSettable = fc.constantFrom('open', 'pending', 'on_hold', 'solved' as const);
const arbText = fc.string({ maxLength: 60 });
// Keys that could reach a prototype are refused by design (tested elsewhere), at any depth.
const arbJson = fc
  .jsonValue({ maxDepth: 2 })
  .filter((v) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v)));
const arbMeta = fc.dictionary(
  arbLabel.filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
  arbJson,
  { maxKeys: 3 },
);

export const arbCustomer = fc.record(
  {
    id: arbId,
    name: arbText,
    email: fc.constantFrom('ana@example.com', 'l.nguyen@shop.vn', 'x+tag@mail.example.org'),
    handle: fc.string({ minLength: 1, maxLength: 20 }),
    language: fc.constantFrom('en', 'pt-BR', 'vi', 'es', 'zh-Hans'),
    timeZone: fc.constantFrom('UTC', 'America/Sao_Paulo', 'Asia/Ho_Chi_Minh', 'Asia/Kathmandu'),
    segment: arbLabel,
    tags: fc.array(arbLabel, { maxLength: 3 }),
    blocked: fc.boolean(),
    lifetimeValue: fc.double({ min: 0, max: 1e6, noNaN: true }),
  },
  { requiredKeys: ['id'] },
);

function event<T extends Record<string, fc.Arbitrary<unknown>>>(
  type: string,
  required: T,
  optional: Record<string, fc.Arbitrary<unknown>> = {},
) {
  return fc.record(
    {
      type: fc.constant(type),
      id: arbId,
      ticketId: arbId,
      at: arbAt,
      meta: arbMeta,
      ...required,
      ...optional,
    },
    { requiredKeys: ['type', 'id', 'ticketId', 'at', ...Object.keys(required)] },
  );
}

const arbScore = fc.oneof(
  fc.record({ survey: fc.constant('csat'), score: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ survey: fc.constant('nps'), score: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ survey: fc.constant('ces'), score: fc.integer({ min: 1, max: 7 }) }),
);

/** Any well-formed event input, of every type. */
export const arbTicketEventInput: fc.Arbitrary<TicketEventInput> = fc.oneof(
  event(
    'ticket.opened',
    { channel: arbChannel, subject: arbText, body: arbText, customer: arbCustomer },
    {
      priority: arbPriority,
      category: arbLabel,
      tags: fc.array(arbLabel, { maxLength: 3 }),
      sentiment: fc.constantFrom('negative', 'neutral', 'positive'),
      language: fc.constantFrom('en', 'vi', 'es'),
      origin: fc.constantFrom('customer', 'agent', 'system'),
      followUpOf: arbId,
      externalId: arbId,
    },
  ),
  event('customer.replied', { body: arbText }, { channel: arbChannel }),
  event(
    'agent.replied',
    { agentId: arbId, body: arbText },
    { public: fc.boolean(), status: arbSettable, bot: fc.boolean(), workMs: fc.nat(3_600_000) },
  ),
  event('agent.noted', { agentId: arbId, body: arbText }, { workMs: fc.nat(3_600_000) }),
  event(
    'ticket.assigned',
    { agentId: fc.option(arbId, { nil: null }) },
    { tier: fc.integer({ min: 1, max: 5 }), by: arbId },
  ),
  event('ticket.status_set', { status: arbSettable }, { by: arbId }),
  event('ticket.reprioritized', { priority: arbPriority }, { by: arbId, reason: arbText }),
  event(
    'ticket.categorized',
    { category: arbLabel },
    {
      tags: fc.array(arbLabel),
      sentiment: fc.constantFrom('negative', 'neutral', 'positive'),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      by: arbId,
    },
  ),
  event(
    'ticket.escalated',
    { tier: fc.integer({ min: 1, max: 5 }), reason: fc.string({ minLength: 1, maxLength: 40 }) },
    { by: arbId },
  ),
  event('ticket.merged', { into: arbId }, { by: arbId }),
  event('ticket.closed', {}, { by: arbId, reason: arbText }),
  event('ticket.marked_spam', {}, { by: arbId }),
  fc.tuple(event('survey.answered', {}, { comment: arbText }), arbScore).map(([e, s]) => ({ ...e, ...s })),
  event('clock.tick', {}),
) as fc.Arbitrary<TicketEventInput>;
