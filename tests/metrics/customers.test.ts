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
