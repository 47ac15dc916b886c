import { CarekitArgumentError, checkNumber, checkString, readBag } from '../../model/arguments.js';
import type { RoutingErrorCode } from '../errors.js';

/** Options of {@link tokenize}. */
export interface TokenizeOptions {
  /** BCP 47 tag for word boundaries (Thai, Chinese and Japanese need it least: ICU finds words). */
  readonly locale?: string;
  /** Longest text read, in UTF-16 code units; the rest is ignored (default 20,000). */
  readonly maxLength?: number;
}

const segmenters = new Map<string, Intl.Segmenter>();

/** How many locales' segmenters are kept (the least recently used is dropped first). */
const SEGMENTERS_KEPT = 64;

function segmenterFor(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    } catch {
      throw new CarekitArgumentError<RoutingErrorCode>(
        'invalid_locale',
        ['options', 'locale'],
        `tokenize: options.locale ${JSON.stringify(locale.slice(0, 60))} is not a BCP 47 locale (such as "vi" or "pt-BR")`,
      );
    }
    if (segmenters.size >= SEGMENTERS_KEPT) segmenters.delete(segmenters.keys().next().value as string);
  } else segmenters.delete(locale);
  segmenters.set(locale, segmenter);
  return segmenter;
}

const TOKENIZE_OPTIONS = ['locale', 'maxLength'];

// The hot path (classifiers call tokenize per message with their own options): a plain object
// whose keys are known and whose values have the right types needs no copy.
function isPlainOptions(o: unknown): boolean {
  if (o === null || typeof o !== 'object' || Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const key in o) if (key !== 'locale' && key !== 'maxLength') return false;
  const { locale, maxLength } = o as { locale?: unknown; maxLength?: unknown };
  return (
    (locale === undefined || (typeof locale === 'string' && locale.length <= 100)) &&
    (maxLength === undefined || (typeof maxLength === 'number' && maxLength >= 0))
  );
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
  checkString(text, 'tokenize', ['text'], Number.POSITIVE_INFINITY);
  if (!isPlainOptions(options)) {
    const o = readBag(
      options,
      'tokenize',
      ['options'],
      'an options object { locale?, maxLength? }',
      TOKENIZE_OPTIONS,
    );
    if (o.locale !== undefined)
      checkString(o.locale, 'tokenize', ['options', 'locale'], 100, 'a BCP 47 locale');
    if (o.maxLength !== undefined)
      checkNumber(
        o.maxLength,
        'tokenize',
        ['options', 'maxLength'],
        'a whole number of characters, 0 or more',
        0,
      );
    options = o as TokenizeOptions;
  }
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
