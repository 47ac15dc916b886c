import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^carekit$/, replacement: `${src}index.ts` },
      { find: /^carekit\/(.*)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    // The suite must pass on a busy 2-core machine: properties have run budgets, and no test
    // may be failed by the default 5 s when the machine is shared.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ['tests/**/*.test-d.ts'] },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/index.ts'],
      reporter: ['text-summary', 'json-summary', 'html'],
      thresholds: { lines: 90 },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/**/*.integration.test.ts'],
          typecheck: { enabled: true, include: ['tests/**/*.test-d.ts'] },
        },
      },
      {
        // Slow suites in child processes (the fuzz suite); `npm test` runs them after `unit`.
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.integration.test.ts'],
          testTimeout: 30 * 60_000,
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
