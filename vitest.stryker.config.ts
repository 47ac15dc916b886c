// The tests Stryker runs against each mutant (`npm run test:mutation`, stryker.config.mjs): the
// unit tests of the modules whose mutation score the project tracks (calendar, sla, metrics), in
// one project, with a fixed fast-check seed so that a mutant is killed or survives the same way
// on every run (tests/support/mutationSetup.ts). Not used by `npm test`.
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  // The `carekit/*` aliases of the main configuration.
  resolve: base.resolve ?? {},
  test: {
    include: ['tests/calendar/**/*.test.ts', 'tests/sla/**/*.test.ts', 'tests/metrics/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/**/*.integration.test.ts'],
    setupFiles: ['tests/support/mutationSetup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
