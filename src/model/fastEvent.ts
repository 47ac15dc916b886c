// A hand-written check of the event shapes a log is mostly made of, in front of the zod schema:
// reading a log (`carekit report`, an import, a replay of untrusted events) validates every
// event, and zod's generic walk (with the forbidden-key pre-flight) cost about twice JSON.parse.
// The check only ever accepts: whatever it is unsure of (another event type, a rare ISO spelling,
// `meta`, a customer's email or language, a getter that throws) goes to the schema, which then
// decides and words the error. A property test holds it equal to the schema on random and hostile inputs.
import { SURVEY_SCALES, type SurveyKind } from './enums.js';
import type { TicketEvent } from './events.js';
import { MAX_BODY_LENGTH, MAX_ID_LENGTH, MAX_SUBJECT_LENGTH, MAX_TEXT_LENGTH } from './primitives.js';

/** Returned by a check for a value it does not accept (the schema then decides). */
const FAIL: unique symbol = Symbol('unsure');
type Check = (value: unknown) => unknown;

const MAX_EPOCH_MS = 8.64e15;
const FORBIDDEN = ['__proto__', 'constructor', 'prototype'] as const;

const id: Check = (v) => (typeof v === 'string' && v.length >= 1 && v.length <= MAX_ID_LENGTH ? v : FAIL);
const text =
  (max: number, min = 0): Check =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max ? v : FAIL;
const label: Check = (v) =>
  typeof v === 'string' && v.length >= 1 && v.length <= 100 && v.trim() === v ? v : FAIL;
const oneOf = (values: readonly string[]): Check => {
  const set = new Set(values);
  return (v) => (typeof v === 'string' && set.has(v) ? v : FAIL);
};
const int =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : FAIL;
const bool: Check = (v) => (typeof v === 'boolean' ? v : FAIL);
const epochMs = int(-MAX_EPOCH_MS, MAX_EPOCH_MS);
// The ISO 8601 form exports write (`2025-03-10T09:00:00Z`, `2025-03-10T09:00:00.000-04:00`): seconds
// present, no fraction or three digits, an upper-case `T` and `Z`, a year from 100 on. Rarer
// spellings the schema also takes (no seconds, other fractions, lower case, years 0-99, which
// Date.UTC reads as 1900-1999) are left to it, and so is any offset beyond 23:59.
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/**
 * Epoch ms, or an ISO date-time with an offset the schema accepts, read as the schema reads it
 * (`Date.parse`, after checking it names a real date and time of day): epoch ms.
 */
const instant: Check = (v) => {
  if (typeof v !== 'string') return epochMs(v);
  const m = ISO.exec(v);
  if (m === null) return FAIL;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = Number(m[6]);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return FAIL;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] as number))) return FAIL;
  let offset = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return FAIL;
    offset = (m[8] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, m[7] === undefined ? 0 : Number(m[7])) - offset;
};
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null ? null : check(v);
const labels: Check = (v) => {
  if (!Array.isArray(v) || v.length > 100) return FAIL;
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const item = label(v[i]);
    if (item === FAIL) return FAIL;
    out.push(item);
  }
  return out;
};
const customStatus: Check = (v) => (typeof v === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(v) ? v : FAIL);

/** A plain object (as JSON.parse makes) without keys that reach a prototype, or null. */
function plain(v: unknown): Record<string, unknown> | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return null;
  for (const key of FORBIDDEN) if (Object.hasOwn(v, key)) return null;
  return v as Record<string, unknown>;
}

type Field = readonly [key: string, check: Check, required: boolean];

/**
 * A strict object of fields in the schema's order: a new object with the fields present, in
 * that order (as zod builds it), or FAIL for an unknown key, a missing required one, a key
 * present with `undefined`, or a value a check does not accept. An unknown key is found by count:
 * the fields read must be all of the input's own keys (a value read through the prototype, or a
 * non-enumerable key, makes the count differ too, and the schema decides).
 */
function object(fields: readonly Field[]): Check {
  const fieldsOf = ownFields(fields);
  return (v) => {
    const input = plain(v);
    return input === null ? FAIL : fieldsOf(input);
  };
}

/** {@link object}'s check of the fields, for an input already known to be {@link plain}. */
function ownFields(fields: readonly Field[]): (input: Record<string, unknown>) => unknown {
  const keys = fields.map(([key]) => key);
  const checks = fields.map(([, check]) => check);
  const required = fields.map(([, , r]) => r);
  const n = fields.length;
  return (input) => {
    const out: Record<string, unknown> = {};
    let present = 0;
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      const value = input[key];
      // An own key holding `undefined` is not counted here, so the count below refuses it.
      if (value === undefined) {
        if (required[i] === true) return FAIL;
        continue;
      }
      present++;
      const checked = (checks[i] as Check)(value);
      if (checked === FAIL) return FAIL;
      out[key] = checked;
    }
    return Object.keys(input).length === present ? out : FAIL;
  };
}

/** A field the fast path leaves to the schema whenever it is present (its rules are richer). */
const unsure: Check = () => FAIL;

const by: Check = (v) => (typeof v === 'string' ? id(v) : object([['rule', id, true]])(v));
const customer = object([
  ['id', id, true],
  ['name', text(MAX_TEXT_LENGTH), false],
  ['givenName', text(200, 1), false],
  ['email', unsure, false],
  ['handle', text(200, 1), false],
  ['phone', text(40, 3), false],
  ['language', unsure, false],
  ['timeZone', unsure, false],
  ['segment', label, false],
  ['tags', labels, false],
  ['blocked', bool, false],
  [
    'lifetimeValue',
    (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e15 ? v : FAIL),
    false,
  ],
  ['meta', unsure, false],
]);

const CHANNELS = ['email', 'chat', 'phone', 'social', 'web_form', 'marketplace', 'sms'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const SETTABLE = ['open', 'pending', 'on_hold', 'solved'];
const body = text(MAX_BODY_LENGTH);
const workMs = int(0, 7 * 24 * 3_600_000);

const eventOf = (type: string, fields: readonly Field[]): ((input: Record<string, unknown>) => unknown) =>
  ownFields([
    ['type', (v) => (v === type ? v : FAIL), true],
    ['id', id, true],
    ['ticketId', id, true],
    ['at', instant, true],
    ['sentAt', instant, false],
    ['meta', unsure, false],
    ...fields,
  ]);

const SHAPES = new Map<unknown, (input: Record<string, unknown>) => unknown>(
  Object.entries({
    'ticket.opened': eventOf('ticket.opened', [
      ['channel', oneOf(CHANNELS), true],
      ['subject', text(MAX_SUBJECT_LENGTH), true],
      ['body', body, true],
      ['customer', customer, true],
      ['priority', oneOf(PRIORITIES), false],
      ['category', label, false],
      ['tags', labels, false],
      ['sentiment', oneOf(['negative', 'neutral', 'positive']), false],
      ['language', unsure, false],
      ['origin', oneOf(['customer', 'agent', 'system']), false],
      ['agentId', id, false],
      ['followUpOf', id, false],
      ['externalId', text(1000, 1), false],
      ['splitFrom', unsure, false],
      ['parentId', id, false],
    ]),
    'customer.replied': eventOf('customer.replied', [
      ['body', body, true],
      ['channel', oneOf(CHANNELS), false],
    ]),
    'agent.replied': eventOf('agent.replied', [
      ['agentId', id, true],
      ['body', body, true],
      ['public', bool, false],
      ['status', oneOf(SETTABLE), false],
      ['customStatus', customStatus, false],
      ['bot', bool, false],
      ['workMs', workMs, false],
      ['by', by, false],
    ]),
    'agent.noted': eventOf('agent.noted', [
      ['agentId', id, true],
      ['body', body, true],
      ['workMs', workMs, false],
    ]),
    'ticket.assigned': eventOf('ticket.assigned', [
      ['agentId', nullable(id), true],
      ['tier', int(1, 100), false],
      ['queue', nullable(label), false],
      ['by', by, false],
    ]),
    'ticket.status_set': eventOf('ticket.status_set', [
      ['status', oneOf(SETTABLE), true],
      ['customStatus', customStatus, false],
      ['by', by, false],
    ]),
    'ticket.reprioritized': eventOf('ticket.reprioritized', [
      ['priority', oneOf(PRIORITIES), true],
      ['by', by, false],
      ['reason', text(MAX_TEXT_LENGTH), false],
    ]),
    'ticket.tagged': eventOf('ticket.tagged', [
      ['add', labels, false],
      ['remove', labels, false],
      ['by', by, false],
    ]),
    'ticket.closed': eventOf('ticket.closed', [
      ['by', by, false],
      ['reason', text(MAX_TEXT_LENGTH), false],
    ]),
    'survey.answered': eventOf('survey.answered', [
      ['survey', oneOf(['csat', 'nps', 'ces']), true],
      ['score', int(-MAX_EPOCH_MS, MAX_EPOCH_MS), true],
      ['comment', text(MAX_TEXT_LENGTH), false],
    ]),
    'clock.tick': eventOf('clock.tick', []),
  }),
);

/**
 * The parsed event when `input` is one of the common event shapes and certainly valid — equal to
 * what `TicketEvent.parse` returns, key order included — or undefined when the schema must
 * decide (another type, a rare ISO spelling of an instant, `meta`, anything invalid or unusual).
 * Never throws.
 *
 * @internal
 */
export function fastTicketEvent(input: unknown): TicketEvent | undefined {
  try {
    const event = plain(input);
    if (event === null) return undefined;
    const type = event.type;
    const check = SHAPES.get(type);
    if (check === undefined) return undefined;
    const out = check(event);
    if (out === FAIL) return undefined;
    if (type === 'survey.answered') {
      const { survey, score } = out as { survey: SurveyKind; score: number };
      const scale = SURVEY_SCALES[survey];
      if (score < scale.min || score > scale.max) return undefined;
    }
    return out as TicketEvent;
  } catch {
    return undefined; // a getter or proxy that throws: the schema words it
  }
}
