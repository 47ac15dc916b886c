// A fast exact check for the common case of assignBacklog: a plain ticket object that the
// RoutingTicket schema would accept unchanged. Anything else (a mistake, an odd shape, a
// getter) goes through the schema, which gives the proper error. The check may refuse more
// than the schema does, never less (a property test holds it to that).
import { type Agent, Availability, Priority } from '../../model/index.js';
import { isTicketLocale, type RoutingTicket } from './policy.js';

const PRIORITIES = new Set<string>(Priority.options);

const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 256;
const isLabel = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 100 && v.trim() === v;
const isInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);

function isTicketKey(key: string): boolean {
  switch (key) {
    case 'id':
    case 'at':
    case 'skills':
    case 'language':
    case 'tier':
    case 'customerId':
    case 'previousAgentId':
    case 'priority':
    case 'createdAt':
    case 'dueAt':
      return true;
    default:
      return false;
  }
}

export function isWellFormedTicket(value: unknown): value is RoutingTicket {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  try {
    const t = value as Record<string, unknown>;
    // for...in rather than Object.keys: no array per ticket. It also lists enumerable keys a
    // polluted Object.prototype would add, which only sends the ticket to the schema.
    for (const key in t) {
      if (!isTicketKey(key) || t[key] === undefined) return false;
    }
    if (Object.getOwnPropertySymbols(t).length > 0) return false;
    if (!isId(t.id) || !isInt(t.at)) return false;
    const { skills, language, tier, customerId, previousAgentId, priority, createdAt, dueAt } = t;
    if (skills !== undefined) {
      if (!Array.isArray(skills) || skills.length > 50) return false;
      for (const skill of skills) if (!isLabel(skill)) return false;
    }
    if (language !== undefined && !(typeof language === 'string' && isTicketLocale(language))) return false;
    if (tier !== undefined && !(isInt(tier) && (tier as number) >= 1 && (tier as number) <= 100))
      return false;
    if (customerId !== undefined && !isId(customerId)) return false;
    if (previousAgentId !== undefined && !isId(previousAgentId)) return false;
    if (priority !== undefined && !(typeof priority === 'string' && PRIORITIES.has(priority))) return false;
    if (createdAt !== undefined && !isInt(createdAt)) return false;
    if (dueAt !== undefined && !(dueAt === null || isInt(dueAt))) return false;
    return true;
  } catch {
    return false;
  }
}

const AVAILABILITY = new Set<string>(Availability.options);
const AGENT_KEYS = new Set([
  'id',
  'name',
  'skills',
  'languages',
  'tier',
  'capacity',
  'calendarId',
  'availability',
]);

/**
 * The same for agents: a plain agent with every defaulted field present (as the `Agent`
 * schema returns it) is used as it is. `email` and `meta` always go through the schema.
 */
export function isWellFormedAgent(value: unknown): value is Agent {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  try {
    const a = value as Record<string, unknown>;
    for (const key of Object.keys(a)) {
      if (!AGENT_KEYS.has(key) || a[key] === undefined) return false;
    }
    if (Object.getOwnPropertySymbols(a).length > 0) return false;
    if (!isId(a.id) || typeof a.name !== 'string' || a.name.length > 10_000) return false;
    const { skills, languages } = a;
    if (!Array.isArray(skills) || skills.length > 200 || !skills.every(isLabel)) return false;
    if (!Array.isArray(languages) || languages.length > 50) return false;
    if (!languages.every((l) => typeof l === 'string' && isTicketLocale(l))) return false;
    if (!isInt(a.tier) || (a.tier as number) < 1 || (a.tier as number) > 100) return false;
    if (!isInt(a.capacity) || (a.capacity as number) < 0 || (a.capacity as number) > 100_000) return false;
    if (typeof a.availability !== 'string' || !AVAILABILITY.has(a.availability)) return false;
    if ('calendarId' in a && !isId(a.calendarId)) return false;
    return true;
  } catch {
    return false;
  }
}
