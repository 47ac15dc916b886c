// Test helpers: one PGlite per test file (starting one takes about 2 s), a fresh schema per
// store, a `pg`-like pool over PGlite, and a client that fails at a chosen query.
import { PGlite } from '@electric-sql/pglite';
import {
  createPostgresStore,
  migrate,
  type PgPoolClientLike,
  type PgPoolLike,
  type PostgresStoreOptions,
  type PostgresTicketStore,
  pgliteClient,
  type SqlClient,
  type SqlExecutor,
} from '../../src/store-postgres/index.js';

let shared: Promise<PGlite> | undefined;

/** The test file's PGlite (in memory), started on first use. */
export function sharedPglite(): Promise<PGlite> {
  shared ??= PGlite.create();
  return shared;
}

let schemas = 0;

/** A migrated store in a schema of its own, over the given client (PGlite by default). */
export async function freshStore(
  client?: SqlClient,
  options: PostgresStoreOptions = {},
): Promise<{ store: PostgresTicketStore; client: SqlClient; schema: string }> {
  const used = client ?? pgliteClient(await sharedPglite());
  const schema = options.schema ?? `t${process.pid}_${++schemas}`;
  await migrate(used, { schema });
  return { store: createPostgresStore(used, { ...options, schema }), client: used, schema };
}

/**
 * A `pg` Pool look-alike over one PGlite: one connection, handed to one caller at a time (a
 * pool of size 1), with `BEGIN`/`COMMIT` sent as plain statements as `pg` does. `released`
 * records how each connection was given back.
 */
export function pgliteAsPool(db: PGlite): PgPoolLike & { released: (Error | boolean | undefined)[] } {
  let queue = Promise.resolve();
  const released: (Error | boolean | undefined)[] = [];
  const take = () => {
    let free: () => void = () => {};
    const turn = new Promise<void>((resolve) => {
      free = resolve;
    });
    const ready = queue;
    queue = queue.then(() => turn);
    return ready.then(() => free);
  };
  const pool = {
    released,
    async query(sql: string, params?: unknown[]) {
      const free = await take();
      try {
        return await db.query(sql, params);
      } finally {
        free();
      }
    },
    async connect(): Promise<PgPoolClientLike> {
      const free = await take();
      return {
        query: (sql, params) => db.query(sql, params),
        release(error) {
          released.push(error);
          // A connection closed by the pool ends its transaction with it.
          if (error) void db.query('ROLLBACK').finally(free);
          else free();
        },
      };
    },
  };
  return pool;
}

/** Thrown by {@link failingClient}: a simulated crash or lost connection. */
export class InjectedFailure extends Error {
  constructor(at: number) {
    super(`injected failure at query ${at}`);
  }
}

/**
 * A client that counts every statement (and the acknowledgement of every commit) and throws at
 * number `failAt`, as a process killed or a connection lost there would. `failAt = 0` never fails.
 * The commit's acknowledgement is a point of its own: the work is committed, the caller hears an error.
 */
export function failingClient(inner: SqlClient, failAt: number): SqlClient & { readonly count: number } {
  let count = 0;
  const step = () => {
    count++;
    if (count === failAt) throw new InjectedFailure(count);
  };
  const wrap = (target: SqlExecutor): SqlExecutor => ({
    async query(sql, params) {
      step();
      return target.query(sql, params);
    },
  });
  return {
    get count() {
      return count;
    },
    ...wrap(inner),
    async transaction(run) {
      step();
      const result = await inner.transaction((tx) => run(wrap(tx)));
      step();
      return result;
    },
  };
}
