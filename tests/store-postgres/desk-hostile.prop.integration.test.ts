// The desk in a hostile world (tests/workflows/desk/hostile.ts) on PostgreSQL: on PGlite always,
// and on a real server through `pg` when CAREKIT_PG_URL is set (`.ci/run` starts one; skipped
// with a message otherwise). Each run uses two fresh schemas: the restarted world and its twin.
import { test } from '@fast-check/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresStore, migrate, pgPoolClient } from '../../src/store-postgres/index.js';
import { propertyRuns, propertyTimeout, slow } from '../support/runs.js';
import { arbCommands, type Op, runHostile, setup, step, withOutbox } from '../workflows/desk/hostile.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

describe('the desk in a hostile world (PostgreSQL on PGlite)', () => {
  test.prop([arbCommands(15)], propertyRuns(8))(
    'no message is lost, no refused call leaves a trace, effects are unique, agents stay within capacity, and a restarted desk decides as one that never stopped',
    (commands) => runHostile(async () => [(await freshStore()).store, (await freshStore()).store], commands),
    propertyTimeout(90_000),
  );
});

const url = process.env.CAREKIT_PG_URL;
if (!url)
  console.warn('Skipping the desk-in-a-hostile-world run on a PostgreSQL server: CAREKIT_PG_URL is not set.');

describe.skipIf(!url)('the desk in a hostile world (PostgreSQL server)', () => {
  let pool: pg.Pool;
  let schemas = 0;
  const serverStore = async () => {
    const client = pgPoolClient(pool);
    const schema = `hostile${process.pid}_${++schemas}`;
    await migrate(client, { schema });
    return createPostgresStore(client, { schema });
  };
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  test.prop([arbCommands(20)], propertyRuns(10, 60))(
    'no message is lost, no refused call leaves a trace, effects are unique, agents stay within capacity, and a restarted desk decides as one that never stopped',
    (commands) => runHostile(async () => [await serverStore(), await serverStore()], commands),
    propertyTimeout(120_000),
  );

  // Found by the property above: a tick routes two tickets and saves them together. Saved in two
  // concurrent transactions, they raced for the router's sequence numbers, and two desks given
  // the same calls ended with different round-robin orders (ana's and ben's last sequence swapped).
  // The desk's group commit now sends a synchronous burst of saves as one batch, in order.
  const tickRoutesTwo: Op[] = [
    { op: 'receive', k: 0, skew: -259_200_000 },
    { op: 'customer', j: 0, pick: 0, skew: 240_000 },
    { op: 'receive', k: 1, skew: -259_200_000 },
    { op: 'receive', k: 2, skew: -259_200_000 },
    { op: 'tick', advance: 7_200_000 },
  ];
  it(
    'two desks given the same calls store the same round-robin order after a tick routes two tickets',
    async () => {
      for (let run = 0; run < 5; run++) {
        const { model, real } = await setup(withOutbox(await serverStore()), withOutbox(await serverStore()));
        for (const op of tickRoutesTwo) await step(model, real, op);
      }
    },
    slow(120_000),
  );
});
