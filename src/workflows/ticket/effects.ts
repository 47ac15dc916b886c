import type { Channel, Priority, SurveyKind } from '../../model/index.js';

/**
 * Something the host must do after an event was applied. carekit never sends mail or calls a
 * network; it returns effects as data and the host performs them (an outbox).
 *
 * | type | when | what the host does |
 * |---|---|---|
 * | `notify` | SLA warning or breach, a hierarchical escalation, a blocked customer's ticket sent to review, a business rule's `notify` action | tell the named agent or role |
 * | `send_template` | an acknowledgement or notice the policy asks for, a business rule's `send_template` action | render the template and send it to the customer |
 * | `route` | the ticket needs an assignee for its tier or queue (opened, escalated, sent to review) | run the router and emit `ticket.assigned` |
 * | `escalate` | the escalation policy moved the ticket up a tier | record it, usually followed by `route` |
 * | `request_survey` | the survey policy says it is time | send the survey |
 * | `open_follow_up` | a customer wrote to a solved ticket after the reopen window | open a new ticket linked to this one |
 */
export type TicketEffect =
  | NotifyEffect
  | SendTemplateEffect
  | RouteEffect
  | EscalateEffect
  | RequestSurveyEffect
  | OpenFollowUpEffect;

interface EffectBase {
  /**
   * Unique and stable: `<ticketId>/<causedBy>/<type>/<n>`, `n` counting the effects of that type
   * the same event caused. The same event applied to the same snapshot gives the same ids; an
   * outbox and its receivers deduplicate by it.
   */
  readonly id: string;
  readonly ticketId: string;
  /** The instant of the event that caused the effect (epoch ms). */
  readonly at: number;
  /** Id of the event that caused it. */
  readonly causedBy: string;
}

/** Tell a person or a role about the ticket. */
export interface NotifyEffect extends EffectBase {
  readonly type: 'notify';
  /** An agent id, or a role such as `assignee`, `team_lead`, `tier:2`. */
  readonly to: string;
  readonly reason: NotifyReason;
  readonly message: string;
}

export type NotifyReason =
  | 'sla_warning'
  | 'sla_breach'
  | 'escalation'
  | 'blocked_customer'
  | 'reopened'
  | 'low_survey_score'
  | 'rule'
  /** A side conversation's internal target passed without the third party's answer. */
  | 'side_overdue'
  /** A child ticket was solved, closed or merged (to the parent's assignee). */
  | 'child_done';

/** Send a rendered template to the customer. */
export interface SendTemplateEffect extends EffectBase {
  readonly type: 'send_template';
  readonly templateId: string;
  readonly customerId: string;
  readonly channel: Channel;
}

/** Ask the host's router for an assignee. */
export interface RouteEffect extends EffectBase {
  readonly type: 'route';
  readonly tier: number;
  /** A queue name when the ticket must go to a special queue (`review` for blocked customers). */
  readonly queue: string | null;
  readonly reason: string;
}

/** The ticket moved from one tier to another. */
export interface EscalateEffect extends EffectBase {
  readonly type: 'escalate';
  readonly fromTier: number;
  readonly toTier: number;
  readonly reason: string;
  readonly priority: Priority;
}

/** Send a satisfaction survey. */
export interface RequestSurveyEffect extends EffectBase {
  readonly type: 'request_survey';
  readonly survey: SurveyKind;
  readonly customerId: string;
  readonly reminder: boolean;
}

/** Open a new ticket that follows up this closed one, carrying the customer's message. */
export interface OpenFollowUpEffect extends EffectBase {
  readonly type: 'open_follow_up';
  readonly customerId: string;
  readonly body: string;
  readonly channel: Channel;
}

/** An effect before the lifecycle gives it its id (what the rules produce). */
export type EffectDraft = TicketEffect extends infer E
  ? E extends TicketEffect
    ? Omit<E, 'id'>
    : never
  : never;

/**
 * Gives each draft its id: `<ticketId>/<causedBy>/<type>/<n>`, `n` counting the drafts of that
 * type and cause before it in the list. Stable: the same drafts in the same order get the same ids.
 */
export function identifyEffects(drafts: readonly EffectDraft[]): TicketEffect[] {
  const seen = new Map<string, number>();
  return drafts.map((draft) => {
    const key = `${draft.ticketId}/${draft.causedBy}/${draft.type}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return { ...draft, id: `${key}/${n}` } as TicketEffect;
  });
}
