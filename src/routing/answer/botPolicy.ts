import { z } from 'zod';
import { badArgument, checkObject, readArgument, readBag } from '../../model/arguments.js';
import { Channel, Id, Label, parseInput } from '../../model/index.js';
import type { Sentiment } from '../classify/classification.js';
import type { RoutingErrorCode } from '../errors.js';
import {
  type AnswerBook,
  type AnswerSuggestion,
  checkAnswerBook,
  checkMessage,
  suggestAnswers,
} from './createAnswerBook.js';
import { readReply } from './readReply.js';

/**
 * When an assistant may answer a new contact by itself, as data. It answers only when every
 * condition holds; otherwise the ticket goes to people as usual.
 */
export const BotPolicyConfig = z.strictObject({
  /** The id the bot's replies carry (`agent.replied` with `bot: true`). */
  agentId: Id.default('bot'),
  /** The least confidence of the best answer (0..1). */
  threshold: z.number().gt(0).max(1).default(0.9),
  /** The least number of the message's words that must appear in the answer's examples. */
  minMatched: z.number().int().min(0).max(50).default(2),
  /**
   * The least share of the message's distinct words that must appear in the answer's examples
   * (0..1). The guard against questions the book does not cover: on the Bitext data with a
   * fifth of the intents left out of the book, 0.9 answered 5% of the left-out questions
   * against 64% with the confidence threshold alone (docs/self-service.md).
   */
  minCoverage: z.number().min(0).max(1).default(0.9),
  /** Channels where the bot may answer (each entry's `autoChannels` must allow it too). Default: any the entry allows. */
  channels: z.array(Channel).min(1).optional(),
  /** Categories (from the classifier) the bot may answer. Default: any. */
  categories: z.array(Label).min(1).max(1000).optional(),
  /** Customer segments the bot never answers (a person does). Default `['vip']`. */
  excludeSegments: z.array(Label).max(100).default(['vip']),
  /** A template appended to the answer that asks whether it solved the question. */
  askTemplateId: z.string().min(1).max(200).optional(),
  /** A template sent when the bot hands the ticket over to a person. */
  handoverTemplateId: z.string().min(1).max(200).optional(),
  /** Solve the ticket when the customer says the answer solved it. Default true. */
  solveOnYes: z.boolean().default(true),
});
export type BotPolicyConfig = z.input<typeof BotPolicyConfig>;
export type BotPolicy = z.output<typeof BotPolicyConfig>;

/**
 * Validates a bot policy, filling in the defaults.
 *
 * @throws `CarekitValidationError` (from `carekit/model`) with a path for each bad field.
 * @example
 * ```ts
 * createBotPolicy({ threshold: 0.95, channels: ['chat'] }).excludeSegments;
 * //=> ['vip']
 * ```
 */
export function createBotPolicy(config: BotPolicyConfig = {}): BotPolicy {
  return parseInput(BotPolicyConfig, config, 'bot policy');
}

/** Why the bot left a contact to people. */
export type BotDeclineReason =
  | 'blocked'
  | 'segment'
  | 'anger'
  | 'asks_for_person'
  | 'channel'
  | 'category'
  | 'locale'
  | 'low_confidence';

/** What the bot decided about a contact: answer with a suggestion, or leave it to people and why. */
export type BotDecision =
  | { readonly answer: true; readonly suggestion: AnswerSuggestion; readonly reason: string }
  | {
      readonly answer: false;
      readonly reason: BotDeclineReason;
      /** A sentence for the audit trail. */
      readonly message: string;
      readonly suggestion: AnswerSuggestion | null;
    };

/** What {@link decideBotAnswer} reads of a contact. */
export interface BotContact {
  readonly subject?: string;
  readonly body: string;
  readonly channel: Channel;
  readonly language?: string;
  /** The classifier's category, if any. */
  readonly category?: string | null;
  readonly sentiment?: Sentiment;
  readonly customer: { readonly segment?: string | undefined; readonly blocked?: boolean | undefined };
}

const primary = (tag: string) => tag.toLowerCase().split('-')[0] as string;

/**
 * Decides whether the bot answers a new contact by itself: the customer is not blocked nor in
 * an excluded segment (VIPs get a person), the message shows no anger and does not ask for a
 * person, the channel and category are allowed, the best answer speaks the contact's language,
 * its confidence reaches the threshold and enough of the message's words appear in its examples
 * (naive Bayes is confident even about questions it has never seen; the coverage of the
 * message's words is the guard against that). Pure.
 *
 * @example
 * ```ts
 * const policy = createBotPolicy({ threshold: 0.8, minCoverage: 0.5 });
 * decideBotAnswer({ body: 'Where is my parcel?', channel: 'chat', customer: {} }, book, policy).answer;
 * //=> true
 * decideBotAnswer({ body: 'Where is my parcel?', channel: 'chat', customer: { segment: 'vip' } }, book, policy);
 * //=> { answer: false, reason: 'segment', message: 'customers in segment vip are answered by a person', suggestion: null }
 * ```
 */
export function decideBotAnswer(contact: BotContact, book: AnswerBook, policy: BotPolicy): BotDecision {
  const fn = 'decideBotAnswer';
  contact = checkMessage(contact, fn, ['contact']);
  contact = {
    ...contact,
    customer: readBag(contact.customer, fn, ['contact', 'customer'], 'the customer { segment?, blocked? }'),
  };
  checkAnswerBook(book, fn);
  const p = checkObject(policy, fn, ['policy'], 'a bot policy made by createBotPolicy');
  if (
    !Array.isArray(readArgument(p, 'excludeSegments', fn, ['policy'])) ||
    typeof readArgument(p, 'threshold', fn, ['policy']) !== 'number'
  )
    badArgument<RoutingErrorCode>(
      fn,
      ['policy'],
      'a bot policy made by createBotPolicy',
      policy,
      'invalid_policy',
    );
  const decline = (reason: BotDeclineReason, message: string, suggestion: AnswerSuggestion | null = null) =>
    ({ answer: false, reason, message, suggestion }) as const;
  if (contact.customer.blocked) return decline('blocked', 'the customer is blocked');
  const segment = contact.customer.segment;
  if (segment !== undefined && policy.excludeSegments.includes(segment))
    return decline('segment', `customers in segment ${segment} are answered by a person`);
  const reading = readReply(`${contact.subject ?? ''}\n${contact.body}`);
  if (reading.anger || contact.sentiment === 'negative')
    return decline(
      'anger',
      `the message shows anger (${reading.cues.filter((c) => c !== '?').join(', ') || 'negative sentiment'})`,
    );
  if (reading.wantsPerson) return decline('asks_for_person', 'the customer asks for a person');
  if (policy.channels !== undefined && !policy.channels.includes(contact.channel))
    return decline('channel', `the bot does not answer on ${contact.channel}`);
  if (
    policy.categories !== undefined &&
    (contact.category == null || !policy.categories.includes(contact.category))
  )
    return decline('category', `the bot does not answer category ${contact.category ?? '(none)'}`);
  // An answer book always has an entry, so there is always a best one.
  const best = suggestAnswers(
    {
      body: contact.body,
      channel: contact.channel,
      ...(contact.subject ? { subject: contact.subject } : {}),
      ...(contact.language ? { language: contact.language } : {}),
    },
    book,
    { limit: 1 },
  )[0] as AnswerSuggestion;
  if (
    best.confidence < policy.threshold ||
    best.matched.length < policy.minMatched ||
    best.coverage < policy.minCoverage
  )
    return decline(
      'low_confidence',
      `the best answer (${best.entryId}) has confidence ${best.confidence.toFixed(2)}, ${best.matched.length} matched words and coverage ${best.coverage.toFixed(2)}; the policy needs ${policy.threshold}, ${policy.minMatched} and ${policy.minCoverage}`,
      best,
    );
  if (!best.autoAllowed)
    return decline(
      'channel',
      `answer ${best.entryId} may not be sent automatically on ${contact.channel}`,
      best,
    );
  const entry = book.entries.find((e) => e.id === best.entryId);
  if (contact.language && entry && !entry.locales.some((l) => primary(l) === primary(contact.language ?? '')))
    return decline('locale', `answer ${best.entryId} has no ${contact.language} version`, best);
  return {
    answer: true,
    suggestion: best,
    reason: `answer ${best.entryId} with confidence ${best.confidence.toFixed(2)} (matched: ${best.matched.join(', ')})`,
  };
}
