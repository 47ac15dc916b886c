import type { FieldValue, SettableStatus, TicketEvent, TicketStatuses } from '../model/index.js';
import type { RuleTicket } from './evaluateCondition.js';
import type { RuleAction } from './schema.js';

/** An event a rule makes, before the lifecycle gives it an id, an instant and the ticket. */
export type RuleEventBody = TicketEvent extends infer T
  ? T extends unknown
    ? Omit<T, 'id' | 'at' | 'ticketId'>
    : never
  : never;

/** What a rule's actions come to: changes (events) and notices (effects), in the order listed. */
export type RuleOutcome =
  | { readonly kind: 'event'; readonly event: RuleEventBody }
  | { readonly kind: 'notify'; readonly to: string; readonly message: string }
  | { readonly kind: 'send_template'; readonly templateId: string };

function outcome(event: RuleEventBody): RuleOutcome {
  return { kind: 'event', event };
}

function sameValue(a: FieldValue | undefined, b: unknown): boolean {
  if (b === null) return a === undefined;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/**
 * Turns one action into what it does to a ticket, or nothing when it would change nothing (a
 * priority already set, a tag already there): a rule that finds its work done makes no event,
 * which is what lets a pass of triggers come to rest. Each call returns new objects (the
 * lifecycle completes the event body in place).
 *
 * @example
 * ```ts
 * actionOutcome({ type: 'set_priority', priority: 'high' }, ticket, 'vip-reopen', null);
 * //=> { kind: 'event', event: { type: 'ticket.reprioritized', priority: 'high', by: { rule: 'vip-reopen' } } }
 * ```
 */
export function actionOutcome(
  action: Exclude<RuleAction, { type: 'custom' }>,
  ticket: RuleTicket,
  ruleId: string,
  statuses: TicketStatuses | null,
): RuleOutcome | null {
  const by = { rule: ruleId };
  switch (action.type) {
    case 'set_status': {
      const custom = statuses?.byId(action.status);
      const status = (custom?.category ?? action.status) as SettableStatus;
      const customStatus = custom === undefined ? null : custom.id;
      if (status === ticket.status && customStatus === ticket.customStatus) return null;
      return outcome(
        customStatus === null
          ? { type: 'ticket.status_set', status, by }
          : { type: 'ticket.status_set', status, customStatus, by },
      );
    }
    case 'set_priority':
      return action.priority === ticket.priority
        ? null
        : outcome({ type: 'ticket.reprioritized', priority: action.priority, by });
    case 'set_category':
      return action.category === ticket.category
        ? null
        : outcome({ type: 'ticket.categorized', category: action.category, by });
    case 'set_fields': {
      const changed = Object.entries(action.fields).filter(
        ([id, value]) => !sameValue(Object.hasOwn(ticket.fields, id) ? ticket.fields[id] : undefined, value),
      );
      return changed.length === 0
        ? null
        : outcome({ type: 'ticket.fields_set', fields: Object.fromEntries(changed), by });
    }
    case 'add_tags': {
      // One tag, the usual case: no set or list is built when it is already there.
      if (action.tags.length === 1) {
        const tag = action.tags[0]!;
        return ticket.tags.includes(tag) ? null : outcome({ type: 'ticket.tagged', add: [tag], by });
      }
      const add = [...new Set(action.tags)].filter((t) => !ticket.tags.includes(t));
      return add.length === 0 ? null : outcome({ type: 'ticket.tagged', add, by });
    }
    case 'remove_tags': {
      if (action.tags.length === 1) {
        const tag = action.tags[0]!;
        return ticket.tags.includes(tag) ? outcome({ type: 'ticket.tagged', remove: [tag], by }) : null;
      }
      const remove = [...new Set(action.tags)].filter((t) => ticket.tags.includes(t));
      return remove.length === 0 ? null : outcome({ type: 'ticket.tagged', remove, by });
    }
    case 'assign': {
      if (action.agentId !== undefined) {
        return action.agentId === ticket.assigneeId
          ? null
          : outcome({ type: 'ticket.assigned', agentId: action.agentId, by });
      }
      if (action.queue !== undefined) {
        return action.queue === ticket.queue && ticket.assigneeId === null
          ? null
          : outcome({ type: 'ticket.assigned', agentId: null, queue: action.queue, by });
      }
      const tier = action.tier ?? ticket.tier;
      return tier === ticket.tier && ticket.assigneeId === null
        ? null
        : outcome({ type: 'ticket.assigned', agentId: null, tier, by });
    }
    case 'escalate':
      return action.tier <= ticket.tier
        ? null
        : outcome({ type: 'ticket.escalated', tier: action.tier, reason: action.reason, by });
    case 'notify':
      return { kind: 'notify', to: action.to, message: action.message };
    case 'send_template':
      return { kind: 'send_template', templateId: action.templateId };
  }
}
