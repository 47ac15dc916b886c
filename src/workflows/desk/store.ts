import type { TicketEvent } from '../../model/index.js';
import type { TicketSnapshot } from '../ticket/context.js';
import type { DeskEffect } from './createDesk.js';

/** A ticket as a store keeps it: the snapshot, its version, and what the desk indexes. */
export interface StoredTicket {
  readonly ticketId: string;
  readonly snapshot: TicketSnapshot;
  /** Starts at 1 when the ticket is created; every successful save adds one. */
  readonly version: number;
  /** Which workflow (SLA policy) the ticket runs under: the desk's key for it. */
  readonly workflowKey: string;
  /** When a `clock.tick` would change the ticket (auto-solve, SLA alerts...), or null. */
  readonly dueAt: number | null;
  readonly customerId: string;
  /** The inbound contact's id in the system it came from, for deduplication. */
  readonly externalId: string | null;
}

/** What a save writes, all at once. */
export interface TicketWrite {
  readonly snapshot: TicketSnapshot;
  readonly workflowKey: string;
  readonly dueAt: number | null;
  readonly customerId: string;
  readonly externalId: string | null;
  /** The events applied since the version the writer loaded, in order. */
  readonly events: readonly TicketEvent[];
  /**
   * The effects the host must perform because of these events (what the desk call returns). A
   * database store writes them to an outbox in the same transaction, so an effect is recorded
   * exactly when its events are; the memory store ignores them.
   */
  readonly effects?: readonly DeskEffect[];
  /** Keys of the ticket's messages (channel-scoped message ids) to index for threading and deduplication. */
  readonly messageKeys?: readonly string[];
}

/** The outcome of a save: the new version, or a conflict with the version found. */
export type SaveResult =
  | { readonly ok: true; readonly version: number }
  | {
      readonly ok: false;
      readonly reason: 'version_conflict' | 'external_id_taken';
      readonly version: number;
    };

/** One customer on the blocklist: who put them there, when and why. */
export interface BlocklistEntry {
  readonly customerId: string;
  readonly reason: string;
  readonly by: string;
  readonly at: number;
}

/** A record of a blocklist change, kept for audit. */
export interface BlocklistChange extends BlocklistEntry {
  readonly action: 'add' | 'remove';
}

/** A range of instants (epoch ms), `from` included, `to` excluded. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

/**
 * Where a desk keeps its tickets. Every method is async so a database can implement it (see
 * issue 10 for PostgreSQL); {@link createMemoryStore} is the default. The semantics a store must
 * keep:
 *
 * - `save(ticketId, expectedVersion, write)` is **atomic and conditional**: when the stored
 *   version equals `expectedVersion` (0 for a ticket that does not exist yet), it writes the
 *   snapshot, the indexes (`dueAt`, `externalId`) and appends `write.events` in one step and
 *   returns the new version; otherwise it writes nothing and returns a conflict with the version
 *   it found. A new ticket whose `externalId` another ticket already has is refused the same way
 *   (`external_id_taken`). Nothing is ever half-written. An event whose id the ticket's log
 *   already holds is not appended again (the log is keyed by ticket and event id).
 * - `dueTickets(now)` lists the ids of tickets whose `dueAt` is at or before `now` (an index,
 *   not a scan, in a database), earliest first.
 * - `events(range)` yields every stored event in the order it was saved, optionally only those
 *   whose `at` falls in the range; `ticketEvents(id)` one ticket's log in order.
 * - The blocklist survives restarts and keeps an audit trail of changes.
 */
export interface TicketStore {
  load(ticketId: string): Promise<StoredTicket | null>;
  save(ticketId: string, expectedVersion: number, write: TicketWrite): Promise<SaveResult>;
  findByExternalId(externalId: string): Promise<string | null>;
  dueTickets(now: number, limit?: number): Promise<readonly string[]>;
  ticketEvents(ticketId: string): Promise<readonly TicketEvent[]>;
  events(range?: TimeRange): AsyncIterable<TicketEvent>;
  /** The ids of every stored ticket, in creation order. */
  ticketIds(): AsyncIterable<string>;
  blocklist: {
    add(entry: BlocklistEntry): Promise<void>;
    remove(customerId: string, change: { by: string; at: number; reason?: string }): Promise<boolean>;
    get(customerId: string): Promise<BlocklistEntry | null>;
    list(): Promise<readonly BlocklistEntry[]>;
    history(): Promise<readonly BlocklistChange[]>;
  };
}

interface Row {
  ticket: StoredTicket;
  events: TicketEvent[];
  /** The ids in `events`: the log's key, as a database's unique (ticket id, event id). */
  ids: Set<string>;
}

/**
 * The in-memory {@link TicketStore}: the default of `createDesk`, and the reference a database
 * store must behave like. Due times are kept in a heap, so a save costs O(log n) and `dueTickets`
 * costs the number of due tickets, not the number of tickets.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * const desk = createDesk({ store });
 * await store.findByExternalId('mail-1');
 * //=> null
 * ```
 */
export function createMemoryStore(): TicketStore {
  const rows = new Map<string, Row>();
  const byExternalId = new Map<string, string>();
  const log: TicketEvent[] = [];
  // Due times: a min-heap of (dueAt, ticketId) with lazy deletion: an entry counts only while it
  // matches `dueOf`. Saving costs O(log n) and listing costs the due entries (plus stale ones),
  // never the whole set; the heap is rebuilt when stale entries outnumber live ones.
  let heap: { at: number; id: string }[] = [];
  const dueOf = new Map<string, number>();
  const earlier = (a: { at: number; id: string }, b: { at: number; id: string }) =>
    a.at < b.at || (a.at === b.at && a.id < b.id);
  const push = (entry: { at: number; id: string }) => {
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i] as { at: number; id: string }, heap[parent] as { at: number; id: string })) break;
      [heap[i], heap[parent]] = [
        heap[parent] as { at: number; id: string },
        heap[i] as { at: number; id: string },
      ];
      i = parent;
    }
  };
  const live = (entry: { at: number; id: string }) => dueOf.get(entry.id) === entry.at;
  const index = (at: number | null, id: string) => {
    if (at === null) dueOf.delete(id);
    else if (dueOf.get(id) !== at) {
      dueOf.set(id, at);
      push({ at, id });
    }
    if (heap.length > 64 && heap.length > 2 * dueOf.size) {
      heap = [];
      for (const [ticketId, dueAt] of dueOf) push({ at: dueAt, id: ticketId });
    }
  };

  const blocked = new Map<string, BlocklistEntry>();
  const history: BlocklistChange[] = [];

  return {
    async load(ticketId) {
      return rows.get(ticketId)?.ticket ?? null;
    },
    async save(ticketId, expectedVersion, write) {
      const row = rows.get(ticketId);
      const current = row?.ticket.version ?? 0;
      if (current !== expectedVersion) return { ok: false, reason: 'version_conflict', version: current };
      if (!row && write.externalId !== null && byExternalId.has(write.externalId)) {
        return { ok: false, reason: 'external_id_taken', version: 0 };
      }
      const ticket: StoredTicket = {
        ticketId,
        snapshot: write.snapshot,
        version: current + 1,
        workflowKey: write.workflowKey,
        dueAt: write.dueAt,
        customerId: write.customerId,
        externalId: row?.ticket.externalId ?? write.externalId,
      };
      index(ticket.dueAt, ticketId);
      if (!row && ticket.externalId !== null) byExternalId.set(ticket.externalId, ticketId);
      const events = row?.events ?? [];
      const ids = row?.ids ?? new Set<string>();
      for (const event of write.events) {
        if (ids.has(event.id)) continue;
        ids.add(event.id);
        events.push(event);
        log.push(event);
      }
      rows.set(ticketId, { ticket, events, ids });
      return { ok: true, version: ticket.version };
    },
    async findByExternalId(externalId) {
      return byExternalId.get(externalId) ?? null;
    },
    async dueTickets(now, limit = Number.POSITIVE_INFINITY) {
      // Walk the heap from the top, pruning below entries later than `now`.
      const found: { at: number; id: string }[] = [];
      const seen = new Set<string>();
      const stack = heap.length > 0 ? [0] : [];
      while (stack.length > 0) {
        const i = stack.pop() as number;
        const entry = heap[i] as { at: number; id: string };
        if (entry.at > now) continue;
        // An id may have two live-looking entries (due, not due, due again at the same instant).
        if (live(entry) && !seen.has(entry.id)) {
          seen.add(entry.id);
          found.push(entry);
        }
        for (const child of [2 * i + 1, 2 * i + 2]) if (child < heap.length) stack.push(child);
      }
      found.sort((a, b) => (earlier(a, b) ? -1 : 1));
      return found.slice(0, Math.min(found.length, limit)).map((entry) => entry.id);
    },
    async ticketEvents(ticketId) {
      return [...(rows.get(ticketId)?.events ?? [])];
    },
    async *events(range = {}) {
      const from = range.from ?? Number.NEGATIVE_INFINITY;
      const to = range.to ?? Number.POSITIVE_INFINITY;
      for (const event of [...log]) if (event.at >= from && event.at < to) yield event;
    },
    async *ticketIds() {
      for (const id of [...rows.keys()]) yield id;
    },
    blocklist: {
      async add(entry) {
        blocked.set(entry.customerId, entry);
        history.push({ ...entry, action: 'add' });
      },
      async remove(customerId, change) {
        if (!blocked.delete(customerId)) return false;
        history.push({
          customerId,
          reason: change.reason ?? '',
          by: change.by,
          at: change.at,
          action: 'remove',
        });
        return true;
      },
      async get(customerId) {
        return blocked.get(customerId) ?? null;
      },
      async list() {
        return [...blocked.values()];
      },
      async history() {
        return [...history];
      },
    },
  };
}
