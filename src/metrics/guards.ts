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
export class MetricsArgumentError extends CarekitError {
  readonly path: readonly (string | number)[];
  /** The same problem as a carekit issue (code, path, message), as validation errors list them. */
  readonly issues: readonly CarekitIssue[];

  constructor(code: string, path: readonly (string | number)[], message: string) {
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
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
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
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i] as { factsVersion?: unknown } | null;
    if (typeof f !== 'object' || f === null || f.factsVersion !== TICKET_FACTS_VERSION) checkFact(f, fn, [i]);
  }
}

/**
 * Checks one item of a stream of facts (what the fact accumulators' `add` does).
 *
 * @internal
 */
export function checkFact(f: unknown, fn: string, path: (string | number)[] = []): void {
  if (
    typeof f === 'object' &&
    f !== null &&
    (f as { factsVersion?: unknown }).factsVersion === TICKET_FACTS_VERSION
  )
    return;
  const version =
    typeof f === 'object' && f !== null ? (f as { factsVersion?: unknown }).factsVersion : undefined;
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
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CarekitValidationError(
      [
        {
          code: 'invalid_type',
          path: [],
          message: `${fn} options: expected an object, got ${describe(input)}`,
        },
      ],
      `${fn} options`,
    );
  }
  const result = schema.safeParse(input);
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
