// The desk in a hostile world (tests/workflows/desk/hostile.ts) on PostgreSQL: on PGlite always,
// and on a real server through `pg` when CAREKIT_PG_URL is set (`.ci/run` starts one; skipped
// with a message otherwise). Each run uses two fresh schemas: the restarted world and its twin.
import { test } from '@fast-check/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createPostgresStore, migrate, pgPoolClient } from '../../src/store-postgres/index.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbCommands, runHostile } from '../workflows/desk/hostile.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), 60_000);
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
});
