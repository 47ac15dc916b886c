import { z } from 'zod';
import { CarekitError, Id, Instant, Priority, parseOptions, parseTicketEvent } from '../../../model/index.js';
import { selectSlaPolicy } from '../../../sla/index.js';
import type { WorkflowErrorCode } from '../../errors.js';
import { commit, load } from '../commit.js';
import { type DeskDeps, NO_SLA } from '../deps.js';
import { newDraft, perform } from '../draft.js';
import type { DeskEffect, DeskRelationResult, DeskWarning } from '../types.js';
import { link } from './relations.js';

const OpenChildSchema = z.strictObject({
  by: Id,
  at: z.union([Instant, z.date().transform((d) => d.getTime())]),
  subject: z.string().min(1).max(500),
  body: z.string().min(1).max(100_000),
  ticketId: Id.optional(),
  category: z.string().min(1).max(100).optional(),
  priority: Priority.optional(),
});

/**
 * Opens a child ticket of `parentId` from the desk: work handed to another team (the warehouse,
 * payments) that the parent waits for. The child is a ticket of its own for the parent's customer
 * (`origin: 'agent'`, no acknowledgement to the customer), with its own SLA policy (selected by its
 * category and priority), routing and clocks from `at`; it is then linked as `desk.link` links
 * (both tickets in one conditional `saveMany`). The parent cannot be solved while the child is
 * open, and is not auto-solved (docs/relations.md).
 *
 * Refused, nothing written (`invalid_relation`): a missing, closed or merged parent, or a
 * `ticketId` another ticket holds that is not this parent's child. A crash between the two writes
 * leaves an unlinked child ticket; calling again with the same `ticketId` links it.
 */
export async function openChild(
  deps: DeskDeps,
  parentIdInput: unknown,
  optionsInput: unknown,
): Promise<DeskRelationResult> {
  const { parentId } = parseOptions(
    z.strictObject({ parentId: Id }),
    { parentId: parentIdInput },
    'desk.openChild',
  );
  const options = parseOptions(OpenChildSchema, optionsInput, 'desk.openChild options');
  await deps.ready();
  const parent = await load(deps, parentId);
  const refuse = async (message: string): Promise<DeskRelationResult> => {
    const view = parent === null ? null : deps.workflow(parent.workflowKey).view(parent.snapshot);
    return {
      ticket: null,
      tickets: view === null ? [] : [view],
      effects: [],
      warnings: [],
      rejected: {
        code: 'invalid_relation',
        message,
        eventId: `child-of:${parentId}`,
        eventType: 'ticket.opened',
        status: parent?.snapshot.status ?? 'new',
      },
    };
  };
  if (parent === null) return refuse(`there is no ticket ${parentId}`);
  const { status, context: c } = parent.snapshot;
  if (status === 'closed' || status === 'merged')
    return refuse(`ticket ${parentId} is ${status}; a parent must be live`);
  if (deps.known !== null && !deps.known.has(options.by))
    return refuse(`${options.by} is not an agent of this desk`);
  const childId = options.ticketId ?? `${parentId}~C${Object.keys(c.children ?? {}).length + 1}`;
  const existing = await load(deps, childId);
  if (existing !== null && (existing.snapshot.context.parentId ?? parentId) !== parentId)
    return refuse(`ticket id ${childId} belongs to another ticket; pass another ticketId`);
  if (existing !== null && existing.customerId !== parent.customerId)
    return refuse(`ticket id ${childId} belongs to another customer's ticket; pass another ticketId`);

  const priority = options.priority ?? c.priority;
  const category = options.category ?? null;
  const policy = selectSlaPolicy(deps.policies, {
    segment: c.customer.segment ?? null,
    channel: c.channel,
    category,
    priority,
  });
  const workflowKey = policy?.id ?? NO_SLA;
  const at = Math.min(options.at, deps.options.clock() + deps.options.maxClockSkewMs);
  type Opened =
    | { readonly effects: readonly DeskEffect[]; readonly warnings: readonly DeskWarning[] }
    | { readonly refused: string };
  const opened = await commit<Opened>(deps, `the child ticket ${childId}`, async (attempt) => {
    if ((await load(deps, childId)) !== null) return { result: { effects: [], warnings: [] } };
    // The child copies the parent's customer, so it is saved only while the parent is at the
    // version read (an erasure in between redacts the parent: the child copies the erased one).
    const from = attempt === 1 ? parent : await load(deps, parentId);
    if (from === null || from.snapshot.status === 'closed' || from.snapshot.status === 'merged')
      return { result: { refused: `ticket ${parentId} is no longer live; a parent must be live` } };
    const c = from.snapshot.context;
    const wf = deps.workflow(workflowKey);
    const event = parseTicketEvent({
      type: 'ticket.opened',
      id: `${childId}:opened`,
      ticketId: childId,
      at,
      channel: c.channel,
      subject: options.subject,
      body: options.body,
      customer: c.customer,
      priority,
      ...(category !== null ? { category } : {}),
      ...(c.language ? { language: c.language } : {}),
      origin: 'agent',
      agentId: options.by,
    });
    const started = wf.start(event);
    const draft = newDraft({
      ticketId: childId,
      wf,
      workflowKey,
      version: 0,
      customerId: parent.customerId,
      externalId: null,
      snapshot: started.snapshot,
      whole: true,
    });
    draft.events.push(event);
    // Work for another team: the customer is not acknowledged for it.
    const ack = wf.config.acknowledgeTemplate ?? null;
    draft.pending.push(
      ...started.effects.filter((e) => !(e.type === 'send_template' && e.templateId === ack)),
    );
    await perform(deps, draft);
    return { draft, guards: [from], result: (d) => ({ effects: d.effects, warnings: d.warnings }) };
  });
  if ('refused' in opened) return refuse(opened.refused);
  const linked = await link(deps, parentId, childId, { by: options.by, at });
  if (linked.rejected !== undefined) {
    throw new CarekitError<WorkflowErrorCode>(
      'relation_incomplete',
      `child ticket ${childId} was opened but could not be linked to ${parentId}: ${linked.rejected.message}; call openChild again with ticketId ${childId}`,
    );
  }
  return {
    ...linked,
    effects: [...opened.effects, ...linked.effects],
    warnings: [...opened.warnings, ...linked.warnings],
  };
}
