// The desk's cost over the lifecycle's: `receive` and `handle` per second on the memory store with
// the full example configuration (examples/loja-azul.desk.json: calendars, SLA policies, rules,
// segments, routing, escalation, templates), against the desk's own `apply` over the same events
// in the same run. DESK_CONTACTS sets the size (default 2,000 contacts, 3 events each after).
// Medians of three runs; CPU seconds beside wall time (the machine is shared).
import { readFileSync } from 'node:fs';
import type { TicketEventInput } from '../src/model/index.js';
import { createTemplateLibrary, starterTemplates } from '../src/templates/index.js';
import type { TicketSnapshot } from '../src/workflows/index.js';
import { createDeskFromConfig } from '../src/workflows/index.js';

const N = Number(process.env.DESK_CONTACTS ?? 2000);
const config = JSON.parse(readFileSync(new URL('../examples/loja-azul.desk.json', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-11-23T12:00:00Z');
const bodies = [
  'Where is my order? It is late.',
  'The mug arrived broken, I want a refund.',
  'Do you ship to Porto?',
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function once() {
  const desk = createDeskFromConfig(config, {
    templates: createTemplateLibrary(starterTemplates),
    clock: () => T0 + 30 * 86_400_000,
  });
  const contacts = Array.from({ length: N }, (_, i) => ({
    externalId: `m-${i}`,
    channel: 'email' as const,
    customer: { id: `c-${i % 500}`, name: 'Ana', givenName: 'Ana', language: 'en' },
    subject: 'Help',
    body: bodies[i % bodies.length] as string,
    at: T0 + i * 1000,
  }));
  let cpu = process.cpuUsage();
  let start = performance.now();
  const tickets: { id: string; agent: string | null }[] = [];
  for (const contact of contacts) {
    const { ticket } = await desk.receive(contact);
    tickets.push({ id: ticket.ticketId, agent: ticket.assigneeId });
  }
  const receive = { wall: performance.now() - start, cpu: process.cpuUsage(cpu) };
  const events: TicketEventInput[] = [];
  tickets.forEach(({ id, agent }, i) => {
    const at = T0 + N * 1000 + i * 1000;
    const agentId = agent ?? 'ana';
    events.push({
      type: 'agent.noted',
      id: `${id}:n`,
      ticketId: id,
      at,
      agentId,
      body: 'Checking the order.',
    });
    events.push({
      type: 'agent.replied',
      id: `${id}:r`,
      ticketId: id,
      at: at + 60_000,
      agentId,
      body: 'It ships today.',
      status: 'pending',
    });
    events.push({
      type: 'customer.replied',
      id: `${id}:c`,
      ticketId: id,
      at: at + 120_000,
      body: 'Thank you!',
    });
  });
  const snapshots = new Map<string, { snapshot: TicketSnapshot; key: string }>();
  for (const { id } of tickets) {
    const stored = await desk.store.load(id);
    if (stored) snapshots.set(id, { snapshot: stored.snapshot, key: stored.workflowKey });
  }
  cpu = process.cpuUsage();
  start = performance.now();
  for (const event of events) await desk.handle(event);
  const handle = { wall: performance.now() - start, cpu: process.cpuUsage(cpu) };
  // The lifecycle alone over the same events and the same snapshots: the floor of `handle`.
  const { createTicketWorkflow } = await import('../src/workflows/index.js');
  const { createSlaPolicy } = await import('../src/sla/index.js');
  const { createCalendar } = await import('../src/calendar/index.js');
  const calendars = Object.fromEntries(
    Object.entries(config.calendars).map(([k, c]) => [k, createCalendar(c as never)]),
  );
  const workflows = new Map<string, ReturnType<typeof createTicketWorkflow>>();
  const wf = (key: string) => {
    let found = workflows.get(key);
    if (!found) {
      const policy = (config.slaPolicies as { id: string }[]).find((p) => p.id === key);
      found = createTicketWorkflow({
        ...config.lifecycle,
        calendars,
        sla: policy ? createSlaPolicy(policy as never) : null,
      });
      workflows.set(key, found);
    }
    return found;
  };
  cpu = process.cpuUsage();
  start = performance.now();
  for (const event of events) {
    const entry = snapshots.get(event.ticketId as string);
    if (!entry) continue;
    entry.snapshot = wf(entry.key).apply(entry.snapshot, event).snapshot;
  }
  const apply = { wall: performance.now() - start, cpu: process.cpuUsage(cpu) };
  return { receive, handle, apply, events: events.length };
}

export default async function run(): Promise<void> {
  const runs: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < 3; i++) runs.push(await once());
  const per = (k: 'receive' | 'handle' | 'apply', count: (r: (typeof runs)[number]) => number) =>
    median(runs.map((r) => (count(r) / r[k].wall) * 1000));
  const cpuS = (k: 'receive' | 'handle' | 'apply') =>
    median(runs.map((r) => (r[k].cpu.user + r[k].cpu.system) / 1e6));
  const receive = per('receive', () => N);
  const handle = per('handle', (r) => r.events);
  const apply = per('apply', (r) => r.events);
  console.log(`| operation | per second (median of 3) | CPU s (median) |`);
  console.log(`| --- | ---: | ---: |`);
  console.log(
    `| desk.receive (${N} contacts) | ${Math.round(receive).toLocaleString('en')} | ${cpuS('receive').toFixed(2)} |`,
  );
  console.log(
    `| desk.handle (${runs[0]?.events} events) | ${Math.round(handle).toLocaleString('en')} | ${cpuS('handle').toFixed(2)} |`,
  );
  console.log(
    `| workflow.apply, same events | ${Math.round(apply).toLocaleString('en')} | ${cpuS('apply').toFixed(2)} |`,
  );
  console.log(`\ndesk.handle costs ${(apply / handle).toFixed(2)}× workflow.apply`);
}
