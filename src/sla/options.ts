import { z } from 'zod';
import { badArgument, readArgument } from '../model/arguments.js';
import { objectOption, type TicketEvent } from '../model/index.js';
import type { SlaCalendars } from './clockMeasure.js';
import type { SlaPolicy } from './createSlaPolicy.js';
import type { SlaErrorCode } from './errors.js';

const isMeasure = (v: object) =>
  ('schedule' in v && 'timeZone' in v) ||
  (typeof (v as { between?: unknown }).between === 'function' &&
    typeof (v as { add?: unknown }).add === 'function');

/** The `calendars` option: business calendars (or clock measures) by name. */
export const CalendarsOption: z.ZodType<SlaCalendars> = z.record(
  z.string().max(256),
  objectOption<SlaCalendars[string]>(
    isMeasure,
    'a calendar from createCalendar or a { between, add } clock measure',
  ),
);

/** An instant option: epoch ms within the range of `Date`, or a valid `Date` (z.date refuses an invalid one). */
export const InstantOption = z.union([z.number().min(-8.64e15).max(8.64e15), z.date()]);

/** Refuses anything but a policy made by `createSlaPolicy` (checked by its shape, cheaply). */
export function assertSlaPolicy(
  policy: unknown,
  what: string,
  path: readonly (string | number)[] = ['policy'],
): asserts policy is SlaPolicy {
  let clocks: unknown;
  let id: unknown;
  try {
    // A primitive reads as undefined; null, undefined, a Proxy or a getter that throws land in the
    // catch with `id` unread, which is refused below.
    clocks = (policy as { clocks?: unknown }).clocks;
    id = (policy as { id?: unknown }).id;
  } catch {}
  if (clocks === null || typeof clocks !== 'object' || typeof id !== 'string')
    badArgument<SlaErrorCode>(what, path, 'an SLA policy made by createSlaPolicy', policy, 'invalid_policy');
}

/** Refuses a timeline that is not an array of parsed events (each with a `type` and a numeric `at`). */
export function assertTimeline(timeline: unknown, what: string): void {
  if (!Array.isArray(timeline))
    badArgument<SlaErrorCode>(
      what,
      ['timeline'],
      "the ticket's events as an array (from parseTicketEvent)",
      timeline,
      'invalid_timeline',
    );
  timeline.forEach((event: unknown, index) => {
    checkEvent(event, what, ['timeline', index], 'invalid_timeline');
  });
}

/** Refuses anything but a parsed ticket event (an object with a string `type` and a finite `at`). */
export function checkEvent(
  event: unknown,
  what: string,
  path: readonly (string | number)[] = ['event'],
  code: SlaErrorCode = 'invalid_event',
): asserts event is TicketEvent {
  const expected = 'a parsed ticket event (parse events with parseTicketEvent first)';
  if (event === null || typeof event !== 'object' || Array.isArray(event))
    badArgument<SlaErrorCode>(what, path, expected, event, code);
  const type = readArgument(event, 'type', what, path);
  const at = readArgument(event, 'at', what, path);
  // Number.isFinite takes numbers only: a string or any other value is not finite.
  if (typeof type !== 'string' || !Number.isFinite(at))
    badArgument<SlaErrorCode>(what, path, expected, event, code);
}
