import { z } from 'zod';
import {
  CarekitArgumentError,
  checkInstant,
  checkObject,
  checkString,
  readArgument,
} from '../model/arguments.js';
import { MAX_DURATION_MS, parseOptions } from '../model/index.js';
import { resolveClockMeasure, type SlaCalendars } from './clockMeasure.js';
import type { SlaPolicy } from './createSlaPolicy.js';
import type { SlaErrorCode } from './errors.js';
import { evaluateSla, type SlaTimeline } from './evaluateSla.js';
import { assertSlaPolicy, CalendarsOption, InstantOption } from './options.js';

/** What the queue looks like now, for a promise that also respects the backlog. */
export interface QueueEstimate {
  /** Tickets ahead of this one for the same team. */
  readonly ahead: number;
  /** Agents who will work on them. */
  readonly agents: number;
  /** Typical handling time per ticket, in ms of working time. */
  readonly msPerTicket: number;
}

/** Options of {@link promiseFor}. */
export interface PromiseOptions {
  /** The clock to promise for. Default `firstReply`. */
  readonly clock?: 'firstReply' | 'resolution';
  /** When the promise is made (a `Date` or epoch ms). Default: the last event of the timeline. */
  readonly now?: Date | number;
  readonly calendars?: SlaCalendars;
  readonly queue?: QueueEstimate;
  /** Round the promise up to a whole `hour` or `half_hour` (an easy promise to read). Default `hour`. */
  readonly roundTo?: 'hour' | 'half_hour' | 'none';
}

/** A time the business can commit to, and why. */
export interface CarePromise {
  /** The instant promised (epoch ms), never earlier than the SLA due time. */
  readonly at: number;
  /** The SLA due time of the clock, or null when the policy sets no target. */
  readonly dueAt: number | null;
  /** When the queue says the work can be done, or null without a queue estimate. */
  readonly queueAt: number | null;
  /** What decided the promise: `sla`, `queue` or `none` (no target and no queue). */
  readonly basis: 'sla' | 'queue' | 'none';
}

const PromiseOptionsSchema = z.strictObject({
  clock: z.enum(['firstReply', 'resolution']).optional(),
  now: InstantOption.transform((t) => (typeof t === 'number' ? t : t.getTime())).optional(),
  calendars: CalendarsOption.optional(),
  queue: z
    .strictObject({
      ahead: z.number().int().min(0).max(1e9),
      agents: z.number().int().min(0).max(1e6),
      msPerTicket: z.number().min(0).max(MAX_DURATION_MS),
    })
    .optional(),
  roundTo: z.enum(['hour', 'half_hour', 'none']).optional(),
});

/**
 * The instant the business can honestly promise a customer for a first reply or a resolution:
 * the later of the SLA due time (the policy's target counted in its calendar) and the time the
 * current queue needs (tickets ahead ÷ agents × handling time, counted in the same calendar),
 * rounded up to a whole hour or half hour. It is never earlier than the due time `evaluateSla`
 * computes (a property test), so an acknowledgement never promises what the schedule cannot keep.
 *
 * @example
 * ```ts
 * const policy = createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets: { normal: { hours: 4 } } } });
 * const opened = { type: 'ticket.opened', id: 'e1', ticketId: 't1', at: Date.parse('2026-11-23T09:10:00Z'),
 *   channel: 'email', subject: 'Late', body: 'Where is it?', customer: { id: 'c1' } };
 * new Date(promiseFor(policy, [parseTicketEvent(opened)]).at).toISOString();
 * //=> '2026-11-23T14:00:00.000Z' (due 13:10, rounded up to the hour)
 * ```
 */
export function promiseFor(
  policy: SlaPolicy,
  timeline: SlaTimeline,
  options: PromiseOptions = {},
): CarePromise {
  assertSlaPolicy(policy, 'promiseFor');
  options = parseOptions(PromiseOptionsSchema, options, 'promiseFor options') as PromiseOptions;
  // Parsed: `now` is epoch ms.
  const nowOption = options.now as number | undefined;
  const clock = options.clock ?? 'firstReply';
  const report = evaluateSla(policy, timeline, { calendars: options.calendars, now: nowOption });
  const now = nowOption ?? report.at;
  const dueAt = report.clocks[clock].dueAt;
  const rule = policy.clocks[clock];
  let queueAt: number | null = null;
  if (options.queue && options.queue.agents > 0) {
    const measure = resolveClockMeasure(rule?.calendar ?? null, options.calendars);
    const work = Math.ceil(((options.queue.ahead + 1) / options.queue.agents) * options.queue.msPerTicket);
    queueAt = measure.add(now, work);
  }
  const candidates = [dueAt, queueAt].filter((x): x is number => x !== null);
  if (candidates.length === 0) return { at: now, dueAt, queueAt, basis: 'none' };
  const latest = Math.max(...candidates);
  const step = options.roundTo === 'none' ? 1 : options.roundTo === 'half_hour' ? 1_800_000 : 3_600_000;
  return {
    at: Math.ceil(latest / step) * step,
    dueAt,
    queueAt,
    basis: queueAt !== null && queueAt > (dueAt ?? Number.NEGATIVE_INFINITY) ? 'queue' : 'sla',
  };
}

/**
 * A promise as a customer reads it, in their time zone and language: the weekday and time when
 * it is within a week ("Monday 15:00", "lunes, 16:00"), the date otherwise ("23 de novembro às 12:00").
 *
 * @throws {@link "carekit/model"!CarekitArgumentError | CarekitArgumentError} `invalid_instant`, `invalid_locale`,
 * `invalid_time_zone` or `invalid_type` for bad arguments.
 * @example
 * ```ts
 * formatPromise(Date.parse('2026-11-23T15:00:00Z'), { locale: 'pt-BR', timeZone: 'America/Sao_Paulo', now: Date.parse('2026-11-23T10:00:00Z') });
 * //=> 'segunda-feira, 12:00'
 * ```
 */
export function formatPromise(
  at: number,
  options: { locale: string; timeZone: string; now: Date | number },
): string {
  checkInstant(at, 'formatPromise', ['at']);
  const o = checkObject(options, 'formatPromise', ['options'], 'an object { locale, timeZone, now }');
  const locale = checkString(
    readArgument(o, 'locale', 'formatPromise', ['options', 'locale']),
    'formatPromise',
    ['options', 'locale'],
    100,
    'a BCP 47 locale such as "en-GB"',
  );
  const timeZone = checkString(
    readArgument(o, 'timeZone', 'formatPromise', ['options', 'timeZone']),
    'formatPromise',
    ['options', 'timeZone'],
    100,
    'an IANA time zone such as "Europe/Paris"',
  );
  const now = checkInstant(readArgument(o, 'now', 'formatPromise', ['options', 'now']), 'formatPromise', [
    'options',
    'now',
  ]);
  options = { locale, timeZone, now };
  const withinWeek = at - now < 6 * 86_400_000;
  // Stryker disable next-line StringLiteral: the keys stay distinct with either letter blank.
  const key = `${withinWeek ? 'w' : 'd'} ${options.locale} ${options.timeZone}`;
  let format = promiseFormats.get(key);
  // Stryker disable next-line ConditionalExpression: building the format every time gives the same text, slower.
  if (format === undefined) {
    format = promiseFormat(options.locale, options.timeZone, withinWeek);
    // Building a format costs more than a desk's whole acknowledgement: keep the recent ones.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the cache's bound changes its size, never a text.
    if (promiseFormats.size >= PROMISE_FORMATS_KEPT) {
      promiseFormats.delete(promiseFormats.keys().next().value as string);
    }
  } else promiseFormats.delete(key);
  promiseFormats.set(key, format);
  return format.format(at);
}

function promiseFormat(locale: string, timeZone: string, withinWeek: boolean): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    timeZone,
    ...(withinWeek ? { weekday: 'long' } : { day: 'numeric', month: 'long' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    // Intl's RangeError does not say which of the two was wrong: find out.
    try {
      new Intl.DateTimeFormat(locale);
    } catch {
      throw new CarekitArgumentError<SlaErrorCode>(
        'invalid_locale',
        ['options', 'locale'],
        `formatPromise: options.locale ${JSON.stringify(locale)} is not a BCP 47 locale (such as "en-GB")`,
      );
    }
    throw new CarekitArgumentError<SlaErrorCode>(
      'invalid_time_zone',
      ['options', 'timeZone'],
      `formatPromise: options.timeZone ${JSON.stringify(timeZone)} is not an IANA time zone (such as "Europe/Paris")`,
    );
  }
}

/** How many (locale, zone) formats {@link formatPromise} keeps, least recently used dropped first. */
const PROMISE_FORMATS_KEPT = 256;
const promiseFormats = new Map<string, Intl.DateTimeFormat>();
