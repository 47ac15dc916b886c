import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatReport, kpiReport, relationsReport, ticketFacts } from '../../src/metrics/index.js';
import { CarekitError, parseTicketEvent, type TicketEvent } from '../../src/model/index.js';

const H = 3_600_000;
// A parent with children: each linked at some hour, done some hours later or still open.
const arbParent = fc.array(
  fc.record({ linkedAt: fc.nat(100), waited: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }) }),
  { minLength: 0, maxLength: 4 },
);

function parentLog(p: number, kids: readonly { linkedAt: number; waited: number | null }[]): TicketEvent[] {
  const events: TicketEvent[] = [
    parseTicketEvent({
      type: 'ticket.opened',
      id: `o${p}`,
      ticketId: `P${p}`,
      at: 0,
      channel: 'email',
      subject: 's',
      body: 'b',
      customer: { id: 'c' },
    }),
  ];
  const changes: { at: number; childId: string; state: 'open' | 'done' }[] = [];
  kids.forEach((k, i) => {
    changes.push({ at: k.linkedAt * H, childId: `C${p}.${i}`, state: 'open' });
    if (k.waited !== null)
      changes.push({ at: (k.linkedAt + k.waited) * H, childId: `C${p}.${i}`, state: 'done' });
  });
  changes.sort((a, b) => a.at - b.at);
  for (const [i, c] of changes.entries())
    events.push(parseTicketEvent({ type: 'ticket.child_changed', id: `ch${i}`, ticketId: `P${p}`, ...c }));
  return events;
}

describe('relationsReport', () => {
  test.prop([fc.array(arbParent, { maxLength: 6 })], { numRuns: 200, interruptAfterTimeLimit: 10_000 })(
    'counts parents, children and the time parents waited for them as generated, in any order of the logs',
    (parents) => {
      const logs = parents.map((kids, p) => parentLog(p, kids));
      const report = relationsReport(logs);
      const withKids = parents.filter((k) => k.length > 0);
      const done = parents.flat().filter((k) => k.waited !== null);
      expect(report.parents).toBe(withKids.length);
      expect(report.children).toBe(parents.flat().length);
      expect(report.openChildren).toBe(parents.flat().length - done.length);
      expect(report.childrenPerParent.max).toBe(
        withKids.length === 0 ? null : Math.max(...withKids.map((k) => k.length)),
      );
      expect(report.childWaitMs.count).toBe(done.length);
      const waits = done.map((k) => k.waited! * H);
      expect(report.childWaitMs.max).toBe(waits.length === 0 ? null : Math.max(...waits));
      if (waits.length > 0)
        expect(report.childWaitMs.mean).toBeCloseTo(waits.reduce((a, b) => a + b, 0) / waits.length, 3);
      expect(relationsReport([...logs].reverse())).toEqual(report);
    },
  );

  it('counts a merge once, on the source; splits and moved messages; side conversations that missed their target', () => {
    const ev = (e: Record<string, unknown>) => parseTicketEvent({ ticketId: 'T', at: 0, ...e });
    const ref = { ticketId: 'S', eventId: 'o' };
    const report = relationsReport([
      [ev({ type: 'ticket.merged', id: 'm', ticketId: 'S', into: 'T' })],
      [
        ev({
          type: 'message.moved',
          id: 'mv',
          from: 'S',
          message: ref,
          author: 'customer',
          body: 'x',
          writtenAt: 0,
        }),
        ev({ type: 'ticket.merged_from', id: 'mf', source: 'S', moved: 1 }),
        ev({ type: 'ticket.split', id: 'sp', into: 'U', messages: [ref] }),
        ev({
          type: 'side.opened',
          id: 'so',
          sideId: 'w',
          subject: 'x',
          participants: [{ id: 'wh' }],
          agentId: 'ana',
          body: 'x',
          targetMs: H,
        }),
        ev({
          type: 'side.replied',
          id: 'sr',
          at: 2 * H,
          sideId: 'w',
          direction: 'in',
          from: 'wh',
          body: 'x',
        }),
      ],
    ]);
    expect(report).toMatchObject({
      merged: 1,
      mergeTargets: 1,
      movedMessages: 1,
      splits: 1,
      sideConversations: 1,
      sideConversationsOverdue: 1,
    });
    expect(() => relationsReport('x' as never)).toThrow(CarekitError);
    expect(() => relationsReport([null] as never)).toThrow(/logs\[0\]|logs\.0|must be/);
    expect(() => relationsReport([[null]] as never)).toThrow(CarekitError);
  });
});

describe('the relations section of kpiReport', () => {
  it('groups a child ticket under its parent, and formatReport shows the rows', () => {
    const parent = parentLog(0, [{ linkedAt: 1, waited: 2 }]);
    const child = [
      parseTicketEvent({
        type: 'ticket.opened',
        id: 'oc',
        ticketId: 'C0.0',
        at: H,
        channel: 'email',
        subject: 's',
        body: 'b',
        customer: { id: 'c' },
        parentId: 'P0',
      }),
    ];
    const report = kpiReport([ticketFacts(parent), ticketFacts(child)]);
    expect(report.relations).toEqual(relationsReport([parent, child]));
    expect(report.relations.childTicketsByParent).toEqual({ P0: 1 });
    const text = formatReport(report, 'text');
    expect(text).toMatch(/Child tickets\s+1 under 1 parents \(1\.0 per parent, 0 open\)\s+1/);
    expect(text).toMatch(/Wait for children\s+2\.0 h\s+1/);
    expect(formatReport(kpiReport([])).includes('Child tickets')).toBe(false);
  });
});
