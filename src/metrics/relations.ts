// KPIs of ticket relations (docs/relations.md): merges, splits, parent and child tickets and side
// conversations, read from the tickets' logs.
import { badArgument, checkArray } from '../model/arguments.js';
import type { TicketEvent } from '../model/index.js';
import type { Accumulator } from './accumulator.js';
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
  /**
   * Tickets that are children of another at the end of their logs (`parentId`, from
   * `ticket.opened` or `ticket.parent_set`), and the parents they are grouped under.
   */
  readonly childTickets: number;
  readonly childTicketsByParent: Readonly<Record<string, number>>;
}

/**
 * One ticket's part in the relations section (`TicketFacts.relations`), read from its log by
 * `ticketFacts`: what {@link relationsReport} and `kpiReport` add up.
 */
export interface RelationFacts {
  /** Merged into another ticket (`ticket.merged`). */
  readonly merged: boolean;
  /** Received at least one merged ticket (`ticket.merged_from`). */
  readonly mergeTarget: boolean;
  readonly movedMessages: number;
  readonly splits: number;
  /** Opened by a split (`splitFrom`). */
  readonly splitTicket: boolean;
  /** Its parent at the end of the log, or null. */
  readonly parentId: string | null;
  /** Its linked children at the end of the log, and how many of them are still open. */
  readonly children: number;
  readonly openChildren: number;
  /** The waits for its children that ended (calendar ms): count, sum and largest. */
  readonly childWaits: { readonly count: number; readonly sumMs: number; readonly maxMs: number | null };
  readonly sideConversations: number;
  readonly sideConversationsOverdue: number;
}

/** Event types that give a ticket relation facts (besides a `ticket.opened` with `splitFrom` or `parentId`). */
const RELATION_TYPES: ReadonlySet<string> = new Set([
  'ticket.merged',
  'ticket.merged_from',
  'message.moved',
  'ticket.split',
  'ticket.child_changed',
  'ticket.parent_set',
  'side.opened',
]);

/** Whether an event makes its ticket part of the relations section. */
export function isRelationEvent(e: TicketEvent): boolean {
  return (
    RELATION_TYPES.has(e.type) ||
    (e.type === 'ticket.opened' && (e.splitFrom !== undefined || e.parentId !== undefined))
  );
}

/**
 * One ticket's relation facts from its log (every event as recorded, before and after a final
 * status), or null when the log has no relation at all. `fn` and `path` name a bad event.
 */
export function relationFacts(
  log: readonly TicketEvent[],
  fn = 'relationFacts',
  path: readonly (string | number)[] = ['log'],
): RelationFacts | null {
  let related = false;
  let merged = false;
  let mergeTarget = false;
  let movedMessages = 0;
  let splits = 0;
  let splitTicket = false;
  let parentId: string | null = null;
  let sides = 0;
  let waits = 0;
  let waitSum = 0;
  let waitMax: number | null = null;
  const linkedAt = new Map<string, number>();
  const state = new Map<string, 'open' | 'done'>();
  for (const [j, e] of log.entries()) {
    if (e === null || typeof e !== 'object')
      badArgument<MetricsErrorCode>(fn, [...path, j], 'a parsed ticket event', e);
    switch (e.type) {
      case 'ticket.opened':
        if (e.splitFrom !== undefined) {
          splitTicket = true;
          related = true;
        }
        if (e.parentId !== undefined) {
          parentId = e.parentId;
          related = true;
        }
        break;
      case 'ticket.parent_set':
        parentId = e.parentId;
        related = true;
        break;
      case 'ticket.merged':
        merged = true;
        related = true;
        break;
      case 'ticket.merged_from':
        mergeTarget = true;
        related = true;
        break;
      case 'message.moved':
        movedMessages++;
        related = true;
        break;
      case 'ticket.split':
        splits++;
        related = true;
        break;
      case 'ticket.child_changed':
        related = true;
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
        related = true;
        break;
      default:
        break;
    }
  }
  if (!related) return null;
  // A side conversation with a target missed it when its first answer from the third party
  // (unanswered: the ticket's last event) came after opening + target (its first wait only).
  let overdue = 0;
  if (sides > 0) {
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
    for (const side of opened.values()) {
      if (side.targetMs !== null && (side.answered ?? last) > side.at + side.targetMs) overdue++;
    }
  }
  let openChildren = 0;
  for (const s of state.values()) if (s === 'open') openChildren++;
  return {
    merged,
    mergeTarget,
    movedMessages,
    splits,
    splitTicket,
    parentId,
    children: state.size,
    openChildren,
    childWaits: { count: waits, sumMs: waitSum, maxMs: waitMax },
    sideConversations: sides,
    sideConversationsOverdue: overdue,
  };
}

/** The running sums of {@link relationsAccumulator}. */
export interface RelationsState {
  merged: number;
  mergeTargets: number;
  movedMessages: number;
  splits: number;
  splitTickets: number;
  parents: number;
  children: number;
  maxChildren: number | null;
  waits: number;
  waitSum: number;
  waitMax: number | null;
  openChildren: number;
  sideConversations: number;
  sideConversationsOverdue: number;
  childTickets: number;
  byParent: Record<string, number>;
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * The relations section as an accumulator over tickets' relation facts (null for a ticket
 * without relations): `kpiReport` folds it over `TicketFacts.relations`, {@link relationsReport}
 * over the facts of raw logs, so the two always agree.
 */
export function relationsAccumulator(): Accumulator<RelationFacts | null, RelationsState, RelationsReport> {
  return {
    empty: () => ({
      merged: 0,
      mergeTargets: 0,
      movedMessages: 0,
      splits: 0,
      splitTickets: 0,
      parents: 0,
      children: 0,
      maxChildren: null,
      waits: 0,
      waitSum: 0,
      waitMax: null,
      openChildren: 0,
      sideConversations: 0,
      sideConversationsOverdue: 0,
      childTickets: 0,
      byParent: {},
    }),
    add(s, r) {
      if (r === null || r === undefined) return s;
      if (r.merged) s.merged++;
      if (r.mergeTarget) s.mergeTargets++;
      s.movedMessages += r.movedMessages;
      s.splits += r.splits;
      if (r.splitTicket) s.splitTickets++;
      if (r.children > 0) {
        s.parents++;
        s.children += r.children;
        s.maxChildren = maxOf(s.maxChildren, r.children);
        s.openChildren += r.openChildren;
      }
      s.waits += r.childWaits.count;
      s.waitSum += r.childWaits.sumMs;
      s.waitMax = maxOf(s.waitMax, r.childWaits.maxMs);
      s.sideConversations += r.sideConversations;
      s.sideConversationsOverdue += r.sideConversationsOverdue;
      if (r.parentId !== null) {
        s.childTickets++;
        s.byParent[r.parentId] = (s.byParent[r.parentId] ?? 0) + 1;
      }
      return s;
    },
    merge(a, b) {
      const byParent = { ...a.byParent };
      for (const [id, n] of Object.entries(b.byParent)) byParent[id] = (byParent[id] ?? 0) + n;
      return {
        merged: a.merged + b.merged,
        mergeTargets: a.mergeTargets + b.mergeTargets,
        movedMessages: a.movedMessages + b.movedMessages,
        splits: a.splits + b.splits,
        splitTickets: a.splitTickets + b.splitTickets,
        parents: a.parents + b.parents,
        children: a.children + b.children,
        maxChildren: maxOf(a.maxChildren, b.maxChildren),
        waits: a.waits + b.waits,
        waitSum: a.waitSum + b.waitSum,
        waitMax: maxOf(a.waitMax, b.waitMax),
        openChildren: a.openChildren + b.openChildren,
        sideConversations: a.sideConversations + b.sideConversations,
        sideConversationsOverdue: a.sideConversationsOverdue + b.sideConversationsOverdue,
        childTickets: a.childTickets + b.childTickets,
        byParent,
      };
    },
    result(s) {
      const byParent: Record<string, number> = {};
      for (const id of Object.keys(s.byParent).sort()) byParent[id] = s.byParent[id] as number;
      return {
        merged: s.merged,
        mergeTargets: s.mergeTargets,
        movedMessages: s.movedMessages,
        splits: s.splits,
        splitTickets: s.splitTickets,
        parents: s.parents,
        children: s.children,
        childrenPerParent: { mean: s.parents === 0 ? null : s.children / s.parents, max: s.maxChildren },
        childWaitMs: { count: s.waits, mean: s.waits === 0 ? null : s.waitSum / s.waits, max: s.waitMax },
        openChildren: s.openChildren,
        sideConversations: s.sideConversations,
        sideConversationsOverdue: s.sideConversationsOverdue,
        childTickets: s.childTickets,
        childTicketsByParent: byParent,
      };
    },
  };
}

/**
 * The relations section of a KPI report from tickets' logs (one array of events per ticket, as
 * the store's `ticketEvents` gives them): merges (counted once, on the source), moved messages,
 * splits, parents and their children, how long parents waited for children, side conversations,
 * and child tickets grouped under their parents. Calendar time; a log that is not an array is
 * refused (`invalid_type`). `kpiReport` gives the same section from `ticketFacts` (`relations`).
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
  const acc = relationsAccumulator();
  let state = acc.empty();
  for (const [i, log] of logs.entries()) {
    checkArray(log, fn, ['logs', i], 'a ticket log (an array of parsed events)');
    state = acc.add(state, relationFacts(log, fn, ['logs', i]));
  }
  return acc.result(state);
}
