// @ts-check
// Mutation testing of the modules whose arithmetic the KPIs and deadlines rest on: calendar, sla
// and metrics (`npm run test:mutation`, scripts/mutation.mjs; not part of `npm test`: it runs their
// unit tests once per mutant, tens of minutes a module on a 2-core machine). One module a run,
// named by CAREKIT_MUTATION_MODULE, with its own incremental file so that a run of one module
// keeps what the others learnt:
//   npm run test:mutation -- calendar
// Results: reports/mutation/<module>.html and .json; surviving mutants judged equivalent carry a
// `// Stryker disable next-line <mutator>: <reason>` comment and are listed in docs/testing.md.
const modules = ['calendar', 'sla', 'metrics'];
const module = process.env.CAREKIT_MUTATION_MODULE ?? 'calendar';
if (!modules.includes(module)) {
  throw new Error(`CAREKIT_MUTATION_MODULE is ${module}; it must be one of ${modules.join(', ')}`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: [`src/${module}/**/*.ts`, `!src/${module}/index.ts`],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${module}.html` },
  jsonReporter: { fileName: `reports/mutation/${module}.json` },
  thresholds: { high: 90, low: 85, break: 85 },
  concurrency: 2,
  timeoutMS: 5_000,
  incremental: true,
  incrementalFile: `tests/mutation/${module}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
export default config;
