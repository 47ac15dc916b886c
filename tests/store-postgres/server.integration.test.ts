// The Postgres store on a real PostgreSQL server through `pg`, with a pool of real connections:
// transactions that truly overlap (READ COMMITTED), `FOR UPDATE SKIP LOCKED` between workers.
// `.ci/run` installs Debian's postgresql, starts a throwaway server and sets CAREKIT_PG_URL;
// without it these tests skip and say so.
import { fc, test } from '@fast-check/vitest';
import type { InboundContactInput } from 'carekit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate, pgPoolClient } from '../../src/store-postgres/index.js';
import { createDesk, createTicketWorkflow, type DeskResult } from '../../src/workflows/index.js';
import { propertyRuns, slow } from '../support/runs.js';
import { arbOps, checkInterleavings } from '../workflows/desk/concurrency.js';

const url = process.env.CAREKIT_PG_URL;
if (!url)
  console.warn('Skipping the PostgreSQL server tests: CAREKIT_PG_URL is not set (.ci/run starts a server).');

let pool: pg.Pool;
let schemas = 0;
const freshServerStore = async () => {
  const client = pgPoolClient(pool);
  const schema = `srv${process.pid}_${++schemas}`;
  await migrate(client, { schema });
  return createPostgresStore(client, { schema });
};
const T0 = Date.parse('2026-11-23T09:00:00Z');
const contact = (n: number): InboundContactInput => ({
  externalId: `mail-${n}`,
  channel: 'email',
  customer: { id: `c${n}` },
  subject: 'Help',
  body: 'Where is my order?',
  at: T0 + n,
});
const agents = Array.from({ length: 4 }, (_, i) => ({ id: `a${i}`, name: `Agent ${i}`, capacity: 1000 }));

describe.skipIf(!url)('on a PostgreSQL server (pg pool of 8 connections)', () => {
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 8 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('migrates twice, concurrently, to one schema version', async () => {
    const client = pgPoolClient(pool);
    const schema = `srv${process.pid}_mig`;
    const runs = await Promise.all([migrate(client, { schema }), migrate(client, { schema })]);
    expect(runs.map((r) => r.version)).toEqual([runs[0]?.version, runs[0]?.version]);
    const again = await migrate(client, { schema });
    expect(again.applied).toEqual([]);
  });

  test.prop([fc.scheduler(), arbOps(10)], propertyRuns(15))(
    'for any interleaving of receive, handle and tick, every stored snapshot equals the replay of its stored events',
    async (s, ops) => checkInterleavings(await freshServerStore(), s, ops),
  );

  it(
    'applies 3,000 events from 8 workers on 8 connections to 100 tickets without losing an update',
    async () => {
      const store = await freshServerStore();
      const desk = createDesk({ store, agents, maxAttempts: 100 });
      const ids: string[] = [];
      for (let n = 0; n < 100; n++) ids.push((await desk.receive(contact(n))).ticket.ticketId);
      const events = Array.from({ length: 3000 }, (_, i) => {
        const ticketId = ids[(i * 7919) % ids.length] as string;
        const base = { id: `e${i}`, ticketId, at: T0 + 3_600_000 };
        return i % 3 === 0
          ? { type: 'customer.replied', ...base, body: `more ${i}` }
          : { type: 'agent.noted', ...base, agentId: 'a0', body: `note ${i}` };
      });
      // Every tenth event is delivered twice.
      const deliveries = [...events, ...events.filter((_, i) => i % 10 === 0)].sort((a, b) =>
        a.id.localeCompare(b.id),
      );
      let cursor = 0;
      const outcomes = new Map<string, DeskResult[]>();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (cursor < deliveries.length) {
            const event = deliveries[cursor++] as (typeof events)[number];
            const result = await desk.handle(event as never);
            outcomes.set(event.id, [...(outcomes.get(event.id) ?? []), result]);
          }
        }),
      );
      for (const [id, results] of outcomes) {
        expect(
          results.filter((r) => !r.duplicate && !r.rejected),
          id,
        ).toHaveLength(1);
      }
      const wf = createTicketWorkflow();
      let stored = 0;
      for (const ticketId of ids) {
        const ticket = await store.load(ticketId);
        const log = await store.ticketEvents(ticketId);
        stored += log.filter((e) => e.id.startsWith('e')).length;
        expect(ticket?.snapshot).toEqual(wf.replay(log).snapshot);
      }
      expect(stored).toBe(events.length);
    },
    slow(120_000),
  );

  it(
    'hands each outbox effect to one of several workers on separate connections, once',
    async () => {
      const store = await freshServerStore();
      const desk = createDesk({ store, agents, lifecycle: { acknowledgeTemplate: 'acknowledgement' } });
      let expected = 0;
      for (let n = 0; n < 60; n++) expected += (await desk.receive(contact(n))).effects.length;
      const done: string[] = [];
      await Promise.all(
        Array.from({ length: 6 }, async (_, w) => {
          for (;;) {
            const batch = await store.claimEffects(`w${w}`, { limit: 4, now: T0 });
            if (batch.length === 0) return;
            done.push(
              ...(
                await store.completeEffects(
                  batch.map((c) => c.id),
                  { workerId: `w${w}`, now: T0 },
                )
              ).map(String),
            );
          }
        }),
      );
      expect(expected).toBeGreaterThanOrEqual(60);
      expect(done).toHaveLength(expected);
      expect(new Set(done).size).toBe(expected);
    },
    slow(60_000),
  );
});
