import type {
  SettableStatus,
  TicketEvent,
  TicketEventOf,
  TicketEventType,
  TicketStatus,
} from '../../model/index.js';
import { isFinalStatus, priorityRank, type SlaClock } from '../../model/index.js';
import { exactDue, updateAutomations } from './automations.js';
import type { TicketContext } from './context.js';
import type { EffectDraft } from './effects.js';
import { checkEscalationDecision, type EscalationSignal } from './options.js';
import type { RuleEnv } from './ruleEnv.js';
import { stepSurvey } from './survey.js';

/** Why an event was not applied. The snapshot is unchanged. */
export type RejectionCode =
  | 'not_allowed_in_status'
  | 'requires_assignee'
  | 'already_opened'
  | 'wrong_ticket'
  | 'invalid_snapshot'
  | 'invalid_fields'
  | 'required_fields_missing'
  | 'unknown_status'
  | 'unknown_macro'
  /** The desk's: the event names an agent the desk's roster does not have. */
  | 'unknown_agent'
  /** The desk's: a public reply with nothing in it. */
  | 'empty_reply'
  /** The desk's: a merge into the ticket itself, a missing, merged or closed ticket, or another customer's. */
  | 'invalid_merge'
  /** A parent ticket cannot be solved while a child is open (unless `solveWithOpenChildren`). */
  | 'open_children'
  /** A side conversation opened twice, or a message or status for one that is not open. */
  | 'invalid_side'
  /** The desk's: a split, link or unlink that the relations do not allow (a cycle, a missing ticket...). */
  | 'invalid_relation';

/** A guard: a pure test of the ticket and the event. `params` come from the rule table. */
export type Guard = (ctx: TicketContext, event: TicketEvent, env: RuleEnv, params: GuardParams) => boolean;
export interface GuardParams {
  readonly status?: SettableStatus;
}

/**
 * An action: updates the (already copied) context in place and may add effects. Actions run
 * in the order the rule lists them, then `settle` runs once with the status reached.
 */
export type Action = (ctx: TicketContext, event: TicketEvent, env: RuleEnv, effects: EffectDraft[]) => void;

export type GuardName = keyof typeof guards;
export type ActionName = keyof typeof actions;

/** One candidate transition for an event in a status; the first whose guards all pass is taken. */
export interface Rule {
  readonly guards: readonly { readonly type: GuardName; readonly params?: GuardParams }[];
  /** The status reached; absent means the status does not change. */
  readonly target?: TicketStatus;
  readonly actions: readonly ActionName[];
  /** When set, the event is rejected with this code instead. */
  readonly reject?: RejectionCode;
}

const SETTABLE: readonly SettableStatus[] = ['open', 'pending', 'on_hold', 'solved'];
const LIVE: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved'];

function isPublicReply(event: TicketEvent): event is TicketEventOf<'agent.replied'> {
  return event.type === 'agent.replied' && event.public !== false;
}

export const guards = {
  /** An `agent.replied` with `public: false` (an internal reply). */
  internalReply: (_ctx, event) => event.type === 'agent.replied' && event.public === false,
  /** A reply (public or internal) or a status change that sets the given status. */
  setsStatus: (_ctx, event, _env, params) =>
    (event.type === 'agent.replied' || event.type === 'ticket.status_set') && event.status === params.status,
  /**
   * Solving is allowed: no assignee is required, one is set, the replying agent becomes it, or a
   * bot's reply solves it (self-service: the customer said the answer solved it).
   */
  canSolve: (ctx, event, env) =>
    !env.config.requireAssigneeToSolve ||
    ctx.assigneeId !== null ||
    (event.type === 'agent.replied' && event.bot === true) ||
    (env.config.assignOnReply && isPublicReply(event)),
  /** `ticket.assigned` names an agent (not an unassignment). */
  assigning: (_ctx, event) => event.type === 'ticket.assigned' && event.agentId !== null,
  /** The customer wrote within the reopen window of the solve. */
  withinReopenWindow: (ctx, event, env) =>
    ctx.solvedAt !== null && event.at - ctx.solvedAt <= env.config.reopenWindowMs,
  /** The pending ticket's auto-solve instant has come. */
  autoSolveDue: (ctx, event) => ctx.autoSolveAt !== null && event.at >= ctx.autoSolveAt,
  /** The solved ticket's auto-close instant has come. */
  autoCloseDue: (ctx, event) => ctx.autoCloseAt !== null && event.at >= ctx.autoCloseAt,
  /** A `ticket.fields_set` whose every value fits its field's definition. */
  fieldsValid: (_ctx, event, env) =>
    event.type === 'ticket.fields_set' && env.fields !== null && env.fields.check(event.fields).length === 0,
  /** No `requiredToSolve` field is empty. */
  requiredFieldsSet: (ctx, _event, env) =>
    env.fields === null || env.fields.missingToSolve(ctx.fields).length === 0,
  /** The event names a custom status that is not defined, or whose category is not its `status`. */
  unknownCustomStatus: (_ctx, event, env) => {
    if (
      (event.type !== 'agent.replied' && event.type !== 'ticket.status_set') ||
      event.customStatus === undefined
    )
      return false;
    const custom = env.statuses?.byId(event.customStatus);
    return custom === undefined || custom.category !== event.status;
  },
  /** A `macro.applied` naming a macro of the rule set. */
  knownMacro: (_ctx, event, env) =>
    event.type === 'macro.applied' && env.rules?.macros.has(event.macroId) === true,
  /** A child ticket is open and the policy does not allow solving the parent before it. */
  openChildren: (ctx, _event, env) => !env.config.solveWithOpenChildren && openChildrenOf(ctx).length > 0,
  /**
   * A `ticket.child_changed` that leaves no child open, on a ticket whose auto-solve was held for
   * its children (no auto-solve instant while the lifecycle has one): the pending timeout restarts.
   */
  releasesHeldAutoSolve: (ctx, event, env) => {
    if (event.type !== 'ticket.child_changed' || event.state === 'open') return false;
    if (ctx.autoSolveAt !== null || env.config.autoSolvePendingMs === null) return false;
    if (ctx.children[event.childId] !== 'open') return false;
    return openChildrenOf(ctx).every((id) => id === event.childId);
  },
  /** A `side.opened` whose id the ticket has not used yet. */
  newSide: (ctx, event) => event.type === 'side.opened' && ctx.sides[event.sideId] === undefined,
  /** A side event for a side conversation that exists and is not closed (a status may reopen a closed one). */
  liveSide: (ctx, event) => {
    if (event.type !== 'side.replied' && event.type !== 'side.status_set') return false;
    const side = ctx.sides[event.sideId];
    return side !== undefined && (side.status !== 'closed' || event.type === 'side.status_set');
  },
  /** A ticket opened by a blocked customer, under the `close_as_spam` rule. */
  blockedToSpam: (ctx, _event, env) =>
    ctx.customer.blocked === true && env.config.blockedCustomers === 'close_as_spam',
} satisfies Record<string, Guard>;

/** The ids of a ticket's open child tickets, sorted. */
export function openChildrenOf(ctx: TicketContext): string[] {
  const children = ctx.children ?? {};
  return Object.keys(children)
    .filter((id) => children[id] === 'open')
    .sort();
}

function effectBase(ctx: TicketContext, event: TicketEvent) {
  return { ticketId: ctx.ticketId, at: event.at, causedBy: event.id };
}

/** Asks the escalation function about a signal and applies its decisions to the context. */
export function applyEscalation(
  ctx: TicketContext,
  event: TicketEvent,
  env: RuleEnv,
  effects: EffectDraft[],
  signal: EscalationSignal,
) {
  const decisions = env.escalate(signal, {
    ticketId: ctx.ticketId,
    tier: ctx.tier,
    priority: ctx.priority,
    category: ctx.category,
    segment: ctx.customer.segment ?? null,
    reopens: ctx.counters.reopens,
    assigneeId: ctx.assigneeId,
  });
  for (const [index, raw] of decisions.entries()) {
    const decision = checkEscalationDecision(raw, index);
    if (decision.type === 'escalate') raiseTier(ctx, event, env, effects, decision.toTier, decision.reason);
    else if (decision.type === 'notify') {
      effects.push({
        type: 'notify',
        ...effectBase(ctx, event),
        to: decision.role,
        reason: 'escalation',
        message: decision.reason,
      });
    } else if (priorityRank(decision.to) > priorityRank(ctx.priority)) {
      ctx.priority = decision.to;
      if (env.sla !== null && ctx.sla !== null) {
        ctx.sla = env.sla.step(
          ctx.sla,
          {
            type: 'ticket.reprioritized',
            id: event.id,
            ticketId: ctx.ticketId,
            at: event.at,
            priority: decision.to,
          },
          'open',
        );
      }
    }
  }
}

function raiseTier(
  ctx: TicketContext,
  event: TicketEvent,
  env: RuleEnv,
  effects: EffectDraft[],
  toTier: number,
  reason: string,
) {
  const target = Math.min(Math.max(1, Math.trunc(toTier)), env.config.maxTier);
  if (target <= ctx.tier) return;
  const fromTier = ctx.tier;
  ctx.tier = target;
  ctx.counters.escalations += 1;
  // A new tier needs an agent of that tier: the current assignee is released.
  ctx.assigneeId = null;
  effects.push({
    type: 'escalate',
    ...effectBase(ctx, event),
    fromTier,
    toTier: target,
    reason,
    priority: ctx.priority,
  });
  effects.push({
    type: 'route',
    ...effectBase(ctx, event),
    tier: target,
    queue: ctx.queue,
    reason: `escalated: ${reason}`,
  });
}

export const actions = {
  recordCustomerReply: (ctx, event) => {
    ctx.counters.customerReplies += 1;
    ctx.lastCustomerMessageAt = event.at;
  },
  recordAgentReply: (ctx, event, env) => {
    if (event.type !== 'agent.replied') return;
    if (event.public === false) {
      ctx.counters.internalNotes += 1;
      return;
    }
    if (event.bot === true) ctx.counters.botReplies += 1;
    else {
      ctx.counters.agentReplies += 1;
      if (ctx.firstReplyAt === null) ctx.firstReplyAt = event.at;
      if (ctx.assigneeId === null && env.config.assignOnReply) {
        ctx.assigneeId = event.agentId;
        ctx.counters.assignments += 1;
      }
    }
    ctx.lastAgentReplyAt = event.at;
  },
  recordNote: (ctx) => {
    ctx.counters.internalNotes += 1;
  },
  assign: (ctx, event, env) => {
    if (event.type !== 'ticket.assigned') return;
    // A blocked customer's ticket runs no SLA clock while people review it; they start when it leaves review.
    const leavesReview =
      ctx.queue === env.config.reviewQueue && (event.agentId !== null || event.queue === null);
    if (leavesReview && ctx.sla === null && env.sla !== null) {
      ctx.sla = env.sla.init({
        type: 'ticket.opened',
        id: event.id,
        ticketId: ctx.ticketId,
        at: event.at,
        channel: ctx.channel,
        subject: ctx.subject,
        body: '',
        customer: ctx.customer,
        priority: ctx.priority,
        ...(ctx.category !== null ? { category: ctx.category } : {}),
      });
    }
    if (event.agentId !== null && event.agentId !== ctx.assigneeId) ctx.counters.assignments += 1;
    ctx.assigneeId = event.agentId;
    if (event.tier !== undefined && event.tier > ctx.tier) {
      ctx.tier = event.tier;
      ctx.counters.escalations += 1;
    } else if (event.tier !== undefined) ctx.tier = event.tier;
    if (event.agentId !== null) ctx.queue = null;
    else if (event.queue !== undefined) ctx.queue = event.queue;
  },
  reprioritize: (ctx, event) => {
    if (event.type === 'ticket.reprioritized') ctx.priority = event.priority;
  },
  categorize: (ctx, event, env, effects) => {
    if (event.type !== 'ticket.categorized') return;
    ctx.category = event.category;
    for (const tag of event.tags ?? []) if (!ctx.tags.includes(tag)) ctx.tags.push(tag);
    applyEscalation(ctx, event, env, effects, {
      kind: 'classified',
      category: event.category,
      ...(event.sentiment !== undefined ? { sentiment: event.sentiment } : {}),
      ...(event.tags !== undefined && event.tags.length > 0 ? { tags: event.tags } : {}),
    });
  },
  escalateExplicit: (ctx, event, env, effects) => {
    if (event.type !== 'ticket.escalated') return;
    if (event.tier > ctx.tier) raiseTier(ctx, event, env, effects, event.tier, event.reason);
    else ctx.tier = Math.min(event.tier, env.config.maxTier);
  },
  reopen: (ctx, event, env, effects) => {
    ctx.counters.reopens += 1;
    applyEscalation(ctx, event, env, effects, { kind: 'reopened', reopens: ctx.counters.reopens });
  },
  requestFollowUp: (ctx, event, _env, effects) => {
    if (event.type !== 'customer.replied') return;
    effects.push({
      type: 'open_follow_up',
      ...effectBase(ctx, event),
      customerId: ctx.customer.id,
      body: event.body,
      channel: event.channel ?? ctx.channel,
    });
  },
  merge: (ctx, event) => {
    if (event.type !== 'ticket.merged') return;
    ctx.mergedInto = event.into;
    ctx.excluded = 'merged';
  },
  recordMergedFrom: (ctx, event) => {
    if (event.type === 'ticket.merged_from' && !ctx.mergedFrom.includes(event.source))
      ctx.mergedFrom.push(event.source);
  },
  recordSplit: (ctx, event) => {
    if (event.type === 'ticket.split' && !ctx.splitInto.includes(event.into)) ctx.splitInto.push(event.into);
  },
  setParent: (ctx, event) => {
    if (event.type === 'ticket.parent_set') ctx.parentId = event.parentId;
  },
  recordChild: (ctx, event, _env, effects) => {
    if (event.type !== 'ticket.child_changed') return;
    const was = ctx.children[event.childId];
    if (event.state === 'unlinked') delete ctx.children[event.childId];
    else ctx.children[event.childId] = event.state;
    if (event.state === 'done' && was === 'open') {
      effects.push({
        type: 'notify',
        ...effectBase(ctx, event),
        to: ctx.assigneeId ?? `tier:${ctx.tier}`,
        reason: 'child_done',
        message: `child ticket ${event.childId} of ${ctx.ticketId} is done${openChildrenOf(ctx).length === 0 ? '; no child is open now' : ''}`,
      });
    }
  },
  openSide: (ctx, event) => {
    if (event.type !== 'side.opened') return;
    ctx.sides[event.sideId] = {
      subject: event.subject,
      participants: event.participants.map((p) => p.id),
      status: 'waiting',
      openedAt: event.at,
      targetMs: event.targetMs ?? null,
      dueAt: event.targetMs === undefined ? null : event.at + event.targetMs,
      breaches: [],
      messages: 1,
      lastMessageAt: event.at,
    };
  },
  replySide: (ctx, event) => {
    if (event.type !== 'side.replied') return;
    const side = ctx.sides[event.sideId]!;
    side.messages += 1;
    side.lastMessageAt = event.at;
    if (event.direction === 'in') {
      // The third party answered: the clock stops until the next message to them.
      side.status = 'open';
      side.dueAt = null;
      if (!side.participants.includes(event.from)) side.participants.push(event.from);
    } else {
      side.status = 'waiting';
      if (side.targetMs !== null && side.dueAt === null) side.dueAt = event.at + side.targetMs;
    }
  },
  setSideStatus: (ctx, event) => {
    if (event.type !== 'side.status_set') return;
    const side = ctx.sides[event.sideId]!;
    side.status = event.status;
    if (event.status !== 'waiting') side.dueAt = null;
    else if (side.targetMs !== null && side.dueAt === null) side.dueAt = event.at + side.targetMs;
  },
  markSpam: (ctx) => {
    ctx.excluded = 'spam';
  },
  autoSolve: (ctx) => {
    ctx.solvedBy = 'auto';
  },
  /** A pending parent's auto-solve is held while a child is open: no deadline until the last one is done. */
  holdAutoSolve: (ctx) => {
    ctx.autoSolveAt = null;
  },
  /** The last open child is done: the held parent's pending timeout starts again from now. */
  resumeAutoSolve: (ctx, event, env) => {
    if (env.config.autoSolvePendingMs !== null) ctx.autoSolveAt = event.at + env.config.autoSolvePendingMs;
  },
  solveByAgent: (ctx) => {
    ctx.solvedBy = 'agent';
  },
  setFields: (ctx, event) => {
    if (event.type !== 'ticket.fields_set') return;
    for (const [id, value] of Object.entries(event.fields)) {
      if (value === null) delete ctx.fields[id];
      else ctx.fields[id] = value;
    }
  },
  tag: (ctx, event) => {
    if (event.type !== 'ticket.tagged') return;
    for (const tag of event.add ?? []) if (!ctx.tags.includes(tag)) ctx.tags.push(tag);
    const remove = event.remove ?? [];
    if (remove.length > 0) ctx.tags = ctx.tags.filter((t) => !remove.includes(t));
  },
  recordSurvey: (ctx, event) => {
    if (event.type !== 'survey.answered') return;
    ctx.surveys.push(
      event.comment === undefined
        ? { survey: event.survey, score: event.score, at: event.at }
        : { survey: event.survey, score: event.score, at: event.at, comment: event.comment },
    );
  },
  /** Closes a blocked customer's new ticket as spam (runs at start, from the opened event). */
  closeBlocked: (ctx, _event, env, effects) => {
    const opened = ctx.eventIds[0] ?? ctx.ticketId;
    ctx.excluded = 'spam';
    ctx.automations = {};
    ctx.closedAt = ctx.openedAt;
    ctx.statusChangedAt = ctx.openedAt;
    if (env.sla !== null && ctx.sla !== null) {
      ctx.sla = env.sla.step(
        ctx.sla,
        { type: 'ticket.marked_spam', id: opened, ticketId: ctx.ticketId, at: ctx.openedAt },
        'closed',
      );
    }
    effects.push({
      type: 'notify',
      ticketId: ctx.ticketId,
      at: ctx.openedAt,
      causedBy: opened,
      to: 'team_lead',
      reason: 'blocked_customer',
      message: `ticket from blocked customer ${ctx.customer.id} closed as spam`,
    });
  },
} satisfies Record<string, Action>;

const stay = (...names: ActionName[]): Rule => ({ guards: [], actions: names });
const reject = (code: RejectionCode): Rule => ({ guards: [], actions: [], reject: code });

function settableRules(from: TicketStatus, eventType: 'agent.replied' | 'ticket.status_set'): Rule[] {
  const rules: Rule[] = [
    { guards: [{ type: 'unknownCustomStatus' }], actions: [], reject: 'unknown_status' },
  ];
  const record: ActionName[] = eventType === 'agent.replied' ? ['recordAgentReply'] : [];
  for (const status of SETTABLE) {
    const leavesSolved = from === 'solved' && status !== 'solved';
    const acts: ActionName[] = [...record, ...(leavesSolved ? (['reopen'] as const) : [])];
    if (status === 'solved') {
      rules.push({
        guards: [{ type: 'setsStatus', params: { status } }, { type: 'openChildren' }],
        actions: [],
        reject: 'open_children',
      });
      rules.push({
        guards: [
          { type: 'setsStatus', params: { status } },
          { type: 'canSolve' },
          { type: 'requiredFieldsSet' },
        ],
        ...(from === 'solved' ? {} : { target: status }),
        actions: [...acts, 'solveByAgent'],
      });
      rules.push({
        guards: [{ type: 'setsStatus', params: { status } }, { type: 'canSolve' }],
        actions: [],
        reject: 'required_fields_missing',
      });
      rules.push({
        guards: [{ type: 'setsStatus', params: { status } }],
        actions: [],
        reject: 'requires_assignee',
      });
    } else {
      rules.push({
        guards: [{ type: 'setsStatus', params: { status } }],
        ...(from === status ? {} : { target: status }),
        actions: acts,
      });
    }
  }
  return rules;
}

function liveRules(from: TicketStatus): Partial<Record<TicketEventType, readonly Rule[]>> {
  const customerReplied: Rule[] =
    from === 'pending' || from === 'on_hold'
      ? [{ guards: [], target: 'open', actions: ['recordCustomerReply'] }]
      : from === 'solved'
        ? [
            {
              guards: [{ type: 'withinReopenWindow' }],
              target: 'open',
              actions: ['recordCustomerReply', 'reopen'],
            },
            { guards: [], target: 'closed', actions: ['recordCustomerReply', 'requestFollowUp'] },
          ]
        : [stay('recordCustomerReply')];
  const tick: Rule[] =
    from === 'pending'
      ? [
          // A parent is not solved behind its children's backs: its auto-solve waits for them.
          { guards: [{ type: 'autoSolveDue' }, { type: 'openChildren' }], actions: ['holdAutoSolve'] },
          { guards: [{ type: 'autoSolveDue' }], target: 'solved', actions: ['autoSolve'] },
          stay(),
        ]
      : from === 'solved'
        ? [{ guards: [{ type: 'autoCloseDue' }], target: 'closed', actions: [] }, stay()]
        : [stay()];
  return {
    'ticket.opened': [reject('already_opened')],
    'customer.replied': customerReplied,
    'agent.replied': [
      ...settableRules(from, 'agent.replied'),
      { guards: [{ type: 'internalReply' }], actions: ['recordAgentReply'] },
      { guards: [], ...(from === 'new' ? { target: 'open' as const } : {}), actions: ['recordAgentReply'] },
    ],
    'agent.noted': [stay('recordNote')],
    'ticket.assigned':
      from === 'new'
        ? [{ guards: [{ type: 'assigning' }], target: 'open', actions: ['assign'] }, stay('assign')]
        : [stay('assign')],
    'ticket.status_set': settableRules(from, 'ticket.status_set'),
    'ticket.reprioritized': [stay('reprioritize')],
    'ticket.categorized': [stay('categorize')],
    'ticket.escalated': [stay('escalateExplicit')],
    'ticket.merged': [{ guards: [], target: 'merged', actions: ['merge'] }],
    'message.moved': [stay()],
    'ticket.merged_from': [stay('recordMergedFrom')],
    'ticket.split': [stay('recordSplit')],
    'ticket.parent_set': [stay('setParent')],
    'ticket.child_changed':
      from === 'pending'
        ? [
            { guards: [{ type: 'releasesHeldAutoSolve' }], actions: ['recordChild', 'resumeAutoSolve'] },
            stay('recordChild'),
          ]
        : [stay('recordChild')],
    'side.opened': [{ guards: [{ type: 'newSide' }], actions: ['openSide'] }, reject('invalid_side')],
    'side.replied': [{ guards: [{ type: 'liveSide' }], actions: ['replySide'] }, reject('invalid_side')],
    'side.status_set': [
      { guards: [{ type: 'liveSide' }], actions: ['setSideStatus'] },
      reject('invalid_side'),
    ],
    'ticket.closed': [{ guards: [], target: 'closed', actions: [] }],
    'ticket.marked_spam': [{ guards: [], target: 'closed', actions: ['markSpam'] }],
    'ticket.fields_set': [
      { guards: [{ type: 'fieldsValid' }], actions: ['setFields'] },
      reject('invalid_fields'),
    ],
    'ticket.tagged': [stay('tag')],
    'macro.applied': [{ guards: [{ type: 'knownMacro' }], actions: [] }, reject('unknown_macro')],
    'survey.answered': from === 'solved' ? [stay('recordSurvey')] : [reject('not_allowed_in_status')],
    'clock.tick': tick,
  };
}

function finalRules(): Partial<Record<TicketEventType, readonly Rule[]>> {
  return {
    'ticket.opened': [reject('already_opened')],
    'survey.answered': [stay('recordSurvey')],
    // A parent learns of its children whatever its own status (it may be closed before them), and a
    // merge that began before the ticket closed still brings its messages (docs/relations.md).
    'ticket.child_changed': [stay('recordChild')],
    'message.moved': [stay()],
    'ticket.merged_from': [stay('recordMergedFrom')],
    'clock.tick': [stay()],
  };
}

/**
 * The lifecycle as data: for each status and event type, the candidate transitions in order.
 * An event type missing from a status is rejected with `not_allowed_in_status`. The XState
 * machine is built from this table, and the fast `apply`/`replay` path interprets the same
 * table with the same guards and actions.
 */
export const ticketRules: Readonly<Record<TicketStatus, Partial<Record<TicketEventType, readonly Rule[]>>>> =
  {
    new: liveRules('new'),
    open: liveRules('open'),
    pending: liveRules('pending'),
    on_hold: liveRules('on_hold'),
    solved: liveRules('solved'),
    closed: finalRules(),
    merged: finalRules(),
  };

export { LIVE as LIVE_STATUSES };

/** Picks the rule for an event in a status: the first whose guards all pass, or undefined. */
export function selectRule(
  status: TicketStatus,
  ctx: TicketContext,
  event: TicketEvent,
  env: RuleEnv,
): Rule | undefined {
  const candidates = ticketRules[status][event.type];
  if (candidates === undefined) return undefined;
  for (const rule of candidates) {
    let pass = true;
    for (const guard of rule.guards) {
      if (!(guards[guard.type] as Guard)(ctx, event, env, guard.params ?? {})) {
        pass = false;
        break;
      }
    }
    if (pass) return rule;
  }
  return undefined;
}

/**
 * Bookkeeping after every accepted event, with the status reached: timestamps, deadlines,
 * the SLA step, SLA alerts and the escalations they trigger, and the event id.
 */
export function settle(
  ctx: TicketContext,
  from: TicketStatus,
  to: TicketStatus,
  event: TicketEvent,
  env: RuleEnv,
  effects: EffectDraft[],
): void {
  const { config } = env;
  if (to !== from) {
    ctx.statusChangedAt = event.at;
    if (to === 'solved') {
      ctx.solvedAt = event.at;
      if (ctx.firstSolvedAt === null) ctx.firstSolvedAt = event.at;
    } else if (from === 'solved' && to !== 'closed' && to !== 'merged') {
      // Reopened: no longer solved. Closing or merging keeps when it was solved.
      ctx.solvedAt = null;
      ctx.solvedBy = null;
    }
    if (isFinalStatus(to)) ctx.closedAt = event.at;
  }
  // A stale pending ticket is measured from entering pending or the last public reply in it.
  if (to !== 'pending') ctx.autoSolveAt = null;
  else if (config.autoSolvePendingMs !== null && (from !== 'pending' || isPublicReply(event))) {
    ctx.autoSolveAt = event.at + config.autoSolvePendingMs;
  }
  if (to !== 'solved') ctx.autoCloseAt = null;
  else if (from !== 'solved' && config.autoCloseSolvedMs !== null)
    ctx.autoCloseAt = event.at + config.autoCloseSolvedMs;

  // A status given explicitly replaces the custom status; any other change of status clears it.
  if ((event.type === 'ticket.status_set' || event.type === 'agent.replied') && event.status !== undefined)
    ctx.customStatus = event.customStatus ?? null;
  else if (to !== from) ctx.customStatus = null;

  if (env.survey !== null) stepSurvey(ctx, from, to, event, env.survey, effects);
  if (env.sla !== null && ctx.sla !== null) {
    const custom = ctx.customStatus === null ? undefined : env.statuses?.byId(ctx.customStatus)?.pauses;
    ctx.sla =
      custom === undefined ? env.sla.step(ctx.sla, event, to) : env.sla.step(ctx.sla, event, to, custom);
    if (to !== 'closed' && to !== 'merged') raiseSlaAlerts(ctx, event, env, effects);
  }
  if (to !== 'closed' && to !== 'merged') raiseSideAlerts(ctx, event, effects);
  ctx.lastEventAt = event.at;
  if (!isDeadlineTick(event)) ctx.eventIds.push(event.id);
  if (env.rules !== null && env.rules.automations.length > 0) updateAutomations(ctx, to, event.at, env);
}

/** Marks the ticks the lifecycle makes itself when an event arrives after a deadline. */
const DEADLINE_TICK = '#deadline';

function isDeadlineTick(event: TicketEvent): boolean {
  return event.type === 'clock.tick' && event.id.endsWith(DEADLINE_TICK);
}

/**
 * The first auto-solve or auto-close deadline that has passed by `at`, or null. An event that
 * arrives after a deadline is applied as if a `clock.tick` had come at the deadline first, so a
 * ticket's history does not depend on how often the host ticks.
 */
export function passedDeadline(
  status: TicketStatus,
  ctx: TicketContext,
  at: number,
  env: RuleEnv,
): number | null {
  // Called for every event: plain comparisons, no allocation. A survey deadline counts only
  // under a survey policy (a snapshot saved by a workflow with one may be read by one without).
  const survey = env.survey === null ? null : ctx.survey.dueAt;
  let first = survey !== null && survey <= at ? survey : null;
  const own = status === 'pending' ? ctx.autoSolveAt : status === 'solved' ? ctx.autoCloseAt : null;
  if (own !== null && own <= at && (first === null || own < first)) first = own;
  // Business-rule automations are deadlines too: one due before the event fires at its instant.
  // A state reached may be a lower bound of the instant: the instant is then computed.
  for (const id in ctx.automations) {
    const stored = ctx.automations[id];
    if (typeof stored !== 'number' || stored > at || (first !== null && stored >= first)) continue;
    const due = exactDue(status, ctx, id, stored, env);
    if (due !== null && due <= at && (first === null || due < first)) first = due;
  }
  return first;
}

/** The tick the lifecycle applies at a passed deadline, on behalf of `cause`. */
export function deadlineTick(cause: TicketEvent, deadline: number): TicketEvent {
  return { type: 'clock.tick', id: `${cause.id}${DEADLINE_TICK}`, ticketId: cause.ticketId, at: deadline };
}

/** A side conversation whose answer is overdue is announced once per missed instant. */
function raiseSideAlerts(ctx: TicketContext, event: TicketEvent, effects: EffectDraft[]) {
  for (const id in ctx.sides) {
    const side = ctx.sides[id]!;
    const due = side.dueAt;
    if (due === null || due > event.at || side.breaches[side.breaches.length - 1] === due) continue;
    side.breaches.push(due);
    effects.push({
      type: 'notify',
      ...effectBase(ctx, event),
      to: ctx.assigneeId ?? `tier:${ctx.tier}`,
      reason: 'side_overdue',
      message: `side conversation ${id} (${side.subject}) has waited for ${side.participants.join(', ')} past its target of ${new Date(due).toISOString()}`,
    });
  }
}

function raiseSlaAlerts(ctx: TicketContext, event: TicketEvent, env: RuleEnv, effects: EffectDraft[]) {
  const sla = env.sla!;
  if (sla.alertsDue !== undefined && !sla.alertsDue(ctx.sla, event.at, ctx.slaAlerts)) return;
  const reading = sla.read(ctx.sla, event.at);
  for (const [clock, view] of Object.entries(reading.clocks)) {
    for (const kind of ['warning', 'breach'] as const) {
      const when = kind === 'warning' ? view.warnedAt : view.breachedAt;
      const key = `${clock}:${kind}`;
      if (when === null || when > event.at || ctx.slaAlerts[key] === when) continue;
      ctx.slaAlerts[key] = when;
      effects.push({
        type: 'notify',
        ...effectBase(ctx, event),
        to: ctx.assigneeId ?? `tier:${ctx.tier}`,
        reason: kind === 'warning' ? 'sla_warning' : 'sla_breach',
        message: `${clock} ${kind === 'warning' ? 'SLA warning' : 'SLA breached'} at ${new Date(when).toISOString()}`,
      });
      applyEscalation(ctx, event, env, effects, {
        kind: kind === 'warning' ? 'sla_warning' : 'sla_breach',
        clock: clock as SlaClock,
      });
    }
  }
}
