// The traffic the multi-process test sends to its workers: contacts delivered twice (to two
// different workers), customer replies and solves for shared tickets handled by other workers
// than the one that opened them, and ticks from every worker, over three agents of capacity 3.
import type { TicketEventInput } from '../../../src/model/index.js';
import { createSlaPolicy } from '../../../src/sla/index.js';
import type { DeskOptions, InboundContactInput } from '../../../src/workflows/index.js';

export const T0 = Date.parse('2026-11-23T09:00:00Z');
export const HOUR = 3_600_000;
/** Calls a worker runs at once. */
export const IN_FLIGHT = 16;
export const CAPACITY = 3;
export const AGENTS = ['ana', 'ben', 'lia'].map((id) => ({ id, name: id, capacity: CAPACITY }));

export const policy = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
  warnAt: 0.5,
});

export const deskOptions = {
  slaPolicies: [policy],
  router: { filters: ['withinCapacity'], strategy: 'leastLoaded' },
  // Ticket ids every worker derives alike from the contact.
  ticketId: (contact) => `T-${contact.externalId}`,
  // A worker's clock far enough ahead that no message counts as coming from the future.
  clock: () => T0 + 400 * HOUR,
  maxAttempts: 100,
} satisfies Omit<DeskOptions, 'store' | 'agents'>;

export type Call =
  | {
      readonly kind: 'receive';
      readonly id: string;
      readonly group: string;
      readonly contact: InboundContactInput;
    }
  | { readonly kind: 'handle'; readonly id: string; readonly group: string; readonly event: TicketEventInput }
  | { readonly kind: 'tick'; readonly id: string; readonly at: number };

/** Every contact's body: unique, so the test can find each message once in the stored logs. */
export const contactBody = (n: number) => `Where is my order ${n}?`;
export const replyBody = (n: number) => `Any news about order ${n}?`;

/**
 * The calls of each of `workers` workers: `contacts` contacts, each delivered to two workers;
 * for each ticket a customer reply and (every other ticket) a solve, sent to a third worker;
 * ticks from every worker.
 */
export function traffic(workers: number, contacts: number): Call[][] {
  const out: Call[][] = Array.from({ length: workers }, () => []);
  for (let n = 0; n < contacts; n++) {
    const externalId = `mail-${n}`;
    const ticketId = `T-${externalId}`;
    const at = T0 + n * 60_000;
    const contact: InboundContactInput = {
      externalId,
      channel: 'email',
      customer: { id: `c${n % 12}` },
      subject: 'Order',
      body: contactBody(n),
      at,
    };
    for (const w of [n % workers, (n + 1) % workers]) {
      out[w]?.push({ kind: 'receive', id: `receive:${n}:${w}`, group: ticketId, contact });
    }
    const third = out[(n + 2) % workers] as Call[];
    third.push({
      kind: 'handle',
      id: `reply:${n}`,
      group: ticketId,
      event: {
        type: 'customer.replied',
        id: `${ticketId}:reply`,
        ticketId,
        at: at + HOUR,
        body: replyBody(n),
      },
    });
    if (n % 2 === 0) {
      third.push({
        kind: 'handle',
        id: `solve:${n}`,
        group: ticketId,
        event: {
          type: 'ticket.status_set',
          id: `${ticketId}:solve`,
          ticketId,
          at: at + 2 * HOUR,
          status: 'solved',
        },
      });
    }
  }
  for (const [w, calls] of out.entries()) {
    for (let k = 1; k <= 6; k++) calls.push({ kind: 'tick', id: `tick:${w}:${k}`, at: T0 + k * 3 * HOUR });
  }
  return out;
}
