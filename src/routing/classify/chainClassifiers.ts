import { z } from 'zod';
import { objectOption, parseOptions } from '../../model/index.js';
import type { Classification, Classifier, ClassifyInput } from './classification.js';

/** One step of a chain: a classifier and the confidence its answer needs to be accepted. */
export interface ChainStep {
  readonly classifier: Classifier;
  /** Accept the answer when `confidence >= threshold` (default: the chain's `threshold`). */
  readonly threshold?: number;
}

/** Options of {@link chainClassifiers}. */
export interface ChainClassifiersOptions {
  /** Default threshold of every step (default 0.6). */
  readonly threshold?: number;
  /** Category when every step failed with an error (default `other`). */
  readonly fallbackCategory?: string;
}

type Outcome =
  | { ok: true; result: Classification; name: string }
  | { ok: false; error: string; name: string };

const Threshold = z.number().min(0).max(1);
const ChainOptions = z.strictObject({
  threshold: Threshold.optional(),
  fallbackCategory: z.string().min(1).max(100).optional(),
});
const isClassifier = (v: object) => typeof (v as { classify?: unknown }).classify === 'function';
const ChainSteps = z.strictObject({
  steps: z
    .array(
      z.union([
        objectOption<Classifier>(isClassifier, 'a classifier (an object with classify)'),
        z.strictObject({
          classifier: objectOption<Classifier>(isClassifier, 'a classifier (an object with classify)'),
          threshold: Threshold.optional(),
        }),
      ]),
    )
    .min(1)
    .max(100),
});

/**
 * Tries classifiers in order and takes the first answer confident enough: cheap rules
 * first, a trained model next, a remote model last. A classifier that throws or rejects is
 * skipped (its error is named in the explanation). When no answer clears its threshold, the
 * most confident answer wins. The chain is synchronous while its steps are, and returns a
 * promise from the first asynchronous step on.
 *
 * @example
 * ```ts
 * const chain = chainClassifiers([{ classifier: rules, threshold: 0.8 }, { classifier: model }]);
 * await chain.classify({ body: 'Wo ist mein Paket?' });
 * //=> { category: 'shipping', confidence: 0.91, explanation: 'naive-bayes (after rules: confidence 0 too low): ...', ... }
 * ```
 */
export function chainClassifiers(
  steps: readonly (ChainStep | Classifier)[],
  options: ChainClassifiersOptions = {},
): Classifier {
  options = parseOptions(ChainOptions, options, 'chainClassifiers options') as ChainClassifiersOptions;
  const list = parseOptions(ChainSteps, { steps }, 'chainClassifiers steps').steps as readonly (
    | ChainStep
    | Classifier
  )[];
  const defaultThreshold = options.threshold ?? 0.6;
  const normalised = list.map((s, i) => {
    const step: ChainStep = 'classifier' in s ? s : { classifier: s };
    return {
      classifier: step.classifier,
      threshold: step.threshold ?? defaultThreshold,
      name: step.classifier.name ?? `step ${i + 1}`,
    };
  });

  function finish(outcomes: Outcome[]): Classification {
    const answers = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    const notes = outcomes.map((o) =>
      o.ok ? `${o.name}: confidence ${round(o.result.confidence)}` : `${o.name} failed: ${o.error}`,
    );
    if (answers.length === 0) {
      return {
        category: options.fallbackCategory ?? 'other',
        confidence: 0,
        tags: [],
        explanation: `no classifier answered (${notes.join('; ')})`,
      };
    }
    const best = answers.reduce((a, b) => (b.result.confidence > a.result.confidence ? b : a));
    return {
      ...best.result,
      explanation: `${best.name}, the most confident, none above its threshold (${notes.join('; ')}): ${best.result.explanation}`,
    };
  }

  function accept(o: Extract<Outcome, { ok: true }>, before: Outcome[]): Classification {
    if (before.length === 0) return o.result;
    const notes = before.map((b) =>
      b.ok ? `${b.name}: confidence ${round(b.result.confidence)} too low` : `${b.name} failed: ${b.error}`,
    );
    return { ...o.result, explanation: `${o.name} (after ${notes.join('; ')}): ${o.result.explanation}` };
  }

  function run(
    input: ClassifyInput,
    from: number,
    outcomes: Outcome[],
  ): Classification | Promise<Classification> {
    for (let i = from; i < normalised.length; i++) {
      const step = normalised[i]!;
      let answer: Classification | Promise<Classification>;
      try {
        answer = step.classifier.classify(input);
      } catch (error) {
        outcomes.push({ ok: false, error: describe(error), name: step.name });
        continue;
      }
      if (isPromise(answer)) {
        return answer.then(
          (result) => settle(input, i, outcomes, { ok: true, result, name: step.name }, step.threshold),
          (error: unknown) =>
            run(input, i + 1, [...outcomes, { ok: false, error: describe(error), name: step.name }]),
        );
      }
      const o = { ok: true as const, result: answer, name: step.name };
      if (answer.confidence >= step.threshold) return accept(o, outcomes);
      outcomes.push(o);
    }
    return finish(outcomes);
  }

  function settle(
    input: ClassifyInput,
    i: number,
    outcomes: Outcome[],
    o: Extract<Outcome, { ok: true }>,
    threshold: number,
  ): Classification | Promise<Classification> {
    if (o.result.confidence >= threshold) return accept(o, outcomes);
    return run(input, i + 1, [...outcomes, o]);
  }

  return { name: 'chain', classify: (input) => run(input, 0, []) };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
