// Runs one batch of fuzz calls and prints one JSON line per call. Started by fuzz.integration.test.ts
// with a time and memory limit; a hang or a crash shows as a missing or cut-off output.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATALOGUE, VALUE_NAMES } from './catalogue.js';

const [subpath, names] = [process.argv[2]!, process.argv[3]!.split(',')];
const root = resolve(import.meta.dirname, '../..');
const file = subpath === 'cli' ? 'src/cli/carekit.ts' : `src/${subpath}/index.ts`;
if (subpath === 'cli') {
  // The command prints its errors; the child's stdout carries only the results.
  console.log = () => {};
  console.error = () => {};
}
const mod = (await import(pathToFileURL(resolve(root, file)).href)) as Record<string, unknown>;
const { CarekitError } = (await import(pathToFileURL(resolve(root, 'src/model/index.ts')).href)) as {
  CarekitError: new (...a: never[]) => Error & { code: string };
};

function printable(make: () => unknown): string {
  try {
    const v = make();
    return typeof v === 'symbol' ? 'symbol' : String(v).slice(0, 200);
  } catch {
    return 'unprintable';
  }
}

type Outcome = 'carekit' | 'other_error' | 'silent_invalid' | 'returned';

function isSilentInvalid(value: unknown): boolean {
  if (typeof value === 'number') return Number.isNaN(value);
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return false;
}

async function settle(value: unknown): Promise<unknown> {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function'
  ) {
    return await Promise.race([
      value,
      new Promise((_, reject) => setTimeout(() => reject(new Error('promise did not settle in 2 s')), 2_000)),
    ]);
  }
  return value;
}

for (const name of names) {
  const fn = mod[name] as (...args: unknown[]) => unknown;
  for (const valueName of VALUE_NAMES) {
    for (const shape of ['first', 'all'] as const) {
      const bad = CATALOGUE[valueName]!;
      const args =
        subpath === 'cli'
          ? [
              [
                shape === 'first' ? 'validate' : 'report',
                shape === 'first' ? '--config' : '--events',
                printable(bad),
              ],
            ]
          : shape === 'first'
            ? [bad()]
            : Array.from({ length: Math.max(2, fn.length) }, () => bad());
      let outcome: Outcome;
      let detail = '';
      const started = performance.now();
      try {
        const result = await settle(fn(...args));
        outcome = isSilentInvalid(result) ? 'silent_invalid' : 'returned';
        if (subpath === 'cli' && ![0, 1, 2, 3].includes(result as number)) outcome = 'other_error';
      } catch (error) {
        if (error instanceof CarekitError && typeof error.code === 'string') outcome = 'carekit';
        else {
          outcome = 'other_error';
          detail = String((error as Error)?.message ?? error).slice(0, 120);
        }
      }
      process.stdout.write(
        `${JSON.stringify({ name, value: valueName, shape, outcome, detail, ms: Math.round(performance.now() - started) })}\n`,
      );
    }
  }
}
