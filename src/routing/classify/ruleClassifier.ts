import { z } from 'zod';
import { Channel, Label, Priority, parseInput, parseOptions } from '../../model/index.js';
import {
  type Classification,
  type Classifier,
  type ClassifyInput,
  Sentiment,
  segmentsOf,
  textOf,
} from './classification.js';
import { unsafePatternReason } from './patternSafety.js';
import { tokenize } from './tokenize.js';

/** Longest regular expression source a rule may hold; long patterns are where backtracking hides. */
export const MAX_PATTERN_LENGTH = 200;
/** Text longer than this is cut before regular expressions run on it. */
const MAX_PATTERN_INPUT = 10_000;

function checkPattern(source: string, ctx: z.core.$RefinementCtx<string>): void {
  try {
    new RegExp(source, 'iu');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
      params: { code: 'invalid_pattern' },
    });
    return;
  }
  const reason = unsafePatternReason(source);
  if (reason !== null) {
    ctx.addIssue({
      code: 'custom',
      message: `${reason}; use keywords, phrases or a simpler pattern (see docs/routing.md)`,
      params: { code: 'unsafe_pattern' },
    });
  }
}

const Term = z.string().min(1).max(200);

/** One rule as data: what it looks for, and what it concludes. */
export const ClassificationRule = z
  .strictObject({
    /** A name for explanations; defaults to `category#index`. */
    id: z.string().min(1).max(100).optional(),
    category: Label,
    /** Single words; each one found adds `weight` to the score (matched as whole words). */
    keywords: z.array(Term).max(500).optional(),
    /** Word sequences (`where is my order`); each one found adds `weight`. */
    phrases: z.array(Term).max(500).optional(),
    /** Regular expression sources (case-insensitive, unicode); each match adds `weight`. */
    patterns: z.array(z.string().min(1).max(MAX_PATTERN_LENGTH).superRefine(checkPattern)).max(50).optional(),
    /** The rule applies only to these channels. */
    channels: z.array(Channel).min(1).optional(),
    /** The rule applies only to customers in one of these segments. */
    segments: z.array(Label).min(1).optional(),
    weight: z.number().positive().max(1000).default(1),
    tags: z.array(Label).max(20).optional(),
    priority: Priority.optional(),
    sentiment: Sentiment.optional(),
  })
  .refine(
    (r) =>
      (r.keywords?.length ?? 0) + (r.phrases?.length ?? 0) + (r.patterns?.length ?? 0) > 0 ||
      r.channels ||
      r.segments,
    {
      message: 'a rule needs something to match: keywords, phrases, patterns, channels or segments',
      params: { code: 'empty_rule' },
    },
  );
export type ClassificationRule = z.infer<typeof ClassificationRule>;
export type ClassificationRuleInput = z.input<typeof ClassificationRule>;

/** A rule in the function form: the data form plus a predicate that must also hold. */
export type ClassificationRuleFn = ClassificationRuleInput & {
  readonly when?: (input: ClassifyInput) => boolean;
};

/** Options of {@link ruleClassifier}. */
export interface RuleClassifierOptions {
  /** Category when no rule matches (default `other`, confidence 0). */
  readonly fallbackCategory?: string;
}

interface CompiledRule {
  readonly id: string;
  readonly rule: ClassificationRule;
  readonly order: number;
  readonly terms: readonly string[];
  readonly regexes: readonly RegExp[];
  readonly when: ((input: ClassifyInput) => boolean) | undefined;
}

const RuleList = z.array(ClassificationRule).max(10_000);
const RuleClassifierOptionsSchema = z.strictObject({ fallbackCategory: Label.default('other') });

/**
 * A classifier from rules as data (keywords, phrases, regular expressions, channel, segment)
 * with weights, plus optional predicates in the function form. Each rule scores
 * `weight × matches` (or `weight` if it only has conditions); scores add up per category and
 * the highest wins. Ties go to the category whose first rule comes first, so the result
 * never depends on anything but the rules and the input. Confidence is the winner's share of
 * all scores.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} on malformed rules (an unsafe pattern has code `unsafe_pattern`).
 * @example
 * ```ts
 * const classifier = ruleClassifier([
 *   { category: 'refund', keywords: ['refund', 'money back'] },
 *   { category: 'shipping', phrases: ['where is my order'], weight: 2 },
 * ]);
 * classifier.classify({ body: 'Where is my order? I want a refund' });
 * //=> { category: 'shipping', confidence: 0.667, tags: [], explanation: 'rule shipping#1 matched "where is my order" (score 2 of 3)', ... }
 * ```
 */
export function ruleClassifier(
  rules: readonly ClassificationRuleFn[],
  options: RuleClassifierOptions = {},
): Classifier {
  // A non-array or a non-object rule (JSON from outside) goes to the schema as it is, for its error.
  const list: readonly unknown[] = Array.isArray(rules)
    ? rules
    : parseInput(RuleList, rules, 'classification rules');
  const predicates = list.map((r) =>
    r !== null && typeof r === 'object' ? (r as ClassificationRuleFn).when : undefined,
  );
  const data = parseInput(
    RuleList,
    list.map((r) => {
      if (r === null || typeof r !== 'object' || !('when' in r)) return r;
      const { when: _when, ...rest } = r as ClassificationRuleFn;
      return rest;
    }),
    'classification rules',
  );
  const fallback = parseOptions(
    RuleClassifierOptionsSchema,
    options,
    'ruleClassifier options',
  ).fallbackCategory;
  const compiled: CompiledRule[] = data.map((rule, order) => ({
    id: rule.id ?? `${rule.category}#${order}`,
    rule,
    order,
    terms: [...(rule.keywords ?? []), ...(rule.phrases ?? [])]
      .map((t) => tokenize(t).join(' '))
      .filter(Boolean),
    regexes: (rule.patterns ?? []).map((p) => new RegExp(p, 'iu')),
    when: predicates[order],
  }));

  return {
    name: 'rules',
    classify(input: ClassifyInput): Classification {
      const text = textOf(input);
      const padded = ` ${tokenize(text, input.language ? { locale: input.language } : {}).join(' ')} `;
      const cut = text.slice(0, MAX_PATTERN_INPUT);
      const segments = segmentsOf(input);
      const totals = new Map<string, { score: number; first: number }>();
      const fired: { rule: CompiledRule; score: number; matched: string[] }[] = [];
      for (const c of compiled) {
        const { rule } = c;
        if (rule.channels && (!input.channel || !rule.channels.includes(input.channel))) continue;
        if (rule.segments && !rule.segments.some((s) => segments.includes(s))) continue;
        const matched: string[] = [];
        for (const term of c.terms) if (padded.includes(` ${term} `)) matched.push(term);
        for (const re of c.regexes) if (re.test(cut)) matched.push(`/${re.source}/`);
        const hasMatchers = c.terms.length + c.regexes.length > 0;
        if (hasMatchers && matched.length === 0) continue;
        if (c.when && !c.when(input)) continue;
        const score = rule.weight * (hasMatchers ? matched.length : 1);
        fired.push({ rule: c, score, matched });
        const total = totals.get(rule.category);
        if (total) total.score += score;
        else totals.set(rule.category, { score, first: c.order });
      }
      if (fired.length === 0) {
        return { category: fallback, confidence: 0, tags: [], explanation: 'no rule matched' };
      }
      let best: [string, { score: number; first: number }] | undefined;
      let sum = 0;
      for (const entry of totals) {
        sum += entry[1].score;
        if (
          !best ||
          entry[1].score > best[1].score ||
          (entry[1].score === best[1].score && entry[1].first < best[1].first)
        ) {
          best = entry;
        }
      }
      const [category, { score }] = best!;
      const winners = fired.filter((f) => f.rule.rule.category === category);
      const tags = [...new Set(fired.flatMap((f) => f.rule.rule.tags ?? []))];
      const priority = fired.find((f) => f.rule.rule.priority)?.rule.rule.priority;
      const sentiment = fired.find((f) => f.rule.rule.sentiment)?.rule.rule.sentiment;
      const scores: Record<string, number> = {};
      for (const [name, total] of totals) scores[name] = total.score / sum;
      const why = winners
        .map(
          (f) =>
            `rule ${f.rule.id} matched ${f.matched.length > 0 ? f.matched.map((m) => JSON.stringify(m)).join(', ') : 'its conditions'}`,
        )
        .join('; ');
      return {
        category,
        confidence: score / sum,
        tags,
        ...(priority ? { priority } : {}),
        ...(sentiment ? { sentiment } : {}),
        explanation: `${why} (score ${score} of ${sum})`,
        scores,
      };
    },
  };
}
