import type { TicketEvent, TicketEventOf } from '../../../model/index.js';
import { type BotDecision, type BotPolicy, readReply } from '../../../routing/index.js';
import type { TicketSnapshot } from '../../ticket/context.js';
import type { DeskDeps } from '../deps.js';
import { applyEvent, type Draft, warn } from '../draft.js';
import { BOT_QUEUE, type SendMessageEffect } from '../types.js';
import { renderContext } from './render.js';

/** Renders a bot message: the templates in order (an answer, then the question asking if it helped). */
function renderBot(
  deps: DeskDeps,
  draft: Draft,
  templateIds: readonly (string | undefined)[],
  id: string,
  causedBy: string,
  at: number,
): SendMessageEffect {
  const context = draft.snapshot.context;
  const view = draft.wf.view(draft.snapshot, { now: at });
  const parts: string[] = [];
  const html: string[] = [];
  const missing: string[] = [];
  let locale: string | null = view.language;
  let first: string | undefined;
  for (const templateId of templateIds) {
    if (templateId === undefined) continue;
    first ??= templateId;
    const message = (deps.templates as NonNullable<DeskDeps['templates']>).render(
      templateId,
      renderContext(deps, view, draft.snapshot),
      {
        channel: context.channel,
        customerId: context.customer.id,
        ticketId: context.ticketId,
        ...(view.language ? { locale: view.language } : {}),
      },
    );
    parts.push((message.text ?? message.output).trim());
    if (message.html !== undefined) html.push(message.html);
    missing.push(...message.missing);
    locale = message.locale ?? locale;
  }
  return {
    type: 'send_message',
    id,
    ticketId: context.ticketId,
    at,
    causedBy,
    templateId: first as string,
    customerId: context.customer.id,
    channel: context.channel,
    locale,
    text: parts.join('\n\n'),
    ...(html.length > 0 ? { html: html.join('\n') } : {}),
    missing,
    bot: true,
  };
}

/**
 * The bot's answer to a new ticket: it joins the bot queue, the answer is logged as a bot reply
 * that leaves the ticket pending, and the message replaces routing and the acknowledgement.
 * Returns false (people will answer) when the answer cannot be rendered or is refused.
 */
export function answerByBot(
  deps: DeskDeps,
  draft: Draft,
  decision: Extract<BotDecision, { answer: true }>,
  at: number,
): boolean {
  const policy = deps.botPolicy as BotPolicy;
  const ticketId = draft.ticketId;
  const replyId = `${ticketId}:bot:answer`;
  let message: SendMessageEffect;
  try {
    message = renderBot(
      deps,
      draft,
      [decision.suggestion.templateId, policy.askTemplateId],
      `${ticketId}/${replyId}/send_message/0`,
      replyId,
      at,
    );
  } catch (error) {
    warn(
      draft,
      'bot_render_failed',
      `the bot's answer could not be rendered, people will answer: ${String(error)}`,
    );
    return false;
  }
  const before = { snapshot: draft.snapshot, events: draft.events.length, pending: [...draft.pending] };
  const queued: TicketEvent = {
    type: 'ticket.assigned',
    id: `${ticketId}:bot:queue`,
    ticketId,
    at,
    agentId: null,
    queue: BOT_QUEUE,
    by: policy.agentId,
  };
  const reply: TicketEvent = {
    type: 'agent.replied',
    id: replyId,
    ticketId,
    at,
    agentId: policy.agentId,
    body: message.text,
    bot: true,
    status: 'pending',
    meta: {
      bot: {
        entryId: decision.suggestion.entryId,
        confidence: decision.suggestion.confidence,
        coverage: decision.suggestion.coverage,
      },
    },
  };
  const refused = applyEvent(draft, queued) ?? applyEvent(draft, reply);
  if (refused) {
    draft.snapshot = before.snapshot;
    draft.events.length = before.events;
    draft.pending.splice(0, draft.pending.length, ...before.pending);
    warn(draft, 'bot_refused', `the bot's answer was refused, people will answer: ${refused.message}`);
    return false;
  }
  // The bot's answer takes the place of routing and of the acknowledgement.
  const kept = draft.pending.filter((e) => e.type !== 'route' && e.type !== 'send_template');
  draft.pending.splice(0, draft.pending.length, ...kept);
  draft.effects.push(message);
  return true;
}

/**
 * What the bot does with a customer's message to a ticket it holds: solve it on a clear yes,
 * otherwise hand it over to people (out of the bot queue, with a notice and a route).
 */
export function followUpByBot(
  deps: DeskDeps,
  draft: Draft,
  before: TicketSnapshot,
  event: TicketEventOf<'customer.replied'>,
): { readonly handedOver: boolean; readonly reason: string } {
  const policy = deps.botPolicy as BotPolicy;
  const reading = readReply(event.body, deps.options.bot?.reading ?? {});
  const ticketId = draft.ticketId;
  const base = { ticketId, at: draft.snapshot.context.lastEventAt } as const;
  const reopened = before.status === 'solved';
  if (reading.verdict === 'yes' && !reading.anger && !reading.wantsPerson && !reopened && policy.solveOnYes) {
    const refused = applyEvent(draft, {
      type: 'agent.replied',
      id: `${event.id}:bot:solved`,
      ...base,
      agentId: policy.agentId,
      body: "Solved by the customer's confirmation of the self-service answer.",
      public: false,
      bot: true,
      status: 'solved',
    });
    if (!refused) return { handedOver: false, reason: `the customer confirmed (${reading.cues.join(', ')})` };
  }
  const reason = reopened
    ? 'the customer wrote again after the answer solved it'
    : reading.wantsPerson
      ? 'the customer asks for a person'
      : reading.anger
        ? `the customer shows anger (${reading.cues.join(', ')})`
        : reading.verdict === 'no'
          ? `the answer did not solve it (${reading.cues.join(', ')})`
          : 'the reply is not a clear yes';
  // One routing, to people: the lifecycle may have asked for one into the bot's queue (an
  // escalation on reopen); the hand-over's route, at the ticket's new tier, replaces it.
  const kept = draft.pending.filter((e) => !(e.type === 'route' && e.queue === BOT_QUEUE));
  draft.pending.splice(0, draft.pending.length, ...kept);
  const refused = applyEvent(draft, {
    type: 'ticket.assigned',
    id: `${event.id}:bot:handover`,
    ...base,
    agentId: null,
    queue: null,
    by: policy.agentId,
  });
  if (refused) {
    warn(draft, 'bot_refused', `the bot's hand-over was refused: ${refused.message}`);
    return { handedOver: false, reason };
  }
  if (policy.handoverTemplateId) {
    const noticeId = `${event.id}:bot:notice`;
    try {
      const message = renderBot(
        deps,
        draft,
        [policy.handoverTemplateId],
        `${ticketId}/${noticeId}/send_message/0`,
        noticeId,
        base.at,
      );
      const notice: TicketEvent = {
        type: 'agent.replied',
        id: noticeId,
        ...base,
        agentId: policy.agentId,
        body: message.text,
        bot: true,
      };
      if (!applyEvent(draft, notice))
        draft.effects.push({ ...message, channel: event.channel ?? message.channel });
    } catch (error) {
      warn(draft, 'bot_render_failed', `the bot's hand-over notice could not be rendered: ${String(error)}`);
    }
  }
  draft.pending.push({
    type: 'route',
    id: `${ticketId}/${event.id}/route/bot`,
    ...base,
    causedBy: event.id,
    tier: draft.snapshot.context.tier,
    queue: null,
    reason: `handed over by the bot: ${reason}`,
  });
  return { handedOver: true, reason };
}
