import type { TicketEventInput, TicketEventInputOf } from 'carekit';
// The worked example of docs/rules.md: a shop's fields, custom status, rules and lifecycle.
import { createCalendar } from '../../src/calendar/index.js';
import { defineFields, defineStatuses, parseTicketEvent, type TicketEvent } from '../../src/model/index.js';
import { defineRules, type RulesConfigInput } from '../../src/rules/index.js';
import { createSlaPolicy } from '../../src/sla/index.js';
import { createTicketWorkflow, type TicketSnapshot, type TicketWorkflow } from '../../src/workflows/index.js';

export const H = 3_600_000;
/** Friday 2025-03-14 09:00 UTC. */
export const FRI = Date.UTC(2025, 2, 14, 9);

export const support = createCalendar({
  timeZone: 'UTC',
  week: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']],
  },
});

export const fields = defineFields([
  { id: 'order_id', type: 'text', label: 'Order number', requiredToSolve: true },
  { id: 'refund_amount', type: 'number', label: 'Refund amount', min: 0 },
  { id: 'return_reason', type: 'one_of', label: 'Return reason', options: ['late', 'broken', 'wrong_item'] },
]);

export const statuses = defineStatuses([
  { id: 'awaiting_supplier', label: 'Awaiting supplier', category: 'on_hold', pauses: { resolution: true } },
]);

export const shopRules: RulesConfigInput = {
  triggers: [
    {
      id: 'vip-reopen',
      title: 'A VIP reopened a ticket: raise the priority and tag it',
      when: 'reopened',
      if: { prop: 'segment', op: 'is', value: 'vip' },
      then: [
        { type: 'set_priority', priority: 'high' },
        { type: 'add_tags', tags: ['vip_reopen'] },
      ],
    },
  ],
  automations: [
    {
      id: 'pending-reminder',
      title: 'Pending for 3 business days: remind the customer',
      when: { since: 'statusChanged', atLeast: { hours: 24 }, calendar: 'support' },
      if: { prop: 'status', op: 'is', value: 'pending' },
      then: [
        { type: 'send_template', templateId: 'pending_reminder' },
        { type: 'add_tags', tags: ['reminded'] },
      ],
    },
    {
      id: 'pending-solve',
      title: 'Pending for 5 business days after a reminder: solve',
      when: { since: 'statusChanged', atLeast: { hours: 40 }, calendar: 'support' },
      if: {
        all: [
          { prop: 'status', op: 'is', value: 'pending' },
          { prop: 'tags', op: 'includes', value: 'reminded' },
        ],
      },
      then: [{ type: 'set_status', status: 'solved' }],
    },
  ],
  macros: [
    {
      id: 'refund',
      title: 'Refund a broken item',
      then: [
        { type: 'set_fields', fields: { return_reason: 'broken' } },
        { type: 'add_tags', tags: ['refund'] },
      ],
      reply: { templateId: 'refund_confirmation', status: 'solved' },
    },
  ],
};

export const rules = defineRules(shopRules, { fields, statuses, calendars: { support } });

export const slaPolicy = createSlaPolicy({
  id: 'shop',
  calendar: 'support',
  firstReply: { targets: { normal: { hours: 8 }, high: { hours: 2 } } },
  resolution: { targets: { normal: { hours: 16 } }, pauseIn: ['pending'] },
});

export function shopWorkflow(extra: Parameters<typeof createTicketWorkflow>[0] = {}): TicketWorkflow {
  return createTicketWorkflow({
    rules,
    autoSolvePendingAfter: null,
    sla: slaPolicy,
    calendars: { support },
    ...extra,
  });
}

let n = 0;
export function ev(type: string, at: number, extra: Record<string, unknown> = {}): TicketEventInput {
  n += 1;
  return { type, id: `e${n}`, ticketId: 'T-1', at, ...extra } as TicketEventInput;
}

export function opened(
  at = FRI,
  customer: Record<string, unknown> = { id: 'c1' },
): TicketEventInputOf<'ticket.opened'> {
  return {
    type: 'ticket.opened',
    id: 'e0',
    ticketId: 'T-1',
    at,
    channel: 'email',
    subject: 'Broken mug',
    body: 'It arrived in pieces.',
    customer,
  } as TicketEventInputOf<'ticket.opened'>;
}

/** Applies events one by one as a desk would, keeping the log the rules make. */
export function drive(
  wf: TicketWorkflow,
  first: TicketEventInputOf<'ticket.opened'>,
  events: readonly TicketEventInput[],
) {
  const started = wf.start(first);
  let snapshot: TicketSnapshot = started.snapshot;
  const log: TicketEvent[] = [...(started.log ?? [parseTicketEvent(first)])];
  const effects = [...started.effects];
  const warnings = [...(started.warnings ?? [])];
  for (const event of events) {
    const result = wf.apply(snapshot, event);
    if (result.rejected === undefined && result.duplicate === undefined)
      log.push(...(result.log ?? [parseTicketEvent(event)]));
    effects.push(...result.effects);
    warnings.push(...(result.warnings ?? []));
    snapshot = result.snapshot;
  }
  return { snapshot, log, effects, warnings };
}
