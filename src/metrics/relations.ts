// KPIs of ticket relations (docs/relations.md): merges, splits, parent and child tickets and side
// conversations, read from the tickets' logs.

import { badArgument, checkArray } from '../model/arguments.js';
import type { TicketEvent } from '../model/index.js';
import type { MetricsErrorCode } from './errors.js';

/** The relations section of a KPI report. */
export interface RelationsReport {
  /** Tickets merged into another (`ticket.merged`): each counted once, on the source. */
  readonly merged: number;
  /** Tickets that received at least one merged ticket. */
  readonly mergeTargets: number;
  /** Messages moved by merges and splits (`message.moved`). */
  readonly movedMessages: number;
  /** Splits recorded (`ticket.split`), and the tickets opened by a split (`splitFrom`). */
  readonly splits: number;
  readonly splitTickets: number;
  /** Tickets that had at least one child, and the children they had (distinct, unlinked ones left out). */
  readonly parents: number;
  readonly children: number;
  /** Children per parent: mean and largest (null without parents). */
  readonly childrenPerParent: { readonly mean: number | null; readonly max: number | null };
  /**
   * How long parents waited for their children, in calendar ms: from the child's link
   * (`child_changed` `open`) to it being done (`done`), per child that was done; children still
   * open are counted in `openChildren`.
   */
  readonly childWaitMs: { readonly count: number; readonly mean: number | null; readonly max: number | null };
  readonly openChildren: number;
  /** Side conversations opened, and how many missed their internal target on their first wait. */
  readonly sideConversations: number;
  readonly sideConversationsOverdue: number;
}

/**
 * The relations section of a KPI report from tickets' logs (one array of events per ticket, as
 * the store's `ticketEvents` gives them): merges (counted once, on the source), moved messages,
 * splits, parents and their children, how long parents waited for children, and side
 * conversations. Calendar time; a log that is not an array is refused (`invalid_type`).
 *
 * @example
 * ```ts
 * relationsReport([
 *   [{ type: 'ticket.child_changed', id: 'c1', ticketId: 'P', at: 0, childId: 'C', state: 'open' },
 *    { type: 'ticket.child_changed', id: 'c2', ticketId: 'P', at: 3_600_000, childId: 'C', state: 'done' }],
 * ]).childWaitMs;
 * //=> { count: 1, mean: 3600000, max: 3600000 }
 * ```
 */
export function relationsReport(logs: readonly (readonly TicketEvent[])[]): RelationsReport {
  const fn = 'relationsReport';
  checkArray(logs, fn, ['logs'], 'an array of ticket logs (arrays of parsed events)');
  let merged = 0;
  let mergeTargets = 0;
  let movedMessages = 0;
  let splits = 0;
  let splitTickets = 0;
  let parents = 0;
  let children = 0;
  let maxChildren: number | null = null;
  let waits = 0;
  let waitSum = 0;
  let waitMax: number | null = null;
  let openChildren = 0;
  let sides = 0;
  let overdue = 0;
  for (const [i, log] of logs.entries()) {
    checkArray(log, fn, ['logs', i], 'a ticket log (an array of parsed events)');
    let wasMerged = false;
    let target = false;
    const linkedAt = new Map<string, number>();
    const state = new Map<string, 'open' | 'done'>();
    const overdueSides = new Set<string>();
    for (const [j, e] of log.entries()) {
      if (e === null || typeof e !== 'object')
        badArgument<MetricsErrorCode>(fn, ['logs', i, j], 'a parsed ticket event', e);
      switch (e.type) {
        case 'ticket.opened':
          if (e.splitFrom !== undefined) splitTickets++;
          break;
        case 'ticket.merged':
          wasMerged = true;
          break;
        case 'ticket.merged_from':
          target = true;
          break;
        case 'message.moved':
          movedMessages++;
          break;
        case 'ticket.split':
          splits++;
          break;
        case 'ticket.child_changed':
          if (e.state === 'unlinked') {
            linkedAt.delete(e.childId);
            state.delete(e.childId);
          } else if (e.state === 'open') {
            if (state.get(e.childId) !== 'open') linkedAt.set(e.childId, e.at);
            state.set(e.childId, 'open');
          } else {
            const since = linkedAt.get(e.childId);
            if (state.get(e.childId) === 'open' && since !== undefined) {
              const wait = e.at - since;
              waits++;
              waitSum += wait;
              waitMax = waitMax === null ? wait : Math.max(waitMax, wait);
            }
            state.set(e.childId, 'done');
          }
          break;
        case 'side.opened':
          sides++;
          break;
        default:
          break;
      }
    }
    // A side conversation with a target missed it when its first answer from the third party
    // (unanswered: the ticket's last event) came after opening + target (its first wait only).
    const opened = new Map<string, { at: number; targetMs: number | null; answered: number | null }>();
    for (const e of log) {
      if (e.type === 'side.opened')
        opened.set(e.sideId, { at: e.at, targetMs: e.targetMs ?? null, answered: null });
      else if (e.type === 'side.replied' && e.direction === 'in') {
        const side = opened.get(e.sideId);
        if (side !== undefined && side.answered === null) side.answered = e.at;
      }
    }
    const last = log.length > 0 ? (log[log.length - 1] as TicketEvent).at : 0;
    for (const [id, side] of opened) {
      if (side.targetMs === null) continue;
      if ((side.answered ?? last) > side.at + side.targetMs) overdueSides.add(id);
    }
    overdue += overdueSides.size;
    if (wasMerged) merged++;
    if (target) mergeTargets++;
    if (state.size > 0) {
      parents++;
      children += state.size;
      maxChildren = maxChildren === null ? state.size : Math.max(maxChildren, state.size);
      for (const s of state.values()) if (s === 'open') openChildren++;
    }
  }
  return {
    merged,
    mergeTargets,
    movedMessages,
    splits,
    splitTickets,
    parents,
    children,
    childrenPerParent: { mean: parents === 0 ? null : children / parents, max: maxChildren },
    childWaitMs: { count: waits, mean: waits === 0 ? null : waitSum / waits, max: waitMax },
    openChildren,
    sideConversations: sides,
    sideConversationsOverdue: overdue,
  };
}
