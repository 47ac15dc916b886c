// The tests Stryker runs against each mutant (`npm run test:mutation`, stryker.config.mjs): the
// unit tests of the modules whose mutation score the project tracks (calendar, sla, metrics), in
// one project, with a fixed fast-check seed so that a mutant is killed or survives the same way
// on every run (tests/support/mutationSetup.ts). Not used by `npm test`.
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
    include: ['tests/calendar/**/*.test.ts', 'tests/sla/**/*.test.ts', 'tests/metrics/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/**/*.integration.test.ts'],
    setupFiles: ['tests/support/mutationSetup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
