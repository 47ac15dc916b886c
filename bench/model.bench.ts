// Parsing cost at the boundary: carekit's parseTicketEvent against a bare zod safeParse of the
// same schema (the floor: what validation alone costs) and JSON.parse of the same event.
import { Bench } from 'tinybench';
import { parseTicketEvent, TicketEvent } from '../src/model/index.js';

export default async function run(): Promise<void> {
  const event = {
    type: 'agent.replied',
    id: 'evt-42',
    ticketId: 'T-1001',
    at: '2025-03-10T09:00:00-04:00',
    agentId: 'agent-3',
    body: 'Thanks for waiting. Your replacement ships today.',
    status: 'pending',
  };
  const json = JSON.stringify(event);
  const bench = new Bench({ time: 500 });
  bench
    .add('carekit parseTicketEvent', () => {
      parseTicketEvent(event);
    })
    .add('zod TicketEvent.parse (no pre-flight)', () => {
      TicketEvent.parse(event);
    })
    .add('JSON.parse of the same event', () => {
      JSON.parse(json);
    });
  await bench.run();
  console.table(bench.table());
}
