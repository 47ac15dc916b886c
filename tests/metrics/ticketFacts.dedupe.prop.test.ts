// ticketFacts ignores an event delivered again (its id counted already): short logs find the id by
// a scan of the events counted, longer ones in a Set; both must drop every redelivery.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ticketFacts } from '../../src/metrics/index.js';
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbTicketLog } from '../workflows/ticket/arbitraries.js';

const H = 3_600_000;
const lifecycle = { autoSolvePendingAfterMs: 30 * H, autoCloseSolvedAfterMs: 20 * H };

/** A log with some events delivered twice: right after the first delivery, or at the end. */
const arbRedelivered = arbTicketLog(45).chain((raw) => {
  const log = raw.map((e) => parseTicketEvent(e));
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: log.length, maxLength: log.length }), fc.subarray(log))
    .map(([again, atEnd]) => {
      const redelivered: TicketEvent[] = [];
      log.forEach((e, i) => {
        redelivered.push(e);
        if (again[i] === true) redelivered.push({ ...e });
      });
      return { log, redelivered: [...redelivered, ...atEnd.map((e) => ({ ...e }))] };
    });
});

describe('ticketFacts and redelivered events', () => {
  test.prop([arbRedelivered], propertyRuns(150))(
    'counts an event delivered again once, in short logs and long ones',
    ({ log, redelivered }) => {
      expect(ticketFacts(redelivered, lifecycle)).toEqual(ticketFacts(log, lifecycle));
    },
    propertyTimeout(30_000),
  );

  it('drops a redelivery found past the scan (a Set of the ids counted)', () => {
    const at0 = Date.UTC(2025, 2, 10, 9);
    const opened = parseTicketEvent({
      type: 'ticket.opened',
      id: 'o',
      ticketId: 'T',
      at: at0,
      channel: 'email',
      subject: 's',
      body: 'b',
      customer: { id: 'c' },
    });
    const replies = Array.from({ length: 30 }, (_, i) =>
      parseTicketEvent({
        type: i % 2 ? 'agent.replied' : 'customer.replied',
        id: `r${i}`,
        ticketId: 'T',
        at: at0 + (i + 1) * H,
        ...(i % 2 ? { agentId: 'a' } : {}),
        body: 'x',
      }),
    );
    const facts = ticketFacts([opened, ...replies, ...replies, opened]);
    expect([facts.agentReplies, facts.customerReplies]).toEqual([15, 15]);
  });
});
