import type { SaveRequest, SaveResult, StoredTicket, TicketStore } from '../store.js';

/** Saves in one group commit at most (a database's statement size stays reasonable). */
const MAX_BATCH = 200;
/**
 * Group commits a desk has in flight at once: while one transaction waits on the database, the
 * next batch is already being written (a store locks a batch's rows in one global order, so two
 * batches cannot deadlock).
 */
const FLUSHES = 2;

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: concurrent saves share one `saveMany`. The first save of an idle desk goes at
 * once; saves that arrive while a batch is being written wait for it and then go together, so a
 * busy desk writes one transaction per round trip, not one per call, and an idle one adds no
 * delay. Each caller gets its own result; a batch the store throws on (a malformed write) is
 * saved again one by one, so only the bad write fails.
 */
export class GroupCommit {
  private queue: { request: SaveRequest; waiter: Waiter<SaveResult> }[] = [];
  private flushing = 0;
  private scheduled = false;

  constructor(private readonly store: TicketStore) {}

  save(request: SaveRequest): Promise<SaveResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, waiter: { resolve, reject } });
      this.schedule();
    });
  }

  /**
   * Starts a flush after the current synchronous burst of saves (a microtask later), so saves
   * made together (a tick's, a merge's) share one transaction and reach the store in the order
   * they were made: the router's sequence numbers, given in the order of a batch's assignments,
   * then follow the order of the desk's decisions instead of a race between two transactions.
   */
  private schedule(): void {
    if (this.scheduled || this.flushing >= FLUSHES) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.flushing < FLUSHES && this.queue.length > 0) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const requests = batch.map((entry) => entry.request);
        let results: readonly SaveResult[] | null = null;
        try {
          results =
            requests.length === 1
              ? [
                  await this.store.save(
                    requests[0]?.ticketId as string,
                    requests[0]?.expectedVersion as number,
                    requests[0]?.write as SaveRequest['write'],
                    { trusted: true },
                  ),
                ]
              : await this.store.saveMany(requests, { trusted: true });
        } catch (error) {
          if (batch.length === 1) {
            batch[0]?.waiter.reject(error);
            continue;
          }
        }
        if (results !== null) {
          for (const [i, entry] of batch.entries()) entry.waiter.resolve(results[i] as SaveResult);
          continue;
        }
        // One write of the batch was refused by the store: save them alone, in order.
        for (const { request, waiter } of batch) {
          try {
            waiter.resolve(
              await this.store.save(request.ticketId, request.expectedVersion, request.write, {
                trusted: true,
              }),
            );
          } catch (error) {
            waiter.reject(error);
          }
        }
      }
    } finally {
      this.flushing--;
    }
  }
}

/** Tickets a desk keeps as it last saved them (least recently used dropped). */
const KEPT = 10_000;

/**
 * Batched loads: concurrent loads share one `loadMany`, the same way saves share a group commit
 * (the first goes at once, the ones that arrive meanwhile go together next). It also keeps each
 * ticket as the desk last saved it, so a desk that holds the ticket at the version it wrote skips
 * the read ({@link BatchLoader.recent}); the save's version check still catches a copy another
 * worker made stale, and the desk then reads the store.
 */
export class BatchLoader {
  private queue = new Map<string, Waiter<StoredTicket | null>[]>();
  private busy = false;
  private readonly kept = new Map<string, StoredTicket>();

  constructor(private readonly store: TicketStore) {}

  /** The ticket as this desk last saved it, if it still has it. */
  recent(ticketId: string): StoredTicket | null {
    const found = this.kept.get(ticketId);
    if (found === undefined) return null;
    this.kept.delete(ticketId);
    this.kept.set(ticketId, found);
    return found;
  }

  /** Keeps a ticket the desk saved (or forgets it, with null: its copy proved stale). */
  keep(ticketId: string, ticket: StoredTicket | null): void {
    this.kept.delete(ticketId);
    if (ticket === null) return;
    this.kept.set(ticketId, ticket);
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value as string);
  }

  load(ticketId: string): Promise<StoredTicket | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.queue.get(ticketId);
      if (waiters) waiters.push({ resolve, reject });
      else this.queue.set(ticketId, [{ resolve, reject }]);
      if (!this.busy) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.size > 0) {
        const batch = this.queue;
        this.queue = new Map();
        const ids = [...batch.keys()];
        try {
          const found =
            ids.length === 1
              ? [await this.store.load(ids[0] as string)].filter((t): t is StoredTicket => t !== null)
              : await this.store.loadMany(ids);
          const byId = new Map(found.map((ticket) => [ticket.ticketId, ticket]));
          for (const [id, waiters] of batch) for (const w of waiters) w.resolve(byId.get(id) ?? null);
        } catch (error) {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
