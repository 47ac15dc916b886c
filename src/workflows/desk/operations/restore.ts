import { parseTicketSnapshot } from '../../ticket/snapshot.js';
import type { DeskDeps } from '../deps.js';

/**
 * Rebuilds the desk's state from the store: holders and waiting tickets and the NPS throttle
 * from every saved snapshot, the router's memory from the log of its assignments in save order.
 */
export async function restore(deps: DeskDeps): Promise<{ tickets: number; held: number; waiting: number }> {
  deps.assignments.clear();
  deps.throttle.clear();
  const customers = new Map<string, string>();
  let tickets = 0;
  for await (const ticketId of deps.store.ticketIds()) {
    const stored = await deps.store.load(ticketId);
    if (!stored) continue;
    const snapshot = parseTicketSnapshot(stored.snapshot, `the stored snapshot of ticket ${ticketId}`);
    customers.set(ticketId, stored.customerId);
    deps.assignments.record(snapshot, []);
    deps.throttle.record(snapshot);
    if (!['solved', 'closed', 'merged'].includes(snapshot.status)) tickets++;
  }
  for await (const event of deps.store.events()) {
    if (event.type === 'ticket.assigned' && event.by === 'router') {
      deps.assignments.remember(event, customers.get(event.ticketId) ?? '');
    }
  }
  const loads = deps.assignments.routerState().loads;
  const held = Object.values(loads).reduce((sum, n) => sum + n, 0);
  return { tickets, held, waiting: deps.assignments.waiting().length };
}
