import { Priority } from '../../model/index.js';
import type { RoutingTicket } from './policy.js';

const URGENCY = new Map(Priority.options.map((p, i) => [p, i]));

/**
 * Orders a backlog the way it should be worked: the earliest SLA due time first (tickets
 * without one after those with one), then higher priority, then older, then by id so the
 * order is total. Returns a new array.
 *
 * @example
 * ```ts
 * orderBacklog([
 *   { id: 'a', at: 0, priority: 'low', dueAt: 500 },
 *   { id: 'b', at: 0, priority: 'urgent' },
 *   { id: 'c', at: 0, priority: 'urgent', dueAt: 500 },
 * ]).map((t) => t.id);
 * //=> ['c', 'a', 'b']
 * ```
 */
export function orderBacklog<T extends BacklogTicket>(tickets: readonly T[]): T[] {
  const n = tickets.length;
  // The three numbers of each ticket are read once into typed arrays and the positions are
  // sorted: compareBacklog read the fields and looked the priority up in a Map on each of the
  // ~1.7 million comparisons of a 100,000-ticket backlog. Tickets whose fields are not plain
  // numbers and known priorities keep the comparator, so the order never differs.
  const due = new Float64Array(n);
  const urgency = new Float64Array(n);
  const created = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = tickets[i];
    if (t === null || typeof t !== 'object') return [...tickets].sort(compareBacklog);
    const dueAt = t.dueAt ?? Number.POSITIVE_INFINITY;
    const rank = URGENCY.get(t.priority ?? 'normal');
    const createdAt = t.createdAt ?? t.at;
    if (
      typeof dueAt !== 'number' ||
      rank === undefined ||
      typeof createdAt !== 'number' ||
      Number.isNaN(dueAt + createdAt)
    )
      return [...tickets].sort(compareBacklog);
    due[i] = dueAt;
    urgency[i] = rank;
    created[i] = createdAt;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const da = due[a]!;
    const db = due[b]!;
    if (da !== db) return da < db ? -1 : 1;
    const pa = urgency[a]!;
    const pb = urgency[b]!;
    if (pa !== pb) return pb - pa;
    const ca = created[a]!;
    const cb = created[b]!;
    if (ca !== cb) return ca - cb;
    const ia = tickets[a]!.id;
    const ib = tickets[b]!.id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = tickets[order[i]!]!;
  return out;
}

/** The fields of a ticket that backlog order reads. */
export type BacklogTicket = Pick<RoutingTicket, 'id' | 'at' | 'priority' | 'createdAt' | 'dueAt'>;

/**
 * Negative when `a` should be worked before `b` (the order of {@link orderBacklog}).
 *
 * @example
 * ```ts
 * compareBacklog({ id: 'a', at: 0, priority: 'urgent' }, { id: 'b', at: 0 }) < 0;
 * //=> true
 * ```
 */
export function compareBacklog(a: BacklogTicket, b: BacklogTicket): number {
  const da = a.dueAt ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  const pa = URGENCY.get(a.priority ?? 'normal')!;
  const pb = URGENCY.get(b.priority ?? 'normal')!;
  if (pa !== pb) return pb - pa;
  const ca = a.createdAt ?? a.at;
  const cb = b.createdAt ?? b.at;
  if (ca !== cb) return ca - cb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
