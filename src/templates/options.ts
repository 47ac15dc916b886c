import { z } from 'zod';
import { Channel } from '../model/enums.js';
import { type CarekitIssue, CarekitValidationError, toCarekitIssues } from '../model/errors.js';
import { closest } from './suggest.js';

/** A limit: a positive whole number (NaN, Infinity, strings, zero and negatives are refused). */
const Limit = z.int().positive().max(Number.MAX_SAFE_INTEGER);

/** The limits of a template, each one optional. */
export const TemplateLimitsSchema = z.strictObject({
  maxTemplateLength: Limit.optional(),
  maxLoopIterations: Limit.optional(),
  maxOutputLength: Limit.optional(),
  maxRenderDepth: Limit.optional(),
  maxNestingDepth: Limit.optional(),
  maxRenderTime: Limit.optional(),
});

const isFunction = (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function';
const FilterFunction = z.custom<(...args: unknown[]) => unknown>(isFunction, 'expected a function');
const DateLocale = z.custom<object>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected a date-fns locale',
);

const environment = {
  locale: z.string().min(1).max(100).optional(),
  timeZone: z.string().min(1).max(100).optional(),
  currency: z.string().min(1).max(100).optional(),
  dateLocale: DateLocale.optional(),
};

/** The options of `compileTemplate`, strictly. */
export const CompileOptionsSchema = z.strictObject({
  ...environment,
  channel: Channel.optional(),
  escape: z.boolean().optional(),
  filters: z.record(z.string(), FilterFunction).optional(),
  partials: z.record(z.string(), z.string()).optional(),
  limits: TemplateLimitsSchema.optional(),
});

/** The options of one render, strictly. */
export const RenderOptionsSchema = z.strictObject({ ...environment, strict: z.boolean().optional() });

function keysOf(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape);
}

/** Unknown keys of `input` (and of its nested option objects), each with the keys allowed there. */
function unknownKeys(input: unknown, schema: z.ZodObject, path: (string | number)[]): CarekitIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  const allowed = keysOf(schema);
  const issues: CarekitIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) {
      const suggestion = closest(key, allowed);
      const where = [...path, key].join('.');
      issues.push({
        code: 'unrecognized_keys',
        path: [...path, key],
        message: `${where}: is not an option${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; the options are ${allowed.join(', ')}`,
      });
      continue;
    }
    const inner = schema.shape[key];
    const unwrapped = inner instanceof z.ZodOptional ? inner.unwrap() : inner;
    if (unwrapped instanceof z.ZodObject)
      issues.push(...unknownKeys((input as Record<string, unknown>)[key], unwrapped, [...path, key]));
  }
  return issues;
}

/**
 * Checks an options bag against a strict schema: unknown keys are refused with the allowed keys
 * listed (and a "did you mean"), values with zod's rules. Returns the input when it is valid.
 */
export function checkOptions<S extends z.ZodObject>(schema: S, input: unknown, what: string): z.output<S> {
  if (input === undefined) return {} as z.output<S>;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const got = input === null ? 'null' : Array.isArray(input) ? 'an array' : `a ${typeof input}`;
    throw new CarekitValidationError(
      [{ code: 'invalid_type', path: [], message: `(root): the ${what} must be an object, got ${got}` }],
      what,
    );
  }
  let result: ReturnType<S['safeParse']>;
  let early: ReturnType<typeof unknownKeys>;
  try {
    early = unknownKeys(input, schema, []);
    if (early.length > 0) throw new CarekitValidationError(early, what);
    result = schema.safeParse(input) as ReturnType<S['safeParse']>;
  } catch (cause) {
    if (cause instanceof CarekitValidationError) throw cause;
    throw new CarekitValidationError(
      [
        {
          code: 'unreadable_input',
          path: [],
          message: `(root): the ${what} could not be read (${cause instanceof Error ? cause.message : String(cause)})`,
        },
      ],
      what,
    );
  }
  if (!result.success) throw new CarekitValidationError(toCarekitIssues(result.error.issues, input), what);
  return input as z.output<S>;
}
