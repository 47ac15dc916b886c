import {
  CarekitError,
  FINAL_STATUSES,
  RESOLVED_STATUSES,
  type TicketEvent,
  type TicketEventOf,
} from '../../../model/index.js';
import type { WorkflowErrorCode } from '../../errors.js';
import type { TicketSnapshot } from '../../ticket/context.js';
import { atOrAfter, type Rejection } from '../../ticket/workflow.js';
import { commit, type Decision, inTurn, load } from '../commit.js';
import type { DeskDeps } from '../deps.js';
import { applyEvent, newDraft, perform, warn } from '../draft.js';
import { eventKey, followUpId } from '../inbound.js';
import { followUpByBot } from '../stages/bot.js';
import type { StoredTicket } from '../store.js';
import { BOT_QUEUE, type DeskEffect, type DeskResult, type DeskWarning } from '../types.js';
import { openTicket } from './open.js';
import { merge, syncChild } from './relations.js';

const FINAL = new Set<string>(FINAL_STATUSES);
const DONE = new Set<string>(RESOLVED_STATUSES);
/** How many follow-ups (or merges) the desk follows to find where a message belongs. */
const MAX_HOPS = 100;

/**
 * The time rule at the desk: an event stamped more than the allowed skew after the desk's
 * clock is applied at the clock, and one stamped before the ticket's last event at that last
 * instant; either way the sender's time is kept in `sentAt`.
 */
export function timeRule<E extends TicketEvent>(deps: DeskDeps, event: E, lastEventAt: number): E {
  const now = deps.options.clock();
  const ahead =
    event.at > now + deps.options.maxClockSkewMs
      ? { ...event, at: now, sentAt: event.sentAt ?? event.at }
      : event;
  return atOrAfter(ahead, lastEventAt);
}

function rejectionOf(
  code: 'unknown_agent' | 'empty_reply' | 'invalid_merge',
  event: TicketEvent,
  snapshot: TicketSnapshot,
  message: string,
): Rejection {
  return { code, message, eventId: event.id, eventType: event.type, status: snapshot.status };
}

/** The desk's own checks of an event, before the lifecycle's: known agents, no empty public replies. */
function refuseByDesk(deps: DeskDeps, event: TicketEvent, snapshot: TicketSnapshot): Rejection | null {
  const agentId =
    event.type === 'agent.replied' || event.type === 'agent.noted'
      ? event.agentId
      : event.type === 'ticket.assigned'
        ? event.agentId
        : null;
  if (agentId !== null && deps.known !== null && !deps.known.has(agentId)) {
    return rejectionOf(
      'unknown_agent',
      event,
      snapshot,
      `${event.type} names agent ${agentId}, whom this desk does not know; add the agent with setAgents first`,
    );
  }
  if (event.type === 'agent.replied' && event.public !== false && event.body.trim() === '') {
    return rejectionOf(
      'empty_reply',
      event,
      snapshot,
      `the public reply ${event.id} to ticket ${event.ticketId} is empty; a reply must say something to the customer`,
    );
  }
  return null;
}

type Applied =
  | { readonly result: DeskResult }
  | {
      readonly divert: StoredTicket;
      readonly event: TicketEventOf<'customer.replied'>;
      readonly close: boolean;
      /** What was saved on the way (the deadlines that closed the ticket), to report with the rest. */
      readonly saved?: { readonly effects: readonly DeskEffect[]; readonly warnings: readonly DeskWarning[] };
    };

/** Applies an event to the ticket it names (one commit); a customer message a closed ticket cannot take is diverted. */
async function applyToTicket(deps: DeskDeps, input: TicketEvent, key: string | null): Promise<Applied> {
  return inTurn(deps, input.ticketId, () => applyInTurn(deps, input, key));
}

async function applyInTurn(deps: DeskDeps, input: TicketEvent, key: string | null): Promise<Applied> {
  return commit<Applied>(deps, `the event ${input.id} of ticket ${input.ticketId}`, async (attempt) => {
    // The ticket as this desk last saved it skips the read; a decision that saves nothing on such
    // a copy (a duplicate, a refusal, a divert) is made again on what the store holds.
    const recent = attempt === 1 ? deps.loader.recent(input.ticketId) : null;
    if (recent !== null) {
      const decided = await decideOn(recent);
      if (decided.draft !== undefined) return decided;
    }
    const stored = await load(deps, input.ticketId);
    if (stored === null)
      throw new CarekitError<WorkflowErrorCode>('unknown_ticket', `there is no ticket ${input.ticketId}`);
    return decideOn(stored);
  });

  async function decideOn(stored: StoredTicket): Promise<Decision<Applied>> {
    const wf = deps.workflow(stored.workflowKey);
    const snapshot = stored.snapshot;
    const view = () =>
      wf.view(snapshot, {
        now: Math.max(snapshot.context.lastEventAt, Math.min(input.at, deps.options.clock())),
      });
    if (snapshot.context.eventIds.includes(input.id)) {
      return { result: { result: { ticket: view(), effects: [], duplicate: true, warnings: [] } } };
    }
    const refused = refuseByDesk(deps, input, snapshot);
    if (refused)
      return { result: { result: { ticket: view(), effects: [], rejected: refused, warnings: [] } } };
    const event = timeRule(deps, input, snapshot.context.lastEventAt);
    if (event.type === 'customer.replied' && FINAL.has(snapshot.status)) {
      return { result: { divert: stored, event, close: false } };
    }
    const applied = wf.apply(snapshot, event, { trusted: true });
    if (applied.duplicate)
      return { result: { result: { ticket: view(), effects: [], duplicate: true, warnings: [] } } };
    const base = {
      ticketId: stored.ticketId,
      wf,
      workflowKey: stored.workflowKey,
      version: stored.version,
      customerId: stored.customerId,
      externalId: stored.externalId,
      snapshot,
    };
    if (applied.rejected) {
      const rejected = applied.rejected;
      const due = wf.dueAt(snapshot);
      if (due === null || due > event.at) {
        return {
          result: {
            result: { ticket: wf.view(snapshot, { now: event.at }), effects: [], rejected, warnings: [] },
          },
        };
      }
      // Deadlines passed before the refused event stand: they are facts of time, not of the event.
      const draft = newDraft(base);
      applyEvent(draft, {
        type: 'clock.tick',
        id: `${event.id}:deadlines`,
        ticketId: stored.ticketId,
        at: event.at,
      });
      await perform(deps, draft);
      if (event.type === 'customer.replied' && FINAL.has(draft.snapshot.status)) {
        // The ticket closed (auto-close) before the message came: the message goes to its follow-up.
        return {
          draft,
          result: (d) => ({
            divert: { ...stored, snapshot: d.snapshot, version: stored.version + 1 },
            event,
            close: false,
            saved: { effects: d.effects, warnings: d.warnings },
          }),
        };
      }
      draft.warnings.push({
        code: 'deadlines_applied',
        message: `deadlines that passed before ${event.id} were applied; the event itself was refused`,
        ticketId: stored.ticketId,
      });
      return {
        draft,
        result: (d) => ({
          result: {
            ticket: d.wf.view(d.snapshot, { now: event.at }),
            effects: d.effects,
            rejected,
            warnings: d.warnings,
          },
        }),
      };
    }
    if (event.type === 'customer.replied' && applied.effects.some((e) => e.type === 'open_follow_up')) {
      // After the reopen window the message opens a follow-up; it is stored there, not here.
      return { result: { divert: stored, event, close: true } };
    }
    const draft = newDraft(base);
    draft.snapshot = applied.snapshot;
    draft.events.push(...(applied.log ?? [event]));
    for (const w of applied.warnings ?? []) warn(draft, w.code, w.message);
    draft.pending.push(...applied.effects);
    if (key !== null) draft.messageKeys.push(key);
    let bot: { readonly handedOver: boolean; readonly reason: string } | undefined;
    if (
      deps.botPolicy &&
      event.type === 'customer.replied' &&
      snapshot.context.queue === BOT_QUEUE &&
      snapshot.context.assigneeId === null &&
      !FINAL.has(applied.snapshot.status)
    ) {
      bot = followUpByBot(deps, draft, snapshot, event);
    }
    const held = draft.snapshot.context;
    if (
      event.type === 'customer.replied' &&
      held.assigneeId === null &&
      held.queue === null &&
      !DONE.has(draft.snapshot.status) &&
      !draft.pending.some((e) => e.type === 'route')
    ) {
      // A customer's message on a ticket nobody holds (an answered outreach) needs a person.
      draft.pending.push({
        type: 'route',
        id: `${held.ticketId}/${event.id}/route/desk`,
        ticketId: held.ticketId,
        at: event.at,
        causedBy: event.id,
        tier: held.tier,
        queue: null,
        reason: 'the customer wrote and nobody holds the ticket',
      });
    }
    await perform(deps, draft);
    return {
      draft,
      result: (d) => ({
        result: {
          ticket: d.wf.view(d.snapshot, { now: event.at }),
          effects: d.effects,
          ...(bot ? { bot } : {}),
          warnings: d.warnings,
        },
      }),
    };
  }
}

/**
 * Applies an event; a customer's message that its ticket cannot take (closed, merged, solved past
 * the reopen window) is delivered where it belongs, never dropped. `key` is the message's store
 * key when it came as a contact.
 */
export async function deliver(
  deps: DeskDeps,
  event: TicketEvent,
  key: string | null = null,
): Promise<DeskResult> {
  if (event.type === 'ticket.merged') return mergeByEvent(deps, event);
  const savedOnTheWay: { effects: DeskEffect[]; warnings: DeskWarning[] } = { effects: [], warnings: [] };
  const withSaved = (result: DeskResult): DeskResult =>
    savedOnTheWay.effects.length === 0 && savedOnTheWay.warnings.length === 0
      ? result
      : {
          ...result,
          effects: [...savedOnTheWay.effects, ...result.effects],
          warnings: [...savedOnTheWay.warnings, ...result.warnings],
        };
  for (let attempt = 1; attempt <= deps.options.maxAttempts; attempt++) {
    const applied = await applyToTicket(deps, event, key);
    if ('result' in applied) return withSaved(await keepParentCurrent(deps, applied.result, event.at));
    if (applied.saved) {
      savedOnTheWay.effects.push(...applied.saved.effects);
      savedOnTheWay.warnings.push(...applied.saved.warnings);
    }
    const result = await divert(
      deps,
      applied.divert,
      applied.event,
      applied.close,
      key ?? eventKey(event.ticketId, event.id),
    );
    // null: the ticket changed (an erasure, another worker) before its follow-up was saved.
    if (result !== null) return withSaved(result);
  }
  throw new CarekitError<WorkflowErrorCode>(
    'version_conflict',
    `the message ${event.id} to ticket ${event.ticketId} met a concurrent change of the ticket ${deps.options.maxAttempts} times in a row while opening its follow-up; it was not stored`,
  );
}

/**
 * A `ticket.merged` event is a merge: the source's thread moves into the target (desk.merge), so
 * no message is left in a ticket no one reads. A redelivered event resumes or changes nothing.
 */
async function mergeByEvent(deps: DeskDeps, event: TicketEventOf<'ticket.merged'>): Promise<DeskResult> {
  const result = await merge(deps, [event.ticketId], event.into, { by: event.by ?? 'desk', at: event.at });
  const source = await load(deps, event.ticketId);
  if (source === null)
    throw new CarekitError<WorkflowErrorCode>('unknown_ticket', `there is no ticket ${event.ticketId}`);
  return {
    ticket: deps.workflow(source.workflowKey).view(source.snapshot, { now: event.at }),
    effects: result.effects,
    warnings: result.warnings,
    ...(result.rejected ? { rejected: result.rejected } : {}),
  };
}

/** After a child ticket changed, its parent learns whether the child is open or done. */
async function keepParentCurrent(deps: DeskDeps, result: DeskResult, at: number): Promise<DeskResult> {
  if (result.duplicate || result.rejected || result.ticket.parentId === null) return result;
  const synced = await syncChild(deps, result.ticket.ticketId, {
    at: Math.max(at, result.ticket.lastEventAt),
  });
  if (synced.effects.length === 0 && synced.warnings.length === 0) return result;
  return {
    ...result,
    effects: [...result.effects, ...synced.effects],
    warnings: [...result.warnings, ...synced.warnings],
  };
}

/**
 * Where a message to a ticket that cannot take it goes: the merge target, or the ticket's
 * follow-up. A new follow-up copies the ticket's customer and subject, so it is saved only while
 * the ticket is at the version read (null otherwise: decide again on what the store holds, such
 * as the erased copy after a concurrent erasure).
 */
async function divert(
  deps: DeskDeps,
  from: StoredTicket,
  event: TicketEventOf<'customer.replied'>,
  close: boolean,
  key: string,
): Promise<DeskResult | null> {
  const origin = from.ticketId;
  const known = await deps.store.findByExternalId(key);
  if (known !== null) {
    const stored = await deps.loader.load(known);
    if (stored)
      return {
        ticket: deps.workflow(stored.workflowKey).view(stored.snapshot),
        effects: [],
        duplicate: true,
        warnings: [],
      };
  }
  let target: StoredTicket | null = from;
  let followUpOf = origin;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const context: TicketSnapshot['context'] = (target as StoredTicket).snapshot.context;
    const status: string = (target as StoredTicket).snapshot.status;
    let next: string;
    if (status === 'merged' && context.mergedInto !== null && hop < MAX_HOPS - 1) next = context.mergedInto;
    else next = followUpId(origin, hop + 1);
    const found = await load(deps, next);
    if (found !== null && !FINAL.has(found.snapshot.status)) {
      const result = await deliver(
        deps,
        { ...event, ticketId: next, meta: { ...(event.meta ?? {}), deliveredFrom: origin } },
        key,
      );
      return finish(deps, from, event, close, result, status === 'merged' ? 'forwarded' : 'follow_up');
    }
    if (found === null) {
      const c = from.snapshot.context;
      const opened = await openTicket(deps, {
        key,
        channel: event.channel ?? c.channel,
        customer: c.customer,
        subject: c.subject.startsWith('Re: ') ? c.subject : `Re: ${c.subject}`,
        body: event.body,
        at: event.at,
        ...(event.sentAt !== undefined ? { sentAt: event.sentAt } : {}),
        ...(c.language ? { language: c.language } : {}),
        meta: { ...(event.meta ?? {}), message: { ticketId: origin, eventId: event.id } },
        followUpOf,
        preferredId: next,
        fixedId: true,
        keyIsExternalId: false,
        copiedFrom: from,
      });
      if ('stale' in opened) return null;
      if ('result' in opened) return finish(deps, from, event, close, opened.result, 'follow_up');
      hop--; // someone opened it first: look at it again
      continue;
    }
    followUpOf = found.ticketId;
    target = found;
  }
  throw new CarekitError<WorkflowErrorCode>(
    'follow_up_chain_too_long',
    `ticket ${origin} has more than ${MAX_HOPS} closed follow-ups; the message ${event.id} was not stored`,
  );
}

/** Closes a solved ticket whose follow-up took the message, and reports both. */
async function finish(
  deps: DeskDeps,
  from: StoredTicket,
  event: TicketEventOf<'customer.replied'>,
  close: boolean,
  delivered: DeskResult,
  code: 'follow_up' | 'forwarded',
): Promise<DeskResult> {
  let ticket = deps.workflow(from.workflowKey).view(from.snapshot);
  const effects = [...delivered.effects];
  const warnings = [
    ...delivered.warnings,
    {
      code,
      message:
        code === 'forwarded'
          ? `ticket ${from.ticketId} was merged: the message went to ${delivered.ticket.ticketId}`
          : `ticket ${from.ticketId} is closed: the message went to its follow-up ${delivered.ticket.ticketId}`,
      ticketId: from.ticketId,
    } as const,
  ];
  if (close && !delivered.duplicate) {
    const closed = await applyToTicket(
      deps,
      {
        type: 'ticket.closed',
        id: `${event.id}:closed`,
        ticketId: from.ticketId,
        at: event.at,
        by: 'desk',
        reason: 'the customer wrote after the reopen window; the message opened a follow-up',
      },
      null,
    );
    if ('result' in closed) {
      ticket = closed.result.ticket;
      effects.push(...closed.result.effects);
    }
  }
  return {
    ticket,
    effects,
    ...(delivered.duplicate ? { duplicate: true as const } : {}),
    followUp: delivered.ticket,
    warnings,
  };
}
