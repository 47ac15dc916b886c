import { Priority } from '../model/index.js';
import { compiledCondition } from './compileCondition.js';
import type { RuleTicket } from './ruleTicket.js';
import type { RuleCondition, RuleOp } from './schema.js';

export type { RuleSlaClock, RuleTicket } from './ruleTicket.js';

const PRIORITY_RANK: ReadonlyMap<unknown, number> = new Map(Priority.options.map((p, i) => [p, i]));

function isPresent(value: unknown): boolean {
  return !(
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

function ordered(actual: unknown, value: unknown, isPriority: boolean): [number, number] | null {
  if (isPriority) {
    const a = PRIORITY_RANK.get(actual);
    const b = PRIORITY_RANK.get(value);
    return a === undefined || b === undefined ? null : [a, b];
  }
  if (typeof actual === 'number' && typeof value === 'number') return [actual, value];
  // Dates written YYYY-MM-DD compare as strings.
  if (typeof actual === 'string' && typeof value === 'string')
    return [actual < value ? -1 : actual > value ? 1 : 0, 0];
  return null;
}

/** Compares a property's value with a condition's; the semantics of each {@link RuleOp}. */
export function compare(actual: unknown, op: RuleOp, value: unknown, isPriority = false): boolean {
  switch (op) {
    case 'is':
      return actual === value;
    case 'is_not':
      return actual !== value;
    case 'in':
      return Array.isArray(value) && value.includes(actual);
    case 'not_in':
      return Array.isArray(value) && !value.includes(actual);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const pair = ordered(actual, value, isPriority);
      if (pair === null) return false;
      const [a, b] = pair;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
    case 'includes':
    case 'excludes': {
      const list = Array.isArray(actual) ? (actual as readonly unknown[]) : [];
      const wanted = Array.isArray(value) ? value : [value];
      return op === 'includes'
        ? wanted.every((w) => list.includes(w))
        : !wanted.some((w) => list.includes(w));
    }
    case 'present':
      return isPresent(actual);
    case 'absent':
      return !isPresent(actual);
  }
}

/**
 * Whether a condition tree holds for a ticket. `all` of nothing holds; `any` needs one; `not`
 * negates. A field that is not set reads as `null`; an SLA clock the policy lacks reads `inactive`.
 *
 * @example
 * ```ts
 * conditionHolds({ all: [{ prop: 'segment', op: 'is', value: 'vip' }, { prop: 'reopens', op: 'gte', value: 1 }] }, ticket);
 * //=> true (for a VIP's ticket reopened once)
 * ```
 */
export function conditionHolds(condition: RuleCondition | undefined, ticket: RuleTicket): boolean {
  if (condition === undefined) return true;
  // A rule set's own trees (from defineRules, frozen) run compiled; any other tree is read as data.
  const compiled = compiledCondition(condition);
  if (compiled !== undefined) return compiled(ticket);
  return interpret(condition, ticket);
}

/**
 * The reference reading of a condition tree, node by node, as data: what a compiled condition
 * must equal.
 *
 * @internal
 */
export function interpret(condition: RuleCondition | undefined, ticket: RuleTicket): boolean {
  if (condition === undefined) return true;
  if ('all' in condition) return condition.all.every((c) => interpret(c, ticket));
  if ('any' in condition) return condition.any.some((c) => interpret(c, ticket));
  if ('not' in condition) return !interpret(condition.not, ticket);
  if ('prop' in condition) {
    return compare(ticket[condition.prop], condition.op, condition.value, condition.prop === 'priority');
  }
  if ('field' in condition) {
    const fields = ticket.fields;
    return compare(
      Object.hasOwn(fields, condition.field) ? fields[condition.field] : null,
      condition.op,
      condition.value,
    );
  }
  return compare(ticket.sla?.[condition.sla]?.status ?? 'inactive', condition.op, condition.value);
}
