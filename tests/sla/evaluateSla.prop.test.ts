import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isOpen as calendarIsOpen, createCalendar } from '../../src/calendar/index.js';
import {
  calendarHours,
  createSlaPolicy,
  evaluateSla,
  foldSla,
  initialSlaState,
  readSla,
  SLA_CLOCKS,
  type SlaState,
  stepSla,
} from '../../src/sla/index.js';
import { propertyRuns } from '../support/runs.js';
import { arbPolicy, arbPolicyConfig, arbTimeline } from './arbitraries.js';
import { minuteReference } from './minuteReference.js';
import { tick } from './ticketEvents.js';

// A real business calendar with a split day, a short Saturday, a half-day holiday and a
// 30-minute zone offset; the reference asks it only `isOpen` minute by minute.
const split = [
  ['09:00', '12:30'],
  ['13:30', '18:00'],
] as [string, string][];
const kolkata = createCalendar({
  timeZone: 'Asia/Kolkata',
  week: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [['10:00', '14:00']] },
  holidays: [{ date: '2025-03-12', hours: [['09:00', '13:00']] }, '2025-03-14'],
});
const calendars = { work: kolkata };
const isOpen = (calendar: string | null, minute: number) =>
  calendar === null || calendarIsOpen(kolkata, minute);

describe.each([
  ['calendar hours', null],
  ['business hours', 'work'],
] as const)('SLA laws in %s', (_, calendar) => {
  test.prop([arbPolicy(calendar), arbTimeline()], propertyRuns(100))(
    'each clock agrees with the minute-stepping reference',
    (policy, { events, now }) => {
      const report = evaluateSla(policy, events, { calendars, now });
      const reference = minuteReference(policy, events, now, isOpen);
      expect(report.status).toBe(reference.status);
      for (const name of SLA_CLOCKS) {
        const got = report.clocks[name];
        const want = reference.clocks[name];
        const { owed: _owed, ...expected } = want;
        expect({ name, ...got }).toMatchObject({ name, ...expected });
      }
    },
  );

  test.prop([arbPolicy(calendar), arbTimeline(), fc.nat()], propertyRuns(100))(
    'incremental = batch: stopping anywhere, storing the state as JSON and carrying on changes nothing',
    (policy, { events, now }, cut) => {
      const ctx = { policy, calendars };
      const whole = foldSla(policy, events, { calendars });
      const k = 1 + (cut % events.length);
      let state = JSON.parse(JSON.stringify(foldSla(policy, events.slice(0, k), { calendars }))) as SlaState;
      for (const event of events.slice(k)) state = stepSla(state, event, ctx);
      expect(state).toEqual(whole);
      expect(readSla(state, ctx, { now })).toEqual(readSla(whole, ctx, { now }));
    },
  );

  test.prop([arbPolicy(calendar), arbTimeline()], propertyRuns(100))(
    'a clock.tick changes no reading: reading at now equals stepping a tick at now',
    (policy, { events, now }) => {
      const ctx = { policy, calendars };
      const state = foldSla(policy, events, { calendars });
      expect(readSla(stepSla(state, tick(now), ctx), ctx, { now })).toEqual(readSla(state, ctx, { now }));
    },
  );

  test.prop([arbPolicy(calendar), arbTimeline({ reprioritize: false })], propertyRuns(100))(
    'a breach is recorded exactly when the elapsed time reaches the target',
    (policy, { events, now }) => {
      const report = evaluateSla(policy, events, { calendars, now });
      for (const name of SLA_CLOCKS) {
        const clock = report.clocks[name];
        if (clock.targetMs === null) continue;
        expect(clock.elapsedMs).toBeGreaterThanOrEqual(0);
        expect(clock.remainingMs).toBe(clock.targetMs - clock.elapsedMs);
        expect(clock.breachedAt !== null).toBe(clock.elapsedMs >= clock.targetMs);
        expect(clock.status === 'breached').toBe(clock.breachedAt !== null && clock.fulfilledAt === null);
      }
    },
  );

  test.prop([arbPolicyConfig(calendar), arbTimeline()], propertyRuns(100))(
    'pausing never increases elapsed time',
    (config, { events, now }) => {
      const withPauses = createSlaPolicy(config);
      const without = createSlaPolicy({
        ...config,
        firstReply: { ...config.firstReply!, pauseIn: [] },
        nextReply: { ...config.nextReply!, pauseIn: [] },
        periodicUpdate: { ...config.periodicUpdate!, pauseIn: [] },
        resolution: { ...config.resolution!, pauseIn: [] },
      });
      const paused = evaluateSla(withPauses, events, { calendars, now });
      const running = evaluateSla(without, events, { calendars, now });
      for (const name of SLA_CLOCKS) {
        expect(paused.clocks[name].elapsedMs).toBeLessThanOrEqual(running.clocks[name].elapsedMs);
      }
    },
  );

  test.prop([arbPolicy(calendar), arbTimeline()], propertyRuns(100))(
    'elapsed time is never negative and the first reply is fulfilled at most once',
    (policy, { events, now }) => {
      const ctx = { policy, calendars };
      const [first, ...rest] = events;
      if (first?.type !== 'ticket.opened') throw new Error('unreachable');
      let state = initialSlaState(first, ctx);
      let fulfilledAt: number | null = null;
      for (const event of rest) {
        state = stepSla(state, event, ctx);
        const report = readSla(state, ctx, { now: event.at });
        for (const name of SLA_CLOCKS) expect(report.clocks[name].elapsedMs).toBeGreaterThanOrEqual(0);
        const clock = report.clocks.firstReply;
        if (fulfilledAt !== null) expect(clock.fulfilledAt).toBe(fulfilledAt);
        fulfilledAt = clock.fulfilledAt;
        expect(clock.cycles).toBeLessThanOrEqual(1);
      }
      expect(readSla(state, ctx, { now }).clocks.firstReply.fulfilledAt).toBe(fulfilledAt);
    },
  );

  test.prop([arbPolicy(calendar), arbTimeline()], propertyRuns(100))(
    'nextChangeAt is the next warning or breach: just before it nothing new is recorded, at it something is',
    (policy, { events, now }) => {
      const ctx = { policy, calendars };
      const state = foldSla(policy, events, { calendars });
      const { nextChangeAt } = readSla(state, ctx, { now });
      if (nextChangeAt === null) return;
      expect(nextChangeAt).toBeGreaterThan(now);
      const marks = (at: number) =>
        SLA_CLOCKS.map((name) => {
          const c = readSla(state, ctx, { now: at }).clocks[name];
          return [c.warnedAt, c.breachedAt];
        });
      expect(marks(nextChangeAt - 1)).toEqual(marks(now));
      const changed = marks(nextChangeAt)
        .flat()
        .filter((v, i) => v !== marks(now).flat()[i]);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.every((v) => v === nextChangeAt)).toBe(true);
    },
  );
});

describe('calendar hours', () => {
  test.prop([arbTimeline()], propertyRuns(100))(
    'calendarHours is the identity measure',
    ({ events, now }) => {
      const first = events[0]!;
      expect(calendarHours.between(first.at, now)).toBe(now - first.at);
      expect(calendarHours.add(first.at, now - first.at)).toBe(now);
    },
  );
});
