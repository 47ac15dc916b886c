import type { InboundContactInput } from 'carekit';
import { describe, expect, it } from 'vitest';
import { CarekitError, CarekitValidationError } from '../../../src/model/index.js';
import { createAnswerBook, ruleClassifier } from '../../../src/routing/index.js';
import { createSlaPolicy, evaluateSla } from '../../../src/sla/index.js';
import { createTemplateLibrary, starterTemplates } from '../../../src/templates/index.js';
import {
  BOT_QUEUE,
  createDesk,
  createDeskFromConfig,
  type Desk,
  type DeskOptions,
  parseDeskConfig,
  type SendMessageEffect,
} from '../../../src/workflows/index.js';

const book = createAnswerBook([
  {
    id: 'track',
    templateId: 'order_status',
    examples: ['where is my order', 'where is my parcel', 'track my order', 'has my order shipped'],
    autoChannels: ['chat', 'email'],
  },
  {
    id: 'return',
    templateId: 'return_instructions',
    examples: ['how do I return an item', 'I want to send it back', 'return label'],
    autoChannels: ['chat'],
  },
]);

const sla = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
});
const options = (extra: Partial<DeskOptions> = {}): DeskOptions => ({
  agents: [{ id: 'ana', name: 'Ana', capacity: 5 }],
  slaPolicies: [sla],
  classifier: ruleClassifier([{ category: 'order_status', keywords: ['order', 'parcel'] }]),
  lifecycle: { acknowledgeTemplate: 'acknowledgement' },
  templates: createTemplateLibrary(starterTemplates),
  templateContext: () => ({ brand: { name: 'Loja Azul' }, order: { id: 'O-17', status: 'shipped' } }),
  bot: {
    book,
    policy: {
      threshold: 0.6,
      minCoverage: 0.6,
      askTemplateId: 'bot_did_this_help',
      handoverTemplateId: 'bot_handover',
    },
  },
  ...extra,
});

const contact = (externalId: string, body = 'Where is my order?', extra: Record<string, unknown> = {}) =>
  ({
    externalId,
    channel: 'chat',
    customer: { id: `c-${externalId}`, name: 'Rui Costa' },
    body,
    at: '2026-11-23T09:00:00Z',
    ...extra,
  }) as InboundContactInput;
const messages = (effects: readonly { type: string }[]) =>
  effects.filter((e): e is SendMessageEffect => e.type === 'send_message');
const H = 3_600_000;
/** The customer writes on a ticket. */
const customerWrites = (desk: Desk, ticketId: string, id: string, at: number, body: string) =>
  desk.handle({ type: 'customer.replied', id, ticketId, at, body });
const T0 = Date.parse('2026-11-23T09:00:00Z');

describe('the desk bot', () => {
  it('answers a frequent question by itself, says it is automatic, and holds the ticket pending', async () => {
    const desk = createDesk(options());
    const result = await desk.receive(contact('m1'));
    expect(result.bot).toMatchObject({ answer: true });
    expect(result.ticket).toMatchObject({ status: 'pending', assigneeId: null, queue: BOT_QUEUE });
    const [answer, ...others] = messages(result.effects);
    expect(others).toEqual([]); // the answer takes the place of the acknowledgement
    expect(answer).toMatchObject({ templateId: 'order_status', bot: true, channel: 'chat' });
    expect(answer?.text).toMatch(/O-17 is shipped[\s\S]*automatic answer from the Loja Azul assistant/);
    expect(result.effects.some((e) => e.type === 'route')).toBe(false);
    expect((await desk.routerState()).loads.ana ?? 0).toBe(0);
    const log = await desk.store.ticketEvents(result.ticket.ticketId);
    expect(log.map((e) => e.type)).toEqual(['ticket.opened', 'ticket.assigned', 'agent.replied']);
    expect(log[2]).toMatchObject({
      bot: true,
      agentId: 'bot',
      status: 'pending',
      meta: { bot: { entryId: 'track' } },
    });
  });

  it('solves the ticket when the customer says yes; the SLA reply clock is not fulfilled by the bot', async () => {
    const desk = createDesk(options());
    const { ticket } = await desk.receive(contact('m2'));
    const yes = await customerWrites(desk, ticket.ticketId, 'r1', T0 + 60_000, 'Yes, thanks!');
    expect(yes.rejected).toBeUndefined();
    expect(yes.bot).toMatchObject({ handedOver: false });
    expect(yes.ticket).toMatchObject({ status: 'solved', assigneeId: null });
    const log = await desk.store.ticketEvents(ticket.ticketId);
    const report = evaluateSla(sla, log, { now: T0 + 2 * H });
    expect(report.clocks.firstReply.fulfilledAt).toBeNull();
    expect(report.clocks.firstReply.status).not.toBe('fulfilled');
  });

  it.each([
    ['No, it has not arrived', /did not solve it/],
    ['This is RIDICULOUS, where is it!!!', /anger/],
    ['Can I talk to a person?', /asks for a person/],
    ['It is the blue parcel', /not a clear yes/],
  ])('hands over on %j, with a notice, to a person', async (body, reason) => {
    const desk = createDesk(options());
    const { ticket } = await desk.receive(contact(`h-${body.length}`));
    const reply = await desk.handle({
      type: 'customer.replied',
      id: 'r1',
      ticketId: ticket.ticketId,
      at: T0 + 60_000,
      body,
    });
    expect(reply.bot).toMatchObject({ handedOver: true });
    expect((reply.bot as { reason: string }).reason).toMatch(reason);
    expect(reply.ticket).toMatchObject({ status: 'open', assigneeId: 'ana', queue: null });
    expect(messages(reply.effects)).toEqual([
      expect.objectContaining({
        templateId: 'bot_handover',
        bot: true,
        text: expect.stringMatching(/passed your message to a person/),
      }),
    ]);
    expect((await desk.routerState()).loads.ana).toBe(1);
    // Once a person has it, the bot stays out of it.
    const again = await customerWrites(desk, ticket.ticketId, 'r2', T0 + 120_000, 'yes');
    expect(again.bot).toBeUndefined();
    expect(again.ticket.status).toBe('open');
  });

  it('hands over when the customer writes again after the answer solved it', async () => {
    const desk = createDesk(options());
    const { ticket } = await desk.receive(contact('m3'));
    await customerWrites(desk, ticket.ticketId, 'r1', T0 + 60_000, 'yes');
    const back = await customerWrites(desk, ticket.ticketId, 'r2', T0 + 2 * H, 'Thanks, great');
    expect(back.bot).toMatchObject({ handedOver: true, reason: expect.stringMatching(/wrote again/) });
    expect(back.ticket).toMatchObject({ status: 'open', assigneeId: 'ana' });
  });

  it('routes once when a reopen both escalates and hands over', async () => {
    const desk = createDesk(
      options({
        agents: [
          { id: 'ana', name: 'Ana', tier: 1, capacity: 5 },
          { id: 'lia', name: 'Lia', tier: 2, capacity: 5 },
        ],
        router: { filters: ['tierAtLeast'], strategy: 'leastLoaded' },
        escalation: (signal) =>
          signal.kind === 'reopened'
            ? [{ type: 'escalate', toTier: 2, reason: 'reopened after self-service' }]
            : [],
      }),
    );
    const { ticket } = await desk.receive(contact('m4'));
    await customerWrites(desk, ticket.ticketId, 'r1', T0 + 60_000, 'yes');
    const back = await customerWrites(desk, ticket.ticketId, 'r2', T0 + H, 'No, broken again');
    expect(back.ticket).toMatchObject({ status: 'open', tier: 2, assigneeId: 'lia' });
    const log = await desk.store.ticketEvents(ticket.ticketId);
    expect(log.filter((e) => e.type === 'ticket.assigned' && e.agentId !== null)).toHaveLength(1);
    expect({ ...(await desk.routerState()).loads }).toEqual({ lia: 1 });
  });

  it('leaves to people what it should not answer, and says why', async () => {
    const desk = createDesk(options());
    const cases = [
      [contact('d1', 'Do you sell gift cards?'), 'low_confidence'],
      [contact('d2', 'Where is my order?', { customer: { id: 'v', segment: 'vip' } }), 'segment'],
      [contact('d3', 'WHERE IS MY ORDER!!!'), 'anger'],
      [contact('d4', 'Where is my order?', { channel: 'sms' }), 'channel'],
    ] as const;
    for (const [input, reason] of cases) {
      const result = await desk.receive(input);
      expect(result.bot).toMatchObject({ answer: false, reason });
      // The agent who replies still sees the book's best answers.
      expect(result.suggestions?.map((s) => s.entryId)).toHaveLength(2);
      expect(result.ticket.queue).toBeNull();
      expect(result.ticket.assigneeId).toBe('ana');
      expect(messages(result.effects).map((m) => m.templateId)).toEqual(['acknowledgement']);
    }
  });

  it('lets people answer when the answer cannot be rendered', async () => {
    const desk = createDesk(
      options({
        bot: {
          book: createAnswerBook([
            { id: 'x', templateId: 'nope', examples: ['where is my order'], autoChannels: ['chat'] },
          ]),
          policy: { threshold: 0.5, minCoverage: 0.5 },
        },
      }),
    );
    const result = await desk.receive(contact('e1'));
    expect(result.ticket).toMatchObject({ queue: null, assigneeId: 'ana' });
    expect(result.warnings.map((w) => w.message).join(' ')).toMatch(
      /could not be rendered, people will answer/,
    );
  });

  it('needs templates', () => {
    expect(() => createDesk({ bot: { book } })).toThrow(CarekitError);
  });
});

describe('a bot in a desk configuration', () => {
  const templates = starterTemplates.map(({ schema: _, ...entry }) => entry);
  const answers = [
    {
      id: 'track',
      templateId: 'order_status',
      examples: ['where is my order', 'where is my parcel'],
      autoChannels: ['chat' as const],
    },
  ];

  it('runs from data: the answers become the book, the templates the library', async () => {
    const desk = createDeskFromConfig({
      agents: [{ id: 'ana', name: 'Ana' }],
      templates,
      bot: { answers, policy: { threshold: 0.5, minCoverage: 0.5, askTemplateId: 'bot_did_this_help' } },
    });
    const result = await desk.receive(contact('cfg-1'));
    expect(result.ticket.queue).toBe(BOT_QUEUE);
    expect(messages(result.effects)[0]?.text).toMatch(/automatic answer/);
  });

  it('refuses unknown templates, duplicate answers and bad settings, every problem with its path', () => {
    try {
      parseDeskConfig({
        templates,
        bot: {
          answers: [...answers, { ...answers[0], templateId: 'nope' }],
          policy: { askTemplateId: 'missing', threshold: 3 },
        },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitValidationError);
      expect((error as CarekitValidationError).issues.map((i) => [i.code, i.path.join('.')])).toEqual([
        ['too_big', 'bot.policy.threshold'],
        ['unknown_template', 'bot.answers.1.templateId'],
        ['unknown_template', 'bot.policy.askTemplateId'],
        ['duplicate_id', 'bot.answers.1.id'],
      ]);
    }
  });
});
