// evaluateSla and foldSla with a desk's custom statuses (the `statuses` option), and the errors
// both give for a timeline or options they cannot read.
import { describe, expect, it } from 'vitest';
import { defineStatuses, type TicketEvent } from '../../src/model/index.js';
import { createSlaPolicy, evaluateSla, foldSla, readSla } from '../../src/sla/index.js';
import { agentReplied, customerReplied, opened, statusSet, tick, utc } from './ticketEvents.js';

const H = 3_600_000;

const policy = createSlaPolicy({
  id: 'standard',
  calendar: null,
  resolution: { targets: { normal: { hours: 48 } }, pauseIn: ['pending', 'on_hold'] },
});

const statuses = defineStatuses([
  // Open to the lifecycle, but the resolution clock waits for finance.
  {
    id: 'escalated_to_finance',
    label: 'Escalated to finance',
    category: 'open',
    pauses: { resolution: true },
  },
  // On hold to the lifecycle, and the resolution clock keeps running: the supplier is ours.
  { id: 'awaiting_supplier', label: 'Awaiting supplier', category: 'on_hold', pauses: { resolution: false } },
  // Pending, with no override: the policy's pause applies.
  { id: 'awaiting_customer', label: 'Awaiting customer', category: 'pending' },
]);

const withCustom = (event: TicketEvent, customStatus: string): TicketEvent =>
  ({ ...event, customStatus }) as TicketEvent;

const resolutionElapsed = (timeline: TicketEvent[], now: string, withStatuses = true) =>
  evaluateSla(policy, timeline, { now: utc(now), ...(withStatuses ? { statuses } : {}) }).clocks.resolution
    ?.elapsedMs;

describe('custom statuses in the SLA clocks', () => {
  it('pause a clock the category keeps running, from a ticket.status_set', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'open'), 'escalated_to_finance'),
    ];
    expect(resolutionElapsed(timeline, '2025-03-10T14:00')).toBe(1 * H);
    // Without the statuses the category's rule applies: open runs.
    expect(resolutionElapsed(timeline, '2025-03-10T14:00', false)).toBe(5 * H);
  });

  it('keep a clock running that the category pauses, from an agent reply that sets the status', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(agentReplied(utc('2025-03-10T10:00'), { status: 'on_hold' }), 'awaiting_supplier'),
    ];
    expect(resolutionElapsed(timeline, '2025-03-10T14:00')).toBe(5 * H);
    expect(resolutionElapsed(timeline, '2025-03-10T14:00', false)).toBe(1 * H);
  });

  it('leave the policy in charge of a clock the status does not name', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'pending'), 'awaiting_customer'),
    ];
    expect(resolutionElapsed(timeline, '2025-03-10T14:00')).toBe(1 * H);
  });

  it('last through events that do not change the status, such as a reply without a status or a tick', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'open'), 'escalated_to_finance'),
      agentReplied(utc('2025-03-10T11:00')),
      customerReplied(utc('2025-03-10T12:00')),
      tick(utc('2025-03-10T13:00')),
      // A side conversation's status is not the ticket's.
      {
        type: 'side.status_set',
        id: 'side-1',
        ticketId: 't1',
        at: utc('2025-03-10T13:30'),
        sideId: 'supplier',
        status: 'closed',
      } as TicketEvent,
    ];
    expect(resolutionElapsed(timeline, '2025-03-10T14:00')).toBe(1 * H);
  });

  it('end when the status changes another way: a customer reply reopens an on-hold ticket', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'on_hold'), 'awaiting_supplier'),
      // on_hold → open: the custom status is gone and open's rule (running) applies.
      customerReplied(utc('2025-03-10T12:00')),
      // Back on hold without a custom status: the policy pauses resolution again.
      statusSet(utc('2025-03-10T13:00'), 'on_hold'),
    ];
    // 09–10 open, 10–12 awaiting supplier (running), 12–13 open, 13–14 on hold (paused).
    expect(resolutionElapsed(timeline, '2025-03-10T14:00')).toBe(4 * H);
  });

  it('end when a customer reply reopens the ticket, so a pause it held is over', () => {
    // Here on hold runs the resolution clock; the custom status parks it.
    const onHoldRuns = createSlaPolicy({
      id: 'on-hold-runs',
      calendar: null,
      resolution: { targets: { normal: { hours: 48 } }, pauseIn: ['pending'] },
    });
    const parked = defineStatuses([
      { id: 'parked', label: 'Parked', category: 'on_hold', pauses: { resolution: true } },
    ]);
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'on_hold'), 'parked'),
      customerReplied(utc('2025-03-10T12:00')),
    ];
    const report = evaluateSla(onHoldRuns, timeline, { now: utc('2025-03-10T14:00'), statuses: parked });
    // 09–10 open (running), 10–12 parked (paused), 12–14 open again (running).
    expect(report.clocks.resolution?.elapsedMs).toBe(3 * H);
  });

  it('end when a status is set without a custom status', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'open'), 'escalated_to_finance'),
      statusSet(utc('2025-03-10T12:00'), 'open'),
    ];
    expect(resolutionElapsed(timeline, '2025-03-10T14:00')).toBe(3 * H);
  });

  it('override nothing when the set does not define the status', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'open'), 'not_in_the_set'),
    ];
    expect(resolutionElapsed(timeline, '2025-03-10T14:00')).toBe(5 * H);
  });

  it('are read by foldSla as by evaluateSla, and foldSla takes no options object at all', () => {
    const timeline = [
      opened(utc('2025-03-10T09:00')),
      withCustom(statusSet(utc('2025-03-10T10:00'), 'open'), 'escalated_to_finance'),
      tick(utc('2025-03-10T14:00')),
    ];
    const elapsed = (state: ReturnType<typeof foldSla>) =>
      readSla(state, { policy }, { now: utc('2025-03-10T14:00') }).clocks.resolution?.elapsedMs;
    expect(elapsed(foldSla(policy, timeline, { statuses }))).toBe(1 * H);
    // A JavaScript caller that leaves the options out gets the policy's rules.
    expect(elapsed(foldSla(policy, timeline, undefined as never))).toBe(5 * H);
  });
});

describe('errors of evaluateSla and foldSla', () => {
  const timeline = [opened(utc('2025-03-10T09:00'))];

  it('name the function whose policy is not a policy', () => {
    expect(() => foldSla({} as never, timeline, {})).toThrow(/foldSla/);
    expect(() => evaluateSla({} as never, timeline)).toThrow(/evaluateSla/);
  });

  it('name the function whose timeline is not an array', () => {
    expect(() => foldSla(policy, 'events' as never, {})).toThrow(/foldSla/);
  });

  it('say what a timeline starts with when it does not start with ticket.opened', () => {
    const error = (events: TicketEvent[]) => {
      try {
        foldSla(policy, events, {});
      } catch (caught) {
        return caught as { code: string; message: string };
      }
      throw new Error('foldSla accepted the timeline');
    };
    expect(error([agentReplied(utc('2025-03-10T10:00'))])).toMatchObject({
      code: 'timeline_without_opening',
      message: 'An SLA timeline must start with a ticket.opened event; it starts with agent.replied',
    });
    expect(error([])).toMatchObject({
      code: 'timeline_without_opening',
      message: 'An SLA timeline must start with a ticket.opened event; it starts with nothing',
    });
  });

  it('refuse statuses that do not come from defineStatuses, naming the options', () => {
    expect(() => evaluateSla(policy, timeline, { statuses: {} as never })).toThrow(/evaluateSla options/);
    expect(() => evaluateSla(policy, timeline, { statuses: { byId: 1 } as never })).toThrow(/statuses/);
  });
});
