import { z } from 'zod';
import {
  Duration,
  FieldId,
  FieldValueInput,
  Id,
  Label,
  MAX_TEXT_LENGTH,
  Priority,
  SettableStatus,
  SlaClock,
  TICKET_EVENT_TYPES,
  type TicketEventType,
} from '../model/index.js';

/** A rule id: a lowercase identifier with `-` or `_` (`vip-reopen`), unique across the rule set. */
export const RuleId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
  message: 'must be a lowercase identifier of letters, digits, - and _ (at most 64)',
});

/** The ticket properties a condition can read. */
export const RuleProp = z.enum([
  'status',
  'customStatus',
  'priority',
  'category',
  'channel',
  'segment',
  'language',
  'origin',
  'assigneeId',
  'queue',
  'tier',
  'reopens',
  'agentReplies',
  'customerReplies',
  'tags',
  'customerTags',
]);
export type RuleProp = z.infer<typeof RuleProp>;

/** How a condition compares: equality, membership, order (numbers and priorities), lists, presence. */
export const RuleOp = z.enum([
  'is',
  'is_not',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'includes',
  'excludes',
  'present',
  'absent',
]);
export type RuleOp = z.infer<typeof RuleOp>;

const Scalar = z.union([z.string().max(MAX_TEXT_LENGTH), z.number(), z.boolean(), z.null()]);
const Value = z.union([Scalar, z.array(z.union([z.string().max(MAX_TEXT_LENGTH), z.number()])).max(1000)]);

/** A test of one ticket property: `{ prop: 'priority', op: 'in', value: ['high', 'urgent'] }`. */
export const PropCondition = z.strictObject({ prop: RuleProp, op: RuleOp, value: Value.optional() });
/** A test of one ticket field: `{ field: 'order_value', op: 'gte', value: 100 }`. */
export const FieldCondition = z.strictObject({ field: FieldId, op: RuleOp, value: Value.optional() });
/** A test of one SLA clock's state: `{ sla: 'resolution', op: 'is', value: 'breached' }`. */
export const SlaClockCondition = z.strictObject({ sla: SlaClock, op: RuleOp, value: Value.optional() });

/** A condition tree: `all`, `any`, `not` over property, field and SLA tests. */
export type RuleCondition =
  | z.infer<typeof PropCondition>
  | z.infer<typeof FieldCondition>
  | z.infer<typeof SlaClockCondition>
  | { readonly all: readonly RuleCondition[] }
  | { readonly any: readonly RuleCondition[] }
  | { readonly not: RuleCondition };

export const RuleCondition: z.ZodType<RuleCondition> = z.lazy(() =>
  z.union([
    PropCondition,
    FieldCondition,
    SlaClockCondition,
    z.strictObject({ all: z.array(RuleCondition).max(100) }),
    z.strictObject({ any: z.array(RuleCondition).min(1).max(100) }),
    z.strictObject({ not: RuleCondition }),
  ]),
);

/** What a rule does. Each change becomes an event with `by: { rule }`; notices become effects. */
export const RuleAction = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('set_status'),
    /** A lifecycle status an agent may set, or a custom status id. */
    status: z.union([SettableStatus, z.string().regex(/^[a-z][a-z0-9_]{0,63}$/)]),
  }),
  z.strictObject({ type: z.literal('set_priority'), priority: Priority }),
  z.strictObject({ type: z.literal('set_category'), category: Label }),
  z.strictObject({ type: z.literal('set_fields'), fields: z.record(FieldId, FieldValueInput) }),
  z.strictObject({ type: z.literal('add_tags'), tags: z.array(Label).min(1).max(100) }),
  z.strictObject({ type: z.literal('remove_tags'), tags: z.array(Label).min(1).max(100) }),
  z.strictObject({
    type: z.literal('assign'),
    /** An agent, or a queue (the ticket leaves its agent), or a tier's pool. One of them. */
    agentId: Id.optional(),
    queue: Label.optional(),
    tier: z.number().int().min(1).max(100).optional(),
  }),
  z.strictObject({
    type: z.literal('escalate'),
    tier: z.number().int().min(1).max(100),
    reason: z.string().min(1).max(MAX_TEXT_LENGTH),
  }),
  z.strictObject({
    type: z.literal('notify'),
    /** An agent id or a role (`assignee`, `team_lead`, `tier:2`). */
    to: z.string().min(1).max(256),
    message: z.string().min(1).max(MAX_TEXT_LENGTH),
  }),
  z.strictObject({ type: z.literal('send_template'), templateId: z.string().min(1).max(200) }),
  /** A custom action in function form, by the name it was registered under (`customActions`). */
  z.strictObject({ type: z.literal('custom'), name: z.string().min(1).max(100) }),
]);
export type RuleAction = z.infer<typeof RuleAction>;

/** Moments of the lifecycle a trigger can wait for besides event types. */
export const TRIGGER_MOMENTS = ['reopened', 'status_changed'] as const;
/** What a trigger waits for: an event type or a moment. */
export const TriggerWhen = z.enum([...TICKET_EVENT_TYPES, ...TRIGGER_MOMENTS] as unknown as [
  TicketEventType | (typeof TRIGGER_MOMENTS)[number],
  ...(TicketEventType | (typeof TRIGGER_MOMENTS)[number])[],
]);
/** An event type, or a moment: `reopened` (the event reopened the ticket), `status_changed`. */
export type TriggerWhen = z.infer<typeof TriggerWhen>;

const common = {
  id: RuleId,
  title: z.string().min(1).max(200),
  /** The condition on the ticket (after the event); absent means always. */
  if: RuleCondition.optional(),
  then: z.array(RuleAction).min(1).max(50),
};

/** A trigger: after an accepted event of a type (or a moment), if the condition holds, act. */
export const RuleTrigger = z.strictObject({
  ...common,
  when: z.union([TriggerWhen, z.array(TriggerWhen).min(1).max(30)]),
});
export type RuleTrigger = z.infer<typeof RuleTrigger>;
export type RuleTriggerInput = z.input<typeof RuleTrigger>;

/** The instants an automation's time condition is measured from. */
export const AutomationAnchor = z.enum([
  'opened',
  'statusChanged',
  'lastCustomerMessage',
  'lastAgentReply',
  'solved',
]);
export type AutomationAnchor = z.infer<typeof AutomationAnchor>;

/**
 * The time condition of an automation: at least `atLeast` since an instant of the ticket, or at
 * most `atMost` before an SLA clock is due. With `calendar` the time is business time in that
 * calendar (named as in the `calendars` option); without, calendar time.
 */
export const AutomationWhen = z.union([
  z.strictObject({
    since: AutomationAnchor,
    atLeast: Duration,
    calendar: z.string().min(1).max(256).optional(),
  }),
  z.strictObject({ until: SlaClock, atMost: Duration, calendar: z.string().min(1).max(256).optional() }),
]);
export type AutomationWhen = z.infer<typeof AutomationWhen>;

/** An automation: when its time condition and `if` hold, act, once per episode. */
export const RuleAutomation = z.strictObject({ ...common, when: AutomationWhen });
export type RuleAutomation = z.infer<typeof RuleAutomation>;
export type RuleAutomationInput = z.input<typeof RuleAutomation>;

/** A macro: the actions an agent applies with one `macro.applied` event, and its reply. */
export const RuleMacro = z.strictObject({
  id: RuleId,
  title: z.string().min(1).max(200),
  then: z.array(RuleAction).max(50).default([]),
  /**
   * The reply the macro sends: a template of the host's library, rendered by the host with the
   * ticket's context into the event's `body`; `status` is set with the reply.
   */
  reply: z
    .strictObject({
      templateId: z.string().min(1).max(200),
      status: SettableStatus.optional(),
      public: z.boolean().optional(),
    })
    .optional(),
});
export type RuleMacro = z.infer<typeof RuleMacro>;
export type RuleMacroInput = z.input<typeof RuleMacro>;

/** A desk's business rules as data (a JSON file): triggers, automations and macros. */
export const RulesConfig = z.strictObject({
  triggers: z.array(RuleTrigger).max(1000).default([]),
  automations: z.array(RuleAutomation).max(200).default([]),
  macros: z.array(RuleMacro).max(1000).default([]),
});
/** Business rules as a user writes it (defaults may be left out); {@link ResolvedRulesConfig} is the parsed form. */
export type RulesConfig = z.input<typeof RulesConfig>;
/** Business rules as parsed: every default filled in. */
export type ResolvedRulesConfig = z.output<typeof RulesConfig>;
/**
 * Business rules as a user writes it.
 *
 * @deprecated The same type as {@link RulesConfig}, which is now what users write; use that name.
 */
export type RulesConfigInput = RulesConfig;
