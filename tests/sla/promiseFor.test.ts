import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';
import { createSlaPolicy, evaluateSla, formatPromise, promiseFor } from '../../src/sla/index.js';
import { propertyRuns } from '../support/runs.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-23T09:10:00Z'); // a Monday
const opened = (at = T0, priority = 'normal') =>
  parseTicketEvent({
    type: 'ticket.opened',
    id: 'e1',
    ticketId: 't1',
    at,
    channel: 'email',
    subject: 's',
    body: 'b',
    customer: { id: 'c1' },
    priority,
  });
const office = createCalendar({
  timeZone: 'UTC',
  week: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']],
  },
});
const policy = createSlaPolicy({
  id: 'p',
  calendar: 'office',
  firstReply: { targets: { normal: { hours: 4 }, urgent: { hours: 1 } } },
  resolution: { targets: { normal: { hours: 16 } } },
});

describe('promiseFor', () => {
  it('promises the SLA due time in business hours, rounded up to the hour', () => {
    const promise = promiseFor(policy, [opened()], { calendars: { office } });
    expect(promise.basis).toBe('sla');
    expect(new Date(promise.dueAt as number).toISOString()).toBe('2026-11-23T13:10:00.000Z');
    expect(new Date(promise.at).toISOString()).toBe('2026-11-23T14:00:00.000Z');
    const late = promiseFor(policy, [opened(Date.parse('2026-11-23T16:30:00Z'))], {
      calendars: { office },
      roundTo: 'half_hour',
    });
    expect(new Date(late.at).toISOString()).toBe('2026-11-24T12:30:00.000Z');
    const resolution = promiseFor(policy, [opened()], {
      calendars: { office },
      clock: 'resolution',
      roundTo: 'none',
    });
    expect(new Date(resolution.at).toISOString()).toBe('2026-11-25T09:10:00.000Z');
  });

  it('waits for the queue when the queue is longer than the target', () => {
    const promise = promiseFor(policy, [opened()], {
      calendars: { office },
      queue: { ahead: 59, agents: 3, msPerTicket: 30 * 60_000 },
    });
    expect(promise.basis).toBe('queue');
    // 60 tickets over 3 agents at 30 min: 10 business hours from Monday 09:10 is Tuesday 11:10.
    expect(new Date(promise.queueAt as number).toISOString()).toBe('2026-11-24T11:10:00.000Z');
    expect(new Date(promise.at).toISOString()).toBe('2026-11-24T12:00:00.000Z');
  });

  it('says so when there is nothing to promise', () => {
    const noTarget = promiseFor(policy, [opened(T0, 'low')], { calendars: { office } });
    expect(noTarget).toMatchObject({ basis: 'none', dueAt: null, at: T0 });
  });

  test.prop(
    [
      fc.integer({ min: 0, max: 14 * 24 * 60 }).map((m) => T0 + m * 60_000),
      fc.constantFrom('normal', 'urgent'),
      fc.option(
        fc.record({
          ahead: fc.integer({ min: 0, max: 200 }),
          agents: fc.integer({ min: 0, max: 10 }),
          msPerTicket: fc.integer({ min: 0, max: 2 * H }),
        }),
        { nil: undefined },
      ),
      fc.constantFrom('hour', 'half_hour', 'none') as fc.Arbitrary<'hour' | 'half_hour' | 'none'>,
      fc.constantFrom('firstReply', 'resolution') as fc.Arbitrary<'firstReply' | 'resolution'>,
    ],
    propertyRuns(100),
  )(
    'a promise is never earlier than the SLA due time evaluateSla computes',
    (at, priority, queue, roundTo, clock) => {
      const timeline: TicketEvent[] = [opened(at, priority)];
      const due = evaluateSla(policy, timeline, { calendars: { office } }).clocks[clock].dueAt;
      const promise = promiseFor(policy, timeline, {
        calendars: { office },
        clock,
        roundTo,
        ...(queue ? { queue } : {}),
      });
      if (due !== null) expect(promise.at).toBeGreaterThanOrEqual(due);
      if (promise.queueAt !== null) expect(promise.at).toBeGreaterThanOrEqual(promise.queueAt);
    },
  );
});

describe('formatPromise', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it('reads as the customer reads it: weekday and time within a week, the date later', () => {
    expect(
      formatPromise(Date.parse('2026-11-23T15:00:00Z'), { locale: 'en', timeZone: 'Europe/Lisbon', now }),
    ).toBe('Monday 15:00');
    expect(
      formatPromise(Date.parse('2026-11-23T15:00:00Z'), {
        locale: 'pt-BR',
        timeZone: 'America/Sao_Paulo',
        now,
      }),
    ).toBe('segunda-feira, 12:00');
    expect(
      formatPromise(Date.parse('2026-12-10T15:00:00Z'), { locale: 'es', timeZone: 'Europe/Madrid', now }),
    ).toBe('10 de diciembre a las 16:00');
  });
});

describe('now as a Date or epoch ms', () => {
  it('promiseFor and formatPromise take either, with the same result', () => {
    const at = T0 + 2 * H;
    expect(promiseFor(policy, [opened()], { calendars: { office }, now: new Date(at) })).toEqual(
      promiseFor(policy, [opened()], { calendars: { office }, now: at }),
    );
    const options = { locale: 'en', timeZone: 'UTC' };
    expect(formatPromise(T0 + 4 * H, { ...options, now: new Date(T0) })).toBe(
      formatPromise(T0 + 4 * H, { ...options, now: T0 }),
    );
    expect(() => promiseFor(policy, [opened()], { now: new Date(Number.NaN) })).toThrow(/now/);
  });
});
