// Quickstart: a ticket from open to solved with an SLA policy, the effects the host performs,
// the view a helpdesk UI shows, and a KPI from the ticket's log.
import { firstReplyTime, ticketFacts } from 'carekit/metrics';
import { parseTicketEvent, safeParseTicketEvent } from 'carekit/model';
import { createSlaPolicy } from 'carekit/sla';
import { createTicketWorkflow } from 'carekit/workflows';

const sla = createSlaPolicy({
  id: 'standard',
  calendar: null, // calendar hours; name a business calendar to count business hours
  firstReply: { targets: { normal: { hours: 4 }, urgent: { hours: 1 } } },
  resolution: { targets: { normal: { hours: 24 } } },
});
const tickets = createTicketWorkflow({ sla, acknowledgeTemplate: 'acknowledgement' });

const log: unknown[] = [];
const opened = {
  type: 'ticket.opened',
  id: 'evt-1',
  ticketId: 'T-1001',
  at: '2025-03-10T09:00:00-04:00',
  channel: 'email',
  subject: 'My order arrived damaged',
  body: 'The mug in order #4411 was broken in the box.',
  customer: { id: 'cus-7', name: 'Dana Reyes', email: 'dana@example.com' },
};
log.push(opened);
let { snapshot, effects } = tickets.start(opened);
console.log(`opened: ${snapshot.status}; effects: ${effects.map((e) => e.type).join(', ')}`);
console.log(`wake me at ${new Date(tickets.dueAt(snapshot) ?? 0).toISOString()} (first-reply SLA warning)`);

for (const event of [
  {
    type: 'ticket.assigned',
    id: 'evt-2',
    ticketId: 'T-1001',
    at: '2025-03-10T09:05:00-04:00',
    agentId: 'ana',
  },
  {
    type: 'agent.replied',
    id: 'evt-3',
    ticketId: 'T-1001',
    at: '2025-03-10T10:30:00-04:00',
    agentId: 'ana',
    body: 'So sorry! A replacement ships today; no need to return the broken one.',
    status: 'solved',
  },
]) {
  ({ snapshot, effects } = tickets.apply(snapshot, event));
  log.push(event);
}

const view = tickets.view(snapshot);
const firstReply = view.sla?.clocks.firstReply;
console.log(`status: ${view.status}, assignee: ${view.assigneeId}, replies: ${view.counters.agentReplies}`);
console.log(
  `first reply: ${firstReply?.status} after ${(firstReply?.elapsedMs ?? 0) / 60_000} min (target ${(firstReply?.targetMs ?? 0) / 60_000} min)`,
);

const late = tickets.apply(snapshot, {
  type: 'customer.replied',
  id: 'evt-3',
  ticketId: 'T-1001',
  at: '2025-03-10T11:00:00-04:00',
  body: 'Thanks!',
});
console.log(`a redelivered event is ignored: duplicate=${late.duplicate}`);
const bad = safeParseTicketEvent({
  type: 'survey.answered',
  id: 'evt-9',
  ticketId: 'T-1001',
  at: 'soon',
  survey: 'nps',
  score: 12,
});
if (!bad.success)
  for (const issue of bad.error.issues) console.log(`rejected input: [${issue.code}] ${issue.message}`);

const facts = ticketFacts(log.map((e) => parseTicketEvent(e)));
const kpi = firstReplyTime([facts]);
console.log(`KPI: ${kpi.definition} = ${(kpi.value ?? 0) / 60_000} min over ${kpi.n} ticket`);
