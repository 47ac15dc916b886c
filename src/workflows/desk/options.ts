import { z } from 'zod';
import type { Calendar } from '../../calendar/index.js';
import {
  Agent,
  type AgentInput,
  CarekitError,
  type Channel,
  Duration,
  durationToMs,
  Label,
  parseInput,
  type TicketFields,
  type TicketStatuses,
} from '../../model/index.js';
import type {
  AnswerBook,
  BotPolicy,
  BotPolicyConfig,
  Classifier,
  EscalationPolicy,
  ReadReplyOptions,
  Router,
  RoutingPolicy,
  RoutingPolicyConfig,
  SegmentRules,
} from '../../routing/index.js';
import { defineRules, type RuleSet, type RulesConfigInput } from '../../rules/index.js';
import type { SlaCalendars, SlaPolicy } from '../../sla/index.js';
import type { WorkflowErrorCode } from '../errors.js';
import type { EscalateFn, TicketWorkflowConfigInput } from '../ticket/options.js';
import type { TicketView } from '../ticket/view.js';
import type { InboundContact } from './inbound.js';
import type { TicketStore } from './store.js';

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
  /**
   * The team. With a roster, replies, notes and assignments naming an agent the desk does not
   * know are refused (`unknown_agent`).
   */
  readonly agents?: readonly AgentInput[];
  /** A router, or a routing policy to build one (default: most spare capacity). */
  readonly router?: Router | RoutingPolicy | RoutingPolicyConfig;
  /**
   * The skills a ticket needs, from its category and tags (`{ categories: { refund: ['billing'] } }`):
   * the router's `hasSkills` filter reads them.
   */
  readonly skills?: {
    readonly categories?: Readonly<Record<string, readonly string[]>>;
    readonly tags?: Readonly<Record<string, readonly string[]>>;
  };
  /**
   * What happens to a ticket nobody can take (a language no agent speaks) after waiting
   * `after`: `any` routes it to any agent of its tier with room, ignoring skills and languages;
   * `{ queue }` moves it into a named queue for the host to staff. Without it, it waits.
   */
  readonly routingFallback?: {
    readonly after: z.input<typeof Duration> | number;
    readonly to: 'any' | { readonly queue: string };
  };
  readonly escalation?: EscalateFn | EscalationPolicy;
  /** The lifecycle's settings (reopen window, auto-solve, blocked customers, acknowledgement, survey...). */
  readonly lifecycle?: TicketWorkflowConfigInput;
  /**
   * The desk's ticket fields (`defineFields` from `carekit/rules`): agents and rules set them with
   * `ticket.fields_set`; a `requiredToSolve` field must be filled before a ticket is solved.
   */
  readonly fields?: TicketFields;
  /** The desk's custom statuses (`defineStatuses`), each mapped onto a lifecycle category. */
  readonly statuses?: TicketStatuses;
  /**
   * Business rules: triggers, automations and macros. A rule set from `defineRules` (defined
   * with the same `fields` and `statuses`), or the rules as data, which the desk defines with its
   * `fields`, `statuses` and `calendars`. Every change a rule makes is stored as an event with
   * `by: { rule }`, so a stored log replays to the same ticket without running the rules again.
   */
  readonly rules?: RuleSet | RulesConfigInput;
  readonly templates?: DeskTemplates;
  /**
   * Extra template variables (brand, agent names...) merged deeply into every message's context:
   * `{ customer: { tier: 'gold' } }` adds to the customer's variables rather than replacing them.
   */
  readonly templateContext?: (ticket: TicketView) => Record<string, unknown>;
  /**
   * The preferred id of a new contact's ticket. Default: `T-` and a 64-bit hash of the channel
   * and external id. An id another contact's ticket has is never reused: the desk tries `<id>-2`,
   * `<id>-3`... and fails with `ticket_id_taken` when none is free.
   */
  readonly ticketId?: (inbound: InboundContact) => string;
  /** Attempts of a call that meets a version conflict. Default 8, from 1 to 100. */
  readonly maxAttempts?: number;
  /** The desk's clock (epoch ms). Default `Date.now`. */
  readonly clock?: () => number;
  /**
   * How far ahead of the desk's clock an event may be stamped. An event stamped later is applied
   * at the clock, its own time kept in `sentAt`. Default 5 minutes.
   */
  readonly maxClockSkew?: z.input<typeof Duration> | number;
  /**
   * How long a `tick` holds the due tickets it claimed (from the wall clock). Desks ticking at
   * once take disjoint sets; the claims of a desk that crashed mid-tick expire after this, and
   * the next tick of any desk takes the tickets. Default 1 minute.
   */
  readonly tickLease?: z.input<typeof Duration> | number;
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

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');
const object = z.custom<object>((v) => typeof v === 'object' && v !== null, 'must be an object');
const withMethods = (label: string, ...methods: string[]) =>
  z.custom<object>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      Array.isArray((v as { definitions?: unknown }).definitions) &&
      methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    `must be ${label}`,
  );
const isRuleSet = (v: unknown): v is RuleSet =>
  typeof v === 'object' && v !== null && typeof (v as RuleSet).triggersFor === 'function';
const Millis = z.union([
  z
    .number()
    .int()
    .min(0)
    .max(10 * 366 * 86_400_000),
  Duration,
]);

/**
 * The shape of the options, checked before anything is built: unknown keys are refused (a
 * misspelt `agnets` would silently build a desk without agents), numbers are bounded, functions
 * are functions. The policies themselves are checked by their own factories.
 */
const DeskOptionsShape = z.strictObject({
  store: object.optional(),
  calendars: object.optional(),
  slaPolicies: z.array(object).max(100).optional(),
  classifier: object.optional(),
  segments: object.optional(),
  agents: z.array(z.unknown()).max(100_000).optional(),
  router: object.optional(),
  skills: z
    .strictObject({
      categories: z.record(Label, z.array(Label).max(50)).optional(),
      tags: z.record(Label, z.array(Label).max(50)).optional(),
    })
    .optional(),
  routingFallback: z
    .strictObject({
      after: Millis,
      to: z.union([z.literal('any'), z.strictObject({ queue: Label })]),
    })
    .optional(),
  escalation: z.union([fn, object]).optional(),
  lifecycle: object.optional(),
  fields: withMethods('ticket fields from defineFields', 'check', 'missingToSolve').optional(),
  statuses: withMethods('custom statuses from defineStatuses', 'byId').optional(),
  // A rule set, or rules as data (checked as a whole by defineRules).
  rules: object.optional(),
  templates: object.optional(),
  templateContext: fn.optional(),
  ticketId: fn.optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  clock: fn.optional(),
  maxClockSkew: Millis.optional(),
  tickLease: Millis.optional(),
  metricsCalendar: object.optional(),
  bot: object.optional(),
  promise: z
    .strictObject({
      msPerTicket: z.number().min(0).max(86_400_000).optional(),
      roundTo: z.enum(['hour', 'half_hour', 'none']).optional(),
      timeZone: z.string().min(1).max(100).optional(),
      locale: z.string().min(1).max(35).optional(),
    })
    .optional(),
});

const toMs = (value: z.output<typeof Millis>): number =>
  typeof value === 'number' ? value : durationToMs(value);

/** The options after checking: defaults filled in, durations in ms. */
export interface ResolvedDeskOptions extends DeskOptions {
  readonly agents: readonly AgentInput[];
  readonly maxAttempts: number;
  readonly clock: () => number;
  readonly maxClockSkewMs: number;
  readonly tickLeaseMs: number;
  readonly fallback: { readonly afterMs: number; readonly to: 'any' | { readonly queue: string } } | null;
  /** The business rules, defined (rules given as data are defined with the desk's fields, statuses and calendars). */
  readonly rules?: RuleSet;
  /** The ticket fields: the ones given, or the rules'. */
  readonly fields?: TicketFields;
  /** The custom statuses: the ones given, or the rules'. */
  readonly statuses?: TicketStatuses;
}

/** The business calendars among the desk's calendars (an SLA-only clock measure is no calendar). */
function businessCalendars(calendars: DeskOptions['calendars']): Record<string, Calendar> {
  const out: Record<string, Calendar> = {};
  for (const [name, c] of Object.entries(calendars ?? {})) {
    if (typeof (c as Calendar).timeZone === 'string' && 'schedule' in c) out[name] = c as Calendar;
  }
  return out;
}

/** The rules, fields and statuses the desk's lifecycles run. */
function resolveRules(given: DeskOptions): Pick<ResolvedDeskOptions, 'rules' | 'fields' | 'statuses'> {
  const input = given.rules;
  const rules =
    input === undefined
      ? undefined
      : isRuleSet(input)
        ? input
        : defineRules(input, {
            ...(given.fields ? { fields: given.fields } : {}),
            ...(given.statuses ? { statuses: given.statuses } : {}),
            calendars: businessCalendars(given.calendars),
          });
  const fields = given.fields ?? rules?.fields ?? undefined;
  const statuses = given.statuses ?? rules?.statuses ?? undefined;
  return {
    ...(rules ? { rules } : {}),
    ...(fields ? { fields } : {}),
    ...(statuses ? { statuses } : {}),
  };
}

/** Checks the options' shape and fills in the defaults. Throws a carekit error before anything is built. */
export function resolveDeskOptions(options: unknown): ResolvedDeskOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CarekitError<WorkflowErrorCode>(
      'invalid_options',
      `createDesk takes an options object, not ${Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  const shape = parseInput(DeskOptionsShape, options, 'desk options');
  const { rules: _rules, fields: _fields, statuses: _statuses, ...given } = options as DeskOptions;
  return {
    ...given,
    ...resolveRules(options as DeskOptions),
    agents: given.agents ? parseInput(z.array(Agent), given.agents, 'agents') : [],
    maxAttempts: shape.maxAttempts ?? 8,
    clock: given.clock ?? Date.now,
    maxClockSkewMs: shape.maxClockSkew === undefined ? 5 * 60_000 : toMs(shape.maxClockSkew),
    tickLeaseMs: shape.tickLease === undefined ? 60_000 : toMs(shape.tickLease),
    fallback: shape.routingFallback
      ? { afterMs: toMs(shape.routingFallback.after), to: shape.routingFallback.to }
      : null,
  };
}
