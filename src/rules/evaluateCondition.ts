import { type Channel, type FieldValue, Priority, type TicketStatus } from '../model/index.js';
import { compiledCondition } from './compileCondition.js';
import type { RuleCondition, RuleOp } from './schema.js';

/** One SLA clock as a rule sees it. */
export interface RuleSlaClock {
  readonly status: 'inactive' | 'running' | 'paused' | 'fulfilled' | 'breached';
  readonly dueAt: number | null;
  readonly remainingMs: number | null;
}

/**
 * What rules read of a ticket: the lifecycle builds it from a snapshot after each event.
 * Instants are epoch ms. `sla` may be computed lazily (a getter): it is read only by rules that
 * test SLA clocks.
 */
export interface RuleTicket {
  readonly ticketId: string;
  readonly status: TicketStatus;
  readonly customStatus: string | null;
  readonly priority: Priority;
  readonly category: string | null;
  readonly channel: Channel;
  readonly customerId: string;
  readonly segment: string | null;
  readonly language: string | null;
  readonly origin: 'customer' | 'agent' | 'system';
  readonly assigneeId: string | null;
  readonly queue: string | null;
  readonly tier: number;
  readonly reopens: number;
  readonly agentReplies: number;
  readonly customerReplies: number;
  readonly tags: readonly string[];
  readonly customerTags: readonly string[];
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly openedAt: number;
  readonly statusChangedAt: number;
  readonly lastCustomerMessageAt: number | null;
  readonly lastAgentReplyAt: number | null;
  readonly solvedAt: number | null;
  readonly sla: Readonly<Record<string, RuleSlaClock>> | null;
}

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
