import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createMemoryStore } from '../../../src/workflows/index.js';
import type { TicketSnapshot } from '../../../src/workflows/ticket/context.js';
import { propertyRuns } from '../../support/runs.js';

const snapshot = {} as TicketSnapshot;

describe('the memory store', () => {
  test.prop(
    [
      fc.array(
        fc.record({
          id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
          dueAt: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
        }),
        {
          maxLength: 200,
        },
      ),
      fc.integer({ min: -1, max: 51 }),
      fc.integer({ min: 0, max: 6 }),
    ],
    propertyRuns(100),
  )(
    'dueTickets lists exactly the tickets whose latest dueAt is at or before now, earliest first',
    async (saves, now, limit) => {
      const store = createMemoryStore();
      const latest = new Map<string, number | null>();
      const versions = new Map<string, number>();
      for (const { id, dueAt } of saves) {
        const version = versions.get(id) ?? 0;
        const result = await store.save(id, version, {
          snapshot,
          workflowKey: 'k',
          dueAt,
          customerId: 'c',
          externalId: null,
          events: [],
        });
        expect(result.ok).toBe(true);
        versions.set(id, version + 1);
        latest.set(id, dueAt);
      }
      const expected = [...latest]
        .filter((entry): entry is [string, number] => entry[1] !== null && entry[1] <= now)
        .sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1))
        .map(([id]) => id);
      expect(await store.dueTickets(now)).toEqual(expected);
      expect(await store.dueTickets(now, limit)).toEqual(expected.slice(0, limit));
    },
  );

  test.prop([fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })], propertyRuns(100))(
    'a save with a stale version writes nothing and reports the version found',
    async (writes, stale) => {
      const store = createMemoryStore();
      for (let v = 0; v < writes; v++)
        await store.save('t', v, {
          snapshot,
          workflowKey: 'k',
          dueAt: v,
          customerId: 'c',
          externalId: 'x',
          events: [],
        });
      const result = await store.save('t', writes + 1 + stale, {
        snapshot,
        workflowKey: 'k',
        dueAt: 99,
        customerId: 'c',
        externalId: 'x',
        events: [],
      });
      expect(result).toEqual({ ok: false, reason: 'version_conflict', version: writes });
      expect((await store.load('t'))?.dueAt ?? null).toBe(writes === 0 ? null : writes - 1);
    },
  );
});
