// Every example runs to completion and prints exactly what its golden file says
// (tests/examples/golden/<example>.txt). After a deliberate change of output, rewrite the files
// with `UPDATE_GOLDEN=1 npx vitest run --project integration tests/examples/examples.integration.test.ts`
// and review the diff.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const goldenDir = join(import.meta.dirname, 'golden');
const examples = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.ts'));
const update = process.env.UPDATE_GOLDEN === '1';

/**
 * Only what truly varies from run to run: the wall time the demo reports, where it wrote its
 * report (a file named by the process id), and the port the webhook server was given.
 */
function normalise(output: string): string {
  return output
    .replace(/\b(simulated in|Simulated in) \d+(\.\d+)? s\b/g, '$1 <seconds> s')
    .replace(/\S*carekit-demo-\d+\.md/g, '<report file>')
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://127.0.0.1:<port>');
}

describe('examples', () => {
  it.each(examples)(
    '%s prints its golden output',
    (name) => {
      const output = execFileSync(process.execPath, ['--import', 'tsx', join('examples', name)], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CAREKIT_EXAMPLE_TEST: '1' },
      });
      const golden = join(goldenDir, `${name.replace(/\.ts$/, '')}.txt`);
      const actual = normalise(output);
      if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(golden, actual);
      }
      if (!existsSync(golden))
        throw new Error(`no golden file for ${name}: UPDATE_GOLDEN=1 writes ${golden}`);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
      // store-postgres.ts starts an embedded PostgreSQL (PGlite), a few seconds on a busy machine.
    },
    120_000,
  );

  it('normalises only timings, the report file and the port', () => {
    expect(
      normalise(
        '1,000 contacts simulated in 2.3 s (seed 42, memory store). Report written to /tmp/carekit-demo-123.md',
      ),
    ).toBe(
      '1,000 contacts simulated in <seconds> s (seed 42, memory store). Report written to <report file>',
    );
    expect(normalise('carekit webhook server on http://127.0.0.1:40123')).toBe(
      'carekit webhook server on http://127.0.0.1:<port>',
    );
    expect(normalise('resolution 2.3 s, 42 tickets')).toBe('resolution 2.3 s, 42 tickets');
  });
});
