import { z } from 'zod';
import { offsetAt, spanAt } from '../calendar/zone.js';
import { CarekitValidationError } from '../model/errors.js';
import { checkFacts, parseOptions } from './guards.js';
import type { TicketFacts } from './ticketFacts.js';

const UTC_SPAN = { offsetMs: 0, end: Number.POSITIVE_INFINITY };

/** Options of {@link volume}. */
export interface VolumeOptions {
  readonly bucket: 'hour' | 'day' | 'week' | 'month';
  /**
   * The IANA zone whose calendar the buckets follow (never the process zone). Default: the zone of
   * the metrics calendar each ticket's facts were derived with (`facts.business.timeZone`), else UTC.
   */
  readonly timeZone?: string;
  /** Split each bucket by channel, category or assignee. */
  readonly groupBy?: 'channel' | 'category' | 'agent';
}

/** Ticket counts per bucket (and group). */
export interface VolumeResult {
  readonly definition: string;
  readonly n: number;
  /** `bucket → group → count`; the group is `all` without `groupBy`. */
  readonly buckets: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const VolumeOptionsSchema = z.strictObject({
  bucket: z.enum(['hour', 'day', 'week', 'month']),
  timeZone: z.string().min(1).optional(),
  groupBy: z.enum(['channel', 'category', 'agent']).optional(),
});

/** @internal */
export const parseVolumeOptions = (options: unknown, fn: string): VolumeOptions => {
  const o = parseOptions<VolumeOptions>(VolumeOptionsSchema, options, fn);
  // Stryker disable next-line ConditionalExpression: Intl.DateTimeFormat takes timeZone undefined (the process zone) without a throw, so checking an absent zone refuses nothing either
  if (o.timeZone !== undefined) zoneOrThrow(o.timeZone, fn);
  return o;
};

function zoneOrThrow(zone: string, fn: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new CarekitValidationError(
      [
        {
          code: 'invalid_time_zone',
          path: ['timeZone'],
          message: `${fn} options: timeZone: ${JSON.stringify(zone)} is not an IANA time zone (e.g. "Europe/Paris")`,
        },
      ],
      `${fn} options`,
    );
  }
}

/** @internal The zone a ticket's volume is bucketed in. */
export const volumeZone = (options: VolumeOptions, f: TicketFacts): string =>
  options.timeZone ?? f.business?.timeZone ?? 'UTC';

/** @internal The definition text of a volume result, naming the zones used. */
export function volumeDefinition(options: VolumeOptions, zones: readonly string[]): string {
  const where = options.timeZone
    ? options.timeZone
    : zones.length === 0
      ? "the metrics calendar's zone (UTC without one)"
      : zones.length === 1
        ? zones[0]
        : `each ticket's metrics calendar zone (${[...zones].sort().join(', ')})`;
  return `volume: tickets created per ${options.bucket} in ${where}${options.groupBy ? ` by ${options.groupBy}` : ''}`;
}

const pad = (n: number, width = 2) =>
  n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');

/**
 * The bucket of instant `t` on a wall clock `offsetMs` ahead of UTC: `yyyy-MM-ddTHH`,
 * `yyyy-MM-dd` (for a week, its Monday) or `yyyy-MM`. Read from the zone's offset, not through a
 * zoned date object: a fraction of the cost.
 */
function bucketKey(t: number, offsetMs: number, bucket: VolumeOptions['bucket']): string {
  const local = new Date(t + offsetMs);
  if (bucket === 'week') local.setUTCDate(local.getUTCDate() - ((local.getUTCDay() + 6) % 7));
  const month = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}`;
  if (bucket === 'month') return month;
  const day = `${month}-${pad(local.getUTCDate())}`;
  return bucket === 'hour' ? `${day}T${pad(local.getUTCHours())}` : day;
}

/**
 * Adds one ticket to `bucket → group → count` (in place), formatting the bucket once per
 * 15-minute slot when one offset, a whole number of quarter hours, holds for the whole slot: all
 * its instants then fall in the same hour, day, week and month. A slot that does not (local mean
 * time, such as Europe/London's -0:01:15 before 1847, or a change at a minute past the hour, such
 * as Asia/Gaza's at 00:01 in 2011) reads each ticket's own offset.
 *
 * @internal
 */
export function volumeCounter(
  options: VolumeOptions,
): (buckets: Record<string, Record<string, number>>, f: TicketFacts) => string {
  // Bounded: tickets mostly come in time order, so the last slot answers nearly every ticket; the
  // map of other slots is dropped when it fills (a cache, not state: it changes no answer).
  const cache = new Map<string, string>();
  // The last slot remembered (none while lastSlot is NaN: the fast path reads lastZone and lastKey
  // only once the three are set together).
  // Stryker disable next-line StringLiteral: read only after lastSlot holds a slot, which sets it too
  let lastZone = '';
  let lastSlot = Number.NaN;
  // Stryker disable next-line StringLiteral: read only after lastSlot holds a slot, which sets it too
  let lastKey = '';
  return (buckets, f) => {
    const zone = volumeZone(options, f);
    const slot = Math.floor(f.createdAt / 900_000);
    let key: string;
    // Stryker disable next-line ConditionalExpression: performance only; without the fast path the map answers the last slot with the same key
    if (slot === lastSlot && zone === lastZone) key = lastKey;
    else {
      const id = `${zone} ${slot}`;
      let known = cache.get(id);
      if (known === undefined) {
        const start = slot * 900_000;
        const span = zone === 'UTC' ? UTC_SPAN : spanAt(zone, start);
        if (span.end >= start + 900_000 && span.offsetMs % 900_000 === 0) {
          known = bucketKey(start, span.offsetMs, options.bucket);
          if (cache.size >= 4_096) cache.clear();
          cache.set(id, known);
        }
      }
      // A split slot leaves the last slot remembered as it was: its key still holds.
      if (known === undefined) key = bucketKey(f.createdAt, offsetAt(zone, f.createdAt), options.bucket);
      else {
        key = known;
        lastZone = zone;
        lastSlot = slot;
        lastKey = key;
      }
    }
    const group =
      options.groupBy === 'channel'
        ? f.channel
        : options.groupBy === 'category'
          ? (f.category ?? 'uncategorized')
          : options.groupBy === 'agent'
            ? (f.assigneeId ?? 'unassigned')
            : 'all';
    let row = buckets[key];
    if (row === undefined) {
      row = {};
      buckets[key] = row;
    }
    row[group] = (row[group] ?? 0) + 1;
    return zone;
  };
}

/**
 * Ticket volume by creation time, bucketed by hour, day, week (starting Monday) or month in a
 * time zone — by default the zone of the metrics calendar the facts were derived with (a desk's
 * `metricsCalendar`, `carekit report`'s `kpis.businessCalendar`), UTC without one — optionally
 * grouped by channel, category or agent. Spam and merged tickets are left out.
 *
 * @example
 * ```ts
 * volume(facts, { bucket: 'day', timeZone: 'Asia/Ho_Chi_Minh', groupBy: 'channel' }).buckets;
 * //=> { '2025-03-10': { chat: 12, email: 4 }, '2025-03-11': { chat: 9 } }
 * ```
 */
export function volume(facts: readonly TicketFacts[], options: VolumeOptions): VolumeResult {
  const o = parseVolumeOptions(options ?? {}, 'volume');
  checkFacts(facts, 'volume');
  const buckets: Record<string, Record<string, number>> = {};
  const zones = new Set<string>();
  let n = 0;
  const count = volumeCounter(o);
  for (const f of facts) {
    if (f.excluded !== null) continue;
    zones.add(count(buckets, f));
    n++;
  }
  return { definition: volumeDefinition(o, [...zones]), n, buckets };
}
