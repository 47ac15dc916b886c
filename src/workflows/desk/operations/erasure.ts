import type { DeskDeps } from '../deps.js';
import type { ErasureOptions, ErasureResult } from '../store.js';

/**
 * Erases a customer's personal data through the store (`store.eraseCustomer`) and drops the
 * desk's own copies of the tickets it changed (the tickets it last saved, kept to skip a read):
 * nothing erased stays in the desk's memory, and its next decision about those tickets reads the
 * erased copy. Another desk over the same store still holds its copies until its next save of
 * them is refused (`version_conflict`) and decided again on the erased ticket.
 */
export async function eraseCustomer(
  deps: DeskDeps,
  customerId: string,
  options: ErasureOptions,
): Promise<ErasureResult> {
  await deps.ready();
  const result = await deps.store.eraseCustomer(customerId, options);
  for (const ticketId of result.ticketIds) deps.loader.keep(ticketId, null);
  return result;
}
