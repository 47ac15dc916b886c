import type { z } from 'zod';

/**
 * The codes of the argument checks every module shares; each module's own code union includes them.
 * `invalid_type` (the wrong kind of value), `invalid_value` (not one of the allowed strings),
 * `invalid_instant` (not a valid `Date` or epoch ms), `too_big` (too many items or characters),
 * `unreadable_input` (a getter or Proxy threw), `unrecognized_keys` (an option that does not exist).
 */
export type ArgumentErrorCode =
  | 'invalid_type'
  | 'invalid_value'
  | 'invalid_instant'
  | 'too_big'
  | 'unreadable_input'
  | 'unrecognized_keys';

/**
 * The codes of the errors `carekit/model` throws: `invalid_input` (a {@link CarekitValidationError}, whose
 * issues carry their own codes), the shared argument codes and the model's own.
 */
export type ModelErrorCode =
  | ArgumentErrorCode
  | 'invalid_duration'
  | 'invalid_erasure_request'
  | 'invalid_input'
  | 'invalid_path'
  | 'invalid_schema'
  | 'unredactable_field';

/**
 * One problem found in an input: a stable `code`, where it was (`path`) and a sentence for a person.
 * `C` narrows the code where the issues' codes are known (a module's `...ErrorCode` union).
 */
export interface CarekitIssue<C extends string = string> {
  /** Machine-readable and stable across releases, e.g. `invalid_type`, `unknown_event_type`. */
  readonly code: C;
  /** Where the problem is, from the root of the input: `['customer', 'email']`. */
  readonly path: readonly (string | number)[];
  /** What was wrong, where, and what would be right. */
  readonly message: string;
}

/**
 * The base class of every error carekit throws on purpose. It always has a stable `code`; each
 * module declares its codes once as a union (`CalendarErrorCode`, `SlaErrorCode`, ...) and throws
 * `CarekitError<ThatUnion>`, so a misspelt code is a type error where it is thrown, and a caller
 * can narrow `error.code` to the union of the module it called.
 *
 * @example
 * ```ts
 * try {
 *   parseTicketEvent({});
 * } catch (error) {
 *   if (error instanceof CarekitError) console.log(error.code);
 *   //=> 'invalid_input'
 * }
 * ```
 */
export class CarekitError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CarekitError';
    this.code = code;
  }
}

/**
 * Thrown when input from outside does not match a carekit schema. Nothing was changed.
 * `issues` lists every problem found, each with a `code`, a `path` and a `message`.
 *
 * @example
 * ```ts
 * const result = safeParseTicketEvent({ type: 'ticket.closed', id: 'e1', ticketId: 't1', at: 'yesterday' });
 * if (!result.success) console.log(result.error.issues[0]);
 * //=> { code: 'invalid_instant', path: ['at'], message: 'at: expected an ISO 8601 date-time with an offset ...' }
 * ```
 */
export class CarekitValidationError extends CarekitError<'invalid_input'> {
  readonly issues: readonly CarekitIssue[];

  constructor(issues: readonly CarekitIssue[], what = 'input') {
    const shown = issues.slice(0, 5).map((issue) => `  - ${issue.message}`);
    if (issues.length > 5) shown.push(`  - ... and ${issues.length - 5} more`);
    super(
      'invalid_input',
      `Invalid ${what}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${shown.join('\n')}`,
    );
    this.name = 'CarekitValidationError';
    this.issues = issues;
  }
}

/** Renders a path the way a person writes it: `customer.tags[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (!Array.isArray(path)) {
    throw new CarekitError<ModelErrorCode>(
      'invalid_path',
      `formatPath needs an array of keys, got ${path === null ? 'null' : typeof path}`,
    );
  }
  let out = '';
  // A path deeper than any schema is cut: the message stays a line.
  for (const key of path.slice(0, 100)) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

const EXPECTED_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  record: 'an object',
  date: 'a valid Date',
};

function expectedName(expected: string): string {
  return EXPECTED_NAMES[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (value instanceof Date && Number.isNaN(value.getTime())) return 'an invalid Date';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `${typeof value} ${String(value)}`;
}

function sentenceFor(issue: z.core.$ZodIssue, input: unknown): { code: string; text: string } {
  switch (issue.code) {
    case 'invalid_type': {
      const received = valueAt(input, issue.path);
      return received.found
        ? {
            code: 'invalid_type',
            text: `expected ${expectedName(issue.expected)}, got ${describeValue(received.value)}`,
          }
        : { code: 'required', text: `is required (expected ${expectedName(issue.expected)})` };
    }
    case 'too_big':
      return {
        code: 'too_big',
        text:
          issue.origin === 'string'
            ? `is too long: at most ${issue.maximum} characters`
            : issue.origin === 'array'
              ? `has too many items: at most ${issue.maximum}`
              : `must be at most ${issue.maximum}`,
      };
    case 'too_small':
      return {
        code: 'too_small',
        text:
          issue.origin === 'string'
            ? Number(issue.minimum) === 1
              ? 'must not be empty'
              : `is too short: at least ${issue.minimum} characters`
            : issue.origin === 'array'
              ? `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`
              : `must be at least ${issue.minimum}`,
      };
    case 'invalid_value':
      return {
        code: 'invalid_value',
        text: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'unrecognized_keys':
      return {
        code: 'unrecognized_keys',
        text: `has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (put your own data under "meta")`,
      };
    case 'invalid_format':
      return { code: 'invalid_format', text: `is not a valid ${issue.format}` };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', text: `must be a multiple of ${issue.divisor}` };
    case 'custom': {
      const code = typeof issue.params?.code === 'string' ? issue.params.code : 'custom';
      return { code, text: issue.message };
    }
    default:
      return { code: issue.code, text: issue.message };
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return { found: false };
    if (!Object.hasOwn(current, key)) return { found: false };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: current !== undefined, value: current };
}

const JS_TYPE_OF_EXPECTED: Record<string, string> = {
  int: 'number',
  number: 'number',
  string: 'string',
  boolean: 'boolean',
  object: 'object',
  array: 'object',
};

function isWrongBranchType(inner: z.core.$ZodIssue, at: readonly PropertyKey[], input: unknown): boolean {
  if (inner.code !== 'invalid_type' || inner.path.length > 0) return false;
  const { value } = valueAt(input, at);
  // An invalid Date is still the Date branch's type: its sentence says why it is refused.
  if (inner.expected === 'date') return !(value instanceof Date);
  return JS_TYPE_OF_EXPECTED[inner.expected] !== typeof value;
}

/**
 * Converts zod issues into carekit issues with stable codes and sentences a person understands.
 * Issues inside a union are flattened to the branch that matched best.
 */
export function toCarekitIssues(issues: readonly z.core.$ZodIssue[], input: unknown): CarekitIssue[] {
  const out: CarekitIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch with the fewest problems: that is the one the author meant.
      // A branch that failed only on its type at the top is the least likely to be meant.
      const score = (branch: readonly z.core.$ZodIssue[]) =>
        branch.length + (branch.every((inner) => isWrongBranchType(inner, issue.path, input)) ? 0.5 : 0);
      const best = issue.errors.reduce((a, b) => (score(b) < score(a) ? b : a));
      out.push(
        ...toCarekitIssues(
          best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })),
          input,
        ),
      );
      continue;
    }
    const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
    const { code, text } = sentenceFor(issue, input);
    out.push({ code, path, message: `${formatPath(path)}: ${text}` });
  }
  return out;
}
