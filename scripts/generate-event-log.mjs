// Writes a time-ordered NDJSON event log for trying `carekit report` at scale: one new ticket a
// minute, replied to and solved within the hour, closed five days later, a third rated.
//   node scripts/generate-event-log.mjs events.ndjson 400000
import { createWriteStream } from 'node:fs';

const [file, count] = [process.argv[2], Number(process.argv[3])];
const out = createWriteStream(file);
const T0 = Date.parse('2026-01-01T00:00:00Z');
let buf = '';
for (let i = 0; i < count; i++) {
  const at = T0 + i * 60_000; // one new ticket a minute: a stream in time order
  const id = `T${i}`;
  buf += `${JSON.stringify({
    type: 'ticket.opened',
    id: `${id}-0`,
    ticketId: id,
    at,
    channel: 'email',
    subject: 'Where is my order',
    body: 'It has not arrived yet and I am worried about it.',
    customer: { id: `c${i % 50000}` },
  })}\n`;
  buf += `${JSON.stringify({
    type: 'agent.replied',
    id: `${id}-1`,
    ticketId: id,
    at: at + 3_600_000,
    agentId: 'a1',
    body: 'It ships today, sorry for the wait.',
    status: 'solved',
    workMs: 300000,
  })}\n`;
  buf += `${JSON.stringify({ type: 'ticket.closed', id: `${id}-2`, ticketId: id, at: at + 5 * 86_400_000 })}\n`;
  if (i % 3 === 0)
    buf += `${JSON.stringify({
      type: 'survey.answered',
      id: `${id}-3`,
      ticketId: id,
      at: at + 2 * 86_400_000,
      survey: 'csat',
      score: 4 + (i % 2),
    })}\n`;
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
    buf = '';
  }
}
out.end(buf);
