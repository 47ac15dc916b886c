// Bad arguments to routing functions: a carekit error with a code, a path and a sentence.
import { describe, expect, it } from 'vitest';
import { addBusinessTime, isOpen } from '../../src/calendar/index.js';
import { CarekitArgumentError } from '../../src/model/index.js';
import { gini } from '../../src/routing/assign/simulateRouting.js';
import { tokenize } from '../../src/routing/classify/tokenize.js';
import { createRouter, initialRouterState, readReply, tierAtLeast } from '../../src/routing/index.js';
import { cpuTime } from '../support/cpuTime.js';

const proxy = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
    ownKeys() {
      throw new Error('trap');
    },
    getPrototypeOf() {
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

describe('routing functions refuse bad arguments clearly', () => {
  it('gini: a non-number is refused at its index (it used to answer NaN)', () => {
    const e = refusal(() => gini([1, 'a', null] as never));
    expect(e.path).toEqual(['values', 1]);
    expect(e.message).toBe('gini: values[1] must be a finite number, 0 or more, got the string "a"');
    expect(gini([1, 1, 2])).toBeCloseTo(1 / 6);
  });

  it('initialRouterState refuses a 10 MB string before enumerating it (it aborted the process)', () => {
    const { ms, result } = cpuTime(() => refusal(() => initialRouterState('x'.repeat(10_000_000) as never)));
    expect(result.code).toBe('invalid_type');
    expect(ms).toBeLessThan(100);
    expect(refusal(() => initialRouterState({ a1: -1 })).path).toEqual(['loads', 'a1']);
    expect(refusal(() => initialRouterState(proxy as never)).code).toBe('unreadable_input');
    expect(initialRouterState({ a1: 2 }).loads.a1).toBe(2);
  });

  it('createRouter: a Proxy policy is unreadable input, not its trap error', () => {
    expect(refusal(() => createRouter(proxy as never)).code).toBe('unreadable_input');
  });

  it('option bags of tokenize and readReply are strict', () => {
    expect(refusal(() => tokenize('hi', { local: 'vi' } as never)).code).toBe('unrecognized_keys');
    expect(refusal(() => tokenize('hi', { locale: '!!' })).code).toBe('invalid_locale');
    expect(refusal(() => readReply('yes', { yes: 'sure' } as never)).path).toEqual(['options', 'yes']);
    expect(tokenize('Hoàn tiền', { locale: 'vi' })).toEqual(['hoàn', 'tiền']);
  });

  it('tierAtLeast needs a whole tier number', () => {
    expect(refusal(() => tierAtLeast(Number.NaN)).code).toBe('invalid_tier');
    expect(tierAtLeast(2).tier).toBe(2);
  });
});

describe('calendar functions refuse a non-calendar', () => {
  it('a Proxy or plain object is invalid_calendar before any arithmetic', () => {
    expect(refusal(() => addBusinessTime(proxy as never, proxy as never, 1)).code).toBe('unreadable_input');
    expect(refusal(() => isOpen({ timeZone: 'UTC' } as never, 0)).code).toBe('invalid_calendar');
  });
});
