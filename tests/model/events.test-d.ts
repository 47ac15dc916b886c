import { describe, expectTypeOf, it } from 'vitest';
import {
  type Agent,
  type AgentInput,
  type CarekitIssue,
  type ParseResult,
  parseTicketEvent,
  safeParseTicketEvent,
  type TicketEvent,
  type TicketEventInput,
  type TicketEventOf,
  type TicketEventType,
  type TicketStatus,
} from '../../src/model/index.js';

describe('model types', () => {
  it('parses to epoch ms and accepts ISO strings on input', () => {
    expectTypeOf<TicketEvent['at']>().toEqualTypeOf<number>();
    expectTypeOf<TicketEventInput['at']>().toEqualTypeOf<string | number>();
    expectTypeOf(parseTicketEvent).returns.toEqualTypeOf<TicketEvent>();
    expectTypeOf(safeParseTicketEvent).returns.toEqualTypeOf<ParseResult<TicketEvent>>();
  });

  it('narrows events by type', () => {
    expectTypeOf<TicketEventOf<'agent.replied'>['agentId']>().toEqualTypeOf<string>();
    expectTypeOf<TicketEventOf<'ticket.assigned'>['agentId']>().toEqualTypeOf<string | null>();
    expectTypeOf<TicketEventOf<'survey.answered'>['survey']>().toEqualTypeOf<'csat' | 'nps' | 'ces'>();
    const handle = (event: TicketEvent) => {
      if (event.type === 'ticket.escalated') expectTypeOf(event.tier).toEqualTypeOf<number>();
    };
    expectTypeOf(handle).toBeFunction();
    // @ts-expect-error not an event type
    expectTypeOf<TicketEventOf<'ticket.reopened'>>().toBeNever();
  });

  it('names every event type and status', () => {
    expectTypeOf<'clock.tick'>().toExtend<TicketEventType>();
    expectTypeOf<'merged'>().toExtend<TicketStatus>();
    // @ts-expect-error there is no such status
    expectTypeOf<'archived'>().toExtend<TicketStatus>();
  });

  it('distinguishes an agent as written from an agent as parsed', () => {
    expectTypeOf<Agent['tier']>().toEqualTypeOf<number>();
    expectTypeOf<AgentInput['tier']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CarekitIssue['path']>().toEqualTypeOf<readonly (string | number)[]>();
  });
});
