// stepSla on the clock state itself (the plain JSON a desk stores): what a step records at the
// instant of the event, before any read brings the crossings up to date.
import { describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../src/model/index.js';
import {
  createSlaEngine,
  createSlaPolicy,
  initialSlaState,
  type SlaClockState,
  type SlaPolicy,
  type SlaState,
  stepSla,
} from '../../src/sla/index.js';
import { closed, customerReplied, opened, reprioritized, statusSet, tick } from './ticketEvents.js';

const H = 3_600_000;

/** The state after stepping every event after the first, which opens the ticket. */
const fold = (policy: SlaPolicy, [first, ...rest]: [ReturnType<typeof opened>, ...TicketEvent[]]): SlaState =>
  rest.reduce((state, event) => stepSla(state, event, { policy }), initialSlaState(first, { policy }));

/** A clock that started at 0 and was neither warned, breached nor fulfilled. */
const started = (fields: Partial<SlaClockState>): SlaClockState => ({
  owed: true,
  counting: true,
  elapsedMs: 0,
  since: 0,
  targetMs: null,
  dueAt: null,
  warnDueAt: null,
  startedAt: 0,
  warnedAt: null,
  breachedAt: null,
  fulfilledAt: null,
  cycles: 1,
  breaches: 0,
  ...fields,
});

describe('stepSla', () => {
  it('stops a paused first reply when the ticket is solved without a reply', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      firstReply: { targets: { normal: { hours: 4 } }, pauseIn: ['pending'] },
    });
    const state = fold(policy, [opened(0), statusSet(H, 'pending'), statusSet(2 * H, 'solved')]);
    expect(state.clocks.firstReply).toEqual(
      started({ owed: false, counting: false, elapsedMs: H, since: null, targetMs: 4 * H }),
    );
  });

  it('keeps no start instant and no due times for a paused clock', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { normal: { hours: 2 } } },
    });
    const state = fold(policy, [opened(0), statusSet(H, 'pending')]);
    expect(state.clocks.resolution).toEqual(
      started({ counting: false, elapsedMs: H, since: null, targetMs: 2 * H }),
    );
  });

  it('keeps the warning and breach of a paused clock through later events', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { normal: { hours: 2 } } },
    });
    const state = fold(policy, [opened(0), statusSet(3 * H, 'pending'), tick(4 * H)]);
    expect(state.clocks.resolution).toEqual(
      started({
        counting: false,
        elapsedMs: 3 * H,
        since: null,
        targetMs: 2 * H,
        warnedAt: 1.5 * H,
        breachedAt: 2 * H,
        breaches: 1,
      }),
    );
  });

  it('keeps no due times for a clock resumed after its warning and breach', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { normal: { hours: 2 } } },
    });
    const state = fold(policy, [
      opened(0),
      statusSet(3 * H, 'pending'),
      statusSet(4 * H, 'open'),
      tick(5 * H),
    ]);
    expect(state.clocks.resolution).toEqual(
      started({
        elapsedMs: 3 * H,
        since: 4 * H,
        targetMs: 2 * H,
        warnedAt: 1.5 * H,
        breachedAt: 2 * H,
        breaches: 1,
      }),
    );
  });

  it('takes an event earlier than the last one as happening at the last one', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { normal: { hours: 2 } } },
    });
    const state = fold(policy, [opened(0), statusSet(H, 'pending'), statusSet(H / 2, 'open')]);
    expect(state.at).toBe(H);
    expect(state.clocks.resolution).toEqual(
      started({ elapsedMs: H, since: H, targetMs: 2 * H, dueAt: 2 * H, warnDueAt: 1.5 * H }),
    );
  });

  it('keeps a reply clock owed and counting while the ticket is pending or on hold', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      firstReply: { targets: { normal: { hours: 4 } } },
    });
    const fresh = initialSlaState(opened(0), { policy });
    for (const status of ['pending', 'on_hold'] as const) {
      expect(stepSla(fresh, statusSet(H, status), { policy }).clocks.firstReply).toEqual(
        fresh.clocks.firstReply,
      );
    }
  });

  it('fulfils the resolution at a ticket.closed only when the lifecycle says it closed the ticket', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { normal: { hours: 8 } } },
    });
    const fresh = initialSlaState(opened(0), { policy });
    const stopped = started({ owed: false, counting: false, elapsedMs: H, since: null, targetMs: 8 * H });
    expect(stepSla(fresh, closed(H), { policy }, 'closed').clocks.resolution).toEqual({
      ...stopped,
      fulfilledAt: H,
    });
    expect(stepSla(fresh, closed(H), { policy }, 'merged').clocks.resolution).toEqual(stopped);
  });

  describe('on a priority change', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      firstReply: { targets: { normal: { hours: 8 }, urgent: { hours: 4 } } },
    });

    it('warns at the change when the elapsed time is exactly the new warning threshold', () => {
      const changed = fold(policy, [opened(0), reprioritized(3 * H, 'urgent')]);
      expect(changed.clocks.firstReply).toEqual(
        started({ elapsedMs: 3 * H, since: 3 * H, targetMs: 4 * H, dueAt: 4 * H, warnedAt: 3 * H }),
      );
      expect(stepSla(changed, tick(3.5 * H), { policy }).clocks.firstReply).toEqual(
        changed.clocks.firstReply,
      );
    });

    it('breaches at the change when the elapsed time is exactly the new target', () => {
      const state = fold(policy, [opened(0), reprioritized(4 * H, 'urgent')]);
      expect(state.clocks.firstReply).toEqual(
        started({
          elapsedMs: 4 * H,
          since: 4 * H,
          targetMs: 4 * H,
          warnedAt: 4 * H,
          breachedAt: 4 * H,
          breaches: 1,
        }),
      );
    });
  });

  it('does not start a first reply the policy gained after the ticket was opened', () => {
    const before = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { normal: { hours: 48 } } },
    });
    const after = createSlaPolicy({
      id: 'p',
      calendar: null,
      firstReply: { targets: { normal: { hours: 4 } } },
      resolution: { targets: { normal: { hours: 48 } } },
    });
    const state = stepSla(initialSlaState(opened(0), { policy: before }), statusSet(H, 'open'), {
      policy: after,
    });
    expect(state.clocks.firstReply).toMatchObject({
      owed: false,
      counting: false,
      startedAt: null,
      cycles: 0,
    });
  });
});

describe.each([
  ['stepSla', (state: SlaState, event: TicketEvent, policy: SlaPolicy) => stepSla(state, event, { policy })],
  [
    'an engine step',
    (state: SlaState, event: TicketEvent, policy: SlaPolicy) => createSlaEngine(policy).step(state, event),
  ],
])('%s', (_, step) => {
  const policy = createSlaPolicy({
    id: 'p',
    calendar: null,
    resolution: { targets: { normal: { hours: 8 } } },
  });
  const fresh = initialSlaState(opened(0), { policy });

  it('returns the state as it is for another ticket.opened and for any event after closing', () => {
    expect(step(fresh, opened(H), policy)).toBe(fresh);
    const done = step(fresh, closed(H), policy);
    expect(step(done, customerReplied(2 * H), policy)).toBe(done);
  });

  it('refuses a state of another policy, naming both', () => {
    const other = createSlaPolicy({
      id: 'other',
      calendar: null,
      resolution: { targets: { normal: { hours: 8 } } },
    });
    expect(() => step(fresh, tick(H), other)).toThrow(
      expect.objectContaining({
        code: 'sla_policy_mismatch',
        message:
          'This SLA state was created by the policy "p", not "other"; step and read it with the policy that started it',
      }),
    );
  });
});
