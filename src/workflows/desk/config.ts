import { z } from 'zod';
import { CalendarConfig, createCalendar } from '../../calendar/index.js';
import {
  Agent,
  CarekitValidationError,
  defineFields,
  defineStatuses,
  FieldDefinition,
  formatPath,
  Id,
  parseInput,
  RetentionPolicy,
  SLA_CLOCKS,
  StatusDefinition,
  type TicketFields,
  type TicketStatuses,
} from '../../model/index.js';
import {
  AnswerEntry,
  BotPolicyConfig,
  ClassificationRule,
  createAnswerBook,
  createEscalationPolicy,
  createSegmentRules,
  defaultRules,
  EscalationPolicyConfig,
  RoutingPolicyConfig,
  ruleClassifier,
  SegmentRulesConfig,
} from '../../routing/index.js';
import { defineRules, RulesConfig } from '../../rules/index.js';
import { createSlaPolicy, SlaPolicyConfig } from '../../sla/index.js';
import { createTemplateLibrary, TemplateEntry, type TemplateEntryInput } from '../../templates/index.js';
import { TicketWorkflowConfig } from '../ticket/options.js';
import { createDesk, type Desk, type DeskOptions } from './createDesk.js';

/** A template entry as data: the library's own entry schema without its variables schema (code, not data). */
const TemplateEntryData = TemplateEntry.omit({ schema: true });

/**
 * A whole desk as data: what `carekit validate` checks, `carekit review` documents, and
 * {@link createDeskFromConfig} runs. It can live in a JSON file.
 */
export const DeskConfig = z
  .strictObject({
    name: z.string().min(1).max(200).default('Customer care'),
    /** Business calendars by name (SLA clocks and agents' shifts refer to them). */
    calendars: z.record(Id, CalendarConfig).default({}),
    /** SLA policies, the specific ones first: per ticket the first whose `when` matches. */
    slaPolicies: z.array(SlaPolicyConfig).max(100).default([]),
    /** Classification rules; carekit's default English rules when absent. */
    classification: z.array(ClassificationRule).max(10_000).optional(),
    segments: SegmentRulesConfig.optional(),
    agents: z.array(Agent).max(100_000).default([]),
    routing: RoutingPolicyConfig.prefault({}),
    escalation: EscalationPolicyConfig.optional(),
    lifecycle: TicketWorkflowConfig.prefault({}),
    /** Ticket fields (`defineFields`): typed, set with `ticket.fields_set`, some required to solve. */
    fields: z.array(FieldDefinition).max(500).default([]),
    /** Custom statuses (`defineStatuses`), each mapped onto a lifecycle category, some pausing SLA clocks. */
    statuses: z.array(StatusDefinition).max(200).default([]),
    /** Business rules: triggers, automations and macros over the fields and statuses above. */
    rules: RulesConfig.optional(),
    /** Response templates (for the review's catalogue; pass a library to the desk to send them). */
    templates: z.array(TemplateEntryData).max(10_000).default([]),
    /** An assistant that answers frequent questions by itself: its answer book and policy. */
    bot: z
      .strictObject({
        answers: z.array(AnswerEntry).min(1).max(10_000),
        policy: BotPolicyConfig.prefault({}),
      })
      .optional(),
    /** How the KPI report defines FCR, and whether times count business hours of a calendar. */
    kpis: z
      .strictObject({
        fcr: z.enum(['zendeskOneTouch', 'noCustomerFollowUp', 'noReopen']).default('zendeskOneTouch'),
        businessCalendar: Id.optional(),
      })
      .default({ fcr: 'zendeskOneTouch' }),
    /**
     * The retention schedule (`store.applyRetention(config.retention, now)`): which old tickets to
     * anonymise or delete (docs/data-protection.md). Described in the review document.
     */
    retention: RetentionPolicy.optional(),
  })
  .superRefine((config, ctx) => {
    checkRules(config, ctx);
    const calendars = new Set(Object.keys(config.calendars));
    const calendarRef = (name: string | null | undefined, path: (string | number)[]) => {
      if (name !== null && name !== undefined && !calendars.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `there is no calendar \`${name}\`; the calendars are ${[...calendars].map((c) => `\`${c}\``).join(', ') || 'none'}`,
          params: { code: 'unknown_calendar' },
        });
      }
    };
    const seen = new Set<string>();
    config.slaPolicies.forEach((policy, i) => {
      if (seen.has(policy.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slaPolicies', i, 'id'],
          message: `the SLA policy id \`${policy.id}\` is used twice`,
          params: { code: 'duplicate_id' },
        });
      }
      seen.add(policy.id);
      calendarRef(policy.calendar, ['slaPolicies', i, 'calendar']);
      for (const clock of SLA_CLOCKS) {
        calendarRef(policy[clock]?.calendar, ['slaPolicies', i, clock, 'calendar']);
      }
    });
    const agents = new Set<string>();
    config.agents.forEach((agent, i) => {
      if (agents.has(agent.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['agents', i, 'id'],
          message: `the agent id \`${agent.id}\` is used twice`,
          params: { code: 'duplicate_id' },
        });
      }
      agents.add(agent.id);
      calendarRef(agent.calendarId, ['agents', i, 'calendarId']);
    });
    calendarRef(config.kpis.businessCalendar, ['kpis', 'businessCalendar']);
    const ack = config.lifecycle.acknowledgeTemplate;
    if (ack !== null && config.templates.length > 0 && !config.templates.some((t) => t.id === ack)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lifecycle', 'acknowledgeTemplate'],
        message: `the acknowledgement template \`${ack}\` is not among the templates`,
        params: { code: 'unknown_template' },
      });
    }
    if (config.bot && config.templates.length > 0) {
      const known = new Set(config.templates.map((t) => t.id));
      const refer = (id: string | undefined, path: (string | number)[]) => {
        if (id !== undefined && !known.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `the template \`${id}\` is not among the templates`,
            params: { code: 'unknown_template' },
          });
        }
      };
      config.bot.answers.forEach((entry, i) => {
        refer(entry.templateId, ['bot', 'answers', i, 'templateId']);
      });
      refer(config.bot.policy.askTemplateId, ['bot', 'policy', 'askTemplateId']);
      refer(config.bot.policy.handoverTemplateId, ['bot', 'policy', 'handoverTemplateId']);
    }
    if (config.bot) {
      const ids = new Set<string>();
      config.bot.answers.forEach((entry, i) => {
        if (ids.has(entry.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['bot', 'answers', i, 'id'],
            message: `the answer id \`${entry.id}\` is used twice`,
            params: { code: 'duplicate_id' },
          });
        }
        ids.add(entry.id);
      });
    }
    if (config.escalation) {
      const tiers = new Set(config.escalation.tiers.map((t) => t.tier));
      config.agents.forEach((agent, i) => {
        if (!tiers.has(agent.tier)) {
          ctx.addIssue({
            code: 'custom',
            path: ['agents', i, 'tier'],
            message: `agent \`${agent.id}\` is in tier ${agent.tier}, which the escalation policy does not have`,
            params: { code: 'unknown_tier' },
          });
        }
      });
    }
  });
/**
 * A whole desk as a user writes it (in code or a JSON file; defaults may be left out);
 * {@link ResolvedDeskConfig} is the parsed form.
 */
export type DeskConfig = z.input<typeof DeskConfig>;
/** A desk configuration as parsed: every default filled in, every duration in milliseconds. */
export type ResolvedDeskConfig = z.output<typeof DeskConfig>;
/**
 * A whole desk as a user writes it.
 *
 * @deprecated The same type as {@link DeskConfig}, which is now what users write; use that name.
 */
export type DeskConfigInput = DeskConfig;

/** Runs `fn`; a validation error's issues join the configuration's, under `prefix`. */
function collect<T>(ctx: z.RefinementCtx, prefix: (string | number)[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof CarekitValidationError)) throw error;
    for (const issue of error.issues) {
      const own = `${formatPath(issue.path)}: `;
      ctx.addIssue({
        code: 'custom',
        path: [...prefix, ...issue.path],
        message: issue.message.startsWith(own) ? issue.message.slice(own.length) : issue.message,
        params: { code: issue.code },
      });
    }
    return undefined;
  }
}

/** The fields, statuses and rules checked as their factories check them, with paths from the configuration's root. */
function checkRules(
  config: {
    calendars: Record<string, z.output<typeof CalendarConfig>>;
    fields: FieldDefinition[];
    statuses: StatusDefinition[];
    rules?: z.output<typeof RulesConfig> | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const fields =
    config.fields.length > 0 ? collect(ctx, ['fields'], () => defineFields(config.fields)) : null;
  const statuses =
    config.statuses.length > 0 ? collect(ctx, ['statuses'], () => defineStatuses(config.statuses)) : null;
  if (config.rules === undefined || fields === undefined || statuses === undefined) return;
  const rules = config.rules;
  const calendars = collect(ctx, ['calendars'], () =>
    Object.fromEntries(Object.entries(config.calendars).map(([name, c]) => [name, createCalendar(c)])),
  );
  if (calendars === undefined) return;
  collect(ctx, ['rules'], () =>
    defineRules(rules, {
      ...(fields ? { fields } : {}),
      ...(statuses ? { statuses } : {}),
      calendars,
    }),
  );
}

/**
 * Validates a desk configuration: every problem at once, each with a code and a path.
 *
 * @throws `CarekitValidationError` (from `carekit/model`).
 * @example
 * ```ts
 * parseDeskConfig({ slaPolicies: [{ id: 'std', calendar: 'office', firstReply: { targets: { normal: { hours: 4 } } } }] });
 * // throws: slaPolicies[0].calendar: there is no calendar `office`; the calendars are none
 * ```
 */
export function parseDeskConfig(input: unknown): ResolvedDeskConfig {
  return parseInput(DeskConfig, input, 'desk configuration');
}

/**
 * Builds a desk from its configuration as data; `extra` adds what data cannot hold (a store,
 * a custom classifier, template context) and wins over the configuration. The configuration's
 * templates become the desk's template library unless `extra.templates` gives one.
 *
 * @example
 * ```ts
 * const desk = createDeskFromConfig({ agents: [{ id: 'ana', name: 'Ana' }] });
 * (await desk.receive(contact)).ticket.assigneeId;
 * //=> 'ana'
 * ```
 */
export function createDeskFromConfig(input: unknown, extra: Partial<DeskOptions> = {}): Desk {
  const config = parseDeskConfig(input);
  const calendars = Object.fromEntries(
    Object.entries(config.calendars).map(([name, c]) => [name, createCalendar(c)]),
  );
  const businessCalendar = config.kpis.businessCalendar ? calendars[config.kpis.businessCalendar] : undefined;
  const fields: TicketFields | null = config.fields.length > 0 ? defineFields(config.fields) : null;
  const statuses: TicketStatuses | null = config.statuses.length > 0 ? defineStatuses(config.statuses) : null;
  return createDesk({
    calendars,
    slaPolicies: config.slaPolicies.map((p) => createSlaPolicy(p)),
    classifier: ruleClassifier(config.classification ?? defaultRules),
    ...(config.segments ? { segments: createSegmentRules(config.segments) } : {}),
    agents: config.agents,
    router: config.routing,
    ...(config.escalation ? { escalation: createEscalationPolicy(config.escalation) } : {}),
    lifecycle: config.lifecycle,
    ...(fields ? { fields } : {}),
    ...(statuses ? { statuses } : {}),
    ...(config.rules ? { rules: config.rules } : {}),
    ...(businessCalendar ? { metricsCalendar: businessCalendar } : {}),
    ...(config.bot ? { bot: { book: createAnswerBook(config.bot.answers), policy: config.bot.policy } } : {}),
    ...(config.templates.length > 0
      ? { templates: createTemplateLibrary(config.templates as TemplateEntryInput[]) }
      : {}),
    ...extra,
  });
}
