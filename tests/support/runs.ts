// Run budgets for property tests, in one place, so that the suite passes on a busy 2-core machine
// and can be run harder on purpose.
//
// - `CAREKIT_PROPERTY_RUNS=<factor>` multiplies every property's runs and time budget
//   (`CAREKIT_PROPERTY_RUNS=10` for a long hunt, `0.1` for a quick look).
// - Under `CI` (any value but `false` or `0`), runs are halved: CI machines are shared too.
// - Otherwise every property runs its base count, within a time budget (20 s unless told).
//
// A property interrupted by its time budget passes with the runs it made (fast-check's
// `interruptAfterTimeLimit`): on a loaded machine it checks fewer cases instead of failing on a
// timeout. The test timeout (vitest.config.ts) is derived from the same factor, so a budget always
// ends before vitest gives up.
import { availableParallelism, loadavg } from 'node:os';
import type { Parameters } from 'fast-check';

function parseFactor(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new Error(
      `CAREKIT_PROPERTY_RUNS must be a positive number (a factor on every run budget), not ${raw}`,
    );
  }
  return factor;
}

const ci =
  process.env.CI !== undefined &&
  process.env.CI !== '' &&
  process.env.CI !== 'false' &&
  process.env.CI !== '0';

/** The factor on every property's runs: `CAREKIT_PROPERTY_RUNS`, else 0.5 under `CI`, else 1. */
export const runFactor: number = parseFactor(process.env.CAREKIT_PROPERTY_RUNS) ?? (ci ? 0.5 : 1);

/** The factor on time budgets: more runs get more time, fewer runs keep the base time. */
export const timeFactor: number = Math.max(1, runFactor);

/**
 * How much slower than alone this machine runs a test now: `CAREKIT_TIME_FACTOR`, else the load
 * average per core when the test process starts, from 1 to 4. Vitest's timeouts (never the
 * properties' budgets, so a busy machine checks fewer cases rather than running longer) are
 * stretched by it: a test timeout is there to catch a hang, not a machine shared with other jobs.
 */
export const loadFactor: number =
  parseFactor(process.env.CAREKIT_TIME_FACTOR) ??
  Math.min(4, Math.max(1, loadavg()[0]! / availableParallelism()));

/** A vitest timeout of `ms` on this machine now: stretched by the run factor and the load. */
export function slow(ms: number): number {
  return Math.round(ms * timeFactor * loadFactor);
}

/** How many runs a property with `base` runs makes here (at least one). */
export function runsOf(base: number): number {
  return Math.max(1, Math.round(base * runFactor));
}

/**
 * fast-check parameters for a property of `base` runs within `seconds` (default 20): spread them
 * into `test.prop([...], propertyRuns(60))` or `fc.assert(property, propertyRuns(60))`.
 */
export function propertyRuns(
  base: number,
  seconds = 20,
): { numRuns: number; interruptAfterTimeLimit: number } {
  return {
    numRuns: runsOf(base),
    interruptAfterTimeLimit: Math.round(seconds * 1000 * timeFactor),
  } satisfies Parameters<unknown>;
}

/** A vitest timeout for a property test: `ms`, stretched as the time budgets are and by the load. */
export function propertyTimeout(ms: number): number {
  return slow(ms);
}
