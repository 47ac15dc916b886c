// Setup of the mutation runs (vitest.stryker.config.ts): one fast-check seed for every property,
// so a mutant is killed or survives the same way on every run and Stryker's incremental file stays
// true. The run budgets come from CAREKIT_PROPERTY_RUNS, which `npm run test:mutation` sets.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 20261202 });
