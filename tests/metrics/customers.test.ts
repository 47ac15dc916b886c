import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type Accumulator,
  type ContactRecord,
  type CustomerState,
  callbackAccumulator,
  callbackRate,
  complaintRate,
  conversionRate,
  fold,
  foldState,
  kpiReport,
  kpiReportAccumulator,
  nextReplyTime,
  type RateResult,
  returningCustomerAccumulator,
  returningCustomerRate,
  returnRate,
  type TicketFacts,
  ticketFacts,
} from '../../src/metrics/index.js';
import { parseOrderEvent, parseTicketEvent } from '../../src/model/index.js';
import { propertyRuns } from '../support/runs.js';

const DAY = 86_400_000;
const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 9);

function fact(
  customerId: string,
  day: number,
  category: string | null,
  extra: Partial<TicketFacts> = {},
): TicketFacts {
  const opened = parseTicketEvent({
    type: 'ticket.opened',
    id: `${customerId}-${day}`,
    ticketId: `T-${customerId}-${day}-${category}`,
    at: T0 + day * DAY,
    channel: 'email',
    subject: 's',
    body: 'b',
    customer: { id: customerId },
    ...(category ? { category } : {}),
  });
  return { ...ticketFacts([opened]), ...extra };
}

describe('next reply time', () => {
  it('measures each customer message after the first reply to the next public reply by a person', () => {
    const events = [
      {
        type: 'ticket.opened',
        id: 'e0',
        ticketId: 'T',
        at: T0,
        channel: 'chat',
        subject: '',
        body: 'hi',
        customer: { id: 'c' },
      },
      { type: 'agent.replied', id: 'e1', ticketId: 'T', at: T0 + H, agentId: 'a', body: 'first' },
      { type: 'customer.replied', id: 'e2', ticketId: 'T', at: T0 + 2 * H, body: 'more' },
      { type: 'customer.replied', id: 'e3', ticketId: 'T', at: T0 + 3 * H, body: 'and more' },
      {
        type: 'agent.replied',
        id: 'e4',
        ticketId: 'T',
        at: T0 + 4 * H,
        agentId: 'a',
        body: 'second',
        public: false,
      },
      { type: 'agent.replied', id: 'e5', ticketId: 'T', at: T0 + 5 * H, agentId: 'a', body: 'answer' },
      { type: 'customer.replied', id: 'e6', ticketId: 'T', at: T0 + 6 * H, body: 'thanks' },
      {
        type: 'agent.replied',
        id: 'e7',
        ticketId: 'T',
        at: T0 + 6.5 * H,
        agentId: 'bot',
        body: 'auto',
        bot: true,
      },
      { type: 'agent.replied', id: 'e8', ticketId: 'T', at: T0 + 7 * H, agentId: 'a', body: 'welcome' },
    ].map((e) => parseTicketEvent(e));
    const facts = ticketFacts(events);
    expect(facts.nextReplyWaitsMs).toEqual([3 * H, H]);
    const result = nextReplyTime([facts]);
    expect(result).toMatchObject({ value: 2 * H, n: 2 });
    expect(result.definition).toMatch(/^next reply time/);
    expect(nextReplyTime([]).value).toBeNull();
  });
});

describe('category rates', () => {
  const facts = [
    fact('a', 0, 'complaint'),
    fact('b', 0, 'return'),
    fact('c', 0, 'return'),
    fact('d', 0, null),
  ];
  it('complaint and return contact rates name their category', () => {
    expect(complaintRate(facts)).toMatchObject({ value: 25, n: 4, hits: 1 });
    expect(returnRate(facts)).toMatchObject({ value: 50, n: 4, hits: 2 });
    expect(returnRate(facts, 'exchange').definition).toMatch(/category exchange/);
  });
});

describe('callback rate (repeat contacts)', () => {
  it('counts tickets followed by another ticket of the same customer about the same thing within the window', () => {
    const facts = [
      fact('ana', 0, 'shipping'),
      fact('ana', 2, 'shipping'), // a callback of day 0
      fact('ana', 20, 'shipping'), // too late for day 2
      fact('ben', 0, 'refund'),
      fact('ben', 1, 'shipping'), // another matter
      fact('cid', 0, 'defect', { excluded: 'spam' }),
      fact('dan', 0, 'defect', { origin: 'agent' }),
    ];
    const result = callbackRate(facts);
    expect(result).toMatchObject({ value: 20, n: 5, hits: 1 });
    expect(result.definition).toMatch(/within 7 days/);
    expect(callbackRate(facts, { withinMs: 30 * DAY }).hits).toBe(2);
    expect(callbackRate(facts, { sameAs: () => true }).hits).toBe(2);
    expect(callbackRate([]).value).toBeNull();
  });

  const arbFacts = fc
    .array(
      fc.record({
        customer: fc.constantFrom('a', 'b', 'c', 'd'),
        day: fc.integer({ min: 0, max: 30 }),
        category: fc.constantFrom('shipping', 'refund', null),
      }),
      { maxLength: 25 },
    )
    .map((list) => list.map((x) => fact(x.customer, x.day, x.category)));

  test.prop([arbFacts, fc.integer({ min: 0, max: 25 })], propertyRuns(100))(
    'merging the states of any split gives the same result as one pass, in either order',
    (facts, cut) => {
      const laws = <S>(acc: Accumulator<TicketFacts, S, RateResult>) => {
        const whole = acc.result(foldState(acc, facts));
        const left = foldState(acc, facts.slice(0, cut));
        const right = foldState(acc, facts.slice(cut));
        expect(acc.result(acc.merge(left, right))).toEqual(whole);
        expect(acc.result(acc.merge(right, left))).toEqual(whole);
        expect(acc.result(acc.merge(acc.empty(), left))).toEqual(acc.result(left));
      };
      laws(callbackAccumulator());
      laws(returningCustomerAccumulator());
    },
  );

  test.prop([arbFacts], propertyRuns(100))('equals a slow reference that compares every pair', (facts) => {
    let hits = 0;
    for (const t of facts) {
      if (
        facts.some(
          (u) =>
            u.customerId === t.customerId &&
            u.createdAt > t.createdAt &&
            u.createdAt - t.createdAt <= 7 * DAY &&
            u.category === t.category,
        )
      )
        hits++;
    }
    const result = callbackRate(facts);
    expect(result.hits).toBe(hits);
    expect(result.n).toBe(facts.length);
    expect(fold(callbackAccumulator(), facts)).toEqual(result);
    expect(fold(returningCustomerAccumulator(), facts)).toEqual(returningCustomerRate(facts));
  });
});

describe('returning customers and conversion', () => {
  it('returning-customer rate: customers with more than one ticket, of customers with any', () => {
    const facts = [fact('a', 0, null), fact('a', 3, null), fact('b', 0, null), fact('c', 1, null)];
    expect(returningCustomerRate(facts)).toMatchObject({ value: (100 * 1) / 3, n: 3, hits: 1 });
    expect(fold(returningCustomerAccumulator(), []).value).toBeNull();
  });

  it('conversion rate: pre-sales conversations followed by an order of the same customer within the window', () => {
    const facts = [
      fact('a', 0, 'pre_sales'),
      fact('b', 0, 'pre_sales'),
      fact('c', 0, 'pre_sales'),
      fact('d', 0, 'refund'),
    ];
    const order = (customer: string, day: number, type = 'order.placed') =>
      parseOrderEvent({
        type,
        id: `o-${customer}-${day}`,
        orderId: `O-${customer}`,
        at: T0 + day * DAY,
        customer: { id: customer },
      });
    const orders = [order('a', 1), order('b', 10), order('c', -1), order('d', 1)];
    expect(conversionRate(facts, orders)).toMatchObject({ value: 100 / 3, n: 3, hits: 1 });
    expect(conversionRate(facts, orders, { withinMs: 14 * DAY }).hits).toBe(2);
    expect(conversionRate(facts, [order('a', 1, 'order.delivered')]).hits).toBe(0);
    expect(conversionRate(facts, orders, { category: 'none' }).value).toBeNull();
  });

  it('the KPI report includes next reply time, callbacks and returning customers', () => {
    const report = kpiReport([fact('a', 0, 'shipping'), fact('a', 1, 'shipping')]);
    expect(report.callbackRate.hits).toBe(1);
    expect(report.returningCustomerRate.value).toBe(100);
    expect(report.nextReplyTime.n).toBe(0);
  });
});

describe('the KPI report as one accumulator', () => {
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
  const arbTickets = fc
    .array(
      fc.record({
        customer: fc.constantFrom('a', 'b', 'c'),
        day: fc.integer({ min: 0, max: 20 }),
        category: fc.constantFrom('shipping', 'refund', null),
        replyH: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
        solveH: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
        reopens: fc.integer({ min: 0, max: 2 }),
        replies: fc.integer({ min: 0, max: 3 }),
        excluded: fc.constantFrom(null, null, null, 'spam' as const),
        csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        sla: fc.constantFrom('met' as const, 'breached' as const, 'open' as const),
        waits: fc.array(fc.integer({ min: 0, max: 10 * H }), { maxLength: 2 }),
      }),
      { maxLength: 30 },
    )
    .map((list) =>
      list.map((x, i) => {
        const base = fact(x.customer, x.day, x.category);
        const firstReplyAt = x.replyH === null ? null : base.createdAt + x.replyH * H;
        const solvedAt = x.solveH === null ? null : base.createdAt + x.solveH * H;
        return {
          ...base,
          ticketId: `T${i}`,
          firstReplyAt,
          firstSolvedAt: solvedAt,
          solvedAt,
          reopens: x.reopens,
          agentReplies: x.replies,
          excluded: x.excluded,
          handleTimeMs: x.replies * 60_000,
          surveys: x.csat === null ? [] : [{ survey: 'csat' as const, score: x.csat, at: base.createdAt }],
          sla: { firstReply: x.sla },
          nextReplyWaitsMs: x.waits,
        };
      }),
    );

  test.prop([arbTickets, fc.integer({ min: 0, max: 30 })], propertyRuns(100))(
    'folding, or merging the folds of any split, gives exactly kpiReport',
    (facts, cut) => {
      const acc = kpiReportAccumulator({
        volume: { bucket: 'day', timeZone: 'Asia/Kolkata', groupBy: 'category' },
      });
      const expected = plain(
        kpiReport(facts, { volume: { bucket: 'day', timeZone: 'Asia/Kolkata', groupBy: 'category' } }),
      );
      expect(plain(fold(acc, facts))).toEqual(expected);
      const merged = acc.merge(foldState(acc, facts.slice(0, cut)), foldState(acc, facts.slice(cut)));
      expect(plain(acc.result(merged))).toEqual(expected);
      expect(plain(acc.result(JSON.parse(JSON.stringify(merged))))).toEqual(expected);
    },
  );
});

describe('the customer summary behind callbacks and returning customers', () => {
  const arbContacts = fc
    .array(
      fc.record({
        customer: fc.constantFrom('a', 'b', 'c', 'd'),
        hour: fc.integer({ min: 0, max: 20 * 24 }),
        category: fc.constantFrom('shipping', 'refund', null),
        channel: fc.constantFrom('email', 'chat'),
        excluded: fc.constantFrom(null, null, null, 'spam' as const),
      }),
      { maxLength: 30 },
    )
    .map((list) =>
      list.map((x, i) => ({
        ...fact(x.customer, 0, x.category),
        ticketId: `T${i}`,
        createdAt: T0 + x.hour * H,
        channel: x.channel,
        excluded: x.excluded,
      })),
    );
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
  const json = <S>(state: S): S => JSON.parse(JSON.stringify(state));
  const withinMs = 2 * DAY;

  test.prop([arbContacts], propertyRuns(100))(
    'settling at every watermark of a stream in time order changes no number, and forgets what it may',
    (facts) => {
      const inOrder = [...facts].sort((x, y) => x.createdAt - y.createdAt);
      const report = kpiReportAccumulator({ callback: { withinMs } });
      const callbacks = callbackAccumulator({ withinMs });
      let r = report.empty();
      let c = callbacks.empty();
      for (const f of inOrder) {
        r = report.add(report.settle(r, f.createdAt), f);
        c = callbacks.add(callbacks.settle(c, f.createdAt), f);
      }
      const expected = kpiReport(facts, { callback: { withinMs } });
      expect(plain(report.result(r))).toEqual(plain(expected));
      expect(callbacks.result(c)).toEqual(expected.callbackRate);
      // Past the window of the last contact nothing can change: the callback summary forgets
      // every customer; the report keeps one ticket count per customer (returning customers).
      const end = (inOrder.at(-1)?.createdAt ?? T0) + withinMs + 1;
      expect(Object.keys(callbacks.settle(c, end).customers)).toEqual([]);
      const kept = (report.settle(r, end).parts as { callback: CustomerState }).callback.customers;
      const customers = new Set(
        facts.filter((f) => f.excluded === null && f.origin === 'customer').map((f) => f.customerId),
      );
      expect(Object.keys(kept).sort()).toEqual([...customers].sort());
      for (const id of customers)
        expect(kept[id]).toEqual([
          facts.filter((f) => f.customerId === id && f.excluded === null && f.origin === 'customer').length,
        ]);
      expect(plain(report.result(r))).toEqual(plain(expected));
    },
  );

  test.prop([arbContacts, fc.integer({ min: 0, max: 30 })], propertyRuns(100))(
    'with a sameness rule of your own, any split merged after a JSON round trip equals callbackRate',
    (facts, cut) => {
      // Not symmetric: a chat is followed by anything, another contact only by the same category.
      const sameAs = (first: ContactRecord, next: ContactRecord) =>
        first.channel === 'chat' || first.category === next.category;
      const acc = callbackAccumulator({ withinMs, sameAs });
      const expected = callbackRate(facts, { withinMs, sameAs });
      expect(fold(acc, facts)).toEqual(expected);
      const left = json(foldState(acc, facts.slice(0, cut)));
      const right = json(foldState(acc, facts.slice(cut)));
      expect(acc.result(acc.merge(left, right))).toEqual(expected);
      expect(acc.result(acc.merge(right, left))).toEqual(expected);
      const report = kpiReportAccumulator({ callback: { withinMs, sameAs } });
      const merged = report.merge(
        json(foldState(report, facts.slice(0, cut))),
        json(foldState(report, facts.slice(cut))),
      );
      expect(report.result(merged).callbackRate).toEqual(expected);
      expect(report.result(merged).returningCustomerRate).toEqual(returningCustomerRate(facts));
    },
  );
});

describe('customer KPIs, example by example', () => {
  const at = (customerId: string, ms: number, category: string | null = 'shipping') =>
    fact(customerId, 0, category, { createdAt: T0 + ms, ticketId: `T-${customerId}-${ms}-${category}` });

  it('a chain of three contacts holds two callbacks, each counted once', () => {
    const facts = [fact('ana', 0, 'shipping'), fact('ana', 1, 'shipping'), fact('ana', 2, 'shipping')];
    const all = [...facts, fact('ben', 0, 'shipping')];
    expect(callbackRate(all)).toMatchObject({ value: 50, n: 4, hits: 2 });
    expect(fold(callbackAccumulator(), all)).toEqual(callbackRate(all));
    expect(fold(callbackAccumulator(), [...all].reverse())).toEqual(callbackRate(all));
  });

  it('a contact exactly at the end of the window is a callback; a millisecond later it is not', () => {
    for (const facts of [
      [at('a', 0), at('a', 7 * DAY)],
      [at('a', 7 * DAY), at('a', 0)],
    ]) {
      expect(callbackRate(facts).hits).toBe(1);
      expect(fold(callbackAccumulator(), facts).hits).toBe(1);
    }
    const late = [at('a', 0), at('a', 7 * DAY + 1)];
    expect(callbackRate(late).hits).toBe(0);
    expect(fold(callbackAccumulator(), late).hits).toBe(0);
  });

  it('says why there is no value', () => {
    expect(callbackRate([]).reason).toBe('no customer tickets to count');
    expect(fold(callbackAccumulator(), []).reason).toBe('no customer tickets to count');
    expect(returningCustomerRate([]).reason).toBe('no customers to count');
    expect(conversionRate([], []).reason).toBe('no pre_sales conversations to count');
  });

  it('a summary keeps its contacts sorted by creation, a contact after those of its instant', () => {
    const state = foldState(callbackAccumulator(), [
      at('c', 0, 'a'),
      at('c', 3000, 'c'),
      at('c', 1, 'b'),
      at('c', 0, 'd'),
    ]);
    expect(state.customers.c).toEqual([
      4,
      ...[T0, 'a', 'email', 0],
      ...[T0, 'd', 'email', 0],
      ...[T0 + 1, 'b', 'email', 0],
      ...[T0 + 3000, 'c', 'email', 0],
    ]);
  });

  it('the returning-customer accumulator keeps a ticket count per customer, no contacts', () => {
    const state = foldState(returningCustomerAccumulator(), [at('a', 0), at('a', DAY), at('b', 0)]);
    expect(state.customers).toEqual({ a: [2], b: [1] });
    expect(state.totals).toEqual({ contacts: 3, followed: 0, customers: 2, returning: 1 });
  });

  it('a merged state holds both sides’ contacts in order (the left one first on equal instants), marks and counts', () => {
    const acc = callbackAccumulator();
    const left = foldState(acc, [at('a', 0), at('a', 2 * DAY), at('c', 0), at('d', 0), at('e', 5 * DAY)]);
    const right = foldState(acc, [
      at('a', DAY),
      at('a', 1.5 * DAY),
      at('a', 2 * DAY, 'refund'),
      at('b', 0),
      at('c', DAY),
      at('d', 30 * DAY),
      at('e', DAY),
    ]);
    const merged = acc.merge(left, right);
    expect(merged.customers).toEqual({
      a: [
        5,
        ...[T0, 'shipping', 'email', 1],
        ...[T0 + DAY, 'shipping', 'email', 1],
        ...[T0 + 1.5 * DAY, 'shipping', 'email', 1],
        ...[T0 + 2 * DAY, 'shipping', 'email', 0],
        ...[T0 + 2 * DAY, 'refund', 'email', 0],
      ],
      b: [1, T0, 'shipping', 'email', 0],
      c: [2, ...[T0, 'shipping', 'email', 1], ...[T0 + DAY, 'shipping', 'email', 0]],
      d: [2, ...[T0, 'shipping', 'email', 0], ...[T0 + 30 * DAY, 'shipping', 'email', 0]],
      e: [2, ...[T0 + DAY, 'shipping', 'email', 1], ...[T0 + 5 * DAY, 'shipping', 'email', 0]],
    });
    expect(merged.totals).toEqual({ contacts: 12, followed: 5, customers: 5, returning: 4 });
    expect(acc.merge(right, left).customers.a?.slice(-8)).toEqual([
      ...[T0 + 2 * DAY, 'refund', 'email', 0],
      ...[T0 + 2 * DAY, 'shipping', 'email', 0],
    ]);
    // The merged state goes on: a contact a day later follows a's last shipping contact.
    const next = acc.add(merged, at('a', 3 * DAY));
    expect(acc.result(next)).toMatchObject({ n: 13, hits: 6 });
  });

  it('settling forgets contacts older than the window before the watermark, and customers left with none', () => {
    const acc = callbackAccumulator();
    const facts = [at('a', 0), at('a', DAY), at('b', 0)];
    const settled = acc.settle(foldState(acc, facts), 7 * DAY + 1 + T0);
    expect(settled.customers).toEqual({ a: [2, T0 + DAY, 'shipping', 'email', 0] });
    expect(settled.totals).toEqual({ contacts: 3, followed: 1, customers: 1, returning: 1 });
    const empty = acc.settle(foldState(acc, facts), T0 + 8 * DAY + 1);
    expect(empty.customers).toEqual({});
    expect(empty.totals).toEqual({ contacts: 3, followed: 1, customers: 0, returning: 0 });
    // A contact exactly a window old may still gain a callback: it is kept.
    const kept = acc.settle(foldState(acc, [at('b', 0)]), T0 + 7 * DAY);
    expect(acc.result(acc.add(kept, at('b', 7 * DAY)))).toMatchObject({ n: 2, hits: 1 });
  });

  it('returning customers leave out tickets opened by an agent', () => {
    const facts = [at('a', 0), fact('a', 1, null, { origin: 'agent' }), at('b', 0)];
    expect(returningCustomerRate(facts)).toMatchObject({ n: 2, hits: 0 });
    const twice = [at('a', 0), at('a', DAY), at('b', 0), at('b', DAY), at('c', 0)];
    expect(returningCustomerRate(twice)).toMatchObject({ value: (100 * 2) / 3, hits: 2 });
    expect(fold(returningCustomerAccumulator(), twice)).toEqual(returningCustomerRate(twice));
  });

  it('conversion: an order at the conversation’s instant or exactly at the window’s end counts', () => {
    const order = (customer: string, ms: number) =>
      parseOrderEvent({
        type: 'order.placed',
        id: `o-${customer}-${ms}`,
        orderId: `O-${customer}-${ms}`,
        at: T0 + ms,
        customer: { id: customer },
      });
    const facts = [
      at('a', 0, 'pre_sales'),
      at('b', 0, 'pre_sales'),
      at('c', 0, 'pre_sales'),
      at('d', 0, 'pre_sales'),
      at('e', 0, 'pre_sales'),
      fact('s', 0, 'pre_sales', { excluded: 'spam' }),
    ];
    const orders = [
      order('a', 0),
      order('b', 7 * DAY),
      order('c', 7 * DAY + 1),
      order('d', DAY),
      order('d', 30 * DAY),
      order('s', 0),
    ];
    expect(conversionRate(facts, orders)).toMatchObject({ n: 5, hits: 3, value: 60 });
    expect(conversionRate(facts, orders, { withinMs: 36 * H }).definition).toBe(
      'conversion rate: pre_sales conversations followed by an order of the same customer within 1.5 days',
    );
  });

  it('refusals name the function', () => {
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(message(() => callbackAccumulator({ withinMs: -1 }))).toMatch(/callbackAccumulator options/);
    const acc = callbackAccumulator();
    expect(message(() => acc.add(acc.empty(), {} as never))).toMatch(/^callbackAccumulator\.add/);
    expect(message(() => callbackRate([], { withinMs: -1 }))).toMatch(/callbackRate options/);
    expect(message(() => callbackRate('x' as never))).toMatch(/^callbackRate: /);
    const returning = returningCustomerAccumulator();
    expect(message(() => returning.add(returning.empty(), {} as never))).toMatch(
      /^returningCustomerAccumulator\.add/,
    );
    expect(message(() => returningCustomerRate('x' as never))).toMatch(/^returningCustomerRate: /);
    expect(message(() => conversionRate([], [], { category: '' }))).toMatch(/conversionRate options/);
    expect(message(() => conversionRate('x' as never, []))).toMatch(/^conversionRate: /);
  });
});
