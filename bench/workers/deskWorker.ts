// One desk worker process of bench/workers.bench.ts: receives its contacts (timed as `receive`),
// handles the events of `warmup` further tickets of its own untimed (so that V8 has compiled the
// handle path, as in a worker that has run for a while), waits for "go" on stdin, then handles its
// events with IN_FLIGHT calls at once (each ticket's own calls in order) and prints what it
// measured as one JSON line.
//
//   node --import tsx deskWorker.ts <url> <schema> <worker> <tickets> <inFlight> [warmup]
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import type { TicketEventInput } from '../../src/model/index.js';
import { createPostgresStore, pgPoolClient } from '../../src/store-postgres/index.js';
import { createDesk } from '../../src/workflows/index.js';
import { trackBackends } from './serverCpu.js';

const [url, schema, worker, ticketsArg, inFlightArg, warmupArg] = process.argv.slice(2) as string[];
const TICKETS = Number(ticketsArg);
const WARMUP = Number(warmupArg ?? 0);
const IN_FLIGHT = Number(inFlightArg);
const T0 = Date.parse('2026-11-23T09:00:00Z');
const pool = new pg.Pool({ connectionString: url, max: 4 });
const server = trackBackends(pool);
const desk = createDesk({
  store: createPostgresStore(pgPoolClient(pool, { prepare: process.env.CAREKIT_PREPARE !== '0' }), {
    schema: schema as string,
  }),
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

/**
 * CPU milliseconds of this process's threads other than the main one (V8's compiler and
 * concurrent GC threads, libuv's pool), from /proc/self/task/<tid>/schedstat (nanoseconds on
 * CPU); null where /proc cannot tell.
 */
function backgroundMs(): number | null {
  try {
    let ns = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      if (tid === String(process.pid)) continue;
      ns += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

interface Opened {
  readonly id: string;
  readonly agent: string;
}

/** Receives `count` contacts of this worker (external ids `w<worker>-<tag><i>`), in flight as the handle phase. */
async function receiveTickets(tag: string, count: number): Promise<Opened[]> {
  const opened: Opened[] = [];
  await pooled(
    Array.from({ length: count }, (_, i) => i),
    async (i) => {
      const { ticket } = await desk.receive({
        externalId: `w${worker}-${tag}${i}`,
        channel: 'email',
        customer: { id: `w${worker}-c${i % 50}` },
        subject: 'Help',
        body: 'Where is my order?',
        at: T0 + i * 1000,
      });
      opened.push({ id: ticket.ticketId, agent: ticket.assigneeId ?? 'a0' });
    },
  );
  return opened;
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const opened = await receiveTickets('m', TICKETS);
const receive = { wall: performance.now() - t0, cpu: process.cpuUsage(cpu0) };

const warmed = await receiveTickets('warm', WARMUP);
const eventsOf = ({ id, agent }: Opened, i: number): TicketEventInput[] => {
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
};
await pooled(warmed.map(eventsOf), async (events) => {
  for (const event of events) await desk.handle(event);
});
const perTicket = opened.map(eventsOf);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await new Promise<void>((go) => process.stdin.once('data', () => go()));
const cpu1 = process.cpuUsage();
const background1 = backgroundMs();
const server1 = server.seconds();
const t1 = performance.now();
await pooled(perTicket, async (events) => {
  for (const event of events) await desk.handle(event);
});
const handle = { wall: performance.now() - t1, cpu: process.cpuUsage(cpu1) };
const background2 = backgroundMs();
const server2 = server.seconds();
const cpuS = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
process.stdout.write(
  `${JSON.stringify({
    receive: { wall: receive.wall, cpu: cpuS(receive.cpu), count: TICKETS },
    handle: {
      wall: handle.wall,
      cpu: cpuS(handle.cpu),
      server: server1 === null || server2 === null ? null : server2 - server1,
      background: background1 === null || background2 === null ? null : (background2 - background1) / 1000,
      count: perTicket.length * 3,
    },
  })}\n`,
);
await pool.end();
// stdin stays open (the parent's pipe): leave without waiting for it.
process.exit(0);
