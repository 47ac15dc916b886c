import { describe, expect, it } from 'vitest';
import { CarekitError } from '../../src/model/index.js';
import { createSlaEngine, createSlaPolicy, evaluateSla, foldSla, readSla } from '../../src/sla/index.js';
import {
  agentReplied,
  closed,
  customerReplied,
  markedSpam,
  merged,
  opened,
  reprioritized,
  statusSet,
  tick,
  utc,
} from './ticketEvents.js';

const H = 3_600_000;
const M = 60_000;

const policy = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { urgent: { hours: 1 }, high: { hours: 2 }, normal: { hours: 4 } } },
  nextReply: { targets: { urgent: { hours: 1 }, normal: { hours: 8 } } },
  periodicUpdate: { targets: { normal: { hours: 24 } } },
  resolution: { targets: { urgent: { hours: 8 }, normal: { hours: 48 } } },
});

describe('first reply', () => {
  it('is breached at the target and fulfilled late by the reply', () => {
    const report = evaluateSla(
      policy,
      [opened(utc('2025-03-10T09:00')), agentReplied(utc('2025-03-10T14:00'))],
      { now: utc('2025-03-10T15:00') },
    );
    expect(report.clocks.firstReply).toEqual({
      status: 'fulfilled',
      targetMs: 4 * H,
      dueAt: null,
      elapsedMs: 5 * H,
      remainingMs: -H,
      startedAt: utc('2025-03-10T09:00'),
      warnedAt: utc('2025-03-10T12:00'),
      breachedAt: utc('2025-03-10T13:00'),
      fulfilledAt: utc('2025-03-10T14:00'),
      cycles: 1,
      breaches: 1,
    });
  });

  it('runs, warns at 75 %, then breaches while still owed', () => {
    const events = [opened(utc('2025-03-10T09:00'))];
    const at = (wall: string) => evaluateSla(policy, events, { now: utc(wall) });
    expect(at('2025-03-10T11:00').clocks.firstReply).toMatchObject({
      status: 'running',
      dueAt: utc('2025-03-10T13:00'),
      elapsedMs: 2 * H,
      remainingMs: 2 * H,
      warnedAt: null,
    });
    expect(at('2025-03-10T11:00').nextChangeAt).toBe(utc('2025-03-10T12:00'));
    expect(at('2025-03-10T12:30').clocks.firstReply.warnedAt).toBe(utc('2025-03-10T12:00'));
    expect(at('2025-03-10T12:30').nextChangeAt).toBe(utc('2025-03-10T13:00'));
    expect(at('2025-03-10T13:00').clocks.firstReply).toMatchObject({
      status: 'breached',
      breachedAt: utc('2025-03-10T13:00'),
      dueAt: utc('2025-03-10T13:00'),
      remainingMs: 0,
    });
  });

  it('is met by a reply before the target; internal replies do not count', () => {
    const report = evaluateSla(policy, [
      opened(utc('2025-03-10T09:00')),
      agentReplied(utc('2025-03-10T09:30'), { public: false }),
      agentReplied(utc('2025-03-10T10:00')),
    ]);
    expect(report.clocks.firstReply).toMatchObject({
      status: 'fulfilled',
      elapsedMs: H,
      breachedAt: null,
      fulfilledAt: utc('2025-03-10T10:00'),
    });
    expect(report.status).toBe('open');
  });

  it('is not owed on a ticket an agent opened', () => {
    const report = evaluateSla(policy, [opened(utc('2025-03-10T09:00'), { origin: 'agent' })]);
    expect(report.clocks.firstReply.status).toBe('inactive');
    expect(report.clocks.periodicUpdate).toMatchObject({
      status: 'running',
      startedAt: utc('2025-03-10T09:00'),
    });
  });
});

describe('next reply', () => {
  it('runs from the oldest unanswered customer message', () => {
    const events = [
      opened(utc('2025-03-10T09:00')),
      agentReplied(utc('2025-03-10T10:00'), { status: 'pending' }),
      customerReplied(utc('2025-03-10T12:00')),
      customerReplied(utc('2025-03-10T15:00')),
    ];
    const owed = evaluateSla(policy, events, { now: utc('2025-03-10T16:00') });
    expect(owed.status).toBe('open');
    expect(owed.clocks.nextReply).toMatchObject({
      status: 'running',
      startedAt: utc('2025-03-10T12:00'),
      elapsedMs: 4 * H,
      dueAt: utc('2025-03-10T20:00'),
      cycles: 1,
    });
    const answered = evaluateSla(policy, [...events, agentReplied(utc('2025-03-10T21:00'))]);
    expect(answered.clocks.nextReply).toMatchObject({
      status: 'fulfilled',
      elapsedMs: 9 * H,
      breachedAt: utc('2025-03-10T20:00'),
      fulfilledAt: utc('2025-03-10T21:00'),
    });
  });

  it('starts a new cycle for the next message after an answer', () => {
    const report = evaluateSla(
      policy,
      [
        opened(utc('2025-03-10T09:00')),
        agentReplied(utc('2025-03-10T10:00')),
        customerReplied(utc('2025-03-10T11:00')),
        agentReplied(utc('2025-03-10T12:00')),
        customerReplied(utc('2025-03-10T13:00')),
      ],
      { now: utc('2025-03-10T14:00') },
    );
    expect(report.clocks.nextReply).toMatchObject({
      status: 'running',
      cycles: 2,
      elapsedMs: H,
      breaches: 0,
    });
  });

  it('does not start before the first reply (the first reply clock covers it)', () => {
    const report = evaluateSla(policy, [
      opened(utc('2025-03-10T09:00')),
      customerReplied(utc('2025-03-10T09:10')),
    ]);
    expect(report.clocks.nextReply.status).toBe('inactive');
    expect(report.clocks.nextReply.cycles).toBe(0);
  });
});

describe('resolution', () => {
  it('pauses in pending and resumes when the customer answers', () => {
    const events = [
      opened(utc('2025-03-10T09:00')),
      agentReplied(utc('2025-03-10T10:00'), { status: 'pending' }),
      customerReplied(utc('2025-03-11T10:00')),
    ];
    const paused = evaluateSla(policy, events.slice(0, 2), { now: utc('2025-03-11T09:00') });
    expect(paused.clocks.resolution).toMatchObject({ status: 'paused', elapsedMs: H, dueAt: null });
    expect(paused.nextChangeAt).toBeNull();
    const resumed = evaluateSla(policy, events, { now: utc('2025-03-11T11:00') });
    expect(resumed.clocks.resolution).toMatchObject({
      status: 'running',
      elapsedMs: 2 * H,
      dueAt: utc('2025-03-11T10:00') + 47 * H,
    });
  });

  it('is fulfilled when solved and resumes, keeping its time, when reopened', () => {
    const events = [
      opened(utc('2025-03-10T09:00')),
      agentReplied(utc('2025-03-10T12:00'), { status: 'solved' }),
      customerReplied(utc('2025-03-12T12:00')),
    ];
    const solved = evaluateSla(policy, events.slice(0, 2));
    expect(solved.clocks.resolution).toMatchObject({ status: 'fulfilled', elapsedMs: 3 * H });
    const reopened = evaluateSla(policy, events, { now: utc('2025-03-12T13:00') });
    expect(reopened.clocks.resolution).toMatchObject({
      status: 'running',
      elapsedMs: 4 * H,
      fulfilledAt: null,
      cycles: 1,
    });
    expect(reopened.clocks.nextReply).toMatchObject({
      status: 'running',
      startedAt: utc('2025-03-12T12:00'),
    });
  });

  it('is fulfilled by closing, but stopped by merging or spam', () => {
    const start = [opened(utc('2025-03-10T09:00'))];
    const at = utc('2025-03-10T10:00');
    expect(evaluateSla(policy, [...start, closed(at)]).clocks.resolution.status).toBe('fulfilled');
    for (const stop of [merged(at), markedSpam(at)]) {
      const report = evaluateSla(policy, [...start, stop]);
      expect(report.clocks.resolution).toMatchObject({ status: 'inactive', fulfilledAt: null, elapsedMs: H });
      expect(report.clocks.firstReply.status).toBe('inactive');
      expect(report.nextChangeAt).toBeNull();
    }
  });

  it('ignores every event after the ticket is closed', () => {
    const events = [opened(utc('2025-03-10T09:00')), closed(utc('2025-03-10T10:00'))];
    const state = foldSla(policy, events, {});
    expect(foldSla(policy, [...events, customerReplied(utc('2025-03-10T11:00'))], {})).toEqual(state);
  });
});

describe('solving without a reply', () => {
  it('stops the reply clocks without fulfilling them, keeping a breach', () => {
    const report = evaluateSla(policy, [
      opened(utc('2025-03-10T09:00')),
      statusSet(utc('2025-03-10T15:00'), 'solved'),
    ]);
    expect(report.clocks.firstReply).toMatchObject({
      status: 'breached',
      fulfilledAt: null,
      breachedAt: utc('2025-03-10T13:00'),
      dueAt: null,
      elapsedMs: 6 * H,
    });
  });
});

describe('priority changes', () => {
  it('keep the elapsed time and take the new target from that moment', () => {
    const events = [opened(utc('2025-03-10T09:00')), reprioritized(utc('2025-03-10T09:30'), 'high')];
    const report = evaluateSla(policy, events, { now: utc('2025-03-10T10:00') });
    expect(report.priority).toBe('high');
    expect(report.clocks.firstReply).toMatchObject({
      status: 'running',
      targetMs: 2 * H,
      elapsedMs: H,
      dueAt: utc('2025-03-10T11:00'),
      warnedAt: null,
    });
  });

  it('record a breach at the change when the new target is already passed', () => {
    const report = evaluateSla(policy, [
      opened(utc('2025-03-10T09:00')),
      reprioritized(utc('2025-03-10T10:30'), 'urgent'),
    ]);
    expect(report.clocks.firstReply).toMatchObject({
      status: 'breached',
      targetMs: H,
      warnedAt: utc('2025-03-10T10:30'),
      breachedAt: utc('2025-03-10T10:30'),
      breaches: 1,
    });
  });

  it('to a priority without a target make the clock inactive but keep counting its time', () => {
    const events = [opened(utc('2025-03-10T09:00')), reprioritized(utc('2025-03-10T10:00'), 'low')];
    const low = evaluateSla(policy, events, { now: utc('2025-03-10T11:00') });
    expect(low.clocks.firstReply).toMatchObject({ status: 'inactive', targetMs: null, elapsedMs: 2 * H });
    const back = evaluateSla(policy, [...events, reprioritized(utc('2025-03-10T11:00'), 'normal')]);
    expect(back.clocks.firstReply).toMatchObject({
      status: 'running',
      elapsedMs: 2 * H,
      dueAt: utc('2025-03-10T13:00'),
    });
  });
});

describe('periodic update', () => {
  it('is due every target after the last public reply while unsolved', () => {
    const events = [
      opened(utc('2025-03-10T09:00')),
      agentReplied(utc('2025-03-10T10:00')),
      agentReplied(utc('2025-03-11T09:00')),
    ];
    const report = evaluateSla(policy, events, { now: utc('2025-03-11T10:00') });
    expect(report.clocks.periodicUpdate).toMatchObject({
      status: 'running',
      startedAt: utc('2025-03-11T09:00'),
      dueAt: utc('2025-03-12T09:00'),
      cycles: 2,
      breaches: 0,
    });
    const solved = evaluateSla(policy, [
      ...events,
      agentReplied(utc('2025-03-11T12:00'), { status: 'solved' }),
    ]);
    expect(solved.clocks.periodicUpdate).toMatchObject({ status: 'fulfilled', cycles: 2 });
  });
});

describe('reading', () => {
  it('reads an instant before the last event as the last event', () => {
    const state = foldSla(policy, [opened(utc('2025-03-10T09:00')), tick(utc('2025-03-10T10:00'))], {});
    expect(readSla(state, { policy }, { now: utc('2025-03-10T09:00') }).at).toBe(utc('2025-03-10T10:00'));
    expect(
      readSla(state, { policy }, { now: new Date(utc('2025-03-10T11:00')) }).clocks.firstReply.elapsedMs,
    ).toBe(2 * H);
  });

  it('reports clocks the policy does not measure as inactive', () => {
    const only = createSlaPolicy({
      id: 'fr',
      calendar: null,
      firstReply: { targets: { normal: { minutes: 30 } } },
    });
    const report = evaluateSla(only, [opened(utc('2025-03-10T09:00'))], { now: utc('2025-03-10T09:10') });
    expect(report.clocks.resolution).toMatchObject({ status: 'inactive', targetMs: null, elapsedMs: 0 });
    expect(report.clocks.firstReply.elapsedMs).toBe(10 * M);
  });
});

describe('errors', () => {
  it('refuses a timeline that does not start with ticket.opened', () => {
    expect(() => evaluateSla(policy, [])).toThrow(CarekitError);
    expect(() => evaluateSla(policy, [tick(0)])).toThrow(/must start with a ticket.opened/);
  });

  it('refuses a policy naming a calendar that is not given', () => {
    const business = createSlaPolicy({
      id: 'b',
      calendar: 'support-hours',
      resolution: { targets: { normal: { hours: 8 } } },
    });
    const error = (() => {
      try {
        evaluateSla(business, [opened(0)], {
          calendars: { other: { between: (a, b) => b - a, add: (s, ms) => s + ms } },
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CarekitError);
    expect((error as CarekitError).code).toBe('unknown_calendar');
    expect((error as CarekitError).message).toMatch(/"support-hours".*known: "other"/);
    expect(() => evaluateSla(business, [opened(0)])).toThrow(/none given/);
  });

  it('refuses to step or read a state with another policy', () => {
    const state = foldSla(policy, [opened(0)], {});
    const other = createSlaPolicy({
      id: 'other',
      calendar: null,
      firstReply: { targets: { normal: { hours: 1 } } },
    });
    expect(() => readSla(state, { policy: other }, { now: 0 })).toThrow(
      expect.objectContaining({ code: 'sla_policy_mismatch' }),
    );
  });
});

describe('reopening a ticket solved without a reply', () => {
  it('resumes the first reply clock with the time it had', () => {
    const report = evaluateSla(
      policy,
      [
        opened(utc('2025-03-10T09:00')),
        statusSet(utc('2025-03-10T10:00'), 'solved'),
        customerReplied(utc('2025-03-11T09:00')),
      ],
      { now: utc('2025-03-11T10:00') },
    );
    expect(report.clocks.firstReply).toMatchObject({
      status: 'running',
      elapsedMs: 2 * H,
      cycles: 1,
      dueAt: utc('2025-03-11T12:00'),
    });
    expect(report.clocks.nextReply.status).toBe('inactive');
  });
});

describe('createSlaEngine', () => {
  it('gives the same reports as evaluateSla and follows the lifecycle status it is given', () => {
    const engine = createSlaEngine(policy);
    const events = [opened(utc('2025-03-10T09:00')), customerReplied(utc('2025-03-10T10:00'))];
    let state = engine.init(events[0] as Parameters<typeof engine.init>[0]);
    // The lifecycle decided this reply closes the ticket (say, a blocked customer).
    state = engine.step(state, events[1]!, 'closed');
    expect(state.status).toBe('closed');
    expect(engine.read(state, { now: utc('2025-03-10T11:00') }).clocks.resolution.status).toBe('inactive');
    const derived = engine.step(engine.init(events[0] as Parameters<typeof engine.init>[0]), events[1]!);
    expect(engine.read(derived, { now: utc('2025-03-10T11:00') })).toEqual(
      evaluateSla(policy, events, { now: utc('2025-03-10T11:00') }),
    );
  });
});

describe('createSlaEngine errors', () => {
  it('refuses at creation a policy whose calendar is missing', () => {
    const business = createSlaPolicy({
      id: 'b',
      calendar: 'support-hours',
      resolution: { targets: { normal: { hours: 8 } } },
    });
    expect(() => createSlaEngine(business)).toThrow(expect.objectContaining({ code: 'unknown_calendar' }));
  });
});

describe('reading at an invalid instant', () => {
  it('is refused with a code', () => {
    const state = foldSla(policy, [opened(0)], {});
    for (const now of [Number.NaN, Number.POSITIVE_INFINITY, new Date('nope')]) {
      expect(() => readSla(state, { policy }, { now })).toThrow(
        expect.objectContaining({ code: 'invalid_instant' }),
      );
    }
  });
});

describe('bot replies', () => {
  const events = [
    opened(utc('2025-03-10T09:00')),
    agentReplied(utc('2025-03-10T09:01'), { bot: true }),
    agentReplied(utc('2025-03-10T10:00')),
  ];

  it('do not fulfil the reply clocks by default: a person still owes the answer', () => {
    const report = evaluateSla(policy, events.slice(0, 2), { now: utc('2025-03-10T09:30') });
    expect(report.clocks.firstReply).toMatchObject({ status: 'running', fulfilledAt: null });
    expect(evaluateSla(policy, events, { now: utc('2025-03-10T11:00') }).clocks.firstReply).toMatchObject({
      status: 'fulfilled',
      fulfilledAt: utc('2025-03-10T10:00'),
    });
  });

  it('fulfil them when the policy says botRepliesCount', () => {
    const counting = createSlaPolicy({
      id: 'bots-count',
      calendar: null,
      botRepliesCount: true,
      firstReply: { targets: { normal: { hours: 4 } } },
    });
    expect(counting.botRepliesCount).toBe(true);
    expect(policy.botRepliesCount).toBe(false);
    const report = evaluateSla(counting, events.slice(0, 2), { now: utc('2025-03-10T09:30') });
    expect(report.clocks.firstReply).toMatchObject({
      status: 'fulfilled',
      fulfilledAt: utc('2025-03-10T09:01'),
    });
  });
});
