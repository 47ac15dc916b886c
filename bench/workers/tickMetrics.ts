// One process's tick and metrics rounds for bench/workers.bench.ts, run as the workers are (one
// esbuild bundle with plain node; WORKER_BUNDLE=0 runs it through tsx):
//   node <bundle> <postgres url> <due> <total> <untimed rounds first>
// prints one JSON line a timed round (three): the tick over `due` due tickets beside rewriting
// their rows, desk.metrics() over `total` tickets beside one ordered read.
import pg from 'pg';
import { createSlaPolicy } from '../../src/sla/index.js';
import { createPostgresStore, migrate, pgPoolClient } from '../../src/store-postgres/index.js';
import { createDesk } from '../../src/workflows/index.js';

/** One timed round. */
export interface TickMetricsRun {
  readonly tick: { readonly wall: number; readonly cpu: NodeJS.CpuUsage; readonly effects: number };
  readonly rewrite: number;
  readonly metrics: { readonly wall: number; readonly cpu: NodeJS.CpuUsage };
  readonly read: number;
}

/**
 * One `tick` over `due` tickets all due at once (their first-reply SLA warning), beside rewriting
 * the same rows (snapshot and due time, 100 a statement); then `desk.metrics()` over `total`
 * tickets (the due ones and later ones, not due yet) beside reading every ticket with its log in
 * one ordered query. Issue 16: a tick over 2,000 due tickets, metrics over 3,000 tickets.
 */
async function tickAndMetrics(pool: pg.Pool, due: number, total: number): Promise<TickMetricsRun> {
  const schema = `bench_tick_${process.pid}`;
  const client = pgPoolClient(pool);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await migrate(client, { schema });
  const T0 = Date.parse('2026-11-23T09:00:00Z');
  const standard = createSlaPolicy({
    id: 'standard',
    calendar: null,
    firstReply: { targets: { normal: { hours: 4 } } },
  });
  const desk = createDesk({
    store: createPostgresStore(client, { schema }),
    slaPolicies: [standard],
    clock: () => T0 + 30 * 86_400_000,
  });
  // The due tickets first (the rewrite takes the first `due` rows), then the later ones, whose
  // first reply is not due by the tick.
  for (const [from, to, at] of [
    [0, due, T0],
    [due, total, T0 + 3 * 3_600_000],
  ] as const) {
    const queue = Array.from({ length: to - from }, (_, i) => from + i);
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          await desk.receive({
            externalId: `m${i}`,
            channel: 'email',
            customer: { id: `c${i % 100}` },
            body: 'Where is my order?',
            at,
          });
        }
      }),
    );
  }
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  const ticked = await desk.tick({ now: T0 + 3.5 * 3_600_000 });
  const tick = { wall: performance.now() - t, cpu: process.cpuUsage(cpu0), effects: ticked.effects.length };
  // The baseline: rewrite the same rows' snapshots and due times, 100 a statement.
  const { rows } = await pool.query(
    `SELECT ticket_id, snapshot FROM ${schema}.tickets ORDER BY created_seq LIMIT $1`,
    [due],
  );
  t = performance.now();
  for (let i = 0; i < rows.length; i += 100) {
    const part = rows.slice(i, i + 100);
    const params: unknown[] = [];
    const values = part.map((row) => {
      params.push(row.ticket_id, JSON.stringify(row.snapshot));
      return `($${params.length - 1}, $${params.length}::jsonb)`;
    });
    await pool.query(
      `UPDATE ${schema}.tickets t SET snapshot = v.snapshot, due_at = NULL, version = t.version + 1
       FROM (VALUES ${values.join(', ')}) AS v(ticket_id, snapshot) WHERE t.ticket_id = v.ticket_id`,
      params,
    );
  }
  const rewrite = performance.now() - t;
  const mcpu0 = process.cpuUsage();
  t = performance.now();
  await desk.metrics();
  const metrics = { wall: performance.now() - t, cpu: process.cpuUsage(mcpu0) };
  t = performance.now();
  await pool.query(
    `SELECT t.ticket_id, t.snapshot, e.event FROM ${schema}.tickets t JOIN ${schema}.events e USING (ticket_id)
     ORDER BY t.ticket_id, e.seq`,
  );
  const read = performance.now() - t;
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  return { tick, rewrite, metrics, read };
}

const [url, due, total, warmups] = process.argv.slice(2);
if (url !== undefined) {
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  for (let r = 0; r < Number(warmups ?? 0); r++) await tickAndMetrics(pool, Number(due), Number(total));
  for (let r = 0; r < 3; r++)
    process.stdout.write(`${JSON.stringify(await tickAndMetrics(pool, Number(due), Number(total)))}\n`);
  await pool.end();
}
