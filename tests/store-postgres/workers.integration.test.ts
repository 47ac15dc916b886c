// Four desk workers in four processes over one PostgreSQL server, each receiving and handling
// interleaved traffic for shared tickets and agents, one of them killed (SIGKILL) mid-batch and
// started again over the same calls. Afterwards: no agent was ever above capacity (replayed from
// the log in save order), every customer message is stored once, every snapshot is the replay of
// its log, every effect a worker returned is in the outbox once, the store's loads and waiting
// list agree with the snapshots. Needs CAREKIT_PG_URL (.ci/run starts a server); skips without.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate, pgPoolClient } from '../../src/store-postgres/index.js';
import {
  createTicketWorkflow,
  holderOf,
  needsAgent,
  type TicketSnapshot,
  type TicketWorkflow,
} from '../../src/workflows/index.js';
import { slow } from '../support/runs.js';
import { CAPACITY, contactBody, policy, replyBody, traffic } from './workers/traffic.js';

const url = process.env.CAREKIT_PG_URL;
if (!url)
  console.warn(
    'Skipping the multi-process workers test: CAREKIT_PG_URL is not set (.ci/run starts a server).',
  );

const WORKERS = 4;
const CONTACTS = 120;
const root = resolve(import.meta.dirname, '../..');
const script = resolve(import.meta.dirname, 'workers/worker.ts');

interface Line {
  readonly worker: string;
  readonly call?: string;
  readonly effects?: readonly string[];
  readonly done?: true;
}

/** Runs a worker; resolves with its lines. `killAfter` lines, it is killed with SIGKILL. */
function worker(schema: string, file: string, id: string, killAfter?: number) {
  return new Promise<{ lines: Line[]; killed: boolean }>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url as string, schema, file, id], {
      cwd: root,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Line[] = [];
    let buffer = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const part of parts) {
        if (part === '') continue;
        lines.push(JSON.parse(part) as Line);
        if (killAfter !== undefined && !killed && lines.length >= killAfter) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code, signal) => {
      if (killed && signal === 'SIGKILL') done({ lines, killed });
      else if (code === 0) done({ lines, killed });
      else fail(new Error(`worker ${id} exited ${code ?? signal}: ${err.slice(-2000)}`));
    });
  });
}

describe.skipIf(!url)('four worker processes over one PostgreSQL database, one killed mid-batch', () => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  it(
    'keeps every law of the desk',
    async () => {
      const client = pgPoolClient(pool);
      const schema = `workers${process.pid}`;
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await migrate(client, { schema });
      const store = createPostgresStore(client, { schema });
      const dir = mkdtempSync(join(tmpdir(), 'carekit-workers-'));
      const calls = traffic(WORKERS, CONTACTS);
      const files = calls.map((list, w) => {
        const file = join(dir, `calls-${w}.json`);
        writeFileSync(file, JSON.stringify(list));
        return file;
      });

      // Worker 1 is killed a third of the way through its calls, then started again over all of them.
      const victim = 1;
      const runs = await Promise.all(
        files.map((file, w) =>
          worker(schema, file, `w${w}`, w === victim ? Math.floor((calls[w]?.length ?? 0) / 3) : undefined),
        ),
      );
      expect(runs[victim]?.killed, 'the victim was killed mid-batch').toBe(true);
      const again = await worker(schema, files[victim] as string, `w${victim}-again`);
      const lines = [...runs.flatMap((r) => r.lines), ...again.lines];
      expect(lines.filter((l) => l.done).length, 'every worker but the killed one finished').toBe(WORKERS);

      const wf: TicketWorkflow = createTicketWorkflow({ sla: policy });
      const workflows = (key: string) => (key === policy.id ? wf : createTicketWorkflow());

      // Every snapshot is the replay of its log.
      const ids: string[] = [];
      for await (const id of store.ticketIds()) ids.push(id);
      for (const id of ids) {
        const rebuilt = await store.rebuild(id, workflows);
        expect(rebuilt.changed, `the snapshot of ${id} is the replay of its log`).toBe(false);
        expect(rebuilt.rejected, `the log of ${id} replays without refusals`).toBe(0);
      }

      // Every customer message is stored once: each contact and each reply, in exactly one log.
      const bodies = new Map<string, number>();
      const live = new Map<string, TicketSnapshot>();
      let maxLoad = 0;
      const loads = new Map<string, number>();
      for await (const event of store.events()) {
        const body = event.type === 'ticket.opened' || event.type === 'customer.replied' ? event.body : null;
        if (body !== null) bodies.set(body, (bodies.get(body) ?? 0) + 1);
        // Replaying the log in save order: the agents' holdings after every save.
        const key = (await store.load(event.ticketId))?.workflowKey ?? policy.id;
        const before = live.get(event.ticketId) ?? null;
        const applied =
          before === null
            ? workflows(key).replay([event])
            : workflows(key).apply(before, event, { trusted: true });
        const after = 'snapshot' in applied && applied.snapshot ? applied.snapshot : before;
        if (after === null) continue;
        live.set(event.ticketId, after);
        const was = before === null ? null : holderOf(before);
        const now = holderOf(after);
        if (was !== now) {
          if (was !== null) loads.set(was, (loads.get(was) ?? 0) - 1);
          if (now !== null) loads.set(now, (loads.get(now) ?? 0) + 1);
          maxLoad = Math.max(maxLoad, ...loads.values());
        }
      }
      expect(maxLoad, 'no agent ever held more than their capacity').toBeLessThanOrEqual(CAPACITY);
      expect(maxLoad, 'the agents were busy').toBe(CAPACITY);
      for (let n = 0; n < CONTACTS; n++) {
        expect(bodies.get(contactBody(n)), `contact ${n} is stored once`).toBe(1);
        expect(bodies.get(replyBody(n)), `reply ${n} is stored once`).toBe(1);
      }

      // Every effect a worker returned is in the outbox, and the outbox holds each id once.
      const outbox: string[] = [];
      for await (const effect of store.effects()) outbox.push(effect.id);
      expect(new Set(outbox).size, 'each effect id once in the outbox').toBe(outbox.length);
      const recorded = new Set(outbox);
      for (const line of lines)
        for (const id of line.effects ?? [])
          expect(recorded.has(id), `effect ${id} is in the outbox`).toBe(true);

      // The store's loads and waiting list are those of the snapshots.
      const held = new Map<string, number>();
      const waiting: string[] = [];
      for (const stored of await store.loadMany(ids)) {
        const holder = holderOf(stored.snapshot);
        if (holder !== null) held.set(holder, (held.get(holder) ?? 0) + 1);
        if (needsAgent(stored.snapshot)) waiting.push(stored.ticketId);
      }
      for (const agent of await store.agents()) {
        expect(agent.load, `the load of ${agent.agentId}`).toBe(held.get(agent.agentId) ?? 0);
        expect(agent.load).toBeLessThanOrEqual(CAPACITY);
      }
      expect(
        (await store.waiting()).map((t) => t.ticketId).sort(),
        'no ticket lost from the waiting list',
      ).toEqual(waiting.sort());
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
    slow(600_000),
  );
});
