// Quickstart: a contact becomes a ticket with an SLA, is routed, answered and solved; then a KPI.
import { createSlaPolicy } from 'carekit/sla';
import { createDesk } from 'carekit/workflows';

const desk = createDesk({
  agents: [{ id: 'ana', name: 'Ana' }],
  slaPolicies: [
    createSlaPolicy({ id: 'standard', calendar: null, firstReply: { targets: { normal: { hours: 4 } } } }),
  ],
});

const { ticket } = await desk.receive({
  externalId: 'mail-4411',
  channel: 'email',
  customer: { id: 'cus-7', name: 'Dana Reyes' },
  subject: 'My order arrived damaged',
  body: 'The mug in order #4411 was broken in the box.',
  at: '2026-03-10T09:00:00-04:00',
});
console.log(`${ticket.ticketId}: ${ticket.status}, assigned to ${ticket.assigneeId}`);
console.log(`first reply due ${new Date(ticket.sla?.clocks.firstReply?.dueAt ?? 0).toISOString()}`);

const solved = await desk.handle({
  type: 'agent.replied',
  id: 'reply-1',
  ticketId: ticket.ticketId,
  at: '2026-03-10T10:30:00-04:00',
  agentId: 'ana',
  body: 'So sorry! A replacement ships today.',
  status: 'solved',
});
console.log(`now ${solved.ticket.status}; first-reply SLA ${solved.ticket.sla?.clocks.firstReply?.status}`);

const report = await desk.metrics();
console.log(
  `first reply time: ${(report.firstReplyTime.value ?? 0) / 60_000} minutes over ${report.tickets} ticket`,
);
