import type { TicketEvent } from '../../model/index.js';
import { durationToMs, FINAL_STATUSES } from '../../model/index.js';
import type { RouterState } from '../../routing/index.js';
import type { TicketSnapshot } from '../ticket/context.js';
import type { RouteEffect } from '../ticket/effects.js';
import type { Rejection, TicketWorkflow } from '../ticket/workflow.js';
import type { DeskDeps } from './deps.js';
import { promiseVariables, renderContext, renderMessage, surveyTemplateId } from './stages/render.js';
import { routingTicketOf } from './state/shared.js';
import { holderOf, type TicketWrite } from './store.js';
import type { DeskEffect, DeskWarning, DeskWarningCode } from './types.js';

const FINAL = new Set<string>(FINAL_STATUSES);

/**
 * What one decision about one ticket builds before it is saved: the snapshot it reaches, the
 * events to append, the effects for the host, the effects still to perform, warnings, message
 * keys to index and router slots reserved. A draft is thrown away when its save conflicts; only
 * a saved draft changes anything.
 */
export interface Draft {
  readonly ticketId: string;
  readonly wf: TicketWorkflow;
  readonly workflowKey: string;
  /** The stored version the draft builds on (0 for a new ticket). */
  readonly version: number;
  readonly customerId: string;
  readonly externalId: string | null;
  snapshot: TicketSnapshot;
  /** The snapshot the draft builds on (null for a new ticket): the store moves the slot from its holder. */
  readonly before: TicketSnapshot | null;
  /** The router's state as this draft's decisions leave it (read from the ledger on the first route). */
  router: RouterState | null;
  readonly events: TicketEvent[];
  readonly effects: DeskEffect[];
  readonly pending: DeskEffect[];
  readonly warnings: DeskWarning[];
  readonly messageKeys: string[];
  readonly reserved: string[];
  /** Whether the draft's events are the ticket's whole log (a new ticket): promises need it. */
  readonly whole: boolean;
  /** Route without the ticket's language and skills (the fallback for a ticket nobody could take). */
  relaxed: boolean;
  assignments: number;
}

export function newDraft(base: {
  ticketId: string;
  wf: TicketWorkflow;
  workflowKey: string;
  version: number;
  customerId: string;
  externalId: string | null;
  snapshot: TicketSnapshot;
  whole?: boolean;
}): Draft {
  // Every field named, in one order: a spread of the caller's object (whose shape differs from
  // caller to caller) made each of the properties below a slow, megamorphic store (the bundled
  // profile of `handle` put 15 % of the worker's CPU in this function).
  return {
    ticketId: base.ticketId,
    wf: base.wf,
    workflowKey: base.workflowKey,
    version: base.version,
    customerId: base.customerId,
    externalId: base.externalId,
    snapshot: base.snapshot,
    before: base.version === 0 ? null : base.snapshot,
    whole: base.whole ?? false,
    router: null,
    events: [],
    effects: [],
    pending: [],
    warnings: [],
    messageKeys: [],
    reserved: [],
    relaxed: false,
    assignments: 0,
  };
}

export function warn(draft: Draft, code: DeskWarningCode, message: string): void {
  draft.warnings.push({ code, message, ticketId: draft.ticketId });
}

/**
 * Applies one event to the draft; its effects join the ones to perform. With business rules the
 * draft stores what the lifecycle logged: the event and every change the rules made after it (and
 * before it, for automations due first). Returns the refusal, if any.
 */
export function applyEvent(draft: Draft, event: TicketEvent): Rejection | null {
  // Every event a draft applies was parsed already (by the desk's entry points or built by it).
  const result = draft.wf.apply(draft.snapshot, event, { trusted: true });
  if (result.rejected) return result.rejected;
  if (result.duplicate) return null;
  draft.snapshot = result.snapshot;
  draft.events.push(...(result.log ?? [event]));
  for (const w of result.warnings ?? []) warn(draft, w.code, w.message);
  draft.pending.push(...result.effects);
  return null;
}

/** The skills a ticket needs, from the desk's category and tag maps. */
function skillsOf(deps: DeskDeps, snapshot: TicketSnapshot): string[] {
  const map = deps.options.skills;
  if (!map) return [];
  const context = snapshot.context;
  const skills = new Set<string>();
  if (context.category !== null) for (const s of map.categories?.[context.category] ?? []) skills.add(s);
  for (const tag of context.tags) for (const s of map.tags?.[tag] ?? []) skills.add(s);
  return [...skills];
}

/**
 * Performs a `route` effect: the router picks among the agents of the ticket's tier or above
 * (escalation only goes up, whatever the policy's filters), and the pick is applied as a
 * `ticket.assigned` event. Nobody eligible: the ticket waits and the effect goes to the host.
 */
async function route(deps: DeskDeps, draft: Draft, effect: RouteEffect): Promise<void> {
  // A special queue (blocked customers' review) is the host's to staff, not the router's.
  if (effect.queue !== null || FINAL.has(draft.snapshot.status)) {
    draft.effects.push(effect);
    return;
  }
  const context = draft.snapshot.context;
  const tier = Math.max(effect.tier, context.tier);
  const eligible = deps.agents.filter((agent) => (agent.tier ?? 1) >= tier);
  if (eligible.length === 0) {
    if (deps.agents.length > 0)
      warn(draft, 'no_agent_for_tier', `${draft.ticketId} waits: no agent of tier ${tier} or above`);
    else warn(draft, 'waiting', `${draft.ticketId} waits in the queue: the desk has no agents`);
    draft.effects.push(effect);
    return;
  }
  const full = routingTicketOf(
    draft.snapshot,
    effect.at,
    tier,
    draft.relaxed ? [] : skillsOf(deps, draft.snapshot),
  );
  const { language: _language, ...relaxed } = full;
  const ticket = draft.relaxed ? relaxed : full;
  draft.router ??= await deps.shared.routerState(context.customer.id);
  const outcome = deps.router.route(ticket, eligible, draft.router);
  if (outcome.agentId === null) {
    warn(draft, 'waiting', `${draft.ticketId} waits in the queue: ${outcome.reason}`);
    draft.effects.push(effect);
    return;
  }
  const event: TicketEvent = {
    type: 'ticket.assigned',
    id: `${effect.causedBy}:assign:${draft.assignments++}`,
    ticketId: draft.ticketId,
    at: Math.max(effect.at, context.lastEventAt),
    agentId: outcome.agentId,
    tier,
    by: 'router',
  };
  const refused = applyEvent(draft, event);
  if (refused) {
    warn(draft, 'assignment_refused', `the router's assignment was refused: ${refused.message}`);
    return;
  }
  draft.router = outcome.state;
  deps.shared.reserve(outcome.agentId);
  draft.reserved.push(outcome.agentId);
}

/**
 * Performs the effects the desk owns, in order, until none is left: routing (which may apply
 * events and so add effects), and rendering `send_template` and `request_survey` effects when a
 * template library has them. Every other effect is the host's.
 */
export async function perform(deps: DeskDeps, draft: Draft): Promise<void> {
  for (let effect = draft.pending.shift(); effect !== undefined; effect = draft.pending.shift()) {
    if (effect.type === 'route') {
      await route(deps, draft, effect);
      continue;
    }
    const templates = deps.templates;
    const templateId =
      effect.type === 'send_template'
        ? effect.templateId
        : effect.type === 'request_survey' && templates?.has?.(surveyTemplateId(effect.survey))
          ? surveyTemplateId(effect.survey)
          : null;
    if (
      templates === null ||
      templateId === null ||
      (effect.type !== 'send_template' && effect.type !== 'request_survey')
    ) {
      draft.effects.push(effect);
      continue;
    }
    const view = draft.wf.view(draft.snapshot, { now: effect.at });
    try {
      const promise = draft.whole
        ? promiseVariables(
            deps,
            draft.snapshot,
            draft.events,
            effect.at,
            templateId,
            await deps.shared.queueLength(),
          )
        : {};
      draft.effects.push(
        renderMessage(
          deps,
          effect,
          effect.type === 'send_template' ? effect.channel : draft.snapshot.context.channel,
          templateId,
          renderContext(deps, view, draft.snapshot, promise),
          view,
          effect.type === 'request_survey'
            ? { survey: { kind: effect.survey, reminder: effect.reminder } }
            : {},
        ),
      );
    } catch (error) {
      warn(draft, 'render_failed', `template \`${templateId}\` could not be rendered: ${String(error)}`);
      draft.effects.push(effect);
    }
  }
}

/** What the draft's save writes, with the claims the store checks: the router's pick's capacity, the NPS throttle. */
export function toWrite(deps: DeskDeps, draft: Draft): TicketWrite {
  const holder = holderOf(draft.snapshot);
  const picked =
    holder !== null && draft.reserved.includes(holder) ? deps.agents.find((a) => a.id === holder) : undefined;
  const npsEvery = draft.wf.config.survey?.npsEvery ?? null;
  return {
    ...(picked !== undefined ? { capacity: picked.capacity ?? 10 } : {}),
    ...(npsEvery !== null ? { npsEveryMs: durationToMs(npsEvery) } : {}),
    snapshot: draft.snapshot,
    workflowKey: draft.workflowKey,
    dueAt: draft.wf.dueAt(draft.snapshot),
    customerId: draft.customerId,
    externalId: draft.externalId,
    events: draft.events,
    effects: draft.effects,
    ...(draft.messageKeys.length > 0 ? { messageKeys: draft.messageKeys } : {}),
  };
}
