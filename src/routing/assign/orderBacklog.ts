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
  return [...tickets].sort(compareBacklog);
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
