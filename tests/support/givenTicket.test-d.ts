// The builders are typed against the events as producers write them (TicketEventInputOf): a
// misspelt or mistyped field is a compile error, not an event the workflow refuses at run time.
import { describe, expectTypeOf, it } from 'vitest';
import type { TicketEventInputOf } from '../../src/model/index.js';
import { agentReplied, assigned, givenTicket, opened, statusSet, T0, ticketEvent } from './givenTicket.js';

describe('givenTicket builders', () => {
  it('return the event of their type', () => {
    expectTypeOf(agentReplied(T0)).toEqualTypeOf<TicketEventInputOf<'agent.replied'>>();
    expectTypeOf(ticketEvent('survey.answered', T0, { survey: 'csat', score: 5 })).toEqualTypeOf<
      TicketEventInputOf<'survey.answered'>
    >();
  });

  it('refuse a misspelt or mistyped field', () => {
    // @ts-expect-error `bdy` is not a field of agent.replied
    agentReplied(T0, { bdy: 'x' });
    // @ts-expect-error a reply's status is one an agent can set
    agentReplied(T0, { status: 'closed' });
    // @ts-expect-error `merged` is not a status an agent sets
    statusSet(T0, 'merged');
    // @ts-expect-error agentId is a string or null
    assigned(T0, 42);
    // @ts-expect-error the field belongs to another event type
    ticketEvent('clock.tick', T0, { body: 'tick' });
    // @ts-expect-error an opened ticket's channel is one of the channels
    opened({ channel: 'pigeon' });
    // @ts-expect-error when() takes an event, not a loose object
    givenTicket().when({ type: 'agent.replied', at: T0 });
  });
});
