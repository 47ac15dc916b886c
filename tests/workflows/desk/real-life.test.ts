import type { TicketEventInput } from 'carekit';
// Issue 15's opening list, one test per bullet, as a shop's helpdesk meets it: a lifecycle with a
// 7-day reopen window and a 4-day auto-close, an SLA policy, a team, a clock the host controls.
import { describe, expect, it } from 'vitest';
import { CarekitError } from '../../../src/model/index.js';
import { createSlaPolicy } from '../../../src/sla/index.js';
import { createTemplateLibrary, starterTemplates } from '../../../src/templates/index.js';
import {
  createDesk,
  createMemoryStore,
  type Desk,
  type DeskOptions,
  type TicketStore,
} from '../../../src/workflows/index.js';
import { outbox, withOutbox } from './hostile.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-23T09:00:00Z');

const agents = [
  { id: 'ana', name: 'Ana Souza', tier: 1, capacity: 5 },
  { id: 'ben', name: 'Ben Lima', tier: 1, capacity: 5 },
  { id: 'lia', name: 'Lia Prado', tier: 2, capacity: 5 },
];
const sla = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { normal: { hours: 1 } } },
  nextReply: { targets: { normal: { hours: 8 } } },
});

interface Shop {
  readonly desk: Desk;
  readonly store: TicketStore;
  /** Moves the desk's clock. */
  at(instant: number): void;
  now(): number;
  /** A new desk over the same store (the process restarted). */
  restart(extra?: Partial<DeskOptions>): Desk;
}

/** The shop's helpdesk: a clock the test moves, the store, the team and the SLA. */
function shop(extra: Partial<DeskOptions> = {}): Shop {
  let clock = T0;
  // The store's outbox (`effects()`), or one kept beside it while the store has none.
  const store = withOutbox(extra.store ?? createMemoryStore());
  const options = (more: Partial<DeskOptions> = {}) =>
    ({
      store,
      agents,
      slaPolicies: [sla],
      lifecycle: { reopenWindow: { days: 7 }, autoCloseSolvedAfter: { days: 4 } },
      templates: createTemplateLibrary(starterTemplates),
      templateContext: () => ({ brand: { name: 'Loja Azul' } }),
      clock: () => clock,
      ...extra,
      ...more,
    }) as DeskOptions;
  return {
    desk: createDesk(options()),
    store,
    at(instant) {
      clock = instant;
    },
    now: () => clock,
    restart: (more) => createDesk(options(more)),
  };
}

const mail = (externalId: string, customer = 'c1', extra: Record<string, unknown> = {}) => ({
  externalId,
  channel: 'email' as const,
  customer: { id: customer, name: 'Rui Costa', email: `${customer}@example.com` },
  subject: 'Where is my parcel?',
  body: 'Order 17 has not arrived.',
  at: T0,
  ...extra,
});

async function allLogs(store: TicketStore) {
  const logs: { ticketId: string; events: readonly Record<string, unknown>[] }[] = [];
  for await (const ticketId of store.ticketIds()) {
    logs.push({
      ticketId,
      events: (await store.ticketEvents(ticketId)) as unknown as Record<string, unknown>[],
    });
  }
  return logs;
}

/** Everything in the store, as JSON, to compare before and after a refused call. */
async function snapshotOf(store: TicketStore): Promise<string> {
  const tickets: unknown[] = [];
  for await (const ticketId of store.ticketIds()) {
    tickets.push({ stored: await store.load(ticketId), log: await store.ticketEvents(ticketId) });
  }
  return JSON.stringify({
    tickets,
    effects: await outbox(store),
    blocklist: await store.blocklist.list(),
    history: await store.blocklist.history(),
  });
}

/** Where a body ended up: the ids of the tickets whose log holds it. */
async function holders(store: TicketStore, body: string) {
  return (await allLogs(store)).flatMap(({ ticketId, events }) =>
    events.filter((e) => e.body === body).map(() => ticketId),
  );
}

const solve = (ticketId: string, at: number, id = `${ticketId}:solve`) =>
  ({
    type: 'agent.replied',
    id,
    ticketId,
    at,
    agentId: 'ana',
    body: 'It was delivered to your neighbour; enjoy!',
    status: 'solved',
  }) as TicketEventInput;

describe('a customer who writes back 5 days after the solve', () => {
  it('gets a follow-up linked to the closed ticket, holding the message (the timer ran)', async () => {
    const { desk, store, at } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + HOUR);
    expect((await desk.handle(solve(ticket.ticketId, T0 + HOUR))).rejected).toBeUndefined();
    at(T0 + HOUR + 4 * DAY + MINUTE);
    await desk.tick({ now: T0 + HOUR + 4 * DAY + MINUTE });
    expect((await desk.ticket(ticket.ticketId))?.status).toBe('closed');
    at(T0 + 5 * DAY);
    const body = 'It was not my neighbour, the parcel is still missing.';
    const result = await desk.handle({
      type: 'customer.replied',
      id: 'mail-5-days-later',
      ticketId: ticket.ticketId,
      at: T0 + 5 * DAY,
      body,
    });
    expect(result.rejected).toBeUndefined();
    expect(result.followUp).toMatchObject({ followUpOf: ticket.ticketId, customerId: 'c1' });
    const followUp = result.followUp?.ticketId as string;
    expect(followUp).not.toBe(ticket.ticketId);
    expect(await holders(store, body)).toEqual([followUp]);
    // The next message goes to the live follow-up, not to a third ticket.
    at(T0 + 5 * DAY + HOUR);
    const again = await desk.handle({
      type: 'customer.replied',
      id: 'mail-5-days-later-2',
      ticketId: ticket.ticketId,
      at: T0 + 5 * DAY + HOUR,
      body: 'Any news?',
    });
    expect(again.rejected).toBeUndefined();
    expect(await holders(store, 'Any news?')).toEqual([followUp]);
    expect((await allLogs(store)).map((l) => l.ticketId)).toEqual([ticket.ticketId, followUp]);
  });

  it('gets the follow-up even when no tick ran since the solve (the deadlines are applied first)', async () => {
    const { desk, store, at } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + HOUR);
    await desk.handle(solve(ticket.ticketId, T0 + HOUR));
    at(T0 + 5 * DAY);
    const body = 'Still nothing here.';
    const result = await desk.handle({
      type: 'customer.replied',
      id: 'late',
      ticketId: ticket.ticketId,
      at: T0 + 5 * DAY,
      body,
    });
    expect(result.rejected).toBeUndefined();
    expect(result.followUp?.followUpOf).toBe(ticket.ticketId);
    expect(await holders(store, body)).toEqual([result.followUp?.ticketId]);
    expect((await desk.ticket(ticket.ticketId))?.status).toBe('closed');
  });

  it('the same reply delivered twice (a webhook retried) is stored once, in the follow-up', async () => {
    const { desk, store, at } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + HOUR);
    await desk.handle(solve(ticket.ticketId, T0 + HOUR));
    at(T0 + 5 * DAY);
    await desk.tick({ now: T0 + 5 * DAY });
    const reply = {
      type: 'customer.replied',
      id: 'webhook-7',
      ticketId: ticket.ticketId,
      at: T0 + 5 * DAY,
      body: 'The parcel never came.',
    };
    const first = await desk.handle(reply as never);
    at(T0 + 5 * DAY + MINUTE);
    const again = await desk.handle(reply as never);
    expect(again.duplicate).toBe(true);
    expect(again.ticket.ticketId).toBe(first.followUp?.ticketId);
    expect(await holders(store, 'The parcel never came.')).toEqual([first.followUp?.ticketId]);
  });

  it('may be opened by the host itself with followUpOf', async () => {
    const { desk, at } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + HOUR);
    await desk.handle(solve(ticket.ticketId, T0 + HOUR));
    at(T0 + 6 * DAY);
    const result = await desk.receive(mail('m2', 'c1', { at: T0 + 6 * DAY, followUpOf: ticket.ticketId }));
    expect(result.ticket.followUpOf).toBe(ticket.ticketId);
    expect(result.ticket.ticketId).not.toBe(ticket.ticketId);
  });

  it('an agent action refused on a ticket closed by a passed deadline names the status it really has', async () => {
    const { desk, store, at } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + HOUR);
    await desk.handle(solve(ticket.ticketId, T0 + HOUR));
    at(T0 + 5 * DAY);
    const result = await desk.handle({
      type: 'ticket.status_set',
      id: 'reopen-by-hand',
      ticketId: ticket.ticketId,
      at: T0 + 5 * DAY,
      status: 'pending',
    });
    expect(result.rejected?.status).toBe('closed');
    expect(result.rejected?.message).not.toMatch(/solved/);
    // The auto-close that passed is saved even though the event was refused.
    expect((await store.load(ticket.ticketId))?.snapshot.status).toBe('closed');
  });
});

describe('late and early clocks', () => {
  it('applies an email stamped 1 minute before the agent’s last reply, keeping its own time in sentAt', async () => {
    const { desk, store, at } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + 2 * HOUR);
    await desk.handle({
      type: 'agent.replied',
      id: 'r1',
      ticketId: ticket.ticketId,
      at: T0 + 2 * HOUR,
      agentId: 'ana',
      body: 'Could you send a photo of the label?',
      status: 'pending',
    });
    at(T0 + 2 * HOUR + 10 * MINUTE);
    const sent = T0 + 2 * HOUR - MINUTE;
    const result = await desk.handle({
      type: 'customer.replied',
      id: 'late-mail',
      ticketId: ticket.ticketId,
      at: sent,
      body: 'Here is the photo.',
    });
    expect(result.rejected).toBeUndefined();
    const stored = (await store.ticketEvents(ticket.ticketId)).find((e) => e.id === 'late-mail');
    expect(stored).toMatchObject({ at: T0 + 2 * HOUR, sentAt: sent });
    expect(result.ticket.status).toBe('open');
  });

  it('threads a late email by In-Reply-To onto its ticket with sentAt kept', async () => {
    const { desk, store, at } = shop();
    const { ticket } = await desk.receive(mail('<m1@shop>'));
    at(T0 + 2 * HOUR);
    await desk.handle({
      type: 'agent.replied',
      id: 'r1',
      ticketId: ticket.ticketId,
      at: T0 + 2 * HOUR,
      agentId: 'ana',
      body: 'Which address?',
      status: 'pending',
    });
    const sent = T0 + 2 * HOUR - MINUTE;
    const result = await desk.receive(
      mail('<m2@shop>', 'c1', { at: sent, inReplyTo: '<m1@shop>', body: 'Rua Augusta 10.' }),
    );
    expect(result.ticket.ticketId).toBe(ticket.ticketId);
    const log = await store.ticketEvents(ticket.ticketId);
    expect(log.find((e) => e.type === 'customer.replied')).toMatchObject({
      body: 'Rua Augusta 10.',
      at: T0 + 2 * HOUR,
      sentAt: sent,
    });
    expect(await holders(store, 'Rua Augusta 10.')).toEqual([ticket.ticketId]);
  });

  it('applies a message stamped a year ahead at the desk’s clock; later replies and ticks still work', async () => {
    const { desk, store, at } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + 10 * MINUTE);
    const ahead = T0 + 365 * DAY;
    const result = await desk.handle({
      type: 'customer.replied',
      id: 'from-the-future',
      ticketId: ticket.ticketId,
      at: ahead,
      body: 'My computer clock is wrong.',
    });
    expect(result.rejected).toBeUndefined();
    const stored = (await store.ticketEvents(ticket.ticketId)).find((e) => e.id === 'from-the-future');
    expect(stored).toMatchObject({ at: T0 + 10 * MINUTE, sentAt: ahead });
    at(T0 + 30 * MINUTE);
    const reply = await desk.handle({
      type: 'agent.replied',
      id: 'r1',
      ticketId: ticket.ticketId,
      at: T0 + 30 * MINUTE,
      agentId: 'ana',
      body: 'No problem, your parcel is on its way.',
      status: 'pending',
    });
    expect(reply.rejected).toBeUndefined();
    expect(reply.ticket.status).toBe('pending');
    at(T0 + 8 * DAY);
    const tick = await desk.tick({ now: T0 + 8 * DAY });
    expect(tick.rejections).toEqual([]);
    // Auto-solve after 7 days pending is not blocked by the future stamp.
    expect((await desk.ticket(ticket.ticketId))?.status).toBe('solved');
    const log = await store.ticketEvents(ticket.ticketId);
    for (const event of log) expect(event.at).toBeLessThanOrEqual(T0 + 8 * DAY);
  });
});

describe('two contacts that map to one ticket id', () => {
  it('open two tickets, and neither customer is answered with the other’s ticket', async () => {
    // The host names tickets after the order number in the subject: two customers write about "17".
    const { desk, store } = shop({ ticketId: (inbound) => `T-${inbound.subject.match(/\d+/)?.[0] ?? 'x'}` });
    const first = await desk.receive(mail('m1', 'c1', { subject: 'Order 17 is late' }));
    const second = await desk.receive(
      mail('m2', 'c2', { subject: 'Refund for order 17', body: 'I want my money back.' }),
    );
    expect(second.duplicate).toBeUndefined();
    expect(first.ticket).toMatchObject({ ticketId: 'T-17', customerId: 'c1', subject: 'Order 17 is late' });
    expect(second.ticket.customerId).toBe('c2');
    expect(second.ticket.subject).toBe('Refund for order 17');
    expect(second.ticket.ticketId).not.toBe('T-17');
    expect(second.effects.every((e) => e.ticketId === second.ticket.ticketId)).toBe(true);
    expect((await store.load('T-17'))?.customerId).toBe('c1');
    expect((await store.load(second.ticket.ticketId))?.customerId).toBe('c2');
    expect(await holders(store, 'I want my money back.')).toEqual([second.ticket.ticketId]);
    // Redelivered, each is a duplicate of its own ticket.
    expect((await desk.receive(mail('m2', 'c2', { subject: 'Refund for order 17' }))).ticket.ticketId).toBe(
      second.ticket.ticketId,
    );
  });

  it('deduplicates by channel: the same external id on chat is another contact', async () => {
    const { desk } = shop();
    const byMail = await desk.receive(mail('42'));
    const byChat = await desk.receive({ ...mail('42', 'c2'), channel: 'chat' });
    expect(byChat.duplicate).toBeUndefined();
    expect(byChat.ticket.ticketId).not.toBe(byMail.ticket.ticketId);
    expect(byChat.ticket.customerId).toBe('c2');
  });
});

describe('effect ids', () => {
  it('an SLA warning and a breach crossed by one tick are two effects with distinct ids, each in the outbox once', async () => {
    const { desk, store, at } = shop();
    await desk.receive(mail('m1'));
    at(T0 + 2 * HOUR);
    const { effects } = await desk.tick({ now: T0 + 2 * HOUR });
    const notices = effects.filter((e) => e.type === 'notify');
    const reasons = notices.map((e) => (e as { reason: string }).reason);
    expect(reasons).toEqual(expect.arrayContaining(['sla_warning', 'sla_breach']));
    const ids = effects.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const recorded = (await outbox(store)).map((e) => e.id);
    for (const id of ids) expect(recorded.filter((r) => r === id)).toHaveLength(1);
  });

  it('CSAT and NPS requested by one tick have distinct ids', async () => {
    const { desk, at } = shop({
      lifecycle: {
        reopenWindow: { days: 7 },
        autoCloseSolvedAfter: { days: 4 },
        survey: { delay: { hours: 2 }, csat: true, npsEvery: { days: 90 } },
      },
    });
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + HOUR);
    await desk.handle(solve(ticket.ticketId, T0 + HOUR));
    at(T0 + 4 * HOUR);
    const { effects } = await desk.tick({ now: T0 + 4 * HOUR });
    const surveys = effects.filter((e) => surveyKind(e) !== null);
    expect(surveys.map(surveyKind).sort()).toEqual(['csat', 'nps']);
    expect(new Set(surveys.map((e) => e.id)).size).toBe(2);
  });
});

/** The survey an effect asks for: a `request_survey`, or a `send_message` that renders one. */
function surveyKind(effect: { type: string }): string | null {
  const e = effect as { type: string; survey?: string | { kind: string }; reminder?: boolean };
  if (e.type === 'request_survey') return typeof e.survey === 'string' ? e.survey : null;
  if (e.type === 'send_message' && e.survey && typeof e.survey === 'object') return e.survey.kind;
  return null;
}

describe('state that outlives the process', () => {
  it('the NPS once-per-customer limit survives a restart', async () => {
    const survey = { delay: { hours: 2 }, csat: true, npsEvery: { days: 90 } };
    const lifecycle = { reopenWindow: { days: 7 }, autoCloseSolvedAfter: { days: 4 }, survey };
    const s = shop({ lifecycle });
    const first = await s.desk.receive(mail('m1'));
    s.at(T0 + HOUR);
    await s.desk.handle(solve(first.ticket.ticketId, T0 + HOUR));
    s.at(T0 + 4 * HOUR);
    const asked = await s.desk.tick({ now: T0 + 4 * HOUR });
    expect(asked.effects.map(surveyKind)).toContain('nps');
    // The process restarts; two days later the same customer's next ticket is solved.
    const desk = s.restart();
    s.at(T0 + 2 * DAY);
    const second = await desk.receive(mail('m2', 'c1', { at: T0 + 2 * DAY }));
    s.at(T0 + 2 * DAY + HOUR);
    await desk.handle(solve(second.ticket.ticketId, T0 + 2 * DAY + HOUR));
    s.at(T0 + 2 * DAY + 4 * HOUR);
    const later = await desk.tick({ now: T0 + 2 * DAY + 4 * HOUR });
    const kinds = later.effects.filter((e) => e.ticketId === second.ticket.ticketId).map(surveyKind);
    expect(kinds).toContain('csat');
    expect(kinds).not.toContain('nps');
  });
});

describe('a restarted desk hands over as one that never stopped', () => {
  it('setAgents gives a leaving agent’s tickets out in the same order after a restart', async () => {
    const team = [
      { id: 'hal', name: 'Hal', capacity: 5 },
      { id: 'ana', name: 'Ana', capacity: 1, availability: 'away' as const },
    ];
    const later = [
      { id: 'hal', name: 'Hal', capacity: 5, availability: 'away' as const },
      { id: 'ana', name: 'Ana', capacity: 1 },
    ];
    // The same history on two stores: A opened first, taken off Hal, then B, then A back to Hal.
    const history = async () => {
      const s = shop({
        agents: team,
        router: { filters: ['available', 'withinCapacity'], strategy: 'leastLoaded' },
      });
      const a = await s.desk.receive(mail('mA', 'c1'));
      await s.desk.handle({
        type: 'ticket.assigned',
        id: 'park',
        ticketId: a.ticket.ticketId,
        at: T0,
        agentId: null,
        queue: 'parked',
      });
      const b = await s.desk.receive(mail('mB', 'c2'));
      await s.desk.handle({
        type: 'ticket.assigned',
        id: 'back',
        ticketId: a.ticket.ticketId,
        at: T0,
        agentId: 'hal',
      });
      expect([a.ticket.assigneeId, b.ticket.assigneeId]).toEqual(['hal', 'hal']);
      return { s, a: a.ticket.ticketId, b: b.ticket.ticketId };
    };
    const live = await history();
    const restarted = await history();
    const fresh = restarted.s.restart({ agents: team });
    const one = await live.s.desk.setAgents(later, T0 + HOUR);
    const other = await fresh.setAgents(later, T0 + HOUR);
    // The same tickets, handed over in the same order, to the same people.
    const label = (r: typeof one, h: { a: string; b: string }) =>
      r.tickets.map((t) => [t.ticketId === h.a ? 'A' : 'B', t.assigneeId]);
    expect(label(other, restarted)).toEqual(label(one, live));
  });
});

describe('a refused call changes nothing', () => {
  it('a contact the store refuses leaves no router slot taken', async () => {
    const inner = createMemoryStore();
    let refuse = true;
    const store: TicketStore = {
      ...inner,
      async save(ticketId, version, write) {
        if (refuse && version === 0) {
          refuse = false;
          throw new Error('connection lost');
        }
        return inner.save(ticketId, version, write);
      },
    };
    const { desk } = shop({ store, agents: [{ id: 'ana', name: 'Ana', capacity: 1 }] });
    await expect(desk.receive(mail('m1'))).rejects.toThrow();
    expect((await desk.routerState()).loads.ana ?? 0).toBe(0);
    // Ana's only slot is free: the next contact is hers.
    const next = await desk.receive(mail('m2', 'c2'));
    expect(next.ticket.assigneeId).toBe('ana');
    // And the refused contact, delivered again, is not lost either.
    const again = await desk.receive(mail('m1'));
    expect(again.duplicate).toBeUndefined();
  });

  it('setAgents with a bad `at` throws and keeps the team', async () => {
    const { desk, store } = shop({ agents: [{ id: 'ana', name: 'Ana', capacity: 5 }] });
    const before = await snapshotOf(store);
    const state = JSON.stringify(await desk.routerState());
    await expect(
      desk.setAgents([{ id: 'ben', name: 'Ben', capacity: 5 }], 'tomorrow' as unknown as number),
    ).rejects.toThrow();
    expect(await snapshotOf(store)).toBe(before);
    expect(JSON.stringify(await desk.routerState())).toBe(state);
    // Ana is still the team: the next contact is hers, and Ben is still unknown.
    const { ticket } = await desk.receive(mail('m1'));
    expect(ticket.assigneeId).toBe('ana');
    const ben = await desk.handle({
      type: 'agent.noted',
      id: 'n1',
      ticketId: ticket.ticketId,
      at: T0,
      agentId: 'ben',
      body: 'Mine?',
    });
    expect(ben.rejected?.code).toBe('unknown_agent');
  });

  it('blocklist.remove(id, null) throws, keeps the customer blocked and writes no audit row', async () => {
    const { desk, store } = shop();
    await desk.blocklist.add('c9', { reason: 'chargeback fraud', by: 'ana', at: T0 });
    const before = await snapshotOf(store);
    await expect(
      desk.blocklist.remove('c9', null as unknown as { by: string; at: number }),
    ).rejects.toThrow();
    expect(await desk.blocklist.has('c9')).toBe(true);
    expect(await desk.blocklist.history()).toHaveLength(1);
    expect(await snapshotOf(store)).toBe(before);
  });
});

describe('capacity', () => {
  it('a ticket reopened by its customer does not push its agent beyond capacity', async () => {
    const { desk, store, at } = shop({
      agents: [
        { id: 'ana', name: 'Ana', capacity: 1 },
        { id: 'ben', name: 'Ben', capacity: 1 },
      ],
    });
    const first = await desk.receive(mail('m1'));
    expect(first.ticket.assigneeId).toBe('ana');
    at(T0 + HOUR);
    await desk.handle({ ...solve(first.ticket.ticketId, T0 + HOUR), agentId: 'ana' } as never);
    // Ana's slot is free again: the next contact is hers (Ben is full).
    await desk.receive(mail('m2', 'c2', { at: T0 + HOUR }));
    await desk.receive(mail('m3', 'c3', { at: T0 + HOUR }));
    at(T0 + 2 * HOUR);
    await desk.handle({
      type: 'customer.replied',
      id: 'not-solved',
      ticketId: first.ticket.ticketId,
      at: T0 + 2 * HOUR,
      body: 'It is not solved.',
    });
    const held = new Map<string, number>();
    for await (const id of store.ticketIds()) {
      const stored = await store.load(id);
      const assignee = stored?.snapshot.context.assigneeId;
      if (assignee && !['solved', 'closed', 'merged'].includes(stored.snapshot.status)) {
        held.set(assignee, (held.get(assignee) ?? 0) + 1);
      }
    }
    for (const [agent, count] of held) expect(count, agent).toBeLessThanOrEqual(1);
  });
});

describe('escalation only goes up', () => {
  const breachEscalates = {
    // A breach moves the ticket to tier 2; the routing policy has no tierAtLeast filter.
    router: { filters: ['available', 'withinCapacity'], strategy: 'leastLoaded' },
  } as Partial<DeskOptions>;

  it('a ticket held by a tier-2 agent and escalated to tier 2 is never handed to tier 1', async () => {
    const { desk, store, at } = shop(breachEscalates);
    const { ticket } = await desk.receive(mail('m1'));
    await desk.handle({
      type: 'ticket.assigned',
      id: 'to-lia',
      ticketId: ticket.ticketId,
      at: T0,
      agentId: 'lia',
    });
    at(T0 + 2 * HOUR);
    await desk.tick({ now: T0 + 2 * HOUR });
    const view = await desk.ticket(ticket.ticketId);
    expect(view?.tier).toBe(2);
    expect(view?.assigneeId).toBe('lia');
    const tierOf = Object.fromEntries(agents.map((a) => [a.id, a.tier]));
    const log = await store.ticketEvents(ticket.ticketId);
    // Every assignment after the host gave it to Lia (and the breach escalated it) is tier 2 or more.
    const assigned = log
      .slice(log.findIndex((e) => e.id === 'to-lia') + 1)
      .filter((e) => e.type === 'ticket.assigned');
    for (const e of assigned) {
      const agentId = (e as { agentId: string | null }).agentId;
      if (agentId !== null) expect(tierOf[agentId]).toBeGreaterThanOrEqual(2);
    }
  });

  it('a ticket escalated above every agent waits with a warning instead of going down a tier', async () => {
    const { desk, at } = shop(breachEscalates);
    const { ticket } = await desk.receive(mail('m1'));
    at(T0 + 10 * MINUTE);
    const result = await desk.handle({
      type: 'ticket.escalated',
      id: 'to-the-manager',
      ticketId: ticket.ticketId,
      at: T0 + 10 * MINUTE,
      tier: 3,
      reason: 'the customer asked for a manager',
    });
    expect(result.ticket.tier).toBe(3);
    expect(result.ticket.assigneeId).toBeNull();
    expect(result.warnings.map((w) => (w as unknown as { code: string }).code)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(no_agent_for_tier|waiting)$/)]),
    );
    // Ticks do not give it to a lower tier either.
    at(T0 + DAY);
    await desk.tick({ now: T0 + DAY });
    expect((await desk.ticket(ticket.ticketId))?.assigneeId).toBeNull();
  });
});

describe('blocked customers', () => {
  it('a blocked customer’s ticket in the review queue runs no SLA clock and is left out of SLA compliance', async () => {
    const { desk, at } = shop();
    await desk.blocklist.add('c9', { reason: 'abusive messages', by: 'ana', at: T0 });
    const blocked = await desk.receive(mail('m1', 'c9'));
    expect(blocked.ticket.queue).toBe('review');
    await desk.receive(mail('m2', 'c2'));
    at(T0 + 2 * DAY);
    const { effects } = await desk.tick({ now: T0 + 2 * DAY });
    const forBlocked = effects.filter((e) => e.ticketId === blocked.ticket.ticketId);
    expect(forBlocked.filter((e) => e.type === 'notify' || e.type === 'escalate')).toEqual([]);
    const view = await desk.ticket(blocked.ticket.ticketId, { now: T0 + 2 * DAY });
    expect(view?.tier).toBe(1);
    // Its clocks are paused (or off), never breached.
    for (const clock of Object.values(view?.sla?.clocks ?? {})) {
      expect(clock.status).not.toBe('running');
      expect(clock.breachedAt).toBeNull();
    }
    const report = await desk.metrics({ from: T0 - DAY, to: T0 + 3 * DAY });
    // Only the other customer's ticket counts (it breached its first reply).
    expect(report.slaCompliance.firstReply?.n).toBe(1);
  });
});

describe('agents are known and replies are not empty', () => {
  it('a reply from an unknown agent id is refused unknown_agent and solves nothing', async () => {
    const { desk } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    const result = await desk.handle({
      type: 'agent.replied',
      id: 'x1',
      ticketId: ticket.ticketId,
      at: T0 + MINUTE,
      agentId: 'intruder',
      body: 'Done, closing this.',
      status: 'solved',
    });
    expect(result.rejected?.code).toBe('unknown_agent');
    const view = await desk.ticket(ticket.ticketId, { now: T0 + MINUTE });
    expect(view?.status).toBe('open');
    expect(view?.firstReplyAt).toBeNull();
  });

  it('an empty public reply from a known agent is refused empty_reply', async () => {
    const { desk, store } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    const before = await snapshotOf(store);
    const result = await desk.handle({
      type: 'agent.replied',
      id: 'x2',
      ticketId: ticket.ticketId,
      at: T0 + MINUTE,
      agentId: 'ana',
      body: '',
      status: 'solved',
    });
    expect(result.rejected?.code).toBe('empty_reply');
    expect(await snapshotOf(store)).toBe(before);
    expect((await desk.ticket(ticket.ticketId))?.firstReplyAt).toBeNull();
  });
});

describe('stored snapshots', () => {
  it('a snapshot saved with a survey due, applied by a workflow without a survey policy, does not loop', async () => {
    const survey = { delay: { hours: 2 }, csat: true, npsEvery: null };
    const s = shop({ lifecycle: { survey } });
    const { ticket } = await s.desk.receive(mail('m1'));
    s.at(T0 + HOUR);
    await s.desk.handle(solve(ticket.ticketId, T0 + HOUR));
    expect((await s.store.load(ticket.ticketId))?.dueAt).not.toBeNull();
    // The survey policy is removed from the configuration; the desk restarts.
    const desk = s.restart({ lifecycle: {} });
    s.at(T0 + 5 * HOUR);
    const result = await withTimeout(desk.tick({ now: T0 + 5 * HOUR }), 5000);
    expect(result.effects.filter((e) => surveyKind(e) !== null)).toEqual([]);
    const dueAt = (await s.store.load(ticket.ticketId))?.dueAt ?? null;
    expect(dueAt === null || dueAt > T0 + 5 * HOUR).toBe(true);
    // A second tick at the same instant finds nothing to do.
    const again = await withTimeout(desk.tick({ now: T0 + 5 * HOUR }), 5000);
    expect(again.tickets).toEqual([]);
  });

  it('an edited stored snapshot (eventIds as a string) is refused invalid_snapshot', async () => {
    const { desk, store } = shop();
    const { ticket } = await desk.receive(mail('m1'));
    const stored = await store.load(ticket.ticketId);
    if (!stored) throw new Error('no ticket');
    const edited = {
      ...stored.snapshot,
      context: { ...stored.snapshot.context, eventIds: 'e1,e2' as unknown as string[] },
    };
    const saved = await store.save(ticket.ticketId, stored.version, {
      snapshot: edited,
      workflowKey: stored.workflowKey,
      dueAt: stored.dueAt,
      customerId: stored.customerId,
      externalId: stored.externalId,
      events: [],
    });
    expect(saved.ok).toBe(true);
    const before = await snapshotOf(store);
    const outcome = await desk
      .handle({
        type: 'customer.replied',
        id: 'e',
        ticketId: ticket.ticketId,
        at: T0 + MINUTE,
        body: 'Hello?',
      })
      .then(
        (result) => ({ code: result.rejected?.code, path: undefined as unknown }),
        (error: unknown) => ({
          code: (error as CarekitError).code,
          path: (error as { path?: unknown }).path,
          isCarekit: error instanceof CarekitError,
        }),
      );
    expect(outcome.code).toBe('invalid_snapshot');
    expect(await snapshotOf(store)).toBe(before);
  });
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms: the desk loops`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
