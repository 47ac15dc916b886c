import { TZDate } from '@date-fns/tz';
import { format, startOfWeek } from 'date-fns';
import type { TicketFacts } from './ticketFacts.js';

/** Options of {@link volume}. */
export interface VolumeOptions {
  readonly bucket: 'hour' | 'day' | 'week' | 'month';
  /** The IANA zone whose calendar the buckets follow (never the process zone). Default UTC. */
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

const PATTERNS = {
  hour: "yyyy-MM-dd'T'HH",
  day: 'yyyy-MM-dd',
  week: 'yyyy-MM-dd',
  month: 'yyyy-MM',
} as const;

/**
 * Adds one ticket to `bucket → group → count` (in place), formatting the bucket once per
 * 15-minute slot: every zone's offset is a multiple of 15 minutes and changes on such an instant,
 * so all the instants of one slot fall in the same hour, day, week and month.
 *
 * @internal
 */
export function volumeCounter(
  options: VolumeOptions,
): (buckets: Record<string, Record<string, number>>, f: TicketFacts) => void {
  const zone = options.timeZone ?? 'UTC';
  const keys = new Map<number, string>();
  return (buckets, f) => {
    const slot = Math.floor(f.createdAt / 900_000);
    let key = keys.get(slot);
    if (key === undefined) {
      let date = new TZDate(f.createdAt, zone);
      if (options.bucket === 'week') date = startOfWeek(date, { weekStartsOn: 1 });
      key = format(date, PATTERNS[options.bucket]);
      keys.set(slot, key);
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
  };
}

/**
 * Ticket volume by creation time, bucketed by hour, day, week (starting Monday) or month in a
 * time zone, optionally grouped by channel, category or agent. Spam and merged tickets are
 * left out.
 *
 * @example
 * ```ts
 * volume(facts, { bucket: 'day', timeZone: 'Asia/Ho_Chi_Minh', groupBy: 'channel' }).buckets;
 * //=> { '2025-03-10': { chat: 12, email: 4 }, '2025-03-11': { chat: 9 } }
 * ```
 */
export function volume(facts: readonly TicketFacts[], options: VolumeOptions): VolumeResult {
  const zone = options.timeZone ?? 'UTC';
  const buckets: Record<string, Record<string, number>> = {};
  let n = 0;
  const count = volumeCounter(options);
  for (const f of facts) {
    if (f.excluded !== null) continue;
    count(buckets, f);
    n++;
  }
  return {
    definition: `volume: tickets created per ${options.bucket} in ${zone}${options.groupBy ? ` by ${options.groupBy}` : ''}`,
    n,
    buckets,
  };
}
