export { strategies } from './builtins.js';
export {
  type BacklogOutcome,
  createRouter,
  type RouteOutcome,
  type RouteResult,
  type Router,
  type RouterOptions,
} from './createRouter.js';
export {
  available,
  hasSkills,
  leastLoaded,
  mostSpareCapacity,
  mostSparePercent,
  onShift,
  roundRobin,
  speaks,
  sticky,
  tierAtLeast,
  withinCapacity,
} from './names.js';
export { type BacklogTicket, compareBacklog, orderBacklog } from './orderBacklog.js';
export type { ShiftCheck } from './pipeline.js';
export {
  type FilterContext,
  FilterName,
  type FilterSpec,
  type RoutingFilter,
  type RoutingPolicy,
  RoutingPolicyConfig,
  type RoutingStrategy,
  RoutingTicket,
  type RoutingTicketInput,
  StrategyName,
} from './policy.js';
export { type AgentStats, initialRouterState, type RouterState } from './routerState.js';
export { Arrival, type RoutingSimulation, simulateRouting } from './simulateRouting.js';
