import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  foldState,
  kpiReport,
  kpiReportBy,
  kpiReportByAccumulator,
  type ReportGrouping,
  ticketFacts,
} from '../../src/metrics/index.js';
import { CarekitError, parseTicketEvent } from '../../src/model/index.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbTicketLog } from '../workflows/ticket/arbitraries.js';

const comparable = (r: unknown) =>
  JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'function' ? undefined : v)));

const arbFacts = fc
  .array(fc.tuple(arbTicketLog(12), fc.constantFrom('email', 'chat')), { minLength: 1, maxLength: 6 })
  .map((logs) =>
    logs.map(([log, channel], k) =>
      ticketFacts(
        log
          .filter((e) => e.ticketId === 'T-1')
          .map((e) =>
            parseTicketEvent({ ...e, ticketId: `K${k}`, ...(e.type === 'ticket.opened' ? { channel } : {}) }),
          ),
      ),
    ),
  );
const arbBy = fc.constantFrom<ReportGrouping>(
  'assignee',
  'tier',
  'channel',
  'category',
  'status',
  'customStatus',
);

describe('kpiReportBy', () => {
  test.prop([arbFacts, arbBy], propertyRuns(60))(
    "each group's report is kpiReport over that group's facts; splits merge to the whole",
    (facts, by) => {
      const grouped = kpiReportBy(facts, by);
      const key = {
        assignee: (f: (typeof facts)[number]) => f.assigneeId ?? 'unassigned',
        tier: (f: (typeof facts)[number]) => `tier ${f.tier}`,
        channel: (f: (typeof facts)[number]) => f.channel,
        category: (f: (typeof facts)[number]) => f.category ?? 'uncategorized',
        status: (f: (typeof facts)[number]) => f.status,
        customStatus: (f: (typeof facts)[number]) => f.customStatus ?? f.status,
      }[by];
      const names = [...new Set(facts.map(key))].sort();
      expect(Object.keys(grouped.groups)).toEqual(names);
      for (const name of names)
        expect(comparable(grouped.groups[name])).toEqual(
          comparable(kpiReport(facts.filter((f) => key(f) === name))),
        );
      const acc = kpiReportByAccumulator(by);
      const cut = Math.floor(facts.length / 2);
      const merged = acc.result(
        acc.merge(foldState(acc, facts.slice(0, cut)), foldState(acc, facts.slice(cut))),
      );
      expect(comparable(merged)).toEqual(comparable(grouped));
    },
    propertyTimeout(60_000),
  );

  it('refuses an unknown grouping with the allowed ones', () => {
    expect(() => kpiReportBy([], 'team' as never)).toThrow(CarekitError);
    expect(() => kpiReportBy([], 'team' as never)).toThrow(
      /"assignee", "tier", "channel", "category", "status"/,
    );
  });
});
