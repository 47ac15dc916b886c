import { describe, expectTypeOf, it } from 'vitest';
import type { TicketEventInput } from '../../src/model/index.js';
import {
  createTicketWorkflow,
  type Desk,
  type InboundContactInput,
  type TicketSnapshot,
} from '../../src/workflows/index.js';

declare const desk: Desk;
declare const snapshot: TicketSnapshot;
const wf = createTicketWorkflow();

describe('typed edges: public domain calls take typed inputs', () => {
  it('types the event of handle, apply, start and replay, and the contact of receive', () => {
    expectTypeOf(desk.handle).parameter(0).toEqualTypeOf<TicketEventInput>();
    expectTypeOf(wf.apply).parameter(1).toEqualTypeOf<TicketEventInput>();
    expectTypeOf(wf.start).parameter(0).toEqualTypeOf<TicketEventInput>();
    expectTypeOf(wf.replay).parameter(0).toEqualTypeOf<readonly TicketEventInput[]>();
    expectTypeOf(desk.receive).parameter(0).toEqualTypeOf<InboundContactInput>();
  });

  it('makes a misspelt event field a type error', () => {
    wf.apply(snapshot, { type: 'customer.replied', id: 'e2', ticketId: 'T-1', at: 1, body: 'Hi', sentAt: 0 });
    wf.apply(snapshot, {
      type: 'customer.replied',
      id: 'e2',
      ticketId: 'T-1',
      at: 1,
      body: 'Hi',
      // @ts-expect-error `sentat` is not a field of customer.replied (`sentAt` is)
      sentat: 0,
    });
    void desk.handle({
      type: 'agent.replied',
      id: 'e3',
      ticketId: 'T-1',
      at: 2,
      agentId: 'a',
      body: 'x',
      // @ts-expect-error `publc` is not a field of agent.replied (`public` is)
      publc: false,
    });
    void desk.handle({
      // @ts-expect-error an unknown event type
      type: 'customer.replyed',
      id: 'e4',
      ticketId: 'T-1',
      at: 3,
      body: 'x',
    });
    void desk.handle({
      type: 'agent.replied',
      id: 'e5',
      ticketId: 'T-1',
      at: 4,
      agentId: 'a',
      body: 'x',
      // @ts-expect-error a status an agent cannot set
      status: 'closed',
    });
  });

  it('makes a misspelt contact field a type error', () => {
    const contact = {
      externalId: 'm1',
      channel: 'email',
      customer: { id: 'c1' },
      subject: 'Help',
      body: 'Where is my order?',
      at: 1,
    } as const;
    void desk.receive(contact);
    void desk.receive({
      ...contact,
      // @ts-expect-error `inReplyto` is not a field of a contact (`inReplyTo` is)
      inReplyto: 'm0',
    });
    void desk.receive({
      ...contact,
      // @ts-expect-error a channel carekit does not know
      channel: 'fax',
    });
  });
});
