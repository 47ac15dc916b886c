import { type DateEnvironment, formatDateValue } from './formatDate.js';
import {
  escapeHtml,
  isTruthy,
  readProperty,
  safeString,
  stringify,
  toNumber,
  unescapeHtml,
} from './values.js';

/** A filter an integrator adds: receives the value and the arguments, returns the new value. */
export type TemplateFilter = (value: unknown, ...args: unknown[]) => unknown;

/** What a built-in filter knows about the render: locale, time zone, currency, escaping. */
export interface TemplateFilterEnvironment extends DateEnvironment {
  readonly currency: string;
  /** True on channels that escape HTML (email). */
  readonly escapes: boolean;
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
  apply: (_env, value) => fn(stringify(value)),
});

function advanceCodePoints(str: string, from: number, count: number): number {
  let index = from;
  for (let i = 0; i < count && index < str.length; i++)
    index += (str.codePointAt(index) as number) > 0xffff ? 2 : 1;
  return index;
}

function codePointLength(str: string): number {
  let length = 0;
  for (let index = 0; index < str.length; index = advanceCodePoints(str, index, 1)) length++;
  return length;
}

function shiftDecimal(n: number, exponent: number): number {
  const [mantissa, power = '0'] = String(n).split('e');
  return Number(`${mantissa}e${Number(power) + exponent}`);
}

function trimChars(str: string, chars: unknown, start: boolean, end: boolean): string {
  if (!chars) return start && end ? str.trim() : start ? str.trimStart() : str.trimEnd();
  const set = new Set(stringify(chars));
  let from = 0;
  let to = str.length;
  if (start) while (from < to && set.has(str[from] as string)) from++;
  if (end) while (to > from && set.has(str[to - 1] as string)) to--;
  return str.slice(from, to);
}

function toArray(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isArrayLike(value: unknown): value is string | readonly unknown[] {
  return (typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

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

/**
 * The built-in filters. Their behaviour matches LiquidJS 10 (tested side by side), except
 * `date` (date-fns or strftime patterns in the customer's time zone and locale) and `money`
 * (Intl currency formatting), which LiquidJS does not have in this form.
 */
export const builtinFilters: Readonly<Record<string, TemplateFilterSpec>> = {
  default: {
    min: 1,
    max: 1,
    named: ['allow_false'],
    apply: (_env, value, [fallback], named) => {
      if (typeof value === 'string' || Array.isArray(value)) return value.length > 0 ? value : fallback;
      if (value === false && isTruthy(named.allow_false)) return false;
      return isTruthy(value) ? value : fallback;
    },
  },
  upcase: text((s) => s.toUpperCase()),
  downcase: text((s) => s.toLowerCase()),
  capitalize: text((s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()),
  strip: { min: 0, max: 1, apply: (_env, value, [chars]) => trimChars(stringify(value), chars, true, true) },
  lstrip: {
    min: 0,
    max: 1,
    apply: (_env, value, [chars]) => trimChars(stringify(value), chars, true, false),
  },
  rstrip: {
    min: 0,
    max: 1,
    apply: (_env, value, [chars]) => trimChars(stringify(value), chars, false, true),
  },
  strip_newlines: text((s) => s.replace(/\r?\n/gm, '')),
  truncate: {
    min: 0,
    max: 2,
    apply: (_env, value, [length, ellipsis]) => {
      const str = stringify(value);
      const limit = length === undefined ? 50 : toNumber(length);
      const omission = ellipsis === undefined ? '...' : stringify(ellipsis);
      if (str.length <= limit || advanceCodePoints(str, 0, limit) >= str.length) return value;
      return (
        str.slice(0, advanceCodePoints(str, 0, Math.max(limit - codePointLength(omission), 0))) + omission
      );
    },
  },
  truncatewords: {
    min: 0,
    max: 2,
    apply: (_env, value, [count, ellipsis]) => {
      const words = str(value).trimStart().split(/\s+/);
      let limit = count === undefined ? 15 : toNumber(count);
      if (limit <= 0) limit = 1;
      const omission = ellipsis === undefined ? '...' : stringify(ellipsis);
      const kept = words.slice(0, limit).join(' ');
      return words.length >= limit ? kept + omission : kept;
    },
  },
  replace: {
    min: 2,
    max: 2,
    apply: (_env, value, [pattern, replacement]) =>
      stringify(value).split(stringify(pattern)).join(stringify(replacement)),
  },
  remove: {
    min: 1,
    max: 1,
    apply: (_env, value, [pattern]) => stringify(value).split(stringify(pattern)).join(''),
  },
  append: { min: 1, max: 1, apply: (_env, value, [suffix]) => stringify(value) + stringify(suffix) },
  prepend: { min: 1, max: 1, apply: (_env, value, [prefix]) => stringify(prefix) + stringify(value) },
  split: {
    min: 1,
    max: 1,
    apply: (_env, value, [separator]) => {
      const parts = stringify(value).split(stringify(separator));
      while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      return parts;
    },
  },
  size: {
    min: 0,
    max: 0,
    apply: (_env, value) => {
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      const length = readProperty(value, 'length');
      return typeof length === 'number' && length ? length : 0;
    },
  },
  join: {
    min: 0,
    max: 1,
    apply: (_env, value, [separator]) => {
      const sep = separator === undefined || separator === null ? ' ' : stringify(separator);
      return toArray(value)
        .map((item) => (item === undefined || item === null ? '' : safeString(item)))
        .join(sep);
    },
  },
  first: { min: 0, max: 0, apply: (_env, value) => (isArrayLike(value) ? readProperty(value, 0) : '') },
  last: {
    min: 0,
    max: 0,
    apply: (_env, value) => (isArrayLike(value) ? readProperty(value, value.length - 1) : ''),
  },
  plus: numeric((a, b = 0) => a + b),
  minus: numeric((a, b = 0) => a - b),
  times: numeric((a, b = 0) => a * b),
  divided_by: numeric((a, b = 0, integer = 0) => (integer ? Math.floor(a / b) : a / b), 1, 2),
  abs: numeric(Math.abs, 0),
  floor: numeric(Math.floor, 0),
  ceil: numeric(Math.ceil, 0),
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
  escape_once: text((s) => escapeHtml(unescapeHtml(s))),
  newline_to_br: text((s) => s.replace(/\r?\n/gm, '<br />\n')),
  url_encode: text((s) => encodeURIComponent(s).replace(/%20/g, '+')),
  date: {
    min: 1,
    max: 1,
    apply: (env, value, [format]) => formatDateValue(value, stringify(format), env),
  },
  money: { min: 0, max: 1, apply: (env, value, [currency]) => money(env, value, currency) },
};

function str(value: unknown): string {
  return stringify(value);
}

/** Filters whose output is already HTML-safe, so an escaping channel does not escape it twice. */
export const SAFE_OUTPUT_FILTERS: ReadonlySet<string> = new Set(['escape', 'escape_once', 'newline_to_br']);
