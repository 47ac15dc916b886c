import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const examples = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.ts'));

describe('examples', () => {
  it.each(examples)(
    '%s runs to completion',
    (name) => {
      const output = execFileSync(process.execPath, ['--import', 'tsx', join('examples', name)], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CAREKIT_EXAMPLE_TEST: '1' },
      });
      expect(output.length).toBeGreaterThan(0);
      // store-postgres.ts starts an embedded PostgreSQL (PGlite), a few seconds on a busy machine.
    },
    60_000,
  );
});
