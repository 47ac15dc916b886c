import { z } from 'zod';
import type { Calendar } from '../../calendar/index.js';
import {
  type KpiReport,
  type KpiReportOptions,
  kpiReport,
  type TicketFacts,
  ticketFacts,
} from '../../metrics/index.js';
import {
  Agent,
  type AgentInput,
  CarekitError,
  Channel,
  Customer,
  Id,
  Instant,
  Label,
  Locale,
  parseInput,
  parseTicketEvent,
  type TicketEvent,
} from '../../model/index.js';
import {
  type AnswerBook,
  type AnswerSuggestion,
  type BotDecision,
  type BotPolicy,
  type BotPolicyConfig,
  type Classification,
  type Classifier,
  createBotPolicy,
  createRouter,
  decideBotAnswer,
  type EscalationPolicy,
  initialRouterState,
  type ReadReplyOptions,
  type Router,
  type RouterState,
  type RoutingPolicy,
  type RoutingPolicyConfig,
  type RoutingTicketInput,
  readReply,
  type SegmentRules,
  suggestAnswers,
} from '../../routing/index.js';
import {
  formatPromise,
  promiseFor,
  type SlaCalendars,
  type SlaPolicy,
  selectSlaPolicy,
} from '../../sla/index.js';
import type { TicketSnapshot } from '../ticket/context.js';
import type { TicketEffect } from '../ticket/effects.js';
import { type EscalateFn, lifecycleFactsOptions, type TicketWorkflowConfigInput } from '../ticket/options.js';
import type { TicketView } from '../ticket/view.js';
import { createTicketWorkflow, type Rejection, type TicketWorkflow } from '../ticket/workflow.js';
import {
  type BlocklistChange,
  type BlocklistEntry,
  createMemoryStore,
  type StoredTicket,
  type TicketStore,
} from './store.js';

/** An inbound contact from any channel: what `desk.receive` takes. */
export const InboundContact = z.strictObject({
  /** The contact's id in the system it came from (mail Message-ID, chat id): the deduplication key. */
  externalId: z.string().min(1).max(1000),
  channel: Channel,
  customer: Customer,
  subject: z.string().max(998).default(''),
  body: z.string().max(200_000),
  at: Instant,
  language: Locale.optional(),
  tags: z.array(Label).max(100).optional(),
});
export type InboundContact = z.output<typeof InboundContact>;
export type InboundContactInput = z.input<typeof InboundContact>;

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
  };
  /** The locale a template renders in for a requested one (so a promise is worded in the same language). */
  resolveLocale?(id: string, locale?: string): string;
}

/** A message rendered from a template, for the host to send. */
export interface SendMessageEffect {
  readonly type: 'send_message';
  /** Unique and stable; a message rendered for a `send_template` effect keeps that effect's id. */
  readonly id: string;
  readonly ticketId: string;
  readonly at: number;
  readonly causedBy: string;
  readonly templateId: string;
  readonly customerId: string;
  readonly channel: Channel;
  readonly locale: string | null;
  readonly text: string;
  readonly subject?: string;
  /** Template variables that had no value (the message was still rendered). */
  readonly missing: readonly string[];
  /** The message is the bot's answer (or its hand-over notice), logged as a reply with `bot: true`. */
  readonly bot?: true;
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

/** What the host performs after a desk call: the lifecycle's effects and rendered messages. */
export type DeskEffect = TicketEffect | SendMessageEffect;

/** Options of {@link createDesk}. Every part is optional; a bare desk opens and tracks tickets. */
export interface DeskOptions {
  /** Where tickets live. Default {@link createMemoryStore}. */
  readonly store?: TicketStore;
  /** Business calendars by name, for SLA policies and agents' shifts. */
  readonly calendars?: SlaCalendars;
  /** SLA policies; per ticket the first whose `when` matches (list specific ones first). */
  readonly slaPolicies?: readonly SlaPolicy[];
  readonly classifier?: Classifier;
  /** Customer segments (`vip`, `at_risk`...): the first becomes the ticket's segment. */
  readonly segments?: SegmentRules;
  readonly agents?: readonly AgentInput[];
  /** A router, or a routing policy to build one (default: least loaded). */
  readonly router?: Router | RoutingPolicy | RoutingPolicyConfig;
  readonly escalation?: EscalateFn | EscalationPolicy;
  /** The lifecycle's settings (reopen window, auto-solve, blocked customers, acknowledgement, survey...). */
  readonly lifecycle?: TicketWorkflowConfigInput;
  readonly templates?: DeskTemplates;
  /** Extra template variables (brand, agent names...) merged into every message's context. */
  readonly templateContext?: (ticket: TicketView) => Record<string, unknown>;
  /** Ticket ids for new contacts. Default: `T-` and a 64-bit hash of the external id. */
  readonly ticketId?: (inbound: InboundContact) => string;
  /** Attempts of a handle that meets a version conflict. Default 8. */
  readonly maxAttempts?: number;
  /** A business calendar for the business-hours KPIs of `desk.metrics`. */
  readonly metricsCalendar?: Calendar;
  /** An assistant that answers frequent questions by itself (needs `templates`). */
  readonly bot?: DeskBot;
  /**
   * How the desk words its promises. A new ticket with a first-reply target gives its templates
   * `reply_by` (from `promiseFor`: never earlier than the SLA due time, later when the queue
   * needs it, rounded up, in the customer's time zone and language) and `promise` (`at` as ISO
   * 8601, `basis`).
   */
  readonly promise?: {
    /** Typical handling time per ticket: with it the queue (waiting and open tickets over available agents) can push the promise later. */
    readonly msPerTicket?: number;
    readonly roundTo?: 'hour' | 'half_hour' | 'none';
    /** When the customer has no time zone. Default UTC. */
    readonly timeZone?: string;
    /** When neither the ticket nor the customer has a language. Default `en`. */
    readonly locale?: string;
  };
}

/** The result of `desk.receive` and `desk.handle`. */
export interface DeskResult {
  readonly ticket: TicketView;
  readonly effects: readonly DeskEffect[];
  /** True when the contact or event had been received before: nothing changed. */
  readonly duplicate?: true;
  /** Why the event was refused (nothing changed). */
  readonly rejected?: Rejection;
  /** What the classifier said about a new contact. */
  readonly classification?: Classification;
  /** The answer book's best answers for a new contact (with a `bot`), for the agent who replies. */
  readonly suggestions?: readonly AnswerSuggestion[];
  /** What the bot decided about a new contact, or how it read the customer's answer. */
  readonly bot?: BotDecision | { readonly handedOver: boolean; readonly reason: string };
  /** A follow-up ticket the desk opened (a customer wrote to a closed ticket). */
  readonly followUp?: TicketView;
  readonly warnings: readonly string[];
}

/** The composed care process: intake, lifecycle, routing, escalation, templates, metrics. */
export interface Desk {
  /** Takes an inbound contact: validates, deduplicates, classifies, opens, routes, acknowledges. */
  receive(inbound: unknown): Promise<DeskResult>;
  /** Applies any ticket event, re-routing when needed; retries on a concurrent update. */
  handle(event: unknown): Promise<DeskResult>;
  /** Wakes every ticket whose due time has passed, and routes again the tickets waiting for an agent. */
  tick(
    now: number,
  ): Promise<{ readonly tickets: readonly TicketView[]; readonly effects: readonly DeskEffect[] }>;
  /**
   * Replaces the team (availability, capacity, shifts...). Open tickets of agents who are no
   * longer available (away, offline, or gone) are routed to someone else, or wait.
   */
  setAgents(
    agents: readonly AgentInput[],
    at: number,
  ): Promise<{ readonly tickets: readonly TicketView[]; readonly effects: readonly DeskEffect[] }>;
  /**
   * Opens an outbound ticket from an outreach plan (`planOutreach`, `planCheckIns`): its events
   * are stored and its `send_template` effects rendered. Nobody is routed until the customer
   * answers. A plan applied before (same ticket id) changes nothing and comes back `duplicate`.
   */
  reachOut(plan: {
    readonly ticketId: string;
    readonly events: readonly unknown[];
    readonly effects?: readonly TicketEffect[];
  }): Promise<DeskResult>;
  /** A ticket as it stands, or null. */
  ticket(ticketId: string, now?: number): Promise<TicketView | null>;
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
   * Rebuilds what the desk keeps in memory from the store: the open tickets each agent holds
   * (the router's loads) and the tickets waiting for an agent (new or open, nobody assigned, in
   * no special queue). Call it when a desk starts over a store that outlives the process (a
   * database); the memory store never needs it. Round robin's last-assignment times are not in
   * the store and start afresh.
   */
  restore(): Promise<{ readonly tickets: number; readonly held: number; readonly waiting: number }>;
  /** The router's state: open tickets per agent, last assignments. */
  routerState(): RouterState;
  /** The ids of tickets waiting for an agent (none was eligible when they were routed). */
  waiting(): readonly string[];
  readonly store: TicketStore;
}

const NO_SLA = '(none)';
const FINAL = new Set(['closed', 'merged']);
const DONE = new Set(['solved', 'closed', 'merged']);

function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * The variables a desk gives templates: `ticket` (the view, with `id`), `customer` (with
 * `first_name`, the first word of the name), `agent` (the assignee's `id` and `name`), for a new
 * ticket `reply_by` and `promise`, and the host's own from `templateContext`, which win.
 */
function templateVariables(
  view: TicketView,
  snapshot: TicketSnapshot,
  agents: readonly AgentInput[],
  extra: ((ticket: TicketView) => Record<string, unknown>) | undefined,
  promise: Record<string, unknown> = {},
): Record<string, unknown> {
  const customer = snapshot.context.customer;
  const firstName = customer.name?.trim().split(/\s+/)[0];
  const agent = agents.find((a) => a.id === view.assigneeId);
  return {
    ticket: { ...view, id: view.ticketId },
    customer: { ...customer, ...(firstName ? { first_name: firstName } : {}) },
    ...(agent ? { agent: { id: agent.id, name: agent.name } } : {}),
    ...promise,
    ...(extra?.(view) ?? {}),
  };
}

function addLoad(state: RouterState, agentId: string): RouterState {
  const loads: Record<string, number> = Object.assign(Object.create(null), state.loads);
  loads[agentId] = (loads[agentId] ?? 0) + 1;
  return { ...state, loads };
}

const BlockInput = z.strictObject({
  customerId: Id,
  reason: z.string().min(1).max(2000),
  by: Id,
  at: Instant,
});

/**
 * Composes carekit into one care process over a {@link TicketStore}: `receive` turns an inbound
 * contact into a routed, acknowledged ticket; `handle` applies events with optimistic
 * concurrency (a conflicting save reloads and retries, so no update is lost) and re-routes
 * escalated tickets; `tick` wakes due tickets; `metrics` reports KPIs from the stored events.
 * The desk performs the lifecycle's `route` effects itself (emitting `ticket.assigned` through
 * the same path, so the log has them) and renders `send_template` effects when a template
 * library is given; every other effect is returned for the host to perform.
 *
 * @example
 * ```ts
 * const desk = createDesk({ agents: [{ id: 'a1', name: 'Ana' }] });
 * const { ticket } = await desk.receive({
 *   externalId: 'mail-1', channel: 'email', customer: { id: 'c1' },
 *   subject: 'Late parcel', body: 'Where is my order?', at: '2026-11-23T09:00:00Z',
 * });
 * [ticket.status, ticket.assigneeId];
 * //=> ['open', 'a1']
 * ```
 */
export function createDesk(options: DeskOptions = {}): Desk {
  const store = options.store ?? createMemoryStore();
  const policies = options.slaPolicies ?? [];
  let agents: readonly AgentInput[] = options.agents
    ? parseInput(z.array(Agent), options.agents, 'agents')
    : [];
  const router: Router =
    options.router && 'route' in options.router && typeof options.router.route === 'function'
      ? (options.router as Router)
      : createRouter(
          (options.router as RoutingPolicy | RoutingPolicyConfig | undefined) ?? {},
          options.calendars ? { calendars: options.calendars as Record<string, Calendar> } : {},
        );
  const maxAttempts = options.maxAttempts ?? 8;
  const workflows = new Map<string, TicketWorkflow>();
  let routing: RouterState = initialRouterState();
  // When each customer was last asked for NPS (the per-customer throttle the lifecycle asks about).
  const npsAskedAt = new Map<string, number>();
  // Tickets that found no agent, retried on every tick (shifts start, agents free up).
  const waiting = new Map<string, RoutingTicketInput>();

  const workflow = (key: string): TicketWorkflow => {
    let found = workflows.get(key);
    if (!found) {
      const policy = key === NO_SLA ? null : (policies.find((p) => p.id === key) ?? null);
      if (key !== NO_SLA && policy === null) {
        throw new CarekitError(
          'unknown_workflow',
          `the stored ticket runs under SLA policy \`${key}\`, which this desk does not have`,
        );
      }
      found = createTicketWorkflow({
        ...(options.lifecycle ?? {}),
        npsEligible: (customerId, at, every) => {
          const last = npsAskedAt.get(customerId);
          return last === undefined || at - last >= every;
        },
        sla: policy,
        ...(options.calendars ? { calendars: options.calendars } : {}),
        ...(options.escalation ? { escalation: options.escalation } : {}),
      });
      workflows.set(key, found);
    }
    return found;
  };
  // Fail on a bad lifecycle configuration now, not on the first contact.
  workflow(NO_SLA);
  const botPolicy = options.bot ? createBotPolicy(options.bot.policy ?? {}) : null;
  if (options.bot && !options.templates) {
    throw new CarekitError('bot_needs_templates', 'the bot needs `templates` to render its answers');
  }

  /** Renders a bot message: the template, then (for an answer) the question asking if it helped. */
  const renderBot = (
    templateIds: readonly (string | undefined)[],
    snapshot: TicketSnapshot,
    view: TicketView,
    channel: Channel,
  ) => {
    const parts: string[] = [];
    const missing: string[] = [];
    for (const id of templateIds) {
      if (id === undefined) continue;
      const message = (options.templates as DeskTemplates).render(
        id,
        templateVariables(view, snapshot, agents, options.templateContext),
        {
          channel,
          customerId: snapshot.context.customer.id,
          ticketId: view.ticketId,
          ...(view.language ? { locale: view.language } : {}),
        },
      );
      parts.push((message.text ?? message.output).trim());
      missing.push(...message.missing);
    }
    return { text: parts.join('\n\n'), missing };
  };

  /** Applies the desk's own events in order; stops at the first refused one (and says why). */
  const applyAll = (
    wf: TicketWorkflow,
    start: TicketSnapshot,
    events: readonly TicketEvent[],
    appended: TicketEvent[],
  ): { snapshot: TicketSnapshot; effects: DeskEffect[]; refused: string | null } => {
    let snapshot = start;
    const effects: DeskEffect[] = [];
    for (const event of events) {
      const result = wf.apply(snapshot, event);
      if (result.rejected) return { snapshot: start, effects: [], refused: result.rejected.message };
      snapshot = result.snapshot;
      effects.push(...result.effects);
    }
    appended.push(...events);
    return { snapshot, effects, refused: null };
  };

  /**
   * The bot's answer to a new ticket: the events that put it in the bot queue and log the
   * answer, and the message to send; null when the answer cannot be rendered.
   */
  const botAnswer = (
    wf: TicketWorkflow,
    snapshot: TicketSnapshot,
    decision: Extract<BotDecision, { answer: true }>,
    at: number,
    warnings: string[],
  ) => {
    const policy = botPolicy as BotPolicy;
    const context = snapshot.context;
    let rendered: { text: string; missing: string[] };
    try {
      rendered = renderBot(
        [decision.suggestion.templateId, policy.askTemplateId],
        snapshot,
        wf.view(snapshot, at),
        context.channel,
      );
    } catch (error) {
      warnings.push(`the bot's answer could not be rendered, people will answer: ${String(error)}`);
      return null;
    }
    const reply: TicketEvent = {
      type: 'agent.replied',
      id: `${context.ticketId}:bot:answer`,
      ticketId: context.ticketId,
      at,
      agentId: policy.agentId,
      body: rendered.text,
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
    const queued: TicketEvent = {
      type: 'ticket.assigned',
      id: `${context.ticketId}:bot:queue`,
      ticketId: context.ticketId,
      at,
      agentId: null,
      queue: BOT_QUEUE,
      by: policy.agentId,
    };
    const message: SendMessageEffect = {
      type: 'send_message',
      id: `${context.ticketId}/${reply.id}/send_message/0`,
      ticketId: context.ticketId,
      at,
      causedBy: reply.id,
      templateId: decision.suggestion.templateId,
      customerId: context.customer.id,
      channel: context.channel,
      locale: context.language,
      text: rendered.text,
      missing: rendered.missing,
      bot: true,
    };
    return { events: [queued, reply], message };
  };

  /**
   * What the bot does with a customer's message to a ticket it holds: solve it on a clear yes,
   * otherwise hand it over to people (out of the bot queue, with a notice and a route effect).
   */
  const botFollowUp = (
    wf: TicketWorkflow,
    before: TicketSnapshot,
    after: TicketSnapshot,
    event: Extract<TicketEvent, { type: 'customer.replied' }>,
    warnings: string[],
  ) => {
    const policy = botPolicy as BotPolicy;
    const reading = readReply(event.body, options.bot?.reading ?? {});
    const context = after.context;
    const base = { ticketId: context.ticketId, at: event.at } as const;
    const reopened = before.status === 'solved';
    if (
      reading.verdict === 'yes' &&
      !reading.anger &&
      !reading.wantsPerson &&
      !reopened &&
      policy.solveOnYes
    ) {
      const solved: TicketEvent = {
        type: 'agent.replied',
        id: `${event.id}:bot:solved`,
        ...base,
        agentId: policy.agentId,
        body: "Solved by the customer's confirmation of the self-service answer.",
        public: false,
        bot: true,
        status: 'solved',
      };
      return {
        events: [solved],
        route: null,
        message: null,
        reading: { handedOver: false, reason: `the customer confirmed (${reading.cues.join(', ')})` },
      };
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
    const events: TicketEvent[] = [
      {
        type: 'ticket.assigned',
        id: `${event.id}:bot:handover`,
        ...base,
        agentId: null,
        queue: null,
        by: policy.agentId,
      },
    ];
    let message: SendMessageEffect | null = null;
    if (policy.handoverTemplateId) {
      try {
        const rendered = renderBot(
          [policy.handoverTemplateId],
          after,
          wf.view(after, event.at),
          context.channel,
        );
        const notice: TicketEvent = {
          type: 'agent.replied',
          id: `${event.id}:bot:notice`,
          ...base,
          agentId: policy.agentId,
          body: rendered.text,
          bot: true,
        };
        events.push(notice);
        message = {
          type: 'send_message',
          id: `${context.ticketId}/${notice.id}/send_message/0`,
          ...base,
          causedBy: notice.id,
          templateId: policy.handoverTemplateId,
          customerId: context.customer.id,
          channel: event.channel ?? context.channel,
          locale: context.language,
          text: rendered.text,
          missing: rendered.missing,
          bot: true,
        };
      } catch (error) {
        warnings.push(`the bot's hand-over notice could not be rendered: ${String(error)}`);
      }
    }
    const route = {
      type: 'route',
      id: `${context.ticketId}/${event.id}/route/bot`,
      ...base,
      causedBy: event.id,
      tier: context.tier,
      queue: null,
      reason: `handed over by the bot: ${reason}`,
    } as const;
    return { events, route, message, reading: { handedOver: true, reason } };
  };

  /** Runs the router for a `route` effect; returns the assignment event, or null with why. */
  const routingTicket = (snapshot: TicketSnapshot, at: number, tier: number): RoutingTicketInput => {
    const context = snapshot.context;
    return {
      id: context.ticketId,
      at,
      tier,
      priority: context.priority,
      customerId: context.customer.id,
      createdAt: context.openedAt,
      ...(context.language ? { language: context.language } : {}),
      ...(context.assigneeId ? { previousAgentId: context.assigneeId } : {}),
    };
  };

  const assign = (
    snapshot: TicketSnapshot,
    effect: Extract<TicketEffect, { type: 'route' }>,
    seq: number,
  ) => {
    const context = snapshot.context;
    const outcome = router.route(routingTicket(snapshot, effect.at, effect.tier), agents, routing);
    if (outcome.agentId === null) return { event: null, reason: outcome.reason };
    routing = outcome.state;
    const event: TicketEvent = {
      type: 'ticket.assigned',
      id: `${effect.causedBy}:assign:${seq}`,
      ticketId: context.ticketId,
      at: effect.at,
      agentId: outcome.agentId,
      tier: effect.tier,
      by: 'router',
    };
    return { event, reason: outcome.reason };
  };

  /**
   * Applies events to a snapshot and performs the effects the desk owns (routing, templates),
   * collecting the events to store. Router slots taken are listed so a failed save gives them back.
   */
  /**
   * The promise variables of a ticket whose whole log is at hand (a new ticket): `reply_by` and
   * `promise`, or nothing without a first-reply target.
   */
  const promiseVariables = (
    snapshot: TicketSnapshot,
    timeline: readonly TicketEvent[],
    at: number,
    templateId: string,
  ): Record<string, unknown> => {
    if (timeline[0]?.type !== 'ticket.opened') return {};
    const policyId = (snapshot.context.sla as { policyId?: string } | null)?.policyId;
    const policy = policies.find((p) => p.id === policyId);
    if (!policy?.clocks.firstReply) return {};
    const settings = options.promise ?? {};
    const staffed = agents.filter((a) => (a.availability ?? 'available') === 'available').length;
    // Tickets ahead: the waiting ones and the open ones agents hold, this one left out.
    const context = snapshot.context;
    let ahead = waiting.size - (waiting.has(context.ticketId) || context.assigneeId !== null ? 1 : 0);
    for (const load of Object.values(routing.loads)) ahead += load;
    const promise = promiseFor(policy, timeline, {
      now: at,
      ...(options.calendars ? { calendars: options.calendars } : {}),
      ...(settings.roundTo ? { roundTo: settings.roundTo } : {}),
      ...(settings.msPerTicket !== undefined && staffed > 0
        ? { queue: { ahead: Math.max(0, ahead), agents: staffed, msPerTicket: settings.msPerTicket } }
        : {}),
    });
    if (promise.basis === 'none') return {};
    const customer = context.customer;
    const wanted = context.language ?? customer.language ?? settings.locale ?? 'en';
    return {
      reply_by: formatPromise(promise.at, {
        // The language the template will speak (a `pt` customer may get the `en` version).
        locale: options.templates?.resolveLocale?.(templateId, wanted) ?? wanted,
        timeZone: customer.timeZone ?? settings.timeZone ?? 'UTC',
        now: at,
      }),
      promise: { at: new Date(promise.at).toISOString(), basis: promise.basis },
    };
  };

  const run = (
    wf: TicketWorkflow,
    start: TicketSnapshot,
    first: readonly DeskEffect[],
    appended: TicketEvent[],
  ) => {
    let snapshot = start;
    const effects: DeskEffect[] = [];
    const warnings: string[] = [];
    const taken: string[] = [];
    const queue: DeskEffect[] = [...first];
    let seq = 0;
    while (queue.length > 0) {
      const effect = queue.shift() as DeskEffect;
      // A special queue (blocked customers' review) is the host's to staff, not the router's.
      if (effect.type === 'route' && effect.queue === null && !FINAL.has(snapshot.status)) {
        const { event, reason } = assign(snapshot, effect, seq++);
        if (event === null) {
          waiting.set(snapshot.context.ticketId, routingTicket(snapshot, effect.at, effect.tier));
          warnings.push(`${snapshot.context.ticketId} waits in the queue: ${reason}`);
          effects.push(effect);
          continue;
        }
        const result = wf.apply(snapshot, event);
        if (result.rejected) {
          routing = router.release(
            routing,
            event.type === 'ticket.assigned' && event.agentId ? event.agentId : '',
          );
          warnings.push(`the router's assignment was refused: ${result.rejected.message}`);
          continue;
        }
        taken.push((event as Extract<TicketEvent, { type: 'ticket.assigned' }>).agentId as string);
        snapshot = result.snapshot;
        appended.push(event);
        queue.push(...result.effects);
        continue;
      }
      if (effect.type === 'send_template' && options.templates) {
        const view = wf.view(snapshot, effect.at);
        try {
          const message = options.templates.render(
            effect.templateId,
            templateVariables(
              view,
              snapshot,
              agents,
              options.templateContext,
              promiseVariables(snapshot, appended, effect.at, effect.templateId),
            ),
            {
              channel: effect.channel,
              customerId: effect.customerId,
              ticketId: effect.ticketId,
              ...(view.language ? { locale: view.language } : {}),
            },
          );
          effects.push({
            type: 'send_message',
            id: effect.id,
            ticketId: effect.ticketId,
            at: effect.at,
            causedBy: effect.causedBy,
            templateId: effect.templateId,
            customerId: effect.customerId,
            channel: effect.channel,
            locale: view.language,
            text: message.text ?? message.output,
            ...(message.subject !== undefined ? { subject: message.subject } : {}),
            missing: message.missing,
          });
        } catch (error) {
          warnings.push(`template \`${effect.templateId}\` could not be rendered: ${String(error)}`);
          effects.push(effect);
        }
        continue;
      }
      effects.push(effect);
    }
    return { snapshot, effects, warnings, taken };
  };

  const giveBack = (taken: readonly string[]) => {
    for (const agentId of taken) routing = router.release(routing, agentId);
  };

  /** Keeps the router's loads in step with a saved change of assignee or status. */
  const settleLoads = (before: TicketSnapshot, after: TicketSnapshot, taken: readonly string[]) => {
    const was = before.context.assigneeId;
    const now = after.context.assigneeId;
    const active = !DONE.has(after.status);
    if (was && !DONE.has(before.status) && (was !== now || !active)) routing = router.release(routing, was);
    // An assignment made by hand (not by the router) still takes a slot.
    if (now && now !== was && active && !taken.includes(now)) routing = addLoad(routing, now);
    // The router's own pick that was then moved on again within the same call.
    for (const agentId of taken) if (agentId !== now || !active) routing = router.release(routing, agentId);
  };

  const afterSave = (snapshot: TicketSnapshot, effects: readonly DeskEffect[]) => {
    for (const effect of effects) {
      if (effect.type === 'request_survey' && effect.survey === 'nps' && !effect.reminder) {
        npsAskedAt.set(effect.customerId, effect.at);
      }
    }
    if (
      snapshot.context.assigneeId !== null ||
      FINAL.has(snapshot.status) ||
      snapshot.context.queue !== null
    ) {
      waiting.delete(snapshot.context.ticketId);
    }
  };

  /**
   * Tries again to route the tickets that found no agent, all at once in backlog order (oldest
   * and most urgent first) with the router's indexed `assignBacklog`, so a long queue costs one
   * pass per tick rather than one routing per waiting ticket.
   */
  const routeWaiting = async (now: number): Promise<DeskResult[]> => {
    const results: DeskResult[] = [];
    if (waiting.size === 0) return results;
    const tickets = [...waiting.values()].map((ticket) => ({ ...ticket, at: now }));
    const backlog = router.assignBacklog(tickets, agents, routing);
    const chosen = backlog.assignments.filter((a) => a.agentId !== null);
    if (chosen.length === 0) return results;
    for (const { ticketId, agentId } of chosen) {
      const stored = await store.load(ticketId);
      const ticket = waiting.get(ticketId);
      if (
        !stored ||
        !ticket ||
        stored.snapshot.context.assigneeId !== null ||
        FINAL.has(stored.snapshot.status)
      ) {
        waiting.delete(ticketId);
        continue;
      }
      const result = await handle({
        type: 'ticket.assigned',
        id: `${ticketId}:waiting:${now}`,
        ticketId,
        at: Math.max(now, stored.snapshot.context.lastEventAt),
        agentId,
        tier: Math.max(ticket.tier ?? 1, stored.snapshot.context.tier),
        by: 'router',
      });
      if (!result.rejected && !result.duplicate) {
        waiting.delete(ticketId);
        results.push(result);
      }
    }
    // The loads follow the saved assignments (counted by each save); keep the router's memory of
    // who went last, for strategies such as round robin.
    routing = { ...backlog.state, loads: routing.loads };
    return results;
  };

  const open = async (inbound: InboundContact, extra: { followUpOf?: string } = {}): Promise<DeskResult> => {
    const warnings: string[] = [];
    const existing = await store.findByExternalId(inbound.externalId);
    if (existing) {
      const stored = (await store.load(existing)) as StoredTicket;
      return {
        ticket: workflow(stored.workflowKey).view(stored.snapshot),
        effects: [],
        duplicate: true,
        warnings,
      };
    }
    const block = await store.blocklist.get(inbound.customer.id);
    const customer = { ...inbound.customer, ...(block ? { blocked: true } : {}) };
    let classification: Classification | undefined;
    if (options.classifier) {
      try {
        classification = await options.classifier.classify({
          subject: inbound.subject,
          body: inbound.body,
          channel: inbound.channel,
          customer,
          ...(inbound.language ? { language: inbound.language } : {}),
        });
      } catch (error) {
        warnings.push(`the classifier failed, the ticket is opened unclassified: ${String(error)}`);
      }
    }
    const segment = customer.segment ?? options.segments?.assign(customer)[0];
    const withSegment = segment ? { ...customer, segment } : customer;
    const facts = {
      segment: segment ?? null,
      channel: inbound.channel,
      category: classification?.category ?? null,
      priority: classification?.priority ?? 'normal',
    } as const;
    const policy = selectSlaPolicy(policies, facts);
    const key = policy?.id ?? NO_SLA;
    const wf = workflow(key);
    const ticketId = options.ticketId?.(inbound) ?? `T-${hash64(inbound.externalId)}`;
    const tags = [...new Set([...(inbound.tags ?? []), ...(classification?.tags ?? [])])];
    const opened = parseTicketEvent({
      type: 'ticket.opened',
      id: `${ticketId}:opened`,
      ticketId,
      at: inbound.at,
      channel: inbound.channel,
      subject: inbound.subject,
      body: inbound.body,
      customer: withSegment,
      ...(classification?.priority ? { priority: classification.priority } : {}),
      ...(classification ? { category: classification.category } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(inbound.language ? { language: inbound.language } : {}),
      ...(extra.followUpOf ? { followUpOf: extra.followUpOf } : {}),
      externalId: inbound.externalId,
    });
    const started = wf.start(opened);
    const appended: TicketEvent[] = [opened];
    let decision: BotDecision | undefined;
    const suggestions = options.bot
      ? suggestAnswers(
          {
            subject: inbound.subject,
            body: inbound.body,
            channel: inbound.channel,
            ...(inbound.language ? { language: inbound.language } : {}),
          },
          options.bot.book,
        )
      : undefined;
    let first: { snapshot: TicketSnapshot; effects: readonly DeskEffect[] } = started;
    let botMessage: SendMessageEffect | null = null;
    if (
      botPolicy &&
      options.bot &&
      started.snapshot.context.queue === null &&
      !FINAL.has(started.snapshot.status)
    ) {
      decision = decideBotAnswer(
        {
          subject: inbound.subject,
          body: inbound.body,
          channel: inbound.channel,
          ...(inbound.language ? { language: inbound.language } : {}),
          category: classification?.category ?? null,
          ...(classification?.sentiment ? { sentiment: classification.sentiment } : {}),
          customer: withSegment,
        },
        options.bot.book,
        botPolicy,
      );
      const answer = decision.answer ? botAnswer(wf, started.snapshot, decision, opened.at, warnings) : null;
      if (answer) {
        const applied = applyAll(wf, started.snapshot, answer.events, appended);
        if (applied.refused === null) {
          // The bot's answer takes the place of routing and of the acknowledgement.
          const kept = started.effects.filter((e) => e.type !== 'route' && e.type !== 'send_template');
          first = { snapshot: applied.snapshot, effects: [...kept, ...applied.effects] };
          botMessage = answer.message;
        } else warnings.push(`the bot's answer was refused, people will answer: ${applied.refused}`);
      }
    }
    const done = run(wf, first.snapshot, first.effects, appended);
    if (botMessage) done.effects.unshift(botMessage);
    const saved = await store.save(ticketId, 0, {
      snapshot: done.snapshot,
      workflowKey: key,
      dueAt: wf.dueAt(done.snapshot),
      customerId: customer.id,
      externalId: inbound.externalId,
      events: appended,
      effects: done.effects,
    });
    if (!saved.ok) {
      // Another call opened the same contact first: that one stands.
      giveBack(done.taken);
      const winner = (await store.findByExternalId(inbound.externalId)) ?? ticketId;
      const stored = await store.load(winner);
      if (!stored) throw new CarekitError('version_conflict', `the ticket ${ticketId} could not be saved`);
      return {
        ticket: workflow(stored.workflowKey).view(stored.snapshot),
        effects: [],
        duplicate: true,
        warnings,
      };
    }
    settleLoads(started.snapshot, done.snapshot, done.taken);
    afterSave(done.snapshot, done.effects);
    return {
      ticket: wf.view(done.snapshot, opened.at),
      effects: done.effects,
      ...(classification ? { classification } : {}),
      ...(decision ? { bot: decision } : {}),
      ...(suggestions ? { suggestions } : {}),
      warnings: [...warnings, ...done.warnings],
    };
  };

  const handle = async (input: unknown): Promise<DeskResult> => {
    const event = parseTicketEvent(input);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const stored = await store.load(event.ticketId);
      if (!stored) throw new CarekitError('unknown_ticket', `there is no ticket ${event.ticketId}`);
      const wf = workflow(stored.workflowKey);
      const result = wf.apply(stored.snapshot, event);
      if (result.duplicate)
        return { ticket: wf.view(stored.snapshot, event.at), effects: [], duplicate: true, warnings: [] };
      if (result.rejected) {
        return {
          ticket: wf.view(stored.snapshot, event.at),
          effects: [],
          rejected: result.rejected,
          warnings: [],
        };
      }
      const appended: TicketEvent[] = [event];
      const warnings: string[] = [];
      let first: { snapshot: TicketSnapshot; effects: readonly DeskEffect[] } = result;
      let botMessage: SendMessageEffect | null = null;
      let botReading: { handedOver: boolean; reason: string } | undefined;
      if (
        botPolicy &&
        event.type === 'customer.replied' &&
        stored.snapshot.context.queue === BOT_QUEUE &&
        stored.snapshot.context.assigneeId === null &&
        !FINAL.has(result.snapshot.status)
      ) {
        const next = botFollowUp(wf, stored.snapshot, result.snapshot, event, warnings);
        const applied = applyAll(wf, result.snapshot, next.events, appended);
        if (applied.refused === null) {
          first = {
            snapshot: applied.snapshot,
            // One routing, to people: the lifecycle may have asked for one into the bot's queue
            // (an escalation on reopen); the hand-over's route, at the ticket's new tier, replaces it.
            effects: [
              ...result.effects.filter((e) => !(e.type === 'route' && e.queue === BOT_QUEUE)),
              ...applied.effects,
              ...(next.route ? [next.route] : []),
            ],
          };
          botMessage = next.message;
          botReading = next.reading;
        } else warnings.push(`the bot's follow-up was refused: ${applied.refused}`);
      }
      const held = first.snapshot.context;
      if (
        event.type === 'customer.replied' &&
        held.assigneeId === null &&
        held.queue === null &&
        !DONE.has(first.snapshot.status) &&
        !waiting.has(held.ticketId) &&
        !first.effects.some((e) => e.type === 'route')
      ) {
        // A customer's message on a ticket nobody holds (an answered outreach) needs a person.
        first = {
          snapshot: first.snapshot,
          effects: [
            ...first.effects,
            {
              type: 'route',
              id: `${held.ticketId}/${event.id}/route/desk`,
              ticketId: held.ticketId,
              at: event.at,
              causedBy: event.id,
              tier: held.tier,
              queue: null,
              reason: 'the customer wrote and nobody holds the ticket',
            },
          ],
        };
      }
      const done = run(wf, first.snapshot, first.effects, appended);
      if (botMessage) done.effects.unshift(botMessage);
      done.warnings.unshift(...warnings);
      const saved = await store.save(event.ticketId, stored.version, {
        snapshot: done.snapshot,
        workflowKey: stored.workflowKey,
        dueAt: wf.dueAt(done.snapshot),
        customerId: stored.customerId,
        externalId: stored.externalId,
        events: appended,
        effects: done.effects,
      });
      if (!saved.ok) {
        giveBack(done.taken);
        continue;
      }
      settleLoads(stored.snapshot, done.snapshot, done.taken);
      afterSave(done.snapshot, done.effects);
      let followUp: TicketView | undefined;
      const effects: DeskEffect[] = [];
      for (const effect of done.effects) {
        if (effect.type !== 'open_follow_up' || event.type !== 'customer.replied') {
          effects.push(effect);
          continue;
        }
        const context = done.snapshot.context;
        const opened = await open(
          {
            externalId: `${event.ticketId}:follow-up:${event.id}`,
            channel: event.channel ?? context.channel,
            customer: context.customer,
            subject: `Re: ${context.subject}`,
            body: event.body,
            at: event.at,
            ...(context.language ? { language: context.language } : {}),
          },
          { followUpOf: event.ticketId },
        );
        followUp = opened.ticket;
        effects.push(effect, ...opened.effects);
      }
      return {
        ticket: wf.view(done.snapshot, event.at),
        effects,
        ...(followUp ? { followUp } : {}),
        ...(botReading ? { bot: botReading } : {}),
        warnings: done.warnings,
      };
    }
    throw new CarekitError(
      'version_conflict',
      `${event.ticketId} changed under ${maxAttempts} attempts in a row; the event ${event.id} was not applied`,
    );
  };

  const collectFacts = async (range: { from?: number; to?: number } = {}): Promise<TicketFacts[]> => {
    const facts: TicketFacts[] = [];
    for await (const ticketId of store.ticketIds()) {
      const stored = await store.load(ticketId);
      if (!stored) continue;
      const openedAt = stored.snapshot.context.openedAt;
      if (
        (range.from !== undefined && openedAt < range.from) ||
        (range.to !== undefined && openedAt >= range.to)
      )
        continue;
      const policy = policies.find((p) => p.id === stored.workflowKey);
      facts.push(
        ticketFacts(await store.ticketEvents(ticketId), {
          // Read the log with the rules its lifecycle applied (reopen window, auto-solve, auto-close).
          ...lifecycleFactsOptions(workflow(stored.workflowKey).config),
          ...(policy ? { sla: policy } : {}),
          ...(options.calendars ? { calendars: options.calendars } : {}),
          ...(options.metricsCalendar ? { calendar: options.metricsCalendar } : {}),
        }),
      );
    }
    return facts;
  };

  return {
    store,
    async receive(input) {
      return open(parseInput(InboundContact, input, 'inbound contact'));
    },
    handle,
    async tick(now) {
      const due = await store.dueTickets(now);
      const tickets: TicketView[] = [];
      const effects: DeskEffect[] = [];
      for (const ticketId of due) {
        const result = await handle({ type: 'clock.tick', id: `${ticketId}:tick:${now}`, ticketId, at: now });
        tickets.push(result.ticket);
        effects.push(...result.effects);
      }
      for (const result of await routeWaiting(now)) {
        tickets.push(result.ticket);
        effects.push(...result.effects);
      }
      return { tickets, effects };
    },
    async setAgents(list, at) {
      const next = parseInput(z.array(Agent), list, 'agents');
      const available = (agent: AgentInput) =>
        (agent.availability ?? 'available') === 'available' || agent.availability === 'busy';
      const leaving = new Set(agents.filter(available).map((a) => a.id));
      for (const agent of next) if (available(agent)) leaving.delete(agent.id);
      agents = next;
      const tickets: TicketView[] = [];
      const effects: DeskEffect[] = [];
      if (leaving.size === 0) return { tickets, effects };
      for await (const ticketId of store.ticketIds()) {
        const stored = await store.load(ticketId);
        const context = stored?.snapshot.context;
        if (!stored || !context?.assigneeId || !leaving.has(context.assigneeId)) continue;
        if (stored.snapshot.status !== 'new' && stored.snapshot.status !== 'open') continue;
        const route = {
          type: 'route',
          id: `${ticketId}/${ticketId}:handover:${at}/route/0`,
          ticketId,
          at: Math.max(at, context.lastEventAt),
          causedBy: `${ticketId}:handover:${at}`,
          tier: context.tier,
          queue: null,
          reason: `${context.assigneeId} is no longer available`,
        } as const;
        const { event } = assign(stored.snapshot, route, 0);
        if (event === null) {
          waiting.set(ticketId, routingTicket(stored.snapshot, route.at, context.tier));
          effects.push(route);
          continue;
        }
        const result = await handle(event);
        // `assign` counted the slot and the save counted the new assignee again: keep one.
        routing = router.release(
          routing,
          (event as Extract<TicketEvent, { type: 'ticket.assigned' }>).agentId as string,
        );
        tickets.push(result.ticket);
        effects.push(...result.effects);
      }
      return { tickets, effects };
    },
    async reachOut(plan) {
      const events = plan.events.map((e) => parseTicketEvent(e));
      const opened = events[0];
      if (opened?.type !== 'ticket.opened' || events.some((e) => e.ticketId !== opened.ticketId)) {
        throw new CarekitError(
          'invalid_plan',
          'an outreach plan starts with ticket.opened and all its events belong to that ticket',
        );
      }
      const existing = await store.load(opened.ticketId);
      if (existing) {
        return {
          ticket: workflow(existing.workflowKey).view(existing.snapshot),
          effects: [],
          duplicate: true,
          warnings: [],
        };
      }
      const policy = selectSlaPolicy(policies, {
        segment: opened.customer.segment ?? null,
        channel: opened.channel,
        category: opened.category ?? null,
        priority: opened.priority ?? 'normal',
      });
      const key = policy?.id ?? NO_SLA;
      const wf = workflow(key);
      const started = wf.start(opened);
      const appended: TicketEvent[] = [];
      // Nobody is routed to an outbound ticket until the customer answers; the plan's message is
      // the acknowledgement.
      const kept = started.effects.filter((e) => e.type !== 'route' && e.type !== 'send_template');
      const applied = applyAll(wf, started.snapshot, events.slice(1), appended);
      if (applied.refused !== null) {
        throw new CarekitError('invalid_plan', `the outreach plan was refused: ${applied.refused}`);
      }
      const done = run(
        wf,
        applied.snapshot,
        [...kept, ...applied.effects, ...(plan.effects ?? [])],
        appended,
      );
      const saved = await store.save(opened.ticketId, 0, {
        snapshot: done.snapshot,
        workflowKey: key,
        dueAt: wf.dueAt(done.snapshot),
        customerId: opened.customer.id,
        externalId: null,
        events: [opened, ...appended],
        effects: done.effects,
      });
      if (!saved.ok) {
        giveBack(done.taken);
        const stored = (await store.load(opened.ticketId)) as StoredTicket;
        return {
          ticket: workflow(stored.workflowKey).view(stored.snapshot),
          effects: [],
          duplicate: true,
          warnings: [],
        };
      }
      settleLoads(started.snapshot, done.snapshot, done.taken);
      afterSave(done.snapshot, done.effects);
      return { ticket: wf.view(done.snapshot, opened.at), effects: done.effects, warnings: done.warnings };
    },
    async ticket(ticketId, now) {
      const stored = await store.load(ticketId);
      return stored ? workflow(stored.workflowKey).view(stored.snapshot, now) : null;
    },
    facts: collectFacts,
    async metrics(range, reportOptions = {}) {
      const facts = await collectFacts(range);
      return kpiReport(facts, { business: options.metricsCalendar !== undefined, ...reportOptions });
    },
    blocklist: {
      async add(customerId, entry) {
        const parsed = parseInput(BlockInput, { customerId, ...entry }, 'blocklist entry');
        await store.blocklist.add(parsed);
      },
      async remove(customerId, change) {
        return store.blocklist.remove(customerId, change);
      },
      async has(customerId) {
        return (await store.blocklist.get(customerId)) !== null;
      },
      list: () => store.blocklist.list(),
      history: () => store.blocklist.history(),
    },
    async restore() {
      let loads = initialRouterState();
      waiting.clear();
      let tickets = 0;
      let held = 0;
      for await (const ticketId of store.ticketIds()) {
        const stored = await store.load(ticketId);
        if (!stored || DONE.has(stored.snapshot.status)) continue;
        tickets++;
        const context = stored.snapshot.context;
        if (context.assigneeId !== null) {
          loads = addLoad(loads, context.assigneeId);
          held++;
        } else if (
          context.queue === null &&
          (stored.snapshot.status === 'new' || stored.snapshot.status === 'open')
        ) {
          waiting.set(ticketId, routingTicket(stored.snapshot, context.lastEventAt, context.tier));
        }
      }
      routing = loads;
      return { tickets, held, waiting: waiting.size };
    },
    routerState: () => routing,
    waiting: () => [...waiting.keys()],
  };
}
