import type { TicketEventType, TicketStatus } from '../model/index.js';
import { FINAL_STATUSES } from '../model/index.js';
import { ticketRules } from '../workflows/index.js';

const LIVE: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved'];
const FINAL: readonly TicketStatus[] = FINAL_STATUSES;
const NOT_ALLOWED = '—';

function guardText(guards: readonly { type: string; params?: { status?: string } }[]): string {
  return guards
    .map((g) => (g.params?.status === undefined ? g.type : `${g.type}(${g.params.status})`))
    .join(' and ');
}

/**
 * What each event does in each status, as a Markdown table for review: a row per event and a
 * column per live status (`new` to `solved`), each cell the status reached (`→ open`), the
 * condition when there is one, `stays` when the status does not change (the events a diagram
 * leaves out), the rejection code when it is refused, and `—` when the event is not allowed
 * there. What `closed` and `merged` accept follows the table in a sentence, so the table stays
 * narrow enough to read. Generated from the same rule table the lifecycle runs.
 *
 * @example
 * ```ts
 * lifecycleTable().split('\n')[0];
 * //=> '| event | new | open | pending | on hold | solved |'
 * ```
 */
export function lifecycleTable(): string {
  const header = `| event | ${LIVE.map((s) => s.replace(/_/g, ' ')).join(' | ')} |`;
  const rule = `|---|${LIVE.map(() => '---').join('|')}|`;
  const eventTypes = [
    ...new Set(LIVE.flatMap((status) => Object.keys(ticketRules[status]))),
  ] as TicketEventType[];
  const rows = eventTypes.map((type) => {
    const cells = LIVE.map((status) => {
      const candidates = ticketRules[status][type];
      if (candidates === undefined) return NOT_ALLOWED;
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
            r.reject === 'not_allowed_in_status'
              ? NOT_ALLOWED
              : r.reject !== undefined
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
  const accepted = (status: TicketStatus) =>
    Object.entries(ticketRules[status])
      .filter(([, rules]) => rules?.some((r) => r.reject === undefined))
      .map(([type]) => `\`${type}\``);
  const finals = FINAL.map((s) => accepted(s).join(', '));
  const notes = [
    '',
    `${NOT_ALLOWED}: not allowed in that status (rejected with \`not_allowed_in_status\`).`,
    '',
    finals.every((f) => f === finals[0])
      ? `In ${FINAL.join(' and ')} a ticket accepts only ${finals[0]}, and stays; every other event is rejected (\`not_allowed_in_status\`, or \`already_opened\`).`
      : FINAL.map((s, i) => `In ${s} a ticket accepts only ${finals[i]}, and stays.`).join(' '),
    '',
    '¹ `agent.replied` and `ticket.status_set` may name a `status` (open, pending, on_hold, solved); the ticket moves there. Solving needs `canSolve` (an assignee, or the replying agent when `assignOnReply`, unless `requireAssigneeToSolve` is off), else the event is rejected with `requires_assignee`; a ticket with an open child ticket is not solved (`open_children`) unless `solveWithOpenChildren`. Leaving `solved` this way counts a reopen.',
  ];
  return [header, rule, ...rows, ...notes].join('\n');
}
