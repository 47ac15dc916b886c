import type { TicketEventInput } from 'carekit';
// Business rules over the Postgres store (PGlite): what a desk stores for a ticket — the host's
// events and the rules' changes — replays to the stored snapshot without running the rules, and
// the host's events alone, with the rules run, make the same log again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../src/model/index.js';
import { createDesk, createTicketWorkflow } from '../../src/workflows/index.js';
import { FRI, fields, H, shopRules, slaPolicy, statuses, support } from '../rules/shop.js';
import { slow } from '../support/runs.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

const byRule = (e: TicketEvent) => 'by' in e && typeof e.by === 'object' && e.by !== null;

describe('business rules over the Postgres store', () => {
  it(
    'stores logs that replay, with the rules off, to the stored snapshots',
    async () => {
      const { store } = await freshStore();
      const desk = createDesk({
        store,
        agents: [{ id: 'ana', name: 'Ana', capacity: 10 }],
        calendars: { support },
        slaPolicies: [slaPolicy],
        fields,
        statuses,
        rules: shopRules,
        lifecycle: { autoSolvePendingAfter: null, reopenWindow: { days: 30 } },
        clock: () => Date.UTC(2030, 0, 1),
      });
      let n = 0;
      const event = (ticketId: string, type: string, at: number, extra: Record<string, unknown> = {}) =>
        desk.handle({ type, id: `e${++n}`, ticketId, at, ...extra } as TicketEventInput);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const { ticket } = await desk.receive({
          externalId: `mail-${i}`,
          channel: 'email',
          customer: { id: `c${i}`, ...(i % 2 === 0 ? { tags: ['vip'] } : {}) },
          subject: 'Broken mug',
          body: 'It arrived in pieces.',
          at: FRI + i * H,
        });
        ids.push(ticket.ticketId);
        const id = ticket.ticketId;
        await event(id, 'ticket.fields_set', FRI + i * H + 1, { fields: { order_id: `A-${i}` } });
        if (i === 0) {
          // The refund macro: fields, a tag, and its reply solving the ticket; the customer reopens.
          await event(id, 'macro.applied', FRI + 2 * H, {
            macroId: 'refund',
            agentId: 'ana',
            body: 'Refunded.',
          });
          await event(id, 'customer.replied', FRI + 3 * H, { body: 'The refund did not arrive.' });
        } else if (i === 1) {
          await event(id, 'ticket.status_set', FRI + 2 * H, {
            status: 'on_hold',
            customStatus: 'awaiting_supplier',
            by: 'ana',
          });
        } else {
          // Pending: reminded after 24 business hours, solved after 40.
          await event(id, 'agent.replied', FRI + 3 * H, {
            agentId: 'ana',
            body: 'A photo?',
            status: 'pending',
          });
        }
      }
      for (const day of [18, 19, 20, 21, 24]) await desk.tick({ now: Date.UTC(2025, 2, day, 18) });
      const wf = createTicketWorkflow({
        autoSolvePendingAfter: null,
        reopenWindow: { days: 30 },
        sla: slaPolicy,
        calendars: { support },
        rules: desk.options.rules!,
      });
      let ruleEvents = 0;
      for (const id of ids) {
        const stored = await store.load(id);
        const log = await store.ticketEvents(id);
        ruleEvents += log.filter(byRule).length;
        expect(wf.replay(log, { trusted: true }).snapshot).toEqual(stored?.snapshot);
        // The host's events alone, the rules run again: the same log and the same ticket.
        const again = wf.replay(
          log.filter((e) => !byRule(e)),
          { trusted: true, runRules: true },
        );
        expect(again.log).toEqual(log);
        expect(again.snapshot).toEqual(stored?.snapshot);
      }
      // The rules did something on every path: the macro, the reminder and the solve.
      expect(ruleEvents).toBeGreaterThanOrEqual(2 + 2 * 2);
      expect((await desk.ticket(ids[2]!))?.status).toBe('solved');
      expect((await desk.ticket(ids[1]!))?.customStatus).toBe('awaiting_supplier');
    },
    slow(60_000),
  );
});
