// What the metrics example tests share: a Monday-morning ticket log and an agent's reply.
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';

/** Monday 2025-03-10 09:00 in New York (13:00 UTC): when each ticket of `log` opens. */
export const T0 = Date.UTC(2025, 2, 10, 13);
export const H = 3_600_000;
export const MIN = 60_000;

/**
 * A ticket's parsed events: an email opened at T0 by customer `c-<ticketId>` (with `opened`
 * set over it), then `steps`, each given the ticket and an id of its own.
 */
export function log(
  ticketId: string,
  steps: Record<string, unknown>[],
  opened: Record<string, unknown> = {},
): TicketEvent[] {
  let n = 0;
  return [
    {
      type: 'ticket.opened',
      id: `${ticketId}-0`,
      ticketId,
      at: T0,
      channel: 'email',
      subject: 's',
      body: 'b',
      customer: { id: `c-${ticketId}` },
      ...opened,
    },
    ...steps.map((s) => ({ ticketId, id: `${ticketId}-${++n}`, ...s })),
  ].map((e) => parseTicketEvent(e));
}

/** A public reply by agent `a` at `at`, with `extra` fields (a status, `bot`, ...). */
export const reply = (at: number, extra: Record<string, unknown> = {}) => ({
  type: 'agent.replied',
  at,
  agentId: 'a',
  body: 'x',
  ...extra,
});
