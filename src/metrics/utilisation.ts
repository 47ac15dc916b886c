import { z } from 'zod';
import { businessTimeBetween, type Calendar } from '../calendar/index.js';
import type { Accumulator } from './accumulator.js';
import {
  checkFact,
  checkFacts,
  MetricsArgumentError,
  objectOption,
  parseOptions,
  readSafely,
} from './guards.js';
import type { KpiResult } from './result.js';
import type { TicketFacts } from './ticketFacts.js';

/** Options of {@link agentUtilisation}. */
export interface UtilisationOptions {
  /** Each agent's shift calendar (a calendar from `createCalendar`: the hours the agent is staffed). */
  readonly shifts: Readonly<Record<string, Calendar>>;
  /** Start of the period (epoch ms, inclusive). Default: the earliest ticket creation in the facts. */
  readonly from?: number;
  /** End of the period (epoch ms, exclusive). Default: the latest event in the facts. */
  readonly to?: number;
}

/** One agent's utilisation over the period. */
export interface AgentUtilisation {
  /** Work the agent's replies and notes carry (`workMs`) stamped within the period. */
  readonly handledMs: number;
  /** The agent's shift hours within the period (0 without a shift calendar). */
  readonly staffedMs: number;
  /** `100 × handledMs / staffedMs`, or null without staffed time. */
  readonly value: number | null;
}

/** Agent utilisation: the team's value, and each agent's. */
export interface UtilisationResult extends KpiResult {
  /** The team's handled time over its staffed time, in percent (agents with a shift only). */
  readonly value: number | null;
  /** Agents with staffed time in the period. */
  readonly n: number;
  readonly handledMs: number;
  readonly staffedMs: number;
  readonly from: number | null;
  readonly to: number | null;
  /** Per agent, every agent with a shift or with work in the period, in id order. */
  readonly agents: Readonly<Record<string, AgentUtilisation>>;
}

/** The plain-JSON partial state of {@link agentUtilisationAccumulator}. */
export interface UtilisationState {
  /**
   * Work (ms) per agent of the events within the period. Without a period given, every event
   * counts: the default period (the facts' span) holds every event of the facts by construction.
   */
  readonly handled: Readonly<Record<string, number>>;
  /** The span of the facts added: earliest creation, latest event (the default period). */
  readonly first: number | null;
  readonly last: number | null;
}

const UtilisationOptionsSchema = z.strictObject({
  shifts: z.record(z.string().min(1), objectOption<Calendar>('a calendar from createCalendar')),
  from: z.number().finite().optional(),
  to: z.number().finite().optional(),
});

const DEFINITION =
  "agent utilisation: work the agents' replies and notes carry (workMs), over the hours of their shift calendars, in the period";

function parseUtilisationOptions(options: unknown, fn: string): UtilisationOptions {
  const o = parseOptions<UtilisationOptions>(UtilisationOptionsSchema, options, fn);
  readSafely(fn, ['shifts'], () => {
    for (const [id, calendar] of Object.entries(o.shifts))
      if (typeof (calendar as { timeZone?: unknown }).timeZone !== 'string')
        throw new MetricsArgumentError(
          'invalid_argument',
          ['shifts', id],
          `${fn}: shifts.${id} is not a calendar; make shift calendars with createCalendar({ timeZone, week })`,
        );
  });
  if (o.from !== undefined && o.to !== undefined && o.to < o.from)
    throw new MetricsArgumentError(
      'invalid_argument',
      ['to'],
      `${fn}: the period ends (to) before it starts (from)`,
    );
  return o;
}

/**
 * Agent utilisation as a mergeable accumulator over ticket facts: the work each agent's replies
 * and notes carry is kept per agent, then divided by the agent's shift hours in the period when
 * the result is read (see {@link agentUtilisation} for the definition).
 *
 * @example
 * ```ts
 * const acc = agentUtilisationAccumulator({ shifts: { ana: weekdays }, from, to });
 * acc.result(acc.merge(foldState(acc, monday), foldState(acc, tuesday))).agents.ana?.value;
 * //=> 62.5
 * ```
 */
export function agentUtilisationAccumulator(
  options: UtilisationOptions,
): Accumulator<TicketFacts, UtilisationState, UtilisationResult> {
  const o = parseUtilisationOptions(options, 'agentUtilisationAccumulator');
  const within = (at: number) => (o.from === undefined || at >= o.from) && (o.to === undefined || at < o.to);
  return {
    empty: () => ({ handled: Object.create(null) as Record<string, number>, first: null, last: null }),
    add(state, f) {
      checkFact(f, 'agentUtilisationAccumulator.add');
      const s = state as { -readonly [K in keyof UtilisationState]: UtilisationState[K] };
      const handled = s.handled as Record<string, number>;
      for (const w of f.work ?? []) if (within(w.at)) handled[w.agentId] = (handled[w.agentId] ?? 0) + w.ms;
      if (s.first === null || f.createdAt < s.first) s.first = f.createdAt;
      if (s.last === null || f.lastEventAt > s.last) s.last = f.lastEventAt;
      return state;
    },
    merge(a, b) {
      const handled = Object.create(null) as Record<string, number>;
      for (const side of [a.handled, b.handled])
        for (const [id, ms] of Object.entries(side)) handled[id] = (handled[id] ?? 0) + ms;
      const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) =>
        x === null ? y : y === null ? x : f(x, y);
      return { handled, first: pick(a.first, b.first, Math.min), last: pick(a.last, b.last, Math.max) };
    },
    result(state) {
      const from = o.from ?? state.first;
      const to = o.to ?? state.last;
      const agents: Record<string, AgentUtilisation> = {};
      let handledMs = 0;
      let staffedMs = 0;
      let n = 0;
      const ids = [...new Set([...Object.keys(o.shifts), ...Object.keys(state.handled)])].sort();
      for (const id of ids) {
        const handled = state.handled[id] ?? 0;
        const calendar = o.shifts[id];
        const staffed =
          calendar === undefined || from === null || to === null
            ? 0
            : businessTimeBetween(calendar, from, to);
        agents[id] = {
          handledMs: handled,
          staffedMs: staffed,
          value: staffed > 0 ? (100 * handled) / staffed : null,
        };
        if (staffed > 0) {
          n++;
          handledMs += handled;
          staffedMs += staffed;
        }
      }
      return {
        value: staffedMs > 0 ? (100 * handledMs) / staffedMs : null,
        n,
        definition: DEFINITION,
        ...(staffedMs > 0 ? {} : { reason: 'no staffed shift hours in the period' }),
        handledMs,
        staffedMs,
        from,
        to,
        agents,
      };
    },
  };
}

/**
 * Agent utilisation, in percent: the time agents spent handling contacts over the time they were
 * staffed. Genesys defines it as "the percentage of time agents spend on handling calls and other
 * customer interactions as well as related work", over total time at work (Genesys, "Agent
 * utilization"); the usual formula is total time on active work over total shift time ("Agent
 * Utilization (%) = (Total Time on Active Work / Total Shift Time) x 100", Global Response's call
 * centre glossary). carekit reads both from data it has:
 *
 * - handled time: the `workMs` of each agent's replies and notes, counted at the event's instant,
 *   for events in the period `[from, to)` — the same work as handle time (AHT);
 * - staffed time: the business time of the agent's shift calendar over the period
 *   (`businessTimeBetween(shifts[agent], from, to)`): scheduled hours, holidays off.
 *
 * Work on every ticket counts, spam included (the agent spent it). The team's value is the sum of handled time over the sum of staffed time, over the agents with
 * a shift in the period; an agent with work but no shift calendar is listed with `value: null` and
 * left out of the team's value. Not occupancy (handled over logged-in available time, which needs
 * presence data carekit does not have), nor COPC's variant, which also counts time available for
 * contacts as utilised. Above 100 % means more work was logged than shift hours (overtime, or
 * `workMs` that overlaps).
 *
 * @example
 * ```ts
 * // ana's shift: Mon–Fri 09:00–17:00; on Monday her replies carry 5 h of work
 * agentUtilisation(facts, { shifts: { ana: weekdays }, from: monday, to: tuesday }).agents.ana;
 * //=> { handledMs: 18000000, staffedMs: 28800000, value: 62.5 }
 * ```
 */
export function agentUtilisation(
  facts: readonly TicketFacts[],
  options: UtilisationOptions,
): UtilisationResult {
  const acc = agentUtilisationAccumulator(options);
  checkFacts(facts, 'agentUtilisation');
  let state = acc.empty();
  for (const f of facts) state = acc.add(state, f);
  return acc.result(state);
}
