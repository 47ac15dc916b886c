import { describe, expect, it } from 'vitest';
import {
  createImportLifecycle,
  createZendeskPeople,
  type ImportItem,
  importTickets,
  parseImportMapping,
  readJsonRecords,
  readZendesk,
  readZendeskPeople,
  zendeskAgents,
} from '../../src/import/index.js';
import { createMemoryStore } from '../../src/workflows/index.js';

async function collect(items: AsyncIterable<ImportItem>): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const users = [
  {
    id: 900,
    role: 'end-user',
    name: 'Ana Souza',
    email: 'ana@example.com',
    organization_id: 77,
    phone: null,
  },
  { id: 901, role: 'end-user', name: 'Rui Lima', email: 'not an address', organization_id: null },
  { id: 11, role: 'agent', name: 'Bea Agent', email: 'bea@shop.example' },
  { id: 12, role: 'admin', name: 'Caio Admin', email: 'caio@shop.example' },
];
const organizations = [{ id: 77, name: 'Loja Azul VIP', domain_names: ['lojaazul.example'] }];
const update = (id: number, ticket: number, at: string, author: number, events: object[]) => ({
  id,
  ticket_id: ticket,
  created_at: at,
  author_id: author,
  via: { channel: 'email', source: { rel: null } },
  events,
});
const opening = (ticket: number, requester: number, firstAuthor = requester) =>
  update(ticket * 10, ticket, '2026-03-02T10:00:00Z', firstAuthor, [
    { id: 1, type: 'Comment', author_id: firstAuthor, body: 'Where is my parcel?', public: true },
    { id: 2, type: 'Create', field_name: 'subject', value: 'Parcel' },
    { id: 3, type: 'Create', field_name: 'requester_id', value: requester },
    { id: 4, type: 'Create', field_name: 'status', value: 'new' },
  ]);
const audits = [
  opening(155, 900),
  // An end-user (a colleague of the requester, in CC) answers: the customer's side, not an agent.
  update(1556, 155, '2026-03-02T11:00:00Z', 901, [
    { id: 5, type: 'Comment', author_id: 901, body: 'Same for my order', public: true },
  ]),
  update(1557, 155, '2026-03-02T12:00:00Z', 11, [
    { id: 6, type: 'Comment', author_id: 11, body: 'Checking now', public: true },
  ]),
];

describe('the users and organizations sideloads', () => {
  it('names customers and segments them by organization when the desk copies that segment', async () => {
    const page = JSON.stringify({ users, organizations, audits });
    const mapping = parseImportMapping('zendesk');
    const items = await collect(
      readZendesk(readJsonRecords([page]), mapping, { segments: ['loja_azul_vip'] }),
    );
    const opened = items
      .flatMap((i) => (i.kind === 'events' ? i.events : []))
      .find((e) => e.type === 'ticket.opened');
    expect(opened && 'customer' in opened ? opened.customer : null).toEqual({
      id: 'zd-user-900',
      name: 'Ana Souza',
      email: 'ana@example.com',
      segment: 'loja_azul_vip',
    });
    expect(items.filter((i) => i.kind === 'person').map((i) => (i.kind === 'person' ? i.what : ''))).toEqual([
      'customer',
      'customer',
      'agent',
      'agent',
      'organization',
    ]);
    // The address carekit refuses is left out, and said so at the user's record.
    const problems = items.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));
    expect(problems.map((p) => [p.code, p.source])).toEqual([['invalid_person', 'users 901']]);
  });

  it('leaves the segment out when the desk does not copy it, and takes the mapping’s organizations first', async () => {
    const page = JSON.stringify({ users, organizations, audits: [opening(155, 900)] });
    const customerOf = async (mapping: object, segments?: string[]) => {
      const items = await collect(
        readZendesk(
          readJsonRecords([page]),
          parseImportMapping('zendesk', mapping),
          segments ? { segments } : {},
        ),
      );
      const e = items
        .flatMap((i) => (i.kind === 'events' ? i.events : []))
        .find((x) => x.type === 'ticket.opened');
      return e && 'customer' in e ? e.customer.segment : 'none';
    };
    expect(await customerOf({})).toBeUndefined();
    expect(await customerOf({ organizations: { '77': 'vip' } })).toBe('vip');
  });

  it('reads users listed after the tickets when they are read ahead; end-users’ comments are customer replies', async () => {
    const file = `${JSON.stringify({ audits })}\n${JSON.stringify({ users, organizations })}\n`;
    const mapping = parseImportMapping('zendesk');
    const lifecycle = createImportLifecycle({});
    const importWith = async (people?: Awaited<ReturnType<typeof readZendeskPeople>>) => {
      const store = createMemoryStore();
      const summary = await importTickets(
        store,
        readZendesk(readJsonRecords([file]), mapping, people ? { people } : {}),
        { lifecycle },
      );
      return { summary, events: await store.ticketEvents('zd-155') };
    };
    const ahead = await importWith(await readZendeskPeople(readJsonRecords([file])));
    expect(ahead.summary.people).toBe(5);
    expect(ahead.events.map((e) => e.type)).toEqual(['ticket.opened', 'customer.replied', 'agent.replied']);
    const opened = ahead.events[0];
    expect(opened?.type === 'ticket.opened' ? opened.customer.name : null).toBe('Ana Souza');
    // Read in one pass, the users come too late: the ticket has ids only and the colleague looks like an agent.
    const late = await importWith();
    expect(late.events.map((e) => e.type)).toEqual(['ticket.opened', 'agent.replied', 'agent.replied']);
    expect(late.events[0]?.type === 'ticket.opened' ? late.events[0].customer : null).toEqual({
      id: 'zd-user-900',
    });
  });

  it('a ticket an end-user opened for another end-user is the customer’s, not an agent’s', async () => {
    const page = JSON.stringify({ users, audits: [opening(156, 900, 901)] });
    const items = await collect(readZendesk(readJsonRecords([page]), parseImportMapping('zendesk')));
    const e = items
      .flatMap((i) => (i.kind === 'events' ? i.events : []))
      .find((x) => x.type === 'ticket.opened');
    expect(e && 'origin' in e ? e.origin : 'customer').toBe('customer');
  });

  it('lists the agents and admins with their names for the desk configuration', async () => {
    const people = await readZendeskPeople(readJsonRecords([JSON.stringify({ users })]));
    expect(zendeskAgents(people, parseImportMapping('zendesk', { agents: { '11': 'bea' } }))).toEqual([
      { id: 'bea', name: 'Bea Agent', email: 'bea@shop.example' },
      { id: 'zd-agent-12', name: 'Caio Admin', email: 'caio@shop.example' },
    ]);
    expect(zendeskAgents(createZendeskPeople(), parseImportMapping('zendesk'))).toEqual([]);
    const reporting = parseImportMapping('zendesk', { agents: { '11': 'bea' }, unmappedAgents: 'report' });
    expect(zendeskAgents(people, reporting).map((a) => a.id)).toEqual(['bea']);
  });

  it('reports a user without a role or id, and reads NDJSON users by their shape', async () => {
    const ndjson = `${JSON.stringify({ id: 5, role: 'end-user', email: 'x@example.com', name: 'X' })}\n${JSON.stringify({ id: 6, role: 'owner', email: null })}\n`;
    const items = await collect(readZendesk(readJsonRecords([ndjson]), parseImportMapping('zendesk')));
    expect(items.map((i) => i.kind)).toEqual(['person', 'problem']);
    expect(items[1]?.kind === 'problem' ? items[1].problem.code : null).toBe('invalid_person');
  });
});
