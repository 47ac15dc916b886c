import { z } from 'zod';
import { Id, Instant, parseInput } from '../../../model/index.js';
import { BlocklistEntry } from '../blocklistEntry.js';
import type { DeskDeps } from '../deps.js';
import type { BlocklistChange } from '../store.js';

const RemovalInput = z.strictObject({
  customerId: Id,
  by: Id,
  at: Instant,
  reason: z.string().max(2000).optional(),
});

/** The desk's blocklist: every change checked before the store sees it, and kept for audit. */
export function blocklist(deps: DeskDeps) {
  return {
    async add(customerId: string, entry: { reason: string; by: string; at: number }): Promise<void> {
      const parsed = parseInput(BlocklistEntry, { ...(entry as object), customerId }, 'blocklist entry');
      await deps.store.blocklist.add(parsed);
    },
    async remove(customerId: string, change: { by: string; at: number; reason?: string }): Promise<boolean> {
      const parsed = parseInput(
        RemovalInput,
        typeof change === 'object' && change !== null ? { ...change, customerId } : change,
        'blocklist removal',
      );
      return deps.store.blocklist.remove(parsed.customerId, {
        by: parsed.by,
        at: parsed.at,
        ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
      });
    },
    async has(customerId: string): Promise<boolean> {
      return (await deps.store.blocklist.get(parseInput(Id, customerId, 'customer id'))) !== null;
    },
    list: (): Promise<readonly BlocklistEntry[]> => deps.store.blocklist.list(),
    history: (): Promise<readonly BlocklistChange[]> => deps.store.blocklist.history(),
  };
}
