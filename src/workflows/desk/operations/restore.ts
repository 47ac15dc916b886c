import { isResolvedStatus } from '../../../model/index.js';
import { parseTicketSnapshot } from '../../ticket/snapshot.js';
import type { DeskDeps } from '../deps.js';
import { holderOf, needsAgent } from '../store.js';

/**
 * Checks the store and forgets what the desk read of it: every stored snapshot is parsed (a
 * damaged one is refused with `invalid_snapshot`), and the counts of live, held and waiting
 * tickets are taken from it. The desk keeps no state of its own to rebuild: loads, the waiting
 * list, the router's memory and the NPS throttle are the store's.
 */
export async function restore(deps: DeskDeps): Promise<{ tickets: number; held: number; waiting: number }> {
  deps.shared.forget();
  let tickets = 0;
  let held = 0;
  let waiting = 0;
  for await (const { ticket } of deps.store.stream()) {
    const snapshot = parseTicketSnapshot(ticket.snapshot, `the stored snapshot of ticket ${ticket.ticketId}`);
    if (!isResolvedStatus(snapshot.status)) tickets++;
    if (holderOf(snapshot) !== null) held++;
    if (needsAgent(snapshot)) waiting++;
  }
  return { tickets, held, waiting };
}
