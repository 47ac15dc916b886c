import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { CarekitArgumentError, parseTicketEvent } from '../../../src/model/index.js';
import { toMermaid } from '../../../src/review/index.js';
import { createTicketWorkflow } from '../../../src/workflows/index.js';
import { ticketMachine } from '../../../src/workflows/machine/index.js';
import { opened } from '../../support/givenTicket.js';

describe('ticketMachine (carekit/workflows/machine)', () => {
  const tickets = createTicketWorkflow();

  it('is the workflow’s own machine, typed for XState', () => {
    const machine = ticketMachine(tickets);
    expect(machine).toBe(tickets.machine);
    const first = parseTicketEvent(opened());
    if (first.type !== 'ticket.opened') throw new Error('unreachable');
    const actor = createActor(machine, { input: { opened: first } }).start();
    expect(actor.getSnapshot().value).toBe('new');
    actor.stop();
  });

  it('leaves diagrams to the xstate-free handle on the workflow', () => {
    expect(toMermaid(tickets.machine)).toBe(toMermaid(ticketMachine(tickets)));
    expect(Object.keys(tickets.machine.root.states)).toEqual([
      'new',
      'open',
      'pending',
      'on_hold',
      'solved',
      'closed',
      'merged',
    ]);
  });

  it('refuses what is not a workflow with a carekit error', () => {
    for (const bad of [undefined, null, {}, { machine: {} }, 'workflow'])
      expect(() => ticketMachine(bad as never)).toThrow(CarekitArgumentError);
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(() => ticketMachine(throwing as never)).toThrow(/could not be read/);
  });
});
