import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { slow } from './tests/support/runs.js';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^carekit$/, replacement: `${src}index.ts` },
      { find: /^carekit\/(.*)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    // The suite must pass on a busy 2-core machine: properties have run budgets
    // (tests/support/runs.ts), and no test may be failed by the default 5 s when the machine is
    // shared. CAREKIT_PROPERTY_RUNS=10 gives ten times the runs and ten times the time.
    // Timeouts catch hangs; `slow` stretches them on a loaded machine (load per core, up to 4×).
    testTimeout: slow(60_000),
    hookTimeout: slow(60_000),
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/index.ts'],
      reporter: ['text-summary', 'json-summary', 'html'],
      thresholds: { lines: 90 },
    },
    projects: [
      {
        // Pure tests: no PGlite, no PostgreSQL server, no child process, no CLI, no example run,
        // no browser. `npm run test:unit` is the fast loop (under a minute on a 2-core machine).
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          // The fast loop imports src/ once per worker, not once per file: with isolation, each of
          // the ~90 files spent seconds importing zod schemas, xstate and the modules again (523 s
          // of 700 on this machine). Nothing in the unit files mocks, stubs or patches globals;
          // `CAREKIT_ISOLATE=1` runs them isolated, to rule out a leak between files.
          isolate: process.env.CAREKIT_ISOLATE === '1',
          // Forks, not threads: `cpuTime` (tests/support/cpuTime.ts) reads the process's CPU
          // time, which in a thread pool also counts the other workers.
          pool: 'forks',
          // Vitest's default is the cores less one: a single worker on a 2-core machine. Without
          // isolation the main process is idle once the modules are transformed.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Its own group (after integration when both run): projects in one group must agree
          // on maxWorkers.
          sequence: { groupOrder: 1 },
          exclude: [...configDefaults.exclude, 'tests/**/*.integration.test.ts'],
        },
      },
      {
        // The type tests (*.test-d.ts) as vitest reports them. `npm run typecheck` (tsc over src
        // and tests) already fails on any of them, so `npm test` does not run them twice;
        // `npm run test:types` lists them one by one.
        extends: true,
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['tests/**/*.test-d.ts'] },
        },
      },
      {
        // What needs the world: PGlite and a PostgreSQL server (tests/store-postgres), child
        // processes (the fuzz suite, the CLI, the examples, esbuild), a browser. Files are named
        // `*.integration.test.ts`; `npm test` runs them with `unit` (coverage over both).
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.integration.test.ts'],
          // PGlite starts in about 2 s alone, much longer on a loaded machine; the fuzz suite and
          // the workers test set their own (longer) timeouts.
          testTimeout: slow(120_000),
          hookTimeout: slow(120_000),
        },
      },
      {
        // Re-runs the suites whose results could depend on the process time zone;
        // `npm run test:tz` runs this project under other TZ values.
        extends: true,
        test: {
          name: 'tz',
          include: [
            'tests/**/*.tz.test.ts',
            'tests/calendar/**/*.test.ts',
            'tests/sla/**/*.test.ts',
            'tests/metrics/**/*.test.ts',
            'tests/model/**/*.test.ts',
          ],
        },
      },
    ],
  },
});
