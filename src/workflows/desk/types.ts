import type { KpiReport, KpiReportOptions, TicketFacts } from '../../metrics/index.js';
import type { AgentInput, Channel, TicketEventInput } from '../../model/index.js';
import type {
  AnswerBook,
  AnswerSuggestion,
  BotDecision,
  BotPolicy,
  BotPolicyConfig,
  Classification,
  ReadReplyOptions,
  RouterState,
} from '../../routing/index.js';
import type { TicketEffect } from '../ticket/effects.js';
import type { TicketView } from '../ticket/view.js';
import type { Rejection } from '../ticket/workflow.js';
import type { DeskEffect, SendMessageEffect } from './effects.js';
import type { InboundContactInput } from './inbound.js';
import type {
  DeskRelationResult,
  MergeOptions,
  RelationOptions,
  SplitOptions,
} from './operations/relations.js';
import type { ResolvedDeskOptions } from './options.js';
import type { BlocklistChange, BlocklistEntry, ErasureOptions, ErasureResult, TicketStore } from './store.js';

export type { DeskEffect, SendMessageEffect };

/** What a desk needs of a template library (`createTemplateLibrary` from `carekit/templates` fits). */
export interface DeskTemplates {
  render(
    id: string,
    context: Record<string, unknown>,
    options: { channel: Channel; locale?: string; customerId?: string; ticketId?: string },
  ): {
    readonly output: string;
    readonly missing: readonly string[];
    readonly subject?: string;
    readonly text?: string;
    /** The locale of the version that rendered (after fallback). */
    readonly locale?: string;
    /** The HTML body, for email. */
    readonly html?: string;
  };
  /** The locale a template renders in for a requested one (so a promise is worded in the same language). */
  resolveLocale?(id: string, locale?: string): string;
  /** Whether the library has a template (the desk renders survey requests when it does). */
  has?(id: string): boolean;
}

/**
 * The assistant of a desk: an answer book and the policy of when it answers by itself. A bot
 * answer is logged as `agent.replied` with `bot: true`, ends with the `askTemplateId` question
 * and leaves the ticket `pending` in the `bot` queue (no agent is routed). The customer's next
 * message decides: a clear yes solves the ticket; a no, anything unclear, anger or a request for a
 * person hands it over (out of the queue, routed, with the `handoverTemplateId` notice). The
 * ticket's SLA reply clocks keep running for a person unless the SLA policy sets `botRepliesCount`.
 */
export interface DeskBot {
  readonly book: AnswerBook;
  readonly policy?: BotPolicy | BotPolicyConfig;
  /** Extra words for reading the customer's answer. */
  readonly reading?: ReadReplyOptions;
}

/** The queue a ticket sits in while the bot holds it. */
export const BOT_QUEUE = 'bot';

/** Why a desk call did less than asked, or did something the host should know about. */
export type DeskWarningCode =
  | 'classifier_failed'
  | 'render_failed'
  | 'bot_render_failed'
  | 'bot_refused'
  | 'waiting'
  | 'no_agent_for_tier'
  | 'assignment_refused'
  | 'fallback'
  | 'follow_up'
  | 'forwarded'
  | 'deadlines_applied'
  | 'clock_skew'
  /** A business rule loop was stopped at its limit (the message names the rules). */
  | 'rule_cycle'
  /** The lifecycle refused a change a business rule asked for. */
  | 'rule_action_rejected'
  /** A relation operation did part of its work: another call changed a ticket meanwhile (docs/relations.md). */
  | 'relation_incomplete';

/** A warning: a stable code, a sentence for a person, and the ticket it is about. */
export interface DeskWarning {
  readonly code: DeskWarningCode;
  readonly message: string;
  readonly ticketId: string;
}

/** The result of `desk.receive` and `desk.handle`. */
export interface DeskResult {
  /** The ticket the call acted on (for a diverted message: the ticket that now holds it). */
  readonly ticket: TicketView;
  readonly effects: readonly DeskEffect[];
  /** True when the contact or event had been received before: nothing changed. */
  readonly duplicate?: true;
  /** Why the event was refused (nothing changed but passed deadlines). */
  readonly rejected?: Rejection;
  /** What the classifier said about a new contact. */
  readonly classification?: Classification;
  /** The answer book's best answers for a new contact (with a `bot`), for the agent who replies. */
  readonly suggestions?: readonly AnswerSuggestion[];
  /** What the bot decided about a new contact, or how it read the customer's answer. */
  readonly bot?: BotDecision | { readonly handedOver: boolean; readonly reason: string };
  /** The follow-up ticket that took a message written to a closed ticket. */
  readonly followUp?: TicketView;
  readonly warnings: readonly DeskWarning[];
}

/** The result of calls that touch many tickets: `tick` and `setAgents`. */
export interface DeskBatchResult {
  /** Every ticket the call changed, as it stands after the change. */
  readonly tickets: readonly TicketView[];
  readonly effects: readonly DeskEffect[];
  readonly warnings: readonly DeskWarning[];
  /** Events the lifecycle refused (a tick never is; a hand-over may be). */
  readonly rejections: readonly Rejection[];
}

/** An outreach plan (`planOutreach`, `planCheckIns`): the outbound ticket's events and effects. */
export interface OutreachPlanInput {
  readonly ticketId: string;
  readonly events: readonly TicketEventInput[];
  readonly effects?: readonly TicketEffect[];
}

/** The composed care process: intake, lifecycle, routing, escalation, templates, metrics. */
export interface Desk {
  /**
   * The options the desk was created with (after validation), the function-form policies
   * included: what review documents describe (`describeDesk(desk)`). The agents are the team
   * as last set by `setAgents`.
   */
  readonly options: ResolvedDeskOptions;
  /**
   * Takes an inbound contact: validates, deduplicates (per channel), threads it onto the ticket
   * it answers (`inReplyTo`, `references`, `followUpOf`) or classifies, opens, routes and
   * acknowledges a new ticket. The contact is typed; it is still validated at run time, so a
   * webhook body (`unknown`) may be passed once read as one: `desk.receive(parseInput(InboundContact, body))`.
   */
  receive(inbound: InboundContactInput): Promise<DeskResult>;
  /**
   * Applies any ticket event under the time rule, re-routing when needed; retries on a concurrent
   * update. The event is typed (a misspelt field is a type error) and still validated at run time;
   * a webhook body goes through `parseTicketEvent(body)` first.
   */
  handle(event: TicketEventInput): Promise<DeskResult>;
  /** Wakes every ticket whose due time has passed, and routes again the tickets waiting for an agent. */
  tick(now: number): Promise<DeskBatchResult>;
  /**
   * Replaces the team (availability, capacity, shifts...). Open tickets of agents who are no
   * longer available (away, offline, or gone) are routed to someone else, or wait. A bad
   * argument throws before anything changes.
   */
  setAgents(agents: readonly AgentInput[], at: number): Promise<DeskBatchResult>;
  /**
   * Opens an outbound ticket from an outreach plan (`planOutreach`, `planCheckIns`): its events
   * are stored and its `send_template` effects rendered. Nobody is routed until the customer
   * answers. A plan applied before (same ticket id) changes nothing and comes back `duplicate`.
   */
  reachOut(plan: OutreachPlanInput): Promise<DeskResult>;
  /** A ticket as it stands, or null. */
  ticket(ticketId: string, now?: number): Promise<TicketView | null>;
  /**
   * Merges the sources into the target: their threads move into it (each message keeps its
   * identity), they end `merged`, and later messages to them are forwarded to it. Refused with
   * nothing written for a missing, closed or merged ticket, another customer's without
   * `acrossCustomers`, a source with open children, or a target that descends from a source.
   * See docs/relations.md for the order of the writes and the SLA and KPI rules.
   */
  merge(sourceIds: readonly string[], targetId: string, options: MergeOptions): Promise<DeskRelationResult>;
  /**
   * Splits messages of a ticket's thread off into a new ticket linked to it (`splitFrom`), with
   * its own classification, routing and SLA clocks from the split instant.
   */
  split(
    ticketId: string,
    messages: readonly (string | { ticketId: string; eventId: string })[],
    options: SplitOptions,
  ): Promise<DeskRelationResult>;
  /** Makes `childId` a child of `parentId`; the parent cannot be solved while the child is open. */
  link(parentId: string, childId: string, options: RelationOptions): Promise<DeskRelationResult>;
  /** Opens a child ticket of `parentId` (work handed to another team) and links it (docs/relations.md). */
  openChild(
    parentId: string,
    options: import('./operations/openChild.js').OpenChildOptions,
  ): Promise<DeskRelationResult>;
  /** Detaches a child from its parent. */
  unlink(parentId: string, childId: string, options: RelationOptions): Promise<DeskRelationResult>;
  /** Tells a child's parent whether the child is open or done (after the child's status changed). */
  syncChild(childId: string, options: RelationOptions): Promise<DeskRelationResult>;
  /** The KPI report over the stored events of tickets opened in the range. */
  metrics(range?: { from?: number; to?: number }, options?: KpiReportOptions): Promise<KpiReport>;
  /** The facts of every ticket opened in the range (for custom KPIs). */
  facts(range?: { from?: number; to?: number }): Promise<readonly TicketFacts[]>;
  readonly blocklist: {
    add(customerId: string, entry: { reason: string; by: string; at: number }): Promise<void>;
    remove(customerId: string, change: { by: string; at: number; reason?: string }): Promise<boolean>;
    has(customerId: string): Promise<boolean>;
    list(): Promise<readonly BlocklistEntry[]>;
    history(): Promise<readonly BlocklistChange[]>;
  };
  /**
   * Erases a customer's personal data from the store (`store.eraseCustomer`, see
   * docs/data-protection.md) and drops the desk's cached copies of the changed tickets.
   *
   * @example
   * ```ts
   * await desk.eraseCustomer('c-42', { by: 'dpo@shop', reason: 'GDPR request 2026-118' });
   * //=> { ticketIds: ['T-1', 'T-9'], record: { action: 'erase', customerId: 'c-42', ... } }
   * ```
   */
  eraseCustomer(customerId: string, options: ErasureOptions): Promise<ErasureResult>;
  /**
   * Checks every stored snapshot and forgets what the desk read of the store (loads, customers).
   * A desk keeps no decisions of its own (loads, the waiting list, the router's memory and the NPS
   * throttle are the store's, shared by every desk over it), so it never needs this to decide
   * right; it counts the live, held and waiting tickets.
   */
  restore(): Promise<{ readonly tickets: number; readonly held: number; readonly waiting: number }>;
  /** The router's state as the store holds it: open tickets per agent, the router's memory. */
  routerState(): Promise<RouterState>;
  /** The ids of tickets waiting for an agent (none was eligible when they were routed), longest waiting first. */
  waiting(): Promise<readonly string[]>;
  /** The template library the desk renders with (null without one). */
  readonly templates: DeskTemplates | null;
  readonly store: TicketStore;
}
