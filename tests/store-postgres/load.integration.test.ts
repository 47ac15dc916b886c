// Load: 10,000 events (and 500 redeliveries) from 8 concurrent async workers onto 300 tickets,
// through desk.handle on the Postgres store (PGlite). No update may be lost: every accepted event
// is stored once, each ticket's version counts its saves, and every snapshot is the replay of its log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketStore } from '../../src/workflows/index.js';
import { createDesk, createTicketWorkflow, type DeskResult } from '../../src/workflows/index.js';
import { slow } from '../support/runs.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

const TICKETS = 300;
const EVENTS = 10_000;
const REDELIVERED = 500;
const WORKERS = 8;
const T0 = Date.parse('2026-11-23T09:00:00Z');
// Every event is at the same instant, so the order workers apply them in is never `out_of_order`.
const T1 = T0 + 3_600_000;

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('load on the Postgres store (PGlite)', () => {
  it(
    `applies ${EVENTS} events from ${WORKERS} concurrent workers to ${TICKETS} tickets without losing an update`,
    async () => {
      const { store } = await freshStore();
      let conflicts = 0;
      const counting: TicketStore = {
        ...store,
        async save(id, version, write) {
          const result = await store.save(id, version, write);
          if (!result.ok) conflicts++;
          return result;
        },
      };
      const agents = Array.from({ length: 6 }, (_, i) => ({
        id: `a${i}`,
        name: `Agent ${i}`,
        capacity: 100,
      }));
      const desk = createDesk({ store: counting, agents, maxAttempts: 50 });
      const opening = Date.now();
      const ids: string[] = [];
      for (let n = 0; n < TICKETS; n++) {
        const { ticket } = await desk.receive({
          externalId: `mail-${n}`,
          channel: 'email',
          customer: { id: `c${n}` },
          subject: 'Help',
          body: 'Where is my order?',
          at: T0 + n,
        });
        ids.push(ticket.ticketId);
      }
      const openMs = Date.now() - opening;

      const next = random(20261123);
      const events = Array.from({ length: EVENTS }, (_, i) => {
        const ticketId = ids[Math.floor(next() * TICKETS)] as string;
        const base = { id: `e${i}`, ticketId, at: T1 };
        const kind = next();
        if (kind < 0.3) return { type: 'agent.noted', ...base, agentId: 'a0', body: `note ${i}` };
        if (kind < 0.55) return { type: 'customer.replied', ...base, body: `more ${i}` };
        if (kind < 0.85)
          return {
            type: 'agent.replied',
            ...base,
            agentId: 'a1',
            body: `reply ${i}`,
            status: next() < 0.5 ? 'pending' : 'open',
          };
        return {
          type: 'ticket.reprioritized',
          ...base,
          priority: ['low', 'normal', 'high', 'urgent'][Math.floor(next() * 4)],
        };
      });
      const deliveries = [
        ...events,
        ...Array.from({ length: REDELIVERED }, () => events[Math.floor(next() * EVENTS)]),
      ];
      for (let i = deliveries.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
      }

      const results = new Map<string, DeskResult[]>();
      let cursor = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (cursor < deliveries.length) {
            const event = deliveries[cursor++] as (typeof events)[number];
            const result = await desk.handle(event as never);
            results.set(event.id, [...(results.get(event.id) ?? []), result]);
          }
        }),
      );
      const handleMs = Date.now() - started;

      const verifying = Date.now();
      const accepted = new Set<string>();
      for (const [id, outcomes] of results) {
        // Delivered twice, applied at most once.
        expect(outcomes.filter((r) => !r.duplicate && !r.rejected).length).toBeLessThanOrEqual(1);
        if (outcomes.some((r) => !r.duplicate && !r.rejected)) accepted.add(id);
      }
      expect(results.size).toBe(EVENTS);
      const wf = createTicketWorkflow();
      let stored = 0;
      for (const ticketId of ids) {
        const ticket = await store.load(ticketId);
        const log = await store.ticketEvents(ticketId);
        const mine = log.filter((e) => e.id.startsWith('e'));
        stored += mine.length;
        expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
        expect(mine.every((e) => accepted.has(e.id))).toBe(true);
        expect(ticket?.version).toBe(1 + mine.length);
        expect(ticket?.snapshot).toEqual(wf.replay(log).snapshot);
      }
      expect(stored).toBe(accepted.size);
      let logged = 0;
      for await (const _ of store.events()) logged++;
      expect(logged).toBe(accepted.size + 2 * TICKETS);
      const verifyMs = Date.now() - verifying;
      const rejected = EVENTS - accepted.size;
      console.log(
        `load: opened ${TICKETS} tickets in ${openMs} ms; ${deliveries.length} deliveries (${EVENTS} events) by ${WORKERS} workers in ${handleMs} ms ` +
          `(${((deliveries.length / handleMs) * 1000).toFixed(0)}/s), ${accepted.size} applied, ${rejected} refused by the lifecycle, ` +
          `${conflicts} version conflicts retried; verified in ${verifyMs} ms`,
      );
      // Most events are applicable; refusals are the lifecycle's (e.g. pending set on a pending ticket is fine, so few).
      expect(accepted.size).toBeGreaterThan(EVENTS * 0.9);
    },
    slow(300_000),
  );
});
