// Routing throughput: assign 100,000 tickets over 1,000 agents with skills, languages and
// capacity, with carekit's indexed assignBacklog, against routing the same tickets one by
// one with a scan of every agent (carekit's own pure `route`, the obviously-correct form
// most helpdesks write). Then the same with 2,000 agents to show how cost grows.
import { Bench } from 'tinybench';
import { Agent } from '../src/model/index.js';
import { createRouter, type RoutingTicketInput } from '../src/routing/index.js';

const SKILLS = [
  'billing',
  'returns',
  'tech',
  'shipping',
  'vip',
  'b2b',
  'fraud',
  'warranty',
  'sales',
  'account',
];
const LANGUAGES = ['en', 'vi', 'pt', 'es', 'de'];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Agents as a host keeps them: parsed once with the Agent schema (defaults applied).
function makeAgents(n: number): Agent[] {
  const r = random(7);
  return Array.from({ length: n }, (_, i) =>
    Agent.parse({
      id: `agent-${i}`,
      name: `Agent ${i}`,
      skills: SKILLS.filter(() => r() < 0.3),
      languages: ['en', ...LANGUAGES.slice(1).filter(() => r() < 0.25)],
      tier: 1 + Math.floor(r() * 3),
      capacity: 150 + Math.floor(r() * 100),
    }),
  );
}

function makeTickets(n: number): RoutingTicketInput[] {
  const r = random(11);
  return Array.from({ length: n }, (_, i) => ({
    id: `T-${i}`,
    at: 1_700_000_000_000 + i * 1000,
    skills: [SKILLS[Math.floor(r() * SKILLS.length)]!],
    language: r() < 0.7 ? 'en' : LANGUAGES[Math.floor(r() * LANGUAGES.length)]!,
    priority: (['low', 'normal', 'high', 'urgent'] as const)[Math.floor(r() * 4)]!,
  }));
}

export default async function run(): Promise<void> {
  const tickets = makeTickets(100_000);
  const fewTickets = tickets.slice(0, 2_000);
  const bench = new Bench({ time: 3000, iterations: 3 });
  for (const n of [1000, 2000]) {
    const agents = makeAgents(n);
    for (const strategy of ['mostSpareCapacity', 'roundRobin'] as const) {
      const router = createRouter({ strategy });
      const check = router.assignBacklog(tickets, agents);
      const unassigned = check.assignments.filter((a) => a.agentId === null).length;
      bench.add(
        `carekit assignBacklog ${strategy}: 100,000 tickets, ${n} agents (${unassigned} unassigned)`,
        () => {
          router.assignBacklog(tickets, agents);
        },
      );
    }
    const scan = createRouter({ strategy: 'mostSpareCapacity' });
    bench.add(`scan per ticket (route) mostSpareCapacity: 2,000 tickets, ${n} agents`, () => {
      let state = undefined as Parameters<typeof scan.route>[2];
      for (const t of fewTickets) state = scan.route(t, agents, state).state;
    });
  }
  await bench.run();
  const rows = bench.tasks.map((task) => {
    const count = task.name.includes('100,000') ? 100_000 : 2_000;
    const mean = task.result && 'latency' in task.result ? task.result.latency.mean : Number.NaN;
    return {
      task: task.name,
      'ms per run': mean.toFixed(1),
      'decisions/s': Math.round((count / mean) * 1000).toLocaleString('en'),
    };
  });
  console.table(rows);
}
