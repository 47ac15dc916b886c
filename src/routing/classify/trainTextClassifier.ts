import { z } from 'zod';
import { CarekitValidationError, Label, parseInput } from '../../model/index.js';
import { type Classification, type Classifier, type ClassifyInput, textOf } from './classification.js';
import { tokenize } from './tokenize.js';

/** One labelled example: a text and its category (or intent). */
export const TrainingExample = z.strictObject({
  text: z.string().max(200_000),
  category: Label,
  language: z.string().min(2).max(35).optional(),
});
export type TrainingExample = z.infer<typeof TrainingExample>;

/** Options of {@link trainTextClassifier}. */
export const TrainTextClassifierOptions = z.strictObject({
  /** Additive (Laplace/Lidstone) smoothing; smaller trusts the counts more. Default 0.05 (best of 0.05, 0.1, 0.3 on the Bitext data). */
  alpha: z.number().positive().max(10).default(0.05),
  /** Also count pairs of adjacent words (`cancel order`). Default true. */
  bigrams: z.boolean().default(true),
  /** Count each word once per example (Bernoulli-like counts; robust to repetition). Default true. */
  binary: z.boolean().default(true),
});
export type TrainTextClassifierOptions = z.input<typeof TrainTextClassifierOptions>;

/** The serialised form of a trained classifier: plain JSON with a format version. */
export const TextClassifierJson = z.strictObject({
  format: z.literal('carekit.naive-bayes'),
  version: z.literal(1),
  options: z.strictObject({ alpha: z.number().positive(), bigrams: z.boolean(), binary: z.boolean() }),
  categories: z.array(Label).min(1),
  documents: z.array(z.number().int().min(0)),
  /** `[feature, counts per category]`; pairs, not an object, so any word is a safe key. */
  features: z.array(z.tuple([z.string(), z.array(z.number().min(0))])),
});
export type TextClassifierJson = z.infer<typeof TextClassifierJson>;

/** A trained naive Bayes classifier. `classify` is synchronous. */
export interface TextClassifier extends Classifier {
  readonly categories: readonly string[];
  classify(input: ClassifyInput): Classification;
  /** The probability of each category for a text, summing to 1. */
  probabilities(text: string, language?: string): Record<string, number>;
  toJSON(): TextClassifierJson;
}

function features(text: string, bigrams: boolean, binary: boolean, language?: string): string[] {
  const words = tokenize(text, language ? { locale: language } : {});
  const out = [...words];
  if (bigrams) for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]} ${words[i]}`);
  return binary ? [...new Set(out)] : out;
}

function build(json: TextClassifierJson): TextClassifier {
  const { alpha, bigrams, binary } = json.options;
  const k = json.categories.length;
  const totals = new Float64Array(k);
  for (const [, counts] of json.features) for (let c = 0; c < k; c++) totals[c]! += counts[c] ?? 0;
  const vocabulary = json.features.length;
  const documents = json.documents.reduce((a, b) => a + b, 0);
  const priors = json.categories.map((_, c) => Math.log(((json.documents[c] ?? 0) + 1) / (documents + k)));
  const denominators = Array.from(totals, (t) => Math.log(t + alpha * vocabulary));
  const logLikelihood = new Map<string, Float64Array>();
  for (const [feature, counts] of json.features) {
    const row = new Float64Array(k);
    for (let c = 0; c < k; c++) row[c] = Math.log((counts[c] ?? 0) + alpha) - denominators[c]!;
    logLikelihood.set(feature, row);
  }

  function score(text: string, language?: string): { logs: Float64Array; used: string[] } {
    const logs = Float64Array.from(priors);
    const used: string[] = [];
    for (const f of features(text, bigrams, binary, language)) {
      const row = logLikelihood.get(f);
      if (!row) continue;
      used.push(f);
      for (let c = 0; c < k; c++) logs[c]! += row[c]!;
    }
    return { logs, used };
  }

  function normalise(logs: Float64Array): Float64Array {
    let max = Number.NEGATIVE_INFINITY;
    for (const v of logs) max = Math.max(max, v);
    const p = logs.map((v) => Math.exp(v - max));
    const sum = p.reduce((a, b) => a + b, 0);
    return p.map((v) => v / sum);
  }

  return {
    name: 'naive-bayes',
    categories: json.categories,
    probabilities(text, language) {
      const p = normalise(score(text, language).logs);
      return Object.fromEntries(json.categories.map((c, i) => [c, p[i]!]));
    },
    classify(input) {
      const { logs, used } = score(textOf(input), input.language);
      const p = normalise(logs);
      let best = 0;
      let second = -1;
      for (let c = 1; c < k; c++) if (p[c]! > p[best]!) best = c;
      for (let c = 0; c < k; c++) if (c !== best && (second < 0 || p[c]! > p[second]!)) second = c;
      // The words that decided: those that most favour the winner over the runner-up.
      const evidence =
        second < 0
          ? []
          : used
              .map((f) => {
                const row = logLikelihood.get(f)!;
                return { f, margin: row[best]! - row[second]! };
              })
              .filter((e) => e.margin > 0)
              .sort((a, b) => b.margin - a.margin || (a.f < b.f ? -1 : 1))
              .slice(0, 3)
              .map((e) => JSON.stringify(e.f));
      const category = json.categories[best]!;
      return {
        category,
        confidence: p[best]!,
        tags: [],
        explanation:
          evidence.length > 0
            ? `naive Bayes: ${evidence.join(', ')} point to ${category} over ${json.categories[second]}`
            : used.length === 0
              ? `naive Bayes: no known words; ${category} is the most common category`
              : `naive Bayes: ${category} by the combined weight of the words`,
        scores: Object.fromEntries(json.categories.map((c, i) => [c, p[i]!])),
      };
    },
    toJSON: () => json,
  };
}

const Examples = z.array(TrainingExample).min(1).max(5_000_000);

/**
 * Trains a multinomial naive Bayes classifier on labelled texts. Words come from
 * carekit's tokenizer (`Intl.Segmenter`, NFKC, lower case), so Vietnamese and Chinese work as
 * well as English; adjacent word pairs are features too. The result classifies
 * synchronously, reports per-category probabilities, explains itself by the words that
 * decided, and serialises with `toJSON` (load it again with {@link textClassifierFromJSON}).
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} on malformed examples or options.
 * @example
 * ```ts
 * const classifier = trainTextClassifier([
 *   { text: 'where is my parcel', category: 'shipping' },
 *   { text: 'I want my money back', category: 'refund' },
 * ]);
 * classifier.classify({ body: 'my parcel is late' }).category;
 * //=> 'shipping'
 * ```
 */
export function trainTextClassifier(
  examples: readonly TrainingExample[],
  options: TrainTextClassifierOptions = {},
): TextClassifier {
  const data = parseInput(Examples, examples, 'training examples');
  const opts = parseInput(TrainTextClassifierOptions, options, 'classifier options');
  const categories = [...new Set(data.map((e) => e.category))].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const documents = categories.map(() => 0);
  const counts = new Map<string, number[]>();
  for (const example of data) {
    const c = index.get(example.category)!;
    documents[c]!++;
    for (const f of features(example.text, opts.bigrams, opts.binary, example.language)) {
      let row = counts.get(f);
      if (!row) {
        row = categories.map(() => 0);
        counts.set(f, row);
      }
      row[c]!++;
    }
  }
  return build({
    format: 'carekit.naive-bayes',
    version: 1,
    options: opts,
    categories,
    documents,
    features: [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  });
}

/**
 * Loads a classifier saved with `toJSON()`. The JSON is validated first.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} when the JSON is not a saved classifier of a known version.
 * @example
 * ```ts
 * const saved = JSON.stringify(trainTextClassifier(examples));
 * textClassifierFromJSON(JSON.parse(saved)).classify({ body: 'my parcel is late' }).category;
 * //=> 'shipping'
 * ```
 */
export function textClassifierFromJSON(json: unknown): TextClassifier {
  const data = parseInput(TextClassifierJson, json, 'saved text classifier');
  const k = data.categories.length;
  if (data.documents.length !== k || data.features.some(([, row]) => row.length !== k)) {
    throw new CarekitValidationError(
      [
        {
          code: 'inconsistent_counts',
          path: ['features'],
          message: `features: every row of counts needs ${k} numbers, one per category, like "documents"`,
        },
      ],
      'saved text classifier',
    );
  }
  return build(data);
}
