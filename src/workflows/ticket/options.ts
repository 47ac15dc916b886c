import { z } from 'zod';
import { checkNumber, checkObject, checkOneOf, checkString, readArgument } from '../../model/arguments.js';
import { CarekitError, Duration, durationToMs, parseOptions } from '../../model/index.js';
import type { EscalateFn, EscalationDecision } from '../../routing/index.js';
import type { WorkflowErrorCode } from '../errors.js';
import { SurveyPolicy } from './survey.js';

/**
 * The data part of a ticket workflow's configuration (it can live in a JSON file and be
 * rendered into review documents). Durations are calendar time.
 */
export const TicketWorkflowConfig = z.strictObject({
  /** A customer reply to a solved ticket within this time reopens it; later, it closes it and asks for a follow-up ticket. Default 7 days. */
  reopenWindow: Duration.default({ days: 7 }),
  /** A ticket left in `pending` this long after its last change is solved automatically. `null` turns it off. Default 7 days. */
  autoSolvePendingAfter: Duration.nullable().default({ days: 7 }),
  /** A solved ticket is closed this long after it was solved. `null` turns it off. Default 4 days (Zendesk's default automation). */
  autoCloseSolvedAfter: Duration.nullable().default({ days: 4 }),
  /** Refuse to solve a ticket that has no assignee (`requires_assignee`). Default true. */
  requireAssigneeToSolve: z.boolean().default(true),
  /** A public reply on an unassigned ticket assigns it to the agent who replied. Default true. */
  assignOnReply: z.boolean().default(true),
  /**
   * Allow solving a parent ticket while a child ticket is open. Default false: the solve is
   * refused `open_children`, naming them (see docs/relations.md).
   */
  solveWithOpenChildren: z.boolean().default(false),
  /** What happens to a ticket opened by a blocked customer. Default `review_queue`. */
  blockedCustomers: z.enum(['close_as_spam', 'review_queue']).default('review_queue'),
  /** The queue name blocked customers' tickets are routed to. */
  reviewQueue: z.string().min(1).max(100).default('review'),
  /** Template sent to acknowledge a new customer ticket, or null for none. */
  acknowledgeTemplate: z.string().min(1).max(200).nullable().default(null),
  /** The highest tier; escalation never goes above it. Default 3 (frontline, specialist, manager). */
  maxTier: z.number().int().min(1).max(100).default(3),
  /** Satisfaction surveys after solving, or null for none. Default none. */
  survey: SurveyPolicy.nullable().default(null),
});
/** The lifecycle's configuration as a user writes it (defaults may be left out); {@link ResolvedTicketWorkflowConfig} is the parsed form. */
export type TicketWorkflowConfig = z.input<typeof TicketWorkflowConfig>;
/** The lifecycle's configuration as parsed: every default filled in. */
export type ResolvedTicketWorkflowConfig = z.output<typeof TicketWorkflowConfig>;
/**
 * The lifecycle's configuration as a user writes it.
 *
 * @deprecated The same type as {@link TicketWorkflowConfig}, which is now what users write; use that name.
 */
export type TicketWorkflowConfigInput = TicketWorkflowConfig;

export type {
  EscalateFn,
  EscalationDecision,
  EscalationSignal,
  EscalationTicket,
} from '../../routing/index.js';

/**
 * The escalation used until a policy is given: a breached SLA clock moves the ticket up one
 * tier; a second reopen notifies the team lead. A signal or ticket of the wrong shape is refused
 * with a `CarekitArgumentError` (`invalid_type`, `invalid_signal`, `unreadable_input`).
 *
 * @example
 * ```ts
 * defaultEscalation({ kind: 'sla_breach', clock: 'firstReply' }, { ticketId: 't', tier: 1, priority: 'normal', category: null, segment: null, reopens: 0, assigneeId: null });
 * //=> [{ type: 'escalate', toTier: 2, reason: 'firstReply SLA breached' }]
 * ```
 */
export const defaultEscalation: EscalateFn = (signal, ticket) => {
  const fn = 'defaultEscalation';
  checkObject(signal, fn, ['signal'], 'an escalation signal ({ kind, ... })');
  checkObject(ticket, fn, ['ticket'], 'an escalation ticket ({ ticketId, tier, ... })');
  const kind = checkOneOf(
    readArgument(signal, 'kind', fn, ['signal', 'kind']),
    ['sla_warning', 'sla_breach', 'reopened', 'classified'],
    fn,
    ['signal', 'kind'],
    'invalid_signal',
  );
  if (kind === 'sla_breach') {
    const clock = checkString(
      readArgument(signal, 'clock', fn, ['signal', 'clock']),
      fn,
      ['signal', 'clock'],
      100,
    );
    const tier = checkNumber(
      readArgument(ticket, 'tier', fn, ['ticket', 'tier']),
      fn,
      ['ticket', 'tier'],
      'a whole tier from 1 to 100',
      1,
      100,
    );
    return [{ type: 'escalate', toTier: tier + 1, reason: `${clock} SLA breached` }];
  }
  if (kind === 'reopened') {
    const reopens = checkNumber(
      readArgument(signal, 'reopens', fn, ['signal', 'reopens']),
      fn,
      ['signal', 'reopens'],
      'a count of reopens, 0 or more',
      0,
    );
    if (reopens >= 2) return [{ type: 'notify', role: 'team_lead', reason: `reopened ${reopens} times` }];
  }
  return [];
};

/**
 * Reads one decision an escalation function returned, refusing a shape it does not know (the
 * lifecycle's old `{ action, to, priority }` words among them) rather than ignoring it.
 */
export function checkEscalationDecision(decision: unknown, index: number): EscalationDecision {
  const d = decision as Partial<Record<string, unknown>> | null;
  if (d !== null && typeof d === 'object' && typeof d.reason === 'string') {
    if (d.type === 'escalate' && typeof d.toTier === 'number') return d as EscalationDecision;
    if (d.type === 'notify' && typeof d.role === 'string') return d as EscalationDecision;
    if (d.type === 'raise_priority' && typeof d.to === 'string') return d as EscalationDecision;
  }
  throw new CarekitError<WorkflowErrorCode>(
    'invalid_escalation_decision',
    `the escalation function's decision [${index}] is not one it may return: expected { type: 'escalate', toTier, reason }, { type: 'notify', role, reason } or { type: 'raise_priority', to, reason }${d !== null && typeof d === 'object' && 'action' in d ? ' (the words were renamed: action → type, notify to → role, raise_priority priority → to)' : ''}`,
  );
}

/** The configuration with durations resolved to milliseconds, as the rules use it. */
export interface ResolvedConfig {
  readonly reopenWindowMs: number;
  readonly autoSolvePendingMs: number | null;
  readonly autoCloseSolvedMs: number | null;
  readonly requireAssigneeToSolve: boolean;
  readonly assignOnReply: boolean;
  readonly solveWithOpenChildren: boolean;
  readonly blockedCustomers: 'close_as_spam' | 'review_queue';
  readonly reviewQueue: string;
  readonly acknowledgeTemplate: string | null;
  readonly maxTier: number;
}

export function resolveConfig(config: ResolvedTicketWorkflowConfig): ResolvedConfig {
  return {
    reopenWindowMs: durationToMs(config.reopenWindow),
    autoSolvePendingMs:
      config.autoSolvePendingAfter === null ? null : durationToMs(config.autoSolvePendingAfter),
    autoCloseSolvedMs:
      config.autoCloseSolvedAfter === null ? null : durationToMs(config.autoCloseSolvedAfter),
    requireAssigneeToSolve: config.requireAssigneeToSolve,
    assignOnReply: config.assignOnReply,
    solveWithOpenChildren: config.solveWithOpenChildren,
    blockedCustomers: config.blockedCustomers,
    reviewQueue: config.reviewQueue,
    acknowledgeTemplate: config.acknowledgeTemplate,
    maxTier: config.maxTier,
  };
}

/**
 * The lifecycle's deadlines as `ticketFacts` options, so facts read a ticket's log with the rules
 * that lifecycle applied to it: its reopen window, and its auto-solve and auto-close deadlines.
 * The configuration is checked as `createTicketWorkflow` checks it (a `CarekitValidationError`
 * with each problem's code and path; unknown keys refused).
 *
 * @example
 * ```ts
 * const tickets = createTicketWorkflow({ autoSolvePendingAfter: { days: 3 } });
 * ticketFacts(log, { ...lifecycleFactsOptions(tickets.config) }).status;
 * //=> 'solved'
 * ```
 */
export function lifecycleFactsOptions(config: TicketWorkflowConfig): {
  readonly reopenWindowMs: number;
  readonly autoSolvePendingAfterMs: number | null;
  readonly autoCloseSolvedAfterMs: number | null;
  readonly solveWithOpenChildren: boolean;
} {
  // The config of a workflow (`tickets.config`) or its input: checked as `createTicketWorkflow`
  // checks it (a strict object: unknown keys refused, with the allowed ones listed).
  const resolved = resolveConfig(parseOptions(TicketWorkflowConfig, config, 'lifecycleFactsOptions config'));
  return {
    reopenWindowMs: resolved.reopenWindowMs,
    autoSolvePendingAfterMs: resolved.autoSolvePendingMs,
    autoCloseSolvedAfterMs: resolved.autoCloseSolvedMs,
    solveWithOpenChildren: resolved.solveWithOpenChildren,
  };
}
