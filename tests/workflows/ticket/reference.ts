// A deliberately plain reference model of the lifecycle rules, written without the rule
// table, for the model-based tests.
import {
  defineFields,
  defineStatuses,
  type TicketEvent,
  type TicketStatus,
} from '../../../src/model/index.js';

const H = 3_600_000;

/** The fields and custom status of the first configuration (the reference checks them by hand). */
export const refFields = defineFields([
  { id: 'order_id', type: 'text', label: 'Order number', requiredToSolve: true },
  { id: 'refund', type: 'number', label: 'Refund', min: 0 },
  { id: 'reason', type: 'one_of', label: 'Reason', options: ['late', 'broken'] },
]);
export const refStatuses = defineStatuses([
  { id: 'awaiting_supplier', label: 'Awaiting supplier', category: 'on_hold', pauses: { resolution: true } },
]);

export const configs = [
  {
    fields: refFields,
    statuses: refStatuses,
    reopenWindow: { days: 7 },
    autoSolvePendingAfter: { days: 7 },
    autoCloseSolvedAfter: { days: 4 },
    requireAssigneeToSolve: true,
    assignOnReply: true,
  },
  {
    reopenWindow: { days: 2 },
    autoSolvePendingAfter: { days: 3 },
    autoCloseSolvedAfter: null,
    requireAssigneeToSolve: false,
    assignOnReply: false,
  },
  {
    reopenWindow: { hours: 12 },
    autoSolvePendingAfter: null,
    autoCloseSolvedAfter: { days: 1 },
    requireAssigneeToSolve: true,
    assignOnReply: false,
  },
] as const;

export interface Ref {
  status: TicketStatus;
  assignee: string | null;
  solvedAt: number | null;
  autoSolveAt: number | null;
  autoCloseAt: number | null;
  last: number;
  ids: Set<string>;
  reopens: number;
  agentReplies: number;
  customerReplies: number;
  firstReplyAt: number | null;
  tier: number;
  fields: Record<string, unknown>;
  customStatus: string | null;
}

function fieldsOk(fields: Record<string, unknown>): boolean {
  return Object.entries(fields).every(([id, v]) => {
    if (v === null) return ['order_id', 'refund', 'reason'].includes(id);
    if (id === 'order_id') return typeof v === 'string';
    if (id === 'refund') return typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (id === 'reason') return v === 'late' || v === 'broken';
    return false;
  });
}

export type Cfg = (typeof configs)[number];
const ms = (d: { days?: number; hours?: number } | null) =>
  d === null ? null : ((d.days ?? 0) * 24 + (d.hours ?? 0)) * H;

export function refApply(
  committed: Ref,
  sent: TicketEvent,
  cfg: Cfg,
): { outcome: 'applied' | 'duplicate' | string } {
  // The time rule: an event stamped before the last one is applied at the last instant.
  const e = sent.at < committed.last ? { ...sent, at: committed.last } : sent;
  if (committed.ids.has(e.id)) return { outcome: 'duplicate' };
  if (e.type === 'ticket.opened' && e.ticketId === 'T-1') return { outcome: 'already_opened' };
  if (e.ticketId !== 'T-1') return { outcome: 'wrong_ticket' };
  const ref: Ref = { ...committed, ids: new Set(committed.ids), fields: { ...committed.fields } };
  // Time passed every deadline before `e.at`: apply them first, as a tick at the deadline would.
  for (;;) {
    if (ref.status === 'pending' && ref.autoSolveAt !== null && ref.autoSolveAt <= e.at) {
      ref.status = 'solved';
      ref.solvedAt = ref.autoSolveAt;
      ref.last = ref.autoSolveAt;
      ref.autoCloseAt =
        cfg.autoCloseSolvedAfter === null ? null : ref.autoSolveAt + ms(cfg.autoCloseSolvedAfter)!;
      ref.autoSolveAt = null;
      ref.customStatus = null;
    } else if (ref.status === 'solved' && ref.autoCloseAt !== null && ref.autoCloseAt <= e.at) {
      ref.status = 'closed';
      ref.last = ref.autoCloseAt;
      ref.autoCloseAt = null;
      ref.customStatus = null;
    } else break;
  }
  const outcome = refStep(ref, e, cfg);
  if (outcome === 'applied') Object.assign(committed, ref);
  return { outcome };
}

function refStep(ref: Ref, e: TicketEvent, cfg: Cfg): string {
  const final = ref.status === 'closed' || ref.status === 'merged';
  if (final && e.type !== 'survey.answered' && e.type !== 'clock.tick') return 'not_allowed_in_status';
  if (e.type === 'survey.answered' && !final && ref.status !== 'solved') return 'not_allowed_in_status';
  const from = ref.status;
  let to = from;
  const isReply = e.type === 'agent.replied';
  const publicHuman = isReply && e.public !== false && e.bot !== true;
  const hasFields = 'fields' in cfg;
  if ((isReply || e.type === 'ticket.status_set') && e.customStatus !== undefined) {
    // The only custom status is awaiting_supplier, an on_hold status, in the first configuration.
    if (!hasFields || e.customStatus !== 'awaiting_supplier' || e.status !== 'on_hold')
      return 'unknown_status';
  }
  if ((isReply || e.type === 'ticket.status_set') && e.status === 'solved') {
    const canSolve =
      !cfg.requireAssigneeToSolve ||
      ref.assignee !== null ||
      (cfg.assignOnReply && publicHuman) ||
      (isReply && e.bot === true);
    if (!canSolve) return 'requires_assignee';
    const orderId = ref.fields.order_id;
    if (hasFields && (typeof orderId !== 'string' || orderId === '')) return 'required_fields_missing';
  }
  if (e.type === 'ticket.fields_set') {
    if (!hasFields || !fieldsOk(e.fields)) return 'invalid_fields';
    for (const [id, v] of Object.entries(e.fields)) {
      if (v === null) delete ref.fields[id];
      else ref.fields[id] = v;
    }
  }
  if (e.type === 'macro.applied') return 'unknown_macro';
  switch (e.type) {
    case 'customer.replied':
      ref.customerReplies++;
      if (from === 'pending' || from === 'on_hold') to = 'open';
      if (from === 'solved') to = e.at - ref.solvedAt! <= ms(cfg.reopenWindow)! ? 'open' : 'closed';
      break;
    case 'agent.replied':
      if (publicHuman) {
        ref.agentReplies++;
        ref.firstReplyAt ??= e.at;
        if (ref.assignee === null && cfg.assignOnReply) ref.assignee = e.agentId;
      }
      if (e.status !== undefined) to = e.status;
      else if (from === 'new' && e.public !== false) to = 'open';
      break;
    case 'ticket.status_set':
      to = e.status;
      break;
    case 'ticket.assigned':
      ref.assignee = e.agentId;
      if (e.tier !== undefined) ref.tier = e.tier;
      if (from === 'new' && e.agentId !== null) to = 'open';
      break;
    case 'ticket.escalated':
      // Moving up a tier releases the assignee: the ticket needs an agent of the new tier.
      if (Math.min(e.tier, 3) > ref.tier) ref.assignee = null;
      ref.tier = Math.min(e.tier, 3);
      break;
    case 'ticket.merged':
      to = 'merged';
      break;
    case 'ticket.closed':
    case 'ticket.marked_spam':
      to = 'closed';
      break;
    case 'clock.tick':
      if (from === 'pending' && ref.autoSolveAt !== null && e.at >= ref.autoSolveAt) to = 'solved';
      if (from === 'solved' && ref.autoCloseAt !== null && e.at >= ref.autoCloseAt) to = 'closed';
      break;
    default:
      break;
  }
  const reopened = from === 'solved' && (to === 'open' || to === 'pending' || to === 'on_hold');
  if (reopened) ref.reopens++;
  if (to === 'solved' && from !== 'solved') ref.solvedAt = e.at;
  if (reopened) ref.solvedAt = null;
  if (to !== 'pending') ref.autoSolveAt = null;
  else if (cfg.autoSolvePendingAfter !== null && (from !== 'pending' || (isReply && e.public !== false))) {
    ref.autoSolveAt = e.at + ms(cfg.autoSolvePendingAfter)!;
  }
  if (to !== 'solved') ref.autoCloseAt = null;
  else if (from !== 'solved' && cfg.autoCloseSolvedAfter !== null)
    ref.autoCloseAt = e.at + ms(cfg.autoCloseSolvedAfter)!;
  if ((isReply || e.type === 'ticket.status_set') && e.status !== undefined)
    ref.customStatus = e.customStatus ?? null;
  else if (to !== from) ref.customStatus = null;
  ref.status = to;
  ref.last = e.at;
  ref.ids.add(e.id);
  return 'applied';
}

/** The reference state of a ticket just opened at `at`. */
export function initialRef(at: number): Ref {
  return {
    status: 'new',
    assignee: null,
    solvedAt: null,
    autoSolveAt: null,
    autoCloseAt: null,
    last: at,
    ids: new Set(['e0']),
    reopens: 0,
    agentReplies: 0,
    customerReplies: 0,
    firstReplyAt: null,
    tier: 1,
    fields: {},
    customStatus: null,
  };
}
