import { z } from 'zod';
import { Channel, Customer, Locale, type Priority } from '../../model/index.js';

/** How a ticket's text feels: used by escalation rules (an angry customer goes up a tier). */
export const Sentiment = z.enum(['negative', 'neutral', 'positive']);
export type Sentiment = z.infer<typeof Sentiment>;

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
  return input.subject ? `${input.subject}\n${input.body}` : input.body;
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
  const out = new Set(input.segments ?? []);
  if (input.customer?.segment) out.add(input.customer.segment);
  return [...out];
}
