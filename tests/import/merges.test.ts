import { describe, expect, it } from 'vitest';
import {
  createImportLifecycle,
  type ImportItem,
  importTickets,
  parseImportMapping,
  readJsonRecords,
  readZendesk,
} from '../../src/import/index.js';
import { kpiReport, ticketFacts } from '../../src/metrics/index.js';
import { createMemoryStore } from '../../src/workflows/index.js';

async function collect(items: AsyncIterable<ImportItem>): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const update = (
  id: number,
  ticket: number,
  at: string,
  author: number,
  events: object[],
  via: unknown = 'web',
) => ({
  id,
  ticket_id: ticket,
  created_at: at,
  author_id: author,
  via: typeof via === 'string' ? { channel: via, source: { from: {}, to: {}, rel: null } } : via,
  events,
});
const opening = (ticket: number, at: string) =>
  update(ticket * 10, ticket, at, 900, [
    { id: 1, type: 'Comment', author_id: 900, body: 'Where is my parcel?', public: true },
    { id: 2, type: 'Create', field_name: 'subject', value: 'Parcel' },
    { id: 3, type: 'Create', field_name: 'requester_id', value: 900 },
    { id: 4, type: 'Create', field_name: 'status', value: 'new' },
  ]);
/** A merge of 48 into 47 as Zendesk records it: the source closed with its comment and tag, the target's comment. */
const merge = (
  via: unknown,
  sourceComment = 'This request was closed and merged into request #47 “Parcel”.',
) => [
  update(
    4801,
    48,
    '2026-03-02T10:05:00Z',
    11,
    [
      { id: 5, type: 'Comment', author_id: 11, body: sourceComment, public: false },
      { id: 6, type: 'Change', field_name: 'status', value: 'closed', previous_value: 'new' },
      { id: 7, type: 'Change', field_name: 'tags', value: ['closed_by_merge'], previous_value: [] },
    ],
    via,
  ),
  update(4701, 47, '2026-03-02T10:05:00Z', 11, [
    {
      id: 8,
      type: 'Comment',
      author_id: 11,
      body: 'Request #48 “Parcel” was closed and merged into this request. Last comment in request #48:\n\nWhere is my parcel?',
      public: false,
    },
  ]),
];
const mapping = parseImportMapping('zendesk');
const eventsOf = (items: ImportItem[], ticketId: string) =>
  items.flatMap((i) => (i.kind === 'events' && i.ticketId === ticketId ? i.events : []));

describe('Zendesk merges', () => {
  it('makes the closing of a merged source carekit’s ticket.merged into the target, last in its update', async () => {
    for (const via of ['merge', 'web', { channel: 19, source: { to: { ticket_id: 47 } } }]) {
      const audits = [
        opening(47, '2026-03-02T10:00:00Z'),
        opening(48, '2026-03-02T10:01:00Z'),
        ...merge(via),
      ];
      const items = await collect(readZendesk(readJsonRecords([JSON.stringify({ audits })]), mapping));
      expect(eventsOf(items, 'zd-48').map((e) => e.type)).toEqual([
        'ticket.opened',
        'import.comment',
        'ticket.tagged',
        'ticket.merged',
      ]);
      expect(eventsOf(items, 'zd-48').at(-1)).toMatchObject({ id: 'zd-4801-6', into: 'zd-47' });
      expect(eventsOf(items, 'zd-47').map((e) => e.type)).toEqual([
        'ticket.opened',
        'import.comment',
        'ticket.merged_from',
      ]);
      expect(eventsOf(items, 'zd-47').at(-1)).toMatchObject({ source: 'zd-48', moved: 0 });
    }
  });

  it('the target named by the via when the comment was written otherwise', async () => {
    const audits = [
      opening(48, '2026-03-02T10:01:00Z'),
      merge({ channel: 'merge', source: { to: { ticket_id: 47 } } }, 'Duplicate, see the other one')[0],
    ];
    const items = await collect(readZendesk(readJsonRecords([JSON.stringify({ audits })]), mapping));
    expect(eventsOf(items, 'zd-48').at(-1)).toMatchObject({ type: 'ticket.merged', into: 'zd-47' });
  });

  it('a merge whose target nothing names is a close, reported', async () => {
    const audits = [opening(48, '2026-03-02T10:01:00Z'), merge('web', 'Duplicate')[0]];
    const items = await collect(readZendesk(readJsonRecords([JSON.stringify({ audits })]), mapping));
    expect(eventsOf(items, 'zd-48').map((e) => e.type)).toContain('ticket.closed');
    expect(items.flatMap((i) => (i.kind === 'problem' ? [i.problem.code] : []))).toEqual([
      'unknown_merge_target',
    ]);
  });

  it('a plain close is no merge', async () => {
    const audits = [
      opening(48, '2026-03-02T10:01:00Z'),
      update(4801, 48, '2026-03-02T10:05:00Z', 11, [
        { id: 6, type: 'Change', field_name: 'status', value: 'closed', previous_value: 'new' },
      ]),
    ];
    const items = await collect(readZendesk(readJsonRecords([JSON.stringify({ audits })]), mapping));
    expect(eventsOf(items, 'zd-48').map((e) => e.type)).toEqual(['ticket.opened', 'ticket.closed']);
    expect(items.some((i) => i.kind === 'problem')).toBe(false);
  });

  it('imported, the merged pair counts once in the KPIs', async () => {
    const audits = [
      opening(47, '2026-03-02T10:00:00Z'),
      opening(48, '2026-03-02T10:01:00Z'),
      ...merge('merge'),
    ];
    const store = createMemoryStore();
    const summary = await importTickets(
      store,
      readZendesk(readJsonRecords([JSON.stringify({ audits })]), mapping),
      {
        lifecycle: createImportLifecycle({}),
      },
    );
    expect(summary.problems).toEqual({});
    expect((await store.load('zd-48'))?.snapshot.status).toBe('merged');
    expect((await store.load('zd-47'))?.snapshot.context.mergedFrom).toEqual(['zd-48']);
    const facts = [
      ticketFacts(await store.ticketEvents('zd-47')),
      ticketFacts(await store.ticketEvents('zd-48')),
    ];
    expect(facts[1]?.excluded).toBe('merged');
    expect(kpiReport(facts).tickets).toBe(1);
  });
});
