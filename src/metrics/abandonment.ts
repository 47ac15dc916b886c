import type { Accumulator } from './accumulator.js';
import { fold } from './accumulator.js';
import { checkFacts } from './guards.js';
import { type RateResult, type RateState, rateAccumulator } from './rates.js';
import { deflected } from './selfService.js';
import type { TicketFacts } from './ticketFacts.js';

/**
 * When the conversation ended: its first solve, else its close (null while it goes on). A close
 * is final and `ticketFacts` applies events in time order, so a first solve is never after it.
 */
const endedAt = (f: TicketFacts): number | null => f.firstSolvedAt ?? f.closedAt;

/** A customer's chat, not spam or merged, and not solved by a bot (self-service is not abandonment). */
const customerChat = (f: TicketFacts) =>
  f.channel === 'chat' && f.origin === 'customer' && f.excluded === null && !deflected(f);

/**
 * Whether a chat was abandoned: it ended (was solved or closed) before a person's first public
 * reply, or with none.
 *
 * @internal
 */
export function abandoned(f: TicketFacts): boolean {
  const end = endedAt(f);
  return end !== null && (f.firstReplyAt === null || f.firstReplyAt > end);
}

/** Decided: a person replied, or the conversation ended. A chat still waiting counts in neither. */
const decided = (f: TicketFacts) => customerChat(f) && (f.firstReplyAt !== null || endedAt(f) !== null);

const DEFINITION =
  "chat abandonment rate: customers' chats that ended (solved or closed) before a person's first public reply, of chats that got a reply or ended";

/**
 * Chat abandonment as a mergeable accumulator (see {@link chatAbandonmentRate}).
 *
 * @example
 * ```ts
 * fold(chatAbandonmentAccumulator(), facts).value;
 * //=> 12.5
 * ```
 */
export function chatAbandonmentAccumulator(): Accumulator<TicketFacts, RateState, RateResult> {
  return rateAccumulator(abandoned, decided, DEFINITION);
}

/**
 * Chat abandonment rate: the share of chats the customer left before a first reply. The field
 * counts "the percentage of customers who leave a support queue, chat, or call before reaching an
 * agent or getting an answer"; for chat, "a chat the visitor closes before anyone replies"
 * (eesel, "Abandonment rate"; Assembled's WFM glossary counts contacts that "abandon the queue",
 * as a share of total contacts).
 *
 * carekit's events have no "visitor left" event, so leaving is read from what the log says: a
 * chat left is one whose conversation **ended** — it was solved or closed (`ticket.closed`, a
 * status set to solved or closed, the lifecycle's deadlines), whoever ended it — **before the
 * first public reply by a person** (`firstReplyAt`; bot replies do not count), or with no such
 * reply. Counted over customers' chats (`channel: 'chat'`, opened by the customer) that are
 * decided: a person replied, or the chat ended; a chat still waiting with no reply at the end of
 * the log is neither abandoned nor answered yet, and is left out. Spam, merged tickets and chats a
 * bot solved by itself (self-service, see `deflected`) are left out too.
 *
 * @example
 * ```ts
 * // four chats: answered, closed after 5 min with no reply, answered after the customer left, still waiting
 * chatAbandonmentRate(facts);
 * //=> { value: 66.7, n: 3, hits: 2, ... }
 * ```
 */
export function chatAbandonmentRate(facts: readonly TicketFacts[]): RateResult {
  checkFacts(facts, 'chatAbandonmentRate');
  return fold(chatAbandonmentAccumulator(), facts);
}
