// Lifecycle decisions as given / when / then (emmett's shape): a ticket's history, the event it
// meets next, and what must come out of it. Replaces the hand-built logs and the little `run`
// loops the workflow tests each had.
//
//   givenTicket(replied(T0 + H, { status: 'pending' }))
//     .when(customerReplied(T0 + 2 * H))
//     .then({ status: 'open', effects: [] });
import { expect } from 'vitest';
import type {
  TicketEventInput,
  TicketEventInputOf,
  TicketEventType,
  TicketStatus,
} from '../../src/model/index.js';
import {
  type ApplyResult,
  createTicketWorkflow,
  type TicketSnapshot,
  type TicketWorkflow,
} from '../../src/workflows/index.js';

/** 2025-03-10 09:00 UTC, a Monday: the instant every history here starts at. */
export const T0 = Date.UTC(2025, 2, 10, 9, 0);
export const MIN = 60_000;
export const H = 60 * MIN;
export const D = 24 * H;

/**
 * The fields of a `T` event a test gives, as a producer writes them (`TicketEventInputOf`): any
 * of them, the builder fills in `type`, `at`, an id and the ticket id. A misspelt or mistyped
 * field is a type error (tests/support/givenTicket.test-d.ts); an event the schema must refuse
 * is built as a literal with a cast, where the test says so.
 */
export type EventFields<T extends TicketEventType> = Partial<Omit<TicketEventInputOf<T>, 'type' | 'at'>>;

let counter = 1;

/** A `type` event at `at` for ticket T-1, with a fresh id (`e2`, `e3`...). */
export function ticketEvent<T extends TicketEventType>(
  type: T,
  at: number,
  extra: EventFields<T> = {},
): TicketEventInputOf<T> {
  counter += 1;
  // Partial fields: the builders below supply the required ones; the workflow parses every event.
  return { type, id: `e${counter}`, ticketId: 'T-1', at, ...extra } as TicketEventInputOf<T>;
}

/** T-1 opened by email at T0 by customer c1 (id `e1`). */
export function opened(extra: EventFields<'ticket.opened'> = {}): TicketEventInputOf<'ticket.opened'> {
  return {
    type: 'ticket.opened',
    id: 'e1',
    ticketId: 'T-1',
    at: T0,
    channel: 'email',
    subject: 'Broken mug',
    body: 'It arrived in pieces.',
    customer: { id: 'c1', name: 'Dana' },
    ...extra,
  };
}

/** A public reply by agent a1. */
export const agentReplied = (
  at: number,
  extra: EventFields<'agent.replied'> = {},
): TicketEventInputOf<'agent.replied'> =>
  ticketEvent('agent.replied', at, { agentId: 'a1', body: 'On it', ...extra });
/** A reply from the customer. */
export const customerReplied = (
  at: number,
  extra: EventFields<'customer.replied'> = {},
): TicketEventInputOf<'customer.replied'> =>
  ticketEvent('customer.replied', at, { body: 'Any news?', ...extra });
/** The ticket assigned to `agentId` (null: unassigned). */
export const assigned = (
  at: number,
  agentId: string | null = 'a1',
  extra: EventFields<'ticket.assigned'> = {},
): TicketEventInputOf<'ticket.assigned'> => ticketEvent('ticket.assigned', at, { agentId, ...extra });
/** The status set by an agent. */
export const statusSet = (
  at: number,
  status: TicketEventInputOf<'ticket.status_set'>['status'],
  extra: EventFields<'ticket.status_set'> = {},
): TicketEventInputOf<'ticket.status_set'> => ticketEvent('ticket.status_set', at, { status, ...extra });
/** The clock's tick. */
export const tick = (at: number): TicketEventInputOf<'clock.tick'> => ticketEvent('clock.tick', at);

/** What the event must have made: each field given is checked, the others are not. */
export interface Expected {
  /** The status after the event. */
  readonly status?: TicketStatus;
  /** The effects, exactly (asymmetric matchers such as `expect.objectContaining` work inside). */
  readonly effects?: readonly unknown[];
  /** The effects' types, in order. */
  readonly effectTypes?: readonly string[];
  /** The rejection (matched as `toMatchObject`), or `undefined` for an accepted event. */
  readonly rejected?: Record<string, unknown> | undefined;
  /** Part of the snapshot's context (matched as `toMatchObject`). */
  readonly context?: Record<string, unknown>;
}

/** The ticket after its history, meeting one more event. */
export class When {
  constructor(readonly result: ApplyResult) {}

  /**
   * Checks the result against `expected` and returns it for further checks. Named as in
   * given/when/then; it is not a promise's `then` (awaiting a `When` is refused).
   */
  // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary; never awaited
  then(expected: Expected): ApplyResult {
    if (typeof expected === 'function')
      throw new Error('givenTicket(...).when(...) is not a promise: call .then({ ... })');
    const { result } = this;
    if ('status' in expected) expect(result.snapshot.status, 'status').toBe(expected.status);
    if (expected.effects !== undefined) expect(result.effects, 'effects').toEqual(expected.effects);
    if (expected.effectTypes !== undefined)
      expect(
        result.effects.map((e) => e.type),
        'effect types',
      ).toEqual(expected.effectTypes);
    if ('rejected' in expected) {
      if (expected.rejected === undefined) expect(result.rejected, 'rejection').toBeUndefined();
      else expect(result.rejected, 'rejection').toMatchObject(expected.rejected);
    }
    if (expected.context !== undefined)
      expect(result.snapshot.context, 'context').toMatchObject(expected.context);
    return result;
  }
}

/** A ticket's history, on a workflow (the default lifecycle unless `on` names another). */
export class Given {
  constructor(
    private readonly events: readonly TicketEventInput[],
    private readonly workflow: TicketWorkflow = createTicketWorkflow(),
  ) {}

  /** The same history on another workflow. */
  on(workflow: TicketWorkflow): Given {
    return new Given(this.events, workflow);
  }

  /** The snapshot after the history (each event must be accepted). */
  get snapshot(): TicketSnapshot {
    const [first, ...rest] = this.events;
    let { snapshot } = this.workflow.start(first!);
    for (const event of rest) {
      const result = this.workflow.apply(snapshot, event);
      if (result.rejected !== undefined)
        throw new Error(`the history's ${String(event.type)} was refused: ${result.rejected.message}`);
      snapshot = result.snapshot;
    }
    return snapshot;
  }

  /** Applies `event` to the ticket after its history. */
  when(event: TicketEventInput): When {
    return new When(this.workflow.apply(this.snapshot, event));
  }
}

/**
 * A ticket whose history is `events`: `opened()` first unless the first event is a
 * `ticket.opened` of its own.
 */
export function givenTicket(...events: TicketEventInput[]): Given {
  return new Given(events[0]?.type === 'ticket.opened' ? events : [opened(), ...events]);
}
