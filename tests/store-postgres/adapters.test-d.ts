import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import { pgliteClient, pgPoolClient, type SqlClient } from '../../src/store-postgres/index.js';

declare const db: PGlite;
declare const pool: pg.Pool;
declare const single: pg.Client;

describe('the adapters take the drivers as they are', () => {
  it('a PGlite instance and a pg Pool fit, and give a SqlClient', () => {
    expectTypeOf(pgliteClient(db)).toEqualTypeOf<SqlClient>();
    expectTypeOf(pgPoolClient(pool)).toEqualTypeOf<SqlClient>();
  });

  it('a single pg Client is not a pool: a transaction needs a connection of its own', () => {
    // @ts-expect-error connect() of a Client resolves to nothing, not to a releasable connection
    pgPoolClient(single);
  });
});
