import { z } from 'zod';
import { CarekitError, parseInput, parseTicketEvent } from '../../../model/index.js';
import { selectSlaPolicy } from '../../../sla/index.js';
import type { WorkflowErrorCode } from '../../errors.js';
import { commit } from '../commit.js';
import { type DeskDeps, NO_SLA } from '../deps.js';
import { applyEvent, newDraft, perform } from '../draft.js';
import type { DeskEffect, DeskResult, OutreachPlanInput } from '../types.js';

const Plan = z.looseObject({
  ticketId: z.string().min(1).max(256),
  events: z.array(z.unknown()).min(1).max(1000),
  effects: z.array(z.unknown()).max(1000).optional(),
});

/**
 * Opens an outbound ticket from an outreach plan. Nobody is routed until the customer answers;
 * the plan's message is the acknowledgement. A plan applied before comes back `duplicate`.
 */
export async function reachOut(deps: DeskDeps, input: OutreachPlanInput | unknown): Promise<DeskResult> {
  const plan = parseInput(Plan, input, 'outreach plan');
  const events = plan.events.map((e) => parseTicketEvent(e));
  const opened = events[0];
  if (
    opened?.type !== 'ticket.opened' ||
    events.some((e) => e.ticketId !== opened.ticketId) ||
    opened.ticketId !== plan.ticketId
  ) {
    throw new CarekitError<WorkflowErrorCode>(
      'invalid_plan',
      'an outreach plan starts with ticket.opened and all its events belong to its ticket',
    );
  }
  const extra = (plan.effects ?? []) as readonly DeskEffect[];
  if (
    extra.some(
      (e) => typeof e !== 'object' || e === null || typeof e.id !== 'string' || e.ticketId !== plan.ticketId,
    )
  ) {
    throw new CarekitError<WorkflowErrorCode>(
      'invalid_plan',
      "an outreach plan's effects are its ticket's effects, each with an id",
    );
  }
  const policy = selectSlaPolicy(deps.policies, {
    segment: opened.customer.segment ?? null,
    channel: opened.channel,
    category: opened.category ?? null,
    priority: opened.priority ?? 'normal',
  });
  const workflowKey = policy?.id ?? NO_SLA;
  const wf = deps.workflow(workflowKey);
  return commit(deps, `the outreach ticket ${opened.ticketId}`, async () => {
    const existing = await deps.loader.load(opened.ticketId);
    if (existing) {
      return {
        result: {
          ticket: deps.workflow(existing.workflowKey).view(existing.snapshot),
          effects: [],
          duplicate: true as const,
          warnings: [],
        },
      };
    }
    const started = wf.start(opened);
    const draft = newDraft({
      ticketId: opened.ticketId,
      wf,
      workflowKey,
      version: 0,
      customerId: opened.customer.id,
      externalId: null,
      snapshot: started.snapshot,
      whole: true,
    });
    draft.events.push(...(started.log ?? [opened]));
    for (const event of events.slice(1)) {
      const refused = applyEvent(draft, event);
      if (refused)
        throw new CarekitError<WorkflowErrorCode>(
          'invalid_plan',
          `the outreach plan was refused: ${refused.message}`,
        );
    }
    // Nobody is routed to an outbound ticket until the customer answers.
    const kept = [...started.effects, ...draft.pending].filter(
      (e) => e.type !== 'route' && e.type !== 'send_template',
    );
    draft.pending.splice(0, draft.pending.length, ...kept, ...extra);
    await perform(deps, draft);
    return {
      draft,
      result: (d) => ({
        ticket: d.wf.view(d.snapshot, { now: opened.at }),
        effects: d.effects,
        warnings: d.warnings,
      }),
    };
  });
}
