import { checkArray, checkObject, checkString, readArgument } from '../../model/arguments.js';
import type { MessageRef, TicketEvent } from '../../model/index.js';

/** One message of a ticket's thread, wherever it was first written. */
export interface ThreadMessage {
  /** The message's identity: the ticket it was first written to and its event id there. */
  readonly ref: MessageRef;
  readonly author: 'customer' | 'agent';
  readonly agentId: string | null;
  readonly body: string;
  /** False for internal replies and notes. */
  readonly public: boolean;
  /** When it was written (epoch ms): the thread's order. */
  readonly writtenAt: number;
  /** The ticket whose log holds this copy of it (a merge target holds moved messages). */
  readonly ticketId: string;
  /** The id of the event that holds it in that log. */
  readonly eventId: string;
}

const keyOf = (ref: MessageRef): string => `${ref.ticketId}\u0000${ref.eventId}`;

/**
 * The key of a message's identity, for maps and sets.
 *
 * @example
 * ```ts
 * refKey({ ticketId: 'T-1', eventId: 'r1' }) === refKey({ ticketId: 'T-1', eventId: 'r1' });
 * //=> true
 * ```
 */
export function refKey(ref: MessageRef): string {
  const fn = 'refKey';
  checkObject(ref, fn, ['ref'], 'a message identity ({ ticketId, eventId })');
  const ticketId = checkString(
    readArgument(ref, 'ticketId', fn, ['ref', 'ticketId']),
    fn,
    ['ref', 'ticketId'],
    10_000,
  );
  const eventId = checkString(
    readArgument(ref, 'eventId', fn, ['ref', 'eventId']),
    fn,
    ['ref', 'eventId'],
    10_000,
  );
  return `${ticketId}\u0000${eventId}`;
}

/**
 * A ticket's thread from its log: the messages written to it (the opening message, customer and
 * agent replies, internal notes) and the ones moved in by a merge or a split (`message.moved`),
 * without the ones split off to another ticket (`ticket.split`), in the order they were written
 * (ties in log order). Each message keeps the identity it got where it was first written, so a
 * message is the same message in every thread it moves through. `events` must be an array of
 * parsed ticket events (a store's log): anything else is refused with a `CarekitArgumentError`.
 *
 * @example
 * ```ts
 * ticketThread([
 *   { type: 'ticket.opened', id: 'o', ticketId: 'T-2', at: 5, channel: 'email', subject: 's', body: 'Again: where is it?', customer: { id: 'c1' } },
 *   { type: 'message.moved', id: 'm', ticketId: 'T-2', at: 9, from: 'T-1', message: { ticketId: 'T-1', eventId: 'o1' },
 *     author: 'customer', body: 'Where is my parcel?', writtenAt: 1 },
 * ]).map((m) => m.ref.ticketId);
 * //=> ['T-1', 'T-2']
 * ```
 */
export function ticketThread(events: readonly TicketEvent[]): ThreadMessage[] {
  const fn = 'ticketThread';
  checkArray(events, fn, ['events'], "an array of parsed ticket events (a ticket's log)");
  for (let i = 0; i < events.length; i++) {
    const e = checkObject(events[i], fn, ['events', i], 'a parsed ticket event');
    const type = checkString(
      readArgument(e, 'type', fn, ['events', i, 'type']),
      fn,
      ['events', i, 'type'],
      100,
    );
    checkString(readArgument(e, 'id', fn, ['events', i, 'id']), fn, ['events', i, 'id'], 10_000);
    checkString(
      readArgument(e, 'ticketId', fn, ['events', i, 'ticketId']),
      fn,
      ['events', i, 'ticketId'],
      10_000,
    );
    if (type === 'ticket.split')
      checkArray(
        readArgument(e, 'messages', fn, ['events', i, 'messages']),
        fn,
        ['events', i, 'messages'],
        'an array of message identities',
      );
  }
  const live = new Map<string, { readonly message: ThreadMessage; readonly position: number }>();
  const add = (message: ThreadMessage, position: number) => {
    const key = keyOf(message.ref);
    if (!live.has(key)) live.set(key, { message, position });
  };
  events.forEach((e, position) => {
    const own = { ticketId: e.ticketId, eventId: e.id };
    switch (e.type) {
      case 'ticket.opened': {
        const origin = e.origin ?? 'customer';
        add(
          {
            ref: e.splitFrom?.message ?? { ticketId: e.ticketId, eventId: e.id },
            author: origin === 'customer' ? 'customer' : 'agent',
            agentId: e.agentId ?? null,
            body: e.body,
            public: true,
            writtenAt: e.splitFrom?.writtenAt ?? e.at,
            ...own,
          },
          position,
        );
        break;
      }
      case 'customer.replied':
        add(
          {
            ref: own,
            author: 'customer',
            agentId: null,
            body: e.body,
            public: true,
            writtenAt: e.at,
            ...own,
          },
          position,
        );
        break;
      case 'agent.replied':
      case 'agent.noted':
        add(
          {
            ref: own,
            author: 'agent',
            agentId: e.agentId,
            body: e.body,
            public: e.type === 'agent.replied' && e.public !== false,
            writtenAt: e.at,
            ...own,
          },
          position,
        );
        break;
      case 'message.moved':
        add(
          {
            ref: e.message,
            author: e.author,
            agentId: e.agentId ?? null,
            body: e.body,
            public: e.public !== false,
            writtenAt: e.writtenAt,
            ...own,
          },
          position,
        );
        break;
      case 'ticket.split':
        for (const ref of e.messages) live.delete(keyOf(ref));
        break;
      default:
        break;
    }
  });
  return [...live.values()]
    .sort((a, b) => a.message.writtenAt - b.message.writtenAt || a.position - b.position)
    .map((x) => x.message);
}
