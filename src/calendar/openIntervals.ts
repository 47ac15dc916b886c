import { CarekitError } from '../model/index.js';
import { type Calendar, checkCalendar, toInstant } from './createCalendar.js';
import type { CalendarErrorCode } from './errors.js';
import { closingFrom, openingFrom } from './nextOpen.js';

/** The most intervals {@link openIntervals} returns (about 380 years of a weekday 09–17 calendar). */
export const MAX_OPEN_INTERVALS = 100_000;

/** An open interval of a calendar: from `start` (inclusive) to `end` (exclusive). */
export interface OpenInterval {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The open intervals of a calendar within `[from, to)`, clipped to it, in order. At most
 * {@link MAX_OPEN_INTERVALS} are returned: a longer list (a span of centuries) is refused rather
 * than built. Only the span is looked at: what opens or closes after `to` does not matter.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `too_many_intervals` when the span holds more
 * than `MAX_OPEN_INTERVALS` intervals; `invalid_calendar`, `invalid_instant` for bad arguments.
 * @example
 * ```ts
 * const split = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '12:00'], ['13:00', '17:00']] } });
 * openIntervals(split, new Date('2025-03-10T10:00:00Z'), new Date('2025-03-10T14:00:00Z'));
 * //=> [{ start: 2025-03-10T10:00Z, end: 2025-03-10T12:00Z }, { start: 2025-03-10T13:00Z, end: 2025-03-10T14:00Z }]
 * ```
 */
export function openIntervals(calendar: Calendar, from: Date | number, to: Date | number): OpenInterval[] {
  checkCalendar(calendar, 'openIntervals');
  const end = toInstant(to, 'to');
  let t = toInstant(from, 'from');
  const out: OpenInterval[] = [];
  for (;;) {
    const open = openingFrom(calendar, t, end);
    if (open === null || open >= end) return out;
    const close = Math.min(closingFrom(calendar, open, end) ?? end, end);
    if (out.length === MAX_OPEN_INTERVALS) {
      throw new CarekitError<CalendarErrorCode>(
        'too_many_intervals',
        `openIntervals: the span holds more than ${MAX_OPEN_INTERVALS} open intervals; ask for a shorter span`,
      );
    }
    out.push({ start: new Date(open), end: new Date(close) });
    t = close;
  }
}
