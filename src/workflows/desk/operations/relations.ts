import { z } from 'zod';
import {
  By,
  CarekitError,
  FINAL_STATUSES,
  Id,
  Instant,
  MessageRef,
  parseOptions,
  parseTicketEvent,
  RESOLVED_STATUSES,
  type TicketEvent,
  type TicketEventOf,
  type TicketStatus,
} from '../../../model/index.js';
import type { Classification } from '../../../routing/index.js';
import { selectSlaPolicy } from '../../../sla/index.js';
import type { WorkflowErrorCode } from '../../errors.js';
import type { TicketSnapshot } from '../../ticket/context.js';
import { refKey, type ThreadMessage, ticketThread } from '../../ticket/thread.js';
import type { TicketView } from '../../ticket/view.js';
import { atOrAfter, type Rejection } from '../../ticket/workflow.js';
import { changedSince, commit, draftOf, load, saveTogether } from '../commit.js';
import { type DeskDeps, NO_SLA } from '../deps.js';
import { applyEvent, type Draft, newDraft, perform } from '../draft.js';
import type { StoredTicket } from '../store.js';
import type { DeskEffect, DeskRelationResult, DeskWarning } from '../types.js';

/** Statuses a relation never starts from or leads into. */
const FINAL = new Set<TicketStatus>(FINAL_STATUSES);
/** Statuses in which a child counts as done for its parent. */
const DONE = new Set<TicketStatus>(RESOLVED_STATUSES);
/** How far the desk follows merges and parents (longer chains are refused, never followed forever). */
const MAX_HOPS = 100;

const at = z.union([Instant, z.date().transform((d) => d.getTime())]);
const MergeOptionsSchema = z.strictObject({
  by: By,
  at,
  acrossCustomers: z.boolean().optional(),
  notifyTemplate: Id.optional(),
});
const SplitOptionsSchema = z.strictObject({
  by: By,
  at,
  newTicketId: Id.optional(),
  subject: z.string().max(500).optional(),
});
const RelationOptionsSchema = z.strictObject({ by: By.optional(), at });
const MergeArgs = z.strictObject({
  sourceIds: z.array(Id).min(1).max(100),
  targetId: Id,
});
const SplitArgs = z.strictObject({
  ticketId: Id,
  messages: z
    .array(z.union([Id, MessageRef]))
    .min(1)
    .max(1000),
});
const LinkArgs = z.strictObject({ parentId: Id, childId: Id });

/**
 * Relation operations of one desk run one at a time: a merge and a link decided concurrently in
 * this process could otherwise each pass the cycle check the other breaks. (Across processes the
 * store's conditional saves are per ticket; see docs/relations.md for what that leaves.)
 */
const queues = new WeakMap<DeskDeps, Promise<unknown>>();
function serially<T>(deps: DeskDeps, run: () => Promise<T>): Promise<T> {
  const before = queues.get(deps) ?? Promise.resolve();
  const next = before.then(run, run);
  queues.set(
    deps,
    next.catch(() => undefined),
  );
  return next;
}

/** The event time under the desk's clock rule: beyond the allowed skew ahead, the desk's clock. */
/**
 * Applies a relation's event under the time rule: never before the ticket's last event (its own
 * instant kept in `sentAt`), so every ticket's log stays in time order.
 */
function applyTimed(draft: Draft, event: TicketEvent): Rejection | null {
  return applyEvent(draft, atOrAfter(event, draft.snapshot.context.lastEventAt));
}

function clamp(deps: DeskDeps, instant: number): number {
  const now = deps.options.clock();
  return instant > now + deps.options.maxClockSkewMs ? now : instant;
}

function viewOf(deps: DeskDeps, stored: StoredTicket | null): TicketView | null {
  return stored === null ? null : deps.workflow(stored.workflowKey).view(stored.snapshot);
}

async function views(deps: DeskDeps, ids: readonly string[]): Promise<TicketView[]> {
  const out: TicketView[] = [];
  for (const id of new Set(ids)) {
    const view = viewOf(deps, await load(deps, id));
    if (view !== null) out.push(view);
  }
  return out;
}

function refusal(
  code: 'invalid_merge' | 'invalid_relation',
  eventType: TicketEvent['type'],
  eventId: string,
  status: TicketStatus,
  message: string,
): Rejection {
  return { code, message, eventId, eventType, status };
}

/** A refused relation operation: nothing was written; the tickets are shown as they stand. */
async function refused(deps: DeskDeps, rejected: Rejection, ids: readonly string[], main: string | null) {
  const tickets = await views(deps, ids);
  return {
    ticket: tickets.find((t) => t.ticketId === main) ?? null,
    tickets,
    effects: [],
    warnings: [],
    rejected,
  } satisfies DeskRelationResult;
}

/** The ids of a ticket's ancestors through `parentId`, nearest first. */
async function ancestorsOf(deps: DeskDeps, snapshot: TicketSnapshot): Promise<string[]> {
  const seen: string[] = [];
  let next = snapshot.context.parentId ?? null;
  while (next !== null && seen.length < MAX_HOPS && !seen.includes(next)) {
    seen.push(next);
    next = (await load(deps, next))?.snapshot.context.parentId ?? null;
  }
  return seen;
}

/** The id an event for a message moved from `from` gets: stable, so a repeated move is a duplicate. */
export function movedEventId(from: string, ref: MessageRef): string {
  const id = `moved:${from}:${ref.ticketId}:${ref.eventId}`;
  if (id.length <= 256) return id;
  // FNV-1a over the parts: ids this long are rare, and the hash keeps them stable.
  let h = 0x811c9dc5;
  for (const c of `${from}\u0000${refKey(ref)}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return `moved:${from.slice(0, 100)}:#${(h >>> 0).toString(16)}:${ref.eventId.slice(0, 100)}`;
}

function movedEvent(
  ticketId: string,
  from: string,
  message: ThreadMessage,
  instant: number,
  by: By,
  channel: TicketSnapshot['context']['channel'] | undefined,
): TicketEventOf<'message.moved'> {
  return {
    type: 'message.moved',
    id: movedEventId(from, message.ref),
    ticketId,
    at: instant,
    from,
    message: message.ref,
    author: message.author,
    ...(message.agentId !== null ? { agentId: message.agentId } : {}),
    body: message.body,
    ...(message.public ? {} : { public: false }),
    ...(channel ? { channel } : {}),
    writtenAt: message.writtenAt,
    by,
  };
}

/** The thread of a stored ticket, from its log. */
async function threadOf(deps: DeskDeps, ticketId: string): Promise<ThreadMessage[]> {
  return ticketThread(await deps.store.ticketEvents(ticketId));
}

/**
 * Merges tickets into one: each source's thread moves into the target (each message keeping its
 * identity, the thread in time order), and the source ends `merged`; later messages to a source
 * are forwarded to the target. The order of the writes is chosen so that no crash loses a
 * message: the source is marked merged first (from then on its thread is frozen and new messages
 * are forwarded), then its thread is moved into the target under stable event ids, in one save
 * with a `ticket.merged_from` marker. A crash between the two leaves a merged source whose
 * messages are still in its log and whose new messages reach the target; calling `merge` again
 * with the same tickets finishes the move (a source already merged into the target is resumed,
 * not refused). A target merged away meanwhile is followed to the ticket it was merged into.
 *
 * Refused, with nothing written (`invalid_merge`): a missing, closed or merged target or source
 * (unless merged into this target: resumed), the target among the sources, another customer's
 * ticket without `acrossCustomers`, a source with open child tickets, and a target that descends
 * from a source (the relations graph has no cycle).
 */
export async function merge(
  deps: DeskDeps,
  sourceIdsInput: unknown,
  targetIdInput: unknown,
  optionsInput: unknown,
): Promise<DeskRelationResult> {
  const { sourceIds, targetId } = parseOptions(
    MergeArgs,
    { sourceIds: sourceIdsInput, targetId: targetIdInput },
    'desk.merge',
  );
  const options = parseOptions(MergeOptionsSchema, optionsInput, 'desk.merge options');
  await deps.ready();
  return serially(deps, async () => {
    const all = [targetId, ...sourceIds];
    const instant = clamp(deps, options.at);
    const target = await load(deps, targetId);
    const refuse = (status: TicketStatus, message: string, eventId = `merged-into:${targetId}`) =>
      refused(deps, refusal('invalid_merge', 'ticket.merged', eventId, status, message), all, targetId);
    if (target === null) return refuse('new', `there is no ticket ${targetId} to merge into`);
    if (FINAL.has(target.snapshot.status))
      return refuse(
        target.snapshot.status,
        `ticket ${targetId} is ${target.snapshot.status}; merge into a live ticket`,
      );
    if (new Set(sourceIds).size !== sourceIds.length)
      return refuse(target.snapshot.status, 'a ticket is named twice among the sources');
    // Live at the merge's instant, not only as stored: a solved target whose auto-close passed is
    // closed by then (a closed ticket still takes the rest of a merge begun before it closed, so
    // the status reached is what tells).
    const probe = draftOf(deps, target);
    const targetProbe = applyTimed(probe, {
      type: 'ticket.merged_from',
      id: `probe:merged-from:${targetId}`,
      ticketId: targetId,
      at: instant,
      source: sourceIds[0] ?? targetId,
      moved: 0,
    });
    const reached = targetProbe?.status ?? probe.snapshot.status;
    if (targetProbe || FINAL.has(reached))
      return refuse(
        reached,
        targetProbe
          ? `ticket ${targetId} cannot take a merge now: ${targetProbe.message}`
          : `ticket ${targetId} is ${reached} at the merge's instant (a deadline passed); merge into a live ticket`,
      );
    const ancestors = await ancestorsOf(deps, target.snapshot);
    const resume = new Set<string>();
    for (const id of sourceIds) {
      if (id === targetId) return refuse(target.snapshot.status, `ticket ${id} cannot be merged into itself`);
      const source = await load(deps, id);
      if (source === null) return refuse('new', `there is no ticket ${id} to merge`);
      const { status, context } = source.snapshot;
      if (status === 'merged' && context.mergedInto === targetId) {
        resume.add(id);
        continue;
      }
      if (FINAL.has(status))
        return refuse(status, `ticket ${id} is ${status}; only a live ticket can be merged`);
      const sourceProbe = applyTimed(draftOf(deps, source), {
        type: 'ticket.merged',
        id: `merged-into:${targetId}`,
        ticketId: id,
        at: instant,
        into: targetId,
      });
      if (sourceProbe)
        return refuse(sourceProbe.status, `ticket ${id} cannot be merged now: ${sourceProbe.message}`);
      if (source.customerId !== target.customerId && options.acrossCustomers !== true)
        return refuse(
          status,
          `ticket ${id} belongs to customer ${source.customerId} and ${targetId} to ${target.customerId}; pass acrossCustomers: true to merge tickets of two customers`,
        );
      const open = Object.keys(context.children ?? {}).filter((c) => context.children[c] === 'open');
      if (open.length > 0)
        return refuse(
          status,
          `ticket ${id} has open child tickets (${open.sort().join(', ')}); unlink or finish them first`,
        );
      if (ancestors.includes(id))
        return refuse(
          status,
          `ticket ${targetId} descends from ${id}; a ticket cannot be merged into its own descendant`,
        );
    }

    const effects: DeskEffect[] = [];
    const warnings: DeskWarning[] = [];
    const touched = new Set<string>(all);
    for (const sourceId of sourceIds) {
      if (!resume.has(sourceId)) {
        const marked = await markMerged(deps, sourceId, targetId, instant, options.by);
        if ('rejected' in marked) {
          // Another call changed the source since the checks: what was merged before stays merged.
          warnings.push({
            code: 'relation_incomplete',
            message: marked.rejected.message,
            ticketId: sourceId,
          });
          continue;
        }
        effects.push(...marked.effects);
        warnings.push(...marked.warnings);
      }
      const moved = await moveThread(deps, sourceId, targetId, instant, options.by, options.notifyTemplate);
      effects.push(...moved.effects);
      warnings.push(...moved.warnings);
      touched.add(moved.into);
      const parent = (await load(deps, sourceId))?.snapshot.context.parentId ?? null;
      if (parent !== null) {
        const synced = await syncParent(deps, sourceId, instant, options.by);
        effects.push(...synced.effects);
      }
    }
    const tickets = await views(deps, [...touched]);
    return { ticket: tickets.find((t) => t.ticketId === targetId) ?? null, tickets, effects, warnings };
  });
}

/**
 * Step one of a merge: the source ends `merged` into the target (its thread frozen from here), in
 * one atomic `saveMany` with a conditional save of the target (no event: its version is the
 * check; a stale target stops the source's save too). A
 * worker that decided on an older target or source is refused and decides again: a source merged
 * meanwhile (elsewhere) or a target that changed so that the merge would make a cycle is refused.
 */
async function markMerged(deps: DeskDeps, sourceId: string, targetId: string, instant: number, by: By) {
  type Marked = { readonly effects: readonly DeskEffect[]; readonly warnings: readonly DeskWarning[] };
  const refuse = (status: TicketStatus, message: string): { readonly rejected: Rejection } => ({
    rejected: refusal('invalid_merge', 'ticket.merged', `merged-into:${targetId}`, status, message),
  });
  for (let attempt = 1; attempt <= deps.options.maxAttempts; attempt++) {
    const stored = await load(deps, sourceId);
    if (stored === null)
      throw new CarekitError<WorkflowErrorCode>('unknown_ticket', `there is no ticket ${sourceId}`);
    const { status, context } = stored.snapshot;
    if (status === 'merged' && context.mergedInto === targetId)
      return { effects: [], warnings: [] } as Marked;
    if (FINAL.has(status))
      return refuse(status, `ticket ${sourceId} became ${status} while the merge ran; it was not merged`);
    const target = await load(deps, targetId);
    if (target === null || FINAL.has(target.snapshot.status))
      return refuse(status, `ticket ${targetId} is no longer live; ${sourceId} was not merged`);
    if ((await ancestorsOf(deps, target.snapshot)).includes(sourceId))
      return refuse(status, `ticket ${targetId} descends from ${sourceId}; it was not merged`);
    const open = openChildIds(context.children);
    if (open.length > 0)
      return refuse(
        status,
        `ticket ${sourceId} has open child tickets (${open.join(', ')}); it was not merged`,
      );
    const draft = draftOf(deps, stored);
    const rejected = applyTimed(draft, {
      type: 'ticket.merged',
      id: `merged-into:${targetId}`,
      ticketId: sourceId,
      at: instant,
      into: targetId,
      by,
    });
    if (rejected) return { rejected };
    await perform(deps, draft);
    const [saved] = await saveTogether(deps, [draft, draftOf(deps, target)]);
    if (saved) return { effects: draft.effects, warnings: draft.warnings } as Marked;
  }
  throw new CarekitError<WorkflowErrorCode>(
    'version_conflict',
    `the merge of ${sourceId} met a concurrent change ${deps.options.maxAttempts} times in a row; it was not merged`,
  );
}

const openChildIds = (children: Readonly<Record<string, 'open' | 'done'>> | undefined) =>
  Object.keys(children ?? {})
    .filter((c) => children?.[c] === 'open')
    .sort();

/**
 * Step two of a merge: the source's thread (frozen, it is merged) moves into the target, or into
 * the ticket the target was merged into meanwhile. Idempotent: a message moved before is a
 * duplicate event and is skipped, so a second call after a crash moves only what is missing.
 */
async function moveThread(
  deps: DeskDeps,
  sourceId: string,
  targetId: string,
  instant: number,
  by: By,
  notifyTemplate: string | undefined,
) {
  const thread = await threadOf(deps, sourceId);
  const source = await load(deps, sourceId);
  type Moved = {
    readonly into: string;
    readonly effects: readonly DeskEffect[];
    readonly warnings: readonly DeskWarning[];
  };
  return commit<Moved>(deps, `the move of ${sourceId}'s thread into ${targetId}`, async () => {
    let stored = await load(deps, targetId);
    for (let hop = 0; stored !== null && stored.snapshot.status === 'merged' && hop < MAX_HOPS; hop++) {
      const next = stored.snapshot.context.mergedInto;
      if (next === null) break;
      stored = await load(deps, next);
    }
    if (stored === null || stored.snapshot.status === 'merged')
      throw new CarekitError<WorkflowErrorCode>(
        'merge_target_lost',
        `the thread of ${sourceId} could not be moved: ${targetId} and the tickets it was merged into cannot be found; ${sourceId}'s messages stay in its log`,
      );
    if (stored.snapshot.context.eventIds.includes(`merged-from:${sourceId}`))
      return { result: { into: stored.ticketId, effects: [], warnings: [] } };
    const draft = draftOf(deps, stored);
    const channel = source?.snapshot.context.channel;
    for (const message of thread) {
      const refused = applyTimed(draft, movedEvent(stored.ticketId, sourceId, message, instant, by, channel));
      if (refused)
        throw new CarekitError<WorkflowErrorCode>(
          'merge_refused',
          `moving ${message.ref.eventId}: ${refused.message}`,
        );
    }
    const marker = `merged-from:${sourceId}`;
    const refused = applyTimed(draft, {
      type: 'ticket.merged_from',
      id: marker,
      ticketId: stored.ticketId,
      at: instant,
      source: sourceId,
      moved: thread.length,
      by,
    });
    if (refused)
      throw new CarekitError<WorkflowErrorCode>('merge_refused', `merging ${sourceId}: ${refused.message}`);
    if (notifyTemplate !== undefined) {
      const recipients = new Map<string, TicketSnapshot['context']>();
      recipients.set(stored.customerId, stored.snapshot.context);
      if (source) recipients.set(source.customerId, source.snapshot.context);
      let n = 0;
      for (const [customerId, context] of recipients) {
        draft.pending.push({
          type: 'send_template',
          id: `${stored.ticketId}/${marker}/send_template/${n++}`,
          ticketId: stored.ticketId,
          at: draft.snapshot.context.lastEventAt,
          causedBy: marker,
          templateId: notifyTemplate,
          customerId,
          channel: context.channel,
        });
      }
    }
    await perform(deps, draft);
    return { draft, result: (d) => ({ into: d.ticketId, effects: d.effects, warnings: d.warnings }) };
  });
}

/**
 * Splits messages off a ticket into a new one linked to it (`splitFrom`), with its own
 * classification, SLA policy, routing and clocks from the split instant; the first chosen message
 * (in time order) opens it, the others follow as `message.moved`. The new ticket is saved first,
 * then the original records the `ticket.split`: a crash in between leaves the messages in both
 * threads (never in none), and calling `split` again with the same arguments finishes it (the new
 * ticket is found by its id and completed, not opened twice).
 *
 * Refused, with nothing written (`invalid_relation`): a missing, closed or merged ticket, a
 * message not in its thread (or an id two messages share: pass `{ ticketId, eventId }`), every
 * message of the thread, and a new ticket id that another ticket holds.
 */
export async function split(
  deps: DeskDeps,
  ticketIdInput: unknown,
  messagesInput: unknown,
  optionsInput: unknown,
): Promise<DeskRelationResult> {
  const { ticketId, messages } = parseOptions(
    SplitArgs,
    { ticketId: ticketIdInput, messages: messagesInput },
    'desk.split',
  );
  const options = parseOptions(SplitOptionsSchema, optionsInput, 'desk.split options');
  await deps.ready();
  return serially(deps, async () => {
    // A split ticket copies its original's customer and messages, so it is saved only while the
    // original is at the version read; when it changed (an erasure redacted it), decide again.
    for (let attempt = 1; attempt <= deps.options.maxAttempts; attempt++) {
      const done = await splitOnce();
      if (done !== null) return done;
    }
    throw new CarekitError<WorkflowErrorCode>(
      'version_conflict',
      `the split of ${ticketId} met a concurrent change ${deps.options.maxAttempts} times in a row; nothing was split`,
    );
  });

  async function splitOnce(): Promise<DeskRelationResult | null> {
    const instant = clamp(deps, options.at);
    const stored = await load(deps, ticketId);
    const refuse = (status: TicketStatus, message: string, ids: readonly string[] = [ticketId]) =>
      refused(
        deps,
        refusal('invalid_relation', 'ticket.split', `split:${ticketId}`, status, message),
        ids,
        ticketId,
      );
    if (stored === null) return refuse('new', `there is no ticket ${ticketId} to split`);
    const { status, context } = stored.snapshot;
    if (FINAL.has(status))
      return refuse(status, `ticket ${ticketId} is ${status}; only a live ticket can be split`);
    const thread = await threadOf(deps, ticketId);
    const chosen = new Map<string, ThreadMessage>();
    for (const wanted of messages) {
      const matches =
        typeof wanted === 'string'
          ? thread.filter((m) => m.ref.eventId === wanted || m.eventId === wanted)
          : thread.filter((m) => refKey(m.ref) === refKey(wanted));
      const name = typeof wanted === 'string' ? wanted : `${wanted.ticketId}/${wanted.eventId}`;
      if (matches.length === 0) return refuse(status, `message ${name} is not in the thread of ${ticketId}`);
      if (matches.length > 1)
        return refuse(
          status,
          `id ${name} names ${matches.length} messages of ${ticketId}; pass { ticketId, eventId }`,
        );
      chosen.set(refKey(matches[0]!.ref), matches[0]!);
    }
    if (chosen.size === thread.length)
      return refuse(status, `splitting every message of ${ticketId} would leave it empty; choose fewer`);
    const newId = options.newTicketId ?? `${ticketId}~S${(context.splitInto ?? []).length + 1}`;
    if (newId === ticketId) return refuse(status, 'the new ticket needs an id of its own');
    const existing = await load(deps, newId);
    if (existing !== null && existing.snapshot.context.splitFrom !== ticketId)
      return refuse(status, `ticket id ${newId} belongs to another ticket; pass another newTicketId`, [
        ticketId,
        newId,
      ]);
    const picked = [...chosen.values()].sort((a, b) => a.writtenAt - b.writtenAt);
    const splitEvent: TicketEvent = {
      type: 'ticket.split',
      id: `split:${newId}`,
      ticketId,
      at: instant,
      into: newId,
      messages: picked.map((m) => m.ref),
      by: options.by,
    };
    // The original must accept the split at its instant before anything is written: a solved
    // ticket whose auto-close passed meanwhile is closed by then, and a new ticket opened with
    // copies of messages its original keeps would put them in two threads.
    const probe = applyTimed(draftOf(deps, stored), splitEvent);
    if (probe)
      return refuse(probe.status, `ticket ${ticketId} cannot record the split now: ${probe.message}`);

    const opened = await openSplit(deps, stored, newId, picked, instant, options);
    if (opened === null) return null;
    const marked = await commit<{ effects: readonly DeskEffect[]; warnings: readonly DeskWarning[] }>(
      deps,
      `the split of ${ticketId}`,
      async () => {
        const now = await load(deps, ticketId);
        if (now === null)
          throw new CarekitError<WorkflowErrorCode>('unknown_ticket', `there is no ticket ${ticketId}`);
        if ((now.snapshot.context.splitInto ?? []).includes(newId))
          return { result: { effects: [], warnings: [] } };
        const draft = draftOf(deps, now);
        const rejected = applyTimed(draft, splitEvent);
        if (rejected)
          return {
            result: {
              effects: [],
              warnings: [
                {
                  code: 'relation_incomplete',
                  message: `${newId} was opened but ${ticketId} could not record the split (${rejected.message}); its messages are in both threads until split is called again`,
                  ticketId,
                },
              ],
            },
          };
        await perform(deps, draft);
        return { draft, result: (d) => ({ effects: d.effects, warnings: d.warnings }) };
      },
    );
    const tickets = await views(deps, [newId, ticketId]);
    return {
      ticket: tickets.find((t) => t.ticketId === newId) ?? null,
      tickets,
      effects: [...opened.effects, ...marked.effects],
      warnings: [...opened.warnings, ...marked.warnings],
    };
  }
}

/**
 * Opens (or completes, after a crash) the ticket a split makes; null when the original changed
 * before the new ticket's save (nothing was written).
 */
async function openSplit(
  deps: DeskDeps,
  from: StoredTicket,
  newId: string,
  picked: readonly ThreadMessage[],
  instant: number,
  options: z.output<typeof SplitOptionsSchema>,
) {
  const first = picked[0]!;
  const c = from.snapshot.context;
  const subject = options.subject ?? c.subject;
  const customer = c.customer;
  let classification: Classification | undefined;
  const warnings: DeskWarning[] = [];
  if (deps.options.classifier) {
    try {
      classification = await deps.options.classifier.classify({
        subject,
        body: first.body,
        channel: c.channel,
        customer,
        ...(c.language ? { language: c.language } : {}),
      });
    } catch (error) {
      warnings.push({
        code: 'classifier_failed',
        message: `the classifier failed, the split ticket is opened unclassified: ${String(error)}`,
        ticketId: newId,
      });
    }
  }
  const priority = classification?.priority ?? c.priority;
  const policy = selectSlaPolicy(deps.policies, {
    segment: customer.segment ?? null,
    channel: c.channel,
    category: classification?.category ?? null,
    priority,
  });
  const workflowKey = policy?.id ?? NO_SLA;
  type Opened = { readonly effects: readonly DeskEffect[]; readonly warnings: readonly DeskWarning[] };
  return commit<Opened | null>(deps, `the split ticket ${newId}`, async (attempt) => {
    if (attempt > 1 && (await changedSince(deps, from))) return { result: null };
    const existing = await load(deps, newId);
    let draft: Draft;
    if (existing === null) {
      const wf = deps.workflow(workflowKey);
      const opened = parseTicketEvent({
        type: 'ticket.opened',
        id: `${newId}:opened`,
        ticketId: newId,
        at: instant,
        channel: c.channel,
        subject,
        body: first.body,
        customer,
        priority,
        ...(classification ? { category: classification.category } : {}),
        ...(classification && classification.tags.length > 0
          ? { tags: [...new Set(classification.tags)] }
          : {}),
        ...(classification?.sentiment ? { sentiment: classification.sentiment } : {}),
        ...(c.language ? { language: c.language } : {}),
        ...(first.author === 'customer'
          ? {}
          : { origin: 'agent', ...(first.agentId ? { agentId: first.agentId } : {}) }),
        splitFrom: { ticketId: from.ticketId, message: first.ref, writtenAt: first.writtenAt },
      });
      const started = wf.start(opened);
      draft = newDraft({
        ticketId: newId,
        wf,
        workflowKey,
        version: 0,
        customerId: from.customerId,
        externalId: null,
        snapshot: started.snapshot,
        whole: true,
      });
      draft.events.push(opened);
      // The customer was acknowledged when they wrote: a split sends no second acknowledgement.
      const ack = wf.config.acknowledgeTemplate ?? null;
      draft.pending.push(
        ...started.effects.filter((e) => !(e.type === 'send_template' && e.templateId === ack)),
      );
    } else draft = draftOf(deps, existing);
    for (const message of picked.slice(1)) {
      const rejected = applyTimed(
        draft,
        movedEvent(newId, from.ticketId, message, instant, options.by, undefined),
      );
      if (rejected)
        throw new CarekitError<WorkflowErrorCode>(
          'split_refused',
          `moving ${message.ref.eventId}: ${rejected.message}`,
        );
    }
    if (existing !== null && draft.events.length === 0) return { result: { effects: [], warnings } };
    await perform(deps, draft);
    for (const w of warnings) draft.warnings.push(w);
    return { draft, guards: [from], result: (d) => ({ effects: d.effects, warnings: d.warnings }) };
  });
}

/** The arguments of `desk.link` and `desk.unlink`, checked: two ticket ids and the options. */
function linkArguments(fn: string, parentIdInput: unknown, childIdInput: unknown, optionsInput: unknown) {
  const { parentId, childId } = parseOptions(
    LinkArgs,
    { parentId: parentIdInput, childId: childIdInput },
    fn,
  );
  return { parentId, childId, options: parseOptions(RelationOptionsSchema, optionsInput, `${fn} options`) };
}

/**
 * Makes `childId` a child of `parentId` (work handed to another team). The parent is written first
 * (it learns of the child, so it cannot be solved before it), then the child (`parentId`); a crash
 * in between leaves a parent that waits for a child, which a second call completes.
 *
 * Refused (`invalid_relation`), nothing written: the same ticket twice, a missing ticket, a closed
 * or merged parent, a merged child, a child that has another parent, and a parent that descends
 * from the child (no cycle).
 */
export async function link(
  deps: DeskDeps,
  parentIdInput: unknown,
  childIdInput: unknown,
  optionsInput: unknown,
): Promise<DeskRelationResult> {
  const { parentId, childId, options } = linkArguments(
    'desk.link',
    parentIdInput,
    childIdInput,
    optionsInput,
  );
  await deps.ready();
  return serially(deps, async () => {
    const instant = clamp(deps, options.at);
    const ids = [parentId, childId];
    // Both tickets are written in one atomic saveMany, each conditional on the version decided on:
    // of two workers linking (or merging) the same tickets at once, the later finds a version
    // changed, writes nothing and decides again here. (Should a store ever save one ticket alone,
    // what an attempt saved is undone when the relation turns out refused, so no half link stays.)
    const wrote = { parent: false, child: false };
    const effects: DeskEffect[] = [];
    for (let attempt = 1; attempt <= deps.options.maxAttempts; attempt++) {
      const parent = await load(deps, parentId);
      const child = await load(deps, childId);
      const refuseLink = async (problem: { status: TicketStatus; message: string }) => {
        if (wrote.child) await setParent(deps, childId, null, instant, options.by);
        if (wrote.parent) await noteChild(deps, parentId, childId, 'unlinked', instant, options.by);
        return refused(
          deps,
          refusal(
            'invalid_relation',
            'ticket.parent_set',
            `parent:${parentId}`,
            problem.status,
            problem.message,
          ),
          ids,
          childId,
        );
      };
      const problem = await linkProblem(deps, parentId, childId, parent, child);
      if (problem !== null) return refuseLink(problem);
      const p = parent as StoredTicket;
      const c = child as StoredTicket;
      const state = DONE.has(c.snapshot.status) ? 'done' : 'open';
      const drafts: Draft[] = [];
      if (p.snapshot.context.children?.[childId] !== state) {
        const draft = draftOf(deps, p);
        const rejected = applyTimed(draft, {
          type: 'ticket.child_changed',
          id: `child:${childId}:${state}:${p.snapshot.context.eventIds.length}`,
          ticketId: parentId,
          at: instant,
          childId,
          state,
          ...(options.by !== undefined ? { by: options.by } : {}),
        });
        // The parent as it stands at the link's instant (a deadline passed since it was stored).
        if (rejected)
          return refuseLink({ status: rejected.status, message: `ticket ${parentId}: ${rejected.message}` });
        await perform(deps, draft);
        drafts.push(draft);
      }
      if ((c.snapshot.context.parentId ?? null) !== parentId) {
        const draft = draftOf(deps, c);
        const rejected = applyTimed(draft, {
          type: 'ticket.parent_set',
          id: `parent:${parentId}:${c.snapshot.context.eventIds.length}`,
          ticketId: childId,
          at: instant,
          parentId,
          ...(options.by !== undefined ? { by: options.by } : {}),
        });
        // The child as it stands at the link's instant: a solved child whose auto-close passed is
        // closed by then, and only a live ticket can become a child.
        if (rejected)
          return refuseLink({ status: rejected.status, message: `ticket ${childId}: ${rejected.message}` });
        await perform(deps, draft);
        drafts.push(draft);
      }
      if (drafts.length === 0) break;
      // The version checks cover both tickets even when only one changes: the other is saved unchanged.
      if (drafts.length === 1) drafts.push(draftOf(deps, drafts[0]!.ticketId === parentId ? c : p));
      const saved = await saveTogether(deps, drafts);
      drafts.forEach((d, i) => {
        if (!saved[i] || d.events.length === 0) return;
        if (d.ticketId === parentId) wrote.parent = true;
        else wrote.child = true;
        effects.push(...d.effects);
      });
      if (saved.every(Boolean)) break;
      if (attempt === deps.options.maxAttempts)
        throw new CarekitError<WorkflowErrorCode>(
          'version_conflict',
          `linking ${childId} to ${parentId} met a concurrent change ${deps.options.maxAttempts} times in a row`,
        );
    }
    const tickets = await views(deps, ids);
    return { ticket: tickets.find((t) => t.ticketId === childId) ?? null, tickets, effects, warnings: [] };
  });
}

/** Why `childId` cannot become a child of `parentId` as the tickets stand, or null. */
async function linkProblem(
  deps: DeskDeps,
  parentId: string,
  childId: string,
  parent: StoredTicket | null,
  child: StoredTicket | null,
): Promise<{ status: TicketStatus; message: string } | null> {
  if (parentId === childId)
    return { status: parent?.snapshot.status ?? 'new', message: 'a ticket cannot be its own child' };
  if (parent === null) return { status: 'new', message: `there is no ticket ${parentId}` };
  if (child === null) return { status: 'new', message: `there is no ticket ${childId}` };
  if (FINAL.has(parent.snapshot.status))
    return {
      status: parent.snapshot.status,
      message: `ticket ${parentId} is ${parent.snapshot.status}; a parent must be live`,
    };
  if (FINAL.has(child.snapshot.status))
    return {
      status: child.snapshot.status,
      message: `ticket ${childId} is ${child.snapshot.status}; only a live ticket can become a child`,
    };
  const current = child.snapshot.context.parentId ?? null;
  if (current !== null && current !== parentId)
    return {
      status: child.snapshot.status,
      message: `ticket ${childId} is a child of ${current}; unlink it first`,
    };
  if ((await ancestorsOf(deps, parent.snapshot)).includes(childId))
    return {
      status: parent.snapshot.status,
      message: `ticket ${parentId} descends from ${childId}; the relation would be a cycle`,
    };
  return null;
}

/**
 * Detaches a child from its parent: the child first (`parentId: null`), then the parent forgets
 * it; a crash in between leaves a parent still waiting for the child (conservative), which a
 * second call completes. Refused (`invalid_relation`) when the tickets are not parent and child.
 */
export async function unlink(
  deps: DeskDeps,
  parentIdInput: unknown,
  childIdInput: unknown,
  optionsInput: unknown,
): Promise<DeskRelationResult> {
  const { parentId, childId, options } = linkArguments(
    'desk.unlink',
    parentIdInput,
    childIdInput,
    optionsInput,
  );
  await deps.ready();
  return serially(deps, async () => {
    const instant = clamp(deps, options.at);
    const ids = [parentId, childId];
    const parent = await load(deps, parentId);
    const child = await load(deps, childId);
    const linked =
      (child !== null && child.snapshot.context.parentId === parentId) ||
      (parent !== null && parent.snapshot.context.children?.[childId] !== undefined);
    if (!linked)
      return refused(
        deps,
        refusal(
          'invalid_relation',
          'ticket.parent_set',
          `parent:${parentId}`,
          child?.snapshot.status ?? 'new',
          `ticket ${childId} is not a child of ${parentId}`,
        ),
        ids,
        childId,
      );
    const a =
      child !== null && child.snapshot.context.parentId === parentId
        ? await setParent(deps, childId, null, instant, options.by)
        : { effects: [] };
    const b = await noteChild(deps, parentId, childId, 'unlinked', instant, options.by);
    const tickets = await views(deps, ids);
    return {
      ticket: tickets.find((t) => t.ticketId === childId) ?? null,
      tickets,
      effects: [...a.effects, ...b.effects],
      warnings: [],
    };
  });
}

/**
 * Tells a child's parent where the child stands (`open`, or `done` once solved, closed or
 * merged), notifying the parent's assignee when it is done. The desk's operations that end a
 * child call it; a host (or the desk's `handle`, see docs/relations.md) calls it after a child's
 * status changed.
 */
export async function syncChild(
  deps: DeskDeps,
  childIdInput: unknown,
  optionsInput: unknown,
): Promise<DeskRelationResult> {
  const childId = parseOptions(
    z.strictObject({ childId: Id }),
    { childId: childIdInput },
    'desk.syncChild',
  ).childId;
  const options = parseOptions(RelationOptionsSchema, optionsInput, 'desk.syncChild options');
  await deps.ready();
  const instant = clamp(deps, options.at);
  const synced = await syncParent(deps, childId, instant, options.by);
  const child = await load(deps, childId);
  const parentId = child?.snapshot.context.parentId ?? null;
  const tickets = await views(deps, parentId === null ? [childId] : [childId, parentId]);
  return {
    ticket: tickets.find((t) => t.ticketId === childId) ?? null,
    tickets,
    effects: synced.effects,
    warnings: [],
  };
}

async function syncParent(deps: DeskDeps, childId: string, instant: number, by: By | undefined) {
  const child = await load(deps, childId);
  const parentId = child?.snapshot.context.parentId ?? null;
  if (child === null || parentId === null) return { effects: [] as readonly DeskEffect[] };
  return noteChild(deps, parentId, childId, DONE.has(child.snapshot.status) ? 'done' : 'open', instant, by);
}

function noteChild(
  deps: DeskDeps,
  parentId: string,
  childId: string,
  state: 'open' | 'done' | 'unlinked',
  instant: number,
  by: By | undefined,
) {
  return commit<{ readonly effects: readonly DeskEffect[] }>(deps, `the parent ${parentId}`, async () => {
    const parent = await load(deps, parentId);
    if (parent === null)
      throw new CarekitError<WorkflowErrorCode>('unknown_ticket', `there is no ticket ${parentId}`);
    const known = parent.snapshot.context.children?.[childId];
    if (state === 'unlinked' ? known === undefined : known === state) return { result: { effects: [] } };
    const draft = draftOf(deps, parent);
    const rejected = applyTimed(draft, {
      type: 'ticket.child_changed',
      id: `child:${childId}:${state}:${parent.snapshot.context.eventIds.length}`,
      ticketId: parentId,
      at: instant,
      childId,
      state,
      ...(by !== undefined ? { by } : {}),
    });
    if (rejected) throw new CarekitError<WorkflowErrorCode>('relation_refused', rejected.message);
    await perform(deps, draft);
    return { draft, result: (d) => ({ effects: d.effects }) };
  });
}

function setParent(
  deps: DeskDeps,
  childId: string,
  parentId: string | null,
  instant: number,
  by: By | undefined,
) {
  return commit<{ readonly effects: readonly DeskEffect[] }>(deps, `the child ${childId}`, async () => {
    const child = await load(deps, childId);
    if (child === null)
      throw new CarekitError<WorkflowErrorCode>('unknown_ticket', `there is no ticket ${childId}`);
    // A closed or merged child keeps its parent in its history; only the parent forgets it.
    if ((child.snapshot.context.parentId ?? null) === parentId || FINAL.has(child.snapshot.status))
      return { result: { effects: [] } };
    const draft = draftOf(deps, child);
    const rejected = applyTimed(draft, {
      type: 'ticket.parent_set',
      id: `parent:${parentId ?? 'none'}:${child.snapshot.context.eventIds.length}`,
      ticketId: childId,
      at: instant,
      parentId,
      ...(by !== undefined ? { by } : {}),
    });
    // Final at the instant (an auto-close passed since it was stored): it keeps its parent in its
    // history, as a stored closed child does. The deadlines that passed stand, as `handle` keeps
    // them for an event they refuse: they are facts of time, and a child left stored as solved
    // would name a parent that no longer lists it.
    // (A refused event leaves the draft as it was, so the tick goes on the same draft.)
    if (rejected && FINAL.has(rejected.status)) {
      applyTimed(draft, {
        type: 'clock.tick',
        id: `parent:${parentId ?? 'none'}:${child.snapshot.context.eventIds.length}:deadlines`,
        ticketId: childId,
        at: instant,
      });
    } else if (rejected) throw new CarekitError<WorkflowErrorCode>('relation_refused', rejected.message);
    await perform(deps, draft);
    return { draft, result: (d) => ({ effects: d.effects }) };
  });
}
