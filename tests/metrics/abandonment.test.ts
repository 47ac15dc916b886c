// chatAbandonmentRate chat by chat: what ends a chat, which reply comes first, and which chats
// count at all (customers' chats, not spam, merged or solved by a bot).
import { describe, expect, it } from 'vitest';
import { chatAbandonmentRate, type TicketFacts, ticketFacts } from '../../src/metrics/index.js';
import { CarekitError } from '../../src/model/index.js';
import { log, MIN, reply, T0 } from './support.js';

const at = (m: number) => T0 + m * MIN;
const chat = (id: string, steps: Record<string, unknown>[], opened: Record<string, unknown> = {}) =>
  ticketFacts(log(id, steps, { channel: 'chat', ...opened }));
const solved = (m: number) => ({ type: 'ticket.status_set', at: at(m), status: 'solved' });
const closed = (m: number) => ({ type: 'ticket.closed', at: at(m) });
/** One chat's part in the rate: [abandoned, counted]. */
const part = (f: TicketFacts) => {
  const r = chatAbandonmentRate([f]);
  return [r.hits, r.n];
};

describe('chatAbandonmentRate, chat by chat', () => {
  it('a chat answered before it ended is not abandoned', () => {
    expect(part(chat('A', [reply(at(2)), solved(20)]))).toEqual([0, 1]);
    expect(part(chat('B', [reply(at(2)), closed(20)]))).toEqual([0, 1]);
  });

  it('a reply that solves the chat is an answer: it does not come after the end', () => {
    expect(part(chat('A', [reply(at(2), { status: 'solved' })]))).toEqual([0, 1]);
  });

  it('a chat answered and still open counts as answered', () => {
    expect(part(chat('A', [reply(at(2))]))).toEqual([0, 1]);
  });

  it('a chat that ended with no reply, or before the first one, is abandoned', () => {
    expect(part(chat('A', [closed(5)]))).toEqual([1, 1]);
    expect(part(chat('B', [solved(3)]))).toEqual([1, 1]);
    expect(part(chat('C', [solved(3), reply(at(9))]))).toEqual([1, 1]);
  });

  it('a chat ends at its first solve, even when it is closed after a later reply', () => {
    expect(part(chat('A', [solved(3), reply(at(5)), closed(9)]))).toEqual([1, 1]);
    expect(part(chat('B', [reply(at(2)), solved(3), closed(9)]))).toEqual([0, 1]);
  });

  it('a chat still waiting with no reply is left out', () => {
    expect(part(chat('A', []))).toEqual([0, 0]);
    expect(chatAbandonmentRate([chat('A', [])])).toMatchObject({ value: null, reason: 'no tickets qualify' });
  });

  it('only customers’ chats count: not emails, nor chats an agent or automation opened', () => {
    expect(part(chat('A', [closed(5)], { channel: 'email' }))).toEqual([0, 0]);
    expect(part(chat('B', [closed(5)], { origin: 'agent', agentId: 'a' }))).toEqual([0, 0]);
    expect(part(chat('C', [closed(5)], { origin: 'system' }))).toEqual([0, 0]);
  });

  it('spam and merged chats are left out, answered or not', () => {
    expect(part(chat('A', [{ type: 'ticket.marked_spam', at: at(3) }]))).toEqual([0, 0]);
    expect(part(chat('B', [reply(at(2)), { type: 'ticket.marked_spam', at: at(3) }]))).toEqual([0, 0]);
    expect(part(chat('C', [{ type: 'ticket.merged', at: at(3), into: 'W' }]))).toEqual([0, 0]);
  });

  it('a chat a bot solved by itself is self-service, not abandonment', () => {
    expect(part(chat('A', [reply(at(1), { agentId: 'bot', bot: true, status: 'solved' })]))).toEqual([0, 0]);
    // A bot answer a person followed is a chat like any other.
    expect(part(chat('B', [reply(at(1), { agentId: 'bot', bot: true }), reply(at(4)), solved(9)]))).toEqual([
      0, 1,
    ]);
  });

  it('adds the chats up: hits of n, and the definition it used', () => {
    const r = chatAbandonmentRate([
      chat('A', [reply(at(2)), solved(20)]),
      chat('B', [closed(5)]),
      chat('C', [solved(3), reply(at(9))]),
      chat('D', []),
    ]);
    expect([r.hits, r.n, r.value]).toEqual([2, 3, 200 / 3]);
    expect(r.definition).toBe(
      "chat abandonment rate: customers' chats that ended (solved or closed) before a person's first public reply, of chats that got a reply or ended",
    );
  });

  it('refuses anything that is not an array of ticket facts, naming itself', () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(CarekitError);
        const e = error as CarekitError & { path: unknown };
        return { code: e.code, path: e.path, message: e.message };
      }
      throw new Error('expected a refusal');
    };
    const advice = 'derive them with ticketFacts(events, options) from this version of carekit';
    expect(refusal(() => chatAbandonmentRate({} as never))).toEqual({
      code: 'invalid_facts',
      path: [],
      message: `chatAbandonmentRate: expected an array of ticket facts, got an object; ${advice}`,
    });
    expect(refusal(() => chatAbandonmentRate([{ ticketId: 'T-1' }] as never))).toEqual({
      code: 'invalid_facts',
      path: [0],
      message: `chatAbandonmentRate: [0] is an object without factsVersion (not made by ticketFacts), not ticket facts; ${advice}`,
    });
  });
});
