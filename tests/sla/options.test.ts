// What the SLA functions accept as a policy, a timeline, an instant and a calendar, and the
// sentence each refusal carries (src/sla/options.ts).
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import { calendarHours, createSlaPolicy, evaluateSla, foldSla } from '../../src/sla/index.js';
import { opened, tick } from './ticketEvents.js';

const policy = createSlaPolicy({
  id: 'p',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
});
const timeline = [opened(0)];

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as {
      code: string;
      path?: unknown;
      message: string;
      issues: { path: unknown; message: string }[];
    };
  }
  throw new Error('the call was accepted');
};

describe('the policy argument', () => {
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
    },
  );
  const idThrows = {
    clocks: {},
    get id() {
      throw new Error('trap');
    },
  };

  it.each([
    ['null', null, 'got null'],
    ['undefined', undefined, 'got undefined'],
    ['a string', 'p', 'got the string "p"'],
    ['an object without clocks', { id: 'p' }, 'got an object'],
    ['an object whose clocks are null', { id: 'p', clocks: null }, 'got an object'],
    ['an object whose clocks are a number', { id: 'p', clocks: 4 }, 'got an object'],
    ['an object without an id', { clocks: {} }, 'got an object'],
    ['an object whose id is a number', { id: 1, clocks: {} }, 'got an object'],
    ['a Proxy that throws', throwing, ''],
    ['an object whose id getter throws', idThrows, ''],
  ])('refuses %s, naming the function and the parameter', (_, value, got) => {
    const error = refusal(() => evaluateSla(value as never, timeline));
    expect(error).toMatchObject({ code: 'invalid_policy', path: ['policy'] });
    expect(error.message).toContain('evaluateSla: policy must be an SLA policy made by createSlaPolicy');
    expect(error.message).toContain(got);
  });
});

describe('the timeline argument', () => {
  it('must be an array', () => {
    expect(refusal(() => evaluateSla(policy, 'events' as never))).toMatchObject({
      code: 'invalid_timeline',
      path: ['timeline'],
      message: `evaluateSla: timeline must be the ticket's events as an array (from parseTicketEvent), got the string "events"`,
    });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'ticket.opened'],
    ['an event whose type is not a string', { type: 1, at: 0 }],
    ['an event whose instant is a string', { type: 'clock.tick', at: '0' }],
    ['an event whose instant is not finite', { type: 'clock.tick', at: Number.NaN }],
    ['an event whose instant is infinite', { type: 'clock.tick', at: Number.POSITIVE_INFINITY }],
    ['an event without an instant', { type: 'clock.tick' }],
    ['a function with a type and an instant', Object.assign(() => undefined, { type: 'clock.tick', at: 2 })],
  ])('refuses %s as an event, with its index', (_, value) => {
    const error = refusal(() => foldSla(policy, [opened(0), tick(1), value] as never, {}));
    expect(error).toMatchObject({ code: 'invalid_timeline', path: ['timeline', 2] });
    expect(error.message).toContain(
      'foldSla: timeline[2] must be a parsed ticket event (parse events with parseTicketEvent first)',
    );
  });
});

describe('the now option', () => {
  it('takes the last Date there is', () => {
    expect(evaluateSla(policy, timeline, { now: new Date(8.64e15) }).clocks.firstReply?.status).toBe(
      'breached',
    );
    expect(evaluateSla(policy, timeline, { now: 8.64e15 }).clocks.firstReply?.status).toBe('breached');
  });

  it('refuses an invalid Date and an instant beyond the range of Date', () => {
    expect(
      refusal(() => evaluateSla(policy, timeline, { now: new Date(Number.NaN) })).issues[0],
    ).toMatchObject({
      path: ['now'],
      message: 'now: expected a valid Date, got an invalid Date',
    });
    expect(refusal(() => evaluateSla(policy, timeline, { now: 8.64e15 + 1 })).issues[0]?.path).toEqual([
      'now',
    ]);
  });
});

const zero = (): number => 0;

describe('the calendars option', () => {
  const weekdays = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']] } });
  const business = createSlaPolicy({
    id: 'b',
    calendar: 'support',
    firstReply: { targets: { normal: { hours: 4 } } },
  });

  it('takes a calendar or a clock measure', () => {
    expect(
      evaluateSla(business, timeline, { calendars: { support: weekdays } }).clocks.firstReply,
    ).toBeDefined();
    expect(
      evaluateSla(business, timeline, { calendars: { support: calendarHours } }).clocks.firstReply,
    ).toBeDefined();
  });

  it.each([
    ['half a calendar (a schedule, no zone)', { schedule: [] }],
    ['half a calendar (a zone, no schedule)', { timeZone: 'UTC' }],
    ['a measure without add', { between: zero }],
    ['a measure without between', { add: zero }],
    ['a measure whose between is not a function', { between: 0, add: zero }],
    ['a measure whose add is not a function', { between: zero, add: 0 }],
  ])('refuses %s, naming the entry', (_, value) => {
    const error = refusal(() => evaluateSla(business, timeline, { calendars: { support: value } as never }));
    expect(error.issues[0]).toMatchObject({
      path: ['calendars', 'support'],
      message:
        'calendars.support: expected a calendar from createCalendar or a { between, add } clock measure',
    });
  });
});
