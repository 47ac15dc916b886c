// The relation laws' model: commands, the checks after each, and the runner (relations.prop.test.ts
// runs them on the memory store, tests/store-postgres/relations.prop.integration.test.ts on PGlite).
import { fc } from '@fast-check/vitest';
import type { InboundContactInput } from 'carekit';
import { expect } from 'vitest';
import { kpiReport, relationsReport, ticketFacts } from '../../../src/metrics/index.js';
import {
  createDesk,
  createMemoryStore,
  createTicketWorkflow,
  type DeskRelationResult,
  type TicketStore,
  ticketThread,
} from '../../../src/workflows/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const H = 3_600_000;
const agents = [
  { id: 'ana', name: 'Ana', tier: 1, capacity: 50 },
  { id: 'ben', name: 'Ben', tier: 1, capacity: 50 },
];
const lifecycle = { requireAssigneeToSolve: false };

export type Op =
  | { readonly op: 'receive'; readonly customer: number; readonly hours: number }
  | { readonly op: 'reply'; readonly t: number; readonly hours: number }
  | { readonly op: 'agent'; readonly t: number; readonly status: 'solved' | 'pending' | 'none' }
  | { readonly op: 'close'; readonly t: number }
  | { readonly op: 'tick'; readonly hours: number }
  | {
      readonly op: 'merge';
      readonly sources: readonly number[];
      readonly target: number;
      readonly across: boolean;
    }
  | { readonly op: 'split'; readonly t: number; readonly pick: readonly number[] }
  | { readonly op: 'link'; readonly parent: number; readonly child: number }
  | { readonly op: 'unlink'; readonly parent: number; readonly child: number }
  /** A parent (a ticket with open children, if any) is set pending and left past its auto-solve timeout. */
  | { readonly op: 'wait'; readonly t: number; readonly hours: number };

const t = fc.nat(12);
const hours = fc.integer({ min: 0, max: 40 });
export const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('receive' as const), customer: fc.nat(1), hours }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('reply' as const), t, hours }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('agent' as const),
      t,
      status: fc.constantFrom('solved' as const, 'pending' as const, 'none' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), t }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('tick' as const), hours: fc.integer({ min: 0, max: 200 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('merge' as const),
      sources: fc.array(t, { minLength: 1, maxLength: 2 }),
      target: t,
      across: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('split' as const),
      t,
      pick: fc.array(fc.nat(6), { minLength: 1, maxLength: 2 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('link' as const), parent: t, child: t }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unlink' as const), parent: t, child: t }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('wait' as const),
      t,
      hours: fc.integer({ min: 24 * 7, max: 24 * 12 }),
    }),
  },
);

async function ids(store: TicketStore): Promise<string[]> {
  const out: string[] = [];
  for await (const id of store.ticketIds()) out.push(id);
  return out;
}

/** Everything the store holds per ticket: what a refused operation must leave as it was. */
async function dump(store: TicketStore): Promise<string> {
  const rows: unknown[] = [];
  for (const id of await ids(store)) rows.push([await store.load(id), (await store.ticketEvents(id)).length]);
  return JSON.stringify(rows);
}

const DONE = new Set(['solved', 'closed', 'merged']);
const openChildren = (children: Readonly<Record<string, 'open' | 'done'>>) =>
  Object.keys(children).filter((c) => children[c] === 'open');

/** Each ticket's status, how it was solved and its open children: what the hold law compares. */
async function statuses(store: TicketStore) {
  const out = new Map<string, { status: string; solvedBy: string | null; open: string[] }>();
  for (const id of await ids(store)) {
    const { status, context } = (await store.load(id))!.snapshot;
    out.set(id, { status, solvedBy: context.solvedBy, open: openChildren(context.children ?? {}) });
  }
  return out;
}

/**
 * A pending parent with an open child is never auto-solved by its timeout: a ticket with open
 * children before a step is not solved by `auto` after it (a child done within the step restarts
 * the parent's timeout, so it cannot pass in the same step).
 */
function checkHeld(
  before: Awaited<ReturnType<typeof statuses>>,
  after: Awaited<ReturnType<typeof statuses>>,
) {
  for (const [id, was] of before) {
    const now = after.get(id);
    if (was.open.length === 0 || now === undefined || (was.status === 'solved' && was.solvedBy === 'auto'))
      continue;
    if (now.status === 'solved' && now.solvedBy === 'auto')
      throw new Error(`${id} was auto-solved while its children ${was.open.join(', ')} were open`);
  }
}

/** The laws every state of the desk keeps (docs/relations.md). */
export async function checkLaws(store: TicketStore, sent: readonly string[]) {
  const wf = createTicketWorkflow(lifecycle);
  const bodies: string[] = [];
  const edges = new Map<string, string[]>();
  const snapshots = new Map<string, Awaited<ReturnType<TicketStore['load']>>>();
  for (const id of await ids(store)) snapshots.set(id, await store.load(id));
  const logs: Awaited<ReturnType<TicketStore['ticketEvents']>>[] = [];
  for (const id of await ids(store)) {
    const stored = (await store.load(id))!;
    // Parents are current: a child's parent knows it, open or done as the child stands, whatever
    // made the child change (a handled event, a tick's auto-solve or auto-close, a merge); no link
    // is half made. (A closed or merged child unlinked keeps its parentId in its history.)
    const parentId = stored.snapshot.context.parentId;
    if (parentId !== null) {
      const known = snapshots.get(parentId)?.snapshot.context.children?.[id];
      const final = stored.snapshot.status === 'closed' || stored.snapshot.status === 'merged';
      if (known !== undefined || !final)
        expect(known, `parent ${parentId} of ${id} (${stored.snapshot.status})`).toBe(
          DONE.has(stored.snapshot.status) ? 'done' : 'open',
        );
    }
    for (const child of Object.keys(stored.snapshot.context.children ?? {}))
      expect(snapshots.get(child)?.snapshot.context.parentId, `child ${child} of ${id}`).toBe(id);
    const log = await store.ticketEvents(id);
    logs.push(log);
    // Merge then replay equals live: every stored snapshot is the replay of its stored log.
    expect(stored.snapshot).toEqual(wf.replay(log, { trusted: true }).snapshot);
    const { status, context } = stored.snapshot;
    if (status !== 'merged')
      for (const m of ticketThread(log)) if (m.author === 'customer') bodies.push(m.body);
    const out: string[] = [];
    if (context.parentId !== null) out.push(context.parentId);
    if (context.mergedInto !== null) out.push(context.mergedInto);
    edges.set(id, out);
  }
  // The KPI report's relations section tells what the store holds: each merged ticket once, the
  // child tickets grouped under their parents, every parent's linked children; and the section
  // read from the facts is the one read from the logs.
  const relations = kpiReport(logs.map((log) => ticketFacts(log))).relations;
  const all = [...snapshots.values()].map((t) => t!.snapshot);
  expect(relations.merged, 'merged tickets, once each').toBe(all.filter((t) => t.status === 'merged').length);
  const byParent: Record<string, number> = {};
  for (const t of all)
    if (t.context.parentId !== null) byParent[t.context.parentId] = (byParent[t.context.parentId] ?? 0) + 1;
  expect(relations.childTicketsByParent, 'child tickets grouped under their parents').toEqual(
    Object.fromEntries(Object.entries(byParent).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
  const linked = all.map((t) => Object.keys(t.context.children ?? {}).length);
  expect(relations.children, "parents' linked children").toBe(linked.reduce((a, b) => a + b, 0));
  expect(relations.parents, 'tickets with children').toBe(linked.filter((n) => n > 0).length);
  expect(relationsReport(logs), 'the section from the logs equals the one from the facts').toEqual(relations);
  // No customer message lost or duplicated: each is in exactly one thread of a ticket not merged away.
  expect([...bodies].sort()).toEqual([...sent].sort());
  // The relations graph (parents and merges) has no cycle.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'open') throw new Error(`relation cycle: ${[...path, id].join(' → ')}`);
    state.set(id, 'open');
    for (const next of edges.get(id) ?? []) visit(next, [...path, id]);
    state.set(id, 'done');
  };
  for (const id of edges.keys()) visit(id, []);
}

/** How often each relation operation was done or refused over the runs (the generator must reach both). */
export const outcomes = new Map<string, number>();

export async function run(
  ops: readonly Op[],
  makeStore: () => Promise<TicketStore> = async () => createMemoryStore(),
) {
  const store = await makeStore();
  const desk = createDesk({ agents, store, lifecycle, clock: () => T0 + 10_000 * H });
  const sent: string[] = [];
  let now = T0;
  let n = 0;
  const contact = (customer: number): InboundContactInput => {
    const body = `m${n++}`;
    sent.push(body);
    return {
      externalId: `mail-${n}`,
      channel: 'email',
      customer: { id: `c${customer}` },
      subject: 'Order',
      body,
      at: now,
    };
  };
  await desk.receive(contact(0));
  await desk.receive(contact(0));
  await desk.receive(contact(1));
  for (const op of ops) {
    const all = await ids(store);
    const pick = (i: number) => all[i % all.length]!;
    let relation: Promise<DeskRelationResult> | null = null;
    const before = await dump(store);
    const was = await statuses(store);
    switch (op.op) {
      case 'wait': {
        // Half the time a parent with open children (held), half the time a child (its tick's
        // auto-solve must reach the parent); any ticket when there is none.
        const wanted: string[] = [];
        const role = op.t % 2 === 0 ? 'parent' : 'child';
        for (const id of all) {
          const { status, context } = (await store.load(id))!.snapshot;
          if (status === 'closed' || status === 'merged') continue;
          if (role === 'parent' ? openChildren(context.children ?? {}).length > 0 : context.parentId !== null)
            wanted.push(id);
        }
        const id = wanted.length > 0 ? wanted[op.t % wanted.length]! : pick(op.t);
        const key = `wait:${wanted.length > 0 ? role : 'any'}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        await desk.handle({
          type: 'agent.replied',
          id: `a${n++}`,
          ticketId: id,
          at: now,
          agentId: 'ana',
          body: 'Waiting for the warehouse',
          status: 'pending',
        });
        now += op.hours * H;
        await desk.tick({ now });
        break;
      }
      case 'receive':
        now += op.hours * H;
        await desk.receive(contact(op.customer));
        break;
      case 'reply': {
        now += op.hours * H;
        const body = `m${n++}`;
        sent.push(body);
        await desk.handle({ type: 'customer.replied', id: `r${n}`, ticketId: pick(op.t), at: now, body });
        break;
      }
      case 'agent':
        await desk.handle({
          type: 'agent.replied',
          id: `a${n++}`,
          ticketId: pick(op.t),
          at: now,
          agentId: 'ana',
          body: 'On it',
          ...(op.status === 'none' ? {} : { status: op.status }),
        });
        break;
      case 'close':
        await desk.handle({ type: 'ticket.closed', id: `x${n++}`, ticketId: pick(op.t), at: now });
        break;
      case 'tick':
        now += op.hours * H;
        await desk.tick({ now });
        break;
      case 'merge':
        relation = desk.merge(op.sources.map(pick), pick(op.target), {
          by: 'ana',
          at: now,
          acrossCustomers: op.across,
        });
        break;
      case 'split': {
        const id = pick(op.t);
        const thread = ticketThread(await store.ticketEvents(id));
        const refs = op.pick.map((i) => thread[i % thread.length]!.ref);
        relation = desk.split(id, refs, { by: 'ana', at: now });
        break;
      }
      case 'link':
        relation = desk.link(pick(op.parent), pick(op.child), { by: 'ana', at: now });
        break;
      case 'unlink': {
        // Mostly a child and its parent (random pairs are rarely linked), sometimes any pair.
        const linked: [string, string][] = [];
        for (const id of all) {
          const parent = (await store.load(id))?.snapshot.context.parentId ?? null;
          if (parent !== null) linked.push([parent, id]);
        }
        const [parent, child] =
          linked.length > 0 && op.parent % 4 !== 0
            ? linked[op.child % linked.length]!
            : [pick(op.parent), pick(op.child)];
        relation = desk.unlink(parent, child, { by: 'ana', at: now });
        break;
      }
    }
    if (relation !== null) {
      const result = await relation;
      const key = `${op.op}:${result.rejected ? 'refused' : 'done'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      // A refused relation operation changes nothing.
      if (result.rejected) expect(await dump(store)).toBe(before);
    }
    checkHeld(was, await statuses(store));
    await checkLaws(store, sent);
  }
}
