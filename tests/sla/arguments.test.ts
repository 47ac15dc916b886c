// Bad arguments to the SLA engine's functions: each is refused with a carekit error that has a
// code, a path starting at the parameter and a sentence — never a TypeError from deep inside.
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import { CarekitArgumentError } from '../../src/model/index.js';
import {
  businessHours,
  createSlaPolicy,
  formatPromise,
  initialSlaState,
  nextTicketStatus,
  readSla,
  resolveClockMeasure,
  selectSlaPolicy,
  slaPolicyApplies,
  stepSla,
} from '../../src/sla/index.js';
import { cpuTime } from '../support/cpuTime.js';
import { customerReplied, opened } from './ticketEvents.js';

const policy = createSlaPolicy({
  id: 'p',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
});
const ctx = { policy };
const state = initialSlaState(opened(0), ctx);
const proxy = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
    getPrototypeOf() {
      throw new Error('trap');
    },
    getOwnPropertyDescriptor() {
      throw new Error('trap');
    },
  },
);

function refusal(call: () => unknown): CarekitArgumentError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitArgumentError);
    return error as CarekitArgumentError;
  }
  throw new Error('expected a refusal');
}

describe('SLA functions refuse bad arguments clearly', () => {
  it('name the parameter and what was expected', () => {
    const e = refusal(() => stepSla('x' as never, customerReplied(1), ctx));
    expect(e.code).toBe('invalid_sla_state');
    expect(e.path).toEqual(['state']);
    expect(e.message).toBe(
      'stepSla: state must be an SLA state from initialSlaState or stepSla, got the string "x"',
    );
    expect(
      refusal(() => stepSla(state, { type: 'customer.replied', at: Number.NaN } as never, ctx)).path,
    ).toEqual(['event']);
    expect(refusal(() => stepSla(state, customerReplied(1), ctx, 'Open' as never)).code).toBe(
      'invalid_value',
    );
    expect(refusal(() => readSla(state, Number.NaN, ctx)).code).toBe('invalid_instant');
    expect(refusal(() => readSla(state, 1, { policy: {} } as never)).path).toEqual(['ctx', 'policy']);
    expect(refusal(() => initialSlaState(customerReplied(1) as never, ctx)).path).toEqual(['opened', 'type']);
  });

  it('nextTicketStatus: NaN is not a status (it used to come back as the answer)', () => {
    expect(refusal(() => nextTicketStatus(Number.NaN as never, Number.NaN as never)).code).toBe(
      'invalid_status',
    );
    expect(refusal(() => nextTicketStatus('open', null as never)).code).toBe('invalid_event');
    expect(nextTicketStatus('pending', customerReplied(1))).toBe('open');
  });

  it('resolveClockMeasure refuses a string or an array of calendars before reading a key', () => {
    const { ms, result: e } = cpuTime(() =>
      refusal(() => resolveClockMeasure('x'.repeat(10), 'x'.repeat(10_000_000) as never)),
    );
    expect(ms).toBeLessThan(100);
    expect(e.message).toBe(
      'resolveClockMeasure: calendars must be an object of calendars by name, got a string of 10000000 characters',
    );
    expect(refusal(() => resolveClockMeasure('x', [1, 2] as never)).code).toBe('invalid_type');
    expect(refusal(() => resolveClockMeasure('x', proxy as never)).code).toBe('unreadable_input');
    expect(refusal(() => resolveClockMeasure('x', { x: 5 } as never)).code).toBe('invalid_calendar');
  });

  it('Proxies and getters that throw are unreadable input, not their own error', () => {
    expect(refusal(() => slaPolicyApplies(policy, proxy as never)).code).toBe('unreadable_input');
    expect(refusal(() => selectSlaPolicy([policy, proxy as never], {})).path).toEqual(['policies', 1]);
    expect(refusal(() => businessHours(proxy as never)).code).toBe('unreadable_input');
    expect(refusal(() => formatPromise(0, proxy as never)).code).toBe('unreadable_input');
  });

  it('formatPromise says which of locale and time zone is wrong', () => {
    expect(refusal(() => formatPromise(0, { locale: 'en', timeZone: 'Mars/Base', now: 0 })).code).toBe(
      'invalid_time_zone',
    );
    expect(refusal(() => formatPromise(0, { locale: '!!', timeZone: 'UTC', now: 0 })).code).toBe(
      'invalid_locale',
    );
  });

  it('businessHours needs a calendar from createCalendar', () => {
    const e = refusal(() => businessHours({ timeZone: 'UTC' } as never));
    expect(e.code).toBe('invalid_calendar');
    const calendar = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']] } });
    expect(businessHours(calendar).between(0, 1)).toBe(0);
  });
});
