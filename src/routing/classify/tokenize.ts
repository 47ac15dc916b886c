/** Options of {@link tokenize}. */
export interface TokenizeOptions {
  /** BCP 47 tag for word boundaries (Thai, Chinese and Japanese need it least: ICU finds words). */
  readonly locale?: string;
  /** Longest text read, in UTF-16 code units; the rest is ignored (default 20,000). */
  readonly maxLength?: number;
}

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, segmenter);
  }
  return segmenter;
}

const DIGITS = /^\p{Nd}+$/u;

/**
 * Splits text into lower-case, NFKC-normalised words with `Intl.Segmenter`, so scripts
 * without spaces (Chinese, Japanese, Thai) split into words and accents survive
 * (Vietnamese `hoàn tiền` stays two words with their marks). Runs of digits become `#`
 * (order numbers say nothing about the category).
 *
 * @example
 * ```ts
 * tokenize('Where is my ORDER #1234?');
 * //=> ['where', 'is', 'my', 'order', '#']
 * tokenize('我想退款');
 * //=> ['我想', '退款']
 * ```
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const limited =
    text.length > (options.maxLength ?? 20_000) ? text.slice(0, options.maxLength ?? 20_000) : text;
  const normalised = limited.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  for (const part of segmenterFor(options.locale ?? 'en').segment(normalised)) {
    if (!part.isWordLike) continue;
    out.push(DIGITS.test(part.segment) ? '#' : part.segment);
  }
  return out;
}
