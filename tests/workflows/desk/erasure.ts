// The laws of erasure (issue 23), written once and run against any TicketStore: the memory store
// (erasure.prop.test.ts here) and PostgreSQL (tests/store-postgres/erasure.integration.test.ts).
// A world of three customers whose every personal string carries a unique token (so a search for
// it cannot meet anything else), driven through a real desk: contacts, replies, notes, surveys
// with comments, solves, closes, ticks (acknowledgements and survey requests rendered from
// templates that greet the customer by name).
import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { redactPersonalData } from '../../../src/model/dataProtection.js';
import { parseTicketEvent, type TicketEvent, type TicketEventInput } from '../../../src/model/index.js';
import {
  createDesk,
  createTicketWorkflow,
  type Desk,
  type TicketStore,
} from '../../../src/workflows/index.js';
import { deskOptions, lifecycle, T0 } from './hostile.js';

/** The lifecycle the world's desk runs (without its SLA policy), to replay logs with. */
const replayer = createTicketWorkflow(lifecycle);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const CUSTOMERS = ['c0', 'c1', 'c2'] as const;
/** The `meta` key the host marks personal in this world. */
export const PERSONAL = { meta: ['crm'] } as const;

/** A token only the customer's data holds. */
const pii = (customer: string, what: string, n: number | string) => `PII${customer}x${what}x${n}Q`;

export const customerRecord = (c: string) => ({
  id: c,
  name: pii(c, 'name', 0),
  givenName: pii(c, 'given', 0),
  email: `${pii(c, 'mail', 0).toLowerCase()}@example.com`,
  handle: pii(c, 'handle', 0),
  phone: `+55 11 9${c.charCodeAt(1)}00-0000`,
  segment: 'vip',
  meta: { crm: pii(c, 'crm', 0), plan: 'gold' },
});

export type WorldOp =
  | { readonly kind: 'open'; readonly customer: number; readonly gap: number }
  | { readonly kind: 'customerReply'; readonly ticket: number; readonly gap: number }
  | { readonly kind: 'agentReply'; readonly ticket: number; readonly gap: number; readonly solve: boolean }
  | { readonly kind: 'note'; readonly ticket: number; readonly gap: number }
  | { readonly kind: 'survey'; readonly ticket: number; readonly gap: number; readonly score: number }
  | { readonly kind: 'close'; readonly ticket: number; readonly gap: number }
  | { readonly kind: 'tick'; readonly gap: number };

const gap = fc.integer({ min: 0, max: 30 * HOUR });
export const arbWorldOp: fc.Arbitrary<WorldOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('open' as const), customer: fc.nat(2), gap }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('customerReply' as const), ticket: fc.nat(9), gap }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('agentReply' as const),
      ticket: fc.nat(9),
      gap,
      solve: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('note' as const), ticket: fc.nat(9), gap }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('survey' as const),
      ticket: fc.nat(9),
      gap,
      score: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), ticket: fc.nat(9), gap }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), gap }) },
);

/** A world: a desk over the store, its clock, and the tickets it opened (with their customers). */
export interface World {
  readonly store: TicketStore;
  desk: Desk;
  now: number;
  readonly tickets: { readonly ticketId: string; readonly customerId: string }[];
  n: number;
}

export function makeWorld(store: TicketStore): World {
  const world: World = { store, desk: undefined as unknown as Desk, now: T0, tickets: [], n: 0 };
  world.desk = createDesk(deskOptions(store, () => world.now));
  return world;
}

/**
 * Applies one op. Text written after `fresh` is set carries `fresh` instead of the customer's
 * tokens (the concurrency law: what arrives after an erasure is new data, not erased data).
 */
export async function play(world: World, op: WorldOp, fresh?: string): Promise<void> {
  world.now += op.gap;
  const n = world.n++;
  const at = world.now;
  if (op.kind === 'tick') {
    await world.desk.tick({ now: at });
    return;
  }
  if (op.kind === 'open') {
    const c = CUSTOMERS[op.customer] as string;
    const { ticket } = await world.desk.receive({
      externalId: `x${n}`,
      channel: n % 2 === 0 ? 'email' : 'chat',
      customer: fresh === undefined ? customerRecord(c) : { id: c },
      subject: fresh ?? pii(c, 'subject', n),
      body: fresh ?? pii(c, 'body', n),
      at,
      meta: { crm: fresh ?? pii(c, 'crm', n), source: 'web' },
    });
    if (!world.tickets.some((t) => t.ticketId === ticket.ticketId)) {
      world.tickets.push({ ticketId: ticket.ticketId, customerId: c });
    }
    return;
  }
  const target = world.tickets[op.ticket % Math.max(1, world.tickets.length)];
  if (target === undefined) return;
  const c = target.customerId;
  const text = (what: string) => fresh ?? pii(c, what, n);
  const base = { id: `w${n}`, ticketId: target.ticketId, at };
  const events: Record<WorldOp['kind'], () => TicketEventInput> = {
    customerReply: () => ({ ...base, type: 'customer.replied', body: text('reply') }),
    agentReply: () => ({
      ...base,
      type: 'agent.replied',
      agentId: 'ana',
      body: text('answer'),
      ...(op.kind === 'agentReply' && op.solve ? { status: 'solved' } : {}),
    }),
    note: () => ({ ...base, type: 'agent.noted', agentId: 'ben', body: text('note') }),
    survey: () => ({
      ...base,
      type: 'survey.answered',
      survey: 'csat',
      score: op.kind === 'survey' ? op.score : 3,
      comment: text('comment'),
    }),
    close: () => ({ ...base, type: 'ticket.closed', by: 'ana' }),
    open: () => {
      throw new Error('opening is done above, by receive');
    },
    tick: () => {
      throw new Error('ticks are done above, by desk.tick');
    },
  };
  await world.desk.handle(events[op.kind]());
}

/** Every value the store lets anyone read, as one JSON text per part (the memory store's structures). */
export async function readEverything(store: TicketStore): Promise<Record<string, string>> {
  const all = async <T>(items: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  };
  const ids = await all(store.ticketIds());
  const customers = await Promise.all(CUSTOMERS.map((c) => store.customer(c)));
  return {
    tickets: JSON.stringify(await Promise.all(ids.map((id) => store.load(id)))),
    ticketEvents: JSON.stringify(await Promise.all(ids.map((id) => store.ticketEvents(id)))),
    events: JSON.stringify(await all(store.events())),
    effects: JSON.stringify(await all(store.effects())),
    stream: JSON.stringify(await all(store.stream())),
    waiting: JSON.stringify(await store.waiting()),
    due: JSON.stringify(await store.dueTickets(Number.MAX_SAFE_INTEGER)),
    agents: JSON.stringify(await store.agents()),
    customers: JSON.stringify(customers),
    heldBy: JSON.stringify(await store.heldBy(['ana', 'ben', 'lia', 'hal'])),
    blocklist: JSON.stringify([await store.blocklist.list(), await store.blocklist.history()]),
    erasures: JSON.stringify(await store.erasures()),
  };
}

/** The tokens of a customer's personal data (each starts with `PII<id>x`). */
export const tokenPattern = (customerId: string) => new RegExp(`pii${customerId}x[a-z]+x\\d+q`, 'gi');

/** Every token of the customer found in the texts, with where. */
export function findTokens(texts: Record<string, string>, customerId: string): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const match of text.match(tokenPattern(customerId)) ?? []) found.push(`${where}: ${match}`);
  }
  return found;
}

/** The KPI report of the whole store, with what may differ by run (none) dropped. */
export async function kpis(desk: Desk) {
  return JSON.parse(JSON.stringify(await desk.metrics()));
}

/**
 * The erasure laws on a world after `ops`: the KPI report unchanged; no token of the customer in
 * anything the store holds (`extraTexts` adds what a database can show beyond the API, every table);
 * every stored event still parses; the changed tickets' versions went up by one; a second
 * erasure changes nothing but the audit trail.
 */
export async function checkErasureLaws(
  world: World,
  customerId: string,
  extraTexts: () => Promise<Record<string, string>> = async () => ({}),
): Promise<void> {
  const { store } = world;
  const before = await kpis(world.desk);
  const versions = new Map<string, number>();
  for await (const id of store.ticketIds()) versions.set(id, (await store.load(id))?.version ?? 0);
  const hadTokens = findTokens(await readEverything(store), customerId).length > 0;
  const logs = new Map<string, readonly TicketEvent[]>();
  for await (const id of store.ticketIds()) logs.set(id, await store.ticketEvents(id));

  const result = await store.eraseCustomer(customerId, {
    by: 'dpo',
    reason: 'erasure request 1',
    now: world.now,
  });
  expect(result.record).toMatchObject({
    action: 'erase',
    customerId,
    by: 'dpo',
    reason: 'erasure request 1',
  });
  if (hadTokens) expect(result.ticketIds.length).toBeGreaterThan(0);

  expect(await kpis(world.desk)).toEqual(before);
  const texts = { ...(await readEverything(store)), ...(await extraTexts()) };
  expect(findTokens(texts, customerId)).toEqual([]);
  // The other customers' data is untouched.
  for (const other of CUSTOMERS.filter((c) => c !== customerId)) {
    if (world.tickets.some((t) => t.customerId === other)) {
      expect(findTokens(texts, other).length).toBeGreaterThan(0);
    }
  }
  for await (const event of store.events()) expect(() => parseTicketEvent(event)).not.toThrow();
  // Each erased log replays to the redaction of what the original log replayed to: the same
  // statuses, counters and clocks, and a snapshot equal to the stored one's redaction rule.
  for (const id of result.ticketIds) {
    const original = replayer.replay(logs.get(id) ?? []);
    const erased = replayer.replay(await store.ticketEvents(id));
    expect(erased.snapshot.status).toBe(original.snapshot.status);
    expect(erased.rejected.length).toBe(original.rejected.length);
    expect(erased.snapshot).toEqual(redactPersonalData(original.snapshot, 'snapshot', PERSONAL));
  }
  for await (const id of store.ticketIds()) {
    const version = (await store.load(id))?.version;
    expect(version).toBe((versions.get(id) ?? 0) + (result.ticketIds.includes(id) ? 1 : 0));
  }

  // Idempotent: nothing left to change, only a second audit row.
  const again = await store.eraseCustomer(customerId, {
    by: 'dpo',
    reason: 'erasure request 2',
    now: world.now,
  });
  expect(again.ticketIds).toEqual([]);
  const after = await readEverything(store);
  const { erasures: _a, ...rest } = after;
  const { erasures: _b, ...restBefore } = texts;
  for (const key of Object.keys(rest)) expect(rest[key]).toEqual(restBefore[key]);
  expect((await store.erasures()).slice(-2).map((r) => r.reason)).toEqual([
    'erasure request 1',
    'erasure request 2',
  ]);
}

/**
 * A store whose next save (or batch) first runs `before`: an erasure landing between a desk's
 * read and its write, every time it is armed.
 */
export function withHook(store: TicketStore): {
  store: TicketStore;
  arm: (before: () => Promise<unknown>) => void;
} {
  let hook: (() => Promise<unknown>) | null = null;
  const fire = async () => {
    const run = hook;
    hook = null;
    if (run) await run();
  };
  const wrapped = Object.create(store) as TicketStore;
  Object.assign(wrapped, {
    save: async (...args: Parameters<TicketStore['save']>) => {
      await fire();
      return store.save(...args);
    },
    saveMany: async (...args: Parameters<TicketStore['saveMany']>) => {
      await fire();
      return store.saveMany(...args);
    },
  });
  return { store: wrapped, arm: (before) => (hook = before) };
}

/** How many ops a law runs on (kept short: every op goes through a whole desk). */
export const arbOps = (max: number) => fc.array(arbWorldOp, { minLength: 3, maxLength: max });
