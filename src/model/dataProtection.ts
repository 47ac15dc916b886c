import { z } from 'zod';
import { TicketStatus } from './enums.js';
import type { ModelErrorCode } from './errors.js';
import { CarekitError } from './errors.js';
import { parseInput } from './parse.js';
import { Label } from './primitives.js';

/**
 * What replaces erased or redacted text in stored events, snapshots and effects. A fixed marker
 * keeps every redacted event valid under its schema (bodies and subjects stay strings), so an
 * erased ticket still parses and replays to the same statuses and KPIs.
 */
export const REDACTED = '[redacted]';

/**
 * Which parts of the data a host marks personal beyond those carekit knows (name, email, handle,
 * phone, given name, every message body and subject, template output, survey comments): keys of
 * `meta` (on events and on the customer) and ticket fields. Given to a store when it is created
 * (`createMemoryStore({ personal })`, `createPostgresStore(client, { personal })`).
 */
export interface PersonalDataOptions {
  /** Keys of `meta` (an event's or the customer's) that hold personal data: removed on erasure. */
  readonly meta?: readonly string[];
  /** Ticket fields that hold personal data (an address, a phone): cleared on erasure. */
  readonly fields?: readonly string[];
}

/** What a stored value is, for `redactPersonalData`: a ticket event, a snapshot or an effect. */
export type StoredKind = 'event' | 'snapshot' | 'effect';

/** Keys whose string value is text written by or to the customer: replaced by {@link REDACTED}. */
const TEXT_KEYS: ReadonlySet<string> = new Set(['body', 'subject', 'text', 'html', 'message']);
/** Keys whose string value is removed (an optional free text whose absence is meaningful). */
const DROPPED_KEYS: ReadonlySet<string> = new Set(['comment']);
/** What identifies a customer in a `Customer` record: removed on erasure (the id stays). */
export const CUSTOMER_PERSONAL_KEYS: readonly string[] = ['name', 'givenName', 'email', 'handle', 'phone'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutKeys(meta: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(meta)) if (!keys.has(key)) out[key] = meta[key];
  return out;
}

function redactCustomer(
  customer: Record<string, unknown>,
  meta: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(customer)) {
    if (CUSTOMER_PERSONAL_KEYS.includes(key)) continue;
    const value = customer[key];
    out[key] = key === 'meta' && isObject(value) ? withoutKeys(value, meta) : value;
  }
  return out;
}

/**
 * Removes a customer's personal data from one stored value (an event, a snapshot or an effect of
 * one of their tickets), returning a new value (the input is not changed):
 *
 * - every non-empty string under `body`, `subject`, `text`, `html` or `message` becomes
 *   {@link REDACTED} (message bodies and subjects, whoever wrote them; template output sent to the
 *   customer; notices quoting a subject), and `comment` is removed (survey comments);
 * - a `customer` record keeps its id and what is not identifying (segment, language, tags...):
 *   `name`, `givenName`, `email`, `handle` and `phone` are removed, and so are the personal `meta` keys;
 * - the personal `meta` keys are removed from every `meta`; other `meta` is kept untouched;
 * - personal ticket fields are cleared: `null` in an event's `fields` (a `ticket.fields_set` that
 *   clears them), removed from a snapshot's `fields`.
 *
 * Idempotent (redacting a redacted value changes nothing), and a redacted event still parses with
 * its schema. Ids, instants, statuses, assignees, tiers, scores, counters and SLA state are kept:
 * the ticket replays to the same statuses and KPIs.
 *
 * @example
 * ```ts
 * redactPersonalData(
 *   { type: 'customer.replied', id: 'e2', ticketId: 'T-1', at: 0, body: 'My card is 4111…' },
 *   'event',
 * );
 * //=> { type: 'customer.replied', id: 'e2', ticketId: 'T-1', at: 0, body: '[redacted]' }
 * ```
 */
export function redactPersonalData<T>(
  value: T,
  kind: StoredKind,
  personal: PersonalDataOptions = {},
  values: readonly string[] = [],
): T {
  const meta = new Set(personal.meta ?? []);
  const fields = new Set(personal.fields ?? []);
  const scrub = scrubberOf(values);
  const scrubAll = (item: unknown): unknown =>
    typeof item === 'string'
      ? scrub(item)
      : Array.isArray(item)
        ? item.map((x) => (typeof x === 'string' ? scrub(x) : x))
        : item;
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 64 || typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      const item = (node as Record<string, unknown>)[key];
      if (typeof item === 'string' && TEXT_KEYS.has(key)) out[key] = item === '' ? item : REDACTED;
      else if (typeof item === 'string' && DROPPED_KEYS.has(key)) continue;
      // Kept free text: the customer's own name, email, handle or phone inside it are scrubbed.
      else if (SCRUBBED_KEYS.has(key)) out[key] = scrubAll(item);
      else if (key === 'customer' && isObject(item)) out[key] = redactCustomer(item, meta);
      // Host data is carried untouched but for the keys the host marks personal.
      else if (key === 'meta' && isObject(item)) out[key] = withoutKeys(item, meta);
      else if (key === 'fields' && isObject(item) && fields.size > 0) {
        const next: Record<string, unknown> = {};
        for (const id of Object.keys(item)) {
          if (!fields.has(id)) next[id] = scrubAll(item[id]);
          // An event keeps its key (a fields_set needs one) and clears the value; a snapshot drops it.
          else if (kind === 'event') next[id] = null;
        }
        out[key] = next;
      } else if (key === 'fields' && isObject(item)) {
        const next: Record<string, unknown> = {};
        for (const id of Object.keys(item)) next[id] = scrubAll(item[id]);
        out[key] = next;
      } else out[key] = walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}

/**
 * Keys of kept free text (reasons, tags, tag changes): a value of the erased customer's inside
 * them is replaced by {@link REDACTED}, the rest kept. Ticket fields not marked personal are
 * scrubbed the same way.
 */
const SCRUBBED_KEYS: ReadonlySet<string> = new Set(['reason', 'tags', 'add', 'remove']);

/** The shortest value scrubbed: one letter would match too much (an initial, a unit). */
const MIN_SCRUBBED = 2;

/**
 * A function replacing every occurrence of the values in a text, whole words only (a name is not
 * found inside a longer word), ignoring case; the identity when there is nothing to scrub.
 */
function scrubberOf(values: readonly string[]): (text: string) => string {
  const list = [
    ...new Set(
      values.map((v) => (typeof v === 'string' ? v.trim() : '')).filter((v) => v.length >= MIN_SCRUBBED),
    ),
  ].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  const pattern = list.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${pattern})(?![\\p{L}\\p{N}_])`, 'giu');
  return (text) => text.replace(re, REDACTED);
}

/**
 * The identifying values (name, given name, email, handle, phone) of every customer record found
 * in stored values (the customer's events and snapshots): what an erasure also scrubs from the
 * free text it keeps. Internal to the stores.
 */
export function personalValuesOf(items: readonly unknown[]): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      if (key === 'customer' && isObject(item)) {
        for (const k of CUSTOMER_PERSONAL_KEYS) {
          const v = item[k];
          if (typeof v === 'string' && v !== '') out.add(v);
        }
      } else walk(item, depth + 1);
    }
  };
  for (const item of items) walk(item, 0);
  return [...out];
}

const REQUIRED_TEXT: ReadonlySet<string> = new Set(['body', 'subject']);

/**
 * Removes named parts of one event (an agent redacting a card number pasted into a chat): a
 * top-level text (`body`, `subject`) becomes {@link REDACTED}; an optional top-level key
 * (`comment`) is removed; `customer.<key>` and `meta.<key>` remove that key of the customer or of
 * the event's `meta`; `fields.<id>` clears a field. Refuses (`unredactable_field`) a path the
 * event does not hold or whose removal would break the event's schema (an id, a type, an instant).
 *
 * @example
 * ```ts
 * redactEventFields({ type: 'customer.replied', id: 'e2', ticketId: 'T-1', at: 0, body: '4111 1111' }, ['body']);
 * //=> { type: 'customer.replied', id: 'e2', ticketId: 'T-1', at: 0, body: '[redacted]' }
 * ```
 */
export function redactEventFields<T extends Record<string, unknown>>(event: T, paths: readonly string[]): T {
  const out: Record<string, unknown> = { ...event };
  for (const path of paths) {
    const [head, rest, ...more] = String(path).split('.');
    const refuse = (why: string): never => {
      throw new CarekitError<ModelErrorCode>(
        'unredactable_field',
        `cannot redact ${JSON.stringify(path)} of event ${String(event.id)} (${String(event.type)}): ${why}; nothing was changed`,
      );
    };
    if (head === undefined || head === '' || more.length > 0)
      refuse('name a key such as body, comment, customer.email or meta.card');
    if (rest === undefined) {
      const value = out[head as string];
      if (REQUIRED_TEXT.has(head as string) && typeof value === 'string') {
        out[head as string] = value === '' ? value : REDACTED;
      } else if (head === 'comment' && typeof value === 'string') delete out.comment;
      else refuse(`the event holds no ${head} text (body, subject and comment can be redacted)`);
      continue;
    }
    const container = out[head as string];
    if (!isObject(container) || !['customer', 'meta', 'fields'].includes(head as string)) {
      refuse(`the event has no ${head} record`);
    }
    if (head === 'customer' && !CUSTOMER_PERSONAL_KEYS.includes(rest) && rest !== 'meta') {
      refuse(`only ${CUSTOMER_PERSONAL_KEYS.join(', ')} of a customer can be redacted`);
    }
    const next = { ...(container as Record<string, unknown>) };
    if (head === 'fields') next[rest] = null;
    else delete next[rest];
    out[head as string] = next;
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------
// Retention policies

const ISO_DURATION =
  /^P(?=\d|T\d)(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,6})D)?(?:T(?=\d)(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})S)?)?$/;

/** An age as an ISO 8601 duration: `P2Y` (two years), `P30D`, `P18M`, `PT12H`. */
export const RetentionAge = z
  .string()
  .max(64)
  .refine((s) => ISO_DURATION.test(s), {
    message: 'must be an ISO 8601 duration such as P2Y (two years), P6M, P30D or PT12H',
    params: { code: 'invalid_duration' },
  });

/** What a retention rule does to the tickets it matches. */
export const RetentionAction = z.enum(['anonymise', 'delete']);
export type RetentionAction = z.infer<typeof RetentionAction>;

/**
 * One rule of a {@link RetentionPolicy}: which tickets (`when`: their status, a tag, and how long
 * ago their last event was) and what to do with them: `anonymise` removes their personal data as
 * an erasure does (KPIs stay), `delete` removes the tickets with their events and effects.
 */
export const RetentionRule = z.strictObject({
  /** A name for progress reports and the audit trail. Default `rule-<n>` (its position, from 1). */
  id: z.string().min(1).max(100).optional(),
  when: z.strictObject({
    /** The ticket's status (one, or any of several). Absent: any status. */
    status: z.union([TicketStatus, z.array(TicketStatus).min(1).max(7)]).optional(),
    /** A tag the ticket carries (`spam`). Absent: any tags. */
    tag: Label.optional(),
    /** The ticket's last event is at least this old (an ISO 8601 duration). */
    olderThan: RetentionAge,
  }),
  action: RetentionAction,
});
export type RetentionRule = z.output<typeof RetentionRule>;

/**
 * A retention schedule as data: rules applied in order by `store.applyRetention(policy, now)`
 * (closed tickets older than two years anonymised, spam older than 30 days deleted). It can live
 * in a desk's JSON config (`retention`) and is described in the review document.
 */
export const RetentionPolicy = z.strictObject({
  rules: z.array(RetentionRule).max(100),
});
export type RetentionPolicy = z.output<typeof RetentionPolicy>;
/** A retention policy as written by a user. */
export type RetentionPolicyInput = z.input<typeof RetentionPolicy>;

/**
 * Checks a retention policy, throwing `CarekitValidationError` with a code, a path and a sentence
 * per problem (an unknown key, a bad duration, an unknown status or action).
 *
 * @example
 * ```ts
 * parseRetentionPolicy({
 *   rules: [
 *     { when: { status: 'closed', olderThan: 'P2Y' }, action: 'anonymise' },
 *     { when: { tag: 'spam', olderThan: 'P30D' }, action: 'delete' },
 *   ],
 * }).rules.length;
 * //=> 2
 * parseRetentionPolicy({ rules: [{ when: { olderThan: '2 years' }, action: 'delete' }] });
 * //=> throws CarekitValidationError (invalid_duration at rules[0].when.olderThan)
 * ```
 */
export function parseRetentionPolicy(input: unknown): RetentionPolicy {
  return parseInput(RetentionPolicy, input, 'retention policy');
}

/**
 * The instant an age counts back to from `now` (epoch ms): years and months in the UTC calendar
 * (`P1M` from 31 March is 28 or 29 February... clamped to the month's last day), weeks, days and
 * hours as fixed lengths.
 *
 * @example
 * ```ts
 * retentionCutoff('P2Y', Date.UTC(2026, 11, 1));
 * //=> Date.UTC(2024, 11, 1)
 * retentionCutoff('P30D', Date.UTC(2026, 11, 1));
 * //=> Date.UTC(2026, 10, 1)
 * ```
 */
export function retentionCutoff(olderThan: string, now: number): number {
  const match = ISO_DURATION.exec(olderThan);
  if (match === null || !Number.isFinite(now)) {
    throw new CarekitError<ModelErrorCode>(
      'invalid_duration',
      `retentionCutoff needs an ISO 8601 duration (like P2Y) and an instant, got ${JSON.stringify(olderThan)} and ${now}`,
    );
  }
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((n) => Number(n ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(now);
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() - years * 12 - months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(
    year,
    month,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return shifted - ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/** What a retention rule reads of a ticket (a stored snapshot fits). */
export interface RetentionSubject {
  readonly status: string;
  readonly context: { readonly tags?: readonly string[]; readonly lastEventAt?: number };
}

/**
 * Whether a retention rule applies to a ticket at `now`: its status is one of the rule's, it
 * carries the rule's tag, and its last event is before the rule's cutoff.
 *
 * @example
 * ```ts
 * const rule = parseRetentionPolicy({ rules: [{ when: { tag: 'spam', olderThan: 'P30D' }, action: 'delete' }] }).rules[0];
 * retentionMatches(rule, stored.snapshot, Date.now());
 * //=> true for a ticket tagged spam whose last event is over 30 days old
 * ```
 */
export function retentionMatches(rule: RetentionRule, ticket: RetentionSubject, now: number): boolean {
  const statuses = rule.when.status === undefined ? null : [rule.when.status].flat();
  if (statuses !== null && !statuses.includes(ticket.status as TicketStatus)) return false;
  if (rule.when.tag !== undefined && !(ticket.context?.tags ?? []).includes(rule.when.tag)) return false;
  const last = ticket.context?.lastEventAt;
  return typeof last === 'number' && last < retentionCutoff(rule.when.olderThan, now);
}

/**
 * The id of the rule at `index` of a policy: its own, or `rule-<n>` counting from 1.
 *
 * @example
 * ```ts
 * retentionRuleId({ when: { olderThan: 'P30D' }, action: 'delete' }, 1);
 * //=> 'rule-2'
 * ```
 */
export function retentionRuleId(rule: RetentionRule, index: number): string {
  return rule.id ?? `rule-${index + 1}`;
}

/**
 * Checks who asks for an erasure and why (non-empty strings, at most 10,000 characters) and when
 * (an epoch-ms instant, default `Date.now()`), throwing `invalid_erasure_request` before anything
 * is changed; returns the instant.
 *
 * @example
 * ```ts
 * checkErasureRequest('eraseCustomer', { by: 'dpo', reason: 'GDPR request 118', now: 0 });
 * //=> 0
 * ```
 */
export function checkErasureRequest(
  what: string,
  options: { readonly by: string; readonly reason: string; readonly now?: number } | undefined,
): number {
  const refuse = (why: string): never => {
    throw new CarekitError<ModelErrorCode>('invalid_erasure_request', `${what}: ${why}; nothing was erased`);
  };
  if (typeof options !== 'object' || options === null) refuse('pass { by, reason }');
  const { by, reason, now } = options as { by: unknown; reason: unknown; now?: unknown };
  if (typeof by !== 'string' || by === '' || by.length > 10_000)
    refuse('`by` must name who erases (a non-empty string)');
  if (typeof reason !== 'string' || reason === '' || reason.length > 10_000) {
    refuse('`reason` must say why (a non-empty string, kept in the audit row)');
  }
  if (now !== undefined && (typeof now !== 'number' || !Number.isSafeInteger(now))) {
    refuse('`now` must be an instant in epoch milliseconds');
  }
  return (now as number | undefined) ?? Date.now();
}

/**
 * A retention rule's condition in words (for audit rows and review documents).
 *
 * @example
 * ```ts
 * describeRetentionWhen({ status: 'closed', olderThan: 'P2Y' });
 * //=> 'closed tickets idle longer than P2Y'
 * ```
 */
export function describeRetentionWhen(when: {
  readonly status?: string | readonly string[] | undefined;
  readonly tag?: string | undefined;
  readonly olderThan: string;
}): string {
  const parts: string[] = [];
  if (when.status !== undefined) parts.push([when.status].flat().join(' or '));
  parts.push('tickets');
  if (when.tag !== undefined) parts.push(`tagged ${when.tag}`);
  parts.push(`idle longer than ${when.olderThan}`);
  return parts.join(' ');
}

/** The parts of a stored snapshot a redaction of one event may change (a ticket snapshot fits). */
export interface RedactableSnapshot {
  readonly context: {
    readonly subject: string;
    readonly customer: object;
    readonly surveys: readonly { readonly at: number; readonly survey: string; readonly comment?: string }[];
    readonly fields?: Readonly<Record<string, unknown>>;
  };
}

/**
 * What redacting named parts of the event at `position` of a ticket's log changes: the event
 * (`redactEventFields`) and the ticket's snapshot (its subject and customer come from the
 * opening, its survey answers keep their comments, its fields their latest values: a field is
 * cleared only when no later event set it again). Throws `unredactable_field` for a part the
 * event does not hold.
 *
 * @example
 * ```ts
 * const { event, snapshot } = planRedaction(log, 3, ['comment'], stored.snapshot);
 * event.comment;
 * //=> undefined (and the snapshot's survey answer lost its comment too)
 * ```
 */
export function planRedaction<E extends { readonly type: string }, S extends RedactableSnapshot>(
  events: readonly E[],
  position: number,
  fields: readonly string[],
  snapshot: S,
): { event: E; snapshot: S } {
  const event = events[position] as E & Record<string, unknown>;
  const next = redactEventFields(event as Record<string, unknown>, fields) as unknown as E;
  const context: Record<string, unknown> = { ...snapshot.context };
  for (const field of fields) {
    const [head, key] = field.split('.');
    if (event.type === 'ticket.opened' && head === 'subject' && context.subject === event.subject) {
      context.subject = (next as unknown as { subject: string }).subject;
    } else if (event.type === 'ticket.opened' && head === 'customer' && key !== undefined) {
      const customer = { ...(context.customer as Record<string, unknown>) };
      delete customer[key];
      context.customer = customer;
    } else if (event.type === 'survey.answered' && head === 'comment') {
      context.surveys = snapshot.context.surveys.map((survey) => {
        if (survey.at !== event.at || survey.survey !== event.survey || survey.comment !== event.comment) {
          return survey;
        }
        const { comment: _removed, ...rest } = survey;
        return rest;
      });
    } else if (event.type === 'ticket.fields_set' && head === 'fields' && key !== undefined) {
      const later = events
        .slice(position + 1)
        .some(
          (e) =>
            e.type === 'ticket.fields_set' && Object.hasOwn((e as { fields?: object }).fields ?? {}, key),
        );
      const current = snapshot.context.fields;
      if (!later && current !== undefined && Object.hasOwn(current, key)) {
        const { [key]: _removed, ...rest } = current;
        context.fields = rest;
      }
    }
  }
  return { event: next, snapshot: { ...snapshot, context } as S };
}

/** A message's identity as the stores follow a redaction: the ticket it was written to and its event id. */
export interface MessageIdentity {
  readonly ticketId: string;
  readonly eventId: string;
}

const identityOf = (value: unknown): MessageIdentity | null =>
  isObject(value) && typeof value.ticketId === 'string' && typeof value.eventId === 'string'
    ? { ticketId: value.ticketId, eventId: value.eventId }
    : null;

/**
 * The message a redaction of `event` concerns: a follow-up's opening (a `ticket.opened` with
 * `followUpOf`) is the customer's message it was opened from, which the desk names in its
 * `meta.message`; any other event is itself. Internal to the stores.
 */
export function redactedMessageOf(event: StoredEvent): MessageIdentity {
  const e = event as StoredEvent & Record<string, unknown>;
  const origin =
    e.type === 'ticket.opened' && typeof e.followUpOf === 'string' && isObject(e.meta)
      ? identityOf(e.meta.message)
      : null;
  return origin ?? { ticketId: e.ticketId, eventId: e.id };
}

/** What the stores' redaction reads of an event. */
interface StoredEvent {
  readonly type: string;
  readonly id: string;
  readonly ticketId: string;
}

/**
 * Whether a stored event holds a copy of the message `ref`, whose body a redaction of the message
 * must follow: the message itself, a `message.moved` of it (a merge or a split), the opening of a
 * ticket split off from it, or the opening of a follow-up opened from it: one naming it in
 * `meta.message` (the desk writes it when a reply to a closed ticket opens a new ticket), or, for a
 * host that opens follow-ups from `open_follow_up` effects itself, a follow-up of `ref`'s ticket
 * (`followUpOf`) whose opening body is the message's `body`, word for word. Internal to the stores.
 */
export function holdsMessage(event: StoredEvent, ref: MessageIdentity, body?: string): boolean {
  const e = event as StoredEvent & Record<string, unknown>;
  const is = (value: unknown) => {
    const id = identityOf(value);
    return id !== null && id.ticketId === ref.ticketId && id.eventId === ref.eventId;
  };
  if (e.ticketId === ref.ticketId && e.id === ref.eventId) return true;
  if (e.type === 'message.moved') return is(e.message);
  if (e.type !== 'ticket.opened') return false;
  if (isObject(e.splitFrom) && is(e.splitFrom.message)) return true;
  if (typeof e.followUpOf !== 'string') return false;
  if (isObject(e.meta) && identityOf(e.meta.message) !== null) return is(e.meta.message);
  return (
    e.followUpOf === ref.ticketId && body !== undefined && body !== '' && body !== REDACTED && e.body === body
  );
}
