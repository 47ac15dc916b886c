// A fast exact check for the common case of assignBacklog: a plain ticket object that the
// RoutingTicket schema would accept unchanged. Anything else (a mistake, an odd shape, a
// getter) goes through the schema, which gives the proper error. The check may refuse more
// than the schema does, never less (a property test holds it to that).
import { type Agent, Availability, Priority } from '../../model/index.js';
import { isTicketLocale, type RoutingTicket } from './policy.js';

const PRIORITIES = new Set<string>(Priority.options);
const OPTIONAL = new Set([
  'skills',
  'language',
  'tier',
  'customerId',
  'previousAgentId',
  'priority',
  'createdAt',
  'dueAt',
]);

const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 256;
const isLabel = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 100 && v.trim() === v;
const isInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);

export function isWellFormedTicket(value: unknown): value is RoutingTicket {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  try {
    const t = value as Record<string, unknown>;
    for (const key of Object.keys(t)) {
      if (key !== 'id' && key !== 'at' && !OPTIONAL.has(key)) return false;
      if (t[key] === undefined) return false;
    }
    if (Object.getOwnPropertySymbols(t).length > 0) return false;
    if (!isId(t.id) || !isInt(t.at)) return false;
    if ('skills' in t) {
      const s = t.skills;
      if (!Array.isArray(s) || s.length > 50 || !s.every(isLabel)) return false;
    }
    if ('language' in t && !(typeof t.language === 'string' && isTicketLocale(t.language))) return false;
    if ('tier' in t && !(isInt(t.tier) && (t.tier as number) >= 1 && (t.tier as number) <= 100)) return false;
    if ('customerId' in t && !isId(t.customerId)) return false;
    if ('previousAgentId' in t && !isId(t.previousAgentId)) return false;
    if ('priority' in t && !(typeof t.priority === 'string' && PRIORITIES.has(t.priority))) return false;
    if ('createdAt' in t && !isInt(t.createdAt)) return false;
    if ('dueAt' in t && !(t.dueAt === null || isInt(t.dueAt))) return false;
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
