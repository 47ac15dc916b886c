import { z } from 'zod';
import { badArgument, checkArray, checkObject, checkString, readArgument } from '../../model/arguments.js';
import { Channel, Customer, Locale, type Priority, type Sentiment } from '../../model/index.js';
import type { RoutingErrorCode } from '../errors.js';

// How a contact's text feels is part of the vocabulary (`carekit/model`): events carry it.
export { Sentiment } from '../../model/index.js';

/**
 * What a classifier reads: the subject and body of a contact, where it came from, who sent
 * it and in which language. Only `body` is required.
 */
export const ClassifyInput = z.strictObject({
  subject: z.string().max(998).optional(),
  body: z.string().max(200_000),
  channel: Channel.optional(),
  customer: Customer.optional(),
  language: Locale.optional(),
  /** Segments already assigned to the customer (`vip`, `at_risk`); adds to `customer.segment`. */
  segments: z.array(z.string().min(1).max(100)).max(50).optional(),
});
export type ClassifyInput = z.infer<typeof ClassifyInput>;

/** A classifier's answer. `confidence` is 0..1; `explanation` says which rule or words decided. */
export interface Classification {
  readonly category: string;
  readonly confidence: number;
  readonly tags: readonly string[];
  readonly priority?: Priority;
  readonly sentiment?: Sentiment;
  readonly explanation: string;
  /** Per-category probabilities (text classifiers) or normalised scores (rule classifiers). */
  readonly scores?: Readonly<Record<string, number>>;
}

/**
 * Anything that classifies a contact, synchronously or not: the built-ins, a remote model,
 * a large language model behind an API. {@link chainClassifiers} combines them.
 */
export interface Classifier {
  /** A short name used in explanations (`rules`, `naive-bayes`, `llm`). */
  readonly name?: string;
  classify(input: ClassifyInput): Classification | Promise<Classification>;
}

/**
 * The text a classifier reads: subject and body, separated so words do not run together.
 *
 * @example
 * ```ts
 * textOf({ subject: 'Late', body: 'Where is it?' });
 * //=> 'Late\nWhere is it?'
 * ```
 */
export function textOf(input: Pick<ClassifyInput, 'subject' | 'body'>): string {
  const o = checkObject(input, 'textOf', ['input'], 'a message { subject?, body }');
  const subject = readArgument(o, 'subject', 'textOf', ['input', 'subject']);
  const body = checkString(
    readArgument(o, 'body', 'textOf', ['input', 'body']),
    'textOf',
    ['input', 'body'],
    Number.POSITIVE_INFINITY,
  );
  if (subject !== undefined && subject !== null && typeof subject !== 'string')
    badArgument<RoutingErrorCode>('textOf', ['input', 'subject'], 'a string or undefined', subject);
  return subject ? `${subject}\n${body}` : body;
}

/**
 * The customer's segments: `segments` plus `customer.segment`, without repeats.
 *
 * @example
 * ```ts
 * segmentsOf({ segments: ['new'], customer: { id: 'c1', segment: 'vip' } });
 * //=> ['new', 'vip']
 * ```
 */
export function segmentsOf(input: Pick<ClassifyInput, 'segments' | 'customer'>): readonly string[] {
  const fn = 'segmentsOf';
  const o = checkObject(input, fn, ['input'], 'an object { segments?, customer? }');
  const segments = readArgument(o, 'segments', fn, ['input', 'segments']);
  const customer = readArgument(o, 'customer', fn, ['input', 'customer']);
  if (segments !== undefined) {
    checkArray(segments, fn, ['input', 'segments'], 'an array of segment names', 1000).forEach((s, i) => {
      checkString(s, fn, ['input', 'segments', i], 200);
    });
  }
  let segment: unknown;
  if (customer !== undefined && customer !== null) {
    segment = readArgument(checkObject(customer, fn, ['input', 'customer'], 'a customer'), 'segment', fn, [
      'input',
      'customer',
      'segment',
    ]);
    if (segment !== undefined && segment !== null)
      checkString(segment, fn, ['input', 'customer', 'segment'], 200);
  }
  const out = new Set((segments as readonly string[] | undefined) ?? []);
  if (segment) out.add(segment as string);
  return [...out];
}
