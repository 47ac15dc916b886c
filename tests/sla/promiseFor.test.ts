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

describe('promiseFor: which side decides', () => {
  const noResolution = createSlaPolicy({
    id: 'fr',
    calendar: null,
    firstReply: { targets: { normal: { hours: 4 } } },
  });
  const at = (hours: number) => T0 + hours * H;

  it('is the SLA when the queue would be done exactly at the due time', () => {
    // Due at T0 + 4 h; the queue: 3 ahead + this one over 2 agents at 2 h each is 4 h too.
    const promise = promiseFor(noResolution, [opened()], {
      now: T0,
      queue: { ahead: 3, agents: 2, msPerTicket: 2 * H },
      roundTo: 'none',
    });
    expect(promise).toEqual({ at: at(4), dueAt: at(4), queueAt: at(4), basis: 'sla' });
  });

  it('is the SLA when the queue is shorter, and the queue when it is one millisecond longer', () => {
    const short = promiseFor(noResolution, [opened()], {
      now: T0,
      queue: { ahead: 0, agents: 1, msPerTicket: H },
      roundTo: 'none',
    });
    expect(short).toEqual({ at: at(4), dueAt: at(4), queueAt: at(1), basis: 'sla' });
    const long = promiseFor(noResolution, [opened()], {
      now: T0,
      queue: { ahead: 0, agents: 1, msPerTicket: 4 * H + 1 },
      roundTo: 'none',
    });
    expect(long).toEqual({ at: at(4) + 1, dueAt: at(4), queueAt: at(4) + 1, basis: 'queue' });
  });

  it('is the queue for a clock the policy sets no target for, counted in calendar hours', () => {
    const promise = promiseFor(noResolution, [opened()], {
      clock: 'resolution',
      now: new Date(T0),
      queue: { ahead: 1, agents: 1, msPerTicket: H },
      roundTo: 'half_hour',
    });
    // 09:10 + 2 h of queue = 11:10, rounded up to the half hour.
    expect(promise).toEqual({
      at: Date.parse('2026-11-23T11:30:00Z'),
      dueAt: null,
      queueAt: at(2),
      basis: 'queue',
    });
  });

  it('is the SLA without a queue estimate, before 1970 too (negative epoch ms)', () => {
    const early = Date.parse('1969-12-31T18:00:00Z');
    expect(promiseFor(noResolution, [opened(early)], { roundTo: 'none' })).toEqual({
      at: Date.parse('1969-12-31T22:00:00Z'),
      dueAt: Date.parse('1969-12-31T22:00:00Z'),
      queueAt: null,
      basis: 'sla',
    });
  });

  it('takes now as a Date as it takes epoch ms', () => {
    const options = { queue: { ahead: 9, agents: 1, msPerTicket: H }, roundTo: 'none' as const };
    expect(promiseFor(noResolution, [opened()], { ...options, now: new Date(T0) })).toEqual(
      promiseFor(noResolution, [opened()], { ...options, now: T0 }),
    );
    expect(promiseFor(noResolution, [opened()], { ...options, now: new Date(T0) }).queueAt).toBe(at(10));
  });

  it('names itself when the policy is not a policy', () => {
    expect(() => promiseFor({} as never, [opened()])).toThrow(/^promiseFor: policy must be/);
  });
});

describe('formatPromise: the week boundary and the refusals', () => {
  const now = Date.parse('2026-11-23T10:00:00Z'); // a Monday
  const options = { locale: 'en-GB', timeZone: 'UTC', now };

  it('gives the weekday up to six days ahead and the date from six days on', () => {
    expect(formatPromise(now + 6 * 86_400_000 - 60_000, options)).toBe('Sunday 09:59');
    expect(formatPromise(now + 6 * 86_400_000, options)).toBe('29 November at 10:00');
    // The two forms of one locale and zone are kept apart.
    expect(formatPromise(now + 3_600_000, options)).toBe('Monday 11:00');
  });

  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as { code: string; path: unknown; message: string };
    }
    throw new Error('formatPromise accepted it');
  };

  it.each([
    ['an instant that is not one', () => formatPromise(Number.NaN, options), ['at']],
    ['options that are not an object', () => formatPromise(now, null as never), ['options']],
    [
      'a locale that is not a string',
      () => formatPromise(now, { ...options, locale: 5 as never }),
      ['options', 'locale'],
    ],
    [
      'a time zone that is not a string',
      () => formatPromise(now, { ...options, timeZone: 5 as never }),
      ['options', 'timeZone'],
    ],
    [
      'a now that is not an instant',
      () => formatPromise(now, { ...options, now: 'today' as never }),
      ['options', 'now'],
    ],
  ])('refuses %s, with the path and its own name', (_, run, path) => {
    const error = refusal(run);
    expect(error.path).toEqual(path);
    expect(error.message).toMatch(/^formatPromise: /);
  });

  it.each(['locale', 'timeZone', 'now'])('says so when options.%s cannot be read', (key) => {
    const unreadable = Object.defineProperty({ ...options }, key, {
      get() {
        throw new Error('gone');
      },
    });
    expect(refusal(() => formatPromise(now, unreadable))).toMatchObject({
      code: 'unreadable_input',
      path: ['options', key],
      message: `formatPromise: options.${key} could not be read (gone)`,
    });
  });

  it('says what a locale or a time zone should look like', () => {
    expect(refusal(() => formatPromise(now, { ...options, locale: 5 as never })).message).toContain(
      'a BCP 47 locale such as "en-GB"',
    );
    expect(refusal(() => formatPromise(now, { ...options, timeZone: 5 as never })).message).toContain(
      'an IANA time zone such as "Europe/Paris"',
    );
    expect(refusal(() => formatPromise(now, null as never)).message).toContain(
      'an object { locale, timeZone, now }',
    );
  });

  it('tells a bad locale from a bad time zone', () => {
    expect(refusal(() => formatPromise(now, { ...options, locale: 'not a locale!' }))).toMatchObject({
      code: 'invalid_locale',
      path: ['options', 'locale'],
      message: 'formatPromise: options.locale "not a locale!" is not a BCP 47 locale (such as "en-GB")',
    });
    expect(refusal(() => formatPromise(now, { ...options, timeZone: 'Mars/Olympus' }))).toMatchObject({
      code: 'invalid_time_zone',
      path: ['options', 'timeZone'],
      message:
        'formatPromise: options.timeZone "Mars/Olympus" is not an IANA time zone (such as "Europe/Paris")',
    });
  });
});
