// The demo (`npm run demo`): a simulated week at an online shop with a marketplace storefront.
//
// Contacts arrive over chat, email, social and marketplace messages at realistic rates (busier
// evenings and weekends, a sale day on Friday); 12 agents in 3 tiers work shifts with a lunch
// break in São Paulo and Lisbon; customers ask before buying, chase orders, get proactive delay
// notices, return, ask for refunds, report defects, complain, send spam; a few buyers are on the
// blocklist; customers reply, reopen and rate. A bot answers the frequent questions it is sure
// of (where is my order, how to return) and hands over to people on a no, anger or doubt; orders
// delivered and complaints solved get a check-in a few days later, never more than one outbound
// contact per customer a fortnight. Everything runs through one carekit desk; at the end it prints
// the KPI report (with deflection and CSAT by bot and human), the busiest escalations, the
// routing fairness and one customer's journey, and writes the same report as Markdown to a file.
//
//   npm run demo -- --seed 7 --tickets 5000 --out week.md
//   npm run demo -- --store pglite     (the same week on PostgreSQL, embedded: carekit/store-postgres)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { customerJourney, formatReport, type KpiReport } from 'carekit/metrics';
import { type Channel, type OrderEvent, parseOrderEvent, type TicketEvent } from 'carekit/model';
import { createTemplateLibrary, starterTemplates } from 'carekit/templates';
import {
  createDeskFromConfig,
  type DeskEffect,
  type DeskResult,
  parseDeskConfig,
  planCheckIns,
  planOutreach,
} from 'carekit/workflows';

const testing = process.env.CAREKIT_EXAMPLE_TEST === '1';
const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '42' },
    tickets: { type: 'string', default: testing ? '150' : '1000' },
    out: { type: 'string' },
    store: { type: 'string', default: 'memory' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run demo -- [--seed N] [--tickets N] [--out report.md] [--store memory|pglite]');
  process.exit(0);
}
const seed = Number(args.seed);
const ticketCount = Number(args.tickets);
if (!Number.isInteger(seed) || !Number.isInteger(ticketCount) || ticketCount < 1) {
  console.error('--seed and --tickets take whole numbers (tickets at least 1)');
  process.exit(2);
}
if (args.store !== 'memory' && args.store !== 'pglite') {
  console.error('--store takes memory (the default) or pglite (PostgreSQL embedded, in memory)');
  process.exit(2);
}
// By default the report goes to .tmp/ (git-ignored), so a demo run leaves the checkout clean.
const outFile = resolve(
  args.out ??
    (testing ? join(tmpdir(), `carekit-demo-${process.pid}.md`) : join('.tmp', 'carekit-demo-report.md')),
);

// ---- randomness, reproducible from the seed -------------------------------------------------
let state = seed >>> 0 || 1;
const random = (): number => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
};
const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

// ---- the shop ------------------------------------------------------------------------------
const ZONE = 'America/Sao_Paulo';
const WEEK_START = Date.parse('2026-11-23T00:00:00-03:00'); // Monday; Friday the 27th is the sale
// The desk is the one `carekit review` documents (docs/review.md): the same configuration file.
const config = parseDeskConfig(
  JSON.parse(readFileSync(new URL('./loja-azul.desk.json', import.meta.url), 'utf8')),
);
// The same 12 people; with --tickets far above a normal week their queues scale with it.
const agents = config.agents.map((agent) => ({
  ...agent,
  capacity: Math.max(agent.capacity, Math.ceil(ticketCount / 80)),
}));
const agentName = new Map(agents.map((a) => [a.id, a.name]));

// With --store pglite the desk keeps tickets in PostgreSQL (PGlite, in process): the drivers are
// optional peers of carekit, loaded only when asked for.
const store =
  args.store === 'pglite'
    ? await (async () => {
        const { PGlite } = await import('@electric-sql/pglite');
        const { createPostgresStore, migrate, pgliteClient } = await import('carekit/store-postgres');
        const client = pgliteClient(await PGlite.create());
        await migrate(client);
        return createPostgresStore(client);
      })()
    : undefined;

// The simulation's clock: the desk's "now" is the instant of the action being simulated.
let simulatedNow = WEEK_START;
const desk = createDeskFromConfig(config, {
  ...(store ? { store } : {}),
  clock: () => simulatedNow,
  agents,
  templates: createTemplateLibrary(starterTemplates),
  templateContext: (ticket) => ({
    brand: { name: config.name },
    agent: { name: `${config.name} team` },
    // What the shop's order system would add: the order the ticket is about.
    order: { id: `O-${ticket.ticketId.slice(-5).toUpperCase()}`, status: 'on its way', carrier: 'Correios' },
    return_: { label_url: 'https://loja-azul.example/returns/label', deadline: WEEK_START + 30 * DAY },
    delay: { new_date: WEEK_START + 9 * DAY },
  }),
  // Acknowledgements promise a reply time the schedule and the queue can keep, in São Paulo time.
  promise: { msPerTicket: 12 * MINUTE, timeZone: ZONE },
});

// ---- what customers write -------------------------------------------------------------------
const texts: Record<string, readonly [string, string][]> = {
  pre_sales: [
    ['Question before buying', 'Is the blue ceramic mug in stock and does it fit in a dishwasher?'],
    ['Size question', 'Do you have this jacket in size M, and how long is shipping to Porto?'],
  ],
  order_status: [
    ['Where is my order?', 'I ordered three days ago and have no tracking number yet. Where is my order?'],
    ['Order status', 'Can you check the status of my order 48213 please?'],
    ['Order', 'Has my order shipped yet?'],
    ['Change my order', 'I need to change the delivery address of my order to my office.'],
  ],
  shipping: [
    ['Parcel delayed', 'My parcel is delayed, the tracking has not moved for five days.'],
    ['Late delivery', 'The delivery was late and the courier says the shipping address is wrong.'],
  ],
  return: [
    ['Return', 'I would like to return the sandals, they are too small. How do I get a return label?'],
    ['Return label', 'How do I get a return label?'],
    ['Exchange', 'Can I exchange the dress for another colour instead of a refund?'],
  ],
  refund: [
    ['Refund please', 'I returned the lamp last week, when will I get my money back? I want a refund.'],
  ],
  defect: [
    ['Broken item', 'The mug arrived broken, the handle is cracked.'],
    ['Damaged product', 'The speaker is damaged and does not work at all.'],
  ],
  complaint: [
    ['Terrible service', 'This is unacceptable, the worst service I have had. I want to speak to a manager.'],
  ],
  spam: [['Great offer', 'Buy cheap followers now!!! Click here for a free crypto prize.']],
};
const intents: (readonly [string, number])[] = [
  ['pre_sales', 18],
  ['order_status', 24],
  ['shipping', 14],
  ['return', 10],
  ['refund', 9],
  ['defect', 9],
  ['complaint', 6],
  ['spam', 4],
];
const channels: (readonly [Channel, number])[] = [
  ['chat', 36],
  ['email', 28],
  ['social', 14],
  ['marketplace', 22],
];

/** Contacts per hour of the week: evenings and weekends busier, the sale day three times busier. */
function arrivalWeight(at: number): number {
  const local = new Date(at - 3 * HOUR);
  const hour = local.getUTCHours();
  const day = Math.floor((at - WEEK_START) / DAY);
  const hourly = hour < 7 ? 0.15 : hour < 12 ? 0.8 : hour < 18 ? 1 : hour < 23 ? 1.6 : 0.5;
  const weekend = day >= 5 ? 1.3 : 1;
  const sale = day === 4 ? 3 : 1;
  return hourly * weekend * sale;
}

// ---- the simulation: a queue of things that happen, in time order ---------------------------
type Action = { at: number; seq: number; run: () => Promise<void> };
// A binary heap ordered by time, then by scheduling order (so equal times keep their order).
const queue: Action[] = [];
let sequence = 0;
const before = (a: Action, b: Action) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
const schedule = (at: number, run: () => Promise<void>) => {
  queue.push({ at, seq: sequence++, run });
  for (let i = queue.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(queue[i] as Action, queue[parent] as Action)) break;
    [queue[i], queue[parent]] = [queue[parent] as Action, queue[i] as Action];
    i = parent;
  }
};
const takeNext = (): Action => {
  const top = queue[0] as Action;
  const last = queue.pop() as Action;
  if (queue.length > 0) {
    queue[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < queue.length && before(queue[l] as Action, queue[m] as Action)) m = l;
      if (r < queue.length && before(queue[r] as Action, queue[m] as Action)) m = r;
      if (m === i) break;
      [queue[i], queue[m]] = [queue[m] as Action, queue[i] as Action];
      i = m;
    }
  }
  return top;
};

const counts = {
  messages: new Map<string, number>(),
  notices: 0,
  delayedOrders: 0,
  notifications: new Map<string, number>(),
  blockedContacts: 0,
  rejected: 0,
  followUps: 0,
  botAnswered: 0,
  botDeclined: new Map<string, number>(),
  botOutcome: new Map<string, number>(),
  checkIns: 0,
  checkInsHeld: new Map<string, number>(),
};
const orderEvents: OrderEvent[] = [];
const escalations = new Map<string, { tickets: number; category: string }>();
const ticketIntent = new Map<string, string>();
const ticketPlan = new Map<string, { patience: number; reopen: boolean; pending: boolean; asked: boolean }>();
const customers = Array.from({ length: Math.ceil(ticketCount * 0.75) }, (_, i) => ({
  id: `cus-${i + 1}`,
  name: pick([
    'Ana Souza',
    'Bruno Lima',
    'Camila Rocha',
    'Diego Alves',
    'Elena García',
    'Felipe Costa',
    'Lan Nguyen',
    'Marta Ruiz',
  ]),
  language: weighted([
    ['pt', 70],
    ['es', 15],
    ['en', 15],
  ] as const),
  lifetimeValue: random() < 0.06 ? 2000 + Math.round(random() * 8000) : Math.round(random() * 900),
}));
const blocked = customers.slice(0, Math.max(1, Math.round(customers.length * 0.004)));

function observe(result: DeskResult): void {
  if (result.rejected) counts.rejected++;
  if (result.followUp) counts.followUps++;
  handleEffects(result.effects);
}

function handleEffects(effects: readonly DeskEffect[]): void {
  for (const effect of effects) {
    if (effect.type === 'send_message')
      counts.messages.set(effect.templateId, (counts.messages.get(effect.templateId) ?? 0) + 1);
    if (effect.type === 'notify')
      counts.notifications.set(effect.reason, (counts.notifications.get(effect.reason) ?? 0) + 1);
    if (effect.type === 'escalate') {
      const category = ticketIntent.get(effect.ticketId) ?? 'unknown';
      const key = `${effect.reason} (tier ${effect.fromTier} → ${effect.toTier})`;
      const entry = escalations.get(key) ?? { tickets: 0, category };
      entry.tickets++;
      escalations.set(key, entry);
    }
    if (effect.type === 'request_survey' && !effect.reminder) {
      const ticketId = effect.ticketId;
      if (random() < 0.45)
        schedule(Math.round(effect.at + (1 + random() * 20) * HOUR), () =>
          answerSurvey(ticketId, effect.survey),
        );
    }
  }
}

async function answerSurvey(ticketId: string, survey: 'csat' | 'nps' | 'ces'): Promise<void> {
  const ticket = await desk.ticket(ticketId);
  if (!ticket) return;
  // A bot's answer is a reply the customer got at once.
  const answeredAt =
    ticket.firstReplyAt ?? (ticket.counters.botReplies > 0 ? ticket.openedAt : ticket.openedAt + DAY);
  const wait = answeredAt - ticket.openedAt;
  // Some customers mind being answered by a bot, even rightly.
  const botAnswer = ticket.counters.botReplies > 0 && ticket.counters.agentReplies === 0 && random() < 0.2;
  const trouble =
    ticket.counters.reopens + (ticket.tier > 1 ? 1 : 0) + (wait > 6 * HOUR ? 1 : 0) + (botAnswer ? 1 : 0);
  const at = ticket.lastEventAt + 1;
  const base = { ticketId, at };
  if (survey === 'nps') {
    const score = Math.max(0, Math.min(10, Math.round(9 - trouble * 2.5 + (random() - 0.5) * 4)));
    observe(
      await desk.handle({ type: 'survey.answered', id: `${ticketId}:nps`, ...base, survey: 'nps', score }),
    );
    return;
  }
  const score = Math.max(1, Math.min(5, Math.round(4.7 - trouble * 1.2 + (random() - 0.5) * 1.5)));
  observe(
    await desk.handle({ type: 'survey.answered', id: `${ticketId}:csat`, ...base, survey: 'csat', score }),
  );
  const effort = Math.max(1, Math.min(7, Math.round(2 + trouble * 1.5 + random() * 1.5)));
  observe(
    await desk.handle({
      type: 'survey.answered',
      id: `${ticketId}:ces`,
      ...base,
      at: at + 1,
      survey: 'ces',
      score: effort,
    }),
  );
}

const workScheduled = new Set<string>();

/** Plans the assignee's next look at a ticket that needs one (once at a time). */
function planWork(ticket: { ticketId: string; assigneeId: string | null; status: string }, at: number): void {
  if (
    !ticket.assigneeId ||
    ['solved', 'closed', 'merged'].includes(ticket.status) ||
    workScheduled.has(ticket.ticketId)
  )
    return;
  workScheduled.add(ticket.ticketId);
  const when = at + agentDelay();
  schedule(when, () => agentWorks(ticket.ticketId, when));
}

/** The assigned agent works on the ticket: replies, solves, asks for details, marks spam. */
async function agentWorks(ticketId: string, at: number): Promise<void> {
  workScheduled.delete(ticketId);
  const ticket = await desk.ticket(ticketId, { now: at });
  if (!ticket?.assigneeId || ['solved', 'closed', 'merged'].includes(ticket.status)) return;
  const intent = ticketIntent.get(ticketId) ?? 'order_status';
  // Outbound tickets (notices, check-ins) the customer answered have no plan: one reply solves them.
  const plan = ticketPlan.get(ticketId) ?? { patience: 0.5, reopen: false, pending: false, asked: true };
  const id = `${ticketId}:work:${ticket.eventCount}`;
  if (intent === 'spam' || ticket.queue === 'review') {
    observe(await desk.handle({ type: 'ticket.marked_spam', id, ticketId, at, by: ticket.assigneeId }));
    return;
  }
  const workMs = Math.round((3 + random() * 12) * MINUTE);
  const asksDetails = plan.pending && !plan.asked;
  plan.asked = true;
  const result = await desk.handle({
    type: 'agent.replied',
    id,
    ticketId,
    at,
    agentId: ticket.assigneeId,
    body: asksDetails
      ? 'Could you send a photo and your order number?'
      : 'All sorted: here is what we did for you.',
    status: asksDetails ? 'pending' : 'solved',
    workMs,
  });
  observe(result);
  if (result.rejected) return;
  if (asksDetails) {
    // The customer answers (most do), and the agent picks it up again.
    if (random() < 0.85) {
      const back = Math.round(at + (0.5 + random() * 20) * HOUR);
      schedule(back, async () => {
        const reply = await desk.handle({
          type: 'customer.replied',
          id: `${ticketId}:details`,
          ticketId,
          at: back,
          body: 'Here is the photo.',
        });
        observe(reply);
        planWork(reply.ticket, back);
      });
    }
  } else if (plan.reopen) {
    plan.reopen = false;
    const again = Math.round(at + (2 + random() * 40) * HOUR);
    schedule(again, async () => {
      const reply = await desk.handle({
        type: 'customer.replied',
        id: `${ticketId}:reopen`,
        ticketId,
        at: again,
        body: 'It happened again.',
      });
      observe(reply);
      planWork(reply.ticket, again);
    });
  }
}

function agentDelay(): number {
  return Math.round((5 + random() ** 2 * 300) * MINUTE);
}

async function contact(n: number, at: number): Promise<void> {
  const intent = weighted(intents);
  const channel = weighted(channels);
  const customer = n % 97 === 0 ? pick(blocked) : pick(customers);
  const [subject, body] = pick(texts[intent] as readonly [string, string][]);
  const result = await desk.receive({
    externalId: `${channel}-${n}`,
    channel,
    customer: {
      id: customer.id,
      name: customer.name,
      language: customer.language,
      lifetimeValue: customer.lifetimeValue,
    },
    subject,
    body,
    at,
    language: customer.language,
  });
  if (await desk.blocklist.has(customer.id)) counts.blockedContacts++;
  const ticketId = result.ticket.ticketId;
  ticketIntent.set(ticketId, result.ticket.category ?? intent);
  ticketPlan.set(ticketId, {
    patience: random(),
    reopen: random() < 0.07,
    pending: random() < 0.3,
    asked: false,
  });
  observe(result);
  if (result.bot && 'answer' in result.bot) {
    if (result.bot.answer) {
      counts.botAnswered++;
      botAnswered(ticketId, at);
    } else counts.botDeclined.set(result.bot.reason, (counts.botDeclined.get(result.bot.reason) ?? 0) + 1);
  }
  planWork(result.ticket, at);
  if (result.ticket.queue === 'review' && !['closed', 'merged'].includes(result.ticket.status)) {
    // A team lead looks at contacts from blocklisted buyers and closes the abusive ones.
    const look = at + Math.round((1 + random() * 6) * HOUR);
    schedule(look, async () =>
      observe(
        await desk.handle({
          type: 'ticket.marked_spam',
          id: `${ticketId}:review`,
          ticketId,
          at: look,
          by: 'rita',
        }),
      ),
    );
  }
}

/** How a customer takes the bot's answer: most confirm, some say no, some are angry, some go quiet. */
function botAnswered(ticketId: string, at: number): void {
  const reaction = weighted([
    ['Yes, thanks! That is what I needed.', 55],
    ['No, that does not help. The tracking shows nothing.', 18],
    ['This is RIDICULOUS, I have waited long enough!!!', 7],
    ['It is the order with the blue mug and the lamp', 8],
    ['Can I talk to a person please?', 4],
    [null, 8],
  ] as const);
  if (reaction === null) return;
  const back = Math.round(at + (1 + random() * 40) * MINUTE);
  schedule(back, async () => {
    const reply = await desk.handle({
      type: 'customer.replied',
      id: `${ticketId}:bot-reply`,
      ticketId,
      at: back,
      body: reaction,
    });
    observe(reply);
    if (reply.bot && 'handedOver' in reply.bot) {
      const outcome = reply.bot.handedOver
        ? `handed over: ${reply.bot.reason.replace(/ \(.*\)$/, '')}`
        : "solved by the customer's yes";
      counts.botOutcome.set(outcome, (counts.botOutcome.get(outcome) ?? 0) + 1);
    }
    planWork(reply.ticket, back);
  });
}

/** Every morning the shop plans check-ins: after deliveries and solved complaints. */
async function checkIns(now: number): Promise<void> {
  const events: (TicketEvent | OrderEvent)[] = [...orderEvents];
  for await (const event of desk.store.events({ from: now - 30 * DAY, to: now + 1 })) events.push(event);
  const { plans, skipped } = planCheckIns(events, { limit: { contacts: 1, per: { days: 14 } } }, { now });
  for (const s of skipped) counts.checkInsHeld.set(s.reason, (counts.checkInsHeld.get(s.reason) ?? 0) + 1);
  for (const plan of plans) {
    const result = await desk.reachOut(plan);
    if (result.duplicate) continue;
    counts.checkIns++;
    observe(result);
    // A few answer with a problem; a person picks it up.
    if (random() < 0.12) {
      const back = Math.round(now + (2 + random() * 30) * HOUR);
      schedule(back, async () => {
        const reply = await desk.handle({
          type: 'customer.replied',
          id: `${plan.ticketId}:answer`,
          ticketId: plan.ticketId,
          at: back,
          body: 'Thanks for asking. The lid of the teapot is chipped, can you help?',
        });
        observe(reply);
        planWork(reply.ticket, back);
      });
    }
  }
}

// ---- run ------------------------------------------------------------------------------------
for (const buyer of blocked) {
  await desk.blocklist.add(buyer.id, {
    reason: 'chargeback fraud on marketplace orders',
    by: 'rita',
    at: WEEK_START - 30 * DAY,
  });
}
// Arrivals: the week's hours weighted by the arrival curve.
const hours = Array.from({ length: 7 * 24 }, (_, h) => WEEK_START + h * HOUR);
const hourWeights = hours.map((h) => [h, arrivalWeight(h)] as const);
for (let n = 1; n <= ticketCount; n++) {
  const hour = weighted(hourWeights);
  const at = hour + Math.floor(random() * HOUR);
  schedule(at, () => contact(n, at));
}
// Orders: most are delivered during the week (and get a check-in a few days later); a share ship
// late, and most of those get a proactive delay notice before the customer asks.
const orders = Math.round(ticketCount * 2.5);
for (let i = 0; i < orders; i++) {
  const customer = pick(customers);
  const order = {
    orderId: `O-${10_000 + i}`,
    customer: { id: customer.id, name: customer.name, language: customer.language },
  };
  const at = WEEK_START + Math.floor(random() * 7 * DAY);
  orderEvents.push(parseOrderEvent({ type: 'order.placed', id: `placed-${i}`, at: at - 2 * DAY, ...order }));
  if (random() >= 0.06) {
    if (random() < 0.5)
      orderEvents.push(parseOrderEvent({ type: 'order.delivered', id: `${i}`, at, ...order }));
    continue;
  }
  counts.delayedOrders++;
  if (random() < 0.7) {
    const plan = planOutreach(
      { type: 'order.shipment_delayed', id: `late-${i}`, at, expectedAt: WEEK_START + 9 * DAY, ...order },
      { templates: { shipmentDelayed: 'shipping_delay' } },
    );
    if (plan)
      schedule(at, async () => {
        const result = await desk.reachOut(plan);
        if (!result.duplicate) counts.notices++;
        observe(result);
      });
  }
}
// Check-ins: planned every morning at 10:00 in São Paulo.
for (let day = 0; day < 21; day++) {
  const at = WEEK_START + day * DAY + 10 * HOUR;
  schedule(at, () => checkIns(at));
}
// The clock: a tick every 15 minutes until two weeks after the last contact.
const END = WEEK_START + 21 * DAY;
for (let t = WEEK_START; t <= END; t += 15 * MINUTE) {
  const now = t;
  schedule(now, async () => {
    const woke = await desk.tick({ now });
    for (const e of woke.effects)
      if (e.type === 'notify' && e.reason === 'side_overdue') relations.push(`${e.ticketId}: ${e.message}.`);
    handleEffects(woke.effects);
    for (const ticket of woke.tickets) planWork(ticket, now);
  });
}

// ---- relations: a duplicate merged, a refund with a warehouse side conversation --------------
// Tuesday 10:00 in the shop: a customer writes twice about one order (two mails, five minutes
// apart), an agent merges the second into the first, and the customer's later reply to the
// duplicate is forwarded to the ticket that kept the thread. A refund needs the warehouse: the
// agent asks it in a side conversation (the customer never sees it) with a 4-hour internal
// target; the warehouse answers late and the overdue notice comes from the desk's tick.
const relations: string[] = [];
const SCENE = WEEK_START + DAY + 13 * HOUR; // Tuesday 10:00 in São Paulo
const scene = (n: number, at: number, body: string) =>
  desk.receive({
    externalId: `scene-${n}`,
    channel: 'email',
    customer: { id: 'c-scene', name: 'Marta Reis', email: 'marta@example.com', language: 'pt' },
    subject: 'Order 4411',
    body,
    at,
  });
schedule(SCENE, async () => {
  const first = (await scene(1, SCENE, 'Where is order 4411? It is a week late.')).ticket;
  const dup = (await scene(2, SCENE + 5 * MINUTE, 'Order 4411 still has not arrived!')).ticket;
  const by = first.assigneeId ?? 'ana';
  const merged = await desk.merge([dup.ticketId], first.ticketId, { by, at: SCENE + 20 * MINUTE });
  relations.push(
    merged.rejected
      ? `merging ${dup.ticketId} into ${first.ticketId} was refused: ${merged.rejected.message}`
      : `${dup.ticketId} merged into ${first.ticketId} by ${by}: its messages moved into ${first.ticketId}'s thread.`,
  );
  const later = await desk.handle({
    type: 'customer.replied',
    id: `${dup.ticketId}:later`,
    ticketId: dup.ticketId,
    at: SCENE + HOUR,
    body: 'Any news?',
  });
  const forwarded = later.warnings.find((w) => w.code === 'forwarded');
  relations.push(`A later reply to ${dup.ticketId}: ${forwarded?.message ?? 'not forwarded'}.`);

  const refund = (await scene(3, SCENE + 2 * HOUR, 'The mug arrived broken, I want a refund.')).ticket;
  const agent = refund.assigneeId ?? 'ana';
  await desk.handle({
    type: 'side.opened',
    id: `${refund.ticketId}:warehouse`,
    ticketId: refund.ticketId,
    at: SCENE + 2 * HOUR + 10 * MINUTE,
    sideId: 'warehouse',
    subject: 'Return of order 4412',
    participants: [{ id: 'wh-lisbon', name: 'Lisbon warehouse', kind: 'warehouse' }],
    agentId: agent,
    body: 'Can you confirm the broken mug came back?',
    targetMs: 4 * HOUR,
  });
  relations.push(
    `${refund.ticketId}: ${agent} asked the Lisbon warehouse in a side conversation (4 h target).`,
  );
  schedule(SCENE + 7 * HOUR, async () => {
    const answer = await desk.handle({
      type: 'side.replied',
      id: `${refund.ticketId}:warehouse:in`,
      ticketId: refund.ticketId,
      at: SCENE + 7 * HOUR,
      sideId: 'warehouse',
      direction: 'in',
      from: 'wh-lisbon',
      body: 'Received, refund approved.',
    });
    relations.push(
      `${refund.ticketId}: the warehouse answered after 5 h (${answer.rejected ? `refused: ${answer.rejected.code}` : 'recorded in the ticket, not sent to the customer'}).`,
    );
  });
});

const started = performance.now();
const total = queue.length;
let done = 0;
const bar = process.stderr.isTTY && !testing;
while (queue.length > 0) {
  const action = takeNext();
  simulatedNow = Math.max(simulatedNow, action.at);
  await action.run();
  done++;
  if (bar && done % 500 === 0) {
    const share = done / (done + queue.length);
    process.stderr.write(
      `\r[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] ${Math.round(share * 100)}% simulated`,
    );
  }
}
if (bar) process.stderr.write(`\r${' '.repeat(60)}\r`);
const seconds = (performance.now() - started) / 1000;

// ---- the report -----------------------------------------------------------------------------
const report: KpiReport = await desk.metrics(
  { from: WEEK_START, to: WEEK_START + 7 * DAY },
  { volume: { bucket: 'day', timeZone: ZONE, groupBy: 'channel' } },
);
const facts = await desk.facts({ from: WEEK_START, to: WEEK_START + 7 * DAY });
const perAgent = new Map<string, number>();
for (const f of facts)
  if (f.assigneeId && f.excluded === null) perAgent.set(f.assigneeId, (perAgent.get(f.assigneeId) ?? 0) + 1);

const lines: string[] = [];
lines.push(`# A week at Loja Azul (carekit demo)`, '');
lines.push(
  `Seed ${seed}, ${ticketCount.toLocaleString('en-US')} contacts from ${new Date(WEEK_START).toISOString().slice(0, 10)} (Friday is the sale day), 12 agents in 3 tiers in São Paulo and Lisbon. Simulated in ${seconds.toFixed(1)} s (${total.toLocaleString('en-US')} scheduled actions).`,
  '',
);
lines.push('## KPIs', '', formatReport(report, 'md'), '');
lines.push(
  'Times are in business hours of the support calendar; FCR is the definition named in the table.',
  '',
);
lines.push(
  '## Volume by day and channel',
  '',
  '| Day | chat | email | social | marketplace | total |',
  '| --- | --- | --- | --- | --- | --- |',
);
for (const [day, groups] of Object.entries(report.volume.buckets).sort()) {
  const cell = (c: string) => groups[c] ?? 0;
  const sum = Object.values(groups).reduce((a, b) => a + b, 0);
  lines.push(
    `| ${day} | ${cell('chat')} | ${cell('email')} | ${cell('social')} | ${cell('marketplace')} | ${sum} |`,
  );
}
lines.push('', '## Busiest escalations', '', '| Escalation | Tickets |', '| --- | --- |');
for (const [reason, entry] of [...escalations].sort((a, b) => b[1].tickets - a[1].tickets).slice(0, 8)) {
  lines.push(`| ${reason} | ${entry.tickets} |`);
}
if (escalations.size === 0) lines.push('| none | 0 |');
lines.push(
  '',
  '## Routing fairness',
  '',
  '| Agent | Tier | Shift | Tickets | Share of tier |',
  '| --- | --- | --- | --- | --- |',
);
for (const tier of [1, 2, 3]) {
  const members = agents.filter((a) => a.tier === tier);
  const tierTotal = members.reduce((sum, a) => sum + (perAgent.get(a.id) ?? 0), 0);
  for (const a of members) {
    const n = perAgent.get(a.id) ?? 0;
    lines.push(
      `| ${agentName.get(a.id)} | ${tier} | ${a.calendarId} | ${n} | ${tierTotal ? ((100 * n) / tierTotal).toFixed(1) : '0.0'}% |`,
    );
  }
}
lines.push('', '## Messages and notices', '');
lines.push(
  `- Proactive delay notices sent before customers asked: ${counts.notices} of ${counts.delayedOrders} delayed orders.`,
);
for (const [id, n] of [...counts.messages].sort()) lines.push(`- \`${id}\` messages rendered: ${n}`);
for (const [reason, n] of [...counts.notifications].sort()) lines.push(`- notifications \`${reason}\`: ${n}`);
lines.push(
  `- Post-sale check-ins sent: ${counts.checkIns}; held back: ${[...counts.checkInsHeld].map(([r, n]) => `${n} × ${r}`).join(', ') || 'none'}.`,
);
lines.push(`- Contacts from blocklisted buyers, sent to the review queue: ${counts.blockedContacts}`);
lines.push(`- Follow-up tickets opened for replies to closed tickets: ${counts.followUps}`);
lines.push(`- Events the lifecycle refused (with a reason, nothing changed): ${counts.rejected}`);
lines.push('', '## Self-service', '');
lines.push(
  `The bot answered ${counts.botAnswered} of ${ticketCount.toLocaleString('en-US')} contacts by itself (deflection ${report.selfService.deflectionRate.value?.toFixed(1) ?? '—'}%, handover ${report.selfService.botHandoverRate.value?.toFixed(1) ?? '—'}%, CSAT ${report.selfService.csatBot.value?.toFixed(1) ?? '—'}% for self-service against ${report.selfService.csatHuman.value?.toFixed(1) ?? '—'}% for people).`,
  '',
  '| What happened after the bot answered | Tickets |',
  '| --- | --- |',
);
for (const [outcome, n] of [...counts.botOutcome].sort((a, b) => b[1] - a[1]))
  lines.push(`| ${outcome} | ${n} |`);
lines.push('', '| Why the bot left a contact to people | Contacts |', '| --- | --- |');
for (const [reason, n] of [...counts.botDeclined].sort((a, b) => b[1] - a[1]))
  lines.push(`| ${reason} | ${n} |`);

// One customer's journey: the one with the most going on (a bot answer, outreach and tickets).
const allEvents: (TicketEvent | OrderEvent)[] = [...orderEvents];
for await (const event of desk.store.events()) allEvents.push(event);
let chosen = { id: '', score: -1 };
const score = new Map<string, number>();
const owner = new Map<string, string>();
for (const e of allEvents) {
  if (e.type === 'ticket.opened') owner.set(e.ticketId, e.customer.id);
  const who =
    'customer' in e && e.type.startsWith('order.') ? e.customer.id : owner.get((e as TicketEvent).ticketId);
  if (!who) continue;
  const weight = e.type === 'agent.replied' && e.bot ? 3 : e.type === 'ticket.opened' ? 2 : 1;
  score.set(who, (score.get(who) ?? 0) + weight);
}
for (const [id, n] of score) if (n > chosen.score) chosen = { id, score: n };
const journey = customerJourney(allEvents, chosen.id, { now: END });
const localTime = (at: number) => new Date(at - 3 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
lines.push('', `## The journey of customer ${chosen.id}`, '');
lines.push(
  `First contact ${journey.facts.firstContactAt === null ? '—' : localTime(journey.facts.firstContactAt)}, ${journey.facts.tickets} tickets (${journey.facts.openTickets} open), ${journey.facts.orders} orders placed, last CSAT ${journey.facts.lastCsat ?? '—'}, segment ${journey.facts.segment ?? '—'}.`,
  '',
  '| When (São Paulo) | What |',
  '| --- | --- |',
);
for (const entry of journey.entries) lines.push(`| ${localTime(entry.at)} | ${entry.summary} |`);
const markdown = `${lines.join('\n')}\n`;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, markdown);

console.log(formatReport(report, 'text'));
console.log('');
console.log('Busiest escalations:');
for (const [reason, entry] of [...escalations].sort((a, b) => b[1].tickets - a[1].tickets).slice(0, 5)) {
  console.log(`  ${String(entry.tickets).padStart(5)}  ${reason}`);
}
console.log('Routing fairness (tickets per agent):');
for (const tier of [1, 2, 3]) {
  const row = agents
    .filter((a) => a.tier === tier)
    .map((a) => `${agentName.get(a.id)} ${perAgent.get(a.id) ?? 0}`)
    .join(', ');
  console.log(`  tier ${tier}: ${row}`);
}
console.log(
  `Self-service: the bot answered ${counts.botAnswered} contacts; ${[...counts.botOutcome].map(([o, n]) => `${n} ${o}`).join('; ')}.`,
);
console.log(`Post-sale check-ins sent: ${counts.checkIns}.`);
console.log(`Journey of ${chosen.id} (${journey.entries.length} moments):`);
for (const entry of journey.entries.slice(0, 12)) console.log(`  ${localTime(entry.at)}  ${entry.summary}`);
if (journey.entries.length > 12) console.log(`  … ${journey.entries.length - 12} more in ${outFile}`);
console.log('Relations:');
for (const line of relations) console.log(`  ${line}`);
console.log(
  `\n${ticketCount.toLocaleString('en-US')} contacts simulated in ${seconds.toFixed(1)} s (seed ${seed}, ${args.store} store). Report written to ${outFile}`,
);
