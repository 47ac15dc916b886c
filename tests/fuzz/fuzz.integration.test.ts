// The fuzz suite: every exported function of every public subpath, called with a catalogue of
// bad values, one child process per function with a time and a memory limit.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VALUE_NAMES } from './catalogue.js';
import { isHard, isKnown } from './hard.js';

const root = resolve(import.meta.dirname, '../..');
const SUBPATHS = [
  'model',
  'calendar',
  'sla',
  'routing',
  'templates',
  'metrics',
  'workflows',
  'workflows/machine',
  'review',
];
const CHILD_TIMEOUT_MS = 60_000;
const MEMORY_MB = 768;
const PARALLEL = 2;

interface Call {
  readonly name: string;
  readonly value: string;
  readonly shape: string;
  readonly outcome: 'carekit' | 'other_error' | 'silent_invalid' | 'returned' | 'hang_or_crash';
  readonly detail: string;
}

function runChild(subpath: string, names: readonly string[]): Promise<{ calls: Call[]; status: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        `--max-old-space-size=${MEMORY_MB}`,
        '--import',
        'tsx',
        resolve(root, 'tests/fuzz/child.ts'),
        subpath,
        names.join(','),
      ],
      { cwd: root, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const calls = out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Call);
      const status =
        code === 0 ? 'ok' : `exit ${code ?? signal}: ${err.split('\n').slice(-5).join(' ').slice(0, 300)}`;
      done({ calls, status });
    });
  });
}

async function exportedFunctions(subpath: string): Promise<string[]> {
  const mod = (await import(pathToFileURL(resolve(root, `src/${subpath}/index.ts`)).href)) as Record<
    string,
    unknown
  >;
  return Object.keys(mod)
    .filter((k) => typeof mod[k] === 'function' && !/^[A-Z]/.test(k))
    .sort();
}

describe('fuzz: bad arguments to every exported function', () => {
  it(
    'no hang, no crash, no silent Invalid Date or NaN; clear carekit errors where asserted',
    async () => {
      const jobs: { subpath: string; name: string }[] = [{ subpath: 'cli', name: 'main' }];
      for (const subpath of SUBPATHS)
        for (const name of await exportedFunctions(subpath)) jobs.push({ subpath, name });
      const results: { subpath: string; name: string; calls: Call[]; status: string }[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < jobs.length) {
            const job = jobs[next++]!;
            const { calls, status } = await runChild(job.subpath, [job.name]);
            const expected = VALUE_NAMES.length * 2;
            const padded = [...calls];
            // Calls after a hang or a crash never reported: they count against the function.
            for (let i = calls.length; i < expected; i++) {
              padded.push({
                name: job.name,
                value: VALUE_NAMES[Math.floor(i / 2)]!,
                shape: i % 2 ? 'all' : 'first',
                outcome: 'hang_or_crash',
                detail: status,
              });
            }
            results.push({ ...job, calls: padded, status });
          }
        }),
      );

      const lines: string[] = [
        'subpath      functions  calls  clear carekit error  other error  silent invalid  returned  hang/crash  refused clearly',
      ];
      const failures: string[] = [];
      const known: string[] = [];
      for (const subpath of ['cli', ...SUBPATHS]) {
        const mine = results.filter((r) => r.subpath === subpath);
        const all = mine.flatMap((r) => r.calls);
        const count = (o: Call['outcome']) => all.filter((c) => c.outcome === o).length;
        const pct = (n: number) => `${((100 * n) / Math.max(1, all.length)).toFixed(0)} %`;
        const refused = count('carekit') + count('other_error');
        lines.push(
          `${subpath.padEnd(12)} ${String(mine.length).padStart(9)}  ${String(all.length).padStart(5)}  ${pct(count('carekit')).padStart(19)}  ${pct(count('other_error')).padStart(11)}  ${pct(count('silent_invalid')).padStart(14)}  ${pct(count('returned')).padStart(8)}  ${String(count('hang_or_crash')).padStart(10)}  ${`${((100 * count('carekit')) / Math.max(1, refused)).toFixed(0)} %`.padStart(15)}`,
        );
        for (const r of mine) {
          for (const c of r.calls) {
            const sink = isKnown(subpath, r.name) ? known : failures;
            if (c.outcome === 'hang_or_crash' || c.outcome === 'silent_invalid') {
              sink.push(`${subpath}:${r.name}(${c.value}, ${c.shape}): ${c.outcome} ${c.detail}`);
            } else if (
              // An asserted function refuses with a carekit error; accepting a value it can use
              // (`{}` options, the CLI answering with an exit code) is fine; a TypeError is not.
              isHard(subpath, r.name) &&
              c.outcome === 'other_error'
            ) {
              sink.push(`${subpath}:${r.name}(${c.value}, ${c.shape}): ${c.outcome} ${c.detail}`);
            }
          }
        }
      }
      const hard = results.filter((r) => isHard(r.subpath, r.name));
      lines.push(
        `asserted functions: ${hard.length} (${hard.map((r) => `${r.subpath}:${r.name}`).join(', ')})`,
      );
      console.log(`\n${lines.join('\n')}\n`);
      if (known.length > 0)
        console.log(`known findings, not yet fixed (${known.length}):\n${known.slice(0, 40).join('\n')}`);
      if (failures.length > 0)
        console.log(`failures (${failures.length}):\n${failures.slice(0, 80).join('\n')}`);
      expect(failures).toEqual([]);
    },
    30 * 60_000,
  );
});
