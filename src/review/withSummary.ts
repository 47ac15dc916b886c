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
  const mark = (target: object) =>
    Object.defineProperty(target, 'summary', { value: summary, enumerable: false, configurable: true });
  mark(value);
  if (typeof value === 'object') {
    for (const key of ['test', 'key', 'classify']) {
      const fn = (value as Record<string, unknown>)[key];
      if (typeof fn === 'function' && !Object.hasOwn(fn, 'summary')) mark(fn);
    }
  }
  return value as T & { readonly summary: string };
}
