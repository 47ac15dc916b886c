// Erasure and retention on PostgreSQL (issue 23): the laws of tests/workflows/desk/erasure.ts on
// PGlite and, when CAREKIT_PG_URL is set, on a server, with the search for erased strings run
// over EVERY table of the store's schema (information_schema), each row as text.
import { fc, test } from '@fast-check/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresStore,
  migrate,
  type PostgresTicketStore,
  pgliteClient,
  pgPoolClient,
  type SqlClient,
} from '../../src/store-postgres/index.js';
import { migrateTo } from '../../src/store-postgres/migrate.js';
import { slow } from '../support/runs.js';
import {
  arbOps,
  arbWorldOp,
  CUSTOMERS,
  checkErasureLaws,
  findTokens,
  makeWorld,
  PERSONAL,
  play,
  readEverything,
  withHook,
} from '../workflows/desk/erasure.js';
import { freshStore, sharedPglite } from './pglite.js';

/** Every row of every table of the schema, as text, by table (what a database holds beyond the API). */
async function everyTable(client: SqlClient, schema: string): Promise<Record<string, string>> {
  const { rows } = await client.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'
     ORDER BY table_name`,
    [schema],
  );
  expect(rows.length).toBeGreaterThanOrEqual(10);
  const out: Record<string, string> = {};
  for (const row of rows) {
    const table = String(row.table_name);
    const found = await client.query(`SELECT t::text AS line FROM "${schema}"."${table}" AS t`);
    out[`table ${table}`] = found.rows.map((r) => String(r.line)).join('\n');
  }
  return out;
}

interface Target {
  readonly name: string;
  readonly make: () => Promise<{ store: PostgresTicketStore; client: SqlClient; schema: string }>;
}

const url = process.env.CAREKIT_PG_URL;
if (!url) console.warn('Skipping the erasure tests on a PostgreSQL server: CAREKIT_PG_URL is not set.');
let pool: pg.Pool | undefined;
let serverSchemas = 0;
beforeAll(() => {
  if (url) pool = new pg.Pool({ connectionString: url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
});

const targets: Target[] = [
  { name: 'PGlite', make: () => freshStore(undefined, { personal: PERSONAL }) },
  ...(url
    ? [
        {
          name: 'server',
          make: async () => {
            const client = pgPoolClient(pool as pg.Pool);
            const schema = `erase${process.pid}_${++serverSchemas}`;
            await migrate(client, { schema });
            return { store: createPostgresStore(client, { schema, personal: PERSONAL }), client, schema };
          },
        },
      ]
    : []),
];

describe.each(targets)('erasure on $name', ({ make }) => {
  test.prop([arbOps(12), fc.nat(2)], {
    numRuns: 6,
    timeout: slow(120_000),
    interruptAfterTimeLimit: 100_000,
  })(
    'KPIs unchanged, no erased string in any table, events parse, versions up by one, idempotent',
    async (ops, who) => {
      const { store, client, schema } = await make();
      const world = makeWorld(store);
      for (const op of ops) await play(world, op);
      await checkErasureLaws(world, CUSTOMERS[who] as string, () => everyTable(client, schema));
    },
    240_000,
  );

  test.prop(
    [arbOps(8), fc.array(arbWorldOp, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(3), { maxLength: 8 })],
    { numRuns: 5, timeout: slow(120_000), interruptAfterTimeLimit: 100_000 },
  )(
    'concurrent with a desk handling the same tickets, nothing erased comes back',
    async (setupOps, laterOps, delays) => {
      const made = await make();
      const { store, arm } = withHook(made.store);
      const world = makeWorld(store);
      for (const op of setupOps) await play(world, op);
      arm(() => made.store.eraseCustomer('c0', { by: 'dpo', reason: 'hooked' }));
      const calls = laterOps.map(async (op, i) => {
        for (let k = 0; k < (delays[i] ?? 0); k++) await new Promise((resolve) => setTimeout(resolve, 1));
        await play(world, op, `fresh${i}`);
      });
      calls.splice(
        delays.length % (calls.length + 1),
        0,
        made.store.eraseCustomer('c0', { by: 'dpo', reason: 'raced' }).then(() => {}),
      );
      await Promise.all(calls);
      const texts = {
        ...(await readEverything(made.store)),
        ...(await everyTable(made.client, made.schema)),
      };
      expect(findTokens(texts, 'c0')).toEqual([]);
    },
    240_000,
  );
});

describe.skipIf(!url)('an erasure and a follow-up on a PostgreSQL server, interleaved by row locks', () => {
  /** Waits until `n` statements on the schema's tables wait for a row lock. */
  const waiting = async (schema: string, n: number) => {
    for (let i = 0; i < 2_000; i++) {
      const { rows } = await (pool as pg.Pool).query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND position($1 in query) > 0`,
        [schema],
      );
      if (rows[0].n >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`fewer than ${n} statements waited for a lock on ${schema}`);
  };

  it(
    "erases a follow-up committed while the erasure waited for its origin's lock (the list of the customer's tickets is read again under the locks)",
    async () => {
      const made = await (targets[1] as Target).make();
      const world = makeWorld(made.store);
      await play(world, { kind: 'open', customer: 0, gap: 0 });
      await play(world, { kind: 'close', ticket: 0, gap: 60_000 });
      const raw = await (pool as pg.Pool).connect();
      try {
        // Hold the closed ticket's row: the follow-up's save (conditional on it) waits behind us…
        await raw.query('BEGIN');
        await raw.query(`SELECT 1 FROM "${made.schema}".tickets WHERE customer_id = 'c0' FOR UPDATE`);
        const reply = play(world, { kind: 'customerReply', ticket: 0, gap: 60_000 });
        await waiting(made.schema, 1);
        // …and so does the erasure, which listed the customer's tickets before the follow-up existed.
        const erased = made.store.eraseCustomer('c0', { by: 'dpo', reason: 'request' });
        await waiting(made.schema, 2);
        await raw.query('COMMIT');
        await Promise.all([reply, erased]);
      } finally {
        raw.release();
      }
      // The closed ticket and its follow-up, both erased.
      const rows = (await made.client.query(`SELECT ticket_id FROM "${made.schema}".tickets`)).rows;
      expect(rows.length).toBe(2);
      const texts = {
        ...(await readEverything(made.store)),
        ...(await everyTable(made.client, made.schema)),
      };
      expect(findTokens(texts, 'c0')).toEqual([]);
    },
    slow(60_000),
  );
});

describe('the every-table search', () => {
  it(
    'finds erased strings when one table (the outbox) is left unredacted',
    async () => {
      const { store, client, schema } = await freshStore(undefined, { personal: PERSONAL });
      const world = makeWorld(store);
      await play(world, { kind: 'open', customer: 0, gap: 0 });
      const outbox = await client.query(`SELECT id, effect FROM "${schema}".outbox`);
      await store.eraseCustomer('c0', { by: 'dpo', reason: 'request' });
      // Put the outbox back as it was before the erasure: the search must see it.
      for (const row of outbox.rows) {
        await client.query(`UPDATE "${schema}".outbox SET effect = $2::jsonb WHERE id = $1`, [
          row.id,
          JSON.stringify(row.effect),
        ]);
      }
      const found = findTokens(await everyTable(client, schema), 'c0');
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((f) => f.startsWith('table outbox'))).toBe(true);
    },
    slow(120_000),
  );
});

/** Copies every row of the tables of schema `to` from the same tables of `from`, the columns both have. */
async function copyRows(client: SqlClient, from: string, to: string): Promise<void> {
  const { rows } = await client.query(
    `SELECT table_name, string_agg(quote_ident(column_name), ', ') AS columns
     FROM information_schema.columns AS c
     WHERE table_schema = $1 AND table_name <> 'schema_migrations'
       AND EXISTS (SELECT 1 FROM information_schema.columns AS f
                   WHERE f.table_schema = $2 AND f.table_name = c.table_name AND f.column_name = c.column_name)
     GROUP BY table_name`,
    [to, from],
  );
  for (const row of rows) {
    await client.query(
      `INSERT INTO "${to}".${row.table_name} (${row.columns}) OVERRIDING SYSTEM VALUE
       SELECT ${row.columns} FROM "${from}".${row.table_name}`,
    );
  }
}

describe('migration 4', () => {
  it(
    'upgrades a version 3 database holding tickets, which can then be erased',
    async () => {
      const client = pgliteClient(await sharedPglite());
      const schema = 'erase_v3';
      expect(await migrateTo(client, { schema }, 3)).toEqual({ applied: [1, 2, 3], version: 3 });
      // A desk writes tickets through today's store in a scratch schema; the rows are copied into
      // the version 3 layout (the columns it has), as a store of that release wrote them.
      const scratch = 'erase_v3_scratch';
      await migrate(client, { schema: scratch });
      const world = makeWorld(createPostgresStore(client, { schema: scratch, personal: PERSONAL }));
      for (const customer of [0, 1]) await play(world, { kind: 'open', customer, gap: 60_000 });
      await play(world, { kind: 'agentReply', ticket: 0, gap: 60_000, solve: true });
      await copyRows(client, scratch, schema);
      await client.query(`DROP SCHEMA ${scratch} CASCADE`);
      expect(await migrate(client, { schema })).toEqual({ applied: [4, 5, 6], version: 6 });
      const store = createPostgresStore(client, { schema, personal: PERSONAL });
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM "${schema}".tickets WHERE anonymised_version IS NULL`,
      );
      expect(rows[0]?.n).toBe(2);
      const { ticketIds } = await store.eraseCustomer('c0', { by: 'dpo', reason: 'request' });
      expect(ticketIds.length).toBe(1);
      expect(findTokens(await everyTable(client, schema), 'c0')).toEqual([]);
      expect(findTokens(await everyTable(client, schema), 'c1').length).toBeGreaterThan(0);
      expect((await store.erasures()).map((r) => r.action)).toEqual(['erase']);
    },
    slow(120_000),
  );
});
