import type { TicketEventOf } from '../../model/index.js';
import { updateAutomations } from './automations.js';
import type { TicketContext } from './context.js';
import type { EffectDraft } from './effects.js';
import type { RuleEnv } from './ruleEnv.js';
import { applyEscalation } from './rules.js';
import { NO_SURVEY } from './survey.js';

/** The context of a ticket that was just opened, before any rule ran. */
export function openedContext(event: TicketEventOf<'ticket.opened'>, env: RuleEnv): TicketContext {
  const context: TicketContext = {
    ticketId: event.ticketId,
    channel: event.channel,
    subject: event.subject,
    customer: event.customer,
    language: event.language ?? event.customer.language ?? null,
    priority: event.priority ?? 'normal',
    category: event.category ?? null,
    tags: [...new Set(event.tags ?? [])],
    origin: event.origin ?? 'customer',
    followUpOf: event.followUpOf ?? null,
    assigneeId: null,
    tier: 1,
    queue: null,
    counters: {
      agentReplies: 0,
      botReplies: 0,
      internalNotes: 0,
      customerReplies: 0,
      reopens: 0,
      escalations: 0,
      assignments: 0,
    },
    openedAt: event.at,
    firstReplyAt: null,
    firstSolvedAt: null,
    solvedAt: null,
    solvedBy: null,
    closedAt: null,
    lastCustomerMessageAt: (event.origin ?? 'customer') === 'customer' ? event.at : null,
    lastAgentReplyAt: null,
    statusChangedAt: event.at,
    lastEventAt: event.at,
    excluded: null,
    mergedInto: null,
    mergedFrom: [],
    splitFrom: event.splitFrom?.ticketId ?? null,
    splitInto: [],
    parentId: event.parentId ?? null,
    children: {},
    sides: {},
    autoSolveAt: null,
    autoCloseAt: null,
    surveys: [],
    survey: { ...NO_SURVEY },
    // A blocked customer's ticket waits for review with no SLA clock (see the `assign` action).
    sla:
      env.sla === null || (event.customer.blocked === true && env.config.blockedCustomers === 'review_queue')
        ? null
        : env.sla.init(event),
    slaAlerts: {},
    eventIds: [event.id],
    fields: {},
    customStatus: null,
    automations: {},
  };
  if (env.rules !== null && env.rules.automations.length > 0)
    updateAutomations(context, 'new', event.at, env);
  return context;
}

/** The effects of opening a ticket that stays open: routing, and an acknowledgement if configured. */
export function openingEffects(
  ctx: TicketContext,
  event: TicketEventOf<'ticket.opened'>,
  env: RuleEnv,
): EffectDraft[] {
  const base = { ticketId: ctx.ticketId, at: event.at, causedBy: event.id };
  const effects: EffectDraft[] = [];
  if (ctx.customer.blocked === true) {
    // Under the review_queue rule a blocked customer's ticket goes to people who check it first.
    ctx.queue = env.config.reviewQueue;
    if (!ctx.tags.includes('blocked_customer')) ctx.tags.push('blocked_customer');
    effects.push({
      type: 'notify',
      ...base,
      to: 'team_lead',
      reason: 'blocked_customer',
      message: `ticket from blocked customer ${ctx.customer.id} sent to the ${env.config.reviewQueue} queue`,
    });
  }
  effects.push({ type: 'route', ...base, tier: ctx.tier, queue: ctx.queue, reason: 'new ticket' });
  if (env.config.acknowledgeTemplate !== null && ctx.origin === 'customer' && ctx.customer.blocked !== true) {
    effects.push({
      type: 'send_template',
      ...base,
      templateId: env.config.acknowledgeTemplate,
      customerId: ctx.customer.id,
      channel: ctx.channel,
    });
  }
  // A ticket opened with a classification is classified: the escalation policy hears it as it
  // hears a later `ticket.categorized` (a blocked customer's ticket is reviewed by people first).
  if (event.category !== undefined && ctx.customer.blocked !== true) {
    applyEscalation(ctx, event, env, effects, {
      kind: 'classified',
      category: event.category,
      ...(event.sentiment !== undefined ? { sentiment: event.sentiment } : {}),
      ...(event.tags !== undefined && event.tags.length > 0 ? { tags: event.tags } : {}),
    });
  }
  return effects;
}
