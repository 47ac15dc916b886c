import { BoundedCache } from './boundedCache.js';
import { type DateEnvironment, formatDateValue } from './formatDate.js';
import {
  equals,
  escapeHtml,
  escapeHtmlOnce,
  isPlainObject,
  isTruthy,
  outputLimit,
  readProperty,
  safeString,
  stringify,
  toNumber,
} from './values.js';

/** A filter an integrator adds: receives the value and the arguments, returns the new value. */
export type TemplateFilter = (value: unknown, ...args: unknown[]) => unknown;

/** What a built-in filter knows about the render: locale, time zone, currency, escaping, limits. */
export interface TemplateFilterEnvironment extends DateEnvironment {
  readonly currency: string;
  /** True on channels that escape HTML (email). */
  readonly escapes: boolean;
  /**
   * The longest string, and the longest list, a filter may build (the render's output limit). A
   * filter that would build more stops the render with `template_output_limit` before building it.
   */
  readonly maxLength?: number;
}

/** A built-in filter with its arity, for compile-time checks and for `lintTemplate`. */
export interface TemplateFilterSpec {
  readonly min: number;
  readonly max: number;
  readonly named?: readonly string[];
  readonly apply: (
    env: TemplateFilterEnvironment,
    value: unknown,
    args: readonly unknown[],
    named: Readonly<Record<string, unknown>>,
  ) => unknown;
}

const limitOf = (env: TemplateFilterEnvironment): number => env.maxLength ?? Number.POSITIVE_INFINITY;

/** Stops before a string or list longer than the limit is built. */
function bound(env: TemplateFilterEnvironment, length: number, name: string): void {
  const max = limitOf(env);
  if (length > max) throw outputLimit(max, `the result of \`${name}\``);
}

const str = (env: TemplateFilterEnvironment, value: unknown): string => stringify(value, limitOf(env));

const numeric = (
  fn: (value: number, ...args: number[]) => number,
  min = 1,
  max = min,
): TemplateFilterSpec => ({
  min,
  max,
  apply: (_env, value, args) => fn(toNumber(value), ...args.map(toNumber)),
});

const text = (fn: (value: string) => string): TemplateFilterSpec => ({
  min: 0,
  max: 0,
  apply: (env, value) => fn(str(env, value)),
});

function advanceCodePoints(s: string, from: number, count: number): number {
  let index = from;
  for (let i = 0; i < count && index < s.length; i++)
    index += (s.codePointAt(index) as number) > 0xffff ? 2 : 1;
  return index;
}

function codePointLength(s: string): number {
  let length = 0;
  for (let index = 0; index < s.length; index = advanceCodePoints(s, index, 1)) length++;
  return length;
}

function shiftDecimal(n: number, exponent: number): number {
  const [mantissa, power = '0'] = String(n).split('e');
  return Number(`${mantissa}e${Number(power) + exponent}`);
}

function trimChars(s: string, chars: unknown, start: boolean, end: boolean): string {
  if (!chars) return start && end ? s.trim() : start ? s.trimStart() : s.trimEnd();
  const set = new Set(stringify(chars));
  let from = 0;
  let to = s.length;
  if (start) while (from < to && set.has(s[from] as string)) from++;
  if (end) while (to > from && set.has(s[to - 1] as string)) to--;
  return s.slice(from, to);
}

/** A list from a filter's input, as Liquid's InputIterator: nil is empty, a list is itself, anything else one item. */
function toList(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(readProperty(value, i));
    return out;
  }
  return [value];
}

/** How many items a flattened list may hold: nested host lists that share parts cannot blow up. */
const MAX_FLAT_ITEMS = 1_000_000;

/**
 * A filter's input as Shopify's `InputIterator` reads it: nil is empty, a list is flattened (its
 * nested lists' items in order, a list inside itself once), anything else is a list of itself. So
 * `lines | map: "skus" | join: ", "` lists every sku, as in Shopify.
 */
function toFlatList(value: unknown): readonly unknown[] {
  const list = toList(value);
  if (!Array.isArray(value) || !list.some(Array.isArray)) return list;
  const out: unknown[] = [];
  const open = new Set<unknown>();
  const walk = (list: readonly unknown[]) => {
    open.add(list);
    for (let i = 0; i < list.length; i++) {
      const item = readProperty(list, i);
      if (Array.isArray(item) && !open.has(item)) walk(item);
      else if (out.push(item) > MAX_FLAT_ITEMS) throw outputLimit(MAX_FLAT_ITEMS, 'a flattened list');
    }
    open.delete(list);
  };
  walk(value);
  return out;
}

/** How many times `pattern` occurs in `s`, without overlaps. */
function occurrences(s: string, pattern: string): number {
  if (pattern === '') return s.length + 1;
  let count = 0;
  for (let i = s.indexOf(pattern); i !== -1; i = s.indexOf(pattern, i + pattern.length)) count++;
  return count;
}

function replaceAll(
  env: TemplateFilterEnvironment,
  name: string,
  s: string,
  pattern: string,
  by: string,
): string {
  const count = occurrences(s, pattern);
  if (count === 0) return s;
  bound(env, s.length + count * (by.length - pattern.length), name);
  return s.split(pattern).join(by);
}

function replaceOne(s: string, pattern: string, by: string, last: boolean): string {
  const at = last ? s.lastIndexOf(pattern) : s.indexOf(pattern);
  return at === -1 ? s : s.slice(0, at) + by + s.slice(at + pattern.length);
}

/** Currency formats by (locale, currency): bounded, since both come from outside. */
export const moneyFormats = new BoundedCache<string, Intl.NumberFormat>(64);

function money(env: TemplateFilterEnvironment, value: unknown, currencyArg: unknown): string {
  const currency = currencyArg === undefined ? env.currency : stringify(currencyArg).toUpperCase();
  const key = `${env.locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(env.locale, { style: 'currency', currency });
    } catch {
      format = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' });
      if (/^[A-Z]{3}$/.test(currency)) format = new Intl.NumberFormat('en', { style: 'currency', currency });
    }
    moneyFormats.set(key, format);
  }
  return format.format(toNumber(value));
}

/** Liquid's ordering of two values for `sort`: numbers and strings among themselves, nil last. */
function compareForSort(a: unknown, b: unknown, natural: boolean): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  let left = safeString(a);
  let right = safeString(b);
  if (natural) {
    left = left.toLowerCase();
    right = right.toLowerCase();
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

function sortBy(value: unknown, property: unknown, natural: boolean): unknown[] {
  const list = [...toFlatList(value)];
  if (property === undefined) return list.sort((a, b) => compareForSort(a, b, natural));
  const key = safeString(property);
  return list.sort((a, b) => compareForSort(readProperty(a, key), readProperty(b, key), natural));
}

/** `where`/`reject`/`find`/`has`: whether an item's property matches (truthy without a target). */
function matcher(property: unknown, target: unknown, hasTarget: boolean): (item: unknown) => boolean {
  const key = safeString(property);
  return (item) => {
    // An item that is not an object has no properties: it never matches (Shopify returns nil).
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
    const found = readProperty(item, key);
    return hasTarget ? equals(found, target) : isTruthy(found);
  };
}

/** UTF-8 bytes as base64, without Node's Buffer (the package runs in browsers and workers). */
function toBase64(s: string, urlSafe: boolean): string {
  const bytes = new TextEncoder().encode(s);
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  const out = btoa(binary);
  return urlSafe ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
}

function fromBase64(s: string, urlSafe: boolean): string {
  const normal = urlSafe ? s.replace(/-/g, '+').replace(/_/g, '/') : s;
  const binary = atob(normal);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Ruby's `CGI.escape`: everything but `A-Z a-z 0-9 _ . - ~` percent-encoded, spaces as `+`. */
function urlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (ch) => `%${(ch.charCodeAt(0) as number).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * Removes HTML tags, and scripts, styles and comments with their content, as Shopify's
 * `strip_html` does, in linear time: an opening `<script` with no `</script>` after it can never
 * match, which is known from one `lastIndexOf` instead of a rescan per opening.
 */
export function stripHtml(s: string): string {
  const lastClose: Record<string, number> = {
    '<script': s.lastIndexOf('</script>'),
    '<style': s.lastIndexOf('</style>'),
    '<!--': s.lastIndexOf('-->'),
  };
  const closers: Record<string, string> = { '<script': '</script>', '<style': '</style>', '<!--': '-->' };
  let out = '';
  let i = 0;
  const lastTagEnd = s.lastIndexOf('>');
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    if (lt === -1) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, lt);
    let skipped = false;
    for (const open of ['<script', '<style', '<!--']) {
      if (!s.startsWith(open, lt)) continue;
      const closer = closers[open] as string;
      if ((lastClose[open] as number) >= lt + open.length) {
        i = s.indexOf(closer, lt + open.length) + closer.length;
        skipped = true;
      }
      break;
    }
    if (skipped) continue;
    if (lastTagEnd > lt) {
      i = s.indexOf('>', lt + 1) + 1;
      continue;
    }
    out += s.slice(lt);
    break;
  }
  return out;
}

function divide(a: number, b: number, floatDivisor: boolean): number {
  if (b === 0) throw new Error('divided by 0');
  return Number.isInteger(a) && Number.isInteger(b) && !floatDivisor ? Math.floor(a / b) : a / b;
}

/**
 * The built-in filters: Shopify's standard filters, with Shopify's behaviour where it and LiquidJS
 * disagree (docs/templates.md lists each case), plus carekit's `date` (date-fns or strftime
 * patterns in the customer's time zone and locale) and `money` (Intl currency formatting).
 * Every filter that builds a string or a list bounds it by the render's output limit.
 */
export const builtinFilters: Readonly<Record<string, TemplateFilterSpec>> = {
  default: {
    min: 0,
    max: 1,
    named: ['allow_false'],
    // A written default that reads nil is nil (Shopify's), not the empty text of `default` alone.
    apply: (_env, value, args, named) => {
      const fallback = args.length > 0 ? args[0] : '';
      if (value === false && isTruthy(named.allow_false)) return false;
      if (typeof value === 'string' || Array.isArray(value)) return value.length > 0 ? value : fallback;
      if (isPlainObject(value)) return Object.keys(value).length > 0 ? value : fallback;
      return isTruthy(value) ? value : fallback;
    },
  },
  upcase: text((s) => s.toUpperCase()),
  downcase: text((s) => s.toLowerCase()),
  capitalize: text((s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()),
  strip: { min: 0, max: 1, apply: (env, value, [chars]) => trimChars(str(env, value), chars, true, true) },
  lstrip: {
    min: 0,
    max: 1,
    apply: (env, value, [chars]) => trimChars(str(env, value), chars, true, false),
  },
  rstrip: {
    min: 0,
    max: 1,
    apply: (env, value, [chars]) => trimChars(str(env, value), chars, false, true),
  },
  strip_newlines: text((s) => s.replace(/\r?\n/gm, '')),
  strip_html: text(stripHtml),
  truncate: {
    min: 0,
    max: 2,
    apply: (env, value, [length, ellipsis]) => {
      const s = str(env, value);
      const limit = length === undefined ? 50 : toNumber(length);
      const omission = ellipsis === undefined ? '...' : str(env, ellipsis);
      if (s.length <= limit || advanceCodePoints(s, 0, limit) >= s.length) return s;
      return s.slice(0, advanceCodePoints(s, 0, Math.max(limit - codePointLength(omission), 0))) + omission;
    },
  },
  truncatewords: {
    min: 0,
    max: 2,
    apply: (env, value, [count, ellipsis]) => {
      const s = str(env, value);
      let limit = count === undefined ? 15 : Math.trunc(toNumber(count));
      if (limit <= 0) limit = 1;
      const words = s.split(/[ \t\n\v\f\r]+/).filter((word) => word !== '');
      // Shopify's rule: the text is returned unchanged unless it has more words than the limit.
      if (words.length <= limit) return s;
      const omission = ellipsis === undefined ? '...' : str(env, ellipsis);
      return words.slice(0, limit).join(' ') + omission;
    },
  },
  replace: {
    min: 1,
    max: 2,
    apply: (env, value, [pattern, by]) =>
      replaceAll(env, 'replace', str(env, value), str(env, pattern), str(env, by)),
  },
  replace_first: {
    min: 1,
    max: 2,
    apply: (env, value, [pattern, by]) => replaceOne(str(env, value), str(env, pattern), str(env, by), false),
  },
  replace_last: {
    min: 2,
    max: 2,
    apply: (env, value, [pattern, by]) => replaceOne(str(env, value), str(env, pattern), str(env, by), true),
  },
  remove: {
    min: 1,
    max: 1,
    apply: (env, value, [pattern]) => {
      const p = str(env, pattern);
      return p === '' ? str(env, value) : replaceAll(env, 'remove', str(env, value), p, '');
    },
  },
  remove_first: {
    min: 1,
    max: 1,
    apply: (env, value, [pattern]) => replaceOne(str(env, value), str(env, pattern), '', false),
  },
  remove_last: {
    min: 1,
    max: 1,
    apply: (env, value, [pattern]) => replaceOne(str(env, value), str(env, pattern), '', true),
  },
  append: {
    min: 1,
    max: 1,
    apply: (env, value, [suffix]) => {
      const a = str(env, value);
      const b = str(env, suffix);
      bound(env, a.length + b.length, 'append');
      return a + b;
    },
  },
  prepend: {
    min: 1,
    max: 1,
    apply: (env, value, [prefix]) => {
      const a = str(env, prefix);
      const b = str(env, value);
      bound(env, a.length + b.length, 'prepend');
      return a + b;
    },
  },
  split: {
    min: 1,
    max: 1,
    apply: (env, value, [separator]) => {
      const s = str(env, value);
      // Ruby's `split(nil)` is `split(" ")`: on runs of whitespace, leading whitespace ignored.
      const sep = separator === null || separator === undefined ? ' ' : str(env, separator);
      const parts = sep === ' ' ? s.trimStart().split(/[ \t\n\v\f\r]+/) : s.split(sep);
      while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      return parts;
    },
  },
  size: {
    min: 0,
    max: 0,
    apply: (_env, value) => {
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (isPlainObject(value)) {
        const own = readProperty(value, 'size');
        return typeof own === 'number' ? own : Object.keys(value).length;
      }
      const size = readProperty(value, 'size');
      return typeof size === 'number' ? size : 0;
    },
  },
  join: {
    min: 0,
    max: 1,
    apply: (env, value, [separator]) => {
      const sep = separator === undefined || separator === null ? ' ' : str(env, separator);
      const max = limitOf(env);
      let out = '';
      toFlatList(value).forEach((item, index) => {
        if (index > 0) out += sep;
        out += item === undefined || item === null ? '' : str(env, item);
        if (out.length > max) throw outputLimit(max, 'the result of `join`');
      });
      return out;
    },
  },
  first: {
    min: 0,
    max: 0,
    apply: (_env, value) => (Array.isArray(value) ? readProperty(value, 0) : undefined),
  },
  last: {
    min: 0,
    max: 0,
    apply: (_env, value) => (Array.isArray(value) ? readProperty(value, value.length - 1) : undefined),
  },
  concat: {
    min: 1,
    max: 1,
    apply: (env, value, [other]) => {
      if (!Array.isArray(other)) throw new Error('`concat` takes a list');
      bound(env, (Array.isArray(value) ? value.length : 1) + other.length, 'concat');
      return [...toFlatList(value), ...toList(other)];
    },
  },
  reverse: { min: 0, max: 0, apply: (_env, value) => [...toFlatList(value)].reverse() },
  compact: {
    min: 0,
    max: 1,
    apply: (_env, value, [property]) => {
      const key = property === undefined ? null : safeString(property);
      return toFlatList(value).filter((item) => {
        const found = key === null ? item : readProperty(item, key);
        return found !== undefined && found !== null;
      });
    },
  },
  uniq: {
    min: 0,
    max: 1,
    apply: (_env, value, [property]) => {
      const key = property === undefined ? null : safeString(property);
      const out: unknown[] = [];
      const seen: unknown[] = [];
      const primitives = new Set<unknown>();
      for (const item of toFlatList(value)) {
        const identity = key === null ? item : readProperty(item, key);
        if (typeof identity !== 'object' || identity === null) {
          if (primitives.has(identity)) continue;
          primitives.add(identity);
        } else {
          if (seen.some((other) => equals(other, identity))) continue;
          seen.push(identity);
        }
        out.push(item);
      }
      return out;
    },
  },
  sort: { min: 0, max: 1, apply: (_env, value, [property]) => sortBy(value, property, false) },
  sort_natural: { min: 0, max: 1, apply: (_env, value, [property]) => sortBy(value, property, true) },
  map: {
    min: 1,
    max: 1,
    apply: (_env, value, [property]) => {
      const key = safeString(property);
      return toFlatList(value).map((item) => readProperty(item, key));
    },
  },
  where: {
    min: 1,
    max: 2,
    apply: (_env, value, args) => toFlatList(value).filter(matcher(args[0], args[1], args.length > 1)),
  },
  reject: {
    min: 1,
    max: 2,
    apply: (_env, value, args) => {
      const match = matcher(args[0], args[1], args.length > 1);
      return toFlatList(value).filter((item) => !match(item));
    },
  },
  find: {
    min: 1,
    max: 2,
    apply: (_env, value, args) => toFlatList(value).find(matcher(args[0], args[1], args.length > 1)),
  },
  find_index: {
    min: 1,
    max: 2,
    apply: (_env, value, args) => {
      const index = toFlatList(value).findIndex(matcher(args[0], args[1], args.length > 1));
      return index === -1 ? undefined : index;
    },
  },
  has: {
    min: 1,
    max: 2,
    apply: (_env, value, args) => toFlatList(value).some(matcher(args[0], args[1], args.length > 1)),
  },
  sum: {
    min: 0,
    max: 1,
    apply: (_env, value, [property]) => {
      const key = property === undefined ? null : safeString(property);
      let total = 0;
      for (const item of toFlatList(value)) {
        const found = key === null ? item : readProperty(item, key);
        if (typeof found === 'number' || typeof found === 'string') total += toNumber(found);
      }
      return total;
    },
  },
  slice: {
    min: 1,
    max: 2,
    apply: (env, value, [offset, length]) => {
      const from = Math.trunc(toNumber(offset));
      const count = length === undefined ? 1 : Math.trunc(toNumber(length));
      if (Array.isArray(value)) {
        const list = toList(value);
        const start = from < 0 ? list.length + from : from;
        if (start < 0 || start > list.length || count < 0) return [];
        return list.slice(start, start + count);
      }
      const s = str(env, value);
      const start = from < 0 ? s.length + from : from;
      if (start < 0 || start > s.length || count < 0) return '';
      return s.slice(start, start + count);
    },
  },
  plus: numeric((a, b = 0) => a + b),
  minus: numeric((a, b = 0) => a - b),
  times: numeric((a, b = 0) => a * b),
  divided_by: {
    min: 1,
    max: 1,
    apply: (_env, value, [divisor], named) =>
      divide(toNumber(value), toNumber(divisor), named.float_divisor === true),
  },
  // Ruby's `%` takes the sign of the divisor: -7 modulo 3 is 2.
  modulo: numeric((a, b = 0) => {
    if (b === 0) throw new Error('divided by 0');
    return ((a % b) + b) % b;
  }),
  abs: numeric(Math.abs, 0),
  floor: numeric(Math.floor, 0),
  ceil: numeric(Math.ceil, 0),
  at_least: numeric((a, b = 0) => Math.max(a, b)),
  at_most: numeric((a, b = 0) => Math.min(a, b)),
  round: numeric(
    (v, digits = 0) => {
      const scaled = shiftDecimal(Math.abs(v), digits);
      if (!(scaled <= Number.MAX_SAFE_INTEGER)) return v;
      const rounded = shiftDecimal(Math.round(scaled), -digits);
      return v < 0 ? -rounded : rounded;
    },
    0,
    1,
  ),
  escape: text(escapeHtml),
  h: text(escapeHtml),
  escape_once: text(escapeHtmlOnce),
  newline_to_br: text((s) => s.replace(/\r?\n/gm, '<br />\n')),
  url_encode: text(urlEncode),
  url_decode: text((s) => decodeURIComponent(s.replace(/\+/g, ' '))),
  base64_encode: text((s) => toBase64(s, false)),
  base64_decode: text((s) => fromBase64(s, false)),
  base64_url_safe_encode: text((s) => toBase64(s, true)),
  base64_url_safe_decode: text((s) => fromBase64(s, true)),
  date: {
    min: 1,
    max: 1,
    apply: (env, value, [format]) => formatDateValue(value, stringify(format), env),
  },
  money: { min: 0, max: 1, apply: (env, value, [currency]) => money(env, value, currency) },
};

/** Filters whose output is already HTML-safe, so an escaping channel does not escape it twice. */
export const SAFE_OUTPUT_FILTERS: ReadonlySet<string> = new Set([
  'escape',
  'h',
  'escape_once',
  'newline_to_br',
]);
