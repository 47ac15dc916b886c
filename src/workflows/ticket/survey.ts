import { z } from 'zod';
import {
  Duration,
  durationToMs,
  type SurveyKind,
  type TicketEvent,
  type TicketStatus,
} from '../../model/index.js';
import type { SurveyState, TicketContext } from './context.js';
import type { EffectDraft } from './effects.js';

/**
 * When and how satisfaction surveys are sent after a ticket is solved. Data, so it can live in
 * a configuration file and appear in review documents.
 */
export const SurveyPolicy = z.strictObject({
  /** Time after the solve before the survey goes out (calendar time). Default 1 day. */
  delay: Duration.default({ days: 1 }),
  /** Send a CSAT survey. Default true. */
  csat: z.boolean().default(true),
  /**
   * Also ask NPS, at most once per customer in this period. The lifecycle sees one ticket, so it
   * asks the `npsEligible` function of the workflow options (the desk answers it from its store);
   * without that function NPS is not sent. `null` never asks NPS. Default 90 days.
   */
  npsEvery: Duration.nullable().default({ days: 90 }),
  /** Remind once if unanswered after this time, or null for no reminder. Default 3 days. */
  reminderAfter: Duration.nullable().default({ days: 3 }),
  /** Stop waiting for an answer after this time from the request. Default 14 days. */
  expireAfter: Duration.default({ days: 14 }),
  /** Skip tickets solved automatically (the pending timeout), not by a person. Default true. */
  skipAutoSolved: z.boolean().default(true),
  /** Skip tickets an agent or automation opened (outbound). Default true. */
  skipAgentCreated: z.boolean().default(true),
  /** Scores at or below these (CSAT 1..5, NPS 0..10; CES at or above `cesAtLeast`) open a recovery task. */
  lowScore: z
    .strictObject({
      csat: z.number().int().min(1).max(5).default(2),
      nps: z.number().int().min(0).max(10).default(6),
      cesAtLeast: z.number().int().min(1).max(7).default(6),
    })
    .default({ csat: 2, nps: 6, cesAtLeast: 6 }),
  /** Who gets the recovery task for a low score. Default `team_lead`. */
  recoveryTo: z.string().min(1).max(200).default('team_lead'),
});
export type SurveyPolicy = z.output<typeof SurveyPolicy>;
export type SurveyPolicyInput = z.input<typeof SurveyPolicy>;

/** Asks the host whether a customer may get an NPS survey now (the per-customer throttle). */
export type NpsEligibleFn = (customerId: string, at: number, every: number) => boolean;

export const NO_SURVEY: SurveyState = {
  status: 'none',
  dueAt: null,
  kinds: [],
  requestedAt: null,
  skipped: null,
};

/** The survey policy with durations resolved to ms, as the lifecycle uses it. */
export interface ResolvedSurveyPolicy {
  readonly delayMs: number;
  readonly csat: boolean;
  readonly npsEveryMs: number | null;
  readonly reminderMs: number | null;
  readonly expireMs: number;
  readonly skipAutoSolved: boolean;
  readonly skipAgentCreated: boolean;
  readonly lowScore: SurveyPolicy['lowScore'];
  readonly recoveryTo: string;
  readonly npsEligible: NpsEligibleFn | null;
}

export function resolveSurveyPolicy(
  policy: SurveyPolicy,
  npsEligible: NpsEligibleFn | null,
): ResolvedSurveyPolicy {
  return {
    delayMs: durationToMs(policy.delay),
    csat: policy.csat,
    npsEveryMs: policy.npsEvery === null ? null : durationToMs(policy.npsEvery),
    reminderMs: policy.reminderAfter === null ? null : durationToMs(policy.reminderAfter),
    expireMs: durationToMs(policy.expireAfter),
    skipAutoSolved: policy.skipAutoSolved,
    skipAgentCreated: policy.skipAgentCreated,
    lowScore: policy.lowScore,
    recoveryTo: policy.recoveryTo,
    npsEligible,
  };
}

function isLow(policy: ResolvedSurveyPolicy, survey: SurveyKind, score: number): boolean {
  if (survey === 'csat') return score <= policy.lowScore.csat;
  if (survey === 'nps') return score <= policy.lowScore.nps;
  return score >= policy.lowScore.cesAtLeast;
}

/**
 * The survey workflow, stepped once per accepted event after the status bookkeeping:
 * `none → scheduled` when the ticket is solved (unless skipped), `scheduled → requested` at the
 * send time, `requested → reminded → expired` on later ticks, `→ answered` on an answer;
 * a reopen before the send cancels the schedule. A low score notifies `recoveryTo`.
 */
export function stepSurvey(
  ctx: TicketContext,
  from: TicketStatus,
  to: TicketStatus,
  event: TicketEvent,
  policy: ResolvedSurveyPolicy,
  effects: EffectDraft[],
): void {
  const base = { ticketId: ctx.ticketId, at: event.at, causedBy: event.id };
  const s = ctx.survey;
  if (event.type === 'survey.answered') {
    if (s.status === 'requested' || s.status === 'reminded' || s.status === 'scheduled') {
      ctx.survey = { ...s, status: 'answered', dueAt: null };
    }
    if (isLow(policy, event.survey, event.score)) {
      effects.push({
        type: 'notify',
        ...base,
        to: policy.recoveryTo,
        reason: 'low_survey_score',
        message: `${event.survey.toUpperCase()} ${event.score} on ticket ${ctx.ticketId}: reach out to the customer`,
      });
    }
    return;
  }
  if (ctx.excluded !== null && (s.status === 'none' || s.status === 'scheduled')) {
    ctx.survey = { ...NO_SURVEY, status: 'skipped', skipped: ctx.excluded };
    return;
  }
  if (to === 'solved' && from !== 'solved' && s.status === 'none') {
    const skipped =
      policy.skipAutoSolved && ctx.solvedBy === 'auto'
        ? 'auto_solved'
        : policy.skipAgentCreated && ctx.origin !== 'customer'
          ? 'agent_created'
          : null;
    ctx.survey =
      skipped === null
        ? { ...NO_SURVEY, status: 'scheduled', dueAt: event.at + policy.delayMs }
        : { ...NO_SURVEY, status: 'skipped', skipped };
    return;
  }
  if (
    s.status === 'scheduled' &&
    from === 'solved' &&
    to !== 'solved' &&
    to !== 'closed' &&
    to !== 'merged'
  ) {
    // Reopened before the survey went out: asking now would be premature.
    ctx.survey = { ...NO_SURVEY };
    return;
  }
  if (s.dueAt === null || s.dueAt > event.at) return;
  if (s.status === 'scheduled') {
    const kinds: SurveyKind[] = [];
    if (policy.csat) kinds.push('csat');
    if (
      policy.npsEveryMs !== null &&
      policy.npsEligible?.(ctx.customer.id, event.at, policy.npsEveryMs) === true
    ) {
      kinds.push('nps');
    }
    for (const survey of kinds) {
      effects.push({ type: 'request_survey', ...base, survey, customerId: ctx.customer.id, reminder: false });
    }
    const next = policy.reminderMs === null ? event.at + policy.expireMs : event.at + policy.reminderMs;
    ctx.survey = {
      ...s,
      status: kinds.length === 0 ? 'skipped' : 'requested',
      kinds,
      requestedAt: event.at,
      dueAt: kinds.length === 0 ? null : next,
    };
  } else if (
    s.status === 'requested' &&
    policy.reminderMs !== null &&
    s.requestedAt !== null &&
    event.at < s.requestedAt + policy.expireMs
  ) {
    for (const survey of s.kinds) {
      effects.push({ type: 'request_survey', ...base, survey, customerId: ctx.customer.id, reminder: true });
    }
    ctx.survey = { ...s, status: 'reminded', dueAt: s.requestedAt + policy.expireMs };
  } else {
    ctx.survey = { ...s, status: 'expired', dueAt: null };
  }
}
