// Builds realistic helpdesk exports for carekit's importers, from the formats' published shapes:
// Zendesk's Incremental Ticket Event Export (with `include=comment_events`), Ticket Audits and
// Ticket Metrics; Freshdesk's tickets with conversations, time entries and stats. Deterministic
// for a seed. Run: `npx tsx scripts/generate-import-fixtures.ts <dir> [--tickets 300] [--seed 7]`
// (or `--mb 200` for a large Zendesk incremental export to measure memory with).
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** A small fast PRNG (mulberry32): the same seed gives the same export. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
/** The fixtures' business hours: Monday to Friday, 09:00–17:00 UTC (the desk config below). */
export const FIXTURE_DESK_CONFIG = {
  name: 'Imported desk',
  calendars: {
    office: {
      timeZone: 'UTC',
      week: {
        mon: [['09:00', '17:00']],
        tue: [['09:00', '17:00']],
        wed: [['09:00', '17:00']],
        thu: [['09:00', '17:00']],
        fri: [['09:00', '17:00']],
      },
    },
  },
  fields: [{ id: 'order_id', type: 'text', label: 'Order' }],
  // The desk copies this segment from a customer record: the users of that organization get it.
  segments: { passThrough: ['loja_azul_vip'] },
  kpis: { businessCalendar: 'office' },
};

/** The fixtures' Zendesk organizations (the `organizations` sideload). */
export const ZENDESK_ORGANIZATIONS = [
  { id: 360100, name: 'Acme Retail', domain_names: ['acme.example'] },
  { id: 360101, name: 'Loja Azul VIP', domain_names: ['lojaazul.example'] },
  { id: 360102, name: 'Công ty Minh Anh', domain_names: ['minhanh.example'] },
];
const GIVEN = ['Ana', 'Bruno', 'Chloé', 'Duc', 'Emma', 'Fatima', 'Gustavo', 'Hoa', 'Ines', 'João'];
const FAMILY = ['Souza', 'Nguyen', 'Martin', 'García', 'Lima', 'Tran', 'Müller', 'Costa'];
/** A Zendesk user record for an id, as the `users` sideload lists it: deterministic per id. */
export function zendeskUser(id: number): Record<string, unknown> {
  const agent = id < 100;
  const given = GIVEN[id % GIVEN.length] as string;
  const family = FAMILY[Math.floor(id / GIVEN.length) % FAMILY.length] as string;
  const org = agent ? null : id % 5 === 0 ? (ZENDESK_ORGANIZATIONS[(id / 5) % 3] as { id: number }).id : null;
  return {
    id,
    url: `https://example.zendesk.com/api/v2/users/${id}.json`,
    name: agent ? `${given} (support)` : `${given} ${family}`,
    email: agent
      ? `agent${id}@shop.example`
      : `${given
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^a-z]/g, '')}.${id}@example.com`,
    role: agent ? (id === 11 ? 'admin' : 'agent') : 'end-user',
    organization_id: org,
    phone: null,
    time_zone: 'Europe/Lisbon',
    locale: 'en-US',
    active: true,
    verified: true,
    created_at: '2024-01-02T09:00:00Z',
  };
}

/** The Zendesk group and custom field ids of the fixtures, and a mapping that names them. */
export const ZENDESK_GROUPS = { frontline: 360001, specialists: 360002, managers: 360003 };
export const ZENDESK_ORDER_FIELD = 360000111;
export const ZENDESK_UNMAPPED_FIELD = 360000999;
export const FIXTURE_ZENDESK_MAPPING = {
  groups: { '360001': { tier: 1 }, '360002': { tier: 2 }, '360003': { tier: 3 } },
  fields: { '360000111': 'order_id' },
};
export const FIXTURE_FRESHDESK_MAPPING = {
  groups: { '43000001': { tier: 1 }, '43000002': { tier: 2 } },
  fields: { cf_order_number: 'order_id' },
  categories: { Question: 'question', Incident: 'incident', Refund: 'refund' },
};

/** Business minutes between two instants in the fixtures' hours: an obviously correct minute walk. */
export function businessMinutes(from: number, to: number): number {
  let n = 0;
  for (let t = from; t < to; t += MINUTE) {
    const d = new Date(t);
    const day = d.getUTCDay();
    const h = d.getUTCHours();
    if (day >= 1 && day <= 5 && h >= 9 && h < 17) n++;
  }
  return n;
}

/** What the generator knows of a ticket: its final status in carekit's words and its metrics. */
export interface FixtureTruth {
  readonly status: 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed' | 'merged';
  /** Zendesk tickets: the requester's Zendesk id (its record is in the `users` sideload). */
  readonly requester?: number;
  /** A merged duplicate's target (its Zendesk id). */
  readonly mergedInto?: number;
  readonly firstReply: number | null;
  readonly firstSolve: number | null;
  readonly lastSolve: number | null;
  readonly createdAt: number;
}

const SUBJECTS = [
  'Where is my order?',
  'Parcel arrived damaged',
  'Refund not received',
  'Wrong size delivered',
  'Cannot log in to my account',
  'Question about delivery times',
  'Item missing from the box',
  'Cancel my subscription',
];
const BODIES = [
  'Hello, my order has not arrived yet. Can you check?',
  'The box was crushed and the mug inside is broken.',
  'I returned the item two weeks ago and still have no refund.',
  'Olá, o pedido chegou com defeito. Podem ajudar?',
  'Xin chào, tôi chưa nhận được hàng.',
  'Hola, ¿cuándo llega mi paquete?',
];
const REPLIES = [
  'Thanks for reaching out, I am checking with the carrier now.',
  'Sorry about that! We are sending a replacement today.',
  'Your refund was issued; it takes 3 to 5 business days.',
  'Could you send a photo of the damage, please?',
];

interface ZdAudit {
  readonly id: number;
  readonly ticketId: number;
  readonly at: number;
  readonly author: number;
  readonly channel: string;
  readonly events: Record<string, unknown>[];
  /** A merge's via source (`to` on the source's audit, `from` on the target's). */
  readonly source?: { readonly from?: object; readonly to?: object };
}

/**
 * A duplicate of `target` by the same requester, merged into it by an agent a minute after it
 * came, as Zendesk records a merge (via type 19 `merge`): on the duplicate a private comment
 * "This request was closed and merged into request #N", the close and the `closed_by_merge`
 * tag; on the target a private comment naming the duplicate with its last comment.
 */
function zendeskDuplicate(
  ticketId: number,
  target: { id: number; audits: ZdAudit[]; truth: FixtureTruth },
  ids: { next: number },
): { audits: ZdAudit[]; truth: FixtureTruth } {
  const opening = target.audits[0] as ZdAudit;
  const requester = target.truth.requester as number;
  const subject = String(opening.events.find((e) => e.field_name === 'subject')?.value ?? '');
  const body = 'I wrote before about this, any news?';
  const at = opening.at + MINUTE;
  const agent = 14;
  const audits: ZdAudit[] = [
    {
      id: ids.next++,
      ticketId,
      at,
      author: requester,
      channel: opening.channel,
      events: [
        { type: 'Comment', author_id: requester, body, public: true, attachments: [] },
        { type: 'Create', field_name: 'subject', value: `Re: ${subject}` },
        { type: 'Create', field_name: 'requester_id', value: requester },
        { type: 'Create', field_name: 'status', value: 'new' },
        { type: 'Create', field_name: 'priority', value: 'normal' },
        { type: 'Create', field_name: 'tags', value: [] },
      ].map((e) => ({ id: ids.next++, ...e })),
    },
    {
      id: ids.next++,
      ticketId,
      at: at + MINUTE,
      author: agent,
      channel: 'merge',
      source: { to: { ticket_id: target.id, subject } },
      events: [
        {
          type: 'Comment',
          author_id: agent,
          body: `This request was closed and merged into request #${target.id} “${subject}”.`,
          public: false,
        },
        { type: 'Change', field_name: 'status', value: 'closed', previous_value: 'new' },
        { type: 'Change', field_name: 'tags', value: ['closed_by_merge'], previous_value: [] },
      ].map((e) => ({ id: ids.next++, ...e })),
    },
  ];
  // The target's side, in its history at the same instant (before its own next update).
  target.audits.splice(1, 0, {
    id: ids.next++,
    ticketId: target.id,
    at: at + MINUTE,
    author: agent,
    channel: 'merge',
    source: { from: { ticket_id: ticketId, subject: `Re: ${subject}` } },
    events: [
      {
        id: ids.next++,
        type: 'Comment',
        author_id: agent,
        body: `Request #${ticketId} “Re: ${subject}” was closed and merged into this request. Last comment in request #${ticketId}:\n\n${body}`,
        public: false,
      },
    ],
  });
  return {
    audits,
    truth: {
      status: 'merged',
      firstReply: null,
      firstSolve: null,
      lastSolve: null,
      createdAt: at,
      requester,
      mergedInto: target.id,
    },
  };
}

/** One ticket's life in Zendesk: its audits in order, and the truth. */
function zendeskTicket(
  rand: () => number,
  ticketId: number,
  start: number,
  ids: { next: number },
): {
  audits: ZdAudit[];
  truth: FixtureTruth;
} {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const requester = 900_000 + Math.floor(rand() * 5_000);
  const agents = [11, 12, 13, 14, 15, 16];
  const channel = pick(['email', 'email', 'web', 'chat', 'voice', 'api']);
  // Whole minutes: Zendesk's metrics are in minutes.
  let at = start - (start % MINUTE);
  const audits: ZdAudit[] = [];
  const audit = (author: number, events: Record<string, unknown>[], via = channel) => {
    audits.push({
      id: ids.next++,
      ticketId,
      at,
      author,
      channel: via,
      events: events.map((e) => ({ id: ids.next++, ...e })),
    });
  };
  let status = 'new';
  let assignee: number | null = null;
  let priority = pick(['low', 'normal', 'normal', 'high', 'urgent']);
  const createdAt = at;
  let firstReply: number | null = null;
  let firstSolve: number | null = null;
  let lastSolve: number | null = null;
  const tags = rand() < 0.5 ? ['shipping'] : ['returns', 'vip'];
  const group = pick([ZENDESK_GROUPS.frontline, ZENDESK_GROUPS.frontline, ZENDESK_GROUPS.specialists]);
  audit(requester, [
    { type: 'Comment', author_id: requester, body: pick(BODIES), public: true, attachments: [] },
    { type: 'Create', field_name: 'subject', value: pick(SUBJECTS) },
    { type: 'Create', field_name: 'requester_id', value: requester },
    { type: 'Create', field_name: 'status', value: 'new' },
    { type: 'Create', field_name: 'priority', value: priority },
    { type: 'Create', field_name: 'type', value: pick(['question', 'incident', 'problem']) },
    { type: 'Create', field_name: 'tags', value: tags },
    { type: 'Create', field_name: 'group_id', value: group },
    { type: 'Create', field_name: String(ZENDESK_ORDER_FIELD), value: `ORD-${10_000 + ticketId}` },
    {
      type: 'Notification',
      subject: 'Request received',
      body: 'Your request was received.',
      recipients: [requester],
      via: { channel: 'rule', source: { rel: 'trigger', from: { id: 1, title: 'Notify requester' } } },
    },
  ]);
  const steps = 2 + Math.floor(rand() * 7);
  for (let s = 0; s < steps && status !== 'closed'; s++) {
    at += (5 + Math.floor(rand() * 900)) * MINUTE;
    if (assignee === null || rand() < 0.08) {
      const next = pick(agents.filter((a) => a !== assignee));
      const events: Record<string, unknown>[] = [
        { type: 'Change', field_name: 'assignee_id', value: next, previous_value: assignee },
      ];
      if (status === 'new')
        events.push({ type: 'Change', field_name: 'status', value: 'open', previous_value: 'new' });
      if (assignee !== null && rand() < 0.5) {
        events.push({
          type: 'Change',
          field_name: 'group_id',
          value: ZENDESK_GROUPS.specialists,
          previous_value: group,
        });
      }
      if (status === 'new') status = 'open';
      assignee = next;
      audit(next, events, 'web');
      continue;
    }
    const roll = rand();
    if (status === 'open' || status === 'hold') {
      if (roll < 0.1) {
        audit(
          assignee,
          [{ type: 'Comment', author_id: assignee, body: 'Checked with the warehouse.', public: false }],
          'web',
        );
        continue;
      }
      if (roll < 0.15) {
        const next = priority === 'urgent' ? 'high' : 'urgent';
        audit(
          assignee,
          [{ type: 'Change', field_name: 'priority', value: next, previous_value: priority }],
          'web',
        );
        priority = next;
        continue;
      }
      if (roll < 0.2 && status === 'open') {
        audit(
          assignee,
          [{ type: 'Change', field_name: 'status', value: 'hold', previous_value: 'open' }],
          'web',
        );
        status = 'hold';
        continue;
      }
      const to = roll < 0.55 ? 'pending' : roll < 0.9 ? 'solved' : status;
      const events: Record<string, unknown>[] = [
        { type: 'Comment', author_id: assignee, body: pick(REPLIES), public: true },
      ];
      if (to !== status)
        events.push({ type: 'Change', field_name: 'status', value: to, previous_value: status });
      events.push({
        type: 'Notification',
        subject: 'Reply',
        body: '{{ticket.latest_comment}}',
        recipients: [requester],
      });
      if (firstReply === null) firstReply = at;
      if (to === 'solved') {
        firstSolve ??= at;
        lastSolve = at;
      }
      status = to;
      audit(assignee, events, 'web');
      continue;
    }
    if (status === 'pending' || status === 'solved') {
      if (status === 'solved' && roll < 0.6) {
        // Zendesk's default automation closes a solved ticket 4 days later.
        at = (lastSolve as number) + 4 * 24 * 60 * MINUTE;
        audits.push({
          id: ids.next++,
          ticketId,
          at,
          author: -1,
          channel: 'rule',
          events: [
            {
              id: ids.next++,
              type: 'Change',
              field_name: 'status',
              value: 'closed',
              previous_value: 'solved',
            },
          ],
        });
        status = 'closed';
        continue;
      }
      if (status === 'solved' && roll < 0.7) {
        audit(
          requester,
          [
            {
              type: 'SatisfactionRating',
              score: rand() < 0.8 ? 'good' : 'bad',
              assignee_id: assignee,
              body: 'Thanks',
            },
          ],
          'web',
        );
        continue;
      }
      audit(requester, [
        { type: 'Comment', author_id: requester, body: 'Any news on this?', public: true },
        { type: 'Change', field_name: 'status', value: 'open', previous_value: status },
      ]);
      status = 'open';
    }
  }
  const carekit = {
    new: 'new',
    open: 'open',
    pending: 'pending',
    hold: 'on_hold',
    solved: 'solved',
    closed: 'closed',
  } as const;
  return {
    audits,
    truth: {
      status: carekit[status as keyof typeof carekit],
      firstReply,
      firstSolve,
      lastSolve,
      createdAt,
      requester,
    },
  };
}

/** The ticket metrics Zendesk computes for a ticket (calendar and business minutes), from the truth. */
function metricsOf(ticketId: number, truth: FixtureTruth): Record<string, unknown> {
  const pair = (to: number | null) =>
    to === null
      ? { calendar: null, business: null }
      : {
          calendar: Math.round((to - truth.createdAt) / MINUTE),
          business: businessMinutes(truth.createdAt, to),
        };
  return {
    id: 70_000 + ticketId,
    ticket_id: ticketId,
    created_at: new Date(truth.createdAt).toISOString(),
    reopens: 0,
    replies: 0,
    reply_time_in_minutes: pair(truth.firstReply),
    first_resolution_time_in_minutes: pair(truth.firstSolve),
    full_resolution_time_in_minutes: pair(truth.lastSolve),
    agent_wait_time_in_minutes: { calendar: null, business: null },
    requester_wait_time_in_minutes: { calendar: null, business: null },
    on_hold_time_in_minutes: { calendar: 0, business: 0 },
  };
}

/** A child event in the incremental export's shape: the field as its own key. */
function incrementalChild(e: Record<string, unknown>, audit: ZdAudit): Record<string, unknown> {
  const { type, field_name, value, ...rest } = e;
  const base = {
    id: e.id,
    via: audit.channel === 'rule' ? 'Rule' : 'Web form',
    via_reference_id: null,
    event_type: type,
  };
  if (type === 'Create' || type === 'Change') {
    // Custom fields keep `field_name` (their key is a number); standard fields are keys.
    if (/^\d+$/.test(String(field_name))) return { ...base, field_name, value, ...rest, id: e.id };
    return { ...base, [String(field_name)]: value, ...rest, id: e.id };
  }
  return { ...base, ...rest, type, created_at: new Date(audit.at).toISOString(), audit_id: audit.id };
}

/** Options of the generators. */
export interface FixtureOptions {
  readonly tickets: number;
  readonly seed?: number;
  /** Adds records an import must report: an unknown status, an unmapped field, an orphan update, a broken record. */
  readonly flaws?: boolean;
}

const START = Date.UTC(2025, 0, 6, 8, 0);

/**
 * The Zendesk exports of `tickets` tickets: the incremental ticket events (pages of 1,000, in
 * time order), the audits (one page per ticket) and the ticket metrics, each as text chunks;
 * and the truth per carekit ticket id.
 */
export function zendeskFixtures(options: FixtureOptions): {
  incremental: () => Iterable<string>;
  audits: () => Iterable<string>;
  metrics: () => Iterable<string>;
  truth: Map<string, FixtureTruth>;
} {
  const rand = random(options.seed ?? 7);
  const ids = { next: 5_000_000 };
  const tickets: { id: number; audits: ZdAudit[]; truth: FixtureTruth }[] = [];
  for (let i = 0; i < options.tickets; i++) {
    const id = 1000 + i;
    const start = START + Math.floor(rand() * 60 * 24 * 60) * MINUTE;
    const previous = tickets[i - 1];
    // One ticket in 15 is a duplicate of the one before, merged into it.
    if (i % 15 === 7 && previous !== undefined) tickets.push({ id, ...zendeskDuplicate(id, previous, ids) });
    else tickets.push({ id, ...zendeskTicket(rand, id, start, ids) });
  }
  if (options.flaws) {
    const victim = tickets[0] as (typeof tickets)[number];
    const last = victim.audits[victim.audits.length - 1] as ZdAudit;
    victim.audits.push({
      id: ids.next++,
      ticketId: victim.id,
      at: last.at + MINUTE,
      author: 11,
      channel: 'web',
      events: [
        {
          id: ids.next++,
          type: 'Change',
          field_name: String(ZENDESK_UNMAPPED_FIELD),
          value: 'x',
          previous_value: null,
        },
        { id: ids.next++, type: 'Change', field_name: 'status', value: 'deleted', previous_value: 'closed' },
      ],
    });
    tickets.push({
      id: 999,
      audits: [
        {
          id: ids.next++,
          ticketId: 999,
          at: START,
          author: 11,
          channel: 'web',
          events: [{ id: ids.next++, type: 'Comment', author_id: 11, body: 'orphan', public: true }],
        },
      ],
      truth: { status: 'open', firstReply: null, firstSolve: null, lastSolve: null, createdAt: START },
    });
  }
  const truth = new Map(tickets.filter((t) => t.id !== 999).map((t) => [`zd-${t.id}`, t.truth]));
  // The flaws' broken record is the 4th update in time order: its ticket's history is incomplete.
  const broken = options.flaws
    ? [...tickets.flatMap((t) => t.audits)].sort((a, b) => a.at - b.at || a.id - b.id)[3]
    : undefined;
  if (broken !== undefined) truth.delete(`zd-${broken.ticketId}`);
  const auditJson = (a: ZdAudit) => ({
    id: a.id,
    ticket_id: a.ticketId,
    created_at: new Date(a.at).toISOString(),
    author_id: a.author,
    metadata: { system: { client: 'Mozilla/5.0', ip_address: '203.0.113.7' }, custom: {} },
    via: { channel: a.channel, source: { from: a.source?.from ?? {}, to: a.source?.to ?? {}, rel: null } },
    events: a.events,
  });
  /** The `users` and `organizations` a page names (Zendesk's sideloads, listed after its records). */
  const sideloads = (page: readonly ZdAudit[]) => {
    const users = new Set<number>();
    for (const a of page) {
      if (a.author > 0) users.add(a.author);
      for (const e of a.events) {
        for (const key of ['author_id', 'value'] as const) {
          const v = e[key];
          if (
            typeof v === 'number' &&
            (key === 'author_id' || e.field_name === 'requester_id' || e.field_name === 'assignee_id')
          )
            users.add(v);
        }
      }
    }
    const records = [...users].sort((x, y) => x - y).map(zendeskUser);
    const orgs = new Set(records.map((u) => u.organization_id).filter((o) => o !== null));
    return {
      users: records,
      organizations: ZENDESK_ORGANIZATIONS.filter((o) => orgs.has(o.id)),
    };
  };
  return {
    truth,
    *audits() {
      for (const t of tickets) {
        yield `${JSON.stringify({ audits: t.audits.map(auditJson), next_page: null, previous_page: null, count: t.audits.length, ...sideloads(t.audits) })}\n`;
      }
    },
    *incremental() {
      const all = tickets.flatMap((t) => t.audits).sort((a, b) => a.at - b.at || a.id - b.id);
      for (let p = 0; p < all.length; p += 1000) {
        const page = all.slice(p, p + 1000);
        const end = Math.floor((page[page.length - 1] as ZdAudit).at / 1000);
        yield `{"count":${page.length},"end_of_stream":${p + 1000 >= all.length},"end_time":${end},"next_page":"https://example.zendesk.com/api/v2/incremental/ticket_events.json?start_time=${end}&include=comment_events","ticket_events":[\n`;
        for (const [i, a] of page.entries()) {
          const record = {
            id: a.id,
            ticket_id: a.ticketId,
            timestamp: Math.floor(a.at / 1000),
            created_at: new Date(a.at).toISOString(),
            updater_id: a.author,
            via:
              a.channel === 'rule'
                ? 'Rule'
                : a.channel === 'merge'
                  ? 'Merge'
                  : a.channel === 'email'
                    ? 'Mail'
                    : a.channel === 'web'
                      ? 'Web form'
                      : a.channel,
            system: { client: 'Mozilla/5.0', location: 'Lisbon, Portugal' },
            metadata: {},
            event_type: 'Audit',
            child_events: a.events.map((e) => incrementalChild(e, a)),
          };
          const text =
            options.flaws && p === 0 && i === 3
              ? `{"id": ${a.id}, "ticket_id": broken}`
              : JSON.stringify(record);
          yield `${text}${i < page.length - 1 ? ',' : ''}\n`;
        }
        const { users, organizations } = sideloads(page);
        yield `],"users":${JSON.stringify(users)},"organizations":${JSON.stringify(organizations)}}\n`;
      }
    },
    *metrics() {
      yield '{"ticket_metrics":[\n';
      const list = tickets.filter((t) => t.id !== 999);
      for (const [i, t] of list.entries()) {
        yield `${JSON.stringify(metricsOf(t.id, t.truth))}${i < list.length - 1 ? ',' : ''}\n`;
      }
      yield `],"next_page":null,"count":${list.length}}\n`;
    },
  };
}

/** The Freshdesk export of `tickets` tickets (a JSON array), and the truth per carekit ticket id. */
export function freshdeskFixtures(options: FixtureOptions): {
  tickets: () => Iterable<string>;
  truth: Map<string, FixtureTruth>;
} {
  const rand = random(options.seed ?? 11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const records: Record<string, unknown>[] = [];
  const truth = new Map<string, FixtureTruth>();
  let nextId = 80_000_000;
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (let i = 0; i < options.tickets; i++) {
    const id = 20 + i;
    const created = START + Math.floor(rand() * 60 * 24 * 60) * MINUTE;
    const requester = 43_000_500_000 + Math.floor(rand() * 2000);
    const responder = rand() < 0.9 ? pick([43_000_100_001, 43_000_100_002, 43_000_100_003]) : null;
    const status = pick([2, 3, 4, 4, 5, 5, 5]);
    let at = created;
    const conversations: Record<string, unknown>[] = [];
    let firstReply: number | null = null;
    const n = responder === null ? 0 : 1 + Math.floor(rand() * 4);
    for (let c = 0; c < n; c++) {
      at += (10 + Math.floor(rand() * 600)) * MINUTE;
      const incoming = c % 2 === 1;
      const isPrivate = !incoming && rand() < 0.15;
      if (!incoming && !isPrivate) firstReply ??= at;
      conversations.push({
        id: nextId++,
        body: `<div>${incoming ? 'Any update?' : pick(REPLIES)}</div>`,
        body_text: incoming ? 'Any update?' : pick(REPLIES),
        incoming,
        private: isPrivate,
        user_id: incoming ? requester : responder,
        support_email: incoming ? null : 'support@example.com',
        source: isPrivate ? 2 : 0,
        ticket_id: id,
        to_emails: incoming ? ['support@example.com'] : [`customer${requester}@example.com`],
        from_email: incoming ? `customer${requester}@example.com` : 'support@example.com',
        created_at: iso(at),
        updated_at: iso(at),
        attachments: [],
      });
    }
    at += 30 * MINUTE;
    const resolvedAt = status >= 4 ? at : null;
    const closedAt = status === 5 ? at + 2 * 24 * 60 * MINUTE : null;
    const final =
      status === 5 ? 'closed' : status === 4 ? 'solved' : status === 3 ? 'pending' : n > 0 ? 'open' : 'new';
    truth.set(`fd-${id}`, {
      status: final,
      firstReply,
      firstSolve: resolvedAt,
      lastSolve: resolvedAt,
      createdAt: created,
    });
    records.push({
      id,
      subject: pick(SUBJECTS),
      description: `<div>${pick(BODIES)}</div>`,
      description_text: pick(BODIES),
      status,
      priority: 1 + Math.floor(rand() * 4),
      source: pick([1, 1, 2, 3, 7, 9]),
      requester_id: requester,
      responder_id: responder,
      group_id: responder === null ? null : pick([43_000_001, 43_000_002]),
      company_id: null,
      type: pick(['Question', 'Incident', 'Refund', null]),
      tags: rand() < 0.4 ? ['priority-customer'] : [],
      cc_emails: [],
      fwd_emails: [],
      reply_cc_emails: [],
      fr_escalated: false,
      is_escalated: false,
      spam: false,
      custom_fields: {
        cf_order_number: `FD-${5000 + i}`,
        ...(options.flaws && i === 0 ? { cf_unmapped: 'x' } : {}),
      },
      created_at: iso(created),
      updated_at: iso(closedAt ?? at),
      due_by: iso(created + 3 * 24 * 60 * MINUTE),
      fr_due_by: iso(created + 24 * 60 * MINUTE),
      stats: {
        agent_responded_at: firstReply === null ? null : iso(firstReply),
        requester_responded_at: null,
        first_responded_at: firstReply === null ? null : iso(firstReply),
        status_updated_at: iso(closedAt ?? at),
        reopened_at: null,
        resolved_at: resolvedAt === null ? null : iso(resolvedAt),
        closed_at: closedAt === null ? null : iso(closedAt),
        pending_since: status === 3 ? iso(at) : null,
      },
      conversations,
      time_entries:
        responder === null
          ? []
          : [
              {
                id: nextId++,
                billable: true,
                note: 'Investigated the order',
                timer_running: false,
                agent_id: responder,
                ticket_id: id,
                time_spent: `00:${String(5 + Math.floor(rand() * 50)).padStart(2, '0')}`,
                executed_at: iso(created + 5 * MINUTE),
                start_time: iso(created + 5 * MINUTE),
                created_at: iso(created + 5 * MINUTE),
                updated_at: iso(created + 5 * MINUTE),
              },
            ],
    });
  }
  if (options.flaws) records.push({ id: 'x', note: 'not a ticket' });
  return {
    truth,
    *tickets() {
      yield '[\n';
      for (const [i, r] of records.entries())
        yield `${JSON.stringify(r)}${i < records.length - 1 ? ',' : ''}\n`;
      yield ']\n';
    },
  };
}

/** Writes chunks to a file, waiting for the stream to drain (large files in flat memory). */
async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for (const chunk of chunks) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/**
 * Writes the fixtures into `dir`: zendesk-ticket-events.json, zendesk-audits.json,
 * zendesk-ticket-metrics.json, freshdesk-tickets.json and desk.json (the desk configuration) and
 * the two mappings. With `mb`, only a Zendesk incremental export of about that size.
 */
export async function writeImportFixtures(
  dir: string,
  options: FixtureOptions & { readonly mb?: number },
): Promise<Map<string, FixtureTruth>> {
  mkdirSync(dir, { recursive: true });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'desk.json'), `${JSON.stringify(FIXTURE_DESK_CONFIG, null, 2)}\n`);
  writeFileSync(join(dir, 'zendesk-mapping.json'), `${JSON.stringify(FIXTURE_ZENDESK_MAPPING, null, 2)}\n`);
  writeFileSync(
    join(dir, 'freshdesk-mapping.json'),
    `${JSON.stringify(FIXTURE_FRESHDESK_MAPPING, null, 2)}\n`,
  );
  if (options.mb !== undefined) {
    // About 4.5 kB per ticket in the incremental export.
    const zd = zendeskFixtures({ ...options, tickets: Math.ceil((options.mb * 1024 * 1024) / 4600) });
    await writeChunks(join(dir, 'zendesk-ticket-events.json'), zd.incremental());
    return zd.truth;
  }
  const zd = zendeskFixtures(options);
  await writeChunks(join(dir, 'zendesk-ticket-events.json'), zd.incremental());
  await writeChunks(join(dir, 'zendesk-audits.json'), zd.audits());
  await writeChunks(join(dir, 'zendesk-ticket-metrics.json'), zd.metrics());
  const fd = freshdeskFixtures({ ...options, seed: (options.seed ?? 7) + 4 });
  await writeChunks(join(dir, 'freshdesk-tickets.json'), fd.tickets());
  return new Map([...zd.truth, ...fd.truth]);
}

const invoked = process.argv[1] ?? '';
if (invoked.endsWith('generate-import-fixtures.ts') || invoked.endsWith('generate-import-fixtures.js')) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
  if (dir === undefined) {
    console.error(
      'usage: tsx scripts/generate-import-fixtures.ts <dir> [--tickets 300] [--seed 7] [--flaws] [--mb 200]',
    );
    process.exit(2);
  }
  const mb = flag('--mb');
  await writeImportFixtures(dir, {
    tickets: Number(flag('--tickets') ?? 300),
    seed: Number(flag('--seed') ?? 7),
    flaws: args.includes('--flaws'),
    ...(mb !== undefined ? { mb: Number(mb) } : {}),
  });
  console.log(`wrote the import fixtures into ${dir}`);
}
