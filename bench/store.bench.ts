// The memory store's cost per save and load, beside the work a desk call does anyway (applying
// one event with the ticket workflow) and a full structuredClone of the snapshot. The store
// copies and freezes what a save gives it, reusing the parts it already holds, so a save of the
// next version copies what the event changed and a load copies nothing.
import { Bench } from 'tinybench';
import {
  createMemoryStore,
  createTicketWorkflow,
  type TicketSnapshot,
  type TicketWrite,
} from '../src/workflows/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const wf = createTicketWorkflow();

const opened = (ticketId: string) => ({
  type: 'ticket.opened',
  id: `${ticketId}:opened`,
  ticketId,
  at: T0,
  channel: 'email',
  subject: 'Late parcel',
  body: 'Where is my order?',
  customer: { id: `c-${ticketId}`, name: 'Rui Costa', email: 'rui@example.com' },
});
const reply = (ticketId: string, n: number) => ({
  type: 'customer.replied',
  id: `r${n}`,
  ticketId,
  at: T0 + 1000 * (n + 1),
  body: `Any news? (${n})`,
});
const write = (snapshot: TicketSnapshot, events: TicketWrite['events']): TicketWrite => ({
  snapshot,
  workflowKey: 'standard',
  dueAt: null,
  customerId: 'c',
  externalId: null,
  events,
});

export default async function run(): Promise<void> {
  // A ticket 100 events long, as the desk leaves it in the store.
  let snapshot = wf.start(opened('T-1')).snapshot;
  for (let n = 0; n < 100; n++) snapshot = wf.apply(snapshot, reply('T-1', n)).snapshot;
  const store = createMemoryStore();
  await store.save('T-1', 0, write(snapshot, []));
  // The snapshot as a desk loads it (the store's own copy), and every next version derived from
  // it, as a desk derives one per call: the ticket stays 101 events long.
  const base = (await store.load('T-1'))?.snapshot as TicketSnapshot;
  let version = 1;
  let n = 100;
  let created = 0;

  const bench = new Bench({ time: 1500, iterations: 5 });
  bench
    .add('workflow.apply: one reply to the loaded 100-event ticket (the desk does this anyway)', () => {
      wf.apply(base, reply('T-1', n++));
    })
    .add('the same apply, then save the next version in the memory store', async () => {
      const event = reply('T-1', n++);
      const next = wf.apply(base, event).snapshot;
      const saved = await store.save('T-1', version, write(next, [event as never]));
      if (!saved.ok) throw new Error('conflict');
      version = saved.version;
    })
    .add('memory store: save a new ticket (its snapshot is copied whole)', async () => {
      const id = `N-${created++}`;
      const event = opened(id);
      await store.save(id, 0, write(wf.start(event).snapshot, [event as never]));
    })
    .add('memory store: load', async () => {
      await store.load('T-1');
    })
    .add('structuredClone of the 100-event snapshot (for scale)', () => {
      structuredClone(snapshot);
    });
  await bench.run();
  console.table(
    bench.tasks.map((task) => {
      const mean = task.result && 'latency' in task.result ? task.result.latency.mean : Number.NaN;
      return { task: task.name, 'µs per op': (mean * 1000).toFixed(1) };
    }),
  );
}
