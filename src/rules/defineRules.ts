import type { Calendar } from '../calendar/index.js';
import {
  type CarekitIssue,
  CarekitValidationError,
  Channel,
  type FieldDefinition,
  formatPath,
  Priority,
  RESOLVED_STATUSES,
  SettableStatus,
  safeParseInput,
  type TicketFields,
  TicketStatus,
  type TicketStatuses,
} from '../model/index.js';
import { registerWhen } from './automationInstant.js';
import { registerCondition } from './compileCondition.js';
import type { RuleTicket } from './evaluateCondition.js';
import { indexTriggers } from './indexTriggers.js';
import {
  type ResolvedRulesConfig,
  type RuleAction,
  type RuleAutomation,
  type RuleCondition,
  type RuleMacro,
  RulesConfig,
  type RuleTrigger,
  type TriggerWhen,
} from './schema.js';

/**
 * A custom action in function form: from the ticket as rules see it, the data actions to take
 * (like a routing filter, it is code the review document names but cannot show).
 */
export type CustomAction = (ticket: RuleTicket) => readonly Exclude<RuleAction, { type: 'custom' }>[];

/** Options of {@link defineRules}: what the rules may refer to. */
export interface DefineRulesOptions {
  /** The desk's ticket fields (from `defineFields`); conditions and actions may name only these. */
  readonly fields?: TicketFields;
  /** The desk's custom statuses (from `defineStatuses`). */
  readonly statuses?: TicketStatuses;
  /** Business calendars by the names automations use. */
  readonly calendars?: Readonly<Record<string, Calendar>>;
  /** Custom actions by name, for `{ type: 'custom', name }`. */
  readonly customActions?: Readonly<Record<string, CustomAction>>;
  /**
   * How many passes of rules one event may cause before the run is stopped as a cycle.
   * Default: one more than the number of triggers and automations, so rules that cannot set
   * one another off in a ring never reach it.
   */
  readonly maxPasses?: number;
}

/** A validated, compiled rule set (from {@link defineRules}), as the lifecycle runs it. */
export interface RuleSet {
  readonly config: ResolvedRulesConfig;
  readonly triggers: readonly RuleTrigger[];
  readonly automations: readonly RuleAutomation[];
  readonly macros: ReadonlyMap<string, RuleMacro>;
  readonly fields: TicketFields | null;
  readonly statuses: TicketStatuses | null;
  readonly calendars: Readonly<Record<string, Calendar>>;
  readonly customActions: Readonly<Record<string, CustomAction>>;
  readonly maxPasses: number;
  /** True when a rule reads SLA clocks (the lifecycle then reads them for rules). */
  readonly readsSla: boolean;
  /**
   * The triggers, in the order listed, waiting for an event of one of these types or for one
   * of the moments they made (`reopened`, `status_changed`).
   */
  triggersFor(
    types: readonly string[],
    moments?: { reopened?: boolean; statusChanged?: boolean },
  ): readonly RuleTrigger[];
  /** The title of a rule or macro by id, for explanations. */
  titleOf(id: string): string | undefined;
}

type Path = (string | number)[];

const ENUM_PROPS: Record<string, readonly string[]> = {
  status: TicketStatus.options,
  priority: Priority.options,
  channel: Channel.options,
  origin: ['customer', 'agent', 'system'],
};
const NUMBER_PROPS = new Set(['tier', 'reopens', 'agentReplies', 'customerReplies']);
const LIST_PROPS = new Set(['tags', 'customerTags']);
const CLOCK_STATUSES = ['inactive', 'running', 'paused', 'fulfilled', 'breached'];
const ORDER_OPS = new Set(['gt', 'gte', 'lt', 'lte']);
const LIST_OPS = new Set(['includes', 'excludes']);
const SET_OPS = new Set(['in', 'not_in']);

/** The statuses a ticket can be in right after an event of a type (for unreachable rules). */
function statusesAfter(when: TriggerWhen): readonly string[] {
  switch (when) {
    case 'ticket.opened':
      return ['new', 'closed'];
    case 'ticket.closed':
    case 'ticket.marked_spam':
      return ['closed'];
    case 'ticket.merged':
      return ['merged'];
    case 'reopened':
      return ['open', 'pending', 'on_hold'];
    case 'survey.answered':
      return RESOLVED_STATUSES;
    default:
      return TicketStatus.options;
  }
}

type Three = boolean | null;

/** Evaluates a condition with one property fixed and every other test unknown (Kleene logic). */
function evaluate3(
  c: RuleCondition,
  prop: string,
  v: string,
  compare: (leaf: RuleCondition) => boolean,
): Three {
  if ('all' in c) {
    let out: Three = true;
    for (const x of c.all) {
      const r = evaluate3(x, prop, v, compare);
      if (r === false) return false;
      if (r === null) out = null;
    }
    return out;
  }
  if ('any' in c) {
    let out: Three = false;
    for (const x of c.any) {
      const r = evaluate3(x, prop, v, compare);
      if (r === true) return true;
      if (r === null) out = null;
    }
    return out;
  }
  if ('not' in c) {
    const r = evaluate3(c.not, prop, v, compare);
    return r === null ? null : !r;
  }
  if ('prop' in c && c.prop === prop) return compare(c);
  return null;
}

function leafValue(v: unknown, prop: string, op: string, value: unknown): boolean {
  switch (op) {
    case 'is':
      return v === value;
    case 'is_not':
      return v !== value;
    case 'in':
      return Array.isArray(value) && value.includes(v);
    case 'not_in':
      return Array.isArray(value) && !value.includes(v);
    case 'present':
      return prop !== 'status';
    case 'absent':
      return false;
    default: {
      const order = Priority.options as readonly unknown[];
      const a = order.indexOf(v);
      const b = order.indexOf(value);
      if (prop !== 'priority' || a < 0 || b < 0) return true;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
  }
}

/** True when no value of status, priority or channel lets the condition hold. */
function neverHolds(c: RuleCondition | undefined, statuses: readonly string[]): string | null {
  if (c === undefined) return null;
  const dims: [string, readonly string[]][] = [
    ['status', statuses],
    ['priority', Priority.options],
    ['channel', Channel.options],
  ];
  for (const [prop, domain] of dims) {
    const possible = domain.some(
      (v) =>
        evaluate3(c, prop, v, (leaf) => 'prop' in leaf && leafValue(v, prop, leaf.op, leaf.value)) !== false,
    );
    if (!possible)
      return prop === 'status'
        ? `the status is one of ${statuses.join(', ')} then`
        : `no ${prop} satisfies it`;
  }
  return null;
}

class Checker {
  readonly issues: CarekitIssue[] = [];
  constructor(readonly options: DefineRulesOptions) {}

  /** Records a problem; false, so that a check can `return this.add(...)`. */
  add(code: string, path: Path, text: string): false {
    this.issues.push({ code, path, message: `${formatPath(path)}: ${text}` });
    return false;
  }

  fieldValue(field: FieldDefinition, value: unknown, path: Path): void {
    for (const issue of this.options.fields?.check({ [field.id]: value }) ?? []) {
      this.add(issue.code, [...path, ...issue.path.slice(2)], issue.message.replace(/^[^:]*: /, ''));
    }
  }

  /** Checks a condition tree; true when it had no problem. */
  condition(c: RuleCondition, path: Path): boolean {
    if ('all' in c) return c.all.map((x, i) => this.condition(x, [...path, 'all', i])).every(Boolean);
    if ('any' in c) return c.any.map((x, i) => this.condition(x, [...path, 'any', i])).every(Boolean);
    if ('not' in c) return this.condition(c.not, [...path, 'not']);
    const { op, value } = c;
    const needsValue = op !== 'present' && op !== 'absent';
    if (needsValue && value === undefined)
      return this.add('required', [...path, 'value'], `${op} needs a value`);
    if (SET_OPS.has(op) && !Array.isArray(value))
      return this.add('invalid_type', [...path, 'value'], `${op} needs a list of values`);
    const values = needsValue
      ? Array.isArray(value) && (SET_OPS.has(op) || LIST_OPS.has(op))
        ? value
        : [value]
      : [];
    if ('prop' in c) {
      const kind = ENUM_PROPS[c.prop]
        ? 'enum'
        : NUMBER_PROPS.has(c.prop)
          ? 'number'
          : LIST_PROPS.has(c.prop)
            ? 'list'
            : 'text';
      const opOk =
        kind === 'list'
          ? LIST_OPS.has(op) || op === 'present' || op === 'absent'
          : !LIST_OPS.has(op) && (!ORDER_OPS.has(op) || kind === 'number' || c.prop === 'priority');
      if (!opOk) return this.add('invalid_operator', [...path, 'op'], `${op} does not apply to ${c.prop}`);
      values.forEach((v, i) => {
        const at = Array.isArray(value) ? [...path, 'value', i] : [...path, 'value'];
        const allowed = ENUM_PROPS[c.prop];
        if (c.prop === 'customStatus') {
          if (v !== null && this.options.statuses?.byId(String(v)) === undefined)
            this.add('unknown_status', at, `${JSON.stringify(v)} is not a custom status${this.statusList()}`);
        } else if (allowed !== undefined && !allowed.includes(v as string)) {
          this.add(
            c.prop === 'status' ? 'unknown_status' : 'invalid_value',
            at,
            `${JSON.stringify(v)} is not a ${c.prop}; expected one of ${allowed.join(', ')}`,
          );
        } else if (kind === 'number' && typeof v !== 'number') {
          this.add('invalid_type', at, `${c.prop} is a number, got ${JSON.stringify(v)}`);
        } else if ((kind === 'text' || kind === 'list') && v !== null && typeof v !== 'string') {
          this.add('invalid_type', at, `${c.prop} holds text, got ${JSON.stringify(v)}`);
        }
      });
      return true;
    }
    if ('field' in c) {
      const field = this.options.fields?.byId(c.field);
      if (field === undefined)
        return this.add(
          'unknown_field',
          [...path, 'field'],
          `"${c.field}" is not a ticket field${this.fieldList()}`,
        );
      const list = field.type === 'many_of';
      const ordered = field.type === 'number' || field.type === 'date';
      const opOk = list
        ? LIST_OPS.has(op) || op === 'present' || op === 'absent'
        : !LIST_OPS.has(op) && (!ORDER_OPS.has(op) || ordered);
      if (!opOk)
        return this.add('invalid_operator', [...path, 'op'], `${op} does not apply to a ${field.type} field`);
      values.forEach((v, i) => {
        const at = Array.isArray(value) ? [...path, 'value', i] : [...path, 'value'];
        this.fieldValue(field, list ? [v] : v, at);
      });
      return true;
    }
    if (ORDER_OPS.has(op) || LIST_OPS.has(op))
      return this.add('invalid_operator', [...path, 'op'], `${op} does not apply to an SLA clock's state`);
    values.forEach((v, i) => {
      if (!CLOCK_STATUSES.includes(v as string)) {
        const at = Array.isArray(value) ? [...path, 'value', i] : [...path, 'value'];
        this.add(
          'invalid_value',
          at,
          `${JSON.stringify(v)} is not a clock state; expected one of ${CLOCK_STATUSES.join(', ')}`,
        );
      }
    });
    return true;
  }

  statusList(): string {
    const ids = this.options.statuses?.definitions.map((s) => s.id) ?? [];
    return ids.length === 0
      ? ' (no custom statuses are defined)'
      : `; the custom statuses are ${ids.join(', ')}`;
  }

  fieldList(): string {
    const ids = this.options.fields?.definitions.map((f) => f.id) ?? [];
    return ids.length === 0 ? ' (no fields are defined)' : `; the fields are ${ids.join(', ')}`;
  }

  actions(actions: readonly RuleAction[], path: Path): void {
    const setOnce = new Map<string, { value: string; index: number }>();
    const fieldsSet = new Map<string, string>();
    const added = new Set<string>();
    const removed = new Set<string>();
    actions.forEach((action, i) => {
      const at = [...path, i];
      const conflict = (key: string, value: string) => {
        const seen = setOnce.get(key);
        if (seen !== undefined && seen.value !== value)
          this.add(
            'conflicting_actions',
            at,
            `sets ${key} to ${value} after [${seen.index}] set it to ${seen.value}`,
          );
        setOnce.set(key, { value, index: i });
      };
      switch (action.type) {
        case 'set_status':
          if (
            !(SettableStatus.options as readonly string[]).includes(action.status) &&
            this.options.statuses?.byId(action.status) === undefined
          )
            this.add(
              'unknown_status',
              [...at, 'status'],
              `"${action.status}" is neither open, pending, on_hold, solved nor a custom status${this.statusList()}`,
            );
          conflict('the status', action.status);
          break;
        case 'set_priority':
          conflict('the priority', action.priority);
          break;
        case 'set_category':
          conflict('the category', action.category);
          break;
        case 'set_fields':
          for (const issue of this.options.fields?.check(action.fields) ??
            Object.keys(action.fields).map((id) => ({
              code: 'unknown_field',
              path: ['fields', id],
              message: `: "${id}" is not a ticket field (no fields are defined)`,
            }))) {
            this.add(issue.code, [...at, ...issue.path], issue.message.replace(/^[^:]*: /, ''));
          }
          for (const [id, value] of Object.entries(action.fields)) {
            const shown = JSON.stringify(value);
            const seen = fieldsSet.get(id);
            if (seen !== undefined && seen !== shown)
              this.add(
                'conflicting_actions',
                [...at, 'fields', id],
                `sets field ${id} to ${shown} after an earlier action set it to ${seen}`,
              );
            fieldsSet.set(id, shown);
          }
          break;
        case 'add_tags':
        case 'remove_tags':
          for (const tag of action.tags) {
            (action.type === 'add_tags' ? added : removed).add(tag);
            if (added.has(tag) && removed.has(tag))
              this.add('conflicting_actions', [...at, 'tags'], `both adds and removes the tag "${tag}"`);
          }
          break;
        case 'assign': {
          const given = [action.agentId, action.queue, action.tier].filter((v) => v !== undefined).length;
          if (given !== 1)
            this.add('invalid_action', at, 'assign needs exactly one of agentId, queue or tier');
          conflict('the assignment', JSON.stringify(action));
          break;
        }
        case 'custom':
          if (this.options.customActions?.[action.name] === undefined) {
            const names = Object.keys(this.options.customActions ?? {});
            this.add(
              'unknown_action',
              [...at, 'name'],
              `no custom action is named "${action.name}"${names.length === 0 ? ' (none are registered: pass customActions)' : `; the custom actions are ${names.join(', ')}`}`,
            );
          }
          break;
        default:
          break;
      }
    });
  }
}

/**
 * Validates a desk's business rules as a whole and compiles them for the lifecycle: triggers
 * (`{ id, title, when: eventType, if, then }`), automations (`when` is a time condition) and
 * macros. Refused, with a code and a path each: unknown fields, statuses, custom actions or
 * calendars (`unknown_field`, `unknown_status`, `unknown_action`, `unknown_calendar`), operators
 * that do not apply (`invalid_operator`), actions that conflict within one rule
 * (`conflicting_actions`), rules that can never fire (`unreachable_rule`, such as status solved
 * on `ticket.opened`), triggers on `clock.tick` (`tick_trigger`: time is for automations), and
 * repeated ids (`duplicate_id`).
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} listing every problem.
 * @example
 * ```ts
 * const rules = defineRules({
 *   triggers: [{
 *     id: 'vip-reopen', title: 'VIP reopened: raise and tag', when: 'reopened',
 *     if: { prop: 'segment', op: 'is', value: 'vip' },
 *     then: [{ type: 'set_priority', priority: 'high' }, { type: 'add_tags', tags: ['vip_reopen'] }],
 *   }],
 * });
 * rules.triggersFor(['customer.replied'], { reopened: true }).map((t) => t.id);
 * //=> ['vip-reopen']
 * defineRules({ triggers: [{ id: 'x', title: 'x', when: 'ticket.opened', if: { prop: 'status', op: 'is', value: 'solved' }, then: [{ type: 'add_tags', tags: ['x'] }] }] });
 * //=> throws CarekitValidationError (unreachable_rule at triggers[0].if)
 * ```
 */
export function defineRules(input: RulesConfig, options: DefineRulesOptions = {}): RuleSet {
  const parsed = safeParseInput(RulesConfig, input, 'business rules');
  if (!parsed.success) throw parsed.error;
  const config = parsed.data;
  const check = new Checker(options);
  const ids = new Map<string, Path>();
  const seeId = (id: string, path: Path) => {
    const seen = ids.get(id);
    if (seen !== undefined)
      check.add('duplicate_id', [...path, 'id'], `the id "${id}" is already used at ${formatPath(seen)}`);
    else ids.set(id, path);
  };
  config.triggers.forEach((t, i) => {
    const path = ['triggers', i];
    seeId(t.id, path);
    const whens = Array.isArray(t.when) ? t.when : [t.when];
    whens.forEach((w, j) => {
      if (w === 'clock.tick')
        check.add(
          'tick_trigger',
          Array.isArray(t.when) ? [...path, 'when', j] : [...path, 'when'],
          'a trigger cannot wait for clock.tick (how often a host ticks must not matter): write an automation with a time condition',
        );
    });
    if (t.if !== undefined) {
      check.condition(t.if, [...path, 'if']);
      const why = neverHolds(t.if, [...new Set(whens.flatMap(statusesAfter))]);
      if (why !== null)
        check.add(
          'unreachable_rule',
          [...path, 'if'],
          `the condition can never hold after ${whens.join(' or ')}: ${why}`,
        );
    }
    check.actions(t.then, [...path, 'then']);
  });
  config.automations.forEach((a, i) => {
    const path = ['automations', i];
    seeId(a.id, path);
    if (a.when.calendar !== undefined && options.calendars?.[a.when.calendar] === undefined) {
      const names = Object.keys(options.calendars ?? {});
      check.add(
        'unknown_calendar',
        [...path, 'when', 'calendar'],
        `no calendar is named "${a.when.calendar}"${names.length === 0 ? ' (pass calendars)' : `; the calendars are ${names.join(', ')}`}`,
      );
    }
    if (a.if !== undefined) {
      check.condition(a.if, [...path, 'if']);
      const why = neverHolds(a.if, ['new', 'open', 'pending', 'on_hold', 'solved']);
      if (why !== null)
        check.add(
          'unreachable_rule',
          [...path, 'if'],
          `the condition can never hold while automations run (closed and merged tickets have none): ${why}`,
        );
    }
    check.actions(a.then, [...path, 'then']);
  });
  config.macros.forEach((m, i) => {
    const path = ['macros', i];
    seeId(m.id, path);
    check.actions(m.then, [...path, 'then']);
  });
  if (options.maxPasses !== undefined && (!Number.isInteger(options.maxPasses) || options.maxPasses < 1))
    check.add('invalid_option', ['maxPasses'], 'must be a whole number of at least 1');
  if (check.issues.length > 0) throw new CarekitValidationError(check.issues, 'business rules');

  // Compiled once: every condition tree to closures (frozen, so they cannot go stale), and the
  // triggers indexed by what they wait for, so a pass looks only at the triggers of its events.
  for (const rule of [...config.triggers, ...config.automations]) registerCondition(rule.if);
  for (const automation of config.automations) registerWhen(automation.when);
  const triggersFor = indexTriggers(config.triggers);
  const titles = new Map<string, string>();
  for (const r of [...config.triggers, ...config.automations, ...config.macros]) titles.set(r.id, r.title);
  const readsSla =
    JSON.stringify([config.triggers, config.automations]).includes('"sla":') ||
    config.automations.some((a) => 'until' in a.when);
  return {
    config,
    triggers: config.triggers,
    automations: config.automations,
    macros: new Map(config.macros.map((m) => [m.id, m])),
    fields: options.fields ?? null,
    statuses: options.statuses ?? null,
    calendars: options.calendars ?? {},
    customActions: options.customActions ?? {},
    maxPasses: options.maxPasses ?? config.triggers.length + config.automations.length + 1,
    readsSla,
    triggersFor,
    titleOf: (id) => titles.get(id),
  };
}
