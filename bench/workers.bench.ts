// Several desk workers over one PostgreSQL server (issue 16): `desk.handle` (and `receive`) with
// 1, 4 and 8 worker processes, each with many calls in flight as a web server has (each ticket's
// own calls in order), beside a plain batched event store written here (same tables' shape: a
// ticket row with a carekit-sized jsonb snapshot and a version, an event log with a unique
// (ticket, event id); 100 events a transaction; the same number of writers). Needs
// CAREKIT_PG_URL (start a server as .ci/run does). Medians of three runs; CPU seconds of the
// workers beside wall.
//
// By default the workers are measured as a deployment runs them, in steady state: each worker is
// the bundled package (esbuild, plain node) and has handled WORKER_WARMUP tickets of its own
// (default 1,000: 3,000 events, untimed) before its WORKER_TICKETS timed ones (default 1,000, 3
// events each). The baseline's client is the benchmark process, warm after its first run, so a
// cold worker would be compared with a warm loop: its first few thousand events pay V8's optimizing
// compiler for the whole handle path, once per process. WORKER_WARMUP=0 measures the cold worker,
// WORKER_BUNDLE=0 runs the sources through tsx, WORKER_IN_FLIGHT sets the calls in flight
// (default 64). Then one tick over WORKER_DUE due tickets (default 2,000) and `desk.metrics()`
// over WORKER_METRICS_TICKETS tickets (default 3,000), each beside its plain baseline.
// WORKER_COUNTS (default 1,4,8) lists the worker counts; empty runs the tick and metrics only.
// The tick and metrics rounds follow one untimed round (WORKER_WARMUP=0: none, the cold figures).
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import pg from 'pg';
import { migrate, pgPoolClient } from '../src/store-postgres/index.js';
import { createDesk } from '../src/workflows/index.js';
import { trackBackends } from './workers/serverCpu.js';
import type { TickMetricsRun } from './workers/tickMetrics.js';

const url = process.env.CAREKIT_PG_URL;
const TICKETS = Number(process.env.WORKER_TICKETS ?? 1000);
const IN_FLIGHT = Number(process.env.WORKER_IN_FLIGHT ?? 64);
const WARMUP = Number(process.env.WORKER_WARMUP ?? 1000);
// WORKER_COUNTS=1,4 runs those counts only; WORKER_COUNTS= (empty) goes straight to tick and metrics.
const WORKERS = (process.env.WORKER_COUNTS ?? '1,4,8')
  .split(',')
  .filter((n) => n.trim() !== '')
  .map(Number);
const script = resolve(import.meta.dirname, 'workers/deskWorker.ts');
const tickScript = resolve(import.meta.dirname, 'workers/tickMetrics.ts');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Measured {
  readonly wall: number;
  readonly cpu: number;
  /** The CPU seconds of the worker's server backends (null when /proc cannot tell). */
  readonly server?: number | null;
  /** Of `cpu`, the seconds on threads other than the main one (V8's compiler and GC threads). */
  readonly background?: number | null;
  readonly count: number;
}

/**
 * Each worker runs as one esbuild bundle with plain node, as a deployment runs the built package
 * (WORKER_BUNDLE=0: the sources through tsx, whose module getters and per-module frames cost the
 * worker CPU the built package does not pay). Built once per benchmark run.
 */
const bundles = new Map<string, Promise<string>>();
function workerEntry(entry = script): Promise<string[]> {
  if (process.env.WORKER_BUNDLE === '0') return Promise.resolve(['--import', 'tsx', entry]);
  let bundled = bundles.get(entry);
  if (bundled === undefined) {
    bundled = (async () => {
      const { build } = await import('esbuild');
      const outfile = join(tmpdir(), `carekit-${basename(entry, '.ts')}-${process.pid}.mjs`);
      await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile,
        external: ['pg-native'],
        // pg is CommonJS: give the bundle a require for its own requires.
        banner: {
          js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
        logLevel: 'warning',
      });
      return outfile;
    })();
    bundles.set(entry, bundled);
  }
  return bundled.then((file) => [file]);
}

async function startWorker(schema: string, w: number) {
  const child = spawn(
    process.execPath,
    [
      ...(await workerEntry()),
      url as string,
      schema,
      String(w),
      String(TICKETS),
      String(IN_FLIGHT),
      String(WARMUP),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) if (part) lines.push(JSON.parse(part));
    for (const wake of waiters.splice(0)) wake();
  });
  const line = (n: number) =>
    new Promise<Record<string, unknown>>((done, fail) => {
      const check = () =>
        lines.length > n ? done(lines[n] as Record<string, unknown>) : waiters.push(check);
      child.once('exit', (code) => lines.length <= n && fail(new Error(`worker ${w} exited ${code}`)));
      check();
    });
  return { child, line };
}

async function deskRun(pool: pg.Pool, workers: number, run: number) {
  const schema = `bench_w${workers}_${run}_${process.pid}`;
  const client = pgPoolClient(pool);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await migrate(client, { schema });
  const started = await Promise.all(Array.from({ length: workers }, (_, w) => startWorker(schema, w)));
  await Promise.all(started.map((s) => s.line(0)));
  const t0 = performance.now();
  for (const s of started) s.child.stdin.write('go\n');
  const results = (await Promise.all(started.map((s) => s.line(1)))) as unknown as {
    receive: Measured;
    handle: Measured;
  }[];
  const wall = performance.now() - t0;
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    handle: {
      rate: (sum((r) => r.handle.count) / wall) * 1000,
      cpu: sum((r) => r.handle.cpu),
      server: results.some((r) => r.handle.server == null) ? null : sum((r) => r.handle.server ?? 0),
      background: results.some((r) => r.handle.background == null)
        ? null
        : sum((r) => r.handle.background ?? 0),
      count: sum((r) => r.handle.count),
    },
    receive: {
      rate: (sum((r) => r.receive.count) / Math.max(...results.map((r) => r.receive.wall))) * 1000,
      cpu: sum((r) => r.receive.cpu),
    },
  };
}

/** The plain batched event store: `writers` connections, 100 events a transaction. */
async function baselineRun(
  pool: pg.Pool,
  server: { seconds(): number | null },
  writers: number,
  snapshot: string,
) {
  const schema = `bench_base_${writers}_${process.pid}`;
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(
    `CREATE TABLE ${schema}.tickets (ticket_id text PRIMARY KEY, version int NOT NULL, snapshot jsonb NOT NULL)`,
  );
  await pool.query(
    `CREATE TABLE ${schema}.events (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ticket_id text NOT NULL,
     event_id text NOT NULL, type text NOT NULL, at bigint NOT NULL, event jsonb NOT NULL, UNIQUE (ticket_id, event_id))`,
  );
  for (let w = 0; w < writers; w++) {
    const ids = Array.from({ length: TICKETS }, (_, i) => `T-w${w}-${i}`);
    await pool.query(`INSERT INTO ${schema}.tickets SELECT id, 1, $2::jsonb FROM unnest($1::text[]) AS id`, [
      ids,
      snapshot,
    ]);
  }
  const cpu0 = process.cpuUsage();
  const server0 = server.seconds();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const version = new Map<string, number>();
      const events = Array.from({ length: TICKETS * 3 }, (_, k) => ({
        ticketId: `T-w${w}-${k % TICKETS}`,
        id: `e${k}`,
        at: 1_795_000_000_000 + k,
      }));
      for (let i = 0; i < events.length; i += 100) {
        const batch = events.slice(i, i + 100);
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const params: unknown[] = [];
          const rows = batch.map((e) => {
            const v = version.get(e.ticketId) ?? 1;
            version.set(e.ticketId, v + 1);
            params.push(e.ticketId, v, snapshot);
            const n = params.length;
            return `($${n - 2}, $${n - 1}::int, $${n}::jsonb)`;
          });
          await c.query(
            `UPDATE ${schema}.tickets t SET version = v.version + 1, snapshot = v.snapshot
             FROM (VALUES ${rows.join(', ')}) AS v(ticket_id, version, snapshot)
             WHERE t.ticket_id = v.ticket_id AND t.version = v.version`,
            params,
          );
          const eparams: unknown[] = [];
          const erows = batch.map((e) => {
            eparams.push(
              e.ticketId,
              e.id,
              'agent.noted',
              e.at,
              JSON.stringify({ ...e, body: 'Checking the order.' }),
            );
            const n = eparams.length;
            return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
          });
          await c.query(
            `INSERT INTO ${schema}.events (ticket_id, event_id, type, at, event) VALUES ${erows.join(', ')}`,
            eparams,
          );
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      }
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const server1 = server.seconds();
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  return {
    rate: ((writers * TICKETS * 3) / wall) * 1000,
    cpu: (cpu.user + cpu.system) / 1e6,
    server: server0 === null || server1 === null ? null : server1 - server0,
    count: writers * TICKETS * 3,
  };
}

/** The timed rounds of bench/workers/tickMetrics.ts (after `warmups` untimed ones), in a child. */
async function tickAndMetricsRuns(due: number, total: number, warmups: number): Promise<TickMetricsRun[]> {
  const child = spawn(
    process.execPath,
    [...(await workerEntry(tickScript)), url as string, String(due), String(total), String(warmups)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`bench/workers/tickMetrics.ts exited with ${code}`);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TickMetricsRun);
}

export default async function run(): Promise<void> {
  if (!url) {
    console.log('Skipped: CAREKIT_PG_URL is not set (start a PostgreSQL server as .ci/run does).');
    return;
  }
  // A carekit snapshot of a ticket after a few events, for the baseline's rows.
  const probe = createDesk({ agents: [{ id: 'a0', name: 'A' }] });
  const { ticket } = await probe.receive({
    externalId: 'probe',
    channel: 'email',
    customer: { id: 'c' },
    subject: 'Help',
    body: 'Where is my order?',
    at: Date.parse('2026-11-23T09:00:00Z'),
  });
  const snapshot = JSON.stringify((await probe.store.load(ticket.ticketId))?.snapshot);
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  const server = trackBackends(pool);
  console.log(
    `${TICKETS} tickets a worker, ${TICKETS * 3} handled events a worker, ${IN_FLIGHT} calls in flight a worker; ${WARMUP === 0 ? 'cold workers (no warm-up)' : `each worker warmed up first on ${WARMUP} tickets of its own (${WARMUP * 3} handled events, untimed)`}; snapshot ${snapshot.length} bytes`,
  );
  console.log(
    `workers run ${process.env.WORKER_BUNDLE === '0' ? 'from the sources through tsx (WORKER_BUNDLE=0)' : 'as one esbuild bundle, as the built package runs'}; carekit's one-statement save ${process.env.CAREKIT_PREPARE === '0' ? 'unprepared (CAREKIT_PREPARE=0)' : 'prepared'}; CPU ms an event: client (the workers' processes, the baseline's) + server (their backends, from /proc); of the workers' CPU, the part on V8's background threads (compiler, concurrent GC)`,
  );
  console.log(
    '| workers | desk.handle events/s | CPU s | CPU ms/event client + server | of it background threads | desk.receive contacts/s | batched baseline events/s | baseline CPU ms/event client + server | handle / baseline |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const workers of WORKERS) {
    const desks = [];
    const bases = [];
    for (let r = 0; r < 3; r++) {
      desks.push(await deskRun(pool, workers, r));
      bases.push(await baselineRun(pool, server, workers, snapshot));
    }
    const handle = median(desks.map((d) => d.handle.rate));
    const base = median(bases.map((b) => b.rate));
    const perEvent = (runs: readonly { cpu: number; server?: number | null; count: number }[]) => {
      const client = median(runs.map((r) => (r.cpu / r.count) * 1000));
      const known = runs.every((r) => typeof r.server === 'number');
      const server = known ? median(runs.map((r) => ((r.server ?? 0) / r.count) * 1000)) : null;
      return `${client.toFixed(2)} + ${server === null ? '?' : server.toFixed(2)}`;
    };
    const background = desks.every((d) => typeof d.handle.background === 'number')
      ? median(desks.map((d) => ((d.handle.background ?? 0) / d.handle.count) * 1000)).toFixed(2)
      : '?';
    console.log(
      `| ${workers} | ${Math.round(handle).toLocaleString('en')} | ${median(desks.map((d) => d.handle.cpu)).toFixed(1)} | ${perEvent(desks.map((d) => d.handle))} | ${background} | ${Math.round(median(desks.map((d) => d.receive.rate))).toLocaleString('en')} | ${Math.round(base).toLocaleString('en')} | ${perEvent(bases)} | ${(handle / base).toFixed(2)}× |`,
    );
  }
  const DUE = Number(process.env.WORKER_DUE ?? 2000);
  const TOTAL = Math.max(DUE, Number(process.env.WORKER_METRICS_TICKETS ?? 3000));
  // In a process of its own, run as the workers are (the bundle; tsx's kept function names cost
  // every closure a call): one untimed round first, as a process that has ticked and reported
  // before, unless WORKER_WARMUP=0 asks for the cold figures.
  const runs = await tickAndMetricsRuns(DUE, TOTAL, WARMUP > 0 ? 1 : 0);
  runs.forEach((run, r) => {
    if (process.env.WORKER_VERBOSE)
      console.error(
        `run ${r + 1}: tick ${Math.round(run.tick.wall)} ms, rewrite ${Math.round(run.rewrite)} ms, metrics ${Math.round(run.metrics.wall)} ms (CPU ${Math.round((run.metrics.cpu.user + run.metrics.cpu.system) / 1000)} ms), read ${Math.round(run.read)} ms`,
      );
  });
  const tick = median(runs.map((r) => r.tick.wall));
  const rewrite = median(runs.map((r) => r.rewrite));
  const metrics = median(runs.map((r) => r.metrics.wall));
  const read = median(runs.map((r) => r.read));
  console.log(
    `\n${WARMUP > 0 ? 'after one untimed round of the same (a process that has ticked and reported before)' : 'a cold process (WORKER_WARMUP=0): the first rounds include the compiler'}; WORKER_VERBOSE=1 prints each run`,
  );
  console.log(`| ${DUE} due of ${TOTAL} tickets | carekit ms (median of 3) | baseline ms | ratio |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| one tick, ${DUE} due (${runs[0]?.tick.effects} effects; CPU ${(median(runs.map((r) => r.tick.cpu.user + r.tick.cpu.system)) / 1e6).toFixed(2)} s) | ${Math.round(tick)} | rewrite the rows: ${Math.round(rewrite)} | ${(tick / rewrite).toFixed(2)}× |`,
  );
  console.log(
    `| desk.metrics() over ${TOTAL} (CPU ${(median(runs.map((r) => r.metrics.cpu.user + r.metrics.cpu.system)) / 1e6).toFixed(2)} s) | ${Math.round(metrics)} | one ordered read: ${Math.round(read)} | ${(metrics / read).toFixed(2)}× |`,
  );
  await pool.end();
  for (const file of bundles.values()) await rm(await file, { force: true });
}
