// Custom statuses in the facts (issue 17): the custom status a ticket ends in, SLA clocks paused
// by a custom status as the lifecycle pauses them, and KPIs grouped by custom status.
import { describe, expect, it } from 'vitest';
import { kpiReportBy, ticketFacts } from '../../src/metrics/index.js';
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';
import { createSlaPolicy } from '../../src/sla/index.js';
import { createTicketWorkflow } from '../../src/workflows/index.js';
import { FRI, H, slaPolicy, statuses, support } from '../rules/shop.js';

const DAY = 24 * H;
const log = (ticketId: string, events: Record<string, unknown>[]): TicketEvent[] =>
  [
    {
      type: 'ticket.opened',
      id: `${ticketId}:0`,
      ticketId,
      at: FRI,
      channel: 'email',
      subject: 'Broken mug',
      body: 'It arrived in pieces.',
      customer: { id: 'c1' },
    },
    ...events.map((e, i) => ({ ...e, id: `${ticketId}:${i + 1}`, ticketId })),
  ].map((e) => parseTicketEvent(e));

// Friday 09:00 opened, 10:00 answered and put on hold awaiting the supplier (a custom status
// pausing resolution; the policy pauses resolution only while pending), back open the next
// Thursday 11:00, solved at 13:00: 4 business hours of resolution with the pause, 32 without.
const supplier = log('T-1', [
  { type: 'agent.replied', at: FRI + H, agentId: 'ana', body: 'Asking the supplier.' },
  {
    type: 'ticket.status_set',
    at: FRI + 2 * H,
    status: 'on_hold',
    customStatus: 'awaiting_supplier',
    by: 'ana',
  },
  { type: 'ticket.status_set', at: FRI + 6 * DAY + 2 * H, status: 'open', by: 'ana' },
  { type: 'agent.replied', at: FRI + 6 * DAY + 4 * H, agentId: 'ana', body: 'Replaced.', status: 'solved' },
]);
const plainHold = log('T-2', [
  { type: 'agent.replied', at: FRI + H, agentId: 'ana', body: 'Asking the supplier.' },
  { type: 'ticket.status_set', at: FRI + 2 * H, status: 'on_hold', by: 'ana' },
]);

describe('custom statuses in the facts', () => {
  it('pauses the SLA clocks a custom status pauses, as the lifecycle does', () => {
    const options = { sla: slaPolicy, calendars: { support } };
    expect(ticketFacts(supplier, { ...options, statuses }).sla?.resolution).toBe('met');
    // Without the statuses the facts cannot know the pause: on hold runs the resolution clock.
    expect(ticketFacts(supplier, options).sla?.resolution).toBe('breached');
    const wf = createTicketWorkflow({ sla: slaPolicy, calendars: { support }, statuses });
    const replayed = wf.replay(supplier, { trusted: true });
    const clock = wf.view(replayed.snapshot).sla?.clocks.resolution;
    expect(clock?.status).toBe('fulfilled');
    expect(clock?.breachedAt).toBeNull();
  });

  it('reads a reused options bag as it is now: a policy, calendars or statuses replaced in it apply to the next ticket', () => {
    // The bag's SLA evaluation is made once and kept while the bag holds the same policy,
    // calendars and statuses (a report evaluates every ticket with one bag).
    const bag: { sla: typeof slaPolicy; calendars: Record<string, unknown>; statuses?: typeof statuses } = {
      sla: slaPolicy,
      calendars: { support },
    };
    const facts = () => ticketFacts(supplier, bag as never).sla?.resolution;
    expect(facts()).toBe('breached');
    bag.statuses = statuses;
    expect(facts()).toBe('met');
    delete bag.statuses;
    expect(facts()).toBe('breached');
    bag.calendars = {};
    expect(() => facts()).toThrow(/support/);
    bag.calendars = { support };
    // A policy of 30 days to resolve, in calendar time: met.
    bag.sla = createSlaPolicy({
      id: 'month',
      calendar: null,
      resolution: { targets: { normal: { days: 30 } } },
    });
    expect(facts()).toBe('met');
  });

  it('checks the calendars of an SLA evaluation as evaluateSla does, once a bag', () => {
    const bad = { sla: slaPolicy, calendars: { support: { between: 1 } } };
    expect(() => ticketFacts(supplier, bad as never)).toThrow(
      /calendars\.support.*calendar from createCalendar/s,
    );
    expect(() => ticketFacts(supplier, bad as never)).toThrow(
      /calendars\.support.*calendar from createCalendar/s,
    );
    // A malformed event is still refused, though the bag's evaluation is made.
    const options = { sla: slaPolicy, calendars: { support } };
    ticketFacts(supplier, options);
    const broken = [...supplier, { ...supplier[1], id: 'T-1:x', at: 'late' }] as unknown as TicketEvent[];
    expect(() => ticketFacts(broken, options)).toThrow(/evaluateSla.*timeline/s);
  });

  it('ends a custom status when the status changes, keeps it otherwise', () => {
    expect(ticketFacts(supplier, { statuses }).customStatus).toBeNull();
    const held = log('T-3', [
      {
        type: 'ticket.status_set',
        at: FRI + H,
        status: 'on_hold',
        customStatus: 'awaiting_supplier',
        by: 'ana',
      },
      { type: 'agent.noted', at: FRI + 2 * H, agentId: 'ana', body: 'Supplier called.' },
    ]);
    expect(ticketFacts(held).customStatus).toBe('awaiting_supplier');
    const back = log('T-4', [
      {
        type: 'ticket.status_set',
        at: FRI + H,
        status: 'on_hold',
        customStatus: 'awaiting_supplier',
        by: 'ana',
      },
      { type: 'customer.replied', at: FRI + 2 * H, body: 'Any news?' },
    ]);
    expect(ticketFacts(back).customStatus).toBeNull();
  });

  it('groups KPIs by custom status, a ticket in none under its lifecycle status', () => {
    const held = log('T-5', [
      {
        type: 'ticket.status_set',
        at: FRI + H,
        status: 'on_hold',
        customStatus: 'awaiting_supplier',
        by: 'ana',
      },
    ]);
    const report = kpiReportBy(
      [supplier, plainHold, held].map((l) => ticketFacts(l)),
      'customStatus',
    );
    expect(Object.keys(report.groups)).toEqual(['awaiting_supplier', 'on_hold', 'solved']);
    expect(report.groups.awaiting_supplier?.volume.n).toBe(1);
  });
});
