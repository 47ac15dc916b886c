// An integrator's own routing policy: a custom filter (urgent tickets only to tier 2 and up)
// and a custom strategy (juniors first, then the fewest open tickets), beside built-ins.
import { Agent } from 'carekit/model';
import { createRouter, type RoutingFilter, type RoutingStrategy } from 'carekit/routing';

const seniorForUrgent: RoutingFilter = {
  name: 'seniorForUrgent',
  // true lets the agent through; a string is the reason counted when nobody fits
  test: (agent, ticket) =>
    ticket.priority !== 'urgent' || agent.tier >= 2 || 'is not senior enough for urgent tickets',
};

const juniorsFirst: RoutingStrategy = {
  name: 'juniorsFirst',
  key: (agent, stats) => agent.tier * 1000 + stats.load, // lowest key wins
  describe: (agent) => `is tier ${agent.tier}`,
};

const agents = [
  {
    id: 'ana',
    name: 'Ana',
    tier: 2,
    skills: ['brand:acme', 'returns'],
    languages: ['en', 'es'],
    capacity: 5,
  },
  { id: 'bao', name: 'Bao', tier: 1, skills: ['brand:acme'], languages: ['en', 'vi'], capacity: 3 },
  {
    id: 'cleo',
    name: 'Cleo',
    tier: 1,
    skills: ['brand:zeta'],
    languages: ['en'],
    capacity: 3,
    availability: 'away',
  },
].map((a) => Agent.parse(a));

const router = createRouter({
  filters: ['available', 'hasSkills', 'speaks', seniorForUrgent, 'withinCapacity'],
  strategy: juniorsFirst,
});

let state = undefined as Parameters<typeof router.route>[2];
for (const ticket of [
  { id: 'T-1', at: Date.UTC(2025, 2, 10, 9), language: 'en', skills: ['brand:acme'] },
  {
    id: 'T-2',
    at: Date.UTC(2025, 2, 10, 9, 5),
    language: 'en',
    skills: ['brand:acme'],
    priority: 'urgent' as const,
  },
  {
    id: 'T-3',
    at: Date.UTC(2025, 2, 10, 9, 7),
    language: 'vi',
    skills: ['brand:acme'],
    priority: 'urgent' as const,
  },
  { id: 'T-4', at: Date.UTC(2025, 2, 10, 9, 9), language: 'en', skills: ['brand:zeta'] },
]) {
  const result = router.route(ticket, agents, state);
  state = result.state;
  console.log(`${ticket.id} -> ${result.agentId ?? 'queue'}: ${result.reason}`);
}
