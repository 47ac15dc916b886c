import { CarekitError } from '../../model/index.js';
import type { WorkflowErrorCode } from '../errors.js';
import { parseTicketSnapshot } from '../ticket/snapshot.js';
import type { DeskDeps } from './deps.js';
import { type Draft, toWrite } from './draft.js';
import type { StoredTicket } from './store.js';

/** What one attempt decided: a draft to save (and the result to give once saved), or a result alone. */
export type Decision<R> =
  | { readonly draft: Draft; readonly result: (draft: Draft) => R }
  | { readonly draft?: undefined; readonly result: R };

/**
 * The desk's one command loop: decide on what the store holds, save conditionally (through the
 * group commit, with the store's capacity and throttle claims), and when the store refuses (another
 * call saved the ticket first, the router's pick has no room left, another worker asked the
 * customer for NPS) decide again on the newer state. A refused or conflicting decision gives back
 * the router slots it reserved and leaves everything as it was; the desk keeps no decision of its
 * own, only a read-through view of the store's.
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
    if (await saveDraft(deps, draft)) return (decision.result as (draft: Draft) => R)(draft);
  }
  throw new CarekitError<WorkflowErrorCode>(
    'version_conflict',
    `${what} met a concurrent change ${deps.options.maxAttempts} times in a row and was not applied; nothing changed`,
  );
}

/**
 * Saves a draft through the group commit with the store's claims; true when saved. A refusal
 * gives back the draft's reserved slots and drops what the desk read that the store contradicts
 * (loads after `agent_full`, the customer after `survey_throttled`).
 */
export async function saveDraft(deps: DeskDeps, draft: Draft): Promise<boolean> {
  let saved: Awaited<ReturnType<DeskDeps['store']['save']>>;
  const write = toWrite(deps, draft);
  try {
    saved = await deps.writer.save({ ticketId: draft.ticketId, expectedVersion: draft.version, write });
  } finally {
    for (const agentId of draft.reserved) deps.shared.unreserve(agentId);
  }
  if (!saved.ok) {
    deps.loader.keep(draft.ticketId, null);
    if (saved.reason === 'agent_full') deps.shared.forget();
    else if (saved.reason === 'survey_throttled') {
      deps.shared.forget(draft.customerId);
      await deps.shared.customer(draft.customerId);
    }
    return false;
  }
  keepSaved(deps, draft, saved.version, write.dueAt);
  return true;
}

/**
 * What the desk keeps of a draft the store accepted: the shared state learns its changes, and the
 * loader holds the ticket at the version just saved (the next call skips the load).
 */
export function keepSaved(deps: DeskDeps, draft: Draft, version: number, dueAt: number | null): void {
  deps.shared.saved(draft.before, draft.snapshot, draft.events);
  deps.loader.keep(draft.ticketId, {
    ticketId: draft.ticketId,
    snapshot: draft.snapshot,
    version,
    workflowKey: draft.workflowKey,
    dueAt,
    customerId: draft.customerId,
    externalId: draft.externalId,
  });
}

/**
 * Loads a ticket (batched with the loads of concurrent calls) and checks its snapshot (a damaged
 * one is refused with `invalid_snapshot`); the customer's shared state is read before the first
 * decision about them.
 */
export async function load(deps: DeskDeps, ticketId: string): Promise<StoredTicket | null> {
  const stored = await deps.loader.load(ticketId);
  if (stored === null) return null;
  parseTicketSnapshot(stored.snapshot, `the stored snapshot of ticket ${ticketId}`);
  await deps.shared.customer(stored.customerId);
  return stored;
}
