// volume: the bucket keys of each bucket size, the groups, the definition text, the refusals of its
// options and the cost of its bucket cache (one zone read per quarter hour, at most 4,096 kept).
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import { spanSteps, zoneReads } from '../../src/calendar/zone.js';
import {
  CarekitError,
  kpiReport,
  type TicketFacts,
  ticketFacts,
  type VolumeOptions,
  volume,
} from '../../src/index.js';
import { parseTicketEvent, type TicketEvent } from '../../src/model/index.js';

const MIN = 60_000;
const QUARTER = 15 * MIN;

const newYork = createCalendar({ timeZone: 'America/New_York', week: { mon: [['09:00', '17:00']] } });
const tokyo = createCalendar({ timeZone: 'Asia/Tokyo', week: { mon: [['09:00', '17:00']] } });

let tickets = 0;

/** The facts of a ticket opened at `at`, with `opened` fields and later events of the same ticket. */
function ticket(
  at: number,
  opened: Record<string, unknown> = {},
  steps: Record<string, unknown>[] = [],
  calendar?: typeof newYork,
): TicketFacts {
  const ticketId = `T-${++tickets}`;
  const events = [
    {
      type: 'ticket.opened',
      id: `${ticketId}-0`,
      ticketId,
      at,
      channel: 'email',
      subject: 's',
      body: 'b',
      customer: { id: `c-${ticketId}` },
      ...opened,
    },
    ...steps.map((s, i) => ({ ticketId, id: `${ticketId}-${i + 1}`, ...s })),
  ].map((e) => parseTicketEvent(e)) as TicketEvent[];
  return ticketFacts(events, calendar ? { calendar } : {});
}

/** An instant of any year (Date.UTC reads years 0–99 as 1900–1999). */
function utc(year: number, month: number, day: number, hours = 0, minutes = 0, seconds = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hours, minutes, seconds);
  return d.getTime();
}

const keys = (facts: TicketFacts[], options: VolumeOptions) => Object.keys(volume(facts, options).buckets);

describe('volume bucket keys', () => {
  it('are the local hour, day, Monday of the week and month of the creation', () => {
    // Thursday 2025-03-13 20:10 UTC is Friday 05:10 in Tokyo.
    const facts = [ticket(Date.UTC(2025, 2, 13, 20, 10))];
    expect(keys(facts, { bucket: 'hour' })).toEqual(['2025-03-13T20']);
    expect(keys(facts, { bucket: 'day' })).toEqual(['2025-03-13']);
    expect(keys(facts, { bucket: 'week' })).toEqual(['2025-03-10']);
    expect(keys(facts, { bucket: 'month' })).toEqual(['2025-03']);
    expect(keys(facts, { bucket: 'hour', timeZone: 'Asia/Tokyo' })).toEqual(['2025-03-14T05']);
    expect(keys(facts, { bucket: 'day', timeZone: 'Asia/Tokyo' })).toEqual(['2025-03-14']);
    // Half an hour off the hour: 20:10 UTC is 01:40 in Kolkata, 20:40 UTC is 02:10.
    const kolkata = [ticket(Date.UTC(2025, 2, 13, 20, 10)), ticket(Date.UTC(2025, 2, 13, 20, 40))];
    expect(volume(kolkata, { bucket: 'hour', timeZone: 'Asia/Kolkata' }).buckets).toEqual({
      '2025-03-14T01': { all: 1 },
      '2025-03-14T02': { all: 1 },
    });
    // The first and last hours of a day, and of a year.
    expect(keys([ticket(Date.UTC(2025, 11, 31, 23, 59, 59))], { bucket: 'hour' })).toEqual(['2025-12-31T23']);
    expect(keys([ticket(Date.UTC(2026, 0, 1, 0, 0))], { bucket: 'hour' })).toEqual(['2026-01-01T00']);
    expect(keys([ticket(Date.UTC(2025, 11, 31, 23, 59, 59))], { bucket: 'month' })).toEqual(['2025-12']);
    expect(keys([ticket(Date.UTC(2026, 0, 1, 0, 0))], { bucket: 'month' })).toEqual(['2026-01']);
  });

  it('start a week on Monday: Monday to Sunday share a key, the next Monday starts another', () => {
    const days = [9, 10, 11, 12, 13, 14, 15, 16, 17].map((day) => ticket(Date.UTC(2025, 2, day, 12)));
    expect(volume(days, { bucket: 'week' }).buckets).toEqual({
      '2025-03-03': { all: 1 }, // Sunday the 9th
      '2025-03-10': { all: 7 },
      '2025-03-17': { all: 1 },
    });
    // Sunday 23:30 UTC is already Monday in Tokyo.
    expect(keys([ticket(Date.UTC(2025, 2, 16, 23, 30))], { bucket: 'week', timeZone: 'Asia/Tokyo' })).toEqual(
      ['2025-03-17'],
    );
  });

  it('give a week that spans a year end the date of its Monday in the old year', () => {
    expect(keys([ticket(Date.UTC(2026, 0, 1, 12))], { bucket: 'week' })).toEqual(['2025-12-29']);
    expect(keys([ticket(Date.UTC(2027, 0, 3, 12))], { bucket: 'week' })).toEqual(['2026-12-28']);
    expect(keys([ticket(Date.UTC(2029, 0, 1, 12))], { bucket: 'week' })).toEqual(['2029-01-01']);
  });

  it('write year 0 as 0000 and years before it with a minus sign, four digits wide', () => {
    expect(keys([ticket(utc(0, 12, 31, 12))], { bucket: 'week' })).toEqual(['0000-12-25']);
    expect(keys([ticket(utc(0, 12, 31, 12))], { bucket: 'hour' })).toEqual(['0000-12-31T12']);
    // Sunday 2 January of year 0 belongs to the week of Monday 27 December of year -1.
    expect(keys([ticket(utc(0, 1, 2, 12))], { bucket: 'week' })).toEqual(['-0001-12-27']);
    const tuesday = [ticket(utc(-1, 6, 15, 7))];
    expect(keys(tuesday, { bucket: 'hour' })).toEqual(['-0001-06-15T07']);
    expect(keys(tuesday, { bucket: 'day' })).toEqual(['-0001-06-15']);
    expect(keys(tuesday, { bucket: 'week' })).toEqual(['-0001-06-14']);
    expect(keys(tuesday, { bucket: 'month' })).toEqual(['-0001-06']);
    // London's local mean time (-0:01:15): half a minute into year -1 UTC is still year -2 there.
    expect(keys([ticket(utc(-1, 1, 1, 0, 0, 30))], { bucket: 'hour', timeZone: 'Europe/London' })).toEqual([
      '-0002-12-31T23',
    ]);
    expect(keys([ticket(utc(-1, 1, 1, 0, 0, 30))], { bucket: 'month', timeZone: 'Europe/London' })).toEqual([
      '-0002-12',
    ]);
  });

  it("follow each ticket's metrics calendar zone, also for tickets of one quarter hour in two zones", () => {
    // 02:00 and 02:05 UTC on Tuesday: Tuesday in UTC, still Monday evening in New York.
    const at = Date.UTC(2025, 2, 11, 2);
    const facts = [
      ticket(at),
      ticket(at, {}, [], newYork),
      ticket(at + 5 * MIN),
      ticket(at + 5 * MIN, {}, [], newYork),
    ];
    const result = volume(facts, { bucket: 'day' });
    expect(result.buckets).toEqual({ '2025-03-11': { all: 2 }, '2025-03-10': { all: 2 } });
    expect(result.definition).toBe(
      "volume: tickets created per day in each ticket's metrics calendar zone (America/New_York, UTC)",
    );
    // Two quarter hours of one zone in turn.
    const turns = [ticket(at - MIN), ticket(at), ticket(at - MIN), ticket(at)];
    expect(volume(turns, { bucket: 'hour' }).buckets).toEqual({
      '2025-03-11T01': { all: 2 },
      '2025-03-11T02': { all: 2 },
    });
  });
});

describe('volume groups', () => {
  const at = Date.UTC(2025, 2, 10, 13);
  const facts = [
    ticket(at, { channel: 'chat', category: 'billing' }, [
      { type: 'ticket.assigned', at: at + MIN, agentId: 'ana' },
    ]),
    ticket(at, { channel: 'chat', category: 'billing' }),
    ticket(at, { channel: 'email' }, [{ type: 'ticket.assigned', at: at + MIN, agentId: 'ana' }]),
  ];

  it('count every ticket as all without groupBy', () => {
    expect(volume(facts, { bucket: 'day' })).toEqual({
      definition: 'volume: tickets created per day in UTC',
      n: 3,
      buckets: { '2025-03-10': { all: 3 } },
    });
  });

  it('split by channel, category (uncategorized without one) or agent (unassigned without one)', () => {
    expect(volume(facts, { bucket: 'day', groupBy: 'channel' }).buckets).toEqual({
      '2025-03-10': { chat: 2, email: 1 },
    });
    expect(volume(facts, { bucket: 'day', groupBy: 'category' }).buckets).toEqual({
      '2025-03-10': { billing: 2, uncategorized: 1 },
    });
    expect(volume(facts, { bucket: 'day', groupBy: 'agent' })).toEqual({
      definition: 'volume: tickets created per day in UTC by agent',
      n: 3,
      buckets: { '2025-03-10': { ana: 2, unassigned: 1 } },
    });
  });

  it('leave out spam tickets (merged ones too: tests/metrics/metrics.test.ts)', () => {
    const spam = ticket(at, {}, [{ type: 'ticket.marked_spam', at: at + MIN }]);
    expect(spam.excluded).toBe('spam');
    expect(volume([spam, ...facts, spam], { bucket: 'month', groupBy: 'channel' })).toEqual({
      definition: 'volume: tickets created per month in UTC by channel',
      n: 3,
      buckets: { '2025-03': { chat: 2, email: 1 } },
    });
    // No ticket left, so no zone read.
    expect(volume([spam], { bucket: 'month' })).toEqual({
      definition: "volume: tickets created per month in the metrics calendar's zone (UTC without one)",
      n: 0,
      buckets: {},
    });
  });
});

describe('volume definition', () => {
  it('names the zone asked for, else the zones of the tickets', () => {
    const at = Date.UTC(2025, 2, 10, 13);
    expect(
      volume([ticket(at, {}, [], newYork)], { bucket: 'week', timeZone: 'Asia/Kolkata', groupBy: 'category' })
        .definition,
    ).toBe('volume: tickets created per week in Asia/Kolkata by category');
    expect(volume([], { bucket: 'week', timeZone: 'Asia/Kolkata' }).definition).toBe(
      'volume: tickets created per week in Asia/Kolkata',
    );
    expect(volume([], { bucket: 'month' }).definition).toBe(
      "volume: tickets created per month in the metrics calendar's zone (UTC without one)",
    );
    expect(
      volume([ticket(at, {}, [], tokyo), ticket(at + MIN, {}, [], tokyo)], { bucket: 'hour' }).definition,
    ).toBe('volume: tickets created per hour in Asia/Tokyo');
    const three = [
      ticket(at, {}, [], tokyo),
      ticket(at),
      ticket(at, {}, [], newYork),
      ticket(at, {}, [], tokyo),
    ];
    expect(volume(three, { bucket: 'day', groupBy: 'channel' }).definition).toBe(
      "volume: tickets created per day in each ticket's metrics calendar zone (America/New_York, Asia/Tokyo, UTC) by channel",
    );
    expect(kpiReport(three).volume.definition).toBe(
      "volume: tickets created per day in each ticket's metrics calendar zone (America/New_York, Asia/Tokyo, UTC) by channel",
    );
  });
});

describe('volume refusals', () => {
  const facts = [ticket(Date.UTC(2025, 2, 10, 13))];
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitError);
      const { code, issues, message } = error as CarekitError & { issues: unknown };
      return { code, issues, message };
    }
    throw new Error('did not throw');
  };
  const bucketSentence = 'volume options: bucket: must be one of "hour", "day", "week", "month"';

  it('refuses a missing or unknown bucket', () => {
    for (const options of [undefined, {}, { bucket: 'fortnight' }])
      expect(refusal(() => volume(facts, options as never))).toEqual({
        code: 'invalid_input',
        issues: [{ code: 'invalid_value', path: ['bucket'], message: bucketSentence }],
        message: `Invalid volume options: 1 problem\n  - ${bucketSentence}`,
      });
  });

  it('refuses an empty or unknown time zone', () => {
    expect(refusal(() => volume(facts, { bucket: 'day', timeZone: '' }))).toEqual({
      code: 'invalid_input',
      issues: [
        { code: 'too_small', path: ['timeZone'], message: 'volume options: timeZone: must not be empty' },
      ],
      message: 'Invalid volume options: 1 problem\n  - volume options: timeZone: must not be empty',
    });
    const sentence =
      'volume options: timeZone: "Mars/Olympus" is not an IANA time zone (e.g. "Europe/Paris")';
    expect(refusal(() => volume(facts, { bucket: 'day', timeZone: 'Mars/Olympus' }))).toEqual({
      code: 'invalid_input',
      issues: [{ code: 'invalid_time_zone', path: ['timeZone'], message: sentence }],
      message: `Invalid volume options: 1 problem\n  - ${sentence}`,
    });
    const nested =
      'kpiReport volume options: timeZone: "Mars/Olympus" is not an IANA time zone (e.g. "Europe/Paris")';
    expect(refusal(() => kpiReport(facts, { volume: { bucket: 'day', timeZone: 'Mars/Olympus' } }))).toEqual({
      code: 'invalid_input',
      issues: [{ code: 'invalid_time_zone', path: ['timeZone'], message: nested }],
      message: `Invalid kpiReport volume options: 1 problem\n  - ${nested}`,
    });
  });

  it('accepts any IANA zone and its aliases', () => {
    expect(keys(facts, { bucket: 'day', timeZone: 'Etc/GMT-14' })).toEqual(['2025-03-11']);
    expect(keys(facts, { bucket: 'day', timeZone: 'US/Pacific' })).toEqual(['2025-03-10']);
  });

  it('refuses an unknown groupBy or option', () => {
    const groupBy = 'volume options: groupBy: must be one of "channel", "category", "agent"';
    expect(refusal(() => volume(facts, { bucket: 'day', groupBy: 'team' } as never))).toEqual({
      code: 'invalid_input',
      issues: [{ code: 'invalid_value', path: ['groupBy'], message: groupBy }],
      message: `Invalid volume options: 1 problem\n  - ${groupBy}`,
    });
    const unknown =
      'volume options: unknown option "zone"; the allowed options are bucket, timeZone, groupBy';
    expect(refusal(() => volume(facts, { bucket: 'day', zone: 'UTC' } as never))).toEqual({
      code: 'invalid_input',
      issues: [{ code: 'unknown_option', path: ['zone'], message: unknown }],
      message: `Invalid volume options: 1 problem\n  - ${unknown}`,
    });
  });

  it('refuses facts not made by ticketFacts', () => {
    expect(refusal(() => volume([facts[0], { ticketId: 'T-9' }] as never, { bucket: 'day' }))).toMatchObject({
      code: 'invalid_facts',
      message: expect.stringMatching(/^volume: \[1\] is an object without factsVersion/),
    });
  });
});

describe('volume cost', () => {
  /** The zone reads and span lookups of a second run (the first fills the zone's tables). */
  const cost = (facts: TicketFacts[], options: VolumeOptions) => {
    volume(facts, options);
    const reads = zoneReads.count;
    const spans = spanSteps.count;
    const result = volume(facts, options);
    return { reads: zoneReads.count - reads, spans: spanSteps.count - spans, result };
  };

  it('reads a zone once per quarter hour, and UTC never', () => {
    const at = Date.UTC(2025, 2, 10, 13);
    const quarter = Array.from({ length: 50 }, (_, i) => ticket(at + i * 18_000));
    expect(cost(quarter, { bucket: 'hour', timeZone: 'America/New_York' })).toMatchObject({
      reads: 0,
      spans: 1,
      result: { n: 50, buckets: { '2025-03-10T09': { all: 50 } } },
    });
    expect(cost(quarter, { bucket: 'hour' })).toMatchObject({
      reads: 0,
      spans: 0,
      result: { n: 50, buckets: { '2025-03-10T13': { all: 50 } } },
    });
    // The quarter hour that ends as New York springs forward (07:00 UTC on 2025-03-09) is kept.
    const before = [ticket(Date.UTC(2025, 2, 9, 6, 50)), ticket(Date.UTC(2025, 2, 9, 6, 55))];
    expect(cost(before, { bucket: 'hour', timeZone: 'America/New_York' })).toMatchObject({
      reads: 0,
      spans: 1,
      result: { buckets: { '2025-03-09T01': { all: 2 } } },
    });
  });

  it("reads each ticket's own offset in a quarter hour that an offset change splits", () => {
    // Asia/Gaza moved from +2 to +3 at 22:01 UTC on 2011-03-31.
    const split = [0, 30_000, 5 * MIN].map((ms) => ticket(Date.UTC(2011, 2, 31, 22) + ms));
    expect(cost(split, { bucket: 'hour', timeZone: 'Asia/Gaza' })).toMatchObject({
      reads: 3,
      result: { buckets: { '2011-04-01T00': { all: 2 }, '2011-04-01T01': { all: 1 } } },
    });
  });

  it('keeps up to 4,096 quarter hours, then starts again', () => {
    const at = Date.UTC(2025, 0, 1);
    const quarters = Array.from({ length: 4_097 }, (_, i) => ticket(at + i * QUARTER, {}, [], tokyo));
    const first = quarters[0] as TicketFacts;
    // Back to the first after 4,095 others: still kept.
    expect(cost([...quarters.slice(0, 4_096), first], { bucket: 'day' }).spans).toBe(4_096);
    // Back to the first after 4,096 others: the 4,097th dropped the kept ones.
    const { spans, result } = cost([...quarters, first], { bucket: 'day' });
    expect(spans).toBe(4_098);
    expect(result.n).toBe(4_098);
    expect(result.buckets['2025-01-01']).toEqual({ all: 61 });
  });
});
