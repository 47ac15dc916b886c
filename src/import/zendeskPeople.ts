import { type AgentInput, Customer, Label } from '../model/index.js';
import type { ImportMapping } from './mapping.js';
import type { ExportRecord } from './readJsonRecords.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v !== '' ? v : null;

/** A Zendesk user as carekit keeps it: who they are to the desk, and the contact data it imports. */
export interface ZendeskPerson {
  readonly id: string;
  /** Zendesk's role: `end-user` becomes a customer, `agent` and `admin` an agent. */
  readonly role: 'end-user' | 'agent' | 'admin';
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  /** The user's organization (Zendesk's `organization_id`). */
  readonly organizationId?: string;
}

/**
 * The users and organizations of a Zendesk export (the `users` and `organizations` sideloads of
 * the incremental exports, `include=users,organizations`, or the users and organizations
 * files of a full export), by Zendesk id. {@link readZendesk} fills it as it reads and looks the
 * requesters and authors up in it; {@link readZendeskPeople} fills it ahead of an import whose
 * users come after the tickets that name them.
 */
export interface ZendeskPeople {
  readonly users: Map<string, ZendeskPerson>;
  /** Organization id → its name. */
  readonly organizations: Map<string, string>;
}

/**
 * An empty directory of Zendesk users and organizations.
 *
 * @example
 * ```ts
 * createZendeskPeople().users.size;
 * //=> 0
 * ```
 */
export function createZendeskPeople(): ZendeskPeople {
  return { users: new Map(), organizations: new Map() };
}

/** What a record is to the directory: a user, an organization, or neither. */
export type PeopleRecord =
  | { readonly kind: 'user'; readonly person: ZendeskPerson; readonly dropped: readonly string[] }
  | { readonly kind: 'organization'; readonly id: string; readonly name: string }
  | { readonly kind: 'invalid'; readonly what: 'user' | 'organization'; readonly message: string }
  | null;

const ROLES = new Set(['end-user', 'agent', 'admin']);

/**
 * Reads a record as a Zendesk user or organization: listed under `users` or `organizations`,
 * or (NDJSON, a bare array) a user by its `role` and an organization by its `domain_names`.
 * Contact data carekit would refuse (an email address that is not one) is left out and named in
 * `dropped`.
 */
export function peopleRecordOf(key: string | null, value: unknown): PeopleRecord {
  if (!isObject(value) || 'ticket_id' in value) return null;
  const isUser = key === 'users' || (key === null && typeof value.role === 'string' && 'email' in value);
  const isOrganization =
    key === 'organizations' || (key === null && Array.isArray(value.domain_names) && !('role' in value));
  if (!isUser && !isOrganization) return null;
  const id = idOf(value.id);
  if (isOrganization) {
    if (id === null) return { kind: 'invalid', what: 'organization', message: 'the organization has no id' };
    return { kind: 'organization', id, name: typeof value.name === 'string' ? value.name : '' };
  }
  const role = typeof value.role === 'string' ? value.role : '';
  if (id === null || !ROLES.has(role)) {
    return {
      kind: 'invalid',
      what: 'user',
      message:
        id === null
          ? 'the user has no id'
          : `the user's role is ${JSON.stringify(role)}; expected end-user, agent or admin`,
    };
  }
  const dropped: string[] = [];
  const take = (field: 'name' | 'email' | 'phone', raw: unknown): Record<string, string> => {
    if (typeof raw !== 'string' || raw === '') return {};
    const ok = Customer.shape[field].safeParse(raw).success;
    if (!ok) dropped.push(field);
    return ok ? { [field]: raw } : {};
  };
  const organizationId = idOf(value.organization_id);
  const person: ZendeskPerson = {
    id,
    role: role as ZendeskPerson['role'],
    ...take('name', value.name),
    ...take('email', value.email),
    ...take('phone', value.phone),
    ...(organizationId !== null ? { organizationId } : {}),
  };
  return { kind: 'user', person, dropped };
}

/** Adds what a record says to the directory; returns what it was. */
export function learnPerson(people: ZendeskPeople, key: string | null, value: unknown): PeopleRecord {
  const found = peopleRecordOf(key, value);
  if (found?.kind === 'user') people.users.set(found.person.id, found.person);
  else if (found?.kind === 'organization') people.organizations.set(found.id, found.name);
  return found;
}

/**
 * Reads the users and organizations of a Zendesk export into a directory, skipping everything
 * else: a first pass for exports whose users come after the tickets that name them (an API page
 * lists its `users` after its `ticket_events`, a full export's users file may be given last).
 * The directory holds one small entry per user (about 200 bytes): a million users is some
 * 200 MB, the only part of an import that grows with the export.
 *
 * @example
 * ```ts
 * const page = '{"ticket_events":[],"users":[{"id":900,"role":"end-user","name":"Ana Souza","email":"ana@example.com","organization_id":77}]}';
 * const people = await readZendeskPeople(readJsonRecords([page]));
 * people.users.get('900');
 * //=> { id: '900', role: 'end-user', name: 'Ana Souza', email: 'ana@example.com', organizationId: '77' }
 * ```
 */
export async function readZendeskPeople(
  records: AsyncIterable<ExportRecord>,
  people: ZendeskPeople = createZendeskPeople(),
): Promise<ZendeskPeople> {
  for await (const record of records) {
    if (record.kind === 'record') learnPerson(people, record.key, record.value);
  }
  return people;
}

/** An organization's name as a segment label: lower case, runs of other characters as `_`. */
export function segmentLabelOf(name: string): string | null {
  const label = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
  return Label.safeParse(label).success && label !== '' ? label : null;
}

/**
 * The customer segment of a user's organization: the mapping's `organizations` entry, else the
 * organization's name as a label (see {@link segmentLabelOf}) when it is one of `segments` (the
 * desk's `segments.passThrough`, the segments it copies from the customer record); else none.
 */
export function segmentOf(
  people: ZendeskPeople,
  person: ZendeskPerson | undefined,
  mapping: ImportMapping,
  segments: readonly string[],
): string | null {
  const org = person?.organizationId;
  if (org === undefined) return null;
  const mapped = mapping.organizations[org];
  if (mapped !== undefined) return mapped;
  const name = people.organizations.get(org);
  const label = name === undefined ? null : segmentLabelOf(name);
  return label !== null && segments.includes(label) ? label : null;
}

/**
 * The agents of a Zendesk export for a desk configuration's `agents`: every user whose role is
 * `agent` or `admin`, under the id the import gives them (the mapping's `agents`, else
 * `agentPrefix` + the Zendesk id; with `unmappedAgents: 'report'`, only the mapped ones), with
 * their name (Zendesk's, else the id) and email.
 *
 * @example
 * ```ts
 * const people = createZendeskPeople();
 * people.users.set('11', { id: '11', role: 'agent', name: 'Ana Lima', email: 'ana@shop.example' });
 * people.users.set('12', { id: '12', role: 'admin', name: 'Bruno' });
 * people.users.set('900', { id: '900', role: 'end-user', name: 'Rui' });
 * zendeskAgents(people, parseImportMapping('zendesk', { agents: { '11': 'ana' } }));
 * //=> [{ id: 'ana', name: 'Ana Lima', email: 'ana@shop.example' }, { id: 'zd-agent-12', name: 'Bruno' }]
 * ```
 */
export function zendeskAgents(people: ZendeskPeople, mapping: ImportMapping): AgentInput[] {
  const out: AgentInput[] = [];
  for (const person of people.users.values()) {
    if (person.role === 'end-user') continue;
    const mapped = mapping.agents[person.id];
    // With `unmappedAgents: 'report'` an agent the mapping does not name is not imported as one.
    if (mapped === undefined && mapping.unmappedAgents === 'report') continue;
    out.push({
      id: mapped ?? `${mapping.agentPrefix}${person.id}`,
      name: person.name ?? person.id,
      ...(person.email !== undefined ? { email: person.email } : {}),
    });
  }
  return out;
}
