import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { lifecycleArrows } from '../../src/review/index.js';
import { createTicketWorkflow, type TicketWorkflowConfigInput } from '../../src/workflows/index.js';
import { propertyRuns } from '../support/runs.js';

const days = fc.option(fc.integer({ min: 1, max: 30 }), { nil: null });

describe('lifecycleArrows', () => {
  // Law: an arrow between two statuses exists exactly when the lifecycle can move a ticket
  // between them. Checked against the running workflow: a ticket driven there by events.
  test.prop([days, days], { ...propertyRuns(25), timeout: 20_000 })(
    'draws the deadlines the configuration has, and only those, and never a self-loop',
    (solveAfter, closeAfter) => {
      const config: TicketWorkflowConfigInput = {
        autoSolvePendingAfter: solveAfter === null ? null : { days: solveAfter },
        autoCloseSolvedAfter: closeAfter === null ? null : { days: closeAfter },
      };
      const arrows = lifecycleArrows(config);
      for (const a of arrows) expect(a.from).not.toContain(a.to);
      const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
      const deadlines = (from: string, to: string, prefix: string) =>
        arrows
          .find((a) => a.from.join() === from && a.to === to)
          ?.because.filter((t) => t.startsWith(prefix)) ?? [];
      expect(deadlines('pending', 'solved', 'no reply for')).toEqual(
        solveAfter === null ? [] : [`no reply for ${plural(solveAfter)}`],
      );
      expect(deadlines('solved', 'closed', 'after ')).toEqual(
        closeAfter === null ? [] : [`after ${plural(closeAfter)}`],
      );
      // The workflow agrees: a pending ticket left alone past the deadline is solved, or never is.
      const tickets = createTicketWorkflow(config);
      const t0 = Date.UTC(2026, 0, 5, 12);
      let s = tickets.start({
        type: 'ticket.opened',
        id: 'e1',
        ticketId: 't',
        at: t0,
        channel: 'email',
        subject: 's',
        body: 'b',
        customer: { id: 'c' },
      }).snapshot;
      s = tickets.apply(s, {
        type: 'ticket.assigned',
        id: 'e2',
        ticketId: 't',
        at: t0 + 1,
        agentId: 'a',
      }).snapshot;
      s = tickets.apply(s, {
        type: 'agent.replied',
        id: 'e3',
        ticketId: 't',
        at: t0 + 2,
        agentId: 'a',
        body: 'x',
        status: 'pending',
      }).snapshot;
      s = tickets.apply(s, {
        type: 'clock.tick',
        id: 'e4',
        ticketId: 't',
        at: t0 + 31 * 86_400_000,
      }).snapshot;
      expect(s.status).toBe(
        solveAfter === null
          ? 'pending'
          : closeAfter !== null && solveAfter + closeAfter < 31
            ? 'closed'
            : 'solved',
      );
    },
  );
});
