/** One caller's read, waiting for its batch. */
interface Waiter<V> {
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Concurrent reads of one kind share a query: the first read of an idle store goes at once
 * (`one`), and the reads that arrive while a query is under way go together next (`many`, one
 * statement for all their keys). A read is always answered by a query that started after it was
 * asked, so it sees every write that finished before it, as a read of its own would; it only
 * waits for the query ahead of it instead of taking a connection of its own.
 */
export function coalesced<V>(
  one: (key: string) => Promise<V>,
  many: (keys: readonly string[]) => Promise<ReadonlyMap<string, Record<string, unknown>>>,
  read: (key: string, row: Record<string, unknown> | undefined) => V,
): (key: string) => Promise<V> {
  let queue = new Map<string, Waiter<V>[]>();
  let busy = false;
  const flush = async () => {
    busy = true;
    try {
      while (queue.size > 0) {
        const batch = queue;
        queue = new Map();
        const [only] = batch.keys();
        if (batch.size === 1 && only !== undefined) {
          const waiters = batch.get(only) as Waiter<V>[];
          if (waiters.length === 1) {
            await one(only).then(waiters[0]?.resolve, waiters[0]?.reject);
            continue;
          }
        }
        try {
          const rows = await many([...batch.keys()]);
          for (const [key, waiters] of batch) for (const w of waiters) w.resolve(read(key, rows.get(key)));
        } catch (error) {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      busy = false;
    }
  };
  return (key) =>
    new Promise<V>((resolve, reject) => {
      const waiters = queue.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else queue.set(key, [{ resolve, reject }]);
      if (!busy) void flush();
    });
}
