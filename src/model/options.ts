import { z } from 'zod';
import { checkFunction, checkString } from './arguments.js';
import { type CarekitIssue, CarekitValidationError, formatPath } from './errors.js';
import { checkSchema, safeParseInput } from './parse.js';

function describeNonObject(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return `an array of ${input.length} items`;
  if (typeof input === 'string') {
    return input.length > 40
      ? `a string of ${input.length} characters`
      : `the string ${JSON.stringify(input)}`;
  }
  if (typeof input === 'function') return 'a function';
  return `${typeof input} ${String(input)}`;
}

/** The keys an object schema allows at `path` (through optional, nullable, default and pipes). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | null {
  let current: z.ZodType | undefined = schema;
  let rest = [...path];
  for (let guard = 0; current !== undefined && guard < 64; guard++) {
    const def = (current as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    const type = def.type as string;
    if (type === 'optional' || type === 'nullable' || type === 'default' || type === 'prefault') {
      current = def.innerType as z.ZodType;
    } else if (type === 'pipe') current = def.in as z.ZodType;
    else if (type === 'object') {
      const shape = def.shape as Record<string, z.ZodType>;
      if (rest.length === 0) return Object.keys(shape);
      const [key, ...tail] = rest;
      current = shape[String(key)];
      rest = tail;
    } else return null;
  }
  return null;
}

/**
 * Reads an options bag (or a configuration) at a public function's boundary: `undefined` is
 * `{}`, anything but a plain object is refused at once with a short message (a 10 MB string is
 * never spread into properties), and the rest goes through the (strict) zod schema. An unknown
 * key is refused with the keys allowed there listed (`unrecognized_keys`); every other problem
 * has its carekit code and path, and a getter or Proxy that throws is `unreadable_input`.
 *
 * @param what - the function or thing the options are for, for the message (`'createTicketWorkflow options'`).
 * @throws {@link CarekitValidationError} with every problem found.
 * @example
 * ```ts
 * const Options = z.strictObject({ limit: z.number().int().positive().default(10) });
 * parseOptions(Options, undefined, 'search options');
 * //=> { limit: 10 }
 * parseOptions(Options, { limt: 5 }, 'search options');
 * //=> throws: "limt" is not an option of search options; allowed: limit [unrecognized_keys]
 * parseOptions(Options, 'x'.repeat(1e6), 'search options');
 * //=> throws: expected an options object, got a string of 1000000 characters [invalid_type]
 * ```
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  checkSchema(schema, 'parseOptions');
  checkString(what, 'parseOptions', ['what'], 200, 'a short name of the options, for messages');
  const value = input === undefined ? {} : input;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CarekitValidationError(
      [
        {
          code: 'invalid_type',
          path: [],
          message: `(root): expected an options object for ${what}, got ${describeNonObject(value)}`,
        },
      ],
      what,
    );
  }
  const result = safeParseInput(schema, value, what);
  if (result.success) return result.data;
  const issues: CarekitIssue[] = result.error.issues.map((issue) => {
    if (issue.code !== 'unrecognized_keys') return issue;
    const allowed = keysAt(schema, issue.path);
    const unknown =
      issue.message
        .replace(/\(put your own data[^)]*\)/, '')
        .match(/"[^"]*"/g)
        ?.join(', ') ?? 'a key';
    const where = issue.path.length === 0 ? what : `${formatPath(issue.path)} of ${what}`;
    return {
      ...issue,
      message: `${formatPath(issue.path)}: ${unknown} ${unknown.includes(',') ? 'are not options' : 'is not an option'} of ${where}${allowed ? `; allowed: ${allowed.join(', ')}` : ''}`,
    };
  });
  throw new CarekitValidationError(issues, what);
}

/** A schema for a function-valued option (a policy in function form, a hook). */
export function functionOption<F extends (...args: never[]) => unknown>(description: string): z.ZodType<F> {
  checkString(description, 'functionOption', ['description'], 200, 'a short description of the function');
  return z.custom<F>((v) => typeof v === 'function', {
    message: `expected a function (${description})`,
    params: { code: 'invalid_type' },
  });
}

/** A schema for an object-valued option made by another carekit function (checked by `isIt`). */
export function objectOption<T>(isIt: (v: object) => boolean, description: string): z.ZodType<T> {
  checkFunction(isIt, 'objectOption', ['isIt'], 'a function telling whether a value is the object wanted');
  checkString(description, 'objectOption', ['description'], 200, 'a short description of the object');
  return z.custom<T>((v) => v !== null && typeof v === 'object' && isIt(v), {
    message: `expected ${description}`,
    params: { code: 'invalid_type' },
  });
}

/**
 * The base of every options bag that reads the clock, as date-fns's `ContextOptions` is: `now`
 * as a `Date` or epoch milliseconds (an invalid `Date` is refused with `invalid_instant`). A
 * function that takes it reads `now` here, never as a positional argument.
 *
 * @example
 * ```ts
 * const options: NowOptions = { now: new Date('2026-11-23T09:00:00Z') };
 * ```
 */
export interface NowOptions {
  /** The instant to evaluate at: a `Date` or epoch milliseconds. */
  readonly now?: Date | number;
}
