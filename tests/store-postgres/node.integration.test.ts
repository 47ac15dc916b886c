// carekit/store-postgres/node: a PGlite directory is opened by one process at a time.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store-postgres/index.js';
import { lockPgliteDirectory, openPgliteDirectory } from '../../src/store-postgres/node/index.js';
import { slow } from '../support/runs.js';

const root = mkdtempSync(join(tmpdir(), 'carekit-node-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Starts the fixture process on `dir`; resolves with its first line and the process. */
function hold(dir: string, count: number): Promise<{ line: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures/hold-pglite.ts'), dir, String(count)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((done, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) done({ line: out.trim(), child });
    });
    child.on('error', fail);
    child.on('exit', () => done({ line: out.trim(), child }));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((done) => {
    child.on('exit', () => done());
    child.kill('SIGKILL');
  });

describe('openPgliteDirectory', () => {
  it(
    'refuses a directory another live process holds, and takes it over once that process is killed',
    async () => {
      const dir = join(root, 'shared');
      const first = await hold(dir, 5);
      expect(first.line).toBe('ready');
      try {
        await expect(openPgliteDirectory(dir)).rejects.toMatchObject({ code: 'pglite_directory_locked' });
        await expect(openPgliteDirectory(dir)).rejects.toThrow(`process ${first.child.pid}`);
      } finally {
        await killed(first.child);
      }
      // The lock of a killed process is stale: taken over, and every ticket it stored is there.
      const opened = await openPgliteDirectory(dir);
      try {
        const store = createPostgresStore(opened.client);
        const ids: string[] = [];
        for await (const id of store.ticketIds()) ids.push(id);
        expect(ids).toEqual(['child-0', 'child-1', 'child-2', 'child-3', 'child-4']);
      } finally {
        await opened.close();
      }
      expect(existsSync(`${dir}.carekit-lock`)).toBe(false);
    },
    slow(240_000),
  );

  it(
    'refuses a second open in the same process, and opens again after close',
    async () => {
      const dir = join(root, 'same');
      const opened = await openPgliteDirectory(dir);
      await expect(openPgliteDirectory(dir)).rejects.toThrow(/this process already/);
      await opened.close();
      const again = await openPgliteDirectory(dir);
      await again.close();
    },
    slow(120_000),
  );

  it('takes over a lock file left by a process that no longer exists, or by a previous holder of this pid', () => {
    const dir = join(root, 'stale');
    writeFileSync(`${dir}.carekit-lock`, '999999999\nold\n');
    const lock = lockPgliteDirectory(dir);
    expect(() => lockPgliteDirectory(dir)).toThrow(
      expect.objectContaining({ code: 'pglite_directory_locked' }),
    );
    lock.release();
    lock.release();
    writeFileSync(`${dir}.carekit-lock`, `${process.pid}\nbefore a restart\n`);
    const mine = lockPgliteDirectory(dir);
    mine.release();
    expect(existsSync(`${dir}.carekit-lock`)).toBe(false);
  });
});
