import { z } from 'zod';
import { Agent, type AgentInput, Instant, parseInput } from '../../../model/index.js';
import { commit, load } from '../commit.js';
import type { DeskDeps } from '../deps.js';
import { applyEvent, newDraft, perform } from '../draft.js';
import type { DeskBatchResult, DeskResult } from '../types.js';
import { Batch } from './tick.js';

const Agents = z.array(Agent).max(100_000);

const present = (agent: AgentInput) =>
  (agent.availability ?? 'available') === 'available' || agent.availability === 'busy';

/** The agent ids events may name: the roster, the bot's id and the router's. Null without a roster. */
export function knownAgents(agents: readonly AgentInput[], botId: string | null): ReadonlySet<string> | null {
  if (agents.length === 0) return null;
  return new Set([...agents.map((a) => a.id), ...(botId ? [botId] : []), 'router', 'desk']);
}

/**
 * Replaces the team. Both arguments are checked before anything changes. The new or open
 * tickets of agents who are no longer available go to someone else of their tier, or wait
 * (unassigned, so the next tick routes them).
 */
export async function setAgents(
  deps: DeskDeps,
  list: readonly AgentInput[],
  input: number,
): Promise<DeskBatchResult> {
  const next = parseInput(Agents, list, 'agents');
  const at = parseInput(Instant, input, 'the time of the change');
  await deps.ready();
  const leaving = new Set(deps.agents.filter(present).map((a) => a.id));
  for (const agent of next) if (present(agent)) leaving.delete(agent.id);
  deps.agents = next;
  deps.known = knownAgents(next, deps.botPolicy?.agentId ?? null);
  const batch = new Batch();
  const held = leaving.size === 0 ? [] : await deps.store.heldBy([...leaving]);
  for (const { ticketId } of held) {
    const result = await commit<DeskResult | null>(deps, `handing over ticket ${ticketId}`, async () => {
      const stored = await load(deps, ticketId);
      const context = stored?.snapshot.context;
      if (!stored || !context?.assigneeId || !leaving.has(context.assigneeId)) return { result: null };
      if (stored.snapshot.status !== 'new' && stored.snapshot.status !== 'open') return { result: null };
      const draft = newDraft({
        ...stored,
        wf: deps.workflow(stored.workflowKey),
        snapshot: stored.snapshot,
      });
      const when = Math.max(at, context.lastEventAt);
      const causedBy = `${ticketId}:handover:${at}`;
      const reason = `${context.assigneeId} is no longer available`;
      draft.pending.push({
        type: 'route',
        id: `${ticketId}/${causedBy}/route/0`,
        ticketId,
        at: when,
        causedBy,
        tier: context.tier,
        queue: null,
        reason,
      });
      await perform(deps, draft);
      if (draft.events.length === 0) {
        // Nobody can take it now: it waits, unassigned, for the next tick.
        applyEvent(draft, {
          type: 'ticket.assigned',
          id: `${causedBy}:unassign`,
          ticketId,
          at: when,
          agentId: null,
          by: 'desk',
        });
      }
      return {
        draft,
        result: (d) => ({
          ticket: d.wf.view(d.snapshot, { now: when }),
          effects: d.effects,
          warnings: d.warnings,
        }),
      };
    });
    batch.add(result);
  }
  return batch.result();
}
