import type { InboundContactInput } from 'carekit';
// Crash recovery: the work is killed at every statement a desk call or an outbox worker runs
// (a thrown error there, as a dead process or a lost connection would give), the caller restarts
// and delivers the call again, and the store must end exactly where a run without crashes ends.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createPostgresStore,
  type PgPoolClientLike,
  type PgPoolLike,
  type PostgresTicketStore,
  pgliteClient,
  pgPoolClient,
  type SqlClient,
  type SqlExecutor,
} from '../../src/store-postgres/index.js';
import { createDesk, createTicketWorkflow, type Desk } from '../../src/workflows/index.js';
import { slow } from '../support/runs.js';
import { failingClient, freshStore, pgliteAsPool, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const wf = createTicketWorkflow({ autoSolvePendingAfter: { days: 2 } });
// One agent, so routing after a restart (which forgets the router's loads) picks the same agent.
const deskOn = (store: PostgresTicketStore): Desk =>
  createDesk({
    store,
    agents: [{ id: 'ana', name: 'Ana', capacity: 100 }],
    lifecycle: { acknowledgeTemplate: 'acknowledgement', autoSolvePendingAfter: { days: 2 } },
    // A restarted desk is a new owner of due claims: the crashed desk's claims must have expired
    // for the retried tick to take its tickets (in production, after the lease, on a later tick).
    tickLease: 0,
  });

const contact = (n: number): InboundContactInput => ({
  externalId: `mail-${n}`,
  channel: 'email',
  customer: { id: `c${n}` },
  subject: 'Help',
  body: 'Where is my order?',
  at: T0 + n,
});

/** The calls a small desk gets: contacts, replies (one delivered twice), an escalation, a tick. */
const calls: ((desk: Desk, ids: string[]) => Promise<unknown>)[] = [
  (desk) => desk.receive(contact(1)),
  (desk) => desk.receive(contact(2)),
  (desk, [a]) =>
    desk.handle({
      type: 'agent.replied',
      id: 'r1',
      ticketId: a!,
      at: T0 + 100,
      agentId: 'ana',
      body: 'Hi',
      status: 'pending',
    }),
  (desk, [, b]) =>
    desk.handle({ type: 'customer.replied', id: 'c1', ticketId: b!, at: T0 + 200, body: 'Any news?' }),
  (desk, [, b]) =>
    desk.handle({ type: 'ticket.escalated', id: 'e1', ticketId: b!, at: T0 + 300, tier: 2, reason: 'vip' }),
  (desk, [a]) =>
    desk.handle({
      type: 'agent.replied',
      id: 'r1',
      ticketId: a!,
      at: T0 + 100,
      agentId: 'ana',
      body: 'Hi',
      status: 'pending',
    }),
  (desk) => desk.tick({ now: T0 + 3 * 86_400_000 }),
];

/** Everything the store holds, in the order it holds it. */
async function contents(store: PostgresTicketStore, client: SqlClient, schema: string) {
  const tickets = [];
  for await (const id of store.ticketIds()) {
    const log = await store.ticketEvents(id);
    tickets.push({ stored: await store.load(id), log });
  }
  const events = [];
  for await (const event of store.events()) events.push(event.id);
  const outbox = await client.query(
    `SELECT ticket_id, effect_id, effect, completed_at FROM ${schema}.outbox ORDER BY id`,
  );
  const effects = [];
  for await (const effect of store.effects()) effects.push(effect);
  const keys = await client.query(`SELECT key, ticket_id FROM ${schema}.message_keys ORDER BY key`);
  return { tickets, events, outbox: outbox.rows, effects, keys: keys.rows };
}

/**
 * The desk reads agent loads and the waiting list again once 250 ms of wall-clock time have passed
 * (state/shared.ts), so on a slow run it makes more statements than on a fast one and "the k-th
 * statement" is not the same statement from run to run. These tests stop that clock: every run
 * then makes the same statements, however slow the machine is.
 */
const stopTheRefreshClock = () => {
  beforeEach(() => {
    vi.spyOn(Date, 'now').mockReturnValue(T0 + 86_400_000);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
};

/** A client that waits `ms` of real time before every `every`-th statement (a slow machine). */
function slowClient(inner: SqlClient, every: number, ms: number): SqlClient {
  let count = 0;
  const pause = async () => {
    count++;
    if (count % every === 0) await new Promise((done) => setTimeout(done, ms));
  };
  const wrap = (target: SqlExecutor): SqlExecutor => ({
    async query(sql, params) {
      await pause();
      return target.query(sql, params);
    },
  });
  return {
    ...wrap(inner),
    async transaction(run) {
      await pause();
      return inner.transaction((tx) => run(wrap(tx)));
    },
  };
}

/** Runs the calls; when one fails, restarts the desk on a sound connection and delivers it again. */
async function runWithCrash(makeClient: (inner: SqlClient) => SqlClient) {
  const { client, schema } = await freshStore();
  let desk = deskOn(createPostgresStore(makeClient(client), { schema }));
  const sound = createPostgresStore(client, { schema });
  let crashes = 0;
  const ids = [contact(1), contact(2)].map((c) => `T-${c.externalId}`);
  for (const call of calls) {
    const current = async () => {
      const found = await Promise.all([1, 2].map((n) => sound.findByExternalId(`email:mail-${n}`)));
      return found.map((id, i) => id ?? ids[i] ?? '');
    };
    try {
      await call(desk, await current());
    } catch {
      crashes++;
      desk = deskOn(sound);
      await call(desk, await current());
    }
  }
  return { store: sound, client, schema, crashes };
}

describe('crash recovery', () => {
  stopTheRefreshClock();

  it(
    'ends where a run without crashes ends, whichever statement of a desk call fails',
    async () => {
      const reference = await runWithCrash((inner) => inner);
      const expected = await contents(reference.store, reference.client, reference.schema);
      // How many statements (and commit acknowledgements) the calls make without a crash.
      let probe: { readonly count: number } = { count: 0 };
      await runWithCrash((inner) => {
        const counted = failingClient(inner, 0);
        probe = counted;
        return counted;
      });
      const statements = probe.count;
      expect(statements).toBeGreaterThan(20);
      // A slow run (300 ms lost every 8 statements, so the desk's refresh would be due many times)
      // makes exactly the same number of statements.
      let slow: { readonly count: number } = { count: 0 };
      await runWithCrash((inner) => {
        const counted = failingClient(slowClient(inner, 8, 300), 0);
        slow = counted;
        return counted;
      });
      expect(slow.count, 'statements of a slow run').toBe(statements);
      for (let k = 1; k <= statements; k++) {
        const run = await runWithCrash((inner) => failingClient(inner, k));
        expect(run.crashes, `failure at statement ${k}`).toBe(1);
        const got = await contents(run.store, run.client, run.schema);
        expect(got, `failure at statement ${k}`).toEqual(expected);
        for (const { stored, log } of got.tickets) {
          // Every accepted event applied exactly once, and the snapshot is the replay of the log.
          expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
          expect(stored?.snapshot).toEqual(wf.replay(log).snapshot);
          expect((await run.store.rebuild(stored?.ticketId as string, wf)).changed).toBe(false);
        }
      }
      expect(expected.tickets.length).toBe(2);
      expect(expected.outbox.length).toBeGreaterThan(3);
      expect(new Set(expected.effects.map((e) => e.id)).size).toBe(expected.outbox.length);
      expect(expected.keys.length).toBeGreaterThanOrEqual(2);
    },
    slow(120_000),
  );

  it(
    'lets the outbox be drained to the end, each effect completed once, whichever statement of a worker fails',
    async () => {
      const drain = async (store: PostgresTicketStore, worker: string, now: number, performed: string[]) => {
        for (;;) {
          const batch = await store.claimEffects(worker, { limit: 2, leaseMs: 1000, now });
          if (batch.length === 0) return;
          for (const claimed of batch) performed.push(`${claimed.id}`);
          await store.completeEffects(
            batch.map((c) => c.id),
            { workerId: worker, now },
          );
        }
      };
      const setup = async () => {
        const { store, client, schema } = await freshStore();
        const desk = deskOn(store);
        let effects = 0;
        for (let n = 1; n <= 4; n++) effects += (await desk.receive(contact(n))).effects.length;
        return { store, client, schema, effects };
      };
      const counted = await setup();
      const counter = failingClient(counted.client, 0);
      await drain(createPostgresStore(counter, { schema: counted.schema }), 'w', T0, []);
      const statements = counter.count;
      expect(statements).toBeGreaterThan(3);
      for (let k = 1; k <= statements; k++) {
        const { client, schema, store, effects } = await setup();
        const performed: string[] = [];
        await expect(
          drain(createPostgresStore(failingClient(client, k), { schema }), 'crashed', T0, performed),
        ).rejects.toThrow();
        // The worker restarts after the lease: what the crashed one held is claimable again.
        await drain(store, 'restarted', T0 + 1000, performed);
        const rows = await client.query(
          `SELECT id, completed_at, attempts FROM ${schema}.outbox ORDER BY id`,
        );
        expect(rows.rows.length).toBe(effects);
        expect(effects).toBe(4);
        expect(rows.rows.every((row) => row.completed_at !== null)).toBe(true);
        // Each effect performed at least once; twice only for a batch whose completion the crash cut off.
        const ids = rows.rows.map((row) => String(row.id));
        expect(ids.every((id) => performed.includes(id))).toBe(true);
        expect(performed.length - ids.length).toBeLessThanOrEqual(2);
      }
    },
    slow(60_000),
  );
});

describe('the pg pool adapter under failures', () => {
  stopTheRefreshClock();

  /** A pool over PGlite whose k-th statement fails, before running it or after (a lost reply). */
  const failingPool = (inner: PgPoolLike, failAt: number, lostReply: boolean) => {
    let count = 0;
    const send = async (query: PgPoolLike['query'], sql: string, params?: unknown[]) => {
      count++;
      if (count === failAt && !lostReply) throw new Error(`failure before statement ${count}`);
      const result = await query(sql, params);
      if (count === failAt) throw new Error(`reply of statement ${count} lost`);
      return result;
    };
    const pool: PgPoolLike & { readonly count: number } = {
      get count() {
        return count;
      },
      query: (sql, params) => send(inner.query.bind(inner), sql, params),
      async connect(): Promise<PgPoolClientLike> {
        const connection = await inner.connect();
        return {
          query: (sql, params) => send(connection.query.bind(connection), sql, params),
          release: (error) => connection.release(error),
        };
      },
    };
    return pool;
  };

  it.each([false, true])(
    'ends where a run without failures ends when any statement, BEGIN and COMMIT included, fails (reply lost: %s)',
    async (lostReply) => {
      const db = await sharedPglite();
      const reference = await runWithCrash(() => pgPoolClient(pgliteAsPool(db)));
      const expected = await contents(reference.store, reference.client, reference.schema);
      const probe = failingPool(pgliteAsPool(db), 0, false);
      await runWithCrash(() => pgPoolClient(probe));
      for (let k = 1; k <= probe.count; k++) {
        const run = await runWithCrash(() => pgPoolClient(failingPool(pgliteAsPool(db), k, lostReply)));
        expect(await contents(run.store, run.client, run.schema), `failure at statement ${k}`).toEqual(
          expected,
        );
      }
    },
    120_000,
  );

  it('closes a connection whose ROLLBACK failed instead of handing it back', async () => {
    const released: (Error | boolean | undefined)[] = [];
    const pool: PgPoolLike = {
      query: async () => ({ rows: [] }),
      connect: async () => ({
        query: async (sql: string) => {
          if (sql === 'ROLLBACK' || sql.startsWith('SELECT')) throw new Error(`${sql} failed`);
          return { rows: [] };
        },
        release: (error) => released.push(error),
      }),
    };
    const client = pgPoolClient(pool);
    await expect(client.transaction((tx) => tx.query('SELECT 1'))).rejects.toThrow('SELECT 1 failed');
    expect(released).toEqual([new Error('ROLLBACK failed')]);
    expect(await client.transaction(async () => 'ok')).toBe('ok');
    expect(released[1]).toBeUndefined();
    expect(await client.query('SELECT 2')).toEqual({ rows: [] });
  });

  it('is the same client PGlite gives for plain statements', async () => {
    const db = await sharedPglite();
    expect(await pgliteClient(db).query('SELECT 1 AS one')).toMatchObject({ rows: [{ one: 1 }] });
  });
});
