import type { TicketStatus } from '../../model/index.js';
import {
  automationInstant,
  nextAutomationState,
  type RuleSlaClock,
  type RuleTicket,
} from '../../rules/index.js';
import type { TicketContext } from './context.js';
import type { RuleEnv } from './rules.js';

/** The ticket as rules read it. SLA clocks are read only if a rule asks for them. */
export function ruleTicketOf(status: TicketStatus, ctx: TicketContext, at: number, env: RuleEnv): RuleTicket {
  let sla: Readonly<Record<string, RuleSlaClock>> | null | undefined;
  return {
    ticketId: ctx.ticketId,
    status,
    customStatus: ctx.customStatus,
    priority: ctx.priority,
    category: ctx.category,
    channel: ctx.channel,
    customerId: ctx.customer.id,
    segment: ctx.customer.segment ?? null,
    language: ctx.language,
    origin: ctx.origin,
    assigneeId: ctx.assigneeId,
    queue: ctx.queue,
    tier: ctx.tier,
    reopens: ctx.counters.reopens,
    agentReplies: ctx.counters.agentReplies,
    customerReplies: ctx.counters.customerReplies,
    tags: ctx.tags,
    customerTags: ctx.customer.tags ?? [],
    fields: ctx.fields,
    openedAt: ctx.openedAt,
    statusChangedAt: ctx.statusChangedAt,
    lastCustomerMessageAt: ctx.lastCustomerMessageAt,
    lastAgentReplyAt: ctx.lastAgentReplyAt,
    solvedAt: ctx.solvedAt,
    get sla() {
      if (sla === undefined) {
        sla = env.sla === null || ctx.sla === null ? null : env.sla.read(ctx.sla, at).clocks;
      }
      return sla;
    },
  };
}

/** Recomputes every automation's state after an event at `at` with the status reached. */
export function updateAutomations(ctx: TicketContext, status: TicketStatus, at: number, env: RuleEnv): void {
  const rules = env.rules!;
  const ticket = ruleTicketOf(status, ctx, at, env);
  const next: Record<string, number | 'fired'> = {};
  for (const automation of rules.automations) {
    const state = nextAutomationState(
      ctx.automations[automation.id],
      automationInstant(automation, ticket, at, rules.calendars),
      at,
    );
    if (state !== undefined) next[automation.id] = state;
  }
  ctx.automations = next;
}
