import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  FIXTURE_DESK_CONFIG,
  FIXTURE_FRESHDESK_MAPPING,
  FIXTURE_ZENDESK_MAPPING,
  freshdeskFixtures,
  zendeskFixtures,
} from '../../scripts/generate-import-fixtures.js';
import {
  createImportLifecycle,
  type ImportItem,
  type ImportProblem,
  importTickets,
  parseImportMapping,
  readFreshdesk,
  readJsonRecords,
  readZendesk,
} from '../../src/import/index.js';
import { createMemoryStore, type TicketStore } from '../../src/workflows/index.js';

const lifecycle = createImportLifecycle(FIXTURE_DESK_CONFIG);
const zdMapping = parseImportMapping('zendesk', FIXTURE_ZENDESK_MAPPING);
const fdMapping = parseImportMapping('freshdesk', FIXTURE_FRESHDESK_MAPPING);

/** Every ticket's stored log, by id: what two imports must agree on. */
async function contents(store: TicketStore): Promise<Record<string, { status: string; events: string[] }>> {
  const out: Record<string, { status: string; events: string[] }> = {};
  for await (const { ticket, events } of store.stream()) {
    out[ticket.ticketId] = { status: ticket.snapshot.status, events: events.map((e) => e.id) };
  }
  return out;
}

async function* tap(items: AsyncIterable<ImportItem>, seen: ImportItem[]): AsyncGenerator<ImportItem> {
  for await (const item of items) {
    seen.push(item);
    yield item;
  }
}

const fixture = fc.record({
  tickets: fc.integer({ min: 1, max: 25 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  batchSize: fc.integer({ min: 1, max: 60 }),
  flaws: fc.boolean(),
});

describe('importing a Zendesk export', () => {
  test.prop([fixture], { numRuns: 12, timeout: 60_000 })(
    'gives the export statuses, replays to them, and accounts for every event read',
    async ({ tickets, seed, batchSize, flaws }) => {
      const zd = zendeskFixtures({ tickets, seed, flaws });
      const store = createMemoryStore();
      const seen: ImportItem[] = [];
      const problems: ImportProblem[] = [];
      const summary = await importTickets(
        store,
        tap(readZendesk(readJsonRecords(zd.incremental()), zdMapping), seen),
        {
          lifecycle,
          batchSize,
          onProblem: (p) => problems.push(p),
        },
      );
      // Every event read is written, or was stored already, or is reported (with its record's line).
      const read = seen.flatMap((i) => (i.kind === 'events' ? i.events : [])).length;
      const readerProblems = seen.filter((i) => i.kind === 'problem').length;
      expect(summary.items).toBe(seen.length);
      expect(summary.events + summary.duplicates + (problems.length - readerProblems)).toBe(read);
      expect(problems.every((p) => p.line >= 1 && p.message.length > 0)).toBe(true);
      // Without flaws nothing is reported; with them, exactly the flaws (and what a lost creation orphans).
      if (!flaws) expect(summary.problems).toEqual({});
      // The stored statuses are the export's, and replaying each stored log gives them again.
      const lost = new Set(problems.filter((p) => p.code === 'no_opening').map((p) => p.ticketId));
      for (const [ticketId, truth] of zd.truth) {
        const stored = await store.load(ticketId);
        if (lost.has(ticketId)) continue;
        expect(stored?.snapshot.status, ticketId).toBe(truth.status);
        const replayed = lifecycle
          .workflow((stored as NonNullable<typeof stored>).workflowKey)
          .replay(await store.ticketEvents(ticketId));
        expect(replayed.rejected).toEqual([]);
        expect(replayed.snapshot.status).toBe(truth.status);
      }
      expect(await store.effects()[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    },
  );

  test.prop([fixture], { numRuns: 8, timeout: 60_000 })(
    'a second import (the same export, or its audits) adds nothing',
    async ({ tickets, seed, batchSize }) => {
      const zd = zendeskFixtures({ tickets, seed });
      const store = createMemoryStore();
      const first = await importTickets(store, readZendesk(readJsonRecords(zd.incremental()), zdMapping), {
        lifecycle,
        batchSize,
      });
      const before = await contents(store);
      for (const chunks of [zd.incremental(), zd.audits()]) {
        const again = await importTickets(store, readZendesk(readJsonRecords(chunks), zdMapping), {
          lifecycle,
          batchSize,
        });
        expect([again.events, again.created, again.updated, again.duplicates]).toEqual([
          0,
          0,
          0,
          first.events,
        ]);
        expect(await contents(store)).toEqual(before);
      }
    },
  );

  test.prop([fixture, fc.integer({ min: 0, max: 20 })], { numRuns: 10, timeout: 60_000 })(
    'an import that crashes mid-way and is run again ends as one that never crashed',
    async ({ tickets, seed, batchSize }, crashAfter) => {
      const zd = zendeskFixtures({ tickets, seed });
      const clean = createMemoryStore();
      await importTickets(clean, readZendesk(readJsonRecords(zd.incremental()), zdMapping), {
        lifecycle,
        batchSize,
      });
      const store = createMemoryStore();
      let saves = 0;
      const crashing: TicketStore = {
        ...store,
        async saveMany(requests, options) {
          // The crash comes after a batch's transaction committed, before the import learns of it.
          const results = await store.saveMany(requests, options);
          if (++saves > crashAfter) throw new Error('crash');
          return results;
        },
      };
      await importTickets(crashing, readZendesk(readJsonRecords(zd.incremental()), zdMapping), {
        lifecycle,
        batchSize,
      }).catch((error: Error) => expect(error.message).toBe('crash'));
      await importTickets(store, readZendesk(readJsonRecords(zd.incremental()), zdMapping), {
        lifecycle,
        batchSize,
      });
      expect(await contents(store)).toEqual(await contents(clean));
    },
  );
});

describe('importing a Freshdesk export', () => {
  test.prop([fixture], { numRuns: 10, timeout: 60_000 })(
    'gives the export statuses, and a second import adds nothing',
    async ({ tickets, seed, batchSize }) => {
      const fd = freshdeskFixtures({ tickets, seed });
      const store = createMemoryStore();
      const summary = await importTickets(store, readFreshdesk(readJsonRecords(fd.tickets()), fdMapping), {
        lifecycle,
        batchSize,
      });
      expect(summary.problems).toEqual({});
      expect(summary.created).toBe(tickets);
      for (const [ticketId, truth] of fd.truth)
        expect((await store.load(ticketId))?.snapshot.status, ticketId).toBe(truth.status);
      const again = await importTickets(store, readFreshdesk(readJsonRecords(fd.tickets()), fdMapping), {
        lifecycle,
        batchSize,
      });
      expect([again.events, again.duplicates]).toEqual([0, summary.events]);
    },
  );
});
