import type { TicketStatus } from '../model/index.js';
import {
  createTicketWorkflow,
  type Rule,
  type TicketWorkflowConfigInput,
  ticketRules,
} from '../workflows/index.js';
import { duration, mermaidText } from './markdown.js';

/** The statuses a ticket lives through, in the order a reviewer reads them. */
export const STATUSES: readonly TicketStatus[] = [
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
  'merged',
];
const LIVE: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved'];

/** A status as a person reads it: `on hold`, not `on_hold`. */
export const statusName = (status: string): string => status.replace(/_/g, ' ');

/** One arrow of {@link lifecycleArrows}: the statuses it leaves, the one it reaches, and why, in words. */
export interface LifecycleArrow {
  /** One status, or every status still live (`new` to `solved`) for what can happen in any of them. */
  readonly from: readonly TicketStatus[];
  readonly to: TicketStatus;
  /** What moves the ticket, in a few words each (`customer replies`, `no reply for 7 days`). */
  readonly because: readonly string[];
}

type Config = ReturnType<typeof createTicketWorkflow>['config'];

function words(event: string, rule: Rule, from: TicketStatus, config: Config): string | null {
  const guards = new Set(rule.guards.map((g) => g.type));
  const sets = rule.guards.find((g) => g.type === 'setsStatus')?.params?.status;
  switch (event) {
    case 'customer.replied':
      if (guards.has('withinReopenWindow')) return `customer replies within ${duration(config.reopenWindow)}`;
      return from === 'solved' ? 'customer replies later (a follow-up opens)' : 'customer replies';
    case 'agent.replied':
    case 'ticket.status_set': {
      if (sets === 'solved') return 'agent solves';
      if (sets !== undefined) return from === 'solved' ? 'agent reopens' : 'agent sets it';
      return 'agent replies';
    }
    case 'ticket.assigned':
      return 'an agent is assigned';
    case 'ticket.merged':
      return 'merged into another ticket';
    case 'ticket.closed':
      return 'closed by an agent';
    case 'ticket.marked_spam':
      return 'marked as spam';
    case 'clock.tick':
      if (guards.has('autoSolveDue'))
        return config.autoSolvePendingAfter === null
          ? null
          : `no reply for ${duration(config.autoSolvePendingAfter)}`;
      if (guards.has('autoCloseDue'))
        return config.autoCloseSolvedAfter === null ? null : `after ${duration(config.autoCloseSolvedAfter)}`;
      return 'time passes';
    default:
      return event;
  }
}

/**
 * The lifecycle as a person reads it: one arrow per pair of statuses, each with the few events
 * that cause it in words (the reopen window and the auto-solve and auto-close times of `config`
 * filled in). What can happen in every live status (closing, spam, merging) is one arrow from
 * all of them. Events that leave the status as it is are not arrows ({@link lifecycleTable}
 * lists them), nor are deadlines the configuration turns off. Generated from the rule table the
 * lifecycle runs.
 *
 * @example
 * ```ts
 * lifecycleArrows({ autoSolvePendingAfter: { days: 4 } }).find((a) => a.from[0] === 'pending' && a.to === 'solved');
 * //=> { from: ['pending'], to: 'solved', because: ['agent solves', 'no reply for 4 days'] }
 * ```
 */
export function lifecycleArrows(config: TicketWorkflowConfigInput = {}): LifecycleArrow[] {
  const resolved = createTicketWorkflow(config).config;
  const pairs = new Map<string, Set<string>>();
  for (const from of STATUSES) {
    for (const [event, rules] of Object.entries(ticketRules[from])) {
      for (const rule of rules ?? []) {
        const to = rule.target ?? from;
        if (rule.reject !== undefined || to === from) continue;
        const text = words(event, rule, from, resolved);
        if (text === null) continue;
        const key = `${from} ${to}`;
        const set = pairs.get(key) ?? new Set<string>();
        set.add(text);
        pairs.set(key, set);
      }
    }
  }
  const arrows: LifecycleArrow[] = [];
  for (const to of STATUSES) {
    // What every live status shares on the way to `to` is drawn once, from all of them.
    const shared = LIVE.every((from) => pairs.has(`${from} ${to}`))
      ? [...(pairs.get(`${LIVE[0]} ${to}`) as Set<string>)].filter((t) =>
          LIVE.every((from) => pairs.get(`${from} ${to}`)?.has(t)),
        )
      : [];
    if (shared.length > 0) arrows.push({ from: LIVE, to, because: shared });
    for (const from of STATUSES) {
      const own = [...(pairs.get(`${from} ${to}`) ?? [])].filter((t) => !shared.includes(t));
      if (own.length > 0) arrows.push({ from: [from], to, because: own });
    }
  }
  const order = (a: LifecycleArrow) =>
    STATUSES.indexOf(a.from.length > 1 ? 'closed' : (a.from[0] as TicketStatus));
  return arrows.sort((a, b) => order(a) - order(b));
}

const AGENT_MOVES = new Set(['agent sets it', 'agent solves', 'agent reopens']);

/**
 * The arrows {@link lifecycleDiagram} draws: those of {@link lifecycleArrows}, with an agent's
 * own moves (setting a status by hand or with a reply) drawn from `open` only, since an agent
 * can move a live ticket to any of `open`, `pending`, `on_hold` and `solved` and those arrows
 * between every pair would hide the rest; {@link LIFECYCLE_AGENT_NOTE} says so under the diagram.
 *
 * @example
 * ```ts
 * drawnLifecycleArrows().some((a) => a.from[0] === 'pending' && a.to === 'on_hold');
 * //=> false
 * ```
 */
export function drawnLifecycleArrows(config: TicketWorkflowConfigInput = {}): LifecycleArrow[] {
  return lifecycleArrows(config)
    .map((a) => ({
      ...a,
      because:
        a.from.length === 1 && a.from[0] !== 'open'
          ? a.because.filter((t) => !AGENT_MOVES.has(t))
          : a.because,
    }))
    .filter((a) => a.because.length > 0);
}

/** The sentence under the lifecycle diagram for the agent's moves it does not draw. */
export const LIFECYCLE_AGENT_NOTE =
  'Besides the arrows drawn, an agent can move any live ticket to open, pending, on hold or solved, with a reply or by hand (solving needs an assignee); moving a solved ticket back counts as a reopen. The table below lists every event in every status, and the events that leave the status as it is.';

/**
 * The lifecycle diagram as a Mermaid flowchart: the statuses as nodes and the arrows of
 * {@link drawnLifecycleArrows}, labelled in words. Small enough to read at a page's width.
 *
 * @example
 * ```ts
 * lifecycleDiagram().split('\n')[0];
 * //=> 'flowchart TB'
 * ```
 */
export function lifecycleDiagram(config: TicketWorkflowConfigInput = {}): string {
  const arrows = drawnLifecycleArrows(config);
  const lines = ['flowchart TB', '  start(( )) --> new'];
  for (const status of LIVE) lines.push(`  ${status}(["${statusName(status)}"])`);
  lines.push('  closed[["closed"]]', '  merged[["merged"]]');
  // What every live status shares starts from one dashed box instead of five arrows.
  if (arrows.some((a) => a.from.length > 1))
    lines.push('  live["any status above"]:::any', '  classDef any stroke-dasharray: 5 5');
  for (const a of arrows) {
    const from = a.from.length > 1 ? 'live' : (a.from[0] as string);
    lines.push(`  ${from} -- "${a.because.map(mermaidText).join('<br>')}" --> ${a.to}`);
  }
  return lines.join('\n');
}
