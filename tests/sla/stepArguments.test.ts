// Every argument stepSla and an engine's step refuse, each with its code, path and sentence; the
// engine's step checks the common shape in one read of each field (stepSla.ts, wellShaped) and
// must refuse exactly what the full checks refuse.
import { describe, expect, it } from 'vitest';
import {
  createSlaEngine,
  createSlaPolicy,
  initialSlaState,
  type SlaState,
  stepSla,
} from '../../src/sla/index.js';
import { customerReplied, opened } from './ticketEvents.js';

const policy = createSlaPolicy({
  id: 'p',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
});
const ctx = { policy };
const engine = createSlaEngine(policy);
const state = initialSlaState(opened(0), ctx);
const event = customerReplied(60_000);

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { code: string; path: unknown; message: string };
  }
  throw new Error('the step accepted it');
};

const trap = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
  },
);

/** A copy of `base` whose `key` getter throws "no". */
const throwing = (base: object, key: string): never =>
  Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get() {
      throw new Error('no');
    },
  }) as never;

const badStates: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'state'],
  ['an array', []],
  ['an array with the fields of a state', Object.assign([], state)],
  ['a state whose policyId is a number', { ...state, policyId: 1 }],
  ['a state whose instant is a string', { ...state, at: '0' }],
  ['a state whose instant is not finite', { ...state, at: Number.NaN }],
  ['a state whose clocks are null', { ...state, clocks: null }],
  ['a state whose clocks are a number', { ...state, clocks: 1 }],
  ['a Proxy that throws', trap],
];

const badEvents: [string, unknown][] = [
  ['null', null],
  ['a string', 'customer.replied'],
  ['an array', []],
  ['an array with the fields of an event', Object.assign([], event)],
  ['an event whose type is a number', { ...event, type: 1 }],
  ['an event whose instant is a string', { ...event, at: '60000' }],
  ['an event whose instant is infinite', { ...event, at: Number.POSITIVE_INFINITY }],
  ['a Proxy that throws', trap],
];

const steps: [string, (s: unknown, e: unknown, statusAfter?: unknown, pauses?: unknown) => SlaState][] = [
  [
    'stepSla',
    (s, e, statusAfter, pauses) =>
      stepSla(s as never, e as never, ctx, statusAfter as never, pauses as never),
  ],
  [
    'engine.step',
    (s, e, statusAfter, pauses) => engine.step(s as never, e as never, statusAfter as never, pauses as never),
  ],
];

describe.each(steps)('%s', (_, step) => {
  it('steps a well-shaped state and event', () => {
    expect(step(state, event).at).toBe(60_000);
  });

  it.each(badStates)('refuses %s as the state', (_, bad) => {
    const error = refusal(() => step(bad, event));
    expect(error.path).toEqual(['state']);
    expect(error.message).toMatch(/^stepSla: state/);
  });

  it.each(badEvents)('refuses %s as the event', (_, bad) => {
    const error = refusal(() => step(state, bad));
    expect(error.path).toEqual(['event']);
    expect(error.message).toMatch(/^stepSla: event/);
  });

  it('refuses a status after that is not a status, and pauses that are not an object', () => {
    expect(refusal(() => step(state, event, 'reopened'))).toMatchObject({ path: ['statusAfter'] });
    for (const pauses of [null, 5, 'resolution']) {
      const error = refusal(() => step(state, event, undefined, pauses));
      expect(error.path).toEqual(['pauses']);
      expect(error.message).toContain(
        'stepSla: pauses must be an object of clock names to true or false, or undefined',
      );
    }
  });
});

describe('stepSla refusals in full', () => {
  it.each([
    [
      'a null state',
      () => stepSla(null as never, event, ctx),
      'invalid_sla_state',
      ['state'],
      'stepSla: state must be an SLA state from initialSlaState or stepSla, got null',
    ],
    [
      'an undefined state',
      () => stepSla(undefined as never, event, ctx),
      'invalid_sla_state',
      ['state'],
      'stepSla: state must be an SLA state from initialSlaState or stepSla, got undefined',
    ],
    [
      'a state whose instant is a string',
      () => engine.step({ ...state, at: '0' } as never, event),
      'invalid_sla_state',
      ['state'],
      'stepSla: state must be an SLA state from initialSlaState or stepSla, got an object',
    ],
    [
      'an event whose instant is a string',
      () => stepSla(state, { ...event, at: '1' } as never, ctx),
      'invalid_event',
      ['event'],
      'stepSla: event must be a parsed ticket event (parse events with parseTicketEvent first), got an object',
    ],
    [
      'a status after that is not a status',
      () => stepSla(state, event, ctx, 'reopened' as never),
      'invalid_value',
      ['statusAfter'],
      'stepSla: statusAfter must be one of "new", "open", "pending", "on_hold", "solved", "closed", "merged", got the string "reopened"',
    ],
    [
      'pauses that are a number',
      () => stepSla(state, event, ctx, undefined, 5 as never),
      'invalid_type',
      ['pauses'],
      'stepSla: pauses must be an object of clock names to true or false, or undefined, got the number 5',
    ],
    [
      'a null context',
      () => stepSla(state, event, null as never),
      'invalid_type',
      ['ctx'],
      'stepSla: ctx must be an SLA context ({ policy, calendars? }), got null',
    ],
    [
      'a context without a policy',
      () => stepSla(state, event, {} as never),
      'invalid_policy',
      ['ctx', 'policy'],
      'stepSla: ctx.policy must be an SLA policy made by createSlaPolicy, got undefined',
    ],
    [
      'calendars that are a number',
      () => stepSla(state, event, { policy, calendars: 5 } as never),
      'invalid_type',
      ['ctx', 'calendars'],
      'stepSla: ctx.calendars must be an object of calendars by name, or undefined, got the number 5',
    ],
    [
      'a context whose policy cannot be read',
      () => stepSla(state, event, throwing({}, 'policy')),
      'unreadable_input',
      ['ctx', 'policy'],
      'stepSla: ctx.policy could not be read (no)',
    ],
    [
      'a context whose calendars cannot be read',
      () => stepSla(state, event, throwing({ policy }, 'calendars')),
      'unreadable_input',
      ['ctx', 'calendars'],
      'stepSla: ctx.calendars could not be read (no)',
    ],
    [
      'a state whose instant cannot be read',
      () => stepSla(throwing(state, 'at'), event, ctx),
      'unreadable_input',
      ['state'],
      'stepSla: state could not be read (no)',
    ],
    [
      'a state whose clocks cannot be read',
      () => stepSla(throwing(state, 'clocks'), event, ctx),
      'unreadable_input',
      ['state'],
      'stepSla: state could not be read (no)',
    ],
  ])('refuses %s with its code, path and sentence', (_, run, code, path, message) => {
    expect(refusal(run)).toMatchObject({ code, path, message });
  });
});

describe('stepSla checks its context too', () => {
  it.each([
    ['null', null, ['ctx'], 'an SLA context ({ policy, calendars? })'],
    ['without a policy', {}, ['ctx', 'policy'], 'an SLA policy made by createSlaPolicy'],
    [
      'with calendars that are not an object',
      { policy, calendars: 5 },
      ['ctx', 'calendars'],
      'an object of calendars by name, or undefined',
    ],
    [
      'with null calendars',
      { policy, calendars: null },
      ['ctx', 'calendars'],
      'an object of calendars by name, or undefined',
    ],
  ])('refuses a context %s', (_, bad, path, expected) => {
    const error = refusal(() => stepSla(state, event, bad as never));
    expect(error.path).toEqual(path);
    expect(error.message).toContain(expected);
  });
});
