import type { Channel, Customer, FieldValue, Priority, SurveyKind, TicketStatus } from '../../model/index.js';

/** Version of the snapshot layout. A snapshot with another version is refused by `apply`. */
export const TICKET_SNAPSHOT_VERSION = 1;

/** Where a ticket's survey stands. Plain JSON, in the ticket's context. */
export interface SurveyState {
  status: 'none' | 'scheduled' | 'requested' | 'reminded' | 'answered' | 'expired' | 'skipped';
  /** When the survey workflow next needs a tick (send, remind, expire), or null. */
  dueAt: number | null;
  /** The surveys requested. */
  kinds: SurveyKind[];
  requestedAt: number | null;
  /** Why it was skipped, when it was. */
  skipped: 'auto_solved' | 'agent_created' | 'spam' | 'merged' | null;
}

/** Counters kept per ticket. */
export interface TicketCounters {
  /** Public replies by people (bots excluded). */
  agentReplies: number;
  /** Public replies marked `bot: true`. */
  botReplies: number;
  /** Internal replies and notes. */
  internalNotes: number;
  customerReplies: number;
  /** Times the ticket left `solved` for `open`, `pending` or `on_hold`. */
  reopens: number;
  /** Tier changes upward, explicit or decided by the escalation policy. */
  escalations: number;
  /** Assignments to an agent (unassigning does not count). */
  assignments: number;
}

/** A survey answer recorded on the ticket. */
export interface RecordedSurvey {
  survey: SurveyKind;
  score: number;
  at: number;
  comment?: string;
}

/** Where a side conversation (a thread with a third party inside the ticket) stands. */
export interface SideConversation {
  subject: string;
  /** The participants' ids (third parties; agents who write are not listed). */
  participants: string[];
  status: 'open' | 'waiting' | 'closed';
  openedAt: number;
  /** The internal target in calendar ms (an OLA), or null for no clock. */
  targetMs: number | null;
  /** When the third party's answer is due: set while the side conversation waits for it. */
  dueAt: number | null;
  /** Every instant the target passed unanswered (each `dueAt` that was missed), oldest first. */
  breaches: number[];
  /** Messages in it, both directions. */
  messages: number;
  lastMessageAt: number;
}

/**
 * Everything the lifecycle knows about a ticket besides its status. Plain JSON: epoch-ms
 * numbers, no Date objects, no functions, so it can be stored anywhere and restored.
 */
export interface TicketContext {
  ticketId: string;
  channel: Channel;
  subject: string;
  customer: Customer;
  language: string | null;
  priority: Priority;
  category: string | null;
  tags: string[];
  origin: 'customer' | 'agent' | 'system';
  followUpOf: string | null;
  assigneeId: string | null;
  tier: number;
  /** A special queue the ticket sits in (`review` for blocked customers), or null. */
  queue: string | null;
  counters: TicketCounters;
  openedAt: number;
  firstReplyAt: number | null;
  firstSolvedAt: number | null;
  /** When the ticket was last solved; null while it is not solved. */
  solvedAt: number | null;
  /** `agent` when a person solved it, `auto` when the pending timeout did. */
  solvedBy: 'agent' | 'auto' | null;
  closedAt: number | null;
  lastCustomerMessageAt: number | null;
  lastAgentReplyAt: number | null;
  statusChangedAt: number;
  lastEventAt: number;
  /** Why the ticket is left out of metrics, if it is. */
  excluded: 'spam' | 'merged' | null;
  mergedInto: string | null;
  /** The tickets merged into this one, in the order they came. */
  mergedFrom: string[];
  /** The ticket this one was split from, or null. */
  splitFrom: string | null;
  /** The tickets split off this one, in order. */
  splitInto: string[];
  /** The parent ticket, or null. */
  parentId: string | null;
  /** The child tickets and whether each is still open (`done`: solved, closed or merged). */
  children: Record<string, 'open' | 'done'>;
  /** Side conversations by id. Their messages never reach the customer. */
  sides: Record<string, SideConversation>;
  /** When a stale pending ticket will be solved automatically. */
  autoSolveAt: number | null;
  /** When a solved ticket will be closed automatically. */
  autoCloseAt: number | null;
  surveys: RecordedSurvey[];
  /** Where the post-solve survey stands (see the survey policy). */
  survey: SurveyState;
  /** The SLA engine's state (plain JSON), or null without an SLA policy. */
  sla: unknown;
  /** SLA alerts already sent, by `clock:kind`, with the instant they were about. */
  slaAlerts: Record<string, number>;
  /** Ids of every event applied, for idempotency. */
  eventIds: string[];
  /** The ticket fields' values (see `defineFields`); a cleared field is absent. */
  fields: Record<string, FieldValue>;
  /** The desk's custom status the ticket is in (its category is the status), or null. */
  customStatus: string | null;
  /**
   * Where each automation of the business rules stands, by id: the instant it is due, or
   * `fired` in the current episode (see `carekit/rules`). Empty without automations.
   */
  automations: Record<string, number | 'fired'>;
}

/** A ticket's durable state: store it as JSON, restore it, keep applying events. */
export interface TicketSnapshot {
  schemaVersion: typeof TICKET_SNAPSHOT_VERSION;
  status: TicketStatus;
  context: TicketContext;
}

/**
 * Copies a context so that the rules can change the copy in place. Only the parts the rules
 * mutate are copied (counters, tags, surveys, alerts, event ids, fields, automations, relations,
 * side conversations); the customer, the survey state and the SLA state are never mutated (the
 * SLA engine returns new states), so they are shared. Several times faster than
 * `structuredClone`, which dominated replay when deadlines passed.
 *
 * Every field is named in one literal, in one order, rather than spread from `ctx`: a spread of
 * a spread's result (each event clones the context the last one left) took V8's slow path and
 * cost about ten times the literal. Keys the type does not declare (a migrated snapshot's own)
 * are kept, after the declared ones, as the spread kept them.
 */
export function cloneContext(ctx: TicketContext): TicketContext {
  const copy: TicketContext = {
    ticketId: ctx.ticketId,
    channel: ctx.channel,
    subject: ctx.subject,
    customer: ctx.customer,
    language: ctx.language,
    priority: ctx.priority,
    category: ctx.category,
    tags: ctx.tags.slice(),
    origin: ctx.origin,
    followUpOf: ctx.followUpOf,
    assigneeId: ctx.assigneeId,
    tier: ctx.tier,
    queue: ctx.queue,
    counters: { ...ctx.counters },
    openedAt: ctx.openedAt,
    firstReplyAt: ctx.firstReplyAt,
    firstSolvedAt: ctx.firstSolvedAt,
    solvedAt: ctx.solvedAt,
    solvedBy: ctx.solvedBy,
    closedAt: ctx.closedAt,
    lastCustomerMessageAt: ctx.lastCustomerMessageAt,
    lastAgentReplyAt: ctx.lastAgentReplyAt,
    statusChangedAt: ctx.statusChangedAt,
    lastEventAt: ctx.lastEventAt,
    excluded: ctx.excluded,
    mergedInto: ctx.mergedInto,
    // Snapshots stored before relations existed lack these: they read as no relation.
    mergedFrom: ctx.mergedFrom === undefined ? [] : ctx.mergedFrom.slice(),
    splitFrom: ctx.splitFrom ?? null,
    splitInto: ctx.splitInto === undefined ? [] : ctx.splitInto.slice(),
    parentId: ctx.parentId ?? null,
    children: { ...ctx.children },
    sides: cloneSides(ctx.sides),
    autoSolveAt: ctx.autoSolveAt,
    autoCloseAt: ctx.autoCloseAt,
    surveys: ctx.surveys.slice(),
    survey: ctx.survey,
    sla: ctx.sla,
    slaAlerts: { ...ctx.slaAlerts },
    eventIds: ctx.eventIds.slice(),
    // Snapshots stored before fields and rules existed lack these three: they read as empty.
    fields: { ...ctx.fields },
    customStatus: ctx.customStatus ?? null,
    automations: { ...ctx.automations },
  };
  // The literal writes every declared key (undefined ones too): a key it lacks is undeclared.
  for (const key in ctx) {
    if (!Object.hasOwn(copy, key) && Object.hasOwn(ctx, key))
      (copy as unknown as Record<string, unknown>)[key] = (ctx as unknown as Record<string, unknown>)[key];
  }
  return copy;
}

function cloneSides(sides: Record<string, SideConversation> | undefined): Record<string, SideConversation> {
  const out: Record<string, SideConversation> = {};
  if (sides === undefined) return out;
  for (const id in sides) {
    const side = sides[id]!;
    out[id] = { ...side, participants: [...side.participants], breaches: [...side.breaches] };
  }
  return out;
}
