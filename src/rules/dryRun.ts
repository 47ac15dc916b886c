import { parseTicketEvent, type TicketEvent, type TicketStatus } from '../model/index.js';
import type { RuleSet } from './defineRules.js';
import { describeChange } from './explainTicket.js';

/**
 * What {@link dryRun} needs of the lifecycle (a `TicketWorkflow` from `carekit/workflows` is
 * one): the same lifecycle under other rules, replaying a log with the rules run.
 */
export interface RuleReplayer {
  withRules(rules: RuleSet | null): {
    replay(
      events: readonly unknown[],
      options: { readonly runRules: true; readonly trusted?: boolean },
    ): { readonly snapshot: { readonly status: TicketStatus }; readonly log?: readonly TicketEvent[] };
  };
  replay(events: readonly unknown[]): { readonly snapshot: { readonly status: TicketStatus } };
}

/** A change a rule made, or would make, in a dry run. */
export interface RuleFiring {
  readonly ruleId: string;
  readonly at: number;
  readonly type: TicketEvent['type'];
  readonly change: string;
}

/** The result of {@link dryRun}. */
export interface DryRunResult {
  /** True when the candidate rules make exactly the changes the recorded ones made. */
  readonly same: boolean;
  /** Changes the candidate rules would make that the log does not have. */
  readonly added: readonly RuleFiring[];
  /** Changes in the log that the candidate rules would not make. */
  readonly removed: readonly RuleFiring[];
  /** The ticket's status at the end, as recorded and under the candidate rules. */
  readonly status: { readonly recorded: TicketStatus; readonly candidate: TicketStatus };
  /** The log the candidate rules would have produced. */
  readonly log: readonly TicketEvent[];
}

function ruleOf(e: TicketEvent): string | null {
  const by = 'by' in e ? e.by : undefined;
  return by !== undefined && typeof by === 'object' ? by.rule : null;
}

/** The event without its id, with keys in one order (parsed and made events list them differently). */
function keyOf(e: TicketEvent): string {
  const { id: _id, ...rest } = e;
  return JSON.stringify(rest, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

function firing(e: TicketEvent): RuleFiring {
  return { ruleId: ruleOf(e)!, at: e.at, type: e.type, change: describeChange(e) };
}

/**
 * What-if review before a rule change goes live: replays a ticket's recorded log under a
 * candidate rule set (the recorded rules' changes are set aside, the people's and the system's
 * events are kept) and lists the changes that would be made differently. Effects (notices,
 * templates) are not compared; changes are compared by rule, instant, type and content.
 *
 * @example
 * ```ts
 * const result = dryRun(candidateRules, log, tickets);
 * result.added.map((f) => `${f.ruleId}: ${f.change}`);
 * //=> ['pending-reminder: added tags reminded']
 * result.status;
 * //=> { recorded: 'pending', candidate: 'solved' }
 * ```
 */
export function dryRun(
  candidate: RuleSet | null,
  log: readonly unknown[],
  lifecycle: RuleReplayer,
): DryRunResult {
  const events = log.map((e) => parseTicketEvent(e));
  const recorded = lifecycle.replay(events);
  const hostEvents = events.filter((e) => ruleOf(e) === null);
  const replayed = lifecycle.withRules(candidate).replay(hostEvents, { runRules: true, trusted: true });
  const newLog = replayed.log ?? hostEvents;
  const before = events.filter((e) => ruleOf(e) !== null);
  const after = newLog.filter((e) => ruleOf(e) !== null);
  const pending = new Map<string, TicketEvent[]>();
  for (const e of before) {
    const k = keyOf(e);
    pending.set(k, [...(pending.get(k) ?? []), e]);
  }
  const added: RuleFiring[] = [];
  for (const e of after) {
    const same = pending.get(keyOf(e));
    if (same !== undefined && same.length > 0) same.shift();
    else added.push(firing(e));
  }
  const removed = [...pending.values()]
    .flat()
    .sort((a, b) => a.at - b.at)
    .map(firing);
  const status = { recorded: recorded.snapshot.status, candidate: replayed.snapshot.status };
  return {
    same: added.length === 0 && removed.length === 0 && status.recorded === status.candidate,
    added,
    removed,
    status,
    log: newLog,
  };
}
