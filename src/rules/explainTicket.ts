import { parseTicketEvent, type TicketEvent } from '../model/index.js';
import type { RuleSet } from './defineRules.js';

/** Who made a change: a rule (trigger, automation or macro), an agent, the customer, a person or system by id. */
export type ChangeAuthor =
  | { readonly kind: 'rule'; readonly ruleId: string; readonly title: string | null }
  | { readonly kind: 'agent'; readonly agentId: string }
  | { readonly kind: 'customer'; readonly customerId: string }
  | { readonly kind: 'actor'; readonly id: string }
  | { readonly kind: 'unknown' };

/** One change in a ticket's log, with its author and a sentence. */
export interface TicketChange {
  readonly eventId: string;
  readonly at: number;
  readonly type: TicketEvent['type'];
  readonly by: ChangeAuthor;
  /** What changed, for a person: `set priority high`, `added tags vip_reopen`. */
  readonly change: string;
}

/** Options of {@link explainTicket}. */
export interface ExplainTicketOptions {
  /** The rules, to show their titles beside their ids. */
  readonly rules?: RuleSet;
}

function describe(e: TicketEvent): string {
  switch (e.type) {
    case 'ticket.opened':
      return `opened the ticket on ${e.channel}: ${e.subject}`;
    case 'customer.replied':
      return 'replied';
    case 'agent.replied':
      return `${e.public === false ? 'replied internally' : 'replied'}${e.status === undefined ? '' : ` and set status ${e.customStatus ?? e.status}`}`;
    case 'agent.noted':
      return 'added an internal note';
    case 'ticket.assigned':
      return e.agentId !== null
        ? `assigned it to ${e.agentId}`
        : e.queue !== undefined && e.queue !== null
          ? `moved it to the ${e.queue} queue`
          : e.tier !== undefined
            ? `released it to tier ${e.tier}`
            : 'unassigned it';
    case 'ticket.status_set':
      return `set status ${e.customStatus === undefined ? e.status : `${e.customStatus} (${e.status})`}`;
    case 'ticket.reprioritized':
      return `set priority ${e.priority}`;
    case 'ticket.categorized':
      return `categorized it as ${e.category}`;
    case 'ticket.escalated':
      return `escalated it to tier ${e.tier}: ${e.reason}`;
    case 'ticket.merged':
      return `merged it into ${e.into}`;
    case 'message.moved':
      return `moved ${e.author === 'customer' ? "the customer's" : 'an agent'} message ${e.message.eventId} in from ${e.from}`;
    case 'ticket.merged_from':
      return `merged ${e.source} into it (${e.moved} messages)`;
    case 'ticket.split':
      return `split ${e.messages.length} messages off into ${e.into}`;
    case 'ticket.parent_set':
      return e.parentId === null ? 'detached it from its parent' : `made it a child of ${e.parentId}`;
    case 'ticket.child_changed':
      return `noted child ${e.childId} as ${e.state}`;
    case 'side.opened':
      return `opened side conversation ${e.sideId} with ${e.participants.map((p) => p.id).join(', ')}`;
    case 'side.replied':
      return `${e.direction === 'in' ? 'received' : 'sent'} a message in side conversation ${e.sideId}`;
    case 'side.status_set':
      return `set side conversation ${e.sideId} ${e.status}`;
    case 'ticket.closed':
      return 'closed it';
    case 'ticket.marked_spam':
      return 'marked it as spam';
    case 'ticket.fields_set':
      return `set ${Object.entries(e.fields)
        .map(([id, v]) => (v === null ? `${id} (cleared)` : `${id} = ${JSON.stringify(v)}`))
        .join(', ')}`;
    case 'ticket.tagged': {
      const parts: string[] = [];
      if ((e.add ?? []).length > 0) parts.push(`added tags ${e.add!.join(', ')}`);
      if ((e.remove ?? []).length > 0) parts.push(`removed tags ${e.remove!.join(', ')}`);
      return parts.join(' and ') || 'changed no tags';
    }
    case 'macro.applied':
      return `applied macro ${e.macroId}`;
    case 'survey.answered':
      return `answered the ${e.survey} survey with ${e.score}`;
    case 'clock.tick':
      return 'time passed';
  }
}

/** Describes an event as a change, for explanations and what-if reviews. */
export function describeChange(event: TicketEvent): string {
  return describe(event);
}

/**
 * "Why did this happen?": for each change in a ticket's log, the rule or the person that made
 * it. Rule changes carry `by: { rule }`; agents are read from `agentId`, the customer from the
 * opening event, other authors from `by`. Clock ticks change nothing by themselves and are left out.
 *
 * @example
 * ```ts
 * explainTicket(log).map((c) => `${c.by.kind === 'rule' ? c.by.ruleId : c.by.kind}: ${c.change}`);
 * //=> ['customer: opened the ticket on email: Broken mug', 'agent: set status solved', 'customer: replied', 'vip-reopen: set priority high']
 * ```
 */
export function explainTicket(log: readonly unknown[], options: ExplainTicketOptions = {}): TicketChange[] {
  const events = log.map((e) => parseTicketEvent(e));
  const opened = events.find((e) => e.type === 'ticket.opened');
  const customerId = opened?.type === 'ticket.opened' ? opened.customer.id : null;
  const out: TicketChange[] = [];
  for (const e of events) {
    if (e.type === 'clock.tick') continue;
    const by = 'by' in e ? e.by : undefined;
    let author: ChangeAuthor;
    if (by !== undefined && typeof by === 'object') {
      author = { kind: 'rule', ruleId: by.rule, title: options.rules?.titleOf(by.rule) ?? null };
    } else if (
      (e.type === 'agent.replied' || e.type === 'agent.noted' || e.type === 'macro.applied') &&
      e.agentId
    ) {
      author = { kind: 'agent', agentId: e.agentId };
    } else if (typeof by === 'string') author = { kind: 'actor', id: by };
    else if (e.type === 'ticket.opened' && e.origin === 'agent' && e.agentId !== undefined)
      author = { kind: 'agent', agentId: e.agentId };
    else if (
      (e.type === 'ticket.opened' && (e.origin ?? 'customer') === 'customer') ||
      e.type === 'customer.replied' ||
      e.type === 'survey.answered'
    )
      author = customerId === null ? { kind: 'unknown' } : { kind: 'customer', customerId };
    else author = { kind: 'unknown' };
    out.push({ eventId: e.id, at: e.at, type: e.type, by: author, change: describe(e) });
  }
  return out;
}
