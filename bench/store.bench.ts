// The memory store's cost per save and load, beside the work a desk call does anyway (applying
// one event with the ticket workflow) and a full structuredClone of the snapshot. The store
// copies and freezes what a save gives it, reusing the parts it already holds, so a save of the
// next version copies what the event changed and a load copies nothing.
import { PGlite } from '@electric-sql/pglite';
import type { TicketEventInput } from 'carekit';
import pg from 'pg';
import { Bench } from 'tinybench';
import {
  createPostgresStore,
  migrate,
  pgliteClient,
  pgPoolClient,
  type SqlClient,
} from '../src/store-postgres/index.js';
import {
  createMemoryStore,
  createTicketWorkflow,
  type SaveRequest,
  type TicketSnapshot,
  type TicketWrite,
} from '../src/workflows/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const wf = createTicketWorkflow();

const opened = (ticketId: string) =>
  ({
    type: 'ticket.opened',
    id: `${ticketId}:opened`,
    ticketId,
    at: T0,
    channel: 'email',
    subject: 'Late parcel',
    body: 'Where is my order?',
    customer: { id: `c-${ticketId}`, name: 'Rui Costa', email: 'rui@example.com' },
  }) as TicketEventInput;
const reply = (ticketId: string, n: number) =>
  ({
    type: 'customer.replied',
    id: `r${n}`,
    ticketId,
    at: T0 + 1000 * (n + 1),
    body: `Any news? (${n})`,
  }) as TicketEventInput;
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
      const next = wf.apply(base, event as never).snapshot;
      const saved = await store.save('T-1', version, write(next, [event as never]));
      if (!saved.ok) throw new Error('conflict');
      version = saved.version;
    })
    .add('memory store: save a new ticket (its snapshot is copied whole)', async () => {
      const id = `N-${created++}`;
      const event = opened(id);
      await store.save(id, 0, write(wf.start(event as never).snapshot, [event as never]));
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
  await postgres(snapshot);
}

// The Postgres store's write path: the same stream of events (each the next version of one of
// 50 tickets, the 100-event snapshot rewritten each time) written three ways, on PGlite and, with
// CAREKIT_PG_URL, on a server: a plain batched event store written here (same tables' shape:
// a conditional update of the snapshot, a multi-row insert of events, 100 events a
// transaction), store.saveMany in batches of 100, and one store.save per event.
const TICKETS = 50;
const EVENTS = 1000;
const BATCH = 100;
let schemas = 0;

async function postgres(snapshot: TicketSnapshot): Promise<void> {
  const targets: [string, () => Promise<{ client: SqlClient; close: () => Promise<void> }>][] = [
    [
      'PGlite (in memory)',
      async () => {
        const db = await PGlite.create();
        return { client: pgliteClient(db), close: () => db.close() };
      },
    ],
  ];
  const url = process.env.CAREKIT_PG_URL;
  if (url) {
    targets.push([
      'PostgreSQL server (pg, one connection)',
      async () => {
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        return { client: pgPoolClient(pool), close: () => pool.end() };
      },
    ]);
  } else console.log('CAREKIT_PG_URL is not set: the server rows are skipped.');
  const text = JSON.stringify(snapshot);
  const rows: Record<string, string>[] = [];
  for (const [target, open] of targets) {
    const { client, close } = await open();
    const ways: [string, (client: SqlClient) => Promise<() => Promise<void>>][] = [
      ['plain batched event store (100 events a transaction)', plainStore],
      ['store.saveMany (batches of 100)', (c) => carekit(c, true)],
      ['store.save, one per event', (c) => carekit(c, false)],
    ];
    for (const [way, prepare] of ways) {
      const runs: { wall: number; cpu: number }[] = [];
      for (let i = 0; i < 3; i++) {
        const go = await prepare(client);
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await go();
        const wall = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        runs.push({ wall, cpu: (cpu.user + cpu.system) / 1e6 });
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
      const wall = median(runs.map((r) => r.wall));
      rows.push({
        target,
        way,
        'events/s (median of 3)': Math.round(EVENTS / wall).toLocaleString('en'),
        'wall s': wall.toFixed(2),
        'CPU s (this process)': median(runs.map((r) => r.cpu)).toFixed(2),
      });
    }
    await close();
  }
  console.table(rows);

  /** A fresh schema with the tickets created, and the function that writes the events. */
  async function carekit(client: SqlClient, batched: boolean): Promise<() => Promise<void>> {
    const schema = `bench_${process.pid}_${++schemas}`;
    await migrate(client, { schema });
    const store = createPostgresStore(client, { schema });
    const ids = Array.from({ length: TICKETS }, (_, i) => `T-${i}`);
    await store.saveMany(ids.map((id) => ({ ticketId: id, expectedVersion: 0, write: write(snapshot, []) })));
    const versions = new Map(ids.map((id) => [id, 1]));
    const next = (n: number): SaveRequest => {
      const id = ids[n % TICKETS] as string;
      const version = versions.get(id) as number;
      versions.set(id, version + 1);
      return {
        ticketId: id,
        expectedVersion: version,
        write: write(snapshot, [reply(id, 1000 + n) as never]),
      };
    };
    return async () => {
      if (batched) {
        for (let n = 0; n < EVENTS; n += BATCH) {
          const results = await store.saveMany(
            Array.from({ length: BATCH }, (_, i) => next(n + i)),
            { trusted: true },
          );
          if (results.some((r) => !r.ok)) throw new Error('a conflict in the benchmark');
        }
      } else {
        for (let n = 0; n < EVENTS; n++) {
          const r = next(n);
          const result = await store.save(r.ticketId, r.expectedVersion, r.write, { trusted: true });
          if (!result.ok) throw new Error('a conflict in the benchmark');
        }
      }
    };
  }

  /** The baseline: the least an event store with snapshots does, 100 events a transaction. */
  async function plainStore(client: SqlClient): Promise<() => Promise<void>> {
    const schema = `plain_${process.pid}_${++schemas}`;
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(
      `CREATE TABLE ${schema}.tickets (ticket_id text PRIMARY KEY, version integer NOT NULL, snapshot jsonb NOT NULL)`,
    );
    await client.query(`CREATE TABLE ${schema}.events (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ticket_id text NOT NULL, event_id text NOT NULL, type text NOT NULL, at bigint NOT NULL, event jsonb NOT NULL,
      UNIQUE (ticket_id, event_id))`);
    const ids = Array.from({ length: TICKETS }, (_, i) => `T-${i}`);
    for (const id of ids) {
      await client.query(`INSERT INTO ${schema}.tickets VALUES ($1, 1, $2::jsonb)`, [id, text]);
    }
    const versions = new Map(ids.map((id) => [id, 1]));
    return async () => {
      for (let n = 0; n < EVENTS; n += BATCH) {
        await client.transaction(async (tx) => {
          // Per ticket, its latest snapshot of the batch, updated only at the version expected.
          const latest = new Map<string, [number, number]>();
          const events: unknown[] = [];
          const values: string[] = [];
          for (let i = 0; i < BATCH; i++) {
            const id = ids[(n + i) % TICKETS] as string;
            const version = versions.get(id) as number;
            versions.set(id, version + 1);
            const [from] = latest.get(id) ?? [version];
            latest.set(id, [from, version + 1]);
            const event = reply(id, 1000 + n + i);
            events.push(id, event.id, event.type, event.at, JSON.stringify(event));
            const k = values.length * 5;
            values.push(`($${k + 1}, $${k + 2}, $${k + 3}, $${k + 4}, $${k + 5}::jsonb)`);
          }
          await tx.query(
            `INSERT INTO ${schema}.events (ticket_id, event_id, type, at, event) VALUES ${values.join(', ')}
             ON CONFLICT DO NOTHING`,
            events,
          );
          const params: unknown[] = [];
          const updates = [...latest].map(([id, [from, to]]) => {
            params.push(id, from, to, text);
            const k = params.length;
            return `($${k - 3}::text, $${k - 2}::integer, $${k - 1}::integer, $${k}::jsonb)`;
          });
          const { rows: done } = await tx.query(
            `UPDATE ${schema}.tickets AS t SET version = v.next, snapshot = v.snapshot
             FROM (VALUES ${updates.join(', ')}) AS v(ticket_id, expected, next, snapshot)
             WHERE t.ticket_id = v.ticket_id AND t.version = v.expected RETURNING t.ticket_id`,
            params,
          );
          if (done.length !== latest.size) throw new Error('a conflict in the baseline');
        });
      }
    };
  }
}
