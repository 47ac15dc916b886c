// Quickstart: validate the events a helpdesk receives, the way every carekit module does.
// (The full quickstart, from open to solved with an SLA and a KPI, arrives with the desk.)
import { parseTicketEvent, safeParseTicketEvent } from 'carekit/model';

const opened = parseTicketEvent({
  type: 'ticket.opened',
  id: 'evt-1',
  ticketId: 'T-1001',
  at: '2025-03-10T09:00:00-04:00',
  channel: 'email',
  subject: 'My order arrived damaged',
  body: 'The mug in order #4411 was broken in the box.',
  customer: { id: 'cus-7', name: 'Dana Reyes', email: 'dana@example.com', language: 'en' },
});
console.log(`${opened.type} ${opened.ticketId} at ${new Date(opened.at).toISOString()}`);

const bad = safeParseTicketEvent({
  type: 'survey.answered',
  id: 'evt-9',
  ticketId: 'T-1001',
  at: 'soon',
  survey: 'nps',
  score: 12,
});
if (!bad.success) {
  for (const issue of bad.error.issues) console.log(`rejected: [${issue.code}] ${issue.message}`);
}
