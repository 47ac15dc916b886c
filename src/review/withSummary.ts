import { badArgument, CarekitArgumentError, checkString } from '../model/arguments.js';
import type { ReviewErrorCode } from './errors.js';

/** A Date (a Proxy whose prototype cannot be read is not one; marking it fails clearly below). */
function isDate(value: object): boolean {
  try {
    return value instanceof Date;
  } catch {
    return false;
  }
}

/**
 * Gives a piece of custom code (a routing filter or strategy, a classifier, an escalation rule
 * or function) the summary review documents show beside its name. TSDoc comments do not exist at
 * run time, so copy the comment's first sentence here. The value is returned as it is, with a
 * read-only `summary` property added; an object's `test`, `key` or `classify` function carries it
 * too, so it survives a factory that keeps the function and not the object
 * (`createEscalationPolicy` keeps a function rule's `id`, `test` and `actions`).
 *
 * @example
 * ```ts
 * const vipFirst = withSummary(
 *   { name: 'vipFirst', test: (agent, ticket) => ticket.segment !== 'vip' || agent.tier >= 2 },
 *   'VIP customers are served by tier 2 or above.',
 * );
 * describeDesk(config, { extra: { router: { filters: [vipFirst, 'withinCapacity'] } } });
 * // names `vipFirst` (custom code: VIP customers are served by tier 2 or above.)
 * ```
 */
export function withSummary<T extends object>(value: T, summary: string): T & { readonly summary: string } {
  if (
    value === null ||
    (typeof value !== 'object' && typeof value !== 'function') ||
    Array.isArray(value) ||
    isDate(value)
  ) {
    badArgument<ReviewErrorCode>(
      'withSummary',
      ['value'],
      'a function or a policy object (a filter, a strategy, a classifier)',
      value,
    );
  }
  checkString(summary, 'withSummary', ['summary'], 2000, 'a sentence (a string)');
  const mark = (target: object) =>
    Object.defineProperty(target, 'summary', { value: summary, enumerable: false, configurable: true });
  try {
    mark(value);
    if (typeof value === 'object') {
      for (const key of ['test', 'key', 'classify']) {
        const fn = (value as Record<string, unknown>)[key];
        if (typeof fn === 'function' && !Object.hasOwn(fn, 'summary')) mark(fn);
      }
    }
  } catch (cause) {
    throw new CarekitArgumentError<ReviewErrorCode>(
      'unreadable_input',
      ['value'],
      `withSummary: value could not be marked (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
  return value as T & { readonly summary: string };
}
