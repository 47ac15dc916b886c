import { describe, expect, it } from 'vitest';
import {
  createImportLifecycle,
  type ImportItem,
  importTickets,
  parseImportMapping,
  readJsonRecords,
  readZendesk,
} from '../../src/import/index.js';
import { createMemoryStore } from '../../src/workflows/index.js';

async function collect(items: AsyncIterable<ImportItem>): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const update = (id: number, at: string, author: number, events: object[]) => ({
  id,
  ticket_id: 155,
  created_at: at,
  author_id: author,
  via: { channel: 'web', source: { rel: null } },
  events,
});
const opening = (extra: object[] = []) =>
  update(1550, '2026-03-02T10:00:00Z', 900, [
    { id: 1, type: 'Comment', author_id: 900, body: 'Where is my parcel?', public: true },
    { id: 2, type: 'Create', field_name: 'subject', value: 'Parcel' },
    { id: 3, type: 'Create', field_name: 'requester_id', value: 900 },
    { id: 4, type: 'Create', field_name: 'status', value: 'new' },
    ...extra,
  ]);
const later = [
  update(1551, '2026-03-02T11:00:00Z', 11, [
    { id: 5, type: 'Change', field_name: 'subject', value: 'Parcel 123 late', previous_value: 'Parcel' },
    { id: 6, type: 'Change', field_name: 'requester_id', value: 901, previous_value: 900 },
  ]),
  update(1552, '2026-03-02T12:00:00Z', 901, [
    { id: 7, type: 'Comment', author_id: 901, body: 'I am the one who ordered it', public: true },
  ]),
];
const read = async (audits: object[], mapping: object = {}) =>
  collect(readZendesk(readJsonRecords([JSON.stringify({ audits })]), parseImportMapping('zendesk', mapping)));
const events = (items: ImportItem[]) => items.flatMap((i) => (i.kind === 'events' ? i.events : []));
const problems = (items: ImportItem[]) => items.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));
const desk = {
  fields: [
    { id: 'subject_now', type: 'text', label: 'Current subject' },
    { id: 'requester_now', type: 'text', label: 'Current requester' },
  ],
};

describe('subject and requester changes', () => {
  it('in the creating update, they are the opening’s subject and customer', async () => {
    const items = await read([
      opening([
        { id: 8, type: 'Change', field_name: 'subject', value: 'Parcel (VIP)', previous_value: 'Parcel' },
        { id: 9, type: 'Change', field_name: 'requester_id', value: 901, previous_value: 900 },
      ]),
    ]);
    expect(events(items)[0]).toMatchObject({ subject: 'Parcel (VIP)', customer: { id: 'zd-user-901' } });
    expect(problems(items)).toEqual([]);
  });

  it('later, they are kept in the fields the mapping names', async () => {
    const items = await read([opening(), ...later], {
      fields: { subject: 'subject_now', requester_id: 'requester_now' },
    });
    expect(events(items).filter((e) => e.type === 'ticket.fields_set')).toEqual([
      {
        type: 'ticket.fields_set',
        id: 'zd-1551-5',
        ticketId: 'zd-155',
        at: Date.parse('2026-03-02T11:00:00Z'),
        fields: { subject_now: 'Parcel 123 late' },
      },
      {
        type: 'ticket.fields_set',
        id: 'zd-1551-6',
        ticketId: 'zd-155',
        at: Date.parse('2026-03-02T11:00:00Z'),
        fields: { requester_now: 'zd-user-901' },
      },
    ]);
    expect(problems(items)).toEqual([]);
  });

  it('without such fields they are reported, saying how to keep them', async () => {
    const items = await read([opening(), ...later]);
    expect(problems(items).map((p) => [p.code, p.source])).toEqual([
      ['not_in_carekit', 'update 1551 event 5'],
      ['not_in_carekit', 'update 1551 event 6'],
    ]);
    expect(problems(items)[0]?.message).toContain('map `subject`');
  });

  it('the new requester’s comments are the customer’s replies, not an agent’s', async () => {
    const store = createMemoryStore();
    const mapping = parseImportMapping('zendesk', {
      fields: { subject: 'subject_now', requester_id: 'requester_now' },
    });
    const summary = await importTickets(
      store,
      readZendesk(readJsonRecords([JSON.stringify({ audits: [opening(), ...later] })]), mapping),
      { lifecycle: createImportLifecycle(desk) },
    );
    expect(summary.problems).toEqual({});
    const stored = await store.load('zd-155');
    expect((await store.ticketEvents('zd-155')).map((e) => e.type)).toEqual([
      'ticket.opened',
      'ticket.fields_set',
      'ticket.fields_set',
      'customer.replied',
    ]);
    expect(stored?.snapshot.context.fields).toEqual({
      subject_now: 'Parcel 123 late',
      requester_now: 'zd-user-901',
    });
  });
});
