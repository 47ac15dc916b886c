// Cheap checks of a public function's arguments at the boundary: a few `typeof` tests, never a
// walk over the input, so hot paths (stepSla, route) can afford them. A bad argument becomes a
// CarekitArgumentError with a code, a path starting at the parameter's name, and a sentence.
import { type ArgumentErrorCode, CarekitError, type CarekitIssue, formatPath } from './errors.js';

/**
 * A bad argument to a carekit function: the wrong type (`invalid_type`), a value out of range,
 * an object not made by the carekit function that makes it (`invalid_policy`, `invalid_calendar`,
 * ...), or one that could not be read (`unreadable_input`: a getter or Proxy that throws).
 * `path` starts at the parameter's name; `issues` holds the same problem as validation errors
 * list theirs, so both kinds can be reported alike.
 *
 * @example
 * ```ts
 * try {
 *   gini('many');
 * } catch (error) {
 *   if (error instanceof CarekitArgumentError) console.log(error.code, error.path);
 *   //=> 'invalid_type' ['values']
 * }
 * ```
 */
export class CarekitArgumentError<C extends string = string> extends CarekitError<C> {
  /** Where the problem is, from the parameter's name: `['event', 'type']`. */
  readonly path: readonly (string | number)[];
  /** The same problem as a carekit issue (code, path, message). */
  readonly issues: readonly CarekitIssue<C>[];

  constructor(code: C, path: readonly (string | number)[], message: string) {
    super(code, message);
    this.name = 'CarekitArgumentError';
    this.path = path;
    this.issues = [{ code, path, message }];
  }
}

/**
 * Describes any value in a few words for a message without reading a property of it (a Proxy
 * or a getter cannot throw here) and without copying a long string.
 *
 * @internal
 */
export function describeArgument(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return value.length > 40
        ? `a string of ${value.length} characters`
        : `the string ${JSON.stringify(value)}`;
    case 'number':
      return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'boolean':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      try {
        if (Array.isArray(value)) return 'an array';
        if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
      } catch {
        // A Proxy whose traps throw (instanceof asks for its prototype): an object all the same.
      }
      return 'an object';
  }
}

function at(fn: string, path: readonly (string | number)[]): string {
  return `${fn}: ${formatPath(path)}`;
}

/**
 * Throws `invalid_type` (or `code`) saying what the argument at `path` should have been.
 *
 * @internal
 */
export function badArgument<C extends string = ArgumentErrorCode>(
  fn: string,
  path: readonly (string | number)[],
  expected: string,
  value: unknown,
  code: C | 'invalid_type' = 'invalid_type',
): never {
  throw new CarekitArgumentError(
    code,
    path,
    `${at(fn, path)} must be ${expected}, got ${describeArgument(value)}`,
  );
}

/**
 * Reads `obj[key]`; a getter or Proxy that throws is `unreadable_input` at `path`.
 *
 * @internal
 */
export function readArgument(
  obj: object,
  key: string,
  fn: string,
  path: readonly (string | number)[],
): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (cause) {
    throw new CarekitArgumentError(
      'unreadable_input',
      path,
      `${at(fn, path)} could not be read (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
}

/**
 * Checks that an argument is a non-null object (not an array).
 *
 * @internal
 */
export function checkObject(
  value: unknown,
  fn: string,
  path: readonly (string | number)[],
  expected: string,
): object {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    badArgument(fn, path, expected, value);
  return value;
}

/**
 * Checks that an argument is an array of at most `max` items.
 *
 * @internal
 */
export function checkArray(
  value: unknown,
  fn: string,
  path: readonly (string | number)[],
  expected: string,
  max = Number.POSITIVE_INFINITY,
): readonly unknown[] {
  if (!Array.isArray(value)) badArgument(fn, path, expected, value);
  if (value.length > max) {
    throw new CarekitArgumentError(
      'too_big',
      path,
      `${at(fn, path)} has ${value.length} items; at most ${max} are allowed`,
    );
  }
  return value;
}

/**
 * Checks that an argument is a string of at most `max` characters.
 *
 * @internal
 */
export function checkString(
  value: unknown,
  fn: string,
  path: readonly (string | number)[],
  max: number,
  expected = 'a string',
): string {
  if (typeof value !== 'string') badArgument(fn, path, expected, value);
  if (value.length > max) {
    throw new CarekitArgumentError(
      'too_big',
      path,
      `${at(fn, path)} is ${value.length} characters long; at most ${max} are allowed`,
    );
  }
  return value;
}

/**
 * Checks that an argument is a finite number within `[min, max]`.
 *
 * @internal
 */
export function checkNumber(
  value: unknown,
  fn: string,
  path: readonly (string | number)[],
  expected = 'a finite number',
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    badArgument(fn, path, expected, value);
  return value;
}

/**
 * Checks that an argument is a function.
 *
 * @internal
 */
export function checkFunction<F extends (...args: never[]) => unknown>(
  value: unknown,
  fn: string,
  path: readonly (string | number)[],
  expected: string,
): F {
  if (typeof value !== 'function') badArgument(fn, path, expected, value);
  return value as F;
}

/**
 * Checks that an argument is one of a few strings.
 *
 * @internal
 */
export function checkOneOf<T extends string, C extends string = 'invalid_value'>(
  value: unknown,
  allowed: readonly T[],
  fn: string,
  path: readonly (string | number)[],
  code: C | 'invalid_value' = 'invalid_value',
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new CarekitArgumentError<C | 'invalid_value'>(
      code,
      path,
      `${at(fn, path)} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describeArgument(value)}`,
    );
  }
  return value as T;
}

/** The largest instant a `Date` can hold, in epoch ms. */
const MAX_INSTANT = 8.64e15;

/**
 * Checks an instant argument (`Date | number`, within the range of `Date`) and returns epoch ms.
 *
 * @internal
 */
export function checkInstant(value: unknown, fn: string, path: readonly (string | number)[]): number {
  let ms = Number.NaN;
  try {
    ms =
      typeof value === 'number'
        ? value
        : value instanceof Date
          ? Date.prototype.getTime.call(value)
          : Number.NaN;
  } catch {
    // A Proxy or an object pretending to be a Date: not an instant.
  }
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_INSTANT)
    badArgument(fn, path, 'a valid Date or epoch milliseconds within ±8.64e15', value, 'invalid_instant');
  return ms;
}

/**
 * Copies an options bag (or a policy in function form) into a plain object, reading each own
 * key once: a getter or Proxy that throws is `unreadable_input`, a string or an array is
 * `invalid_type` before any key is enumerated, and the copy can be read freely afterwards.
 * `allowed`, when given, refuses other keys (`unrecognized_keys`, the allowed ones listed).
 *
 * @internal
 */
export function readBag(
  value: unknown,
  fn: string,
  path: readonly (string | number)[],
  expected: string,
  allowed?: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  const bag = checkObject(value, fn, path, expected);
  const out: Record<string, unknown> = {};
  let keys: string[];
  try {
    keys = Object.keys(bag);
  } catch (cause) {
    throw new CarekitArgumentError(
      'unreadable_input',
      path,
      `${at(fn, path)} could not be read (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
  for (const key of keys) {
    if (allowed !== undefined && !allowed.includes(key)) {
      throw new CarekitArgumentError(
        'unrecognized_keys',
        [...path, key],
        `${at(fn, path)}: ${JSON.stringify(key.slice(0, 60))} is not an option; allowed: ${allowed.join(', ')}`,
      );
    }
    out[key] = readArgument(bag, key, fn, [...path, key]);
  }
  return out;
}

/**
 * Whether an argument is an instant (a `Date` or a number) rather than an options bag: tells a
 * deprecated positional `now` from the options object that replaced it.
 *
 * @internal
 */
export function isInstantArgument(value: unknown): value is Date | number {
  if (typeof value === 'number') return true;
  try {
    return value instanceof Date;
  } catch {
    // A proxy whose prototype cannot be read is not a Date: the options reader refuses it clearly.
    return false;
  }
}

/**
 * Reads an options bag that holds `now` (a `NowOptions`): its instant in epoch ms, or
 * `undefined` when absent. Keys other than `allowed` are refused (`unrecognized_keys`), a bad
 * `now` is `invalid_instant` at `[...path, 'now']`.
 *
 * @internal
 */
export function readNowOption(
  options: unknown,
  fn: string,
  path: readonly (string | number)[] = ['options'],
  allowed: readonly string[] = ['now'],
): number | undefined {
  const bag = readBag(options, fn, path, `an options object ({ ${allowed.join(', ')} })`, allowed);
  return bag.now === undefined ? undefined : checkInstant(bag.now, fn, [...path, 'now']);
}
