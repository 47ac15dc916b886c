// @ts-check
// Mutation testing of the modules whose arithmetic the KPIs and deadlines rest on: calendar, sla
// and metrics (`npm run test:mutation`; not part of `npm test`: it runs their unit tests once per
// mutant, tens of minutes on a 2-core machine). One module at a time:
//   npm run test:mutation -- --mutate 'src/calendar/**/*.ts'
// Results: reports/mutation/ (html, json); surviving mutants judged equivalent are listed in
// docs/testing.md ("Mutation testing"), with the reason each cannot be killed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: ['src/calendar/**/*.ts', 'src/sla/**/*.ts', 'src/metrics/**/*.ts', '!src/**/index.ts'],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  concurrency: 2,
  timeoutMS: 5_000,
  incremental: true,
  incrementalFile: 'tests/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
export default config;
