import { z } from 'zod';
import { CarekitError, objectOption } from '../model/index.js';
import type { SlaCalendars } from './clockMeasure.js';
import type { SlaPolicy } from './createSlaPolicy.js';

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

/** An instant option: epoch ms or a valid `Date` within the range of `Date`. */
export const InstantOption = z.union([
  z.number().min(-8.64e15).max(8.64e15),
  z.date().refine((d) => Math.abs(d.getTime()) <= 8.64e15, { message: 'is not a valid Date' }),
]);

/** Refuses anything but a policy made by `createSlaPolicy` (checked by its shape, cheaply). */
export function assertSlaPolicy(policy: unknown, what: string): asserts policy is SlaPolicy {
  let clocks: unknown;
  try {
    clocks =
      policy !== null && typeof policy === 'object' ? (policy as { clocks?: unknown }).clocks : undefined;
  } catch {
    clocks = undefined; // a Proxy or a getter that throws
  }
  if (clocks === null || typeof clocks !== 'object') {
    throw new CarekitError(
      'invalid_policy',
      `${what} needs an SLA policy made by createSlaPolicy, got ${policy === null ? 'null' : typeof policy}`,
    );
  }
}

/** Refuses a timeline that is not an array of parsed events (each with a `type` and a numeric `at`). */
export function assertTimeline(timeline: unknown, what: string): void {
  if (!Array.isArray(timeline)) {
    throw new CarekitError(
      'invalid_timeline',
      `${what} needs the ticket's events as an array (from parseTicketEvent), got ${timeline === null ? 'null' : typeof timeline}`,
    );
  }
  timeline.forEach((event: unknown, index) => {
    const e = event as { type?: unknown; at?: unknown } | null;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.type !== 'string' ||
      typeof e.at !== 'number' ||
      !Number.isFinite(e.at)
    ) {
      throw new CarekitError(
        'invalid_timeline',
        `${what}: timeline[${index}] is not a parsed ticket event (parse events with parseTicketEvent first)`,
      );
    }
  });
}
