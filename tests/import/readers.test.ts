import { describe, expect, it } from 'vitest';
import { FIXTURE_ZENDESK_MAPPING, zendeskFixtures } from '../../scripts/generate-import-fixtures.js';
import {
  type ImportEvent,
  type ImportItem,
  parseImportMapping,
  readFreshdesk,
  readJsonRecords,
  readZendesk,
  readZendeskPeople,
} from '../../src/import/index.js';

async function collect(items: AsyncIterable<ImportItem>): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const zendesk = (text: string, mapping: object = {}) =>
  collect(readZendesk(readJsonRecords([text]), parseImportMapping('zendesk', mapping)));
const events = (items: ImportItem[]): ImportEvent[] =>
  items.flatMap((i) => (i.kind === 'events' ? i.events : []));
const problems = (items: ImportItem[]) =>
  items.flatMap((i) => (i.kind === 'problem' ? [[i.problem.code, i.problem.line, i.problem.source]] : []));

const audit = {
  id: 7001,
  ticket_id: 155,
  created_at: '2026-03-02T10:00:00Z',
  author_id: 900,
  via: { channel: 'email', source: { rel: null } },
  events: [
    { id: 1, type: 'Comment', author_id: 900, body: 'My parcel is late', public: true },
    { id: 2, type: 'Create', field_name: 'subject', value: 'Late parcel' },
    { id: 3, type: 'Create', field_name: 'requester_id', value: 900 },
    { id: 4, type: 'Create', field_name: 'status', value: 'new' },
    { id: 5, type: 'Create', field_name: 'priority', value: 'high' },
    { id: 6, type: 'Create', field_name: 'tags', value: ['shipping'] },
    { id: 7, type: 'Create', field_name: 'group_id', value: 360002 },
    { id: 8, type: 'Notification', subject: 'Received', body: 'We got it', recipients: [900] },
  ],
};

describe('readZendesk', () => {
  it('makes an audit with Create events a ticket.opened, keyed by the source ids', async () => {
    const items = await zendesk(JSON.stringify({ audits: [audit] }), { groups: { '360002': { tier: 2 } } });
    expect(events(items)).toEqual([
      {
        type: 'ticket.opened',
        id: 'zd-7001-opened',
        ticketId: 'zd-155',
        at: Date.parse('2026-03-02T10:00:00Z'),
        channel: 'email',
        subject: 'Late parcel',
        body: 'My parcel is late',
        customer: { id: 'zd-user-900' },
        priority: 'high',
        tags: ['shipping'],
        externalId: 'zendesk:155',
      },
      {
        type: 'ticket.escalated',
        id: 'zd-7001-7',
        ticketId: 'zd-155',
        at: Date.parse('2026-03-02T10:00:00Z'),
        tier: 2,
        reason: 'moved to group 360002',
      },
    ]);
    expect(items.filter((i) => i.kind === 'ignored').map((i) => i.kind === 'ignored' && i.what)).toEqual([
      'Notification',
    ]);
  });

  it('reports what the mapping cannot place, with the line and the part of the record', async () => {
    const change = {
      id: 7002,
      ticket_id: 155,
      created_at: '2026-03-02T11:00:00Z',
      author_id: 11,
      via: { channel: 'web' },
      events: [
        { id: 20, type: 'Change', field_name: 'status', value: 'deleted', previous_value: 'open' },
        { id: 21, type: 'Change', field_name: 'group_id', value: 999, previous_value: 360002 },
        { id: 22, type: 'Change', field_name: '360000999', value: 'x', previous_value: null },
        {
          id: 23,
          type: 'Change',
          field_name: 'subject',
          value: 'New subject',
          previous_value: 'Late parcel',
        },
        { id: 24, type: 'Change', field_name: 'assignee_id', value: 77, previous_value: null },
        { id: 25, type: 'Comment', author_id: 77, body: 'On it', public: false },
      ],
    };
    const text = `${JSON.stringify(audit)}\n${JSON.stringify(change)}\n{"ticket_id": 1}\n42\n`;
    const items = await zendesk(text, { unmappedAgents: 'report' });
    expect(problems(items)).toEqual([
      ['unmapped_group', 1, 'update 7001 event 7'],
      ['unmapped_status', 2, 'update 7002 event 20'],
      ['unmapped_group', 2, 'update 7002 event 21'],
      ['unmapped_field', 2, 'update 7002 event 22'],
      ['not_in_carekit', 2, 'update 7002 event 23'],
      ['unmapped_agent', 2, 'update 7002 event 24'],
      ['unknown_record', 3, 'record'],
      ['unknown_record', 4, 'record'],
    ]);
    // The comment of an unmapped agent is placed (or reported) by the importer, which knows the customer.
    expect(events(items).at(-1)).toMatchObject({
      type: 'import.comment',
      public: false,
      agent: { unmapped: expect.stringContaining('77') },
    });
  });

  it('reads ticket metrics and the satisfaction rating', async () => {
    const metrics = {
      id: 1,
      ticket_id: 155,
      reply_time_in_minutes: { calendar: 61, business: 30 },
      full_resolution_time_in_minutes: { calendar: 2000, business: null },
    };
    const rating = {
      id: 7003,
      ticket_id: 155,
      created_at: '2026-03-05T10:00:00Z',
      author_id: 900,
      events: [{ id: 30, type: 'SatisfactionRating', score: 'good', body: 'Great help' }],
    };
    const items = await zendesk(
      `{"ticket_metrics":[${JSON.stringify(metrics)}]}\n{"audits":[${JSON.stringify(rating)}]}`,
    );
    expect(items[0]).toMatchObject({
      kind: 'metrics',
      ticketId: 'zd-155',
      metrics: {
        firstReply: { calendar: 61, business: 30 },
        fullResolution: { calendar: 2000, business: null },
      },
    });
    expect(events(items)).toEqual([
      {
        type: 'survey.answered',
        id: 'zd-7003-30',
        ticketId: 'zd-155',
        at: Date.parse('2026-03-05T10:00:00Z'),
        survey: 'csat',
        score: 5,
        comment: 'Great help',
      },
    ]);
  });

  it('reads the metric sets of the incremental ticket export, and counts its tickets as ignored', async () => {
    const page = {
      tickets: [{ id: 155, status: 'open' }],
      metric_sets: [{ id: 1, ticket_id: 155, reply_time_in_minutes: { calendar: 5, business: 5 } }],
      end_of_stream: true,
    };
    const items = await zendesk(JSON.stringify(page));
    expect(items.map((i) => i.kind)).toEqual(['ignored', 'metrics']);
  });

  it('reads the incremental export and the audits of the same history into the same events', async () => {
    const zd = zendeskFixtures({ tickets: 40, seed: 3 });
    const mapping = parseImportMapping('zendesk', FIXTURE_ZENDESK_MAPPING);
    // Each page lists its users after its records: they are read ahead, as the CLI does.
    const byId = async (chunks: () => Iterable<string>) => {
      const people = await readZendeskPeople(readJsonRecords(chunks()));
      const items = await collect(
        readZendesk(readJsonRecords(chunks()), mapping, { people, segments: ['loja_azul_vip'] }),
      );
      expect(problems(items)).toEqual([]);
      return new Map(events(items).map((e) => [e.id, e]));
    };
    const incremental = await byId(() => zd.incremental());
    const audits = await byId(() => zd.audits());
    expect(incremental.size).toBeGreaterThan(200);
    const opened = [...incremental.values()].filter((e) => e.type === 'ticket.opened');
    // Every customer has the name and email of the users sideload; some their organization's segment.
    expect(opened.every((e) => 'customer' in e && e.customer.name && e.customer.email)).toBe(true);
    expect(opened.some((e) => 'customer' in e && e.customer.segment === 'loja_azul_vip')).toBe(true);
    // The fixtures' duplicates are merged into the ticket before them, on both sides.
    const merged = [...incremental.values()].filter((e) => e.type === 'ticket.merged');
    expect(merged.length).toBe(3);
    expect([...incremental.values()].filter((e) => e.type === 'ticket.merged_from').length).toBe(3);
    expect([...incremental.keys()].sort()).toEqual([...audits.keys()].sort());
    for (const [id, event] of incremental) expect(event).toEqual(audits.get(id));
  });
});

describe('readFreshdesk', () => {
  const ticket = {
    id: 20,
    subject: 'Refund not received',
    description_text: 'I returned it two weeks ago',
    status: 5,
    priority: 3,
    source: 1,
    requester_id: 500,
    responder_id: 100,
    group_id: 43000002,
    type: 'Refund',
    tags: ['vip'],
    custom_fields: { cf_order_number: 'FD-1', cf_empty: null },
    created_at: '2026-03-02T10:00:00Z',
    updated_at: '2026-03-06T10:00:00Z',
    stats: { resolved_at: '2026-03-03T10:00:00Z', closed_at: '2026-03-05T10:00:00Z', pending_since: null },
    conversations: [
      {
        id: 1,
        body_text: 'We are on it',
        incoming: false,
        private: false,
        user_id: 100,
        created_at: '2026-03-02T11:00:00Z',
      },
      {
        id: 2,
        body_text: 'Thanks',
        incoming: true,
        private: false,
        user_id: 500,
        created_at: '2026-03-02T12:00:00Z',
      },
      {
        id: 3,
        body_text: 'Refund sent',
        incoming: false,
        private: true,
        user_id: 100,
        created_at: '2026-03-02T13:00:00Z',
      },
    ],
    time_entries: [
      {
        id: 9,
        agent_id: 100,
        time_spent: '01:30',
        note: 'Checked the warehouse',
        executed_at: '2026-03-02T10:30:00Z',
      },
    ],
  };

  it('makes a ticket with its conversations, time entries and stats the events of its history', async () => {
    const mapping = parseImportMapping('freshdesk', {
      groups: { '43000002': { tier: 2 } },
      fields: { cf_order_number: 'order_id' },
      categories: { Refund: 'refund' },
    });
    const items = await collect(readFreshdesk(readJsonRecords([JSON.stringify([ticket])]), mapping));
    expect(problems(items)).toEqual([]);
    const list = events(items);
    expect(list.map((e) => [e.type, e.id, new Date(e.at as number).toISOString()])).toEqual([
      ['ticket.opened', 'fd-20-opened', '2026-03-02T10:00:00.000Z'],
      ['ticket.escalated', 'fd-20-group', '2026-03-02T10:00:00.001Z'],
      ['ticket.fields_set', 'fd-20-fields', '2026-03-02T10:00:00.001Z'],
      ['import.comment', 'fd-20-time-9', '2026-03-02T10:30:00.000Z'],
      ['ticket.assigned', 'fd-20-assigned', '2026-03-02T10:59:59.999Z'],
      ['import.comment', 'fd-20-conv-1', '2026-03-02T11:00:00.000Z'],
      ['import.comment', 'fd-20-conv-2', '2026-03-02T12:00:00.000Z'],
      ['import.comment', 'fd-20-conv-3', '2026-03-02T13:00:00.000Z'],
      ['ticket.status_set', 'fd-20-resolved', '2026-03-03T10:00:00.000Z'],
      ['ticket.closed', 'fd-20-closed', '2026-03-05T10:00:00.000Z'],
    ]);
    expect(list[0]).toMatchObject({
      channel: 'email',
      priority: 'high',
      category: 'refund',
      tags: ['vip'],
      customer: { id: 'fd-contact-500' },
    });
    expect(list[3]).toMatchObject({ public: false, workMs: 90 * 60_000, agent: { id: 'fd-agent-100' } });
    expect(list[6]).toMatchObject({ customerId: 'fd-contact-500' });
  });

  it('names only the mapping’s own keys: a type or priority like `constructor` is unmapped, not read off Object.prototype', async () => {
    const odd = { ...ticket, id: 22, type: 'constructor', priority: 'toString' };
    const items = await collect(
      readFreshdesk(readJsonRecords([`${JSON.stringify(odd)}\n`]), parseImportMapping('freshdesk')),
    );
    expect(
      problems(items)
        .map(([code]) => code)
        .slice(0, 2),
    ).toEqual(['unmapped_priority', 'unmapped_category']);
    const opened = events(items).find((e) => e.type === 'ticket.opened');
    expect(opened).toMatchObject({ type: 'ticket.opened', ticketId: expect.any(String) });
    expect(opened).not.toHaveProperty('category');
    expect(opened).not.toHaveProperty('priority');
  });

  it('reports an unmapped status, group, field and a record that is not a ticket', async () => {
    const odd = { ...ticket, id: 21, status: 6, group_id: 1, custom_fields: { cf_x: 'y' } };
    const items = await collect(
      readFreshdesk(readJsonRecords([`${JSON.stringify(odd)}\n{"id":5}\n`]), parseImportMapping('freshdesk')),
    );
    expect(problems(items).map(([code]) => code)).toEqual([
      'unmapped_category',
      'unmapped_group',
      'unmapped_field',
      'unmapped_status',
      'unknown_record',
    ]);
  });
});
