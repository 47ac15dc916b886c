import type { Agent } from '../../model/index.js';
import type { FilterName, RoutingStrategy, StrategyName } from './policy.js';
import type { AgentStats } from './routerState.js';

/** Whether an agent speaking `spoken` can take a ticket in `wanted`: same language, any region. */
export function speaksLanguage(spoken: readonly string[], wanted: string): boolean {
  const base = languageOf(wanted);
  for (const tag of spoken) if (languageOf(tag) === base) return true;
  return false;
}

// A desk sees a handful of tags; building each heap checks every agent's tags, and lower-casing
// and splitting them there made a backlog's setup grow with agents × buckets in allocations.
const languages = new Map<string, string>();
/** The language of a tag without its region, lower case (`pt-BR` → `pt`); remembered per tag. */
export function languageOf(tag: string): string {
  let language = languages.get(tag);
  if (language === undefined) {
    language = tag.toLowerCase().split('-')[0]!;
    if (languages.size < 10_000) languages.set(tag, language);
  }
  return language;
}

/**
 * The built-in strategies. Lower key wins; ties go to the agent assigned longest ago, then
 * the earlier agent in the list.
 * - `roundRobin`: whoever was assigned longest ago (never assigned first).
 * - `leastLoaded`: fewest open tickets.
 * - `mostSpareCapacity`: most free slots (`capacity - load`), Zendesk's default.
 * - `mostSparePercent`: largest free share of capacity.
 *
 * @example
 * ```ts
 * const a = { capacity: 2 }, b = { capacity: 10 };
 * strategies.mostSpareCapacity.key(b, { load: 8, assigned: 0, lastSequence: 0 });
 * //=> -2 (beats A's -1)
 * strategies.mostSparePercent.key(a, { load: 1, assigned: 0, lastSequence: 0 });
 * //=> -0.5 (beats B's -0.2)
 * ```
 */
export const strategies: Readonly<Record<StrategyName, RoutingStrategy>> = {
  roundRobin: {
    name: 'roundRobin',
    key: (_agent: Agent, s: AgentStats) => s.lastSequence,
    describe: (_agent, s) =>
      s.lastSequence === 0 ? 'has not been assigned yet' : 'was assigned longest ago',
  },
  leastLoaded: {
    name: 'leastLoaded',
    key: (_agent, s) => s.load,
    describe: (_agent, s) => `has the fewest open tickets (${s.load})`,
  },
  mostSpareCapacity: {
    name: 'mostSpareCapacity',
    key: (agent, s) => -(agent.capacity - s.load),
    describe: (agent, s) => `has the most free slots (${agent.capacity - s.load} of ${agent.capacity})`,
  },
  mostSparePercent: {
    name: 'mostSparePercent',
    key: (agent, s) => (agent.capacity === 0 ? 0 : -(agent.capacity - s.load) / agent.capacity),
    describe: (agent, s) =>
      `has the largest free share of capacity (${Math.round(((agent.capacity - s.load) / Math.max(1, agent.capacity)) * 100)}%)`,
  },
};

/** Filters whose verdict depends only on the agent record and the ticket, not on state or time. */
export const STATIC_FILTERS: ReadonlySet<FilterName> = new Set([
  'hasSkills',
  'speaks',
  'available',
  'tierAtLeast',
]);
