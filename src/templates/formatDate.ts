import { TZDate } from '@date-fns/tz';
import { type Locale as DateFnsLocale, format as formatWithDateFns } from 'date-fns';
import { checkString } from '../model/arguments.js';
import { BoundedCache } from './boundedCache.js';

/** What the `date` filter needs to know. */
export interface DateEnvironment {
  readonly locale: string;
  readonly timeZone: string;
  /** A date-fns locale for month and day names in date-fns and strftime patterns. */
  readonly dateLocale?: DateFnsLocale;
}

const PRESETS: Record<string, Intl.DateTimeFormatOptions> = {
  short: { dateStyle: 'short' },
  medium: { dateStyle: 'medium' },
  long: { dateStyle: 'long' },
  full: { dateStyle: 'full' },
  'short-time': { dateStyle: 'short', timeStyle: 'short' },
  'medium-time': { dateStyle: 'medium', timeStyle: 'short' },
  'long-time': { dateStyle: 'long', timeStyle: 'short' },
  'full-time': { dateStyle: 'full', timeStyle: 'short' },
  time: { timeStyle: 'short' },
};

const STRFTIME: Record<string, string> = {
  a: 'EEE',
  A: 'EEEE',
  b: 'MMM',
  h: 'MMM',
  B: 'MMMM',
  d: 'dd',
  e: 'd',
  '-d': 'd',
  H: 'HH',
  '-H': 'H',
  I: 'hh',
  '-I': 'h',
  l: 'h',
  M: 'mm',
  S: 'ss',
  p: 'a',
  m: 'MM',
  '-m': 'M',
  y: 'yy',
  Y: 'yyyy',
  z: 'xx',
  Z: 'zzz',
};

// Keyed by the render's locale and time zone, which come from outside: bounded.
export const intlFormats = new BoundedCache<string, Intl.DateTimeFormat>(64);

/** Turns a strftime pattern (`%b %-d, %Y`) into a date-fns pattern (`MMM d, yyyy`). */
export function strftimeToDateFns(pattern: string): string {
  checkString(pattern, 'strftimeToDateFns', ['pattern'], 10_000);
  let out = '';
  let literal = '';
  const flush = () => {
    if (literal !== '') out += `'${literal.replace(/'/g, "''")}'`;
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch !== '%') {
      literal += ch;
      continue;
    }
    const next = pattern[i + 1];
    if (next === '%') {
      literal += '%';
      i++;
      continue;
    }
    const key = next === '-' ? `-${pattern[i + 2] ?? ''}` : (next ?? '');
    const token = STRFTIME[key];
    if (token === undefined) {
      literal += ch;
      continue;
    }
    flush();
    out += token;
    i += key.length;
  }
  flush();
  return out;
}

function toInstant(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(
      /T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) || value.length === 10 ? value : `${value}Z`,
    );
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/**
 * The `date` filter: formats an instant (epoch milliseconds, an ISO 8601 string or a Date) in the
 * render's time zone. The pattern is a preset (`short`, `medium`, `long`, `full`, the same with
 * `-time`, or `time`: Intl formatting in the render's locale), a strftime pattern when it contains
 * `%` (`%b %-d, %Y`), or else a date-fns pattern (`d MMM yyyy, HH:mm`). A value that is not a
 * date is returned unchanged, as Liquid does.
 */
export function formatDateValue(value: unknown, pattern: string, env: DateEnvironment): unknown {
  const ms = toInstant(value);
  if (ms === null) return value;
  const preset = PRESETS[pattern];
  if (preset) {
    const key = `${env.locale}|${env.timeZone}|${pattern}`;
    let format = intlFormats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(env.locale, { ...preset, timeZone: env.timeZone });
      intlFormats.set(key, format);
    }
    return format.format(ms);
  }
  const dateFnsPattern = pattern.includes('%') ? strftimeToDateFns(pattern) : pattern;
  try {
    return formatWithDateFns(
      new TZDate(ms, env.timeZone),
      dateFnsPattern,
      env.dateLocale ? { locale: env.dateLocale } : {},
    );
  } catch {
    return value;
  }
}
