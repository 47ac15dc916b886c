// The engine steps with its policy prepared once (every calendar resolved to a measure when the
// engine is made); stepSla prepares it on every call. The two must give the same state, key
// order included, for every event, whatever the policy, the calendar, the status passed and the
// pauses a custom status sets.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import type { TicketStatus } from '../../src/model/index.js';
import {
  createSlaEngine,
  createSlaPolicy,
  initialSlaState,
  SLA_CLOCKS,
  type SlaState,
  stepSla,
} from '../../src/sla/index.js';
import { propertyRuns } from '../support/runs.js';
import { arbPolicyConfig, arbTimeline } from './arbitraries.js';

const week = [['09:00', '17:00']] as [string, string][];
const calendars = {
  work: createCalendar({
    timeZone: 'Europe/Berlin',
    week: { mon: week, tue: week, wed: week, thu: week, fri: week },
    holidays: ['2025-03-12'],
  }),
};

/** A policy with any non-empty subset of the four clocks. */
const arbPolicy = (calendar: string | null) =>
  fc
    .tuple(arbPolicyConfig(calendar), fc.subarray([...SLA_CLOCKS], { minLength: 1 }))
    .map(([config, kept]) => {
      const trimmed: Record<string, unknown> = {
        id: config.id,
        calendar,
        botRepliesCount: config.botRepliesCount,
      };
      for (const name of kept) trimmed[name] = config[name];
      return createSlaPolicy(trimmed as never);
    });

const STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
/** Per event: the status passed (or none, derived) and the pauses passed (or none). */
const arbStepArguments = fc.array(
  fc.record({
    statusAfter: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
    pauses: fc.option(
      fc.dictionary(fc.constantFrom(...SLA_CLOCKS), fc.boolean(), { maxKeys: 4 }) as fc.Arbitrary<
        Partial<Record<string, boolean>>
      >,
      { nil: undefined },
    ),
  }),
  { minLength: 12, maxLength: 12 },
);

describe.each([
  ['calendar hours', null],
  ['business hours', 'work'],
] as const)('createSlaEngine in %s', (_, calendar) => {
  test.prop([arbPolicy(calendar), arbTimeline(), arbStepArguments], propertyRuns(100))(
    'step equals stepSla at every event (key order included)',
    (policy, { events }, args) => {
      const ctx = { policy, calendars };
      const engine = createSlaEngine(policy, { calendars });
      const [first, ...rest] = events;
      if (first?.type !== 'ticket.opened') throw new Error('unreachable');
      let slow: SlaState = initialSlaState(first, ctx);
      let fast: SlaState = engine.init(first);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
      rest.forEach((event, i) => {
        const { statusAfter, pauses } = args[i]!;
        slow = stepSla(slow, event, ctx, statusAfter, pauses);
        fast = engine.step(fast, event, statusAfter, pauses);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
      });
    },
  );
});

test('a step that moves no clock returns the clocks it was given (no copy)', () => {
  const policy = createSlaPolicy({
    id: 'p',
    calendar: null,
    firstReply: { targets: { normal: { hours: 4 } } },
  });
  const engine = createSlaEngine(policy);
  const opened = {
    type: 'ticket.opened',
    id: 'e1',
    ticketId: 't1',
    at: 0,
    channel: 'email',
    subject: 'Hi',
    body: 'Help',
    customer: { id: 'c1' },
  } as const;
  const state = engine.init(opened);
  const noted = {
    type: 'agent.noted',
    id: 'e2',
    ticketId: 't1',
    at: 60_000,
    agentId: 'a1',
    body: 'n',
  } as const;
  const after = engine.step(state, noted, 'new');
  expect(after.clocks).toBe(state.clocks);
  expect(after.at).toBe(60_000);
});
