import { CarekitError } from '../model/index.js';

const HINTS: Record<string, string> = {
  '42P01': 'the store has no tables yet: run migrate(client) first',
  '3F000': 'the store has no schema yet: run migrate(client) first',
  '40001': 'a concurrent transaction won: try again',
  '40P01': 'a deadlock was broken by the database: try again',
};

/**
 * A database error met by the Postgres store, with code `store_failed`: which operation failed
 * (`save`, `load`, `claimEffects`...), for which ticket, and the database's SQLSTATE. The
 * operation's transaction was rolled back, so nothing of it was written, except when the
 * connection broke during `COMMIT`: then the work may have been committed, and running it again
 * is safe because events are idempotent (a repeated event id is a duplicate).
 *
 * @example
 * ```ts
 * try {
 *   await store.load('T-1');
 * } catch (error) {
 *   if (error instanceof CarekitStoreError) console.log(error.code, error.operation, error.sqlState);
 *   //=> store_failed load 42P01
 * }
 * ```
 */
export class CarekitStoreError extends CarekitError<'store_failed'> {
  /** The store method that failed. */
  readonly operation: string;
  /** The ticket it was about, when there was one. */
  readonly ticketId: string | null;
  /** The database's error code (SQLSTATE, such as `42P01`), when the driver gave one. */
  readonly sqlState: string | null;

  constructor(operation: string, what: string, cause: unknown, ticketId: string | null = null) {
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
    // Only a five-character SQLSTATE; a socket's `ECONNRESET` is left in the message.
    const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const hint = sqlState !== null ? HINTS[sqlState] : undefined;
    super(
      'store_failed',
      `the store could not ${what}: ${reason}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}${hint ? `; ${hint}` : ''}`,
      { cause },
    );
    this.name = 'CarekitStoreError';
    this.operation = operation;
    this.ticketId = ticketId;
    this.sqlState = sqlState;
  }
}
