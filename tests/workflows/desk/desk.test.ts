import type { InboundContactInput } from 'carekit';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../../src/calendar/index.js';
import { CarekitValidationError } from '../../../src/model/index.js';
import { createSegmentRules, ruleClassifier } from '../../../src/routing/index.js';
import { createSlaPolicy } from '../../../src/sla/index.js';
import { createTemplateLibrary, starterTemplates } from '../../../src/templates/index.js';
import { createDesk, createMemoryStore, type DeskOptions } from '../../../src/workflows/index.js';

const at = (iso: string) => Date.parse(iso);
const inbound = (externalId: string, extra: Record<string, unknown> = {}) =>
  ({
    externalId,
    channel: 'email',
    customer: { id: `c-${externalId}`, name: 'Rui Costa', language: 'en' },
    subject: 'Where is my parcel?',
    body: 'My order has not arrived yet.',
    at: '2026-11-23T09:00:00Z',
    ...extra,
  }) as InboundContactInput;

const agents = [
  { id: 'ana', name: 'Ana', tier: 1, capacity: 5 },
  { id: 'ben', name: 'Ben', tier: 1, capacity: 5 },
  { id: 'lead', name: 'Lia', tier: 2, capacity: 5 },
];

const standard = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { normal: { hours: 8 }, high: { hours: 2 }, urgent: { hours: 1 } } },
});
const vip = createSlaPolicy({
  id: 'vip',
  calendar: null,
  when: { segment: ['vip'] },
  firstReply: { targets: { normal: { hours: 1 } } },
});

const options = (extra: Partial<DeskOptions> = {}): DeskOptions => ({
  // The tests' world runs in late 2026 and early 2027: a clock after all of it.
  clock: () => Date.parse('2027-06-01T00:00:00Z'),
  agents,
  router: { filters: ['tierAtLeast'], strategy: 'leastLoaded' },
  slaPolicies: [vip, standard],
  segments: createSegmentRules({ vipLifetimeValue: 1000 }),
  classifier: ruleClassifier([{ category: 'refund', keywords: ['refund', 'money back'], priority: 'high' }]),
  lifecycle: { acknowledgeTemplate: 'acknowledgement' },
  templates: createTemplateLibrary(starterTemplates),
  templateContext: () => ({ brand: { name: 'Loja Azul' } }),
  ...extra,
});

describe('desk.receive', () => {
  it('opens, classifies, segments, gives an SLA, routes and acknowledges a new contact', async () => {
    const desk = createDesk(options());
    const result = await desk.receive(
      inbound('m1', {
        body: 'I want a refund for order 17',
        customer: { id: 'c1', name: 'Rui Costa', givenName: 'Rui', lifetimeValue: 5000 },
      }),
    );
    expect(result.ticket).toMatchObject({
      status: 'open',
      category: 'refund',
      priority: 'high',
      segment: 'vip',
    });
    expect(['ana', 'ben']).toContain(result.ticket.assigneeId);
    expect((await desk.store.load(result.ticket.ticketId))?.workflowKey).toBe('vip');
    const message = result.effects.find((effect) => effect.type === 'send_message');
    expect(message).toMatchObject({
      templateId: 'acknowledgement',
      channel: 'email',
      customerId: 'c1',
      missing: [],
    });
    expect(message && 'text' in message ? message.text : '').toMatch(/^(Hi|Hello) Rui/);
    expect(result.classification?.category).toBe('refund');
    const log = await desk.store.ticketEvents(result.ticket.ticketId);
    expect(log.map((event) => event.type)).toEqual(['ticket.opened', 'ticket.assigned']);
  });

  it('picks the SLA policy by segment, the default otherwise', async () => {
    const desk = createDesk(options());
    const plain = await desk.receive(inbound('m2'));
    expect((await desk.store.load(plain.ticket.ticketId))?.workflowKey).toBe('standard');
  });

  it('ignores a contact it has seen (same external id) and changes nothing', async () => {
    const desk = createDesk(options());
    const first = await desk.receive(inbound('m3'));
    const again = await desk.receive(inbound('m3', { body: 'different text' }));
    expect(again.duplicate).toBe(true);
    expect(again.effects).toEqual([]);
    expect(again.ticket.ticketId).toBe(first.ticket.ticketId);
    expect(await desk.store.ticketEvents(first.ticket.ticketId)).toHaveLength(2);
  });

  it('rejects a malformed contact with codes and paths, and stores nothing', async () => {
    const store = createMemoryStore();
    const desk = createDesk(options({ store }));
    const error = await desk
      .receive({ externalId: '', channel: 'fax', customer: {}, body: 1, at: 'yesterday' } as never)
      .catch((e) => e);
    expect(error).toBeInstanceOf(CarekitValidationError);
    const paths = (error as CarekitValidationError).issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['externalId', 'channel', 'customer.id', 'body', 'at']));
    const ids = [];
    for await (const id of store.ticketIds()) ids.push(id);
    expect(ids).toEqual([]);
  });

  it('waits in the queue, saying why, when no agent can take the ticket', async () => {
    const desk = createDesk(options({ agents: [] }));
    const result = await desk.receive(inbound('m4'));
    expect(result.ticket.assigneeId).toBeNull();
    expect(result.effects.some((effect) => effect.type === 'route')).toBe(true);
    expect(result.warnings[0]?.message).toMatch(/waits in the queue/);
    expect(result.warnings[0]?.code).toBe('waiting');
  });

  it('opens unclassified when the classifier fails, and says so', async () => {
    const desk = createDesk(
      options({
        classifier: {
          classify: async () => {
            throw new Error('model offline');
          },
        },
      }),
    );
    const result = await desk.receive(inbound('m5'));
    expect(result.ticket.category).toBeNull();
    expect(result.warnings[0]?.message).toMatch(/model offline/);
    expect(result.warnings[0]?.code).toBe('classifier_failed');
  });
});

describe('the blocklist', () => {
  it('adds and removes with a reason and who did it, keeps an audit trail, and routes blocked customers to review', async () => {
    const desk = createDesk(options());
    await desk.blocklist.add('c-bad', {
      reason: 'chargeback fraud',
      by: 'lead',
      at: at('2026-11-01T00:00:00Z'),
    });
    expect(await desk.blocklist.has('c-bad')).toBe(true);
    const result = await desk.receive(inbound('m6', { customer: { id: 'c-bad' } }));
    expect(result.ticket.queue).toBe('review');
    expect(
      result.effects.some((effect) => effect.type === 'notify' && effect.reason === 'blocked_customer'),
    ).toBe(true);
    expect(await desk.blocklist.remove('c-bad', { by: 'lead', at: at('2026-11-30T00:00:00Z') })).toBe(true);
    expect(await desk.blocklist.remove('c-bad', { by: 'lead', at: at('2026-11-30T00:00:00Z') })).toBe(false);
    expect((await desk.blocklist.history()).map((change) => change.action)).toEqual(['add', 'remove']);
    expect(await desk.blocklist.list()).toEqual([]);
    await expect(desk.blocklist.add('c-x', { reason: '', by: 'lead', at: 0 })).rejects.toBeInstanceOf(
      CarekitValidationError,
    );
  });

  it('closes blocked customers as spam when the lifecycle says so', async () => {
    const desk = createDesk(options({ lifecycle: { blockedCustomers: 'close_as_spam' } }));
    await desk.blocklist.add('c-spam', { reason: 'spam', by: 'lead', at: 0 });
    const result = await desk.receive(inbound('m7', { customer: { id: 'c-spam' } }));
    expect(result.ticket.status).toBe('closed');
    expect(result.ticket.excluded).toBe('spam');
  });
});

describe('desk.handle', () => {
  it('applies events once, rejects what the status does not allow, and frees the agent when solved', async () => {
    const desk = createDesk(options());
    const { ticket } = await desk.receive(inbound('m8'));
    const agentId = ticket.assigneeId as string;
    expect((await desk.routerState()).loads[agentId]).toBe(1);
    const reply = {
      type: 'agent.replied',
      id: 'r1',
      ticketId: ticket.ticketId,
      at: '2026-11-23T10:00:00Z',
      agentId,
      body: 'It ships today.',
      status: 'solved',
    };
    const solved = await desk.handle(reply as never);
    expect(solved.ticket.status).toBe('solved');
    expect((await desk.routerState()).loads[agentId]).toBe(0);
    expect((await desk.handle(reply as never)).duplicate).toBe(true);
    const survey = await desk.handle({
      type: 'ticket.opened',
      id: 'x',
      ticketId: ticket.ticketId,
      at: 0,
      channel: 'email',
      subject: '',
      body: '',
      customer: { id: 'c' },
    });
    expect(survey.rejected?.code).toBe('already_opened');
    await expect(
      desk.handle({ type: 'agent.noted', id: 'n', ticketId: 'T-none', at: 0, agentId: 'a', body: 'x' }),
    ).rejects.toMatchObject({
      code: 'unknown_ticket',
    });
    await expect(desk.handle({ type: 'nope' } as never)).rejects.toBeInstanceOf(CarekitValidationError);
  });

  it('re-routes to a higher tier when the ticket is escalated', async () => {
    const desk = createDesk(options());
    const { ticket } = await desk.receive(inbound('m9'));
    const escalated = await desk.handle({
      type: 'ticket.escalated',
      id: 'esc',
      ticketId: ticket.ticketId,
      at: '2026-11-23T09:30:00Z',
      tier: 2,
      reason: 'angry customer',
    });
    expect(escalated.ticket.tier).toBe(2);
    expect(escalated.ticket.assigneeId).toBe('lead');
    expect((await desk.routerState()).loads[ticket.assigneeId as string]).toBe(0);
  });

  it('hands open tickets over when their agent goes away, and validates the team', async () => {
    const desk = createDesk(options());
    const { ticket } = await desk.receive(inbound('m13'));
    const away = ticket.assigneeId as string;
    const team = agents.map((a) => (a.id === away ? { ...a, availability: 'away' as const } : a));
    const moved = await desk.setAgents(team, at('2026-11-23T09:30:00Z'));
    expect(moved.tickets.map((t) => t.ticketId)).toEqual([ticket.ticketId]);
    const now = await desk.ticket(ticket.ticketId);
    expect(now?.assigneeId).not.toBe(away);
    expect(now?.assigneeId).not.toBeNull();
    expect((await desk.routerState()).loads[away]).toBe(0);
    expect((await desk.routerState()).loads[now?.assigneeId as string]).toBe(1);
    expect((await desk.setAgents(team, at('2026-11-23T09:40:00Z'))).tickets).toEqual([]);
    await expect(desk.setAgents([{ id: '' } as never], 0)).rejects.toBeInstanceOf(CarekitValidationError);
    const alone = await desk.setAgents([], at('2026-11-23T09:50:00Z'));
    expect(alone.effects.map((e) => e.type)).toEqual(['route']);
    expect(await desk.waiting()).toEqual([ticket.ticketId]);
  });

  it('opens a linked follow-up when a customer writes to a solved ticket after the reopen window', async () => {
    const desk = createDesk(options({ lifecycle: { autoCloseSolvedAfter: null } }));
    const { ticket } = await desk.receive(inbound('m10'));
    const id = ticket.ticketId;
    await desk.handle({
      type: 'agent.replied',
      id: 'r',
      ticketId: id,
      at: '2026-11-23T10:00:00Z',
      agentId: ticket.assigneeId!,
      body: 'Done',
      status: 'solved',
    });
    const late = await desk.handle({
      type: 'customer.replied',
      id: 'late',
      ticketId: id,
      at: '2026-12-20T10:00:00Z',
      body: 'It broke again',
    });
    expect(late.rejected).toBeUndefined();
    expect(late.followUp?.followUpOf).toBe(id);
    expect(late.followUp?.status).toBe('open');
    // The desk opened the follow-up itself and says so; the message is stored there, once.
    expect(late.warnings.map((w) => w.code)).toContain('follow_up');
    expect(late.ticket.status).toBe('closed');
    // The same late reply delivered again opens nothing new.
    expect(
      (
        await desk.handle({
          type: 'customer.replied',
          id: 'late',
          ticketId: id,
          at: '2026-12-20T10:00:00Z',
          body: 'It broke again',
        })
      ).duplicate,
    ).toBe(true);
  });
});

describe('desk.tick and desk.metrics', () => {
  it('does not read the waiting list when the desk can assign nobody, but still moves the overdue into a fallback queue', async () => {
    const counted = (store = createMemoryStore()) => {
      const reads = { waiting: 0 };
      const waiting = store.waiting.bind(store);
      store.waiting = (limit) => {
        reads.waiting++;
        return waiting(limit);
      };
      return { store, reads };
    };
    const none = counted();
    const idle = createDesk({ agents: [], store: none.store, clock: () => at('2026-11-23T09:00:00Z') });
    const { ticket } = await idle.receive(inbound('n1'));
    expect(await idle.waiting()).toEqual([ticket.ticketId]);
    none.reads.waiting = 0;
    expect((await idle.tick(at('2026-11-23T12:00:00Z'))).tickets).toEqual([]);
    expect(none.reads.waiting).toBe(0);
    expect(await idle.waiting()).toEqual([ticket.ticketId]);

    const queued = counted();
    const overflow = createDesk({
      agents: [],
      store: queued.store,
      clock: () => at('2026-11-23T09:00:00Z'),
      routingFallback: { after: { minutes: 30 }, to: { queue: 'overflow' } },
    });
    const { ticket: late } = await overflow.receive(inbound('n2'));
    queued.reads.waiting = 0;
    const moved = await overflow.tick(at('2026-11-23T12:00:00Z'));
    expect(queued.reads.waiting).toBe(1);
    expect(moved.tickets.map((t) => [t.ticketId, t.queue])).toEqual([[late.ticketId, 'overflow']]);
  });

  it('routes waiting tickets when an agent comes on shift', async () => {
    const day = createCalendar({ timeZone: 'UTC', week: { mon: [['12:00', '18:00']] } });
    const desk = createDesk({
      agents: [{ id: 'ana', name: 'Ana', calendarId: 'day' }],
      calendars: { day },
      router: { filters: ['onShift'], strategy: 'leastLoaded' },
    });
    const { ticket } = await desk.receive(inbound('w1'));
    expect(ticket.assigneeId).toBeNull();
    expect(await desk.waiting()).toEqual([ticket.ticketId]);
    expect((await desk.tick({ now: at('2026-11-23T11:00:00Z') })).tickets).toEqual([]);
    const noon = await desk.tick({ now: at('2026-11-23T12:00:00Z') });
    expect(noon.tickets.map((t) => t.assigneeId)).toEqual(['ana']);
    expect(await desk.waiting()).toEqual([]);
    expect((await desk.routerState()).loads.ana).toBe(1);
  });

  it('wakes due tickets: auto-close after solving, SLA alerts', async () => {
    const desk = createDesk(options());
    const { ticket } = await desk.receive(inbound('m11'));
    await desk.handle({
      type: 'agent.replied',
      id: 'r',
      ticketId: ticket.ticketId,
      at: '2026-11-23T10:00:00Z',
      agentId: ticket.assigneeId!,
      body: 'Done',
      status: 'solved',
    });
    const early = await desk.tick({ now: at('2026-11-24T00:00:00Z') });
    expect(early.tickets).toEqual([]);
    const later = await desk.tick({ now: at('2026-12-01T00:00:00Z') });
    expect(later.tickets.map((t) => t.status)).toEqual(['closed']);
    expect(await desk.store.dueTickets(at('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('announces an SLA breach on tick and escalates by the default policy', async () => {
    const desk = createDesk(options({ agents: [] }));
    const { ticket } = await desk.receive(inbound('m12'));
    const woke = await desk.tick({ now: at('2026-11-23T18:00:00Z') });
    expect(woke.effects.some((effect) => effect.type === 'notify' && effect.reason === 'sla_breach')).toBe(
      true,
    );
    expect((await desk.ticket(ticket.ticketId))?.tier).toBe(2);
  });

  it('reports KPIs from the stored events', async () => {
    const desk = createDesk(options());
    for (const id of ['k1', 'k2', 'k3']) {
      const { ticket } = await desk.receive(inbound(id));
      await desk.handle({
        type: 'agent.replied',
        id: `${id}-r`,
        ticketId: ticket.ticketId,
        at: '2026-11-23T11:00:00Z',
        agentId: ticket.assigneeId!,
        body: 'Done',
        status: 'solved',
      });
    }
    const report = await desk.metrics();
    expect(report.tickets).toBe(3);
    expect(report.firstReplyTime.value).toBe(2 * 3_600_000);
    expect(report.fcr.value).toBe(100);
    expect((await desk.metrics({ from: at('2026-11-24T00:00:00Z') })).tickets).toBe(0);
    expect(await desk.facts()).toHaveLength(3);
  });
});

describe('promises in acknowledgements', () => {
  it('tells the customer when the business will reply, in their time zone, never before the SLA due time', async () => {
    const desk = createDesk(options());
    const result = await desk.receive(
      inbound('p1', {
        customer: { id: 'c-p1', name: 'Rui Costa', timeZone: 'America/Sao_Paulo', language: 'en' },
      }),
    );
    const ack = result.effects.find((e) => e.type === 'send_message');
    // Opened 09:00 UTC with an 8 h first-reply target: due 17:00 UTC, 14:00 in São Paulo.
    expect(ack && 'text' in ack ? ack.text : '').toMatch(
      /reply by Monday,? 14:00|expect our answer by Monday,? 14:00/,
    );
  });

  it('words the promise in the language the template speaks', async () => {
    const desk = createDesk(options());
    const text = async (id: string, language: string) => {
      const result = await desk.receive(
        inbound(id, { customer: { id: `c-${id}`, timeZone: 'Europe/Lisbon', language }, language }),
      );
      const ack = result.effects.find((e) => e.type === 'send_message');
      return ack && 'text' in ack ? ack.text : '';
    };
    // Spanish has a Spanish template; Portuguese falls back to English, and so does its promise.
    expect(await text('l1', 'es')).toMatch(/antes de lunes, 17:00/);
    expect(await text('l2', 'pt')).toMatch(/by Monday,? 17:00/);
  });

  it('promises later when the queue cannot keep the SLA', async () => {
    const desk = createDesk(
      options({ agents: [agents[0] as (typeof agents)[number]], promise: { msPerTicket: 3 * 3_600_000 } }),
    );
    let last = '';
    for (let i = 0; i < 4; i++) {
      const result = await desk.receive(inbound(`q${i}`));
      const ack = result.effects.find((e) => e.type === 'send_message');
      last = ack && 'text' in ack ? ack.text : '';
    }
    // Four tickets ahead of one agent at 3 h each: the 4th waits 12 h, past its 8 h target.
    expect(last).toMatch(/(reply by|answer by) (Monday|Tuesday),? 21:00/);
  });
});

describe('desk.restore', () => {
  it('reads the loads and the waiting list from the store, as a restarted desk must', async () => {
    const store = createMemoryStore();
    const capped = { filters: ['withinCapacity'], strategy: 'leastLoaded' } as const;
    const first = createDesk(
      options({ store, router: capped, agents: [{ id: 'ana', name: 'Ana', tier: 1, capacity: 2 }] }),
    );
    for (let i = 0; i < 4; i++) await first.receive(inbound(`r${i}`));
    const solved = (await first.receive(inbound('r-solved'))).ticket;
    await first.handle({
      type: 'ticket.status_set',
      id: 's',
      ticketId: solved.ticketId,
      at: at('2026-11-23T10:00:00Z'),
      status: 'solved',
    });
    const before = {
      loads: { ...(await first.routerState()).loads },
      waiting: [...(await first.waiting())].sort(),
    };
    expect(before.loads).toEqual({ ana: 2 });
    expect(before.waiting).toHaveLength(3);

    const restarted = createDesk(
      options({ store, router: capped, agents: [{ id: 'ana', name: 'Ana', tier: 1, capacity: 2 }] }),
    );
    // Loads and the waiting list are the store's: a new desk over it sees them at once.
    expect({ ...(await restarted.routerState()).loads }).toEqual(before.loads);
    expect(await restarted.restore()).toEqual({ tickets: 5, held: 2, waiting: 3 });
    expect({ ...(await restarted.routerState()).loads }).toEqual(before.loads);
    expect([...(await restarted.waiting())].sort()).toEqual(before.waiting);
    // The restored desk respects capacity: more staff on the next tick take the waiting tickets.
    await restarted.setAgents(
      [
        { id: 'ana', name: 'Ana', tier: 1, capacity: 2 },
        { id: 'ben', name: 'Ben', tier: 1, capacity: 5 },
      ],
      at('2026-11-23T11:00:00Z'),
    );
    await restarted.tick({ now: at('2026-11-23T11:00:00Z') });
    expect((await restarted.routerState()).loads).toMatchObject({ ana: 2, ben: 3 });
  });
});
