// initialSlaState: which clocks start by who opened the ticket, the calendars it checks before
// any clock needs them, and its refusals; the mismatch between a state and another policy.
import { describe, expect, it } from 'vitest';
import { createSlaPolicy, initialSlaState, readSla, stepSla } from '../../src/sla/index.js';
import { customerReplied, opened } from './ticketEvents.js';

const H = 3_600_000;
const policy = createSlaPolicy({
  id: 'p',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
  periodicUpdate: { targets: { normal: { hours: 24 } } },
});
const ctx = { policy };

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { code: string; path: unknown; message: string };
  }
  throw new Error('the call was accepted');
};

describe('initialSlaState', () => {
  it('starts the first reply when the customer opened the ticket, said or not', () => {
    for (const extra of [{}, { origin: 'customer' as const }]) {
      const report = readSla(initialSlaState(opened(0, extra), ctx), ctx, { now: H });
      expect(report.clocks.firstReply).toMatchObject({ status: 'running', dueAt: 4 * H, elapsedMs: H });
      expect(report.clocks.periodicUpdate.status).toBe('inactive');
    }
  });

  it('starts the periodic update instead when an agent or the system opened it', () => {
    for (const origin of ['agent', 'system'] as const) {
      const report = readSla(initialSlaState(opened(0, { origin }), ctx), ctx, { now: H });
      expect(report.clocks.firstReply.status).toBe('inactive');
      expect(report.clocks.periodicUpdate).toMatchObject({ status: 'running', dueAt: 24 * H });
    }
  });

  it('checks every calendar the policy names, even of a clock that starts later', () => {
    const later = createSlaPolicy({
      id: 'later',
      calendar: null,
      firstReply: { targets: { normal: { hours: 4 } } },
      nextReply: { targets: { normal: { hours: 8 } }, calendar: 'support' },
    });
    expect(refusal(() => initialSlaState(opened(0), { policy: later }))).toMatchObject({
      code: 'unknown_calendar',
      path: ['name'],
    });
  });

  it('names itself and the argument it refuses', () => {
    const notEvent = refusal(() => initialSlaState(null as never, ctx));
    expect(notEvent).toMatchObject({ code: 'invalid_event', path: ['opened'] });
    expect(notEvent.message).toMatch(/^initialSlaState: opened/);
    const notOpened = refusal(() => initialSlaState(customerReplied(0) as never, ctx));
    expect(notOpened).toMatchObject({ code: 'invalid_event', path: ['opened', 'type'] });
    expect(notOpened.message).toMatch(/^initialSlaState: opened.type must be the ticket.opened event/);
    expect(refusal(() => initialSlaState(opened(0), null as never)).message).toMatch(/^initialSlaState: ctx/);
  });
});

describe('a state read or stepped with another policy', () => {
  it('is refused, naming both policies', () => {
    const other = {
      policy: createSlaPolicy({
        id: 'other',
        calendar: null,
        firstReply: { targets: { normal: { hours: 1 } } },
      }),
    };
    const state = initialSlaState(opened(0), ctx);
    const message =
      'This SLA state was created by the policy "p", not "other"; step and read it with the policy that started it';
    expect(refusal(() => stepSla(state, customerReplied(1), other))).toMatchObject({
      code: 'sla_policy_mismatch',
      message,
    });
    expect(refusal(() => readSla(state, other)).message).toBe(message);
  });
});
