// Two desks (two workers) over one PostgreSQL store (PGlite) racing relation operations on the
// same tickets: merges and links write both tickets in one saveMany with version checks, so the
// loser is refused and decides again. No lost link, no half merge, no cycle (docs/relations.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk, type Desk, type SaveRequest, type TicketStore } from '../../../src/workflows/index.js';
import { freshStore, sharedPglite } from '../../store-postgres/pglite.js';
import { slow } from '../../support/runs.js';
import { checkLaws } from './relations.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const agents = [{ id: 'ana', name: 'Ana', tier: 1, capacity: 50 }];
const lifecycle = { requireAssigneeToSolve: false };

async function setup(): Promise<{
  store: TicketStore;
  a: Desk;
  b: Desk;
  open: () => Promise<string>;
  sent: string[];
}> {
  const { store } = await freshStore();
  const clock = () => T0 + 1_000_000;
  const a = createDesk({ agents, store, lifecycle, clock });
  const b = createDesk({ agents, store, lifecycle, clock });
  const sent: string[] = [];
  let n = 0;
  const open = async () => {
    const body = `m${n++}`;
    sent.push(body);
    const r = await a.receive({
      externalId: `mail-${n}`,
      channel: 'email',
      customer: { id: 'c1' },
      subject: 'Order',
      body,
      at: T0 + n,
    });
    return r.ticket.ticketId;
  };
  return { store, a, b, open, sent };
}

const at = T0 + 500_000;

describe('relations across two workers over one store', () => {
  it(
    'two links of one child to two parents at once: one wins, the other parent does not wait for it',
    async () => {
      const { store, a, b, open, sent } = await setup();
      for (let round = 0; round < 4; round++) {
        const [p1, p2, c] = [await open(), await open(), await open()];
        const [x, y] = await Promise.all([
          a.link(p1, c, { by: 'ana', at }),
          b.link(p2, c, { by: 'ana', at }),
        ]);
        expect([x.rejected, y.rejected].filter((r) => r === undefined)).toHaveLength(1);
        const child = (await store.load(c))!.snapshot.context;
        const winner = x.rejected === undefined ? p1 : p2;
        const loser = winner === p1 ? p2 : p1;
        expect(child.parentId).toBe(winner);
        expect((await store.load(winner))!.snapshot.context.children[c]).toBe('open');
        expect((await store.load(loser))!.snapshot.context.children[c]).toBeUndefined();
        await checkLaws(store, sent);
      }
    },
    slow(60_000),
  );

  it(
    'linking two tickets each as the other one’s parent at once makes no cycle',
    async () => {
      const { store, a, b, open, sent } = await setup();
      for (let round = 0; round < 4; round++) {
        const [t1, t2] = [await open(), await open()];
        const [x, y] = await Promise.all([
          a.link(t1, t2, { by: 'ana', at }),
          b.link(t2, t1, { by: 'ana', at }),
        ]);
        expect([x.rejected, y.rejected].filter((r) => r === undefined)).toHaveLength(1);
        await checkLaws(store, sent);
      }
    },
    slow(60_000),
  );

  it(
    'one source merged into two targets at once: merged into one, its thread in that one only',
    async () => {
      const { store, a, b, open, sent } = await setup();
      for (let round = 0; round < 4; round++) {
        const [t1, t2, s] = [await open(), await open(), await open()];
        const [x, y] = await Promise.all([
          a.merge([s], t1, { by: 'ana', at }),
          b.merge([s], t2, { by: 'ana', at }),
        ]);
        const source = (await store.load(s))!.snapshot;
        expect(source.status).toBe('merged');
        const into = source.context.mergedInto!;
        expect([t1, t2]).toContain(into);
        const other = into === t1 ? t2 : t1;
        expect((await store.load(into))!.snapshot.context.mergedFrom).toContain(s);
        expect((await store.load(other))!.snapshot.context.mergedFrom).not.toContain(s);
        // The loser reports that it could not merge (a refusal or an incomplete warning).
        const lost = into === t1 ? y : x;
        expect(
          lost.rejected !== undefined || lost.warnings.some((w) => w.code === 'relation_incomplete'),
        ).toBe(true);
        await checkLaws(store, sent);
      }
    },
    slow(60_000),
  );

  it(
    'merging A into B and B into A at once merges one of them, never both',
    async () => {
      const { store, a, b, open, sent } = await setup();
      for (let round = 0; round < 4; round++) {
        const [t1, t2] = [await open(), await open()];
        await Promise.all([a.merge([t1], t2, { by: 'ana', at }), b.merge([t2], t1, { by: 'ana', at })]);
        const statuses = await Promise.all(
          [t1, t2].map(async (id) => (await store.load(id))!.snapshot.status),
        );
        expect(statuses.filter((st) => st === 'merged')).toHaveLength(1);
        await checkLaws(store, sent);
      }
    },
    slow(60_000),
  );

  it(
    'a merge and the opposite merge with a third writer changing the target between the checks: never both',
    async () => {
      for (let round = 0; round < 3; round++) {
        const { store, a, open, sent } = await setup();
        const [s, t] = [await open(), await open()];
        // Worker A merges S into T; its step-one batch (S merged, T's conditional save) is held
        // until a third writer has changed T and worker B, deciding on that T, has reached its own
        // batch (T merged into S, S's conditional save); then A's batch goes, then B's.
        let reached!: () => void;
        const bReached = new Promise<void>((done) => {
          reached = done;
        });
        let release!: () => void;
        const bMayGo = new Promise<void>((done) => {
          release = done;
        });
        let held = false;
        const stepOne = (requests: readonly SaveRequest[], first: string) =>
          requests.length === 2 &&
          requests[0]?.ticketId === first &&
          requests[0].write.events.some((e) => e.type === 'ticket.merged');
        const clock = () => T0 + 1_000_000;
        const forB: TicketStore = {
          ...store,
          async saveMany(requests, options) {
            if (stepOne(requests, t) && !held) {
              held = true;
              reached();
              await bMayGo;
            }
            return store.saveMany(requests, options);
          },
        };
        const b = createDesk({ agents, store: forB, lifecycle, clock });
        let aHeld = false;
        let bMerge: Promise<unknown> = Promise.resolve();
        const forA: TicketStore = {
          ...store,
          async saveMany(requests, options) {
            if (!stepOne(requests, s) || aHeld) return store.saveMany(requests, options);
            aHeld = true;
            // The third writer: a note on the target after A decided on it.
            await b.handle({
              type: 'agent.noted',
              id: `third-${round}`,
              ticketId: t,
              at,
              agentId: 'ana',
              body: 'x',
            });
            bMerge = b.merge([t], s, { by: 'ana', at });
            await bReached;
            try {
              return await store.saveMany(requests, options);
            } finally {
              release();
            }
          },
        };
        const aDesk = createDesk({ agents, store: forA, lifecycle, clock });
        await Promise.all([
          aDesk.merge([s], t, { by: 'ana', at }),
          (async () => {
            await bReached;
            await bMerge;
          })(),
        ]);
        expect(held && aHeld).toBe(true);
        const statuses = await Promise.all([s, t].map(async (id) => (await store.load(id))!.snapshot.status));
        expect(
          statuses.filter((st) => st === 'merged'),
          `round ${round}: ${statuses.join(', ')}`,
        ).toHaveLength(1);
        await checkLaws(store, sent);
        void a;
      }
    },
    slow(60_000),
  );

  it(
    'a merge and a link of the same ticket at once: never a child of a merged parent waiting, nor a merged source with open children',
    async () => {
      const { store, a, b, open, sent } = await setup();
      for (let round = 0; round < 4; round++) {
        const [p, c, t] = [await open(), await open(), await open()];
        await Promise.all([a.link(p, c, { by: 'ana', at }), b.merge([p], t, { by: 'ana', at })]);
        const parent = (await store.load(p))!.snapshot;
        const child = (await store.load(c))!.snapshot.context;
        if (parent.status === 'merged') {
          // The merge won: the link was refused, the child has no parent.
          expect(child.parentId).toBeNull();
        } else {
          expect(child.parentId).toBe(p);
          expect(parent.context.children[c]).toBe('open');
        }
        await checkLaws(store, sent);
      }
    },
    slow(60_000),
  );
});
