import { z } from 'zod';
import { CarekitError, Channel, FieldId, Id, Label, Priority, parseInput } from '../model/index.js';
import type { ImportErrorCode } from './errors.js';

/** The helpdesks whose exports carekit reads. */
export const ImportSource = z.enum(['zendesk', 'freshdesk']);
export type ImportSource = z.infer<typeof ImportSource>;

/** What a source status becomes: a lifecycle status carekit can set, or `closed`. */
export const ImportStatus = z.enum(['open', 'pending', 'on_hold', 'solved', 'closed']);
export type ImportStatus = z.infer<typeof ImportStatus>;

const Prefix = z
  .string()
  .max(40)
  .regex(/^[A-Za-z0-9_.:-]*$/, {
    message: 'must be letters, digits or `_ . : -` (it starts carekit ids)',
  });

/**
 * How a source's values become carekit's, as data a user can edit (a JSON file). Each record maps
 * a source value (as a string: Freshdesk's numeric codes are written `"2"`) to carekit's; a user's
 * mapping is laid over the source's defaults ({@link defaultMapping}), entry by entry. A value the
 * mapping does not know is reported with its record's line, never guessed.
 */
export const ImportMapping = z.strictObject({
  /** Source status → carekit status (`hold` → `on_hold`, Freshdesk `4` → `solved`...). */
  statuses: z.record(z.string(), ImportStatus),
  /** Source priority → carekit priority. */
  priorities: z.record(z.string(), Priority),
  /** Source channel (Zendesk's `via.channel`, Freshdesk's `source` code) → carekit channel. */
  channels: z.record(z.string(), Channel),
  /** Source group id → the escalation tier it stands for; a ticket moved to the group is at that tier. */
  groups: z.record(z.string(), z.strictObject({ tier: z.number().int().min(1).max(100) })),
  /** Source custom field id (Zendesk's numeric id, Freshdesk's `cf_` name) → carekit field id. */
  fields: z.record(z.string(), FieldId),
  /** Source ticket type → carekit category. */
  categories: z.record(z.string(), Label),
  /** Source user id → carekit agent id. */
  agents: z.record(z.string(), Id),
  /**
   * Zendesk organization id → the customer segment its users are in (`"360000777": "vip"`); an
   * organization not named here is a segment when its name, as a label, is one of the desk's
   * `segments.passThrough` (see docs/import.md).
   */
  organizations: z.record(z.string(), Label),
  /**
   * An agent the `agents` map does not name: `prefix` gives them the id `agentPrefix` + source id;
   * `report` reports every message they wrote as unmapped.
   */
  unmappedAgents: z.enum(['prefix', 'report']),
  agentPrefix: Prefix,
  /** A requester becomes the customer `customerPrefix` + source id. */
  customerPrefix: Prefix,
  /** A ticket becomes the ticket `ticketPrefix` + source id (and its events are keyed the same way). */
  ticketPrefix: Prefix,
});
export type ImportMapping = z.output<typeof ImportMapping>;
/** A mapping as a user writes it: every key optional, laid over the source's defaults. */
export const ImportMappingInput = ImportMapping.partial();
export type ImportMappingInput = z.input<typeof ImportMappingInput>;

const ZENDESK: ImportMapping = {
  statuses: { open: 'open', pending: 'pending', hold: 'on_hold', solved: 'solved', closed: 'closed' },
  priorities: { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' },
  channels: {
    email: 'email',
    mail: 'email',
    web: 'web_form',
    web_form: 'web_form',
    web_widget: 'web_form',
    web_service: 'web_form',
    closed_ticket: 'email',
    mobile: 'web_form',
    mobile_sdk: 'chat',
    api: 'web_form',
    chat: 'chat',
    native_messaging: 'chat',
    voice: 'phone',
    twitter: 'social',
    facebook: 'social',
    instagram_dm: 'social',
    whatsapp: 'chat',
    sms: 'sms',
    sample_ticket: 'web_form',
    rule: 'web_form',
  },
  groups: {},
  fields: {},
  categories: { question: 'question', incident: 'incident', problem: 'problem', task: 'task' },
  agents: {},
  organizations: {},
  unmappedAgents: 'prefix',
  agentPrefix: 'zd-agent-',
  customerPrefix: 'zd-user-',
  ticketPrefix: 'zd-',
};

const FRESHDESK: ImportMapping = {
  // Freshdesk's codes: 2 Open, 3 Pending, 4 Resolved, 5 Closed (custom statuses from 6 on).
  statuses: { '2': 'open', '3': 'pending', '4': 'solved', '5': 'closed' },
  priorities: { '1': 'low', '2': 'normal', '3': 'high', '4': 'urgent' },
  // Sources: 1 Email, 2 Portal, 3 Phone, 5 Twitter, 6 Facebook, 7 Chat, 9 Feedback widget,
  // 10 Outbound email, 13 WhatsApp.
  channels: {
    '1': 'email',
    '2': 'web_form',
    '3': 'phone',
    '5': 'social',
    '6': 'social',
    '7': 'chat',
    '9': 'web_form',
    '10': 'email',
    '13': 'chat',
  },
  groups: {},
  fields: {},
  categories: {},
  agents: {},
  organizations: {},
  unmappedAgents: 'prefix',
  agentPrefix: 'fd-agent-',
  customerPrefix: 'fd-contact-',
  ticketPrefix: 'fd-',
};

/**
 * The mapping carekit uses for a source when the user gives none.
 *
 * @example
 * ```ts
 * defaultMapping('freshdesk').statuses['4'];
 * //=> 'solved'
 * ```
 */
export function defaultMapping(source: ImportSource): ImportMapping {
  const base = source === 'zendesk' ? ZENDESK : source === 'freshdesk' ? FRESHDESK : null;
  if (base === null) {
    throw new CarekitError<ImportErrorCode>(
      'unknown_source',
      `the import source is ${JSON.stringify(source)}; expected one of ${ImportSource.options.join(', ')}`,
    );
  }
  return withoutPrototypes(structuredClone(base) as Record<string, unknown>);
}

/**
 * The mapping with tables that have no prototype: a source value such as `constructor` or
 * `__proto__` is in none of them (the readers look source values up by key).
 */
function withoutPrototypes(mapping: Record<string, unknown>): ImportMapping {
  for (const [key, value] of Object.entries(mapping)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      mapping[key] = Object.assign(Object.create(null), value);
  }
  return mapping as ImportMapping;
}

/**
 * Validates a user's mapping (unknown keys refused, each problem with a code and a path) and lays
 * it over the source's defaults: records are merged entry by entry, the rest replaced.
 *
 * @throws `CarekitValidationError` (from `carekit/model`).
 * @example
 * ```ts
 * const mapping = parseImportMapping('zendesk', { statuses: { hold: 'pending' }, groups: { '360001': { tier: 2 } } });
 * [mapping.statuses.hold, mapping.statuses.solved, mapping.groups['360001'].tier];
 * //=> ['pending', 'solved', 2]
 * parseImportMapping('zendesk', { status: {} });
 * //=> throws: (root): has unknown key "status" (put your own data under "meta") [unrecognized_keys]
 * ```
 */
export function parseImportMapping(source: ImportSource, input: unknown = {}): ImportMapping {
  const base = defaultMapping(source);
  const given = parseInput(ImportMappingInput, input ?? {}, `${source} import mapping`);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const before = (base as Record<string, unknown>)[key];
    merged[key] =
      typeof value === 'object' && value !== null && typeof before === 'object' && before !== null
        ? { ...before, ...value }
        : value;
  }
  return withoutPrototypes(merged);
}
