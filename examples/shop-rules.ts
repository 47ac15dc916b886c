// A shop's business rules at the desk: ticket fields, a custom status that pauses the resolution
// clock, a trigger, an automation in business hours and a macro. Every change a rule makes is an
// event in the ticket's log, so `explainTicket` answers "why did this happen?".
import assert from 'node:assert/strict';
import { createCalendar } from 'carekit/calendar';
import { defineFields, defineStatuses, explainTicket } from 'carekit/rules';
import { createSlaPolicy } from 'carekit/sla';
import { createDesk } from 'carekit/workflows';

const support = createCalendar({
  timeZone: 'Europe/Lisbon',
  week: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']],
  },
});
const fields = defineFields([
  { id: 'order_id', type: 'text', label: 'Order number', requiredToSolve: true },
  { id: 'return_reason', type: 'one_of', label: 'Return reason', options: ['late', 'broken', 'wrong_item'] },
]);
const statuses = defineStatuses([
  { id: 'awaiting_supplier', label: 'Awaiting supplier', category: 'on_hold', pauses: { resolution: true } },
]);

const desk = createDesk({
  agents: [{ id: 'ana', name: 'Ana' }],
  calendars: { support },
  slaPolicies: [
    createSlaPolicy({
      id: 'shop',
      calendar: 'support',
      firstReply: { targets: { normal: { hours: 8 }, high: { hours: 2 } } },
      resolution: { targets: { normal: { hours: 16 }, high: { hours: 8 } }, pauseIn: ['pending'] },
    }),
  ],
  lifecycle: { autoSolvePendingAfter: null },
  fields,
  statuses,
  // Rules as data: the desk checks them against its fields, statuses and calendars.
  rules: {
    triggers: [
      {
        id: 'broken-items',
        title: 'A message about a broken item: raise the priority, tag it',
        when: 'ticket.opened',
        if: { prop: 'category', op: 'is', value: 'damaged' },
        then: [
          { type: 'set_priority', priority: 'high' },
          { type: 'add_tags', tags: ['damaged'] },
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
    ],
    macros: [
      {
        id: 'refund',
        title: 'Refund a broken item',
        then: [{ type: 'set_fields', fields: { return_reason: 'broken' } }],
        reply: { templateId: 'refund_confirmation', status: 'solved' },
      },
    ],
  },
  // A stand-in classifier: every message here is about a damaged item.
  classifier: {
    classify: async () => ({ category: 'damaged', confidence: 1, tags: [], explanation: 'example' }),
  },
});

// Friday 14:00 in Lisbon: the trigger raises the priority of a damaged item at once.
const { ticket } = await desk.receive({
  externalId: 'mail-4411',
  channel: 'email',
  customer: { id: 'cus-7', name: 'Dana Reyes' },
  subject: 'My mug arrived broken',
  body: 'The mug in order #4411 was broken in the box.',
  at: '2026-03-13T14:00:00Z',
});
const id = ticket.ticketId;
console.log(`${id}: ${ticket.status}, priority ${ticket.priority}, tags ${ticket.tags.join(', ')}`);
assert.equal(ticket.priority, 'high');

// Solving is refused while the order number is empty; nothing changes.
const refused = await desk.handle({
  type: 'agent.replied',
  id: 'r1',
  ticketId: id,
  at: '2026-03-13T14:30:00Z',
  agentId: 'ana',
  body: 'Could you send a photo?',
  status: 'solved',
});
console.log(
  `solve refused: ${refused.rejected?.code} (${refused.rejected?.issues?.map((i) => i.path.join('.'))})`,
);
assert.equal(refused.rejected?.code, 'required_fields_missing');

await desk.handle({
  type: 'ticket.fields_set',
  id: 'f1',
  ticketId: id,
  at: '2026-03-13T14:31:00Z',
  fields: { order_id: '4411' },
});
const pending = await desk.handle({
  type: 'agent.replied',
  id: 'r2',
  ticketId: id,
  at: '2026-03-13T15:00:00Z',
  agentId: 'ana',
  body: 'Could you send a photo of the mug?',
  status: 'pending',
});
// 24 business hours from Friday 15:00 (Lisbon, UTC in March): Wednesday 15:00.
const due = (await desk.store.load(id))?.dueAt ?? 0;
console.log(`pending; the reminder is due ${new Date(due).toISOString()}`);
assert.equal(new Date(due).toISOString(), '2026-03-18T15:00:00.000Z');
assert.equal(pending.ticket.status, 'pending');

// The host ticks the next morning: the reminder is dated when its condition first held.
const woke = await desk.tick({ now: Date.parse('2026-03-19T08:00:00Z') });
const reminder = woke.effects.find((e) => e.type === 'send_template');
console.log(
  `tick: ${reminder?.type} ${reminder?.type === 'send_template' ? reminder.templateId : ''} at ${new Date(reminder?.at ?? 0).toISOString()}`,
);
assert.equal(reminder?.at, due);

// The supplier must look at it: a custom status that pauses the resolution clock.
await desk.handle({
  type: 'ticket.status_set',
  id: 's1',
  ticketId: id,
  at: '2026-03-19T09:00:00Z',
  status: 'on_hold',
  customStatus: 'awaiting_supplier',
  by: 'ana',
});
const held = await desk.ticket(id, { now: Date.parse('2026-03-24T09:00:00Z') });
console.log(
  `${held?.customStatus} (${held?.status}): resolution clock ${held?.sla?.clocks.resolution?.status}`,
);
assert.equal(held?.sla?.clocks.resolution?.status, 'paused');

// One click: the refund macro sets the reason and replies, solving the ticket.
const refunded = await desk.handle({
  type: 'macro.applied',
  id: 'm1',
  ticketId: id,
  at: '2026-03-24T10:00:00Z',
  macroId: 'refund',
  agentId: 'ana',
  body: 'We are refunding the mug: the money is on its way.',
});
console.log(
  `after the macro: ${refunded.ticket.status}, return reason ${refunded.ticket.fields.return_reason}`,
);
assert.equal(refunded.ticket.status, 'solved');

// Why did each change happen? Every rule's change is an event by the rule.
const log = await desk.store.ticketEvents(id);
for (const change of explainTicket(log, { rules: desk.options.rules! })) {
  if (change.by.kind === 'rule') console.log(`- ${change.change}: ${change.by.title ?? change.by.ruleId}`);
}
