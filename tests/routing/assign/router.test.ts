import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../../src/model/index.js';
import { gini } from '../../../src/routing/assign/simulateRouting.js';
import {
  available,
  createRouter,
  hasSkills,
  initialRouterState,
  leastLoaded,
  mostSpareCapacity,
  mostSparePercent,
  onShift,
  orderBacklog,
  type RoutingFilter,
  type RoutingStrategy,
  roundRobin,
  simulateRouting,
  speaks,
  sticky,
  tierAtLeast,
  withinCapacity,
} from '../../../src/routing/index.js';

const zendesk = [
  { id: 'A', name: 'Ana', capacity: 2 },
  { id: 'B', name: 'Bo', capacity: 10 },
];

describe('createRouter: the worked Zendesk case', () => {
  const state = initialRouterState({ A: 1, B: 8 });
  it('mostSpareCapacity picks B (2 free slots beat 1)', () => {
    const r = createRouter({ strategy: 'mostSpareCapacity' }).route({ id: 'T', at: 0 }, zendesk, state);
    expect(r.agentId).toBe('B');
    expect(r.reason).toBe('Assigned to B by mostSpareCapacity: has the most free slots (2 of 10).');
    expect(r.state.loads.B).toBe(9);
    expect(state.loads.B).toBe(8);
  });
  it('mostSparePercent picks A (50% free beats 20%)', () => {
    const r = createRouter({ strategy: 'mostSparePercent' }).route({ id: 'T', at: 0 }, zendesk, state);
    expect(r.agentId).toBe('A');
    expect(r.reason).toContain('50%');
  });
  it('leastLoaded picks A (1 open beats 8)', () => {
    expect(createRouter({ strategy: 'leastLoaded' }).route({ id: 'T', at: 0 }, zendesk, state).agentId).toBe(
      'A',
    );
  });
});

const team = [
  { id: 'en1', name: 'E', skills: ['billing'], languages: ['en'], capacity: 2 },
  { id: 'vi1', name: 'V', skills: ['billing', 'returns'], languages: ['vi', 'en'], tier: 2, capacity: 1 },
  { id: 'pt1', name: 'P', skills: ['returns'], languages: ['pt-BR'], availability: 'away' as const },
  { id: 'night', name: 'N', skills: ['billing'], languages: ['en'], calendarId: 'night' },
];

describe('filters and reasons', () => {
  const router = createRouter(
    {
      filters: ['available', 'hasSkills', 'speaks', 'tierAtLeast', 'onShift', 'withinCapacity'],
      strategy: 'leastLoaded',
    },
    { isOnShift: (calendarId, at) => calendarId === 'night' && at >= 1000 },
  );
  it('keeps only agents with every skill, the language, the tier, on shift and with room', () => {
    expect(router.route({ id: 't', at: 0, skills: ['billing', 'returns'] }, team).agentId).toBe('vi1');
    expect(router.route({ id: 't', at: 0, language: 'vi-VN' }, team).agentId).toBe('vi1');
    expect(router.route({ id: 't', at: 0, tier: 2 }, team).agentId).toBe('vi1');
    expect(
      router.route({ id: 't', at: 0, skills: ['billing'] }, team, initialRouterState({ en1: 2 })).agentId,
    ).toBe('vi1');
    expect(
      router.route({ id: 't', at: 2000, skills: ['billing'] }, team, initialRouterState({ en1: 2, vi1: 1 }))
        .agentId,
    ).toBe('night');
  });
  it('says why nobody could take a ticket', () => {
    const r = router.route(
      { id: 'T-9', at: 0, skills: ['returns'], language: 'pt' },
      team,
      initialRouterState({ vi1: 1 }),
    );
    expect(r.agentId).toBeNull();
    expect(r.reason).toBe(
      'No agent can take ticket T-9: of 4 agents, lacks skill "returns" (2); does not speak pt (1); is away (1).',
    );
    expect(router.route({ id: 'x', at: 0 }, []).reason).toBe(
      'No agent can take ticket x: there are no agents.',
    );
  });
  it('treats an unknown calendar as off shift, and no calendar as always on', () => {
    const r = createRouter({ filters: ['onShift'] }).route({ id: 't', at: 5000 }, [team[3]!]);
    expect(r.reason).toContain('is off shift');
    expect(createRouter({ filters: ['onShift'] }).route({ id: 't', at: 0 }, [team[0]!]).agentId).toBe('en1');
  });
  it('tierAtLeast can carry its own minimum', () => {
    expect(
      createRouter({ filters: [{ filter: 'tierAtLeast', tier: 2 }] }).route({ id: 't', at: 0 }, team).agentId,
    ).toBe('vi1');
  });
});

describe('sticky', () => {
  const router = createRouter({ filters: ['available', 'sticky', 'withinCapacity'], strategy: 'roundRobin' });
  const agents = [
    { id: 'a', name: 'A', capacity: 1 },
    { id: 'b', name: 'B' },
  ];
  it('prefers the agent who last helped the customer, or who handled the ticket', () => {
    const first = router.route({ id: 't1', at: 0, customerId: 'c' }, agents, initialRouterState());
    expect(first.agentId).toBe('a');
    const again = router.route(
      { id: 't2', at: 1, customerId: 'c' },
      agents,
      router.release(first.state, 'a'),
    );
    expect(again).toMatchObject({
      agentId: 'a',
      reason: 'Assigned to a (sticky: last helped this customer).',
    });
    const reopened = router.route({ id: 't3', at: 1, previousAgentId: 'b' }, agents, initialRouterState());
    expect(reopened.reason).toContain('handled this ticket before');
  });
  it('falls back to the strategy when the preferred agent is not eligible', () => {
    const first = router.route({ id: 't1', at: 0, customerId: 'c' }, agents);
    expect(router.route({ id: 't2', at: 1, customerId: 'c' }, agents, first.state).agentId).toBe('b');
  });
});

describe('function forms', () => {
  it('accepts a custom filter and a custom strategy', () => {
    const seniorOnly: RoutingFilter = { name: 'senior', test: (a) => a.tier >= 2 || 'is not senior' };
    const cheapest: RoutingStrategy = { name: 'byName', key: (a) => (a.name === 'V' ? 0 : 1) };
    const router = createRouter({ filters: [seniorOnly, 'available'], strategy: cheapest });
    expect(router.filters).toEqual(['senior', 'available']);
    expect(router.route({ id: 't', at: 0 }, team).reason).toBe(
      'Assigned to vi1 by byName: ranks first by byName.',
    );
    const none = createRouter({ filters: [{ name: 'never', test: () => false }] }).route(
      { id: 't', at: 0 },
      team,
    );
    expect(none.reason).toContain('fails never (4)');
  });
  it('a custom filter can ask about the shift', () => {
    const seen: boolean[] = [];
    const probe: RoutingFilter = {
      name: 'probe',
      test: (_a, _t, ctx) => {
        seen.push(ctx.onShift());
        return true;
      },
    };
    createRouter({ filters: [probe] }, { isOnShift: () => false }).route({ id: 't', at: 0 }, team);
    expect(seen).toEqual([true, true, true, false]);
  });
});

describe('validation', () => {
  it('refuses unknown filters and strategies with a path', () => {
    try {
      createRouter({ filters: ['hasSkils' as 'hasSkills'], strategy: 'leastLoaded' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitValidationError);
      expect((error as CarekitValidationError).issues[0]?.path).toEqual(['filters', 0]);
    }
    expect(() => createRouter({ strategy: 'random' as 'roundRobin' })).toThrow(/strategy/);
    expect(() => createRouter({ filters: [{ name: 'x', test: 1 as never }] })).toThrow(/test function/);
  });
  it('refuses bad tickets and duplicate agents, and changes nothing', () => {
    const router = createRouter();
    const state = initialRouterState();
    expect(() => router.route({ id: '', at: 0 }, team, state)).toThrow(CarekitValidationError);
    expect(() => router.route({ id: 't', at: 0 }, [team[0]!, team[0]!], state)).toThrow(/appears twice/);
    expect(state).toEqual(initialRouterState());
  });
  it('handles any agent id as a plain key', () => {
    const r = createRouter().route({ id: 't', at: 0, customerId: '__proto__' }, [
      { id: '__proto__', name: 'P' },
    ]);
    const key = '__proto__';
    expect(Object.getOwnPropertyDescriptor(r.state.loads, key)?.value).toBe(1);
    expect(JSON.stringify(r.state.loads)).toBe('{"__proto__":1}');
  });
});

describe('backlog', () => {
  it('orders by SLA due time, then priority, then age, then id', () => {
    const tickets = [
      { id: 'd', at: 5, priority: 'urgent' as const },
      { id: 'a', at: 0, priority: 'low' as const, dueAt: 500 },
      { id: 'b', at: 0, priority: 'urgent' as const },
      { id: 'c', at: 0, priority: 'urgent' as const, dueAt: 500 },
      { id: 'e', at: 0, createdAt: 9 },
      { id: 'f', at: 0, createdAt: 9 },
    ];
    expect(orderBacklog(tickets).map((t) => t.id)).toEqual(['c', 'a', 'b', 'd', 'e', 'f']);
  });
  it('assigns many tickets and returns the state', () => {
    const router = createRouter({ strategy: 'roundRobin' });
    const agents = [
      { id: 'a', name: 'A', capacity: 2 },
      { id: 'b', name: 'B', capacity: 1 },
    ];
    const { assignments, state } = router.assignBacklog(
      ['1', '2', '3', '4'].map((id) => ({ id, at: 0 })),
      agents,
    );
    expect(assignments.map((a) => a.agentId)).toEqual(['a', 'b', 'a', null]);
    expect(state.loads).toEqual({ a: 2, b: 1 });
    expect(router.release(state, 'b').loads).toEqual({ a: 2, b: 0 });
    expect(router.release(router.release(state, 'b'), 'b').loads.b).toBe(0);
  });
});

describe('simulateRouting', () => {
  const agents = [
    { id: 'a', name: 'A', capacity: 1 },
    { id: 'b', name: 'B', capacity: 1 },
  ];
  it('reports fairness and waiting times', () => {
    const arrivals = [0, 1, 2, 3].map((i) => ({ ticket: { id: `T${i}`, at: i * 1000 }, handleMs: 1500 }));
    const sim = simulateRouting(arrivals, agents, { strategy: 'roundRobin' });
    expect(sim).toMatchObject({
      tickets: 4,
      assigned: 4,
      unassigned: 0,
      fairness: { maxOverMin: 1, gini: 0 },
    });
    expect(sim.waiting).toEqual({ meanMs: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 });
  });
  it('queues tickets until a slot frees, in backlog order', () => {
    const arrivals = [
      { ticket: { id: 'x', at: 0 }, handleMs: 100 },
      { ticket: { id: 'y', at: 0 }, handleMs: 100 },
      { ticket: { id: 'z', at: 10 }, handleMs: 100 },
      { ticket: { id: 'u', at: 20, priority: 'urgent' as const }, handleMs: 100 },
    ];
    const sim = simulateRouting(arrivals, agents, createRouter({ strategy: 'leastLoaded' }));
    expect(sim.assigned).toBe(4);
    expect(sim.waiting.maxMs).toBe(90);
    expect(sim.perAgent.map((p) => p.peakLoad)).toEqual([1, 1]);
  });
  it('counts tickets nobody can take', () => {
    const sim = simulateRouting([{ ticket: { id: 'x', at: 0, skills: ['none'] }, handleMs: 1 }], agents);
    expect(sim).toMatchObject({ assigned: 0, unassigned: 1, fairness: { maxOverMin: null, gini: 0 } });
  });
  it('refuses a router it did not make', () => {
    const fake = { ...createRouter() };
    expect(() => simulateRouting([], agents, fake)).toThrow(/made by createRouter/);
  });
  it('gini is 0 when even and (n-1)/n when one does all', () => {
    expect(gini([5, 5, 5])).toBe(0);
    expect(gini([0, 0, 9])).toBeCloseTo(2 / 3);
    expect(gini([])).toBe(0);
  });
});

describe('agents updated in place', () => {
  it('the router sees a change to the same array', () => {
    const router = createRouter({ filters: ['available'] });
    const agents = [{ id: 'a', name: 'A', availability: 'available' as 'available' | 'away' }];
    expect(router.route({ id: 't', at: 0 }, agents).agentId).toBe('a');
    agents[0]!.availability = 'away';
    expect(router.route({ id: 't', at: 0 }, agents).agentId).toBeNull();
  });
});

describe('malformed policies from JSON', () => {
  it('get a validation error, not a crash', () => {
    expect(() => createRouter(null as never)).toThrow(CarekitValidationError);
    expect(() => createRouter({ filters: 'available' as never })).toThrow(CarekitValidationError);
  });
});

describe('built-in names as values', () => {
  it('write the same policy as strings', () => {
    const a = createRouter({
      filters: [available, hasSkills, speaks, tierAtLeast(2), onShift, withinCapacity, sticky],
      strategy: roundRobin,
    });
    expect(a.filters).toEqual([
      'available',
      'hasSkills',
      'speaks',
      'tierAtLeast(2)',
      'onShift',
      'withinCapacity',
      'sticky',
    ]);
    expect(
      [leastLoaded, mostSpareCapacity, mostSparePercent].map((s) => createRouter({ strategy: s }).strategy),
    ).toEqual(['leastLoaded', 'mostSpareCapacity', 'mostSparePercent']);
    expect(createRouter({ filters: [tierAtLeast()] }).filters).toEqual(['tierAtLeast']);
  });
});
