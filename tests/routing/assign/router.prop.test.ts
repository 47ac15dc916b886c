import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { AgentInput } from '../../../src/model/index.js';
import { Agent } from '../../../src/model/index.js';
import { isWellFormedAgent, isWellFormedTicket } from '../../../src/routing/assign/wellFormed.js';
import {
  type BacklogTicket,
  compareBacklog,
  createRouter,
  FilterName,
  initialRouterState,
  orderBacklog,
  type RouterState,
  RoutingTicket,
  type RoutingTicketInput,
  StrategyName,
  simulateRouting,
} from '../../../src/routing/index.js';
import { propertyRuns } from '../../support/runs.js';

const SKILLS = ['billing', 'returns', 'tech'];
const isOnShift = (calendarId: string, at: number) => (calendarId === 'day' ? at % 2 === 0 : false);

const arbAgents = fc
  .array(
    fc.record({
      skills: fc.subarray(SKILLS),
      languages: fc.subarray(['en', 'vi', 'pt-BR'], { minLength: 1 }),
      tier: fc.integer({ min: 1, max: 3 }),
      capacity: fc.integer({ min: 0, max: 3 }),
      availability: fc.constantFrom('available', 'available', 'away' as const),
      calendarId: fc.option(fc.constantFrom('day', 'gone'), { nil: undefined }),
    }),
    { maxLength: 8 },
  )
  .map((list) =>
    list.map((a, i): AgentInput => {
      const { calendarId, ...rest } = a;
      return { id: `a${i}`, name: `Agent ${i}`, ...rest, ...(calendarId ? { calendarId } : {}) };
    }),
  );

const arbTickets = fc
  .array(
    fc.record(
      {
        at: fc.integer({ min: 0, max: 20 }),
        skills: fc.subarray(SKILLS, { maxLength: 2 }),
        language: fc.constantFrom('en', 'vi', 'pt'),
        tier: fc.integer({ min: 1, max: 3 }),
        customerId: fc.constantFrom('c1', 'c2', 'c3'),
        previousAgentId: fc.constantFrom('a0', 'a1', 'zz'),
        priority: fc.constantFrom('low', 'normal', 'high', 'urgent' as const),
        dueAt: fc.integer({ min: 0, max: 50 }),
      },
      { requiredKeys: ['at'] },
    ),
    { maxLength: 25 },
  )
  .map((list) => list.map((t, i): RoutingTicketInput => ({ id: `t${i}`, ...t })));

const arbFilters = fc.subarray(FilterName.options);
const arbStrategy = fc.constantFrom(...StrategyName.options);
const arbLoads = fc.dictionary(fc.constantFrom('a0', 'a1', 'a2'), fc.integer({ min: 0, max: 2 }));

describe('routing laws', () => {
  test.prop([arbAgents, arbTickets, arbFilters, arbStrategy, arbLoads], propertyRuns(100))(
    'assignBacklog (indexed) equals routing the ordered backlog one ticket at a time (scan)',
    (agents, tickets, filters, strategy, loads) => {
      const router = createRouter({ filters, strategy }, { isOnShift });
      const start = initialRouterState(loads);
      let state: RouterState = start;
      const expected = orderBacklog(tickets.map((t) => ({ ...t, at: t.at ?? 0 }))).map((t) => {
        const { state: next, ...decision } = router.route(t, agents, state);
        state = next;
        return decision;
      });
      const fast = router.assignBacklog(tickets, agents, start);
      expect(fast.assignments).toEqual(expected);
      expect(fast.state).toEqual(state);
    },
  );

  test.prop([arbAgents, arbTickets, arbStrategy], propertyRuns(100))(
    'never exceeds capacity, never picks an agent missing a skill, off shift or unavailable',
    (agents, tickets, strategy) => {
      const router = createRouter({ strategy }, { isOnShift });
      const { assignments, state } = router.assignBacklog(tickets, agents);
      const byId = new Map(agents.map((a) => [a.id, a]));
      const ticketById = new Map(tickets.map((t) => [t.id, t]));
      for (const { ticketId, agentId } of assignments) {
        if (agentId === null) continue;
        const agent = byId.get(agentId)!;
        const ticket = ticketById.get(ticketId)!;
        for (const skill of ticket.skills ?? []) expect(agent.skills).toContain(skill);
        expect(agent.availability ?? 'available').toBe('available');
        if (agent.calendarId) expect(isOnShift(agent.calendarId, ticket.at)).toBe(true);
        expect(agent.tier ?? 1).toBeGreaterThanOrEqual(ticket.tier ?? 1);
      }
      for (const agent of agents)
        expect(state.loads[agent.id] ?? 0).toBeLessThanOrEqual(agent.capacity ?? 10);
    },
  );

  test.prop([arbAgents, arbTickets, arbFilters, arbStrategy], propertyRuns(100))(
    'null only when no agent passes every filter; the same input gives the same result',
    (agents, tickets, filters, strategy) => {
      const router = createRouter({ filters, strategy }, { isOnShift });
      let state = initialRouterState();
      for (const ticket of tickets) {
        const result = router.route(ticket, agents, state);
        expect(router.route(ticket, agents, state)).toEqual(result);
        if (result.agentId === null) expect(result.reason).toMatch(/^No agent can take/);
        else expect(result.reason).toMatch(new RegExp(`^Assigned to ${result.agentId}`));
        state = result.state;
      }
    },
  );

  // assignBacklog finds a heap by the ticket's skill, language as written and tier; tickets
  // that differ only in how they spell the same needs must share the scan's candidates.
  const arbSpelledTickets = fc
    .array(
      fc.record(
        {
          at: fc.integer({ min: 0, max: 20 }),
          skills: fc.array(fc.constantFrom(...SKILLS), { maxLength: 3 }),
          language: fc.constantFrom('en', 'EN', 'en-GB', 'vi', 'VI-vn', 'pt', 'pt-BR', 'PT-br'),
          tier: fc.integer({ min: 1, max: 3 }),
          customerId: fc.constantFrom('c1', 'c2'),
          priority: fc.constantFrom('low', 'urgent' as const),
        },
        { requiredKeys: ['at'] },
      ),
      { maxLength: 30 },
    )
    .map((list) => list.map((t, i): RoutingTicketInput => ({ id: `t${i}`, ...t })));
  const refuseOdd = {
    name: 'evenTickets',
    test: (agent: Agent, ticket: RoutingTicket) =>
      agent.id !== 'a1' || ticket.at % 2 === 0 || 'is saved for even tickets',
  };
  test.prop(
    [
      arbAgents,
      arbSpelledTickets,
      arbFilters,
      fc.boolean(),
      fc.constantFrom(...StrategyName.options, 'custom'),
      arbLoads,
    ],
    propertyRuns(100),
  )(
    'assignBacklog equals the scan for any spelling of skills and languages, with custom filters and strategies',
    (agents, tickets, names, custom, strategyName, loads) => {
      const filters = custom ? [...names, refuseOdd] : names;
      const strategy =
        strategyName === 'custom'
          ? { name: 'busiestFirst', key: (_a: Agent, s: { load: number }) => -s.load }
          : strategyName;
      const router = createRouter({ filters, strategy }, { isOnShift });
      const start = initialRouterState(loads);
      let state: RouterState = start;
      const expected = orderBacklog(tickets.map((t) => ({ ...t, at: t.at ?? 0 }))).map((t) => {
        const { state: next, ...decision } = router.route(t, agents, state);
        state = next;
        return decision;
      });
      const fast = router.assignBacklog(tickets, agents, start);
      expect(fast.assignments).toEqual(expected);
      expect(fast.state).toEqual(state);
    },
  );

  test.prop([fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 60 })], propertyRuns(100))(
    'round robin: among equally eligible agents, counts differ by at most one',
    (n, m) => {
      const agents = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, name: `A${i}`, capacity: 1000 }));
      const router = createRouter({ strategy: 'roundRobin' });
      const { state } = router.assignBacklog(
        Array.from({ length: m }, (_, i) => ({ id: `t${i}`, at: 0 })),
        agents,
      );
      const counts = agents.map((a) => state.assigned[a.id] ?? 0);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(m);
    },
  );
});

describe('backlog order', () => {
  const key = fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined),
  );
  const arbBacklog = fc.array(
    fc.record(
      {
        id: fc.constantFrom('a', 'b', 'c'),
        at: fc.integer({ min: 0, max: 3 }),
        priority: fc.constantFrom('low', 'normal', 'high', 'urgent', undefined),
        createdAt: key,
        dueAt: key,
      },
      { requiredKeys: ['id', 'at'] },
    ),
    { maxLength: 40 },
  );
  test.prop([arbBacklog], propertyRuns(100))(
    'orders exactly as sorting with compareBacklog (ties, odd values and all)',
    (raw) => {
      const tickets = raw as unknown as BacklogTicket[];
      const ordered = orderBacklog(tickets);
      const reference = [...tickets].sort(compareBacklog);
      expect(ordered).toHaveLength(reference.length);
      for (const [i, t] of ordered.entries()) expect(t).toBe(reference[i]);
    },
  );
  // NaN and unknown priorities used to be sorted somewhere; they are refused now (issue 19).
  test.prop(
    [
      arbBacklog,
      fc.nat(40),
      fc.constantFrom<[string, unknown]>(
        ['dueAt', Number.NaN],
        ['createdAt', Number.NaN],
        ['priority', 'unknown'],
      ),
    ],
    propertyRuns(100),
  )('a ticket with NaN or an unknown priority is refused, at its index', (raw, at, [key, bad]) => {
    const tickets = [...raw] as Record<string, unknown>[];
    const i = at % (tickets.length + 1);
    tickets.splice(i, 0, { id: 'x', at: 0, [key]: bad });
    expect(() => orderBacklog(tickets as unknown as BacklogTicket[])).toThrow(
      expect.objectContaining({ path: ['tickets', i, key] }),
    );
  });
});

describe('the fast ticket check', () => {
  const value = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.integer({ min: -2, max: 200 }),
    fc.double(),
    fc.constantFrom('', ' a', 'a', 'en', 'vi', 'xx-yy-zz-invalid!', 'urgent', 'low', 'a'.repeat(300)),
    fc.array(fc.constantFrom('a', ' b', '', 'billing'), { maxLength: 3 }),
  );
  const arbMaybeTicket = fc.oneof(
    arbTickets.map((t) => t[0] ?? { id: 'x', at: 0 }),
    fc.dictionary(
      fc.constantFrom('id', 'at', 'skills', 'language', 'tier', 'customerId', 'priority', 'dueAt', 'extra'),
      value,
    ),
    fc.anything(),
  );
  test.prop([arbMaybeTicket], propertyRuns(100))(
    'accepts only what the schema accepts, unchanged',
    (candidate) => {
      if (isWellFormedTicket(candidate)) {
        const parsed = RoutingTicket.safeParse(candidate);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(candidate);
      }
    },
  );
  test.prop([arbTickets], propertyRuns(100))('accepts every ticket the generators make', (tickets) => {
    for (const t of tickets) expect(isWellFormedTicket({ ...t, at: t.at ?? 0 })).toBe(true);
  });
});

describe('the fast agent check', () => {
  const value = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: -1, max: 200_000 }),
    fc.constantFrom('', 'a', ' a', 'en', 'pt-BR', 'not a tag!', 'available', 'away', 'x@y.z'),
    fc.array(fc.constantFrom('a', ' b', '', 'en', 'vi'), { maxLength: 3 }),
  );
  const arbMaybeAgent = fc.oneof(
    arbAgents.map((list) => (list[0] ? Agent.parse(list[0]) : { id: 'a', name: 'A' })),
    fc.dictionary(
      fc.constantFrom(
        'id',
        'name',
        'skills',
        'languages',
        'tier',
        'capacity',
        'availability',
        'calendarId',
        'email',
      ),
      value,
    ),
    fc.anything(),
  );
  test.prop([arbMaybeAgent], propertyRuns(100))(
    'accepts only what the Agent schema accepts, unchanged',
    (candidate) => {
      if (isWellFormedAgent(candidate)) {
        const parsed = Agent.safeParse(candidate);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(candidate);
      }
    },
  );
  test.prop([arbAgents], propertyRuns(100))('accepts every parsed agent', (agents) => {
    for (const a of agents) expect(isWellFormedAgent(Agent.parse(a))).toBe(true);
  });
});

describe('simulation laws', () => {
  test.prop(
    [
      arbAgents,
      fc.array(
        fc.record({
          at: fc.nat(50),
          handleMs: fc.nat(30),
          priority: fc.constantFrom('low', 'urgent' as const),
        }),
        {
          maxLength: 30,
        },
      ),
      arbStrategy,
    ],
    propertyRuns(100),
  )(
    'every ticket is assigned or left waiting; no agent goes over capacity; waits are not negative',
    (agents, raw, strategy) => {
      const arrivals = raw.map((r, i) => ({
        ticket: { id: `t${i}`, at: r.at, priority: r.priority },
        handleMs: r.handleMs,
      }));
      const sim = simulateRouting(arrivals, agents, { filters: ['available', 'withinCapacity'], strategy });
      expect(sim.assigned + sim.unassigned).toBe(arrivals.length);
      expect(sim.perAgent.reduce((n, p) => n + p.assigned, 0)).toBe(sim.assigned);
      sim.perAgent.forEach((p, i) => {
        expect(p.peakLoad).toBeLessThanOrEqual(agents[i]!.capacity ?? 10);
      });
      expect(sim.waiting.p50Ms).toBeGreaterThanOrEqual(0);
      expect(sim.waiting.maxMs).toBeGreaterThanOrEqual(sim.waiting.p95Ms);
    },
  );
});
