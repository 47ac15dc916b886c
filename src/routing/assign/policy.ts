import { z } from 'zod';
import { type Agent, Id, Label, Locale, Priority } from '../../model/index.js';
import type { AgentStats } from './routerState.js';

// Tickets arrive by the hundred thousand with a handful of languages: remember the verdict.
const knownLocales = new Map<string, boolean>();
/** Whether a tag is a language tag the schema accepts; remembered per tag. */
export function isTicketLocale(tag: string): boolean {
  let ok = knownLocales.get(tag);
  if (ok === undefined) {
    ok = Locale.safeParse(tag).success;
    if (knownLocales.size < 10_000 && tag.length <= 35) knownLocales.set(tag, ok);
  }
  return ok;
}
const TicketLocale = z.string().refine(isTicketLocale, {
  message: 'is not a BCP 47 language tag (like "en", "pt-BR" or "vi")',
  params: { code: 'invalid_locale' },
});

/** A ticket as the router sees it: what it needs, who it belongs to, and when it is routed. */
export const RoutingTicket = z.strictObject({
  id: Id,
  /** When the decision is made (epoch ms): shifts are checked at this instant. */
  at: z.number().int(),
  /** Skills an agent needs, all of them (`hasSkills`). */
  skills: z.array(Label).max(50).optional(),
  /** The ticket's language (`speaks`); `pt-BR` is served by an agent speaking `pt` or `pt-BR`. */
  language: TicketLocale.optional(),
  /** The lowest tier that may take it (`tierAtLeast`), e.g. after an escalation. */
  tier: z.number().int().min(1).max(100).optional(),
  /** The requester, for `sticky` routing to the agent who last helped them. */
  customerId: Id.optional(),
  /** The agent who handled this ticket before (a reopened ticket), for `sticky`. */
  previousAgentId: Id.optional(),
  priority: Priority.optional(),
  /** When the ticket was created (epoch ms), for backlog order; defaults to `at`. */
  createdAt: z.number().int().optional(),
  /** The earliest SLA due time (epoch ms), for backlog order. */
  dueAt: z.number().int().nullable().optional(),
  /** The requester's segment (`vip`...), the ticket's category, channel and tags: for custom filters. */
  segment: Label.nullable().optional(),
  category: Label.nullable().optional(),
  channel: z.string().max(40).optional(),
  tags: z.array(Label).max(100).optional(),
});
export type RoutingTicket = z.output<typeof RoutingTicket>;
export type RoutingTicketInput = z.input<typeof RoutingTicket>;

/** The names of the built-in filters. */
export const FilterName = z.enum([
  'hasSkills',
  'speaks',
  'onShift',
  'available',
  'tierAtLeast',
  'withinCapacity',
  'sticky',
]);
export type FilterName = z.infer<typeof FilterName>;

/** The names of the built-in strategies. */
export const StrategyName = z.enum(['roundRobin', 'leastLoaded', 'mostSpareCapacity', 'mostSparePercent']);
export type StrategyName = z.infer<typeof StrategyName>;

/** A routing policy as data: filters in order, then a strategy among the agents left. */
export const RoutingPolicyConfig = z.strictObject({
  filters: z
    .array(
      z.union([
        FilterName,
        z.strictObject({ filter: z.literal('tierAtLeast'), tier: z.number().int().min(1).max(100) }),
      ]),
    )
    .max(20)
    .default(['available', 'hasSkills', 'speaks', 'tierAtLeast', 'onShift', 'withinCapacity']),
  strategy: StrategyName.default('mostSpareCapacity'),
});
export type RoutingPolicyConfig = z.input<typeof RoutingPolicyConfig>;

/** What a filter sees besides the agent and the ticket. */
export interface FilterContext {
  readonly stats: AgentStats;
  /** Whether the agent's shift calendar is open at the ticket's time (true without a calendar). */
  readonly onShift: () => boolean;
}

/**
 * A filter in the function form: `true` keeps the agent; a string removes it and says why
 * in a few words (`lacks skill billing`), which the router counts into its reason.
 */
export interface RoutingFilter {
  readonly name: string;
  test(agent: Agent, ticket: RoutingTicket, context: FilterContext): boolean | string;
}

/**
 * A strategy in the function form: the eligible agent with the lowest `key` wins; ties go
 * to the agent assigned longest ago, then to the earlier agent in the list. The key may
 * depend on the agent and its stats only, which lets the router keep agents in heaps.
 */
export interface RoutingStrategy {
  readonly name: string;
  key(agent: Agent, stats: AgentStats): number;
  /** A few words on why the winner won, for the reason (`has 2 of 10 slots free`). */
  describe?(agent: Agent, stats: AgentStats): string;
}

/** One step of a policy's pipeline: a built-in filter by name, `tierAtLeast` with a tier, or a function. */
export type FilterSpec =
  | FilterName
  | { readonly filter: 'tierAtLeast'; readonly tier: number }
  | RoutingFilter;

/** A policy in the function form (filters may mix names and functions). */
export interface RoutingPolicy {
  readonly filters?: readonly FilterSpec[];
  readonly strategy?: StrategyName | RoutingStrategy;
}
