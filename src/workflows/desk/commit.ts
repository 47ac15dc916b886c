import { CarekitError } from '../../model/index.js';
import type { WorkflowErrorCode } from '../errors.js';
import { parseTicketSnapshot } from '../ticket/snapshot.js';
import type { DeskDeps } from './deps.js';
import { type Draft, newDraft, toWrite } from './draft.js';
import type { SaveRefusal, StoredTicket } from './store.js';

/** What one attempt decided: a draft to save (and the result to give once saved), or a result alone. */
export type Decision<R> =
  | {
      readonly draft: Draft;
      readonly result: (draft: Draft) => R;
      /**
       * Tickets the decision read and copied from (a follow-up copies its origin's customer and
       * subject, a child its parent's customer): the draft is saved only while each is still at
       * the version read, in one atomic `saveMany` with a conditional save of each (no event: its
       * version is the check). An erasure or any other write between the read and the save
       * refuses the draft, and the next attempt decides on what the store holds then.
       */
      readonly guards?: readonly StoredTicket[];
    }
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
    const guards = decision.guards ?? [];
    const saved =
      guards.length === 0
        ? await saveDraft(deps, draft)
        : (await saveTogether(deps, [draft, ...guards.map((g) => draftOf(deps, g))]))[0] === true;
    if (saved) return (decision.result as (draft: Draft) => R)(draft);
  }
  throw new CarekitError<WorkflowErrorCode>(
    'version_conflict',
    `${what} met a concurrent change ${deps.options.maxAttempts} times in a row and was not applied; nothing changed`,
  );
}

/** Each desk's calls in progress per ticket: the tail of each ticket's queue. */
const turns = new WeakMap<DeskDeps, Map<string, Promise<unknown>>>();

/**
 * Runs `run` when this desk's earlier calls on the same ticket are done. Calls of one desk on one
 * ticket would otherwise all read the same version and all but one be refused, again and again:
 * a burst of ten messages to one ticket made the last one fail after `maxAttempts` conflicts.
 * Other tickets' calls still run (and share a group commit) meanwhile; other workers' writes are
 * still caught by the conditional save. A scheduling aid, not a decision: nothing is kept.
 */
export function inTurn<T>(deps: DeskDeps, ticketId: string, run: () => Promise<T>): Promise<T> {
  let queues = turns.get(deps);
  if (queues === undefined) {
    queues = new Map();
    turns.set(deps, queues);
  }
  const before = queues.get(ticketId);
  const result = before === undefined ? run() : before.then(run, run);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  queues.set(ticketId, tail);
  void tail.then(() => {
    if (queues.get(ticketId) === tail) queues.delete(ticketId);
  });
  return result;
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
    await forgetRefused(deps, draft, saved.reason);
    return false;
  }
  keepSaved(deps, draft, saved.version, write.dueAt);
  return true;
}

/**
 * Drops what the desk read that a refusal contradicts: its copy of the ticket, and the loads after
 * `agent_full` or the customer after `survey_throttled` (read again at once).
 */
async function forgetRefused(deps: DeskDeps, draft: Draft, reason: SaveRefusal): Promise<void> {
  deps.loader.keep(draft.ticketId, null);
  if (reason === 'agent_full') deps.shared.forget();
  else if (reason === 'survey_throttled') {
    deps.shared.forget(draft.customerId);
    await deps.shared.customer(draft.customerId);
  }
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

/** A draft of a stored ticket at its stored version, with nothing applied yet. */
export function draftOf(deps: DeskDeps, stored: StoredTicket): Draft {
  return newDraft({
    ticketId: stored.ticketId,
    wf: deps.workflow(stored.workflowKey),
    workflowKey: stored.workflowKey,
    version: stored.version,
    customerId: stored.customerId,
    externalId: stored.externalId,
    snapshot: stored.snapshot,
  });
}

/**
 * Saves the drafts of two (or more) tickets in one atomic `saveMany`: the store locks their rows
 * together and checks each version, and writes all of them or none. Of two operations deciding on
 * the same tickets at once (two workers), the second finds a version changed and writes nothing,
 * even when a third writer changed only one of its tickets meanwhile (a merge and the opposite
 * merge can never both land). Returns which drafts were saved (all or none); the caller decides
 * again on what the store holds now.
 */
export async function saveTogether(deps: DeskDeps, drafts: readonly Draft[]): Promise<boolean[]> {
  const requests = drafts.map((d) => ({
    ticketId: d.ticketId,
    expectedVersion: d.version,
    write: toWrite(deps, d),
  }));
  let results: Awaited<ReturnType<DeskDeps['store']['saveMany']>>;
  try {
    results = await deps.store.saveMany(requests, { trusted: true, atomic: true });
  } finally {
    for (const d of drafts) for (const agentId of d.reserved) deps.shared.unreserve(agentId);
  }
  const saved: boolean[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as Draft;
    const result = results[i];
    if (result?.ok === true) {
      keepSaved(deps, d, result.version, (requests[i] as (typeof requests)[number]).write.dueAt);
      saved.push(true);
    } else {
      await forgetRefused(deps, d, result?.reason ?? 'version_conflict');
      saved.push(false);
    }
  }
  return saved;
}

/** Whether a ticket the desk read has changed in the store since (or is gone). */
export async function changedSince(deps: DeskDeps, read: StoredTicket): Promise<boolean> {
  const current = await load(deps, read.ticketId);
  return current === null || current.version !== read.version;
}
