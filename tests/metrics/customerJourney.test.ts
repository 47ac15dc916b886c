import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { customerJourney } from '../../src/metrics/index.js';
import {
  type OrderEvent,
  parseOrderEvent,
  parseTicketEvent,
  type TicketEvent,
} from '../../src/model/index.js';
import { propertyRuns } from '../support/runs.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');
const t = (e: Record<string, unknown>) => parseTicketEvent(e);

const events: (TicketEvent | OrderEvent)[] = [
  parseOrderEvent({ type: 'order.placed', id: 'o1', orderId: 'O-1', at: T0, customer: { id: 'c7' } }),
  t({
    type: 'ticket.opened',
    id: 'e1',
    ticketId: 'T-1',
    at: T0 + DAY,
    channel: 'email',
    subject: 'Broken mug',
    body: 'b',
    customer: { id: 'c7', segment: 'new' },
  }),
  t({
    type: 'ticket.opened',
    id: 'x1',
    ticketId: 'T-9',
    at: T0 + DAY,
    channel: 'chat',
    subject: 'Other person',
    body: 'b',
    customer: { id: 'c8' },
  }),
  t({
    type: 'agent.replied',
    id: 'e2',
    ticketId: 'T-1',
    at: T0 + DAY + 3_600_000,
    agentId: 'ana',
    body: 'Sorry!',
    status: 'solved',
    meta: { remedy: { kind: 'voucher', amount: 12 } },
  }),
  t({ type: 'survey.answered', id: 'e3', ticketId: 'T-1', at: T0 + 2 * DAY, survey: 'csat', score: 2 }),
  t({
    type: 'ticket.opened',
    id: 'e4',
    ticketId: 'T-2',
    at: T0 + 40 * DAY,
    channel: 'chat',
    subject: 'Again',
    body: 'b',
    customer: { id: 'c7', segment: 'at_risk' },
  }),
  t({
    type: 'ticket.escalated',
    id: 'e5',
    ticketId: 'T-2',
    at: T0 + 40 * DAY + 60_000,
    tier: 2,
    reason: 'complaint',
  }),
  t({
    type: 'ticket.opened',
    id: 'e6',
    ticketId: 'T-3',
    at: T0 + 41 * DAY,
    channel: 'email',
    subject: 'Delay notice',
    body: 'b',
    customer: { id: 'c7', segment: 'at_risk' },
    origin: 'system',
  }),
  t({
    type: 'agent.replied',
    id: 'e2',
    ticketId: 'T-1',
    at: T0 + DAY + 3_600_000,
    agentId: 'ana',
    body: 'Sorry!',
    status: 'solved',
  }),
];

describe('customerJourney', () => {
  it('puts one customer’s contacts, replies, statuses, surveys, remedies, orders and segment changes in time order', () => {
    const journey = customerJourney(events, 'c7', { now: T0 + 45 * DAY });
    expect(journey.entries.map((e) => e.summary)).toEqual([
      'placed O-1',
      'opened T-1 by email: Broken mug',
      'reply from ana',
      'status solved',
      'remedy voucher 12',
      'CSAT 2',
      'segment new → at_risk',
      'opened T-2 by chat: Again',
      'escalated to tier 2: complaint',
      'we contacted them T-3 by email: Delay notice',
    ]);
    expect(journey.entries.map((e) => e.kind)).toEqual([
      'order',
      'contact',
      'reply',
      'status',
      'remedy',
      'survey',
      'segment_change',
      'contact',
      'escalation',
      'outreach',
    ]);
    expect(journey.facts).toEqual({
      firstContactAt: T0 + DAY,
      contactsLast30Days: 1,
      tickets: 3,
      merged: 0,
      children: {},
      openTickets: 2,
      lastCsat: 2,
      remedies: 1,
      remedyAmount: 12,
      orders: 1,
      segment: 'at_risk',
    });
  });

  it('counts a merged ticket once, groups children under their parent and lists relations', () => {
    const base = { at: T0, channel: 'email', subject: 's', body: 'b', customer: { id: 'c9' } } as const;
    const log = [
      { ...base, type: 'ticket.opened', id: 'o1', ticketId: 'A' },
      { ...base, type: 'ticket.opened', id: 'o2', ticketId: 'B', at: T0 + 1 },
      { ...base, type: 'ticket.opened', id: 'o3', ticketId: 'C', at: T0 + 2 },
      { type: 'ticket.merged', id: 'm1', ticketId: 'A', at: T0 + 3, into: 'B' },
      { type: 'ticket.merged_from', id: 'm2', ticketId: 'B', at: T0 + 3, source: 'A', moved: 1 },
      { type: 'ticket.parent_set', id: 'p1', ticketId: 'C', at: T0 + 4, parentId: 'B' },
      { type: 'customer.replied', id: 'r1', ticketId: 'C', at: T0 + 5, body: 'x' },
    ].map((e) => parseTicketEvent(e));
    const journey = customerJourney(log, 'c9');
    expect(journey.facts).toMatchObject({ tickets: 2, merged: 1, children: { B: ['C'] }, openTickets: 2 });
    expect(journey.entries.filter((e) => e.kind === 'relation').map((e) => e.summary)).toEqual([
      'merged A into B',
      'C became a child of B',
    ]);
    expect(journey.entries.at(-1)).toMatchObject({ ticketId: 'C', parentId: 'B' });
  });

  it('is empty for a customer with no events', () => {
    expect(customerJourney(events, 'nobody')).toMatchObject({
      entries: [],
      facts: { tickets: 0, firstContactAt: null },
    });
  });

  // Without the repeated id (whose first delivery wins by design), order does not matter.
  const distinct = events.slice(0, -1);
  test.prop(
    [fc.shuffledSubarray(distinct, { minLength: distinct.length, maxLength: distinct.length })],
    propertyRuns(100),
  )('does not depend on the order distinct events come in', (shuffled) => {
    const a = customerJourney(distinct, 'c7', { now: T0 + 45 * DAY });
    const b = customerJourney(shuffled, 'c7', { now: T0 + 45 * DAY });
    expect(b.facts).toEqual(a.facts);
    expect(b.entries.map((e) => e.at)).toEqual(a.entries.map((e) => e.at));
  });
});

describe('customerJourney, every kind of event', () => {
  it('summarises each event, follows statuses and parents, and counts only valid remedies and placed orders', () => {
    const base = { channel: 'email', body: 'b', customer: { id: 'c5' } } as const;
    const log = [
      { ...base, type: 'ticket.opened', id: 'a0', ticketId: 'A', at: T0, subject: '' },
      {
        type: 'agent.replied',
        id: 'a1',
        ticketId: 'A',
        at: T0 + 1,
        agentId: 'ana',
        body: 'x',
        status: 'pending',
      },
      { type: 'customer.replied', id: 'a2', ticketId: 'A', at: T0 + 2, body: 'y' },
      {
        type: 'agent.replied',
        id: 'a3',
        ticketId: 'A',
        at: T0 + 3,
        agentId: 'ana',
        body: 'note',
        public: false,
        meta: { remedy: { kind: 'refund', amount: 'ten' } },
      },
      {
        type: 'agent.replied',
        id: 'a4',
        ticketId: 'A',
        at: T0 + 4,
        agentId: 'bot',
        body: 'auto',
        bot: true,
        meta: { remedy: { kind: 5 } },
      },
      { type: 'ticket.status_set', id: 'a5', ticketId: 'A', at: T0 + 5, status: 'solved' },
      { type: 'customer.replied', id: 'a6', ticketId: 'A', at: T0 + 6, body: 'z', meta: { remedy: 'none' } },
      { type: 'survey.answered', id: 'a7', ticketId: 'A', at: T0 + 7, survey: 'nps', score: 3 },
      {
        ...base,
        type: 'ticket.opened',
        id: 'b0',
        ticketId: 'B',
        at: T0 + DAY,
        subject: 'S',
        origin: 'agent',
        customer: { id: 'c5', segment: 'vip' },
      },
      { type: 'ticket.closed', id: 'b1', ticketId: 'B', at: T0 + DAY + 1 },
      {
        ...base,
        type: 'ticket.opened',
        id: 'c0',
        ticketId: 'C',
        at: T0 + 2 * DAY,
        subject: 'S',
        parentId: 'B',
      },
      { type: 'ticket.marked_spam', id: 'c1', ticketId: 'C', at: T0 + 2 * DAY + 1 },
      { type: 'ticket.parent_set', id: 'c2', ticketId: 'C', at: T0 + 2 * DAY + 2, parentId: null },
      { type: 'ticket.merged', id: 'c3', ticketId: 'C', at: T0 + 2 * DAY + 3, into: 'A' },
    ].map((e) => parseTicketEvent(e));
    const orders = [
      parseOrderEvent({
        type: 'order.delivered',
        id: 'o1',
        orderId: 'O-1',
        at: T0 + 31 * DAY,
        customer: { id: 'c5' },
      }),
    ];
    // Read with no `now`: the last event's time (the delivery, 31 days on) is now.
    const journey = customerJourney([...log, ...orders], 'c5');
    expect(journey.entries).toEqual([
      { at: T0, kind: 'contact', ticketId: 'A', summary: 'opened A by email' },
      { at: T0 + 1, kind: 'reply', ticketId: 'A', summary: 'reply from ana' },
      { at: T0 + 1, kind: 'status', ticketId: 'A', summary: 'status pending' },
      { at: T0 + 2, kind: 'contact', ticketId: 'A', summary: 'wrote again on A' },
      { at: T0 + 3, kind: 'remedy', ticketId: 'A', summary: 'remedy refund' },
      { at: T0 + 4, kind: 'reply', ticketId: 'A', summary: 'bot reply' },
      { at: T0 + 5, kind: 'status', ticketId: 'A', summary: 'status solved' },
      { at: T0 + 6, kind: 'contact', ticketId: 'A', summary: 'wrote again on A' },
      { at: T0 + 7, kind: 'survey', ticketId: 'A', summary: 'NPS 3' },
      { at: T0 + DAY, kind: 'outreach', ticketId: 'B', summary: 'we contacted them B by email: S' },
      { at: T0 + DAY + 1, kind: 'status', ticketId: 'B', summary: 'status closed' },
      { at: T0 + 2 * DAY, kind: 'contact', ticketId: 'C', parentId: 'B', summary: 'opened C by email: S' },
      { at: T0 + 2 * DAY + 1, kind: 'status', ticketId: 'C', parentId: 'B', summary: 'status closed' },
      { at: T0 + 2 * DAY + 2, kind: 'relation', ticketId: 'C', summary: 'C is no longer a child ticket' },
      { at: T0 + 2 * DAY + 3, kind: 'status', ticketId: 'C', summary: 'status merged' },
      { at: T0 + 31 * DAY, kind: 'order', orderId: 'O-1', summary: 'delivered O-1' },
    ]);
    expect(journey.facts).toEqual({
      firstContactAt: T0,
      contactsLast30Days: 1,
      tickets: 2,
      merged: 1,
      children: {},
      openTickets: 1,
      lastCsat: null,
      remedies: 1,
      remedyAmount: 0,
      orders: 0,
      segment: 'vip',
    });
  });
});

describe('customerJourney, edges', () => {
  const opened = (id: string, at: number) =>
    parseTicketEvent({
      type: 'ticket.opened',
      id,
      ticketId: id,
      at,
      channel: 'email',
      subject: 's',
      body: 'b',
      customer: { id: 'c1' },
    });

  it('counts contacts within the 30 days up to now, both ends included, none after now', () => {
    const now = T0 + 60 * DAY;
    const log = [
      opened('A', now - 30 * DAY - 1),
      opened('B', now - 30 * DAY),
      opened('C', now),
      opened('D', now + 1),
    ];
    expect(customerJourney(log, 'c1', { now }).facts.contactsLast30Days).toBe(2);
    expect(customerJourney(log, 'c1', { now: now + 90 * DAY }).facts.contactsLast30Days).toBe(0);
    // Without `now`, the last event's time (D's): B is then a millisecond too old, and D counts.
    expect(customerJourney(log, 'c1').facts.contactsLast30Days).toBe(2);
    expect(customerJourney(log.slice(0, 3), 'c1').facts.contactsLast30Days).toBe(2);
  });

  it('refuses what is not an array of parsed events, and bad options, naming itself', () => {
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Error & { code?: string; path?: unknown }).message;
      }
      throw new Error('expected a refusal');
    };
    expect(message(() => customerJourney('x' as never, 'c1'))).toBe(
      'customerJourney: expected an array of parsed ticket and order events (parseTicketEvent, parseOrderEvent)',
    );
    const notParsed =
      'customerJourney: [1] is not a parsed event (an object with a type and an epoch-ms at); parse events with parseTicketEvent or parseOrderEvent first';
    for (const bad of [null, 'e', { at: T0 }, { type: 'ticket.opened' }, { type: 'ticket.opened', at: '1' }])
      expect(message(() => customerJourney([opened('A', T0), bad as never], 'c1'))).toBe(notParsed);
    expect(message(() => customerJourney([], 'c1', { now: Number.NaN }))).toMatch(/customerJourney options/);
    expect(message(() => customerJourney([], ''))).toMatch(/customerJourney/);
  });

  describe('its edges (each example kills a mutant the others leave)', () => {
    const at = (n: number) => T0 + n * 60_000;
    const ev = (e: Record<string, unknown>) => parseTicketEvent({ ticketId: 'A', ...e });
    const openedA = ev({
      type: 'ticket.opened',
      id: 'a0',
      at: at(0),
      channel: 'email',
      subject: 's',
      body: 'b',
      customer: { id: 'c1', segment: 'new' },
    });

    it('keeps the given order of events at one instant, and reads a remedy only from an object with a kind', () => {
      const log = [
        openedA,
        ev({ type: 'agent.replied', id: 'a1', at: at(1), agentId: 'ana', body: 'x' }),
        ev({ type: 'agent.replied', id: 'a2', at: at(1), agentId: 'bo', body: 'y' }),
        ev({ type: 'agent.replied', id: 'a3', at: at(1), agentId: 'cy', body: 'z' }),
        ev({ type: 'ticket.tagged', id: 'a4', at: at(2), add: ['x'], meta: { remedy: null } }),
        // Built by hand: a parsed event cannot hold Infinity.
        {
          ...ev({ type: 'ticket.tagged', id: 'a5', at: at(3), add: ['y'] }),
          meta: { remedy: { kind: 'refund', amount: Number.POSITIVE_INFINITY } },
        } as TicketEvent,
      ];
      const journey = customerJourney(log, 'c1');
      expect(journey.entries.map((e) => e.summary)).toEqual([
        'opened A by email: s',
        'reply from ana',
        'reply from bo',
        'reply from cy',
        'remedy refund',
      ]);
      // An amount that is not a finite number counts as none.
      expect(journey.facts).toMatchObject({ remedies: 1, remedyAmount: 0 });
    });

    it('names an order by its kind in words, marks a segment change and a split as such', () => {
      const log = [
        openedA,
        parseOrderEvent({
          type: 'order.shipment_delayed',
          id: 'o1',
          orderId: 'O-1',
          at: at(1),
          customer: { id: 'c1' },
        }),
        ev({
          type: 'ticket.opened',
          id: 'b0',
          ticketId: 'B',
          at: at(2),
          channel: 'email',
          subject: 's',
          body: 'b',
          customer: { id: 'c1', segment: 'vip' },
          splitFrom: { ticketId: 'A', message: { ticketId: 'A', eventId: 'a0' }, writtenAt: at(0) },
        }),
      ];
      const journey = customerJourney(log, 'c1', { now: at(3) });
      expect(journey.entries).toStrictEqual([
        { at: at(0), kind: 'contact', ticketId: 'A', summary: 'opened A by email: s' },
        { at: at(1), kind: 'order', orderId: 'O-1', summary: 'shipment delayed O-1' },
        { at: at(2), kind: 'segment_change', ticketId: 'B', summary: 'segment new → vip' },
        { at: at(2), kind: 'relation', ticketId: 'B', summary: 'split B off A' },
      ]);
      // The split ticket's first message was the customer's contact on A: one contact, not two.
      expect(journey.facts).toMatchObject({ contactsLast30Days: 1, tickets: 2, segment: 'vip' });
    });

    it('keeps a parent while a ticket is moved to another, reopens only a solved or pending ticket, lists children by id', () => {
      const child = (id: string, n: number) =>
        ev({
          type: 'ticket.opened',
          id: `${id}0`,
          ticketId: id,
          at: at(n),
          channel: 'email',
          subject: 's',
          body: 'b',
          customer: { id: 'c1' },
          parentId: 'A',
        });
      const log = [
        openedA,
        child('D', 1),
        child('C', 2),
        ev({ type: 'ticket.parent_set', id: 'd1', ticketId: 'D', at: at(3), parentId: 'C' }),
        ev({ type: 'ticket.closed', id: 'a1', at: at(4) }),
        ev({ type: 'customer.replied', id: 'a2', at: at(5), body: 'thanks' }),
      ];
      const journey = customerJourney(log, 'c1');
      // The entry is written while D is still A's child; then D is C's.
      expect(journey.entries[3]).toStrictEqual({
        at: at(3),
        kind: 'relation',
        ticketId: 'D',
        summary: 'D became a child of C',
        parentId: 'A',
      });
      expect(journey.entries[0]).toStrictEqual({
        at: at(0),
        kind: 'contact',
        ticketId: 'A',
        summary: 'opened A by email: s',
      });
      expect(journey.facts.children).toEqual({ C: ['D'], A: ['C'] });
      // A closed ticket written to again stays closed (the desk opens a follow-up for it).
      expect(journey.facts.openTickets).toBe(2);
      const reparented = customerJourney([openedA, child('E', 1), child('B', 2)], 'c1').facts.children;
      expect(reparented).toEqual({ A: ['B', 'E'] });
    });

    it('refuses with a code and a path, a getter that throws included', () => {
      const refusal = (run: () => unknown) => {
        try {
          run();
        } catch (error) {
          const { code, path, message } = error as Error & { code?: string; path?: unknown };
          return { code, path, message };
        }
        throw new Error('expected a refusal');
      };
      expect(refusal(() => customerJourney('x' as never, 'c1'))).toMatchObject({
        code: 'invalid_events',
        path: [],
      });
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('no reading');
          },
        },
      );
      expect(refusal(() => customerJourney([hostile as never], 'c1'))).toEqual({
        code: 'unreadable_argument',
        path: [],
        message: 'customerJourney: the argument could not be read (no reading); pass plain data',
      });
      expect(refusal(() => customerJourney([], 7 as never))).toMatchObject({ path: ['customerId'] });
    });
  });
});
