// Round trips per call: one desk in this process over CAREKIT_PG_URL (the traffic of one worker
// of workers.bench.ts: receive, then handle), every statement counted and timed by kind through
// a wrapping pool, and the sizes of the group commits. Not part of `npm run bench`:
//
//   CAREKIT_PG_URL=postgresql://… [WORKER_DUE=2000] node --import tsx bench/workers/profile.ts
//
// WORKER_DUE adds a third phase: one tick over that many tickets all due at once.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import type { TicketEventInput } from '../../src/model/index.js';
import { createSlaPolicy } from '../../src/sla/index.js';
import {
  createPostgresStore,
  migrate,
  type PgQueryConfig,
  pgPoolClient,
} from '../../src/store-postgres/index.js';
import { createDesk } from '../../src/workflows/index.js';
import { trackBackends } from './serverCpu.js';

const url = process.env.CAREKIT_PG_URL as string;
const TICKETS = Number(process.env.WORKER_TICKETS ?? 300);
const IN_FLIGHT = Number(process.env.WORKER_IN_FLIGHT ?? 64);
const T0 = Date.parse('2026-11-23T09:00:00Z');
const pool = new pg.Pool({ connectionString: url, max: 4 });
const server = trackBackends(pool);
let server0 = 0;
const stats = new Map<string, { n: number; ms: number }>();
let phase = 'receive';
const kind = (sql: string) => `${phase}: ${sql.replace(/\s+/g, ' ').slice(0, 60)}`;
const note = (sql: string, ms: number) => {
  const k = kind(sql);
  const s = stats.get(k) ?? { n: 0, ms: 0 };
  s.n++;
  s.ms += ms;
  stats.set(k, s);
};
const textOf = (sql: string | PgQueryConfig) => (typeof sql === 'string' ? sql : sql.text);
const wrapped = {
  async query(sql: string | PgQueryConfig, params?: unknown[]) {
    const t = performance.now();
    try {
      return await (typeof sql === 'string' ? pool.query(sql, params) : pool.query(sql));
    } finally {
      note(textOf(sql), performance.now() - t);
    }
  },
  async connect() {
    const c = await pool.connect();
    return {
      async query(sql: string | PgQueryConfig, params?: unknown[]) {
        const t = performance.now();
        try {
          return await (typeof sql === 'string' ? c.query(sql, params) : c.query(sql));
        } finally {
          note(textOf(sql), performance.now() - t);
        }
      },
      release: (e?: Error | boolean) => c.release(e),
    };
  },
};
const schema = `prof_${process.pid}`;
await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await migrate(pgPoolClient(pool), { schema });
const store = createPostgresStore(pgPoolClient(wrapped, { prepare: process.env.CAREKIT_PREPARE !== '0' }), {
  schema,
});
const sizes: number[] = [];
const saveMany = store.saveMany.bind(store);
(store as { saveMany: typeof saveMany }).saveMany = (r, o) => {
  sizes.push(r.length);
  return saveMany(r, o);
};
const desk = createDesk({
  store,
  agents: Array.from({ length: 20 }, (_, i) => ({ id: `a${i}`, name: `Agent ${i}`, capacity: 100_000 })),
  lifecycle: { acknowledgeTemplate: 'acknowledgement' },
  ticketId: (c) => `T-${c.externalId}`,
  clock: () => T0 + 30 * 86_400_000,
});
async function pooled<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
    }),
  );
}
const report = (label: string, count: number, wall: number, cpu: NodeJS.CpuUsage) => {
  console.log(
    `\n${label}: ${count} in ${wall.toFixed(0)} ms = ${((count / wall) * 1000).toFixed(0)}/s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, server CPU ${((server.seconds() ?? Number.NaN) - server0).toFixed(2)} s; saveMany sizes: n=${sizes.length} mean=${(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length)).toFixed(1)}`,
  );
  let total = 0;
  for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) {
    if (!k.startsWith(phase)) continue;
    total += s.n;
    console.log(`${String(s.n).padStart(6)} ${s.ms.toFixed(0).padStart(7)} ms  ${k}`);
  }
  console.log(`statements: ${total} = ${(total / count).toFixed(2)} per call`);
  sizes.length = 0;
};
let cpu0 = process.cpuUsage();
let t0 = performance.now();
const opened: { id: string; agent: string }[] = [];
await pooled(
  Array.from({ length: TICKETS }, (_, i) => i),
  async (i) => {
    const { ticket } = await desk.receive({
      externalId: `m${i}`,
      channel: 'email',
      customer: { id: `c${i % 50}` },
      subject: 'Help',
      body: 'Where is my order?',
      at: T0 + i * 1000,
    });
    opened.push({ id: ticket.ticketId, agent: ticket.assigneeId ?? 'a0' });
  },
);
report('receive', TICKETS, performance.now() - t0, process.cpuUsage(cpu0));
phase = 'handle';
const perTicket = opened.map(({ id, agent }, i): TicketEventInput[] => {
  const at = T0 + 86_400_000 + i * 1000;
  return [
    { type: 'agent.noted', id: `${id}:n`, ticketId: id, at, agentId: agent, body: 'Checking the order.' },
    {
      type: 'agent.replied',
      id: `${id}:r`,
      ticketId: id,
      at: at + 60_000,
      agentId: agent,
      body: 'It ships today.',
      status: 'pending',
    },
    { type: 'customer.replied', id: `${id}:c`, ticketId: id, at: at + 120_000, body: 'Thank you!' },
  ];
});
// WORKER_CPU_PROFILE=<file> records a CPU profile of the handle phase alone (open it in Chrome's
// DevTools; bundle this file with esbuild first so frames carry their function names and lines).
const profileOut = process.env.WORKER_CPU_PROFILE;
const inspector = profileOut ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
  await inspector.post('Profiler.start');
}
cpu0 = process.cpuUsage();
server0 = server.seconds() ?? 0;
t0 = performance.now();
await pooled(perTicket, async (events) => {
  for (const event of events) await desk.handle(event);
});
report('handle', perTicket.length * 3, performance.now() - t0, process.cpuUsage(cpu0));
if (inspector && profileOut) {
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync(profileOut, JSON.stringify(profile));
  inspector.disconnect();
}
// Backends report their statistics when idle, within ten seconds (PGSTAT_IDLE_INTERVAL).
await new Promise((done) => setTimeout(done, 11_000));
const hot = await pool.query(
  `SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'tickets'`,
  [schema],
);
console.log(`tickets updated ${hot.rows[0]?.n_tup_upd}, of which HOT ${hot.rows[0]?.n_tup_hot_upd}`);

// A tick over DUE tickets all due at once (their first-reply SLA warning), as the bench's.
const DUE = Number(process.env.WORKER_DUE ?? 0);
if (DUE > 0) {
  phase = 'tick';
  const tickDesk = createDesk({
    store,
    slaPolicies: [
      createSlaPolicy({ id: 'standard', calendar: null, firstReply: { targets: { normal: { hours: 4 } } } }),
    ],
    clock: () => T0 + 30 * 86_400_000,
  });
  await pooled(
    Array.from({ length: DUE }, (_, i) => i),
    async (i) => {
      await tickDesk.receive({
        externalId: `due${i}`,
        channel: 'email',
        customer: { id: `d${i % 100}` },
        body: 'Where is my order?',
        at: T0 + 2 * 86_400_000,
      });
    },
  );
  for (const k of [...stats.keys()]) if (k.startsWith('tick')) stats.delete(k);
  sizes.length = 0;
  cpu0 = process.cpuUsage();
  server0 = server.seconds() ?? 0;
  t0 = performance.now();
  const ticked = await tickDesk.tick({ now: T0 + 2 * 86_400_000 + 3.5 * 3_600_000 });
  report(`tick (${ticked.effects.length} effects)`, DUE, performance.now() - t0, process.cpuUsage(cpu0));
}
await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await pool.end();
