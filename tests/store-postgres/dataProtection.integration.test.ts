// The data-protection examples of tests/workflows/desk/dataProtection.cases.ts on PGlite, and on a
// server when CAREKIT_PG_URL is set.
import pg from 'pg';
import { afterAll } from 'vitest';
import { createPostgresStore, migrate, pgPoolClient } from '../../src/store-postgres/index.js';
import { dataProtectionCases } from '../workflows/desk/dataProtection.cases.js';
import { freshStore } from './pglite.js';

dataProtectionCases('PGlite', async () => (await freshStore()).store);

const url = process.env.CAREKIT_PG_URL;
if (url) {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  afterAll(() => pool.end());
  let n = 0;
  dataProtectionCases('server', async () => {
    const client = pgPoolClient(pool);
    const schema = `dp${process.pid}_${++n}`;
    await migrate(client, { schema });
    return createPostgresStore(client, { schema });
  });
} else
  console.warn('Skipping the data-protection examples on a PostgreSQL server: CAREKIT_PG_URL is not set.');
