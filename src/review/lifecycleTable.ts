import type { TicketStatus } from '../model/index.js';
import { ticketRules } from '../workflows/index.js';

const STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'merged'];
const EVENT_TYPES = [
  'ticket.opened',
  'customer.replied',
  'agent.replied',
  'agent.noted',
  'ticket.assigned',
  'ticket.status_set',
  'ticket.reprioritized',
  'ticket.categorized',
  'ticket.escalated',
  'ticket.merged',
  'message.moved',
  'ticket.merged_from',
  'ticket.split',
  'ticket.parent_set',
  'ticket.child_changed',
  'side.opened',
  'side.replied',
  'side.status_set',
  'ticket.closed',
  'ticket.marked_spam',
  'survey.answered',
  'clock.tick',
] as const;

function guardText(guards: readonly { type: string; params?: { status?: string } }[]): string {
  return guards
    .map((g) => (g.params?.status === undefined ? g.type : `${g.type}(${g.params.status})`))
    .join(' and ');
}

/**
 * What each event does in each status, as a Markdown table for review: the status reached
 * (`→ open`), the condition when there is one, `stays` when the status does not change, and
 * the rejection code when it is refused. Generated from the same rule table the lifecycle runs.
 *
 * @example
 * ```ts
 * lifecycleTable().split('\n')[0];
 * //=> '| event | new | open | pending | on_hold | solved | closed | merged |'
 * ```
 */
export function lifecycleTable(): string {
  const header = `| event | ${STATUSES.join(' | ')} |`;
  const rule = `|---|${STATUSES.map(() => '---').join('|')}|`;
  const rows = EVENT_TYPES.map((type) => {
    const cells = STATUSES.map((status) => {
      const candidates = ticketRules[status][type];
      if (candidates === undefined) return 'rejected: `not_allowed_in_status`';
      const setsStatus = candidates.filter((r) => r.guards.some((g) => g.type === 'setsStatus'));
      const others = candidates.filter((r) => !setsStatus.includes(r));
      const parts: string[] = [];
      if (setsStatus.length > 0) {
        const guarded = setsStatus.some((r) => r.reject === 'requires_assignee');
        parts.push(`→ its \`status\`${guarded ? ' ¹' : ''}`);
      }
      parts.push(
        ...others.map((r) => {
          const outcome =
            r.reject !== undefined
              ? `rejected: \`${r.reject}\``
              : r.target !== undefined
                ? `→ ${r.target}`
                : 'stays';
          const when = guardText(r.guards);
          return when === '' ? outcome : `${outcome} if ${when}`;
        }),
      );
      // A guarded outcome that equals the fallback adds nothing: "stays if x; otherwise stays" is "stays".
      const fallback = parts.at(-1) ?? '';
      const kept = parts.filter((p, i) => i === parts.length - 1 || !p.startsWith(`${fallback} if `));
      return kept.join('; otherwise ');
    });
    return `| \`${type}\` | ${cells.join(' | ')} |`;
  });
  const notes = [
    '',
    '¹ `agent.replied` and `ticket.status_set` may name a `status` (open, pending, on_hold, solved); the ticket moves there. Solving needs `canSolve` (an assignee, or the replying agent when `assignOnReply`, unless `requireAssigneeToSolve` is off), else the event is rejected with `requires_assignee`; a ticket with an open child ticket is not solved (`open_children`) unless `solveWithOpenChildren`. Leaving `solved` this way counts a reopen.',
  ];
  return [header, rule, ...rows, ...notes].join('\n');
}
