// fast-check arbitraries for SLA tests: policies with whole-minute targets (multiples of 4
// minutes, so 75 % and 50 % warnings are whole minutes too) and timelines on whole minutes.
import { fc } from '@fast-check/vitest';
import type { Priority, SettableStatus, TicketEvent } from '../../src/model/index.js';
import { createSlaPolicy, type SlaPolicy, type SlaPolicyConfig } from '../../src/sla/index.js';
import { MINUTE } from './minuteReference.js';
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

/** Monday 2025-03-10 08:00 UTC. */
export const T0 = utc('2025-03-10T08:00');

const arbPriority = fc.constantFrom<Priority>('low', 'normal', 'high', 'urgent');
const arbSettable = fc.constantFrom<SettableStatus>('open', 'pending', 'on_hold', 'solved');
const arbTarget = fc.integer({ min: 1, max: 150 }).map((n) => ({ minutes: n * 4 }));
const arbTargets = fc.record(
  { low: arbTarget, normal: arbTarget, high: arbTarget, urgent: arbTarget },
  { requiredKeys: ['normal'] },
);
const arbClock = fc.record(
  {
    targets: arbTargets,
    pauseIn: fc.subarray(['new', 'open', 'pending', 'on_hold'] as const),
    warnAt: fc.constantFrom(0.5, 0.75),
  },
  { requiredKeys: ['targets'] },
);

/** A policy config over the given calendar with every clock present. */
export const arbPolicyConfig = (calendar: string | null): fc.Arbitrary<SlaPolicyConfig> =>
  fc.record({
    id: fc.constant('p'),
    calendar: fc.constant(calendar),
    botRepliesCount: fc.boolean(),
    firstReply: arbClock,
    nextReply: arbClock,
    periodicUpdate: arbClock,
    resolution: arbClock,
  });

export const arbPolicy = (calendar: string | null): fc.Arbitrary<SlaPolicy> =>
  arbPolicyConfig(calendar).map(createSlaPolicy);

type Make = (at: number) => TicketEvent;

const arbMake: fc.Arbitrary<Make> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(customerReplied) },
  { weight: 4, arbitrary: fc.constant((at: number) => agentReplied(at)) },
  { weight: 1, arbitrary: fc.constant((at: number) => agentReplied(at, { public: false })) },
  { weight: 2, arbitrary: fc.constant((at: number) => agentReplied(at, { bot: true })) },
  { weight: 3, arbitrary: arbSettable.map((status) => (at: number) => agentReplied(at, { status })) },
  { weight: 3, arbitrary: arbSettable.map((status) => (at: number) => statusSet(at, status)) },
  { weight: 2, arbitrary: arbPriority.map((priority) => (at: number) => reprioritized(at, priority)) },
  { weight: 2, arbitrary: fc.constant(tick) },
  { weight: 1, arbitrary: fc.constantFrom<Make>(closed, merged, markedSpam) },
);

export interface ArbTimeline {
  events: TicketEvent[];
  now: number;
}

/** A timeline opened at {@link T0} (or later) with events on whole minutes, and a reading instant after them. */
export const arbTimeline = (
  options: { maxGapMinutes?: number; reprioritize?: boolean } = {},
): fc.Arbitrary<ArbTimeline> => {
  const gap = fc.integer({ min: 0, max: options.maxGapMinutes ?? 600 });
  const make =
    options.reprioritize === false ? arbMake.filter((m) => m(0).type !== 'ticket.reprioritized') : arbMake;
  return fc
    .record({
      start: fc.integer({ min: 0, max: 24 * 60 }),
      priority: fc.option(arbPriority, { nil: undefined }),
      origin: fc.constantFrom(undefined, undefined, undefined, 'agent' as const),
      steps: fc.array(fc.tuple(gap, make), { maxLength: 12 }),
      after: gap,
    })
    .map(({ start, priority, origin, steps, after }) => {
      let at = T0 + start * MINUTE;
      const events: TicketEvent[] = [
        opened(at, { ...(priority ? { priority } : {}), ...(origin ? { origin } : {}) }),
      ];
      for (const [minutes, build] of steps) {
        at += minutes * MINUTE;
        events.push(build(at));
      }
      return { events, now: at + after * MINUTE };
    });
};
