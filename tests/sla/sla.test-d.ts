import { describe, expectTypeOf, it } from 'vitest';
import type { Priority, TicketEvent, TicketStatus } from '../../src/model/index.js';
import {
  createSlaPolicy,
  type EvaluateSlaOptions,
  evaluateSla,
  type ReadSlaOptions,
  readSla,
  type SlaClockName,
  type SlaClockReport,
  type SlaClockStatus,
  type SlaPolicy,
  type SlaPolicyConfig,
  type SlaReport,
  type SlaState,
  stepSla,
} from '../../src/sla/index.js';

describe('sla types', () => {
  it('names the four clocks and five statuses', () => {
    expectTypeOf<SlaClockName>().toEqualTypeOf<
      'firstReply' | 'nextReply' | 'periodicUpdate' | 'resolution'
    >();
    expectTypeOf<SlaClockStatus>().toEqualTypeOf<
      'inactive' | 'running' | 'paused' | 'fulfilled' | 'breached'
    >();
    expectTypeOf<SlaReport['clocks']>().toEqualTypeOf<Readonly<Record<SlaClockName, SlaClockReport>>>();
  });

  it('reports plain JSON: instants are numbers, never Date', () => {
    expectTypeOf<SlaClockReport['dueAt']>().toEqualTypeOf<number | null>();
    expectTypeOf<SlaClockReport['breachedAt']>().toEqualTypeOf<number | null>();
    expectTypeOf<SlaReport['nextChangeAt']>().toEqualTypeOf<number | null>();
    expectTypeOf<SlaState['at']>().toEqualTypeOf<number>();
    expectTypeOf<SlaState['status']>().toEqualTypeOf<TicketStatus>();
    expectTypeOf<SlaState['priority']>().toEqualTypeOf<Priority>();
  });

  it('is readable by a host that knows only clock names as strings', () => {
    expectTypeOf<SlaReport>().toExtend<{
      clocks: Readonly<Record<string, { status: string; dueAt: number | null; elapsedMs: number }>>;
      nextChangeAt: number | null;
    }>();
  });

  it('takes configs with typed targets and statuses', () => {
    expectTypeOf(createSlaPolicy).parameter(0).toEqualTypeOf<SlaPolicyConfig>();
    expectTypeOf(createSlaPolicy).returns.toEqualTypeOf<SlaPolicy>();
    createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets: { urgent: { hours: 1 } } } });
    // @ts-expect-error months are not a fixed length
    createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets: { urgent: { months: 1 } } } });
    // @ts-expect-error 'critical' is not a priority
    createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets: { critical: { hours: 1 } } } });
    // @ts-expect-error solved stops every clock; it is not a pause status
    createSlaPolicy({ id: 'p', calendar: null, resolution: { targets: {}, pauseIn: ['solved'] } });
  });

  it('steps on parsed events and reads at a Date or epoch ms', () => {
    expectTypeOf(stepSla).parameter(1).toEqualTypeOf<TicketEvent>();
    expectTypeOf(stepSla).returns.toEqualTypeOf<SlaState>();
    expectTypeOf<ReadSlaOptions['now']>().toEqualTypeOf<Date | number | undefined>();
    // @ts-expect-error a misspelt option is a type error
    readSla({} as SlaState, { policy: {} as SlaPolicy }, { at: 1 });
    expectTypeOf(evaluateSla).returns.toEqualTypeOf<SlaReport>();
    expectTypeOf<EvaluateSlaOptions['now']>().toEqualTypeOf<Date | number | undefined>();
  });
});
