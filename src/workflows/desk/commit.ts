import { CarekitError } from '../../model/index.js';
import { parseTicketSnapshot } from '../ticket/snapshot.js';
import type { DeskDeps } from './deps.js';
import { type Draft, toWrite } from './draft.js';
import type { StoredTicket } from './store.js';

/** What one attempt decided: a draft to save (and the result to give once saved), or a result alone. */
export type Decision<R> =
  | { readonly draft: Draft; readonly result: (draft: Draft) => R }
  | { readonly draft?: undefined; readonly result: R };

/**
 * The desk's one command loop: decide on what the store holds, save conditionally, and on a
 * version conflict (another call saved the ticket first) decide again on the newer state. Only
 * a saved decision changes the desk's state (the assignment ledger and the survey throttle take
 * in the saved snapshot); a refused or conflicting one gives back the router slots it reserved
 * and leaves everything as it was.
 */
export async function commit<R>(
  deps: DeskDeps,
  what: string,
  decide: (attempt: number) => Promise<Decision<R>> | Decision<R>,
): Promise<R> {
  await deps.ready();
  for (let attempt = 1; attempt <= deps.options.maxAttempts; attempt++) {
    const decision = await decide(attempt);
    if (decision.draft === undefined) return decision.result as R;
    const draft = decision.draft;
    let saved: Awaited<ReturnType<DeskDeps['store']['save']>>;
    try {
      saved = await deps.store.save(draft.ticketId, draft.version, toWrite(draft));
    } finally {
      for (const agentId of draft.reserved) deps.assignments.unreserve(agentId);
    }
    if (!saved.ok) continue;
    deps.assignments.record(draft.snapshot, draft.events);
    deps.throttle.record(draft.snapshot);
    return (decision.result as (draft: Draft) => R)(draft);
  }
  throw new CarekitError(
    'version_conflict',
    `${what} met a concurrent change ${deps.options.maxAttempts} times in a row and was not applied; nothing changed`,
  );
}

/** Loads a ticket and checks its snapshot (a damaged one is refused with `invalid_snapshot`). */
export async function load(deps: DeskDeps, ticketId: string): Promise<StoredTicket | null> {
  const stored = await deps.store.load(ticketId);
  if (stored === null) return null;
  parseTicketSnapshot(stored.snapshot, `the stored snapshot of ticket ${ticketId}`);
  return stored;
}
