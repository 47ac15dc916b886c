import { z } from 'zod';
import { checkArray, checkNumber } from '../../model/arguments.js';
import { type AgentInput, CarekitError, parseInput } from '../../model/index.js';
import type { RoutingErrorCode } from '../errors.js';
import { createRouter, engineOf, type Router, type RouterOptions } from './createRouter.js';
import { compareBacklog } from './orderBacklog.js';
import { type RoutingPolicy, type RoutingPolicyConfig, RoutingTicket } from './policy.js';
import { initialRouterState } from './routerState.js';

/** One arrival: a ticket (arriving at `ticket.at`) and how long an agent works on it. */
export const Arrival = z.strictObject({
  ticket: RoutingTicket,
  /** Time from assignment to completion (epoch ms difference). */
  handleMs: z.number().int().min(0),
});
export type Arrival = z.input<typeof Arrival>;

/** What {@link simulateRouting} reports. */
export interface RoutingSimulation {
  readonly strategy: string;
  readonly filters: readonly string[];
  readonly tickets: number;
  readonly assigned: number;
  /** Tickets still waiting when every arrival and completion has been played. */
  readonly unassigned: number;
  readonly perAgent: readonly {
    readonly agentId: string;
    readonly assigned: number;
    readonly peakLoad: number;
  }[];
  readonly fairness: {
    /** Most assignments of an agent over fewest; `null` when some agent got none. */
    readonly maxOverMin: number | null;
    /** Gini coefficient of assignments per agent: 0 is perfectly even, near 1 is one agent doing all. */
    readonly gini: number;
  };
  /** Waiting from arrival to assignment, over assigned tickets (milliseconds). */
  readonly waiting: {
    readonly meanMs: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly maxMs: number;
  };
}

const Arrivals = z.array(Arrival).max(10_000_000);

/**
 * Replays a stream of arrivals under a policy, with each assigned ticket completing after
 * its `handleMs` and waiting tickets taken (in backlog order) as slots free up. Reports load
 * per agent, fairness (max/min and Gini of assignments) and waiting times, so a team can
 * compare policies on its own traffic before switching.
 *
 * @example
 * ```ts
 * const arrivals = [0, 1, 2, 3].map((i) => ({ ticket: { id: `T${i}`, at: i * 1000 }, handleMs: 1500 }));
 * const agents = [{ id: 'a', name: 'A', capacity: 1 }, { id: 'b', name: 'B', capacity: 1 }];
 * simulateRouting(arrivals, agents, { strategy: 'roundRobin' }).fairness;
 * //=> { maxOverMin: 1, gini: 0 }
 * ```
 */
export function simulateRouting(
  arrivals: readonly Arrival[],
  agents: readonly AgentInput[],
  policy: Router | RoutingPolicy | RoutingPolicyConfig = {},
  options: RouterOptions = {},
): RoutingSimulation {
  let router: Router;
  if ('route' in policy) {
    if (!engineOf(policy)) {
      throw new CarekitError<RoutingErrorCode>(
        'unknown_router',
        'simulateRouting needs a router made by createRouter, or a routing policy',
      );
    }
    router = policy;
  } else router = createRouter(policy, options);
  const input = parseInput(Arrivals, arrivals, 'arrivals');
  const sorted = [...input].sort((a, b) => a.ticket.at - b.ticket.at || (a.ticket.id < b.ticket.id ? -1 : 1));
  const engine = engineOf(router)!(agents, initialRouterState());
  const agentIds = agents.map((a) => a.id);
  const peak = new Map<string, number>(agentIds.map((id) => [id, 0]));
  const count = new Map<string, number>(agentIds.map((id) => [id, 0]));
  const waits: number[] = [];
  const completions: { at: number; agentId: string }[] = [];
  const waiting: (typeof sorted)[number][] = [];

  const assignAt = (arrival: (typeof sorted)[number], now: number): boolean => {
    const { agentId } = engine.decide({ ...arrival.ticket, at: now });
    if (agentId === null) return false;
    count.set(agentId, (count.get(agentId) ?? 0) + 1);
    peak.set(agentId, Math.max(peak.get(agentId) ?? 0, engine.loadOf(agentId)));
    waits.push(now - arrival.ticket.at);
    insertCompletion(completions, { at: now + arrival.handleMs, agentId });
    return true;
  };
  const drainUntil = (until: number) => {
    while (completions.length > 0 && completions[0]!.at <= until) {
      const done = completions.shift()!;
      engine.release(done.agentId);
      // The waiting list stays in backlog order; the first ticket an agent can take now gets the slot.
      for (let i = 0; i < waiting.length; i++) {
        if (assignAt(waiting[i]!, done.at)) {
          waiting.splice(i, 1);
          break;
        }
      }
    }
  };
  for (const arrival of sorted) {
    drainUntil(arrival.ticket.at);
    if (!assignAt(arrival, arrival.ticket.at)) insertSorted(waiting, arrival);
  }
  drainUntil(Number.POSITIVE_INFINITY);

  const counts = agentIds.map((id) => count.get(id) ?? 0);
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const w = [...waits].sort((a, b) => a - b);
  const quantile = (q: number) =>
    w.length === 0 ? 0 : w[Math.min(w.length - 1, Math.ceil(q * w.length) - 1)]!;
  return {
    strategy: router.strategy,
    filters: router.filters,
    tickets: input.length,
    assigned: waits.length,
    unassigned: waiting.length,
    perAgent: agentIds.map((id) => ({
      agentId: id,
      assigned: count.get(id) ?? 0,
      peakLoad: peak.get(id) ?? 0,
    })),
    fairness: { maxOverMin: counts.length === 0 || min === 0 ? null : max / min, gini: gini(counts) },
    waiting: {
      meanMs: w.length === 0 ? 0 : w.reduce((a, b) => a + b, 0) / w.length,
      p50Ms: quantile(0.5),
      p95Ms: quantile(0.95),
      maxMs: w.at(-1) ?? 0,
    },
  };
}

function insertSorted<T extends { ticket: RoutingTicket }>(list: T[], item: T): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareBacklog(list[mid]!.ticket, item.ticket) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

function insertCompletion(
  list: { at: number; agentId: string }[],
  item: { at: number; agentId: string },
): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.at <= item.at) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/**
 * The Gini coefficient of non-negative values: 0 when all are equal, (n-1)/n when one holds everything.
 *
 * @example
 * ```ts
 * gini([5, 5, 5]);
 * //=> 0
 * gini([0, 0, 9]);
 * //=> 0.6666666666666667
 * ```
 */
export function gini(values: readonly number[]): number {
  checkArray(values, 'gini', ['values'], 'an array of numbers (loads, 0 or more)');
  for (let i = 0; i < values.length; i++)
    checkNumber(values[i], 'gini', ['values', i], 'a finite number, 0 or more', 0);
  const n = values.length;
  const total = values.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  let weighted = 0;
  sorted.forEach((v, i) => {
    weighted += (i + 1) * v;
  });
  return (2 * weighted) / (n * total) - (n + 1) / n;
}
