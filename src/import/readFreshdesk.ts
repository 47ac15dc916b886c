import type { TicketEventInput } from '../model/index.js';
import type { ImportEvent, ImportItem, RecordPlace } from './items.js';
import type { ImportMapping } from './mapping.js';
import { groupTier, mappedOrReported, problem, unreadableProblem } from './problems.js';
import type { ExportRecord } from './readJsonRecords.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v !== '' ? v : null;
const toMs = (v: unknown): number | null => {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
};

/** `"01:30"` (Freshdesk's `time_spent`) in milliseconds. */
function timeSpent(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,4}):(\d{2})$/.exec(value.trim());
  return match ? (Number(match[1]) * 60 + Number(match[2])) * 60_000 : null;
}

/**
 * Reads a Freshdesk export into carekit events: tickets (`/api/v2/tickets/{id}?include=conversations,stats`,
 * or the account export's tickets) with their `conversations` and `time_entries`. Status codes are
 * 2 open, 3 pending, 4 resolved, 5 closed (custom ones from 6, to map); priorities 1–4 low, medium,
 * high, urgent; `source` codes name the channel. Freshdesk keeps no history of changes, so a
 * ticket's status history is rebuilt from its `stats` (`pending_since`, `resolved_at`,
 * `closed_at`) and its final `status`; its assignee (`responder_id`) is assigned at the first reply
 * they wrote (else at creation), its group sets its tier. Incoming conversations are the customer's,
 * private ones notes, the rest agents' replies; a time entry is a note carrying its time as work.
 *
 * @example
 * ```ts
 * for await (const item of readFreshdesk(readJsonRecords(chunks), parseImportMapping('freshdesk'))) {
 *   if (item.kind === 'events') console.log(item.ticketId, item.events.length);
 * }
 * //=> fd-20 6
 * ```
 */
export async function* readFreshdesk(
  records: AsyncIterable<ExportRecord>,
  mapping: ImportMapping,
): AsyncGenerator<ImportItem> {
  for await (const record of records) {
    if (record.kind === 'unreadable') {
      yield unreadableProblem(record);
      continue;
    }
    const value = record.value;
    const sourceId = isObject(value) ? idOf(value.id) : null;
    const place: RecordPlace = {
      line: record.line,
      index: record.index,
      source: sourceId ? `ticket ${sourceId}` : 'record',
    };
    if (!isObject(value) || sourceId === null || !('subject' in value || 'requester_id' in value)) {
      yield problem(
        place,
        null,
        'unknown_record',
        'the record is not a Freshdesk ticket (no id, subject or requester_id)',
      );
      continue;
    }
    yield* ticket(mapping, place, sourceId, value);
  }
}

function* ticket(
  mapping: ImportMapping,
  place: RecordPlace,
  sourceId: string,
  t: Json,
): Generator<ImportItem> {
  const ticketId = `${mapping.ticketPrefix}${sourceId}`;
  const out: ImportItem[] = [];
  const createdAt = toMs(t.created_at);
  const requester = idOf(t.requester_id);
  if (createdAt === null || requester === null) {
    yield problem(place, ticketId, 'invalid_record', 'the ticket has no created_at or no requester_id');
    return;
  }
  const channelKey = idOf(t.source);
  const channel = channelKey === null ? 'email' : mapping.channels[channelKey];
  if (channel === undefined) {
    yield problem(
      place,
      ticketId,
      'unmapped_channel',
      `the source ${channelKey} is not in the mapping's channels; add it (e.g. "${channelKey}": "email")`,
    );
    return;
  }
  const priority = mappedOrReported(
    mapping.priorities,
    idOf(t.priority),
    out,
    place,
    ticketId,
    'unmapped_priority',
    (key) => `the priority ${key} is not in the mapping's priorities; the ticket is opened at normal`,
  );
  const category = mappedOrReported(
    mapping.categories,
    typeof t.type === 'string' && t.type !== '' ? t.type : null,
    out,
    place,
    ticketId,
    'unmapped_category',
    (key) => `the ticket type \`${key}\` is not in the mapping's categories`,
  );
  const agentFor = (user: string | null): { id: string } | { unmapped: string } => {
    if (user === null) return { unmapped: 'the author is unknown' };
    const mapped = mapping.agents[user];
    if (mapped !== undefined) return { id: mapped };
    if (mapping.unmappedAgents === 'prefix') return { id: `${mapping.agentPrefix}${user}` };
    return { unmapped: `the user ${user} is not in the mapping's agents` };
  };
  const customerId = `${mapping.customerPrefix}${requester}`;
  const tags = (Array.isArray(t.tags) ? t.tags : []).filter(
    (x): x is string => typeof x === 'string' && x.trim() !== '',
  );
  const events: (ImportEvent & { at: number })[] = [];
  const opened: TicketEventInput & { at: number } = {
    type: 'ticket.opened',
    id: `${ticketId}-opened`,
    ticketId,
    at: createdAt,
    channel,
    subject: typeof t.subject === 'string' ? t.subject : '',
    body:
      typeof t.description_text === 'string'
        ? t.description_text
        : typeof t.description === 'string'
          ? t.description
          : '',
    customer: { id: customerId },
    ...(priority ? { priority } : {}),
    ...(category ? { category } : {}),
    ...(tags.length > 0 ? { tags: [...new Set(tags.map((x) => x.trim()))].slice(0, 100) } : {}),
    ...(channelKey === '10' ? { origin: 'agent' as const } : {}),
    externalId: `freshdesk:${sourceId}`,
  };

  const conversations = (Array.isArray(t.conversations) ? t.conversations : []).filter(isObject);
  let firstByResponder: number | null = null;
  const responder = idOf(t.responder_id);
  conversations.forEach((c, n) => {
    const id = idOf(c.id) ?? `${n}`;
    const at = toMs(c.created_at);
    const part = { ...place, source: `ticket ${sourceId} conversation ${id}` };
    if (at === null) {
      out.push(problem(part, ticketId, 'invalid_record', 'the conversation has no created_at'));
      return;
    }
    const author = idOf(c.user_id);
    const body = typeof c.body_text === 'string' ? c.body_text : typeof c.body === 'string' ? c.body : '';
    const incoming = c.incoming === true;
    if (!incoming && author !== null && author === responder && firstByResponder === null)
      firstByResponder = at;
    events.push({
      type: 'import.comment',
      id: `${ticketId}-conv-${id}`,
      ticketId,
      at,
      body,
      public: c.private !== true,
      customerId: incoming ? customerId : `${mapping.customerPrefix}${author ?? 'unknown'}`,
      agent: incoming ? { unmapped: 'an incoming message' } : agentFor(author),
    });
  });

  const entries = (Array.isArray(t.time_entries) ? t.time_entries : []).filter(isObject);
  for (const [n, e] of entries.entries()) {
    const id = idOf(e.id) ?? `${n}`;
    const part = { ...place, source: `ticket ${sourceId} time entry ${id}` };
    const ms = timeSpent(e.time_spent);
    const at = toMs(e.executed_at) ?? toMs(e.created_at);
    if (ms === null || at === null) {
      out.push(
        problem(
          part,
          ticketId,
          'invalid_record',
          'the time entry has no time_spent (hh:mm) or no executed_at',
        ),
      );
      continue;
    }
    const agent = agentFor(idOf(e.agent_id));
    if ('unmapped' in agent) {
      out.push(problem(part, ticketId, 'unmapped_agent', agent.unmapped));
      continue;
    }
    events.push({
      type: 'import.comment',
      id: `${ticketId}-time-${id}`,
      ticketId,
      at,
      body: typeof e.note === 'string' ? e.note : '',
      public: false,
      customerId: '',
      agent,
      workMs: Math.min(ms, 7 * 24 * 3_600_000),
    });
  }

  if (responder !== null) {
    const agent = agentFor(responder);
    if ('unmapped' in agent) out.push(problem(place, ticketId, 'unmapped_agent', agent.unmapped));
    else {
      // Freshdesk keeps no assignment time: the responder's first reply, else just after creation.
      const at = firstByResponder === null ? createdAt + 1 : Math.max(createdAt, firstByResponder - 1);
      events.push({ type: 'ticket.assigned', id: `${ticketId}-assigned`, ticketId, at, agentId: agent.id });
    }
  }
  const group = idOf(t.group_id);
  if (group !== null) {
    const mapped = groupTier(mapping, group, place, ticketId);
    if ('problem' in mapped) out.push(mapped.problem);
    else {
      events.push({
        type: 'ticket.escalated',
        id: `${ticketId}-group`,
        ticketId,
        at: createdAt + 1,
        tier: mapped.tier,
        reason: `in group ${group}`,
      });
    }
  }

  const custom = isObject(t.custom_fields) ? t.custom_fields : {};
  const fields: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(custom)) {
    if (v === null || v === '') continue;
    const fieldId = mapping.fields[name];
    if (fieldId === undefined) {
      out.push(
        problem(
          { ...place, source: `ticket ${sourceId} field ${name}` },
          ticketId,
          'unmapped_field',
          `the custom field ${name} is not in the mapping's fields; add it (e.g. "${name}": "order_id")`,
        ),
      );
    } else fields[fieldId] = v;
  }
  if (Object.keys(fields).length > 0) {
    events.push({
      type: 'ticket.fields_set',
      id: `${ticketId}-fields`,
      ticketId,
      at: createdAt + 1,
      fields: fields as never,
    });
  }

  // The status history Freshdesk keeps: when it went pending, was resolved, closed; and where it is now.
  const statusKey = idOf(t.status);
  const status = statusKey === null ? undefined : mapping.statuses[statusKey];
  const stats = isObject(t.stats) ? t.stats : {};
  if (status === undefined) {
    out.push(
      problem(
        place,
        ticketId,
        'unmapped_status',
        `the status ${statusKey} is not in the mapping's statuses; add it (e.g. "${statusKey}": "open")`,
      ),
    );
  } else {
    const resolvedAt = toMs(stats.resolved_at);
    const closedAt = toMs(stats.closed_at);
    const pendingSince = toMs(stats.pending_since);
    const updatedAt = toMs(stats.status_updated_at) ?? toMs(t.updated_at) ?? createdAt;
    if (resolvedAt !== null && (status === 'solved' || status === 'closed')) {
      events.push({
        type: 'ticket.status_set',
        id: `${ticketId}-resolved`,
        ticketId,
        at: resolvedAt,
        status: 'solved',
      });
    }
    if (status === 'closed')
      events.push({ type: 'ticket.closed', id: `${ticketId}-closed`, ticketId, at: closedAt ?? updatedAt });
    else if (status === 'pending' || status === 'on_hold') {
      events.push({
        type: 'ticket.status_set',
        id: `${ticketId}-status`,
        ticketId,
        at: pendingSince ?? updatedAt,
        status,
      });
    } else if (status === 'solved' && resolvedAt === null) {
      events.push({ type: 'ticket.status_set', id: `${ticketId}-status`, ticketId, at: updatedAt, status });
    }
    // Open needs no event: Freshdesk's open is carekit's new until someone acts, then open.
  }
  // Ties keep the order above: the assignment before the status it allows.
  const ordered = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);
  yield {
    kind: 'events',
    ticketId,
    place,
    events: [opened, ...ordered.filter((e) => e.at >= createdAt), ...ordered.filter((e) => e.at < createdAt)],
  };
  yield* out;
}
