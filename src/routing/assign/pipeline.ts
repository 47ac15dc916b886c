// The compiled form of a routing policy, shared by the one-decision scan (`route`) and the
// indexed engine (`assignBacklog`, `simulateRouting`), so both decide with the same code.

import { z } from 'zod';
import { readBag } from '../../model/arguments.js';
import { type Agent, CarekitValidationError, parseInput, parseOptions } from '../../model/index.js';
import { languageOf, STATIC_FILTERS, speaksLanguage, strategies } from './builtins.js';
import {
  type FilterName,
  type FilterSpec,
  type RoutingPolicy,
  RoutingPolicyConfig,
  type RoutingStrategy,
  type RoutingTicket,
} from './policy.js';
import type { AgentStats } from './routerState.js';

/** Whether a calendar is open at an instant; the router's way to ask about shifts. */
export type ShiftCheck = (calendarId: string, at: number) => boolean;

export interface Step {
  readonly name: string;
  readonly isStatic: boolean;
  readonly isCapacity: boolean;
  test(agent: Agent, ticket: RoutingTicket, stats: AgentStats, onShift: ShiftCheck): true | string;
}

export interface Pipeline {
  readonly steps: readonly Step[];
  readonly staticSteps: readonly Step[];
  readonly dynamicSteps: readonly Step[];
  readonly strategy: RoutingStrategy;
  readonly sticky: boolean;
  readonly capacity: boolean;
  /** The static part of a ticket's needs: tickets with the same key have the same static candidates. */
  bucketKey(ticket: RoutingTicket): string;
}

function builtin(name: Exclude<FilterName, 'sticky'>, tier = 1): Step {
  const isStatic = STATIC_FILTERS.has(name);
  const base = { name, isStatic, isCapacity: name === 'withinCapacity' };
  switch (name) {
    case 'available':
      return { ...base, test: (a) => a.availability === 'available' || `is ${a.availability}` };
    case 'hasSkills':
      return {
        ...base,
        test(a, t) {
          for (const skill of t.skills ?? []) if (!a.skills.includes(skill)) return `lacks skill "${skill}"`;
          return true;
        },
      };
    case 'speaks':
      return {
        ...base,
        test: (a, t) =>
          t.language === undefined ||
          speaksLanguage(a.languages, t.language) ||
          `does not speak ${t.language}`,
      };
    case 'tierAtLeast':
      return {
        ...base,
        name: tier > 1 ? `tierAtLeast(${tier})` : name,
        test(a, t) {
          const min = Math.max(tier, t.tier ?? 1);
          return a.tier >= min || `is below tier ${min}`;
        },
      };
    case 'withinCapacity':
      return { ...base, test: (a, _t, s) => s.load < a.capacity || 'is at capacity' };
    case 'onShift':
      return {
        ...base,
        test: (a, t, _s, onShift) =>
          a.calendarId === undefined || onShift(a.calendarId, t.at) || 'is off shift',
      };
  }
}

const PolicyKeys = z.strictObject({ filters: z.undefined().optional(), strategy: z.undefined().optional() });

export function compilePolicy(input: RoutingPolicy | RoutingPolicyConfig): Pipeline {
  // Read once into a plain object: a Proxy or a throwing getter is refused here, not deep inside.
  const policy =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (readBag(input, 'createRouter', ['policy'], 'a routing policy') as RoutingPolicy)
      : input;
  if (
    policy === null ||
    typeof policy !== 'object' ||
    (policy.filters !== undefined && !Array.isArray(policy.filters))
  ) {
    parseInput(RoutingPolicyConfig, policy, 'routing policy');
  }
  // Function forms pass through below; here only the keys of the bag are checked.
  parseOptions(
    PolicyKeys,
    Object.fromEntries(Object.keys(policy).map((k) => [k, undefined])),
    'routing policy',
  );
  const filters = policy.filters ?? RoutingPolicyConfig.parse({}).filters;
  const named = filters.filter(
    (f): f is Exclude<FilterSpec, { test: unknown }> => typeof f === 'string' || !('test' in f),
  );
  const strategyIsName = policy.strategy === undefined || typeof policy.strategy === 'string';
  // The data parts go through the schema so a typo gets a code and a path.
  const data = parseInput(
    RoutingPolicyConfig,
    { filters: named, ...(strategyIsName && policy.strategy ? { strategy: policy.strategy } : {}) },
    'routing policy',
  );
  const steps: Step[] = [];
  let sticky = false;
  let dataIndex = 0;
  for (const f of filters) {
    if (typeof f === 'object' && 'test' in f) {
      const custom = f;
      if (typeof custom.test !== 'function') {
        throw new CarekitValidationError(
          [
            {
              code: 'invalid_filter',
              path: ['filters'],
              message: `filters: ${custom.name} needs a test function`,
            },
          ],
          'routing policy',
        );
      }
      steps.push({
        name: custom.name,
        isStatic: false,
        isCapacity: false,
        test(a, t, s, onShift) {
          const verdict = custom.test(a, t, {
            stats: s,
            onShift: () => a.calendarId === undefined || onShift(a.calendarId, t.at),
          });
          return verdict === true ? true : verdict === false ? `fails ${custom.name}` : verdict;
        },
      });
      continue;
    }
    const spec = data.filters[dataIndex++]!;
    if (spec === 'sticky') sticky = true;
    else if (typeof spec === 'string') steps.push(builtin(spec));
    else steps.push(builtin('tierAtLeast', spec.tier));
  }
  const strategy = strategyIsName ? strategies[data.strategy] : (policy.strategy as RoutingStrategy);
  const staticSteps = steps.filter((s) => s.isStatic);
  const usesSkills = staticSteps.some((s) => s.name === 'hasSkills');
  const usesLanguage = staticSteps.some((s) => s.name === 'speaks');
  const usesTier = staticSteps.some((s) => s.name.startsWith('tierAtLeast'));
  return {
    steps,
    staticSteps,
    dynamicSteps: steps.filter((s) => !s.isStatic),
    strategy,
    sticky,
    capacity: steps.some((s) => s.isCapacity),
    bucketKey(t) {
      const wanted = t.skills;
      const skills =
        !usesSkills || !wanted || wanted.length === 0
          ? ''
          : wanted.length === 1
            ? wanted[0]!
            : [...new Set(wanted)].sort().join('\u0001');
      const language = usesLanguage && t.language ? languageOf(t.language) : '';
      return `${skills}\u0000${language}\u0000${usesTier ? (t.tier ?? 1) : 1}`;
    },
  };
}

/** Runs the steps in order; the first that refuses gives the reason. */
export function check(
  steps: readonly Step[],
  agent: Agent,
  ticket: RoutingTicket,
  stats: AgentStats,
  onShift: ShiftCheck,
): true | string {
  for (const step of steps) {
    const verdict = step.test(agent, ticket, stats, onShift);
    if (verdict !== true) return verdict;
  }
  return true;
}

/** `a` ranks before `b`: lower key, then assigned longer ago, then earlier in the list. */
export function ranksBefore(ka: number, sa: number, ia: number, kb: number, sb: number, ib: number): boolean {
  return ka < kb || (ka === kb && (sa < sb || (sa === sb && ia < ib)));
}

/** The sentence for "nobody": how many agents each first-failing reason removed. */
export function explainNobody(
  ticket: RoutingTicket,
  total: number,
  counts: ReadonlyMap<string, number>,
): string {
  if (total === 0) return `No agent can take ticket ${ticket.id}: there are no agents.`;
  const parts = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([why, n]) => `${why} (${n})`);
  return `No agent can take ticket ${ticket.id}: of ${total} agent${total === 1 ? '' : 's'}, ${parts.join('; ')}.`;
}

export function explainPick(
  pipeline: Pipeline,
  agent: Agent,
  stats: AgentStats,
  sticky: string | null,
  prefix = pickPrefix(pipeline, agent),
): string {
  if (sticky) return `Assigned to ${agent.id} (sticky: ${sticky}).`;
  const why = pipeline.strategy.describe?.(agent, stats) ?? `ranks first by ${pipeline.strategy.name}`;
  return `${prefix}${why}.`;
}

/** The start of a reason for a pick by the strategy, the same for every pick of the agent. */
export function pickPrefix(pipeline: Pipeline, agent: Agent): string {
  return `Assigned to ${agent.id} by ${pipeline.strategy.name}: `;
}
