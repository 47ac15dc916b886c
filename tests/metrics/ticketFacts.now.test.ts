import { describe, expect, it } from 'vitest';
import { ticketFacts } from '../../src/metrics/index.js';
import { parseTicketEvent } from '../../src/model/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const D = 86_400_000;
const log = [
  {
    type: 'ticket.opened',
    id: 'e1',
    ticketId: 't1',
    at: T0,
    channel: 'email',
    subject: 's',
    body: 'b',
    customer: { id: 'c1' },
  },
  {
    type: 'agent.replied',
    id: 'e2',
    ticketId: 't1',
    at: T0 + 60_000,
    agentId: 'a1',
    body: 'done',
    status: 'solved',
  },
].map((e) => parseTicketEvent(e));

describe('ticketFacts now', () => {
  it('takes a Date or epoch ms, with the same facts', () => {
    const later = T0 + 10 * D;
    expect(ticketFacts(log, { autoCloseSolvedAfterMs: 4 * D, now: new Date(later) })).toEqual(
      ticketFacts(log, { autoCloseSolvedAfterMs: 4 * D, now: later }),
    );
    expect(ticketFacts(log, { autoCloseSolvedAfterMs: 4 * D, now: later })).not.toEqual(
      ticketFacts(log, { autoCloseSolvedAfterMs: 4 * D }),
    );
    expect(() => ticketFacts(log, { now: new Date(Number.NaN) })).toThrow(
      'ticketFacts options: now: expected a valid Date, got an invalid Date',
    );
    expect(() => ticketFacts(log, { now: Number.NaN })).toThrow(
      'ticketFacts options: now: expected a number, got NaN',
    );
  });
});
