/**
 * Node-only helpers of the Postgres store: a PGlite data directory held by one process at a
 * time. PGlite is PostgreSQL in single-user mode and takes no lock of its own on Node (its
 * `postmaster.pid` holds a placeholder pid), so two processes opening one directory both
 * succeed and overwrite each other's writes. {@link openPgliteDirectory} takes an exclusive
 * lock file first and refuses a second opener with `pglite_directory_locked`.
 *
 * @module carekit/store-postgres/node
 */
// The one module of the library built with Node's types (the build's tsconfig has none, so that
// nothing else in src/ outside the CLI can use a Node API): this subpath is Node only.
/// <reference types="node" />
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { CarekitError } from '../../model/index.js';
import type { SqlClient } from '../client.js';
import type { StoreErrorCode } from '../errors.js';
import { pgliteClient } from '../pgliteClient.js';

/** A lock on a data directory, held until released (or the process exits). */
export interface DirectoryLock {
  /** The lock file (beside the directory: `<dir>.carekit-lock`). */
  readonly path: string;
  /** Gives the lock back (removes the file if it is still this lock's). Idempotent. */
  release(): void;
}

/** Directories this process holds, by lock path: a second open in the same process is refused too. */
const held = new Map<string, string>();
let exitHook = false;

const lockPathOf = (dir: string) => {
  const absolute = resolve(dir);
  return join(dirname(absolute), `${basename(absolute)}.carekit-lock`);
};

/** Whether process `pid` is alive (signal 0: checked, not sent). */
function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

const readPid = (path: string): number | null => {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isSafeInteger(pid) ? pid : null;
  } catch {
    return null;
  }
};

/** Creates `path` holding `content`, failing with EEXIST when it exists (atomic: O_EXCL). */
function createExclusive(path: string, content: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

function lockedError(dir: string, path: string, pid: number | null): CarekitError {
  return new CarekitError<StoreErrorCode>(
    'pglite_directory_locked',
    `the PGlite directory ${dir} is open in ${pid === process.pid ? 'this process already' : `process ${pid ?? '(unknown)'}`} (lock file ${path}): PGlite serves one process at a time, and a second opener would lose tickets; close the other one, or connect both to a PostgreSQL server`,
  );
}

/**
 * Takes the exclusive lock of a PGlite data directory: the file `<dir>.carekit-lock` beside it,
 * created atomically and holding this process's id. A lock whose process is gone (killed,
 * crashed) is taken over; one whose process is alive, or that this process holds already,
 * is refused with `pglite_directory_locked`. Released by `release()` and when the process exits.
 *
 * @example
 * ```ts
 * const lock = lockPgliteDirectory('./care-data');
 * const db = await PGlite.create('./care-data');
 * // ...
 * await db.close();
 * lock.release();
 * ```
 */
export function lockPgliteDirectory(dir: string): DirectoryLock {
  const path = lockPathOf(dir);
  if (held.has(path)) throw lockedError(dir, path, process.pid);
  const token = `${process.pid}\n${Date.now()}-${Math.random().toString(36).slice(2)}\n`;
  try {
    createExclusive(path, token);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    const pid = readPid(path);
    // Our own pid in a file this process does not hold: a previous process with the same id
    // (a container's pid 1, restarted) left it.
    if (pid !== null && pid !== process.pid && alive(pid)) throw lockedError(dir, path, pid);
    takeOver(dir, path, token);
  }
  held.set(path, token);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const [lockPath, lockToken] of held) removeIfOurs(lockPath, lockToken);
    });
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      held.delete(path);
      removeIfOurs(path, token);
    },
  };
}

/**
 * Replaces a stale lock file. Takers of one stale lock are serialised by a second exclusive
 * file, so two of them cannot both replace it; the file itself is swapped by a rename (atomic).
 */
function takeOver(dir: string, path: string, token: string): void {
  const mutex = `${path}.takeover`;
  try {
    createExclusive(mutex, token);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    // A taker that died mid-way leaves its file: after 10 s it no longer counts.
    let age = 0;
    try {
      age = Date.now() - statSync(mutex).mtimeMs;
    } catch {}
    if (age < 10_000) throw lockedError(dir, path, readPid(mutex));
    unlinkSync(mutex);
    createExclusive(mutex, token);
  }
  try {
    const pid = readPid(path);
    if (pid !== null && pid !== process.pid && alive(pid)) throw lockedError(dir, path, pid);
    const fresh = `${path}.${process.pid}.tmp`;
    createExclusive(fresh, token);
    renameSync(fresh, path);
  } finally {
    try {
      unlinkSync(mutex);
    } catch {}
  }
}

function removeIfOurs(path: string, token: string): void {
  try {
    if (readFileSync(path, 'utf8') === token) unlinkSync(path);
  } catch {}
}

/** A PGlite database opened by {@link openPgliteDirectory}. */
export interface OpenedPglite {
  readonly db: PGlite;
  /** The store's client over `db`. */
  readonly client: SqlClient;
  /** Closes the database, then gives the directory's lock back. */
  close(): Promise<void>;
}

/**
 * Opens a PGlite data directory for this process alone: takes its lock
 * ({@link lockPgliteDirectory}), then starts PGlite on it. A directory another live process
 * holds is refused (`pglite_directory_locked`) before PGlite touches it.
 *
 * @example
 * ```ts
 * import { createPostgresStore, migrate } from 'carekit/store-postgres';
 * import { openPgliteDirectory } from 'carekit/store-postgres/node';
 *
 * const { client, close } = await openPgliteDirectory('./care-data');
 * await migrate(client);
 * const store = createPostgresStore(client);
 * // a second process: await openPgliteDirectory('./care-data')
 * //=> throws CarekitError pglite_directory_locked
 * await close();
 * ```
 */
export async function openPgliteDirectory(dir: string, options: PGliteOptions = {}): Promise<OpenedPglite> {
  const lock = lockPgliteDirectory(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(dir, options);
    return {
      db,
      client: pgliteClient(db),
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
