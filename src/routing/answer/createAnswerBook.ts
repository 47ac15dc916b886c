import { z } from 'zod';
import {
  badArgument,
  checkNumber,
  checkOneOf,
  checkString,
  readArgument,
  readBag,
} from '../../model/arguments.js';
import { Channel, Label, Locale, parseInput } from '../../model/index.js';
import { tokenize } from '../classify/tokenize.js';
import { type TextClassifier, trainTextClassifier } from '../classify/trainTextClassifier.js';
import type { RoutingErrorCode } from '../errors.js';

/** One frequent question: its answer (a template id), how customers ask it, where a bot may answer. */
export const AnswerEntry = z.strictObject({
  id: Label,
  /** The template that answers it (from the template library). */
  templateId: z.string().min(1).max(200),
  /** Example phrasings, as customers write them (at least one). */
  examples: z.array(z.string().min(1).max(2000)).min(1).max(10_000),
  locales: z.array(Locale).min(1).default(['en']),
  /** Channels where the answer may be sent automatically. Default none (suggest only). */
  autoChannels: z.array(Channel).default([]),
});
export type AnswerEntryInput = z.input<typeof AnswerEntry>;
export type AnswerEntry = z.output<typeof AnswerEntry>;

/** A ranked suggestion: which entry, how sure, and the words that matched. */
export interface AnswerSuggestion {
  readonly entryId: string;
  readonly templateId: string;
  /** The classifier's probability for this entry (0..1). */
  readonly confidence: number;
  /** Words of the message that also appear in the entry's examples. */
  readonly matched: readonly string[];
  /**
   * The share of the message's distinct words that appear in the entry's examples (0..1). A
   * question the book has never seen scores low here even when the classifier is confident.
   */
  readonly coverage: number;
  /** Whether the entry allows an automatic answer on this channel. */
  readonly autoAllowed: boolean;
}

/** Frequently asked questions with their answers, ready to rank against a message. */
export interface AnswerBook {
  readonly entries: readonly AnswerEntry[];
  readonly classifier: TextClassifier;
  /** The words of each entry's examples, for explaining matches. */
  readonly vocabulary: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Builds an answer book: the entries are validated and a text classifier (carekit's naive
 * Bayes over words and word pairs) is trained on their example phrasings.
 *
 * @throws `CarekitValidationError` (from `carekit/model`) for malformed entries or duplicate ids.
 * @example
 * ```ts
 * const book = createAnswerBook([
 *   { id: 'track', templateId: 'order_status', examples: ['where is my order', 'track my parcel'], autoChannels: ['chat'] },
 *   { id: 'refund', templateId: 'refund_confirmation', examples: ['I want my money back', 'refund please'] },
 * ]);
 * suggestAnswers({ body: 'Where is my parcel?', channel: 'chat' }, book)[0]?.entryId;
 * //=> 'track'
 * ```
 */
export function createAnswerBook(entries: readonly AnswerEntryInput[]): AnswerBook {
  const parsed = parseInput(
    z.array(AnswerEntry).superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((entry, i) => {
        if (seen.has(entry.id)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'id'],
            message: `the answer id \`${entry.id}\` is used twice`,
            params: { code: 'duplicate_id' },
          });
        }
        seen.add(entry.id);
      });
    }),
    entries,
    'answer book',
  );
  const classifier = trainTextClassifier(
    parsed.flatMap((entry) => entry.examples.map((text) => ({ text, category: entry.id }))),
  );
  const vocabulary = new Map(
    parsed.map((entry) => [entry.id, new Set(entry.examples.flatMap((text) => tokenize(text)))] as const),
  );
  return { entries: parsed, classifier, vocabulary };
}

/**
 * Refuses anything but an answer book from {@link createAnswerBook} (its shape, cheaply).
 *
 * @internal
 */
export function checkAnswerBook(book: unknown, fn: string): asserts book is AnswerBook {
  const expected = 'an answer book made by createAnswerBook';
  if (book === null || typeof book !== 'object' || Array.isArray(book))
    badArgument<RoutingErrorCode>(fn, ['book'], expected, book, 'invalid_answer_book');
  const entries = readArgument(book, 'entries', fn, ['book']);
  const classifier = readArgument(book, 'classifier', fn, ['book']);
  const vocabulary = readArgument(book, 'vocabulary', fn, ['book']);
  if (
    !Array.isArray(entries) ||
    classifier === null ||
    typeof classifier !== 'object' ||
    !(vocabulary instanceof Map)
  )
    badArgument<RoutingErrorCode>(fn, ['book'], expected, book, 'invalid_answer_book');
}

/**
 * Reads a message `{ subject?, body, channel?, language? }` once, refusing wrong types.
 *
 * @internal
 */
export function checkMessage<M>(message: M, fn: string, path: readonly (string | number)[]): M {
  const m = readBag(message, fn, path, 'a message { subject?, body, channel?, language? }');
  checkString(m.body, fn, [...path, 'body'], Number.POSITIVE_INFINITY);
  for (const key of ['subject', 'language'])
    if (m[key] !== undefined && m[key] !== null)
      checkString(m[key], fn, [...path, key], key === 'language' ? 100 : Number.POSITIVE_INFINITY);
  if (m.channel !== undefined)
    checkOneOf(m.channel, Channel.options, fn, [...path, 'channel'], 'invalid_channel');
  return m as M;
}

/** Options of {@link suggestAnswers}. */
export interface SuggestOptions {
  /** How many suggestions. Default 3. */
  readonly limit?: number;
}

/**
 * Ranks the answer book's entries for a customer message, most likely first, each with its
 * confidence, the words that matched and whether a bot may send it on the message's channel.
 * Agents see the top suggestions as they reply; a bot policy decides from the first one.
 *
 * @example
 * ```ts
 * suggestAnswers({ subject: 'Refund', body: 'I want my money back', channel: 'email' }, book)
 *   .map((s) => [s.entryId, s.matched]);
 * //=> [['refund', ['want', 'my', 'money', 'back']], ['track', ['my']]]
 * ```
 */
export function suggestAnswers(
  message: {
    readonly subject?: string;
    readonly body: string;
    readonly channel?: Channel;
    readonly language?: string;
  },
  book: AnswerBook,
  options: SuggestOptions = {},
): AnswerSuggestion[] {
  const fn = 'suggestAnswers';
  message = checkMessage(message, fn, ['message']);
  checkAnswerBook(book, fn);
  const o = readBag(options, fn, ['options'], 'an options object { limit? }', ['limit']);
  if (o.limit !== undefined)
    checkNumber(o.limit, fn, ['options', 'limit'], 'a whole number from 1 to 1000', 1, 1000);
  options = o as SuggestOptions;
  const text = message.subject ? `${message.subject}\n${message.body}` : message.body;
  const probabilities = book.classifier.probabilities(text, message.language);
  const words = [...new Set(tokenize(text, message.language ? { locale: message.language } : {}))];
  return book.entries
    .map((entry) => {
      const matched = words.filter((w) => book.vocabulary.get(entry.id)?.has(w));
      return {
        entryId: entry.id,
        templateId: entry.templateId,
        confidence: probabilities[entry.id] ?? 0,
        matched,
        coverage: words.length === 0 ? 0 : matched.length / words.length,
        autoAllowed: message.channel !== undefined && entry.autoChannels.includes(message.channel),
      };
    })
    .sort((a, b) => b.confidence - a.confidence || (a.entryId < b.entryId ? -1 : 1))
    .slice(0, options.limit ?? 3);
}
