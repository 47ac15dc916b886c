// The recipes of docs/scaling.md, checked: reports merged from partitions equal the report over
// everything, and the SQL aggregate the guide shows counts as carekit's reopenRate does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  foldState,
  kpiReport,
  kpiReportAccumulator,
  rateAccumulator,
  reopenRate,
} from '../../src/metrics/index.js';
import { createDesk, type Desk } from '../../src/workflows/index.js';
import { slow } from '../support/runs.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const agents = [{ id: 'ana', name: 'Ana', capacity: 100 }];

/** Tickets n in `range` on a desk: some solved, some of those reopened, one marked spam. */
async function work(desk: Desk, range: number[]) {
  for (const n of range) {
    const { ticket } = await desk.receive({
      externalId: `mail-${n}`,
      channel: n % 2 ? 'email' : 'chat',
      customer: { id: `c${n % 7}` },
      body: 'Where is my order?',
      at: T0 + n * 60_000,
    });
    const at = T0 + n * 60_000;
    const id = ticket.ticketId;
    if (n % 5 === 0) {
      await desk.handle({ type: 'ticket.marked_spam', id: `s${n}`, ticketId: id, at: at + 1 });
      continue;
    }
    if (n % 3 === 0) continue;
    await desk.handle({
      type: 'agent.replied',
      id: `r${n}`,
      ticketId: id,
      at: at + 1000,
      agentId: 'ana',
      body: 'Done',
      status: 'solved',
    });
    if (n % 4 === 0)
      await desk.handle({
        type: 'customer.replied',
        id: `c${n}`,
        ticketId: id,
        at: at + 2000,
        body: 'Not fixed',
      });
  }
}

describe('the scaling guide', () => {
  it(
    'merges per-partition report states into the report over every ticket',
    async () => {
      const whole = createDesk({ store: (await freshStore()).store, agents });
      await work(
        whole,
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      const parts = [
        createDesk({ store: (await freshStore()).store, agents }),
        createDesk({ store: (await freshStore()).store, agents }),
      ];
      await work(
        parts[0] as Desk,
        Array.from({ length: 40 }, (_, i) => i + 1).filter((n) => n % 2 === 0),
      );
      await work(
        parts[1] as Desk,
        Array.from({ length: 40 }, (_, i) => i + 1).filter((n) => n % 2 === 1),
      );
      const acc = kpiReportAccumulator();
      const states = await Promise.all(
        parts.map(async (desk) => JSON.stringify(foldState(acc, await desk.facts()))),
      );
      const merged = acc.result(states.map((s) => JSON.parse(s)).reduce(acc.merge, acc.empty()));
      const expected = kpiReport(await whole.facts());
      expect(JSON.parse(JSON.stringify(merged))).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(expected.reopenRate.n).toBeGreaterThan(5);
    },
    slow(60_000),
  );

  it("counts the reopen rate in SQL as carekit's reopenRate does", async () => {
    const { store, client, schema } = await freshStore();
    const desk = createDesk({ store, agents });
    await work(
      desk,
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    const { rows } = await client.query(
      `SELECT count(*) FILTER (WHERE snapshot #>> '{context,firstSolvedAt}' IS NOT NULL) AS n,
              count(*) FILTER (WHERE snapshot #>> '{context,firstSolvedAt}' IS NOT NULL
                                 AND (snapshot #>> '{context,counters,reopens}')::int > 0) AS hits
       FROM ${schema}.tickets
       WHERE snapshot #>> '{context,excluded}' IS NULL
         AND (snapshot #>> '{context,openedAt}')::bigint >= $1 AND (snapshot #>> '{context,openedAt}')::bigint < $2`,
      [T0, T0 + 86_400_000],
    );
    const acc = rateAccumulator(
      () => false,
      () => false,
      'reopen rate: solved tickets reopened at least once',
    );
    const merged = rows.reduce(
      (s: { n: number; hits: number }, r) => acc.merge(s, { n: Number(r.n), hits: Number(r.hits) }),
      acc.empty(),
    );
    const expected = reopenRate(await desk.facts());
    expect(acc.result(merged)).toMatchObject({ value: expected.value, n: expected.n, hits: expected.hits });
  });
});
