// Conditions compiled once into closures, for the rule sets `defineRules` builds: a trigger's
// condition is read after every event of its type, and walking the tree as data (`'all' in c`,
// `Array.isArray(value)`, the operator's switch) costs more than the test itself.
import { Priority } from '../model/index.js';
import type { RuleTicket } from './ruleTicket.js';
import type { RuleCondition, RuleOp, RuleProp } from './schema.js';

/** A compiled condition: whether it holds for a ticket. */
export type CompiledCondition = (ticket: RuleTicket) => boolean;

/** The model's priority order, as a prototype-free lookup (`'constructor'` is not a priority). */
const PRIORITY_RANK: Readonly<Record<string, number>> = Object.assign(
  Object.create(null) as Record<string, number>,
  Object.fromEntries(Priority.options.map((p, i) => [p, i])),
);
const never = (): boolean => false;
const always: CompiledCondition = () => true;

function isPresent(value: unknown): boolean {
  return !(
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * The test `compare(actual, op, value, isPriority)` of evaluateCondition.ts as a function of
 * `actual` alone, with everything that depends on `op` and `value` decided here.
 */
export function compileCompare(
  op: RuleOp,
  value: unknown,
  isPriority: boolean,
): (actual: unknown) => boolean {
  switch (op) {
    case 'is':
      return (a) => a === value;
    case 'is_not':
      return (a) => a !== value;
    case 'in': {
      if (!Array.isArray(value)) return never;
      const list = value as readonly unknown[];
      return (a) => list.includes(a);
    }
    case 'not_in': {
      if (!Array.isArray(value)) return never;
      const list = value as readonly unknown[];
      return (a) => !list.includes(a);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const test =
        op === 'gt'
          ? (a: number, b: number) => a > b
          : op === 'gte'
            ? (a: number, b: number) => a >= b
            : op === 'lt'
              ? (a: number, b: number) => a < b
              : (a: number, b: number) => a <= b;
      if (isPriority) {
        // Only a priority name has a rank: `PRIORITY_RANK[['low']]` would read 'low' (an array
        // coerced to its text), where the interpreter finds no rank (compiled.prop.test.ts).
        const rankOf = (p: unknown) =>
          typeof p === 'string' && Object.hasOwn(PRIORITY_RANK, p)
            ? (PRIORITY_RANK[p as keyof typeof PRIORITY_RANK] as number)
            : undefined;
        const b = rankOf(value);
        if (b === undefined) return never;
        return (a) => {
          const rank = rankOf(a);
          return rank !== undefined && test(rank, b);
        };
      }
      if (typeof value === 'number') return (a) => typeof a === 'number' && test(a, value);
      // Dates written YYYY-MM-DD compare as strings.
      if (typeof value === 'string')
        return (a) => typeof a === 'string' && test(a < value ? -1 : a > value ? 1 : 0, 0);
      return never;
    }
    case 'includes':
    case 'excludes': {
      const wanted = Array.isArray(value) ? (value as readonly unknown[]) : [value];
      if (wanted.length === 1) {
        const one = wanted[0];
        return op === 'includes'
          ? (a) => Array.isArray(a) && a.includes(one)
          : (a) => !Array.isArray(a) || !a.includes(one);
      }
      return op === 'includes'
        ? (a) => {
            const list = Array.isArray(a) ? (a as readonly unknown[]) : [];
            return wanted.every((w) => list.includes(w));
          }
        : (a) => {
            const list = Array.isArray(a) ? (a as readonly unknown[]) : [];
            return !wanted.some((w) => list.includes(w));
          };
    }
    case 'present':
      return isPresent;
    case 'absent':
      return (a) => !isPresent(a);
  }
  return never; // an operator the schema does not know holds for nothing, as `compare` has it
}

/**
 * Compiles a condition tree into one closure per node, equal to `conditionHolds(condition, t)`
 * for every ticket (a property test holds the two equal on random trees and tickets). The tree
 * must not change afterwards: `defineRules` freezes the trees it compiles.
 *
 * @internal
 */
export function compileCondition(condition: RuleCondition | undefined): CompiledCondition {
  if (condition === undefined) return always;
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    if (parts.length === 0) return always;
    if (parts.length === 1) return parts[0]!;
    if (parts.length === 2) {
      const [a, b] = parts as [CompiledCondition, CompiledCondition];
      return (t) => a(t) && b(t);
    }
    return (t) => {
      for (const part of parts) if (!part(t)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileCondition);
    if (parts.length === 1) return parts[0]!;
    return (t) => {
      for (const part of parts) if (part(t)) return true;
      return false;
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not);
    return (t) => !inner(t);
  }
  if ('prop' in condition)
    return propTest(
      condition.prop,
      compileCompare(condition.op, condition.value, condition.prop === 'priority'),
    );
  if ('field' in condition) {
    const test = compileCompare(condition.op, condition.value, false);
    const field = condition.field;
    return (t) => {
      const fields = t.fields;
      return test(Object.hasOwn(fields, field) ? fields[field] : null);
    };
  }
  const test = compileCompare(condition.op, condition.value, false);
  const clock = condition.sla;
  return (t) => test(t.sla?.[clock]?.status ?? 'inactive');
}

/**
 * A property test reading the property by name: a read by a key held in a variable (`t[prop]`)
 * goes through the lifecycle ticket's getters by a slow generic path, and the trigger conditions
 * run after every event.
 */
function propTest(prop: RuleProp, test: (actual: unknown) => boolean): CompiledCondition {
  switch (prop) {
    case 'status':
      return (t) => test(t.status);
    case 'customStatus':
      return (t) => test(t.customStatus);
    case 'priority':
      return (t) => test(t.priority);
    case 'category':
      return (t) => test(t.category);
    case 'channel':
      return (t) => test(t.channel);
    case 'segment':
      return (t) => test(t.segment);
    case 'language':
      return (t) => test(t.language);
    case 'origin':
      return (t) => test(t.origin);
    case 'assigneeId':
      return (t) => test(t.assigneeId);
    case 'queue':
      return (t) => test(t.queue);
    case 'tier':
      return (t) => test(t.tier);
    case 'reopens':
      return (t) => test(t.reopens);
    case 'agentReplies':
      return (t) => test(t.agentReplies);
    case 'customerReplies':
      return (t) => test(t.customerReplies);
    case 'tags':
      return (t) => test(t.tags);
    case 'customerTags':
      return (t) => test(t.customerTags);
  }
  // A property the schema does not know (a tree not checked by it): read by its key.
  const key = prop as string;
  return (t) => test((t as unknown as Record<string, unknown>)[key]);
}

/** The compiled form of each condition tree `defineRules` owns (frozen, so it cannot go stale). */
const compiled = new WeakMap<object, CompiledCondition>();

/** Compiles a rule set's condition tree and freezes it; `conditionHolds` then uses the closure. */
export function registerCondition(condition: RuleCondition | undefined): void {
  if (condition === undefined || compiled.has(condition)) return;
  deepFreeze(condition);
  compiled.set(condition, compileCondition(condition));
}

/** The compiled form of a registered condition tree, or undefined. */
export function compiledCondition(condition: object): CompiledCondition | undefined {
  return compiled.get(condition);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}
