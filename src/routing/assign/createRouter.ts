import { z } from 'zod';
import { type Calendar, isOpen } from '../../calendar/index.js';
import {
  type Agent,
  type AgentInput,
  functionOption,
  objectOption,
  parseInput,
  parseOptions,
} from '../../model/index.js';
import { agentList } from './agents.js';
import { type RouteResult, RoutingEngine } from './engine.js';
import { backlogOrder, compareBacklog } from './orderBacklog.js';
import {
  check,
  compilePolicy,
  explainNobody,
  explainPick,
  type Pipeline,
  ranksBefore,
  type ShiftCheck,
} from './pipeline.js';
import {
  type RoutingPolicy,
  type RoutingPolicyConfig,
  RoutingTicket,
  type RoutingTicketInput,
} from './policy.js';
import { initialRouterState, type RouterState, read, record, statsOf } from './routerState.js';
import { isWellFormedTicket } from './wellFormed.js';

export type { RouteResult } from './engine.js';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /**
   * Shift calendars by id, for `onShift`: an agent is on shift when the calendar named by its
   * `calendarId` is open at the ticket's `at`. An agent without `calendarId` is always on
   * shift; one whose calendar is missing is off shift.
   */
  readonly calendars?: Readonly<Record<string, Calendar>>;
  /** Your own shift check instead of `calendars` (a roster service, a cache). */
  readonly isOnShift?: ShiftCheck;
}

/** The result of {@link Router.route}: the decision and the router's next state. */
export interface RouteOutcome extends RouteResult {
  readonly state: RouterState;
}

/** The result of {@link Router.assignBacklog}. */
export interface BacklogOutcome {
  /** One decision per ticket, in the order they were taken (backlog order). */
  readonly assignments: readonly RouteResult[];
  readonly state: RouterState;
}

/** A router: a compiled policy and pure functions over the router's state. */
export interface Router {
  readonly filters: readonly string[];
  readonly strategy: string;
  /**
   * Picks an agent for one ticket. Pure: the same ticket, agents and state give the same
   * result, and the state that comes out has the assignment counted. Cost: one pass over
   * the agents (use {@link Router.assignBacklog} for many tickets).
   */
  route(ticket: RoutingTicketInput, agents: readonly AgentInput[], state?: RouterState): RouteOutcome;
  /** Assigns many tickets in backlog order (SLA due first, then priority, then age), indexed. */
  assignBacklog(
    tickets: readonly RoutingTicketInput[],
    agents: readonly AgentInput[],
    state?: RouterState,
  ): BacklogOutcome;
  /** A ticket of `agentId` is done (solved, reassigned): its slot frees up. */
  release(state: RouterState, agentId: string): RouterState;
}

// The indexed engine behind each router, for simulateRouting; kept off the public object.
const engines = new WeakMap<Router, (agents: readonly AgentInput[], state: RouterState) => RoutingEngine>();

/** The indexed engine of a router made by createRouter. */
export function engineOf(
  router: Router,
): ((agents: readonly AgentInput[], state: RouterState) => RoutingEngine) | undefined {
  return engines.get(router);
}

const Tickets = z.array(RoutingTicket).max(10_000_000);

const offShift: ShiftCheck = () => false;

const RouterOptionsSchema = z.strictObject({
  calendars: z
    .record(
      z.string().max(256),
      objectOption<Calendar>((v) => 'schedule' in v && 'timeZone' in v, 'a calendar from createCalendar'),
    )
    .optional(),
  isOnShift: functionOption<ShiftCheck>('a shift check (calendarId, at) => boolean').optional(),
});

/**
 * Builds a router from a policy: a pipeline of filters (`available`, `hasSkills`,
 * `speaks`, `tierAtLeast`, `onShift`, `withinCapacity`, `sticky`, or your own functions)
 * and a strategy (`roundRobin`, `leastLoaded`, `mostSpareCapacity`, `mostSparePercent`, or
 * your own). The policy may be plain data from a JSON file.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} on an unknown filter or strategy.
 * @example
 * ```ts
 * const router = createRouter({ filters: ['available', 'withinCapacity'], strategy: 'mostSpareCapacity' });
 * const agents = [
 *   { id: 'A', name: 'Ana', capacity: 2 },
 *   { id: 'B', name: 'Bo', capacity: 10 },
 * ];
 * const { agentId, reason } = router.route({ id: 'T-1', at: 0 }, agents, initialRouterState({ A: 1, B: 8 }));
 * agentId;
 * //=> 'B'
 * reason;
 * //=> 'Assigned to B by mostSpareCapacity: has the most free slots (2 of 10).'
 * ```
 */
export function createRouter(
  policy: RoutingPolicy | RoutingPolicyConfig = {},
  options: RouterOptions = {},
): Router {
  const pipeline = compilePolicy(policy);
  options = parseOptions(RouterOptionsSchema, options, 'createRouter options') as RouterOptions;
  const { calendars } = options;
  const onShift: ShiftCheck =
    options.isOnShift ??
    (calendars
      ? (calendarId, at) => Object.hasOwn(calendars, calendarId) && isOpen(calendars[calendarId]!, at)
      : offShift);
  const names = [...pipeline.steps.map((s) => s.name), ...(pipeline.sticky ? ['sticky'] : [])];
  const router: Router = {
    filters: names,
    strategy: pipeline.strategy.name,
    route(ticketInput, agents, state = initialRouterState()) {
      const ticket = parseInput(RoutingTicket, ticketInput, 'ticket');
      return routeOne(pipeline, onShift, ticket, agentList(agents).agents, state);
    },
    assignBacklog(ticketInputs, agents, state = initialRouterState()) {
      const tickets = ticketInputs.every(isWellFormedTicket)
        ? (ticketInputs as readonly RoutingTicket[])
        : parseInput(Tickets, ticketInputs, 'tickets');
      const engine = new RoutingEngine(agentList(agents), pipeline, state, onShift);
      const order =
        backlogOrder(tickets) ?? [...tickets.keys()].sort((a, b) => compareBacklog(tickets[a]!, tickets[b]!));
      const assignments = engine.decideBacklog(tickets, order);
      return { assignments, state: engine.state() };
    },
    release(state, agentId) {
      const load = read(state.loads, agentId) ?? 0;
      if (load === 0) return state;
      return { ...state, loads: record([...Object.entries(state.loads), [agentId, load - 1]]) };
    },
  };
  engines.set(router, (agents, state) => new RoutingEngine(agentList(agents), pipeline, state, onShift));
  return router;
}

// The obviously-correct form: one pass over every agent. The indexed engine must agree with it.
function routeOne(
  pipeline: Pipeline,
  onShift: ShiftCheck,
  ticket: RoutingTicket,
  agents: readonly Agent[],
  state: RouterState,
): RouteOutcome {
  const preferredId = pipeline.sticky
    ? (ticket.previousAgentId ??
      (ticket.customerId === undefined ? undefined : read(state.lastAgentByCustomer, ticket.customerId)))
    : undefined;
  const counts = new Map<string, number>();
  let best = -1;
  let bestKey = 0;
  let bestSeq = 0;
  let sticky = -1;
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i]!;
    const stats = statsOf(state, agent.id);
    const verdict = check(pipeline.steps, agent, ticket, stats, onShift);
    if (verdict !== true) {
      counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
      continue;
    }
    if (agent.id === preferredId) sticky = i;
    const key = pipeline.strategy.key(agent, stats);
    if (best < 0 || ranksBefore(key, stats.lastSequence, i, bestKey, bestSeq, best)) {
      best = i;
      bestKey = key;
      bestSeq = stats.lastSequence;
    }
  }
  const winner = sticky >= 0 ? sticky : best;
  if (winner < 0)
    return {
      ticketId: ticket.id,
      agentId: null,
      reason: explainNobody(ticket, agents.length, counts),
      state,
    };
  const agent = agents[winner]!;
  const stats = statsOf(state, agent.id);
  const why =
    sticky >= 0
      ? ticket.previousAgentId
        ? 'handled this ticket before'
        : 'last helped this customer'
      : null;
  const sequence = state.sequence + 1;
  const next: RouterState = {
    version: 1,
    loads: record([...Object.entries(state.loads), [agent.id, stats.load + 1]]),
    assigned: record([...Object.entries(state.assigned), [agent.id, stats.assigned + 1]]),
    lastSequence: record([...Object.entries(state.lastSequence), [agent.id, sequence]]),
    lastAssignedAt: record([...Object.entries(state.lastAssignedAt), [agent.id, ticket.at]]),
    // Remembered only for `sticky` policies: copying a record that grows with every customer on
    // each decision made a long day of routing quadratic.
    lastAgentByCustomer:
      ticket.customerId === undefined || !pipeline.sticky
        ? state.lastAgentByCustomer
        : record([...Object.entries(state.lastAgentByCustomer), [ticket.customerId, agent.id]]),
    sequence,
  };
  return {
    ticketId: ticket.id,
    agentId: agent.id,
    reason: explainPick(pipeline, agent, stats, why),
    state: next,
  };
}
