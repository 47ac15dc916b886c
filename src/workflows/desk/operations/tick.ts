import { Instant, parseInput } from '../../../model/index.js';
import { compareBacklog } from '../../../routing/index.js';
import type { TicketView } from '../../ticket/view.js';
import type { Rejection } from '../../ticket/workflow.js';
import { commit, load } from '../commit.js';
import type { DeskDeps } from '../deps.js';
import { applyEvent, newDraft, perform } from '../draft.js';
import { needsAgent, routingTicketOf, waitingSince } from '../state/assignments.js';
import type { DeskBatchResult, DeskEffect, DeskResult, DeskWarning } from '../types.js';
import { deliver } from './handle.js';

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

/** Wakes every due ticket with a `clock.tick`, then routes again the tickets waiting for a person. */
export async function tick(deps: DeskDeps, input: number): Promise<DeskBatchResult> {
  const now = parseInput(Instant, input, 'the time of the tick');
  await deps.ready();
  const batch = new Batch();
  for (const ticketId of await deps.store.dueTickets(now)) {
    batch.add(await deliver(deps, { type: 'clock.tick', id: `${ticketId}:tick:${now}`, ticketId, at: now }));
  }
  await routeWaiting(deps, now, batch);
  return batch.result();
}

/**
 * Tries again to route the tickets that found no person, in backlog order (SLA due first, then
 * priority, then age). A ticket that has waited longer than the fallback's `after` goes to its
 * fallback: any agent of its tier with room, or a named queue.
 */
async function routeWaiting(deps: DeskDeps, now: number, batch: Batch): Promise<void> {
  const waiting = deps.assignments.waiting();
  if (waiting.length === 0) return;
  const order = waiting
    .map((snapshot) => ({ snapshot, key: routingTicketOf(snapshot, now, snapshot.context.tier, []) }))
    .sort((a, b) => compareBacklog(a.key, b.key));
  const fallback = deps.options.fallback;
  for (const { snapshot } of order) {
    const ticketId = snapshot.context.ticketId;
    const overdue = fallback !== null && now - waitingSince(snapshot) >= fallback.afterMs;
    const result = await commit<DeskResult | null>(deps, `routing ticket ${ticketId}`, async () => {
      const stored = await load(deps, ticketId);
      if (stored === null || !needsAgent(stored.snapshot)) return { result: null };
      const draft = newDraft({
        ...stored,
        wf: deps.workflow(stored.workflowKey),
        snapshot: stored.snapshot,
      });
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
        perform(deps, draft);
        if (overdue && draft.events.length > 0)
          draft.warnings.push({
            code: 'fallback',
            message: `${ticketId} waited too long and went to an agent without its language or skills`,
            ticketId,
          });
      }
      if (draft.events.length === 0) return { result: null };
      const effects = draft.effects.filter((e) => e.type !== 'route' || e.causedBy !== causedBy);
      draft.effects.splice(0, draft.effects.length, ...effects);
      return {
        draft,
        result: (d) => ({ ticket: d.wf.view(d.snapshot, at), effects: d.effects, warnings: d.warnings }),
      };
    });
    batch.add(result);
  }
}
