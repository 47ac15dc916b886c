import { z } from 'zod';
import { Availability, Channel, SURVEY_SCALES, SurveyKind } from './enums.js';
import {
  Id,
  Instant,
  Label,
  Locale,
  MAX_BODY_LENGTH,
  MAX_TEXT_LENGTH,
  Meta,
  Text,
  TimeZone,
} from './primitives.js';

/**
 * A customer (the requester). Only `id` is required: a chat visitor may have nothing else.
 * `segment` is assigned by segment rules (VIP, new, returning, at risk...); `blocked`
 * marks a customer on the blocklist.
 */
export const Customer = z.strictObject({
  id: Id,
  name: Text.optional(),
  /**
   * The name a message greets the customer by (`customer.first_name` in templates). carekit never
   * guesses it from `name`: Vietnamese, Chinese and Hungarian names put the family name first.
   */
  givenName: z.string().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  /** A handle on a social network, a marketplace or a chat system. */
  handle: z.string().min(1).max(200).optional(),
  phone: z.string().min(3).max(40).optional(),
  language: Locale.optional(),
  timeZone: TimeZone.optional(),
  segment: Label.optional(),
  tags: z.array(Label).max(100).optional(),
  blocked: z.boolean().optional(),
  /** Lifetime value in the business's currency, for segment rules such as VIP. */
  lifetimeValue: z.number().min(0).max(1e15).optional(),
  meta: Meta.optional(),
});
export type Customer = z.infer<typeof Customer>;

/**
 * A support agent. `tier` counts from 1 (frontline); `capacity` is the number of open
 * tickets the agent may hold at once; `calendarId` names the calendar of the agent's shifts.
 */
export const Agent = z.strictObject({
  id: Id,
  name: Text,
  email: z.email().max(320).optional(),
  skills: z.array(Label).max(200).default([]),
  languages: z.array(Locale).max(50).default([]),
  tier: z.number().int().min(1).max(100).default(1),
  capacity: z.number().int().min(0).max(100_000).default(10),
  calendarId: Id.optional(),
  availability: Availability.default('available'),
  meta: Meta.optional(),
});
export type Agent = z.infer<typeof Agent>;
/** An agent as written by a user, before defaults are applied. */
export type AgentInput = z.input<typeof Agent>;

/** Who wrote a message or performed an action. */
export const Actor = z.strictObject({
  kind: z.enum(['customer', 'agent', 'bot', 'system']),
  id: Id.optional(),
});
export type Actor = z.infer<typeof Actor>;

/** One message in a ticket's thread. Internal notes have `public: false`. */
export const Message = z.strictObject({
  id: Id,
  ticketId: Id,
  author: Actor,
  channel: Channel,
  body: z.string().max(MAX_BODY_LENGTH),
  public: z.boolean().default(true),
  at: Instant,
  meta: Meta.optional(),
});
export type Message = z.infer<typeof Message>;

/**
 * One answer to a satisfaction survey. The score's range depends on the survey:
 * CSAT 1..5, NPS 0..10, CES 1..7 (whole numbers).
 */
export const SurveyResponse = z
  .strictObject({
    survey: SurveyKind,
    score: z.number().int(),
    comment: z.string().max(MAX_TEXT_LENGTH).optional(),
    ticketId: Id.optional(),
    customerId: Id.optional(),
    at: Instant,
  })
  .superRefine(checkSurveyScore);
export type SurveyResponse = z.infer<typeof SurveyResponse>;

/** Refinement shared by `SurveyResponse` and the `survey.answered` event. */
export function checkSurveyScore(
  value: { survey: SurveyKind; score: number },
  ctx: z.core.$RefinementCtx<{ survey: SurveyKind; score: number }>,
): void {
  const scale = SURVEY_SCALES[value.survey];
  if (value.score < scale.min || value.score > scale.max) {
    ctx.addIssue({
      code: 'custom',
      path: ['score'],
      message: `${value.survey === 'nps' ? 'an' : 'a'} ${value.survey.toUpperCase()} score must be a whole number from ${scale.min} to ${scale.max}, got ${value.score}`,
      params: { code: 'score_out_of_range' },
    });
  }
}

export { MAX_BODY_LENGTH, MAX_TEXT_LENGTH };
