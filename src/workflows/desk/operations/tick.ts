import { Instant, parseInput, type TicketEvent } from '../../../model/index.js';
import { compareBacklog } from '../../../routing/index.js';
import { parseTicketSnapshot } from '../../ticket/snapshot.js';
import type { TicketView } from '../../ticket/view.js';
import type { Rejection } from '../../ticket/workflow.js';
import { commit, load, saveDraft } from '../commit.js';
import type { DeskDeps } from '../deps.js';
import { applyEvent, type Draft, newDraft, perform } from '../draft.js';
import { routingTicketOf } from '../state/shared.js';
import { needsAgent, type StoredTicket, waitingSince } from '../store.js';
import type { DeskBatchResult, DeskEffect, DeskResult, DeskWarning } from '../types.js';
import { deliver, timeRule } from './handle.js';
import { syncChild } from './relations.js';

/** Collects the results of many calls into one batch result. */
export class Batch {
  readonly tickets: TicketView[] = [];
  readonly effects: DeskEffect[] = [];
  readonly warnings: DeskWarning[] = [];
  readonly rejections: Rejection[] = [];

  add(result: DeskResult | null): void {
    if (result === null || result.duplicate) return;
    if (result.rejected) this.rejections.push(result.rejected);
    else this.tickets.push(result.ticket);
    if (result.followUp) this.tickets.push(result.followUp);
    this.effects.push(...result.effects);
    this.warnings.push(...result.warnings);
  }

  result(): DeskBatchResult {
    return {
      tickets: this.tickets,
      effects: this.effects,
      warnings: this.warnings,
      rejections: this.rejections,
    };
  }
}

/** Due tickets a tick takes at once: claimed in one query, decided together, saved in shared batches. */
const CLAIM_BATCH = 1000;

/**
 * Wakes every due ticket with a `clock.tick`, then routes again the tickets waiting for a person.
 * Due tickets are claimed from the store (`claimDue`), so desks ticking at once each wake a
 * disjoint set, and a crashed desk's claims expire; the claimed tickets are decided together and
 * their saves share group commits.
 */
export async function tick(deps: DeskDeps, input: number): Promise<DeskBatchResult> {
  const now = parseInput(Instant, input, 'the time of the tick');
  await deps.ready();
  const batch = new Batch();
  const seen = new Set<string>();
  for (;;) {
    const claimed = await deps.store.claimDue(now, {
      owner: deps.owner,
      limit: CLAIM_BATCH,
      leaseMs: deps.options.tickLeaseMs,
    });
    const fresh = claimed.filter((t) => !seen.has(t.ticketId));
    if (fresh.length === 0) break;
    for (const t of fresh) seen.add(t.ticketId);
    await Promise.all([...new Set(fresh.map((t) => t.customerId))].map((c) => deps.shared.customer(c)));
    // Decided one after another in claim order (the router sees each assignment before the next
    // decision), saved together: the saves share group commits.
    const decided: (Draft | null)[] = [];
    for (const stored of fresh) decided.push(await decideTick(deps, stored, now));
    const saved = await Promise.all(decided.map((draft) => (draft === null ? null : saveDraft(deps, draft))));
    const untouched: string[] = [];
    for (const [i, stored] of fresh.entries()) {
      const draft = decided[i] ?? null;
      if (draft !== null && saved[i] === true) {
        const result: DeskResult = {
          ticket: draft.wf.view(draft.snapshot, { now: now }),
          effects: draft.effects,
          warnings: draft.warnings,
        };
        // A child solved or closed by its deadline tells its parent, as a handled solve does.
        batch.add(result.ticket.parentId === null ? result : await withParentSynced(deps, result, now));
        continue;
      }
      // Nothing to do, or the save was refused (another call saved the ticket first): the
      // one-ticket path decides again on what the store holds now.
      const result = await deliver(deps, tickEvent(stored.ticketId, now));
      if (result.duplicate === true || result.rejected !== undefined) untouched.push(stored.ticketId);
      batch.add(result);
    }
    // A tick that changed nothing saved nothing: give its claim back.
    if (untouched.length > 0) await deps.store.releaseDue(untouched, deps.owner);
    if (claimed.length < CLAIM_BATCH) break;
  }
  await routeWaiting(deps, now, batch);
  return batch.result();
}

/** A child's tick result with its parent told where the child stands (`done` once solved or closed). */
async function withParentSynced(deps: DeskDeps, result: DeskResult, now: number): Promise<DeskResult> {
  const synced = await syncChild(deps, result.ticket.ticketId, {
    at: Math.max(now, result.ticket.lastEventAt),
  });
  if (synced.effects.length === 0 && synced.warnings.length === 0) return result;
  return {
    ...result,
    effects: [...result.effects, ...synced.effects],
    warnings: [...result.warnings, ...synced.warnings],
  };
}

const tickEvent = (ticketId: string, now: number): TicketEvent => ({
  type: 'clock.tick',
  id: `${ticketId}:tick:${now}`,
  ticketId,
  at: now,
});

/** A claimed ticket's `clock.tick`, decided in memory; null when the one-ticket path must take it. */
async function decideTick(deps: DeskDeps, stored: StoredTicket, now: number): Promise<Draft | null> {
  const snapshot = parseTicketSnapshot(stored.snapshot, `the stored snapshot of ticket ${stored.ticketId}`);
  const event = tickEvent(stored.ticketId, now);
  if (snapshot.context.eventIds.includes(event.id)) return null;
  const draft = newDraft({ ...stored, wf: deps.workflow(stored.workflowKey), snapshot });
  if (applyEvent(draft, timeRule(deps, event, snapshot.context.lastEventAt)) !== null) return null;
  if (draft.events.length === 0) return null;
  await perform(deps, draft);
  return draft;
}

/**
 * Tries again to route the tickets that found no person, in backlog order (SLA due first, then
 * priority, then age). A ticket that has waited longer than the fallback's `after` goes to its
 * fallback: any agent of its tier with room, or a named queue.
 */
async function routeWaiting(deps: DeskDeps, now: number, batch: Batch): Promise<void> {
  // A desk without agents assigns nobody, and without a queue fallback moves nobody either: every
  // decision would be "waits" (decideRoute's null), so the waiting list is not read at all.
  const fallback = deps.options.fallback;
  if (deps.agents.length === 0 && (fallback === null || fallback.to === 'any')) return;
  const waiting = await deps.store.waiting();
  if (waiting.length === 0) return;
  const order = waiting
    .map((stored) => ({
      stored,
      key: routingTicketOf(stored.snapshot, now, stored.snapshot.context.tier, []),
    }))
    .sort((a, b) => compareBacklog(a.key, b.key));
  // Decided one after another in backlog order (each sees the slots the earlier ones took),
  // on the copies the waiting list just read; saved together.
  const decided: { stored: StoredTicket; draft: Draft | null; at: number }[] = [];
  for (const { stored } of order) {
    parseTicketSnapshot(stored.snapshot, `the stored snapshot of ticket ${stored.ticketId}`);
    decided.push({ stored, draft: await decideRoute(deps, stored, now), at: now });
  }
  const saved = await Promise.all(
    decided.map(({ draft }) => (draft === null ? false : saveDraft(deps, draft))),
  );
  for (const [i, { stored, draft }] of decided.entries()) {
    if (draft === null) continue;
    if (saved[i]) {
      batch.add(routed(draft, now));
      continue;
    }
    // The store refused the save (the ticket changed, the agent filled up): decide again on what it holds.
    const ticketId = stored.ticketId;
    const result = await commit<DeskResult | null>(deps, `routing ticket ${ticketId}`, async () => {
      const fresh = await load(deps, ticketId);
      const again = fresh === null ? null : await decideRoute(deps, fresh, now);
      return again === null ? { result: null } : { draft: again, result: (d) => routed(d, now) };
    });
    batch.add(result);
  }
}

const routed = (draft: Draft, now: number): DeskResult => ({
  ticket: draft.wf.view(draft.snapshot, { now: Math.max(now, draft.snapshot.context.lastEventAt) }),
  effects: draft.effects,
  warnings: draft.warnings,
});

/**
 * One waiting ticket routed again: to a person, or (waited longer than the fallback's `after`) to
 * its fallback: any agent of its tier with room, or a named queue. Null when nothing changes.
 */
async function decideRoute(deps: DeskDeps, stored: StoredTicket, now: number): Promise<Draft | null> {
  if (!needsAgent(stored.snapshot)) return null;
  const fallback = deps.options.fallback;
  const ticketId = stored.ticketId;
  const overdue = fallback !== null && now - waitingSince(stored.snapshot) >= fallback.afterMs;
  const draft = newDraft({ ...stored, wf: deps.workflow(stored.workflowKey), snapshot: stored.snapshot });
  const at = Math.max(now, stored.snapshot.context.lastEventAt);
  const causedBy = `${ticketId}:waiting:${now}`;
  if (overdue && fallback !== null && fallback.to !== 'any') {
    applyEvent(draft, {
      type: 'ticket.assigned',
      id: causedBy,
      ticketId,
      at,
      agentId: null,
      queue: fallback.to.queue,
      by: 'desk',
    });
    draft.warnings.push({
      code: 'fallback',
      message: `${ticketId} waited too long for a person and moved to the ${fallback.to.queue} queue`,
      ticketId,
    });
  } else {
    draft.relaxed = overdue;
    draft.pending.push({
      type: 'route',
      id: `${ticketId}/${causedBy}/route/0`,
      ticketId,
      at,
      causedBy,
      tier: stored.snapshot.context.tier,
      queue: null,
      reason: overdue ? 'waited too long: any agent of its tier' : 'waiting for an agent',
    });
    await perform(deps, draft);
    if (overdue && draft.events.length > 0)
      draft.warnings.push({
        code: 'fallback',
        message: `${ticketId} waited too long and went to an agent without its language or skills`,
        ticketId,
      });
  }
  if (draft.events.length === 0) {
    for (const agentId of draft.reserved) deps.shared.unreserve(agentId);
    return null;
  }
  const effects = draft.effects.filter((e) => e.type !== 'route' || e.causedBy !== causedBy);
  draft.effects.splice(0, draft.effects.length, ...effects);
  return draft;
}
