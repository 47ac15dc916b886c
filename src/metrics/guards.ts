// Cheap checks at the boundary of the metrics functions: options bags are strict zod objects,
// facts carry the version `ticketFacts` stamps. A local helper: the model module is getting a
// shared one on another branch, and the two are to be unified.

import { z } from 'zod';
import {
  CarekitError,
  type CarekitIssue,
  CarekitValidationError,
  formatPath,
  toCarekitIssues,
} from '../model/errors.js';
import type { MetricsErrorCode } from './errors.js';
import { TICKET_FACTS_VERSION } from './factsVersion.js';

/**
 * A bad argument to a metrics function: not facts made by `ticketFacts` (`invalid_facts`), or a
 * definition name it does not know (`unknown_definition`). `path` says where, from the argument.
 *
 * @example
 * ```ts
 * try {
 *   fcr([{ ticketId: 'T-1' }]);
 * } catch (error) {
 *   if (error instanceof MetricsArgumentError) console.log(error.code, error.path);
 *   //=> 'invalid_facts' [0]
 * }
 * ```
 */
export class MetricsArgumentError extends CarekitError<MetricsErrorCode> {
  readonly path: readonly (string | number)[];
  /** The same problem as a carekit issue (code, path, message), as validation errors list them. */
  readonly issues: readonly CarekitIssue<MetricsErrorCode>[];

  constructor(code: MetricsErrorCode, path: readonly (string | number)[], message: string) {
    super(code, message);
    this.name = 'MetricsArgumentError';
    this.path = path;
    this.issues = [{ code, path, message }];
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return isPlain(value) ? 'an object' : 'an object that is not plain data';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}

const factsAdvice = 'derive them with ticketFacts(events, options) from this version of carekit';

/**
 * Checks that `facts` is an array of facts made by `ticketFacts` (one property read per item: the
 * version stamp), so a hand-made or stale array fails clearly instead of computing nonsense.
 *
 * @internal
 */
export function checkFacts(facts: unknown, fn: string): void {
  if (!Array.isArray(facts))
    throw new MetricsArgumentError(
      'invalid_facts',
      [],
      `${fn}: expected an array of ticket facts, got ${describe(facts)}; ${factsAdvice}`,
    );
  let i = 0;
  try {
    for (; i < facts.length; i++) {
      const f = facts[i] as { factsVersion?: unknown } | null;
      if (typeof f !== 'object' || f === null || f.factsVersion !== TICKET_FACTS_VERSION)
        checkFact(f, fn, [i]);
    }
  } catch (error) {
    throw error instanceof CarekitError ? error : unreadable(fn, [i], error);
  }
}

/** A getter or a Proxy that throws when read: a bad argument, not a crash. */
function unreadable(fn: string, path: (string | number)[], error: unknown): MetricsArgumentError {
  return new MetricsArgumentError(
    'unreadable_argument',
    path,
    `${fn}: ${path.length ? formatPath(path) : 'the argument'} could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'it threw'}); pass plain data`,
  );
}

/**
 * Runs a check that reads a caller's value, turning a throwing getter or Proxy into a carekit
 * error with a code.
 *
 * @internal
 */
export function readSafely<T>(fn: string, path: (string | number)[], read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof CarekitError ? error : unreadable(fn, path, error);
  }
}

/** Checks that `acc` has the four operations of an accumulator. @internal */
export function checkAccumulator(acc: unknown, fn: string): void {
  readSafely(fn, ['acc'], () => {
    const a = acc as Record<string, unknown> | null;
    if (typeof a !== 'object' || a === null)
      throw new MetricsArgumentError(
        'invalid_accumulator',
        ['acc'],
        `${fn}: expected an accumulator { empty, add, merge, result } (e.g. npsAccumulator()), got ${describe(acc)}`,
      );
    for (const op of ['empty', 'add', 'merge', 'result'])
      if (typeof a[op] !== 'function')
        throw new MetricsArgumentError(
          'invalid_accumulator',
          ['acc', op],
          `${fn}: the accumulator has no ${op} function (an accumulator has empty, add, merge and result)`,
        );
  });
}

/** Checks that `items` can be iterated (an array, a Set, a generator). @internal */
export function checkIterable(items: unknown, fn: string): void {
  readSafely(fn, ['items'], () => {
    if (
      typeof items !== 'object' ||
      items === null ||
      typeof (items as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
    )
      throw new MetricsArgumentError(
        'invalid_argument',
        ['items'],
        `${fn}: items must be iterable (an array of items), got ${describe(items)}`,
      );
  });
}

/** Checks a function argument (a pick, a predicate). @internal */
export function checkFunction(value: unknown, fn: string, name: string): void {
  if (typeof value !== 'function')
    throw new MetricsArgumentError(
      'invalid_argument',
      [name],
      `${fn}: ${name} must be a function, got ${describe(value)}`,
    );
}

/** Checks a non-empty string argument of at most 1,000 characters (a name, a definition). @internal */
export function checkName(value: unknown, fn: string, name: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1_000)
    throw new MetricsArgumentError(
      'invalid_argument',
      [name],
      `${fn}: ${name} must be a non-empty string of at most 1,000 characters, got ${describe(value)}`,
    );
}

/** Checks a finite number argument (an instant, a value). @internal */
export function checkFinite(value: unknown, fn: string, name: string, what = 'a finite number'): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new MetricsArgumentError(
      'invalid_argument',
      [name],
      `${fn}: ${name} must be ${what}, got ${describe(value)}`,
    );
}

/**
 * Checks an array of survey scores: finite numbers, within `[min, max]` when given.
 *
 * @internal
 */
export function checkScores(scores: unknown, fn: string, min = -Infinity, max = Infinity): void {
  if (!Array.isArray(scores))
    throw new MetricsArgumentError(
      'invalid_scores',
      [],
      `${fn}: expected an array of scores (numbers), got ${describe(scores)}`,
    );
  readSafely(fn, [], () => {
    for (let i = 0; i < scores.length; i++) {
      const v = scores[i];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
        throw new MetricsArgumentError(
          'invalid_scores',
          [i],
          `${fn}: ${formatPath([i])} is ${describe(v)}, not a score${Number.isFinite(min) ? ` from ${min} to ${max}` : ' (a finite number)'}`,
        );
    }
  });
}

/**
 * Checks one item of a stream of facts (what the fact accumulators' `add` does).
 *
 * @internal
 */
export function checkFact(f: unknown, fn: string, path: (string | number)[] = []): void {
  let version: unknown;
  try {
    version =
      typeof f === 'object' && f !== null ? (f as { factsVersion?: unknown }).factsVersion : undefined;
  } catch (error) {
    throw unreadable(fn, path, error);
  }
  if (version === TICKET_FACTS_VERSION) return;
  const what =
    typeof f !== 'object' || f === null || Array.isArray(f)
      ? describe(f)
      : version === undefined
        ? 'an object without factsVersion (not made by ticketFacts)'
        : `facts of version ${JSON.stringify(version)} (this carekit reads version ${TICKET_FACTS_VERSION})`;
  throw new MetricsArgumentError(
    'invalid_facts',
    path,
    `${fn}: ${path.length ? `${formatPath(path)} is ` : ''}${what}, not ticket facts; ${factsAdvice}`,
  );
}

/**
 * Parses an options bag with a strict zod object: `undefined` is `{}`; an unknown key is refused
 * with the allowed keys listed; every problem is a carekit issue with a code and a path.
 * Validated bags are remembered (by identity), so a bag reused across calls is checked once.
 *
 * @internal
 */
export function parseOptions<T extends object>(schema: z.ZodObject, input: unknown, fn: string): T {
  if (input === undefined) return {} as T;
  if (typeof input === 'object' && input !== null && checked.has(input)) return input as T;
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !isPlain(input)) {
    throw new CarekitValidationError(
      [
        {
          code: 'invalid_type',
          path: [],
          message: `${fn} options: expected a plain object, got ${describe(input)}`,
        },
      ],
      `${fn} options`,
    );
  }
  let result: ReturnType<z.ZodObject['safeParse']>;
  try {
    result = schema.safeParse(input);
  } catch (error) {
    // A getter or a Proxy in the bag threw while it was read.
    throw new CarekitValidationError(
      [
        {
          code: 'unreadable_input',
          path: [],
          message: `${fn} options: the options could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'they threw'}); pass a plain object`,
        },
      ],
      `${fn} options`,
    );
  }
  if (!result.success) {
    const allowed = Object.keys(schema.shape).join(', ');
    const issues = result.error.issues.flatMap((issue): CarekitIssue[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            code: 'unknown_option',
            path: [...issue.path.map(String), key],
            message: `${fn} options: unknown option ${JSON.stringify(key)}; the allowed options are ${allowed}`,
          }))
        : toCarekitIssues([issue], input).map((i) => ({ ...i, message: `${fn} options: ${i.message}` })),
    );
    throw new CarekitValidationError(issues, `${fn} options`);
  }
  checked.add(input);
  // The input itself, not zod's copy: option values are often objects (calendars, policies) and
  // functions whose identity matters; the schema only checked them.
  return input as T;
}

const checked = new WeakSet<object>();

/** A plain object (an object literal, or made with `Object.create(null)`); false for a throwing Proxy. */
function isPlain(value: object): boolean {
  try {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/** A function option (a predicate, a picker). @internal */
export const fnOption = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  message: 'expected a function',
});

/** An object option (a calendar, a policy) checked only for being an object. @internal */
export const objectOption = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    message: `expected ${what}`,
  });

/** A duration in ms: finite and not negative. @internal */
export const msOption = z.number().finite().nonnegative();
