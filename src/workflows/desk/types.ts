import type { z } from 'zod';
import type { KpiReport, KpiReportOptions, TicketFacts } from '../../metrics/index.js';
import type { AgentInput, By, NowOptions, Priority, TicketEventInput } from '../../model/index.js';
import type { AnswerSuggestion, BotDecision, Classification, RouterState } from '../../routing/index.js';
import type { TicketEffect } from '../ticket/effects.js';
import type { TicketView } from '../ticket/view.js';
import type { Rejection } from '../ticket/workflow.js';
import type { DeskEffect, SendMessageEffect } from './effects.js';
import type { InboundContactInput } from './inbound.js';
import type { DeskBot, DeskTemplates, ResolvedDeskOptions } from './options.js';
import type { BlocklistChange, BlocklistEntry, ErasureOptions, ErasureResult, TicketStore } from './store.js';

export type { DeskBot, DeskEffect, DeskTemplates, SendMessageEffect };

/** Options of `desk.merge`. */
export interface MergeOptions {
  /** Who merged (an agent's id, or `{ rule }`). */
  readonly by: z.input<typeof By>;
  /** When (epoch ms, a `Date` or ISO 8601 with an offset). */
  readonly at: number | Date | string;
  /** Allow merging tickets of different customers (refused `invalid_merge` without it). */
  readonly acrossCustomers?: boolean;
  /**
   * A template to send to the customer of the target and of each source (a `send_template`
   * effect, rendered when the desk has the template): "we merged your requests".
   */
  readonly notifyTemplate?: string;
}

/** Options of `desk.split`. */
export interface SplitOptions {
  readonly by: z.input<typeof By>;
  readonly at: number | Date | string;
  /** The new ticket's id. Default `<ticketId>~S<n>`, `n` counting the ticket's splits. */
  readonly newTicketId?: string;
  /** The new ticket's subject. Default the original's. */
  readonly subject?: string;
}

/** Options of `desk.link`, `desk.unlink` and `desk.syncChild`. */
export interface RelationOptions {
  readonly by?: z.input<typeof By>;
  readonly at: number | Date | string;
}

/** The result of a relation operation (`merge`, `split`, `link`, `unlink`, `syncChild`). */
export interface DeskRelationResult {
  /** The ticket the operation was about: the merge's target, the split's new ticket, the link's child. */
  readonly ticket: TicketView | null;
  /** Every ticket involved, as it stands after the call. */
  readonly tickets: readonly TicketView[];
  readonly effects: readonly DeskEffect[];
  readonly warnings: readonly DeskWarning[];
  /** Why nothing changed (checked before anything was written). */
  readonly rejected?: Rejection;
}

/** Options of `desk.openChild`. */
export interface OpenChildOptions {
  /** The agent who opens it (the child's `origin` is `agent`). */
  readonly by: string;
  /** When (epoch ms, a `Date` or ISO 8601 with an offset). */
  readonly at: number | Date | string;
  /** What the other team is asked to do. */
  readonly subject: string;
  readonly body: string;
  /** The child's id. Default `<parentId>~C<n>`, `n` counting the parent's children. Pass it to retry a call. */
  readonly ticketId?: string;
  /** The child's category (for routing and SLA selection, e.g. `warehouse`). Default none. */
  readonly category?: string;
  /** Default the parent's priority. */
  readonly priority?: Priority;
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
  /**
   * Wakes every ticket whose due time has passed at `options.now` (a `Date` or epoch ms; default
   * the current time), and routes again the tickets waiting for an agent. An option other than
   * `now` is refused (`unrecognized_keys`).
   */
  tick(options?: NowOptions): Promise<DeskBatchResult>;
  /**
   * The positional form, kept for one release.
   *
   * @deprecated Pass `now` as an option: `desk.tick({ now })`.
   */
  tick(now: Date | number): Promise<DeskBatchResult>;
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
  /** A ticket as it stands at `options.now` (default its last event), or null. */
  ticket(ticketId: string, options?: NowOptions): Promise<TicketView | null>;
  /**
   * The positional form, kept for one release.
   *
   * @deprecated Pass `now` as an option: `desk.ticket(ticketId, { now })`.
   */
  ticket(ticketId: string, now: Date | number): Promise<TicketView | null>;
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
  openChild(parentId: string, options: OpenChildOptions): Promise<DeskRelationResult>;
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
