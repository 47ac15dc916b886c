// The desk in a hostile world, as a model-based property (fast-check `commands`), written once
// and run against any TicketStore: the memory store (hostile.prop.test.ts here) and PostgreSQL
// (tests/store-postgres/desk-hostile.prop.integration.test.ts, on PGlite and on a server with CAREKIT_PG_URL).
//
// Two worlds take the same calls: A, whose desk is replaced by a new one over the same store on
// every `restart`, and whose refused calls are made on it alone; and B, whose desk never restarts
// and never sees a call that throws. After every command the laws of issue 15 are checked on A,
// and A's answer and store must equal B's: a restarted desk decides as one that never stopped,
// and a refused call left nothing behind that changes a later decision.
import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { createSlaPolicy } from '../../../src/sla/index.js';
import { createTemplateLibrary, starterTemplates } from '../../../src/templates/index.js';
import { createDesk, type Desk, type DeskOptions, type TicketStore } from '../../../src/workflows/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The desk's default `maxClockSkew`. */
const MAX_SKEW = 5 * MINUTE;
export const T0 = Date.parse('2026-11-23T09:00:00Z');

// ---------------------------------------------------------------------------------------------
// The world: a shop's team, one SLA policy, a lifecycle with a reopen window longer than the
// auto-close, surveys, and ticket ids that collide (`T-<externalId>` for every channel).

type Availability = 'available' | 'away';
const team = (hal: Availability = 'available', ana: Availability = 'available') => [
  { id: 'ana', name: 'Ana', tier: 1, capacity: 2, availability: ana },
  { id: 'ben', name: 'Ben', tier: 1, capacity: 2 },
  { id: 'lia', name: 'Lia', tier: 2, capacity: 2 },
  // The host's own assignments go to Hal, whose capacity the host cannot exceed in a run.
  { id: 'hal', name: 'Hal', tier: 3, capacity: 1000, availability: hal },
];
const CAPACITY: Record<string, number> = { ana: 2, ben: 2, lia: 2, hal: 1000 };
const TIER: Record<string, number> = { ana: 1, ben: 1, lia: 2, hal: 3 };
const CUSTOMERS = ['c0', 'c1', 'c2'] as const;

const sla = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { normal: { hours: 1 }, high: { minutes: 30 } } },
  nextReply: { targets: { normal: { hours: 4 } } },
});
const templates = createTemplateLibrary(starterTemplates);

export const lifecycle = {
  reopenWindow: { days: 7 },
  autoCloseSolvedAfter: { days: 4 },
  // A public reply does not assign the replier: only the router fills agents' slots.
  assignOnReply: false,
  acknowledgeTemplate: 'acknowledgement',
  survey: { delay: { hours: 2 }, csat: true, npsEvery: { days: 90 } },
} as const;

/** The desk's options over a store, its clock read from the model. */
export function deskOptions(
  store: TicketStore,
  clock: () => number,
  agents: ReturnType<typeof team> = team(),
): DeskOptions {
  return {
    store,
    agents,
    // No `tierAtLeast` among the filters: the desk must enforce an escalated tier itself.
    router: { filters: ['available', 'withinCapacity'], strategy: 'roundRobin' },
    slaPolicies: [sla],
    lifecycle,
    templates,
    templateContext: () => ({ brand: { name: 'Loja Azul' } }),
    // Two contacts with one external id on two channels map to one ticket id.
    ticketId: (inbound) => `T-${inbound.externalId}`,
    clock,
  } as DeskOptions;
}

// ---------------------------------------------------------------------------------------------
// What the property reads of the desk's answers (kept loose: the laws name only these fields).

interface View {
  readonly ticketId: string;
  readonly customerId: string;
  readonly status: string;
}
interface Effect {
  readonly id: string;
  readonly type: string;
  readonly ticketId: string;
  readonly causedBy: string;
}
interface Answer {
  readonly ticket?: View;
  readonly followUp?: View;
  readonly effects?: readonly Effect[];
  readonly duplicate?: true;
  readonly rejected?: { readonly code: string };
  readonly tickets?: readonly View[];
}
interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly ticketId: string;
  readonly at: number;
  readonly sentAt?: number;
  readonly channel?: string;
  readonly externalId?: string;
  readonly followUpOf?: string;
  readonly meta?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Every effect the store recorded (its outbox), whether `effects()` is an async iterable or a promise. */
export async function outbox(store: TicketStore): Promise<Effect[]> {
  const read = (store as unknown as { effects?: () => unknown }).effects;
  if (typeof read !== 'function') throw new Error('the store has no effects(): the outbox cannot be read');
  const found = read.call(store) as AsyncIterable<unknown> | Promise<readonly unknown[]> | readonly unknown[];
  const out: unknown[] = [];
  if (found && typeof (found as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const item of found as AsyncIterable<unknown>) out.push(item);
  } else out.push(...((await found) as readonly unknown[]));
  // A database outbox may wrap the effect in a row.
  return out.map((item) =>
    item && typeof item === 'object' && 'effect' in item && !('type' in item)
      ? ((item as { effect: Effect }).effect as Effect)
      : (item as Effect),
  );
}

/**
 * The store itself when it lists its outbox (`effects()`, as the contract says); otherwise the
 * store with an outbox kept beside it from what each successful save wrote (what a database's
 * outbox holds), so the other laws can still be checked. `hasOutbox` tells which.
 */
export function withOutbox(store: TicketStore): TicketStore {
  if (hasOutbox(store)) return store;
  const recorded: unknown[] = [];
  return {
    ...store,
    async save(ticketId, version, write) {
      const result = await store.save(ticketId, version, write);
      if (result.ok) recorded.push(...JSON.parse(JSON.stringify(write.effects ?? [])));
      return result;
    },
    effects: async function* () {
      yield* recorded;
    },
  } as TicketStore;
}
export const hasOutbox = (store: TicketStore) =>
  typeof (store as unknown as { effects?: unknown }).effects === 'function';

export interface Dump {
  readonly tickets: readonly {
    readonly stored: { ticketId: string; snapshot: { status: string; context: Record<string, unknown> } };
    readonly log: readonly StoredEvent[];
  }[];
  readonly effects: readonly Effect[];
  readonly agents: readonly unknown[];
  readonly blocklist: readonly unknown[];
  readonly history: readonly unknown[];
}

/** Everything the store holds, as JSON: every ticket with its log, the outbox, the blocklist and its audit. */
/** The effects recorded since `before` (the dump orders effects by ticket, not by arrival). */
function newEffects(before: Dump, after: Dump): Effect[] {
  const known = new Set(before.effects.map((e) => e.id));
  return after.effects.filter((e) => !known.has(e.id));
}

function stableByTicket<T extends { ticketId: string }>(effects: readonly T[]): T[] {
  return [...effects].sort((a, b) => (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0));
}

export async function dump(store: TicketStore): Promise<Dump> {
  const tickets: Dump['tickets'][number][] = [];
  for await (const id of store.ticketIds()) {
    const stored = (await store.load(id)) as unknown as Dump['tickets'][number]['stored'];
    const log = (await store.ticketEvents(id)) as unknown as StoredEvent[];
    tickets.push({ stored, log });
  }
  return JSON.parse(
    JSON.stringify({
      tickets,
      // Effects in the order saved within each ticket; across tickets, the order concurrent saves
      // (a tick's) reached the store is not part of the contract.
      effects: stableByTicket(await outbox(store)),
      agents: [...(await store.agents())].sort((a, b) => (a.agentId < b.agentId ? -1 : 1)),
      blocklist: await store.blocklist.list(),
      history: await store.blocklist.history(),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Commands. Their parameters are fixed when generated; the tickets they name are picked from
// what the model has seen when they run.

/** Skews from the desk's clock: late mail, slightly early, within and beyond maxClockSkew, a year ahead. */
const arbSkew = fc.constantFrom(-3 * DAY, -HOUR, -MINUTE, 0, MINUTE, 4 * MINUTE, 10 * MINUTE, 365 * DAY);
const arbPick = fc.nat({ max: 1000 });
const arbAgent = fc.constantFrom('ana', 'ben', 'lia', 'hal', 'ghost');

export type Op =
  | { readonly op: 'receive'; readonly k: number; readonly skew: number }
  | { readonly op: 'customer'; readonly j: number; readonly pick: number; readonly skew: number }
  | {
      readonly op: 'reply';
      readonly pick: number;
      readonly agent: string;
      readonly status: 'pending' | 'solved' | 'open' | null;
      readonly internal: boolean;
      readonly empty: boolean;
      readonly skew: number;
    }
  | { readonly op: 'note'; readonly pick: number; readonly agent: string; readonly skew: number }
  | { readonly op: 'solve'; readonly pick: number }
  | { readonly op: 'cycle'; readonly customer: number }
  | {
      readonly op: 'status';
      readonly pick: number;
      readonly status: 'open' | 'pending' | 'on_hold' | 'solved';
      readonly skew: number;
    }
  | { readonly op: 'assign'; readonly pick: number; readonly agent: string | null; readonly skew: number }
  | { readonly op: 'escalate'; readonly pick: number; readonly tier: number }
  | { readonly op: 'close'; readonly pick: number }
  | { readonly op: 'merge'; readonly pick: number; readonly into: number }
  | { readonly op: 'tick'; readonly advance: number }
  | { readonly op: 'wait'; readonly advance: number }
  | { readonly op: 'restart' }
  | { readonly op: 'team'; readonly hal: Availability; readonly ana: Availability }
  | { readonly op: 'block'; readonly customer: number; readonly add: boolean }
  | {
      readonly op: 'bad';
      readonly kind:
        | 'event'
        | 'contact'
        | 'unknownTicket'
        | 'setAgentsAt'
        | 'setAgentsTeam'
        | 'blocklistRemove'
        | 'blocklistAdd';
      readonly pick: number;
    };

export const arbOp: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('receive' as const), k: fc.nat({ max: 15 }), skew: arbSkew }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('customer' as const),
      j: fc.nat({ max: 7 }),
      pick: arbPick,
      skew: arbSkew,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('reply' as const),
      pick: arbPick,
      agent: arbAgent,
      status: fc.constantFrom('pending' as const, 'solved' as const, 'open' as const, null),
      internal: fc.boolean(),
      empty: fc.boolean(),
      skew: arbSkew,
    }),
  },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('solve' as const), pick: arbPick }) },
  // A customer's whole ticket at once: a new mail, solved by its assignee, surveyed 3 hours later.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cycle' as const), customer: fc.nat({ max: 2 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('note' as const), pick: arbPick, agent: arbAgent, skew: arbSkew }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('status' as const),
      pick: arbPick,
      status: fc.constantFrom('open' as const, 'pending' as const, 'on_hold' as const, 'solved' as const),
      skew: arbSkew,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('assign' as const),
      pick: arbPick,
      agent: fc.constantFrom('hal', 'ghost', null),
      skew: arbSkew,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('escalate' as const),
      pick: arbPick,
      tier: fc.integer({ min: 2, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), pick: arbPick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('merge' as const), pick: arbPick, into: arbPick }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('tick' as const),
      advance: fc.constantFrom(0, MINUTE, 50 * MINUTE, 2 * HOUR, DAY, 3 * DAY, 5 * DAY),
    }),
  },
  // Time passes and no timer runs (the host's tick is down, or slow).
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('wait' as const),
      advance: fc.constantFrom(HOUR, DAY, 3 * DAY, 5 * DAY),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'restart' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('team' as const),
      hal: fc.constantFrom('available' as const, 'away' as const),
      ana: fc.constantFrom('available' as const, 'away' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('block' as const),
      customer: fc.nat({ max: 2 }),
      add: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('bad' as const),
      kind: fc.constantFrom(
        'event' as const,
        'contact' as const,
        'unknownTicket' as const,
        'setAgentsAt' as const,
        'setAgentsTeam' as const,
        'blocklistRemove' as const,
        'blocklistAdd' as const,
      ),
      pick: arbPick,
    }),
  },
);

/**
 * Contact k: m0..m4 by email, m0..m4 again by chat (another contact: deduplication is scoped by
 * channel; the same ticket id from `ticketId`); r10..r13, mail replies of m0..m3's customers that
 * reference them (threaded onto that ticket, or a new one when it has not arrived yet); r14,
 * another customer's mail that references m0 (never threaded onto c0's ticket); and 15, a mail of
 * c2 whose Message-ID is m1's, c1's (another contact, with a ticket of its own).
 */
export function contactOf(k: number, at: number) {
  if (k >= 100) {
    return {
      externalId: `s${k}`,
      channel: 'email',
      customer: { id: CUSTOMERS[k % 3] as string, name: 'Rui Costa' },
      subject: 'Order',
      body: `A new question (${k})`,
      at,
    };
  }
  if (k === 15) {
    return {
      externalId: 'm1',
      channel: 'email',
      customer: { id: 'c2', name: 'Ana Lima' },
      subject: 'Hello',
      body: 'Same id, other sender (15)',
      at,
    };
  }
  if (k >= 10) {
    const ref = (k - 10) % 4;
    return {
      externalId: `r${k}`,
      channel: 'email',
      customer: { id: k === 14 ? 'c1' : (CUSTOMERS[ref % 3] as string), name: 'Rui Costa' },
      subject: 'Re: Help',
      body: `A reply to my first mail (${k})`,
      at,
      inReplyTo: `m${ref}`,
      references: [`m${ref}`],
    };
  }
  const channel = k < 5 ? 'email' : 'chat';
  const n = k % 5;
  return {
    externalId: `m${n}`,
    channel,
    customer: { id: CUSTOMERS[k % 3] as string, name: 'Rui Costa' },
    subject: 'Help',
    body: `Where is my order? (${k})`,
    at,
  };
}

// ---------------------------------------------------------------------------------------------
// The model and the two worlds.

export interface Model {
  now: number;
  /** Every ticket id a response named, in order, and its customer. */
  readonly tickets: string[];
  readonly customerOf: Map<string, string>;
  /** Contacts delivered, by k: the payload of the first delivery (redelivered as is). */
  readonly contacts: Map<number, ReturnType<typeof contactOf>>;
  /** Customer replies delivered, by j. */
  readonly replies: Map<number, StoredEvent>;
  /** Messages the desk accepted: `contact:<customer>:<channel>:<externalId>` or `reply:<event id>`. */
  readonly accepted: Map<
    string,
    { readonly channel?: string; readonly externalId?: string; readonly eventId?: string }
  >;
  /** The original `at` of every event the host sent, by id. */
  readonly sentAt: Map<string, number>;
  /** Every effect id any answer returned. */
  readonly effectIds: Set<string>;
  /** A's store after the last command. */
  last: string;
  seq: number;
  restarts: number;
  /** The team as the host last set it. */
  team: ReturnType<typeof team>;
  readonly trace: string[];
}

interface World {
  readonly store: TicketStore;
  desk: Desk;
}
export interface Real {
  readonly a: World;
  readonly b: World;
  readonly make: (store: TicketStore) => Desk;
}

/** The initial model and worlds over two empty stores. */
export async function setup(storeA: TicketStore, storeB: TicketStore): Promise<{ model: Model; real: Real }> {
  const model: Model = {
    now: T0,
    tickets: [],
    customerOf: new Map(),
    contacts: new Map(),
    replies: new Map(),
    accepted: new Map(),
    sentAt: new Map(),
    effectIds: new Set(),
    last: '',
    seq: 0,
    restarts: 0,
    team: team(),
    trace: [],
  };
  // A restarted host passes the team it has now (the team is configuration, not stored).
  const make = (store: TicketStore) => createDesk(deskOptions(store, () => model.now, model.team));
  model.last = JSON.stringify(await dump(storeA));
  return {
    model,
    real: { a: { store: storeA, desk: make(storeA) }, b: { store: storeB, desk: make(storeB) }, make },
  };
}

type Outcome =
  | { readonly ok: Answer }
  | { readonly error: { readonly name: string; readonly code?: string } };
const settle = async (call: () => Promise<unknown>): Promise<Outcome> => {
  try {
    return { ok: (await call()) as Answer };
  } catch (error) {
    const e = error as { name?: string; code?: string };
    return { error: { name: String(e?.name), ...(e?.code ? { code: e.code } : {}) } };
  }
};
const json = (value: unknown) => JSON.parse(JSON.stringify(value ?? null));

/** A call both worlds take; their answers must be equal. */
async function both(real: Real, call: (desk: Desk) => Promise<unknown>): Promise<Outcome> {
  const a = await settle(() => call(real.a.desk));
  const b = await settle(() => call(real.b.desk));
  expect(json(a), 'a restarted desk answers as one that never stopped').toEqual(json(b));
  if ('error' in a) throw new Error(`the desk threw on an ordinary call: ${JSON.stringify(a.error)}`);
  return a;
}

/** A call that must be refused by throwing: made on A alone. */
async function refusedByThrow(real: Real, what: string, call: (desk: Desk) => Promise<unknown>) {
  const outcome = await settle(() => call(real.a.desk));
  expect('error' in outcome, `${what} is refused`).toBe(true);
}

const pickTicket = (m: Model, pick: number) =>
  m.tickets.length === 0 ? null : (m.tickets[pick % m.tickets.length] as string);
const stamp = (m: Model, skew: number) => m.now + skew;
const nextId = (m: Model, prefix: string) => `${prefix}${++m.seq}`;

/** Runs one command on both worlds, then checks every law. */
export async function step(m: Model, real: Real, op: Op): Promise<void> {
  if (op.op === 'cycle') {
    const k = 100 + 3 * ++m.seq + op.customer;
    await step(m, real, { op: 'receive', k, skew: 0 });
    const ticketId = await real.b.store.findByExternalId(`email:s${k}`);
    if (ticketId === null) return;
    await step(m, real, { op: 'solve', pick: m.tickets.indexOf(ticketId) });
    return step(m, real, { op: 'tick', advance: 3 * HOUR });
  }
  m.trace.push(JSON.stringify(op));
  const out: { answer: Answer | null; refusedBy: 'throw' | 'rejection' | null; target: string | null } = {
    answer: null,
    refusedBy: null,
    target: null,
  };
  const send = async (event: StoredEvent): Promise<Answer> => {
    out.target = event.ticketId;
    m.sentAt.set(event.id, event.at);
    const outcome = await both(real, (desk) => desk.handle(event as never));
    const answer = (outcome as { ok: Answer }).ok;
    out.answer = answer;
    if (answer.rejected) out.refusedBy = 'rejection';
    return answer;
  };

  switch (op.op) {
    case 'receive': {
      const seen = m.contacts.get(op.k);
      const contact = seen ?? contactOf(op.k, stamp(m, op.skew));
      m.contacts.set(op.k, contact);
      const key = `contact:${contact.customer.id}:${contact.channel}:${contact.externalId}`;
      const outcome = await both(real, (desk) => desk.receive(contact as never));
      const answer = (outcome as { ok: Answer }).ok;
      out.answer = answer;
      // A contact is new exactly when its (channel, external id) was not accepted before.
      expect(answer.duplicate === true, `${key} is a duplicate exactly when it was received before`).toBe(
        m.accepted.has(key),
      );
      expect(answer.rejected, `${key} is never refused`).toBeUndefined();
      expect(answer.ticket?.customerId, `the answer to ${key} names its customer's ticket`).toBe(
        contact.customer.id,
      );
      if (!m.accepted.has(key) && !('references' in contact)) {
        expect(m.tickets, `a new contact ${key} opens a ticket of its own`).not.toContain(
          answer.ticket?.ticketId,
        );
      }
      m.accepted.set(key, { channel: contact.channel, externalId: contact.externalId });
      break;
    }
    case 'customer': {
      let event = m.replies.get(op.j);
      if (!event) {
        const ticketId = pickTicket(m, op.pick);
        if (!ticketId) return finish(m, real, op, null, null, null);
        event = {
          type: 'customer.replied',
          id: `cr${op.j}`,
          ticketId,
          at: stamp(m, op.skew),
          body: `More about it (${op.j})`,
        };
        m.replies.set(op.j, event);
      }
      const result = await send(event);
      expect(result.rejected, `a customer's message ${event.id} is never refused`).toBeUndefined();
      m.accepted.set(`reply:${event.id}`, { eventId: event.id });
      break;
    }
    case 'reply':
    case 'note':
    case 'status':
    case 'assign': {
      const ticketId = pickTicket(m, op.pick);
      if (!ticketId) return finish(m, real, op, null, null, null);
      const base = { id: nextId(m, 'h'), ticketId, at: stamp(m, op.skew) };
      const event: StoredEvent =
        op.op === 'reply'
          ? {
              type: 'agent.replied',
              ...base,
              agentId: op.agent,
              body: op.empty ? '' : 'Your parcel is on its way.',
              ...(op.internal ? { public: false } : {}),
              ...(op.status ? { status: op.status } : {}),
            }
          : op.op === 'note'
            ? { type: 'agent.noted', ...base, agentId: op.agent, body: 'Checked the carrier.' }
            : op.op === 'status'
              ? { type: 'ticket.status_set', ...base, status: op.status }
              : op.agent === null
                ? { type: 'ticket.assigned', ...base, agentId: null, queue: 'returns' }
                : { type: 'ticket.assigned', ...base, agentId: op.agent };
      const result = await send(event);
      const agent = event.agentId as string | null | undefined;
      if (agent === 'ghost') {
        expect(result.rejected?.code, `${event.type} naming an unknown agent is refused`).toBe(
          'unknown_agent',
        );
      } else if (op.op === 'reply' && op.empty && !op.internal) {
        expect(result.rejected?.code, 'an empty public reply is refused').toMatch(
          /^(empty_reply|not_allowed_in_status)$/,
        );
      }
      break;
    }
    case 'solve': {
      // The agent who holds the ticket solves it with a reply (as the host reads it from its store).
      const ticketId = pickTicket(m, op.pick);
      const stored = ticketId ? await real.b.store.load(ticketId) : null;
      const agentId = stored?.snapshot.context.assigneeId ?? 'hal';
      if (!ticketId) return finish(m, real, op, null, null, null);
      await send({
        type: 'agent.replied',
        id: nextId(m, 'h'),
        ticketId,
        at: m.now,
        agentId,
        body: 'Solved: a new parcel is on its way.',
        status: 'solved',
      });
      break;
    }
    case 'escalate': {
      const ticketId = pickTicket(m, op.pick);
      if (!ticketId) return finish(m, real, op, null, null, null);
      await send({
        type: 'ticket.escalated',
        id: nextId(m, 'h'),
        ticketId,
        at: m.now,
        tier: op.tier,
        reason: 'the customer asked for a manager',
      });
      break;
    }
    case 'close': {
      const ticketId = pickTicket(m, op.pick);
      if (!ticketId) return finish(m, real, op, null, null, null);
      await send({ type: 'ticket.closed', id: nextId(m, 'h'), ticketId, at: m.now, by: 'hal' });
      break;
    }
    case 'merge': {
      // The host merges tickets of one customer only.
      const from = pickTicket(m, op.pick);
      const mates = m.tickets.filter(
        (id) => id !== from && m.customerOf.get(id) === m.customerOf.get(from ?? ''),
      );
      const into = mates.length > 0 ? (mates[op.into % mates.length] as string) : null;
      if (!from || !into) return finish(m, real, op, null, null, null);
      await send({ type: 'ticket.merged', id: nextId(m, 'h'), ticketId: from, at: m.now, into, by: 'hal' });
      break;
    }
    case 'tick': {
      m.now += op.advance;
      const outcome = await both(real, (desk) => desk.tick({ now: m.now }));
      out.answer = (outcome as { ok: Answer }).ok;
      break;
    }
    case 'wait': {
      m.now += op.advance;
      break;
    }
    case 'restart': {
      real.a.desk = real.make(real.a.store);
      m.restarts++;
      break;
    }
    case 'team': {
      m.team = team(op.hal, op.ana);
      const outcome = await both(real, (desk) => desk.setAgents(m.team, m.now));
      out.answer = (outcome as { ok: Answer }).ok;
      break;
    }
    case 'block': {
      const customer = CUSTOMERS[op.customer] as string;
      await both(real, (desk) =>
        op.add
          ? desk.blocklist.add(customer, { reason: 'abusive messages', by: 'hal', at: m.now })
          : desk.blocklist.remove(customer, { by: 'hal', at: m.now, reason: 'apologised' }),
      );
      break;
    }
    case 'bad': {
      out.refusedBy = 'throw';
      const ticketId = pickTicket(m, op.pick) ?? 'T-m0';
      if (op.kind === 'event') {
        // A reply without a body: malformed.
        await refusedByThrow(real, 'a malformed event', (desk) =>
          desk.handle({
            type: 'agent.replied',
            id: nextId(m, 'x'),
            ticketId,
            at: m.now,
            agentId: 'ana',
          } as never),
        );
      } else if (op.kind === 'contact') {
        await refusedByThrow(real, 'a malformed contact', (desk) =>
          desk.receive({
            externalId: 'm1',
            channel: 'fax',
            customer: { id: 'c1' },
            body: 'hi',
            at: m.now,
          } as never),
        );
      } else if (op.kind === 'unknownTicket') {
        const outcome = await settle(() =>
          real.a.desk.handle({
            type: 'customer.replied',
            id: nextId(m, 'x'),
            ticketId: 'T-nowhere',
            at: m.now,
            body: 'hello?',
          }),
        );
        // Thrown (`unknown_ticket`) or refused, it stores nothing.
        expect(
          'error' in outcome || outcome.ok.rejected !== undefined,
          'an event for no ticket is refused',
        ).toBe(true);
      } else if (op.kind === 'setAgentsAt') {
        await refusedByThrow(real, 'setAgents with a bad `at`', (desk) =>
          desk.setAgents(team('away', 'away'), 'tomorrow' as unknown as number),
        );
      } else if (op.kind === 'setAgentsTeam') {
        await refusedByThrow(real, 'setAgents with a bad agent', (desk) =>
          desk.setAgents([...team('away', 'away'), { id: '', name: 'Nobody', capacity: -1 }], m.now),
        );
      } else if (op.kind === 'blocklistRemove') {
        await refusedByThrow(real, 'blocklist.remove with a null change', (desk) =>
          desk.blocklist.remove(
            CUSTOMERS[op.pick % 3] as string,
            null as unknown as { by: string; at: number },
          ),
        );
      } else {
        await refusedByThrow(real, 'blocklist.add without a reason', (desk) =>
          desk.blocklist.add(CUSTOMERS[op.pick % 3] as string, { reason: '', by: 'hal', at: m.now }),
        );
      }
      break;
    }
  }
  return finish(m, real, op, out.answer, out.refusedBy, out.target);
}

const DONE = new Set(['solved', 'closed', 'merged']);

/** The laws, on A after a command (and A's store equal to B's). */
async function finish(
  m: Model,
  real: Real,
  op: Op,
  answer: Answer | null,
  refusedBy: 'throw' | 'rejection' | null,
  target: string | null,
): Promise<void> {
  count(op, answer, refusedBy, m);
  const before: Dump = JSON.parse(m.last);
  const after = await dump(real.a.store);
  const text = JSON.stringify(after);
  // A refused call left the store byte-identical (checked before the comparison with B).
  if (refusedBy === 'throw') {
    expect(text, `the refused call ${JSON.stringify(op)} left the store byte-identical`).toBe(m.last);
  }
  m.last = text;
  expect(text, 'the restarted (A) and the never-restarted (B) stores are equal').toBe(
    JSON.stringify(await dump(real.b.store)),
  );

  // Answers name their customer's tickets; remember the tickets named.
  const named = [answer?.ticket, answer?.followUp, ...(answer?.tickets ?? [])].filter((v): v is View => !!v);
  for (const view of named) {
    const known = m.customerOf.get(view.ticketId);
    if (known !== undefined)
      expect(view.customerId, `ticket ${view.ticketId} keeps its customer`).toBe(known);
    else {
      m.customerOf.set(view.ticketId, view.customerId);
      m.tickets.push(view.ticketId);
    }
  }
  if (answer?.ticket && answer.followUp) {
    expect(answer.followUp.customerId, 'a follow-up belongs to the customer who wrote').toBe(
      answer.ticket.customerId,
    );
  }
  for (const { stored } of after.tickets) {
    if (!m.customerOf.has(stored.ticketId)) {
      m.customerOf.set(stored.ticketId, (stored.snapshot.context.customer as { id: string }).id);
      m.tickets.push(stored.ticketId);
    }
  }

  // A refused event may only have saved the deadlines that passed before it (clock ticks on
  // its own ticket, and their effects).
  if (refusedBy === 'rejection') {
    const changed = after.tickets.filter(
      (t, i) => JSON.stringify(t) !== JSON.stringify(before.tickets[i] ?? null),
    );
    expect(after.tickets.length, 'a refused event opens no ticket').toBe(before.tickets.length);
    for (const t of changed) {
      expect(t.stored.ticketId, 'a refused event changes no other ticket').toBe(target);
      const old = before.tickets.find((b) => b.stored.ticketId === t.stored.ticketId);
      const added = t.log.slice(old?.log.length ?? 0);
      // The deadlines (clock ticks) and what the desk did about them (re-routing an escalated
      // ticket); never the refused event itself, nor anything the host sent.
      expect(
        added.map((e) => (e.type === 'clock.tick' || !m.sentAt.has(e.id) ? 'deadline' : e.id)),
        'a refused event saved nothing but the deadlines that passed before it',
      ).toEqual(added.map(() => 'deadline'));
      expect(added[0]?.type, 'a refused event saved the deadlines first').toBe('clock.tick');
      expect(added.length, 'a refused ticket that changed saved the deadlines').toBeGreaterThan(0);
      const due = (old?.stored as { dueAt?: number | null } | undefined)?.dueAt ?? null;
      expect(
        due !== null && due <= m.now + MAX_SKEW,
        'a refused event saved only deadlines that had passed',
      ).toBe(true);
    }
    const ticks = new Set(changed.flatMap((t) => t.log.filter((e) => !m.sentAt.has(e.id)).map((e) => e.id)));
    for (const effect of newEffects(before, after)) {
      expect(
        [...ticks].some((id) => effect.causedBy === id || effect.causedBy.startsWith(`${id}#`)),
        `effect ${effect.id} of a refused event comes from a deadline`,
      ).toBe(true);
    }
  }

  // Every effect id is unique; each effect an answer returned is in the outbox, once, as returned.
  const outboxIds = after.effects.map((e) => e.id);
  expect(new Set(outboxIds).size, 'the outbox keeps every effect id once').toBe(outboxIds.length);
  for (const e of after.effects) expect(typeof e.id, 'every recorded effect has an id').toBe('string');
  const byId = new Map(after.effects.map((e) => [e.id, e]));
  for (const effect of json(answer?.effects ?? []) as Effect[]) {
    expect(typeof effect.id, `a returned ${effect.type} has an id`).toBe('string');
    expect(m.effectIds.has(effect.id), `effect id ${effect.id} is returned once`).toBe(false);
    m.effectIds.add(effect.id);
    expect(byId.get(effect.id), `returned effect ${effect.id} is in the outbox as returned`).toEqual(effect);
  }
  if (answer?.duplicate) expect(answer.effects ?? [], 'a duplicate performs nothing').toEqual([]);
  // And the call returned every effect it recorded.
  const returned = new Set(((answer?.effects ?? []) as Effect[]).map((e) => e.id));
  for (const effect of newEffects(before, after)) {
    expect(
      returned.has(effect.id),
      `recorded effect ${effect.id} was returned by the call that recorded it`,
    ).toBe(true);
  }

  // Every customer message the desk accepted is in exactly one ticket's log.
  const carriers = new Map<string, string[]>();
  for (const { stored, log } of after.tickets) {
    for (const event of log) {
      for (const key of messageKeys(event, (stored.snapshot.context.customer as { id: string }).id))
        carriers.set(key, [...(carriers.get(key) ?? []), stored.ticketId]);
    }
  }
  for (const key of m.accepted.keys()) {
    expect(carriers.get(key) ?? [], `message ${key} is in exactly one ticket's log`).toHaveLength(1);
  }

  // No agent holds more than its capacity because of the desk: an agent over capacity got no
  // assignment from the desk in this command. (A ticket reopened by its customer goes back to
  // the agent who solved it, whatever that agent holds: see real-life.test.ts, which asks the
  // stricter question.)
  const held = new Map<string, number>();
  for (const { stored } of after.tickets) {
    const assignee = stored.snapshot.context.assigneeId as string | null;
    if (assignee && !DONE.has(stored.snapshot.status)) held.set(assignee, (held.get(assignee) ?? 0) + 1);
  }
  const lengths = new Map(before.tickets.map((t) => [t.stored.ticketId, t.log.length]));
  const assignedNow = new Set(
    after.tickets.flatMap(({ stored, log }) =>
      log
        .slice(lengths.get(stored.ticketId) ?? 0)
        .filter((e) => e.type === 'ticket.assigned' && !m.sentAt.has(e.id) && typeof e.agentId === 'string')
        .map((e) => e.agentId as string),
    ),
  );
  for (const [agent, count] of held) {
    if (!assignedNow.has(agent)) continue;
    expect(count, `the desk assigned ${agent} beyond ${CAPACITY[agent]} open tickets`).toBeLessThanOrEqual(
      CAPACITY[agent] ?? 0,
    );
  }

  // Escalation only goes up: an agent the desk assigned in this command, who still holds the
  // ticket, is of the ticket's tier or above.
  for (const { stored, log } of after.tickets) {
    const mine = log
      .slice(lengths.get(stored.ticketId) ?? 0)
      .filter((e) => e.type === 'ticket.assigned' && !m.sentAt.has(e.id) && typeof e.agentId === 'string');
    const assignee = stored.snapshot.context.assigneeId as string | null;
    if (mine.length === 0 || assignee === null || mine.at(-1)?.agentId !== assignee) continue;
    expect(
      TIER[assignee] ?? 0,
      `the desk gave ${stored.ticketId} (tier ${stored.snapshot.context.tier}) to ${assignee}`,
    ).toBeGreaterThanOrEqual(stored.snapshot.context.tier as number);
  }

  // The time rule: logs never go back in time, never run ahead of the clock beyond the skew, and
  // an event applied at another instant keeps its own time in `sentAt`.
  for (const { stored, log } of after.tickets) {
    for (let i = 1; i < log.length; i++) {
      expect(
        (log[i] as StoredEvent).at,
        `ticket ${stored.ticketId}'s log is in time order`,
      ).toBeGreaterThanOrEqual((log[i - 1] as StoredEvent).at);
    }
    for (const event of log) {
      expect(event.at, `${event.id} is not stored ahead of the desk's clock`).toBeLessThanOrEqual(
        m.now + MAX_SKEW,
      );
      const sent = m.sentAt.get(event.id);
      if (sent !== undefined && event.at !== sent)
        expect(event.sentAt, `${event.id} keeps its own time`).toBe(sent);
    }
  }
}

/**
 * The messages a stored event carries, as the desk records them: a ticket opened by a contact
 * has the contact's channel-scoped key in `externalId` (`email:m0`, with `#<hash>` when another
 * customer's message had that id); a follow-up opened by a customer's reply names the reply in
 * `meta.message.eventId`; a reply (through `handle`, or a contact threaded onto a ticket) is a
 * `customer.replied` with its own id, and a threaded contact's id in `meta.externalId`.
 */
export function messageKeys(event: StoredEvent, customerId: string): string[] {
  const keys: string[] = [];
  const meta = (event.meta ?? {}) as { externalId?: unknown; message?: { eventId?: unknown } };
  const contact = (channel: unknown, externalId: unknown) => {
    if (typeof externalId === 'string')
      keys.push(`contact:${customerId}:${String(channel ?? 'email')}:${externalId}`);
  };
  if (event.type === 'ticket.opened') {
    if (typeof event.externalId === 'string')
      keys.push(`contact:${customerId}:${event.externalId.split('#')[0]}`);
    if (typeof meta.message?.eventId === 'string') keys.push(`reply:${meta.message.eventId}`);
    contact(event.channel, meta.externalId);
  }
  if (event.type === 'customer.replied') {
    keys.push(`reply:${event.id}`);
    contact(event.channel, meta.externalId);
  }
  return [...new Set(keys)];
}

/** The property's commands. */
export const arbCommands = (maxCommands: number, ops: fc.Arbitrary<Op> = arbOp) =>
  fc.commands(
    [
      ops.map(
        (op): fc.AsyncCommand<Model, Real> => ({
          check: () => true,
          run: (m, r) => step(m, r, op),
          toString: () => JSON.stringify(op),
        }),
      ),
    ],
    { maxCommands, size: 'max' },
  );

/** What the runs exercised (commands by kind and outcome), for a reader who doubts the property bites. */
export const stats = new Map<string, number>();
function count(op: Op, answer: Answer | null, refusedBy: string | null, m: Model) {
  const add = (key: string) => stats.set(key, (stats.get(key) ?? 0) + 1);
  const kind = op.op === 'bad' ? `bad:${op.kind}` : op.op;
  add(`${kind}${refusedBy === 'rejection' ? `:rejected:${answer?.rejected?.code}` : ''}`);
  if (answer?.duplicate) add(`${kind}:duplicate`);
  if (answer?.followUp) add(`${kind}:followUp`);
  if (op.op === 'restart') add(`restart:after${Math.min(m.tickets.length, 5)}tickets`);
  for (const w of (answer as { warnings?: { code?: string }[] } | null)?.warnings ?? []) {
    if (w.code) add(`warning:${w.code}`);
  }
  for (const e of answer?.effects ?? []) {
    add(`effect:${e.type}${e.type === 'request_survey' ? `:${(e as { survey?: string }).survey}` : ''}`);
  }
}

/** One run: a fresh pair of stores, the commands, and the trace on failure. */
export async function runHostile(
  stores: () => Promise<[TicketStore, TicketStore]>,
  commands: Iterable<fc.AsyncCommand<Model, Real>>,
): Promise<void> {
  const [a, b] = await stores();
  await fc.asyncModelRun(() => setup(withOutbox(a), withOutbox(b)), commands);
}
