import type { TicketEventInput } from '../model/index.js';
import type { ImportEvent, ImportItem, MinutePair, RecordPlace, SourceMetrics } from './items.js';
import type { ImportMapping } from './mapping.js';
import { groupTier, mappedOrReported, problem, unreadableProblem } from './problems.js';
import type { ExportRecord } from './readJsonRecords.js';
import { createZendeskPeople, learnPerson, segmentOf, type ZendeskPeople } from './zendeskPeople.js';

/** Options of {@link readZendesk}. */
export interface ReadZendeskOptions {
  /**
   * The export's users and organizations, read ahead ({@link readZendeskPeople}) when they come
   * after the tickets that name them. Users and organizations met in the records are added to it
   * as they are read, so an export that lists them first needs none.
   */
  readonly people?: ZendeskPeople;
  /**
   * The segments the desk copies from a customer record (its `segments.passThrough`): an
   * organization whose name, as a label, is one of them is its users' segment.
   */
  readonly segments?: readonly string[];
}

/** What the reader keeps across records: the directory, and the tickets whose requester changed. */
interface ReaderState {
  readonly people: ZendeskPeople;
  readonly segments: readonly string[];
  /** Ticket → the Zendesk user a later change made its requester (only tickets with such a change). */
  readonly requesters: Map<string, string>;
}

/** Zendesk's words for a merge: its source's comment, and its target's. */
const MERGED_INTO = /\bmerged into (?:request|ticket) #(\d+)/i;
const MERGED_FROM = /(?:request|ticket) #(\d+)\b[\s\S]*?\bclosed and merged into this (?:request|ticket)/i;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v !== '' ? v : null;

/** Keys of a child event that are not the changed field (in the incremental export's shape). */
const CHILD_META = new Set([
  'id',
  'via',
  'via_reference_id',
  'event_type',
  'type',
  'previous_value',
  'created_at',
  'audit_id',
  'author_id',
  'attachments',
  'html_body',
  'plain_body',
  'metadata',
]);

/** The source's own effects and records carekit keeps no event for: counted, not imported. */
const EFFECT_TYPES = new Set([
  'Notification',
  'NotificationWithCcs',
  'Cc',
  'FollowerNotification',
  'Error',
  'External',
  'Push',
  'Tweet',
  'FacebookEvent',
  'SMS',
  'TicketSharingEvent',
  'AgentMacroReference',
  'OrganizationActivity',
  'LogMeInTranscript',
  'AttachmentRedactionEvent',
  'CommentRedactionEvent',
  'CommentPrivacyChange',
  'ChatStartedEvent',
  'ChatEndedEvent',
  'EmailCcChange',
  'FollowerChange',
  'SatisfactionRatingOffered',
]);

/** One change of an update, whichever export it came from. */
interface Child {
  readonly id: string;
  readonly type: string;
  readonly field: string | null;
  readonly value: unknown;
  readonly previous: unknown;
  readonly raw: Json;
}

function childOf(raw: Json, n: number): Child {
  const type = String(raw.event_type ?? raw.type ?? '');
  let field: string | null = typeof raw.field_name === 'string' ? raw.field_name : null;
  let value: unknown = raw.value;
  if (field === null && (type === 'Create' || type === 'Change')) {
    // The incremental export names the field by its key: `{ "status": "open", "previous_value": "new" }`.
    const key = Object.keys(raw).find((k) => !CHILD_META.has(k));
    if (key !== undefined) {
      field = key;
      value = raw[key];
    } else if (typeof raw.event_type === 'string' && raw.type !== undefined) {
      // The ticket's own `type` field shares its key with the event's type of the audit shape.
      field = 'type';
      value = raw.type;
    }
  }
  return { id: idOf(raw.id) ?? `c${n}`, type, field, value, previous: raw.previous_value, raw };
}

function toMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function minutes(value: unknown): MinutePair | undefined {
  if (!isObject(value)) return undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { calendar: num(value.calendar), business: num(value.business) };
}

const tagList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? v.split(/\s+/) : [])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.trim())
    .filter((t) => t !== '');

/**
 * Reads Zendesk's exports into carekit events: the Incremental Ticket Event Export
 * (`/api/v2/incremental/ticket_events?include=comment_events`, each update with its
 * `child_events`), Ticket Audits (`/api/v2/tickets/{id}/audits`, each audit with its `events`:
 * Create, Change, Comment, VoiceComment, SatisfactionRating, Notification...) and Ticket Metrics
 * (`/api/v2/ticket_metrics`), in any mix, as {@link readJsonRecords} yields them. Each update
 * becomes the events of one ticket, keyed by the source's ids (`zd-<audit>-<event>`), so a second
 * import of the same export adds nothing. A change the mapping cannot place is reported with its
 * record's line; notifications and other effects of Zendesk's own rules are counted as ignored
 * (an import never sends anything).
 *
 * @example
 * ```ts
 * const mapping = parseImportMapping('zendesk');
 * for await (const item of readZendesk(readJsonRecords(chunks), mapping)) {
 *   if (item.kind === 'events') console.log(item.ticketId, item.events.map((e) => e.type));
 * }
 * //=> zd-155 ['ticket.opened', 'ticket.assigned']
 * //=> zd-155 ['import.comment', 'ticket.status_set']
 * ```
 */
export async function* readZendesk(
  records: AsyncIterable<ExportRecord>,
  mapping: ImportMapping,
  options: ReadZendeskOptions = {},
): AsyncGenerator<ImportItem> {
  const state: ReaderState = {
    people: options.people ?? createZendeskPeople(),
    segments: options.segments ?? [],
    requesters: new Map(),
  };
  for await (const record of records) {
    if (record.kind === 'unreadable') {
      yield unreadableProblem(record);
      continue;
    }
    const value = record.value;
    const place: RecordPlace = {
      line: record.line,
      index: record.index,
      source: isObject(value) && idOf(value.id) ? `${record.key ?? 'record'} ${idOf(value.id)}` : 'record',
    };
    if (!isObject(value)) {
      yield problem(place, null, 'unknown_record', 'the record is not an object');
      continue;
    }
    const person = learnPerson(state.people, record.key, value);
    if (person !== null) {
      if (person.kind === 'invalid') {
        yield problem(place, null, 'invalid_person', `${person.message}; the ${person.what} is not read`);
        continue;
      }
      if (person.kind === 'user' && person.dropped.length > 0) {
        yield problem(
          place,
          null,
          'invalid_person',
          `the user's ${person.dropped.join(' and ')} is not one carekit takes; the user is read without it`,
        );
      }
      yield {
        kind: 'person',
        what:
          person.kind === 'organization'
            ? 'organization'
            : person.person.role === 'end-user'
              ? 'customer'
              : 'agent',
        place,
      };
      continue;
    }
    if (record.key === 'tickets' && !('ticket_id' in value)) {
      // The incremental ticket export's tickets are the state its events lead to; the events are read.
      yield { kind: 'ignored', what: 'ticket record (its history comes from the ticket events)', place };
      continue;
    }
    const sourceTicket = idOf(value.ticket_id);
    if (sourceTicket === null) {
      yield problem(place, null, 'invalid_record', 'the record has no ticket_id');
      continue;
    }
    const ticketId = `${mapping.ticketPrefix}${sourceTicket}`;
    if (
      record.key === 'ticket_metrics' ||
      'reply_time_in_minutes' in value ||
      'full_resolution_time_in_minutes' in value
    ) {
      const metrics: SourceMetrics = {
        ...(minutes(value.reply_time_in_minutes)
          ? { firstReply: minutes(value.reply_time_in_minutes)! }
          : {}),
        ...(minutes(value.first_resolution_time_in_minutes)
          ? { firstResolution: minutes(value.first_resolution_time_in_minutes)! }
          : {}),
        ...(minutes(value.full_resolution_time_in_minutes)
          ? { fullResolution: minutes(value.full_resolution_time_in_minutes)! }
          : {}),
      };
      yield { kind: 'metrics', ticketId, place, metrics };
      continue;
    }
    const children = Array.isArray(value.child_events)
      ? value.child_events
      : Array.isArray(value.events)
        ? value.events
        : null;
    if (children === null) {
      // An incremental export's metric events (`type: measure`, `apply_sla`...) are Zendesk's SLA bookkeeping.
      if (typeof value.metric === 'string') {
        yield { kind: 'ignored', what: `metric event (${String(value.type ?? 'unknown')})`, place };
        continue;
      }
      yield problem(
        place,
        ticketId,
        'unknown_record',
        'the record is neither an update with child_events or events, nor ticket metrics',
      );
      continue;
    }
    const auditId = idOf(value.id);
    const at = toMs(value.created_at) ?? toMs(value.timestamp);
    if (auditId === null || at === null) {
      yield problem(place, ticketId, 'invalid_record', 'the update has no id or no created_at/timestamp');
      continue;
    }
    yield* update(mapping, state, place, ticketId, auditId, at, value, children);
  }
}

function* update(
  mapping: ImportMapping,
  state: ReaderState,
  place: RecordPlace,
  ticketId: string,
  auditId: string,
  at: number,
  value: Json,
  rawChildren: unknown[],
): Generator<ImportItem> {
  const children = rawChildren.filter(isObject).map(childOf);
  const author = idOf(value.author_id ?? value.updater_id);
  const via = isObject(value.via) ? value.via.channel : value.via;
  const channelKey = typeof via === 'string' ? via.toLowerCase().replace(/\s+/g, '_') : null;
  const { people } = state;
  const isEndUser = (userId: string | null) =>
    userId !== null && people.users.get(userId)?.role === 'end-user';
  const events: ImportEvent[] = [];
  const partOf = (child: Child): RecordPlace => ({ ...place, source: `update ${auditId} event ${child.id}` });
  const eventId = (child: Child, suffix = '') => `${mapping.ticketPrefix}${auditId}-${child.id}${suffix}`;
  const agentFor = (userId: string | null): { id: string } | { unmapped: string } => {
    if (userId === null) return { unmapped: 'the author is unknown' };
    const mapped = mapping.agents[userId];
    if (mapped !== undefined) return { id: mapped };
    if (mapping.unmappedAgents === 'prefix') return { id: `${mapping.agentPrefix}${userId}` };
    return { unmapped: `the user ${userId} is not in the mapping's agents` };
  };
  const creates = children.filter((c) => c.type === 'Create');
  const isCreate = creates.length > 0;
  const comments = children.filter((c) => c.type === 'Comment' || c.type === 'VoiceComment');
  let openingComment: Child | null = null;
  const out: ImportItem[] = [];
  // A merge closes its source (Zendesk's via type 19 `merge`, the `closed_by_merge` tag, the
  // comment "This request was closed and merged into request #N"): carekit's `ticket.merged`.
  const viaSource = isObject(value.via) && isObject(value.via.source) ? value.via.source : null;
  const mergeVia = channelKey === 'merge' || via === 19;
  const closing = children.find(
    (c) => c.type === 'Change' && c.field === 'status' && String(c.value) === 'closed',
  );
  const addedTags = children.flatMap((c) =>
    c.type === 'Change' && (c.field === 'tags' || c.field === 'current_tags' || c.field === 'added_tags')
      ? tagList(c.value).filter((t) => c.field === 'added_tags' || !tagList(c.previous).includes(t))
      : [],
  );
  const intoText = comments.map((c) => MERGED_INTO.exec(bodyOf(c))?.[1]).find((t) => t !== undefined);
  const intoVia = mergeVia && isObject(viaSource?.to) ? idOf(viaSource.to.ticket_id) : null;
  const merging =
    closing !== undefined && (mergeVia || addedTags.includes('closed_by_merge') || intoText !== undefined);
  const named = merging ? (intoVia ?? intoText ?? null) : null;
  const into = named !== null && named !== ticketId.slice(mapping.ticketPrefix.length) ? named : null;

  if (isCreate) {
    // A Change in the creating update itself (a trigger renaming the subject) is the opening's value.
    const field = (name: string) =>
      children.findLast((c) => c.type === 'Change' && c.field === name)?.value ??
      creates.find((c) => c.field === name)?.value;
    const requester = idOf(field('requester_id')) ?? author;
    if (requester === null) {
      out.push(problem(place, ticketId, 'invalid_record', 'the ticket was created without a requester'));
      yield* out;
      return;
    }
    const channel = channelKey === null ? undefined : mapping.channels[channelKey];
    if (channelKey !== null && channel === undefined) {
      yield problem(
        place,
        ticketId,
        'unmapped_channel',
        `the ticket came through \`${channelKey}\`, which the mapping's channels do not name; add it (e.g. "${channelKey}": "email")`,
      );
      return;
    }
    openingComment = comments[0] ?? null;
    const priority = mappedOrReported(
      mapping.priorities,
      nonEmpty(field('priority')),
      out,
      place,
      ticketId,
      'unmapped_priority',
      (key) => `the priority \`${key}\` is not in the mapping's priorities; the ticket is opened at normal`,
    );
    const category = mappedOrReported(
      mapping.categories,
      nonEmpty(field('type')),
      out,
      place,
      ticketId,
      'unmapped_category',
      (key) => `the ticket type \`${key}\` is not in the mapping's categories`,
    );
    const tags = tagList(field('tags') ?? field('current_tags'));
    const subject = field('subject');
    const opener = openingComment ? (idOf(openingComment.raw.author_id) ?? author) : author;
    const byAgent = opener !== null && opener !== requester && !isEndUser(opener);
    const person = people.users.get(requester);
    const segment = segmentOf(people, person, mapping, state.segments);
    const openerAgent = byAgent ? agentFor(opener) : null;
    const opened: TicketEventInput = {
      type: 'ticket.opened',
      id: `${mapping.ticketPrefix}${auditId}-opened`,
      ticketId,
      at,
      channel: channel ?? 'web_form',
      subject: typeof subject === 'string' ? subject : '',
      body: openingComment ? bodyOf(openingComment) : '',
      customer: {
        id: `${mapping.customerPrefix}${requester}`,
        ...(person?.name !== undefined ? { name: person.name } : {}),
        ...(person?.email !== undefined ? { email: person.email } : {}),
        ...(person?.phone !== undefined ? { phone: person.phone } : {}),
        ...(segment !== null ? { segment } : {}),
      },
      ...(priority ? { priority } : {}),
      ...(category ? { category } : {}),
      ...(tags.length > 0 ? { tags: [...new Set(tags)].slice(0, 100) } : {}),
      ...(openerAgent && 'id' in openerAgent ? { origin: 'agent' as const, agentId: openerAgent.id } : {}),
      externalId: `zendesk:${ticketId.slice(mapping.ticketPrefix.length)}`,
    };
    events.push(opened);
  }

  for (const child of children) {
    const part = partOf(child);
    if (child.type === 'Create' || child.type === 'Change') {
      const create = child.type === 'Create';
      switch (child.field) {
        case 'subject':
        case 'requester_id': {
          if (create || isCreate) break;
          const name = child.field;
          const fieldId = mapping.fields[name];
          const raw = idOf(child.value);
          if (name === 'requester_id' && raw !== null) state.requesters.set(ticketId, raw);
          const kept =
            name === 'requester_id'
              ? raw === null
                ? null
                : `${mapping.customerPrefix}${raw}`
              : typeof child.value === 'string'
                ? child.value
                : null;
          if (fieldId !== undefined) {
            events.push({
              type: 'ticket.fields_set',
              id: eventId(child),
              ticketId,
              at,
              fields: { [fieldId]: kept },
            });
          } else {
            out.push(
              problem(
                part,
                ticketId,
                'not_in_carekit',
                name === 'subject'
                  ? "a carekit ticket keeps the subject it opened with; to keep later subjects, map `subject` in the mapping's fields to a text field of the desk"
                  : "a carekit ticket keeps the customer it opened with (the new requester's comments are imported as the customer's replies); to keep the change, map `requester_id` in the mapping's fields to a text field of the desk",
              ),
            );
          }
          break;
        }
        case 'priority':
        case 'tags':
        case 'current_tags':
        case 'type':
        case 'description':
          if (create) break;
          if (child.field === 'priority') {
            const priority = mappedOrReported(
              mapping.priorities,
              String(child.value),
              out,
              part,
              ticketId,
              'unmapped_priority',
              (key) =>
                `the priority \`${key}\` is not in the mapping's priorities (carekit has no empty priority)`,
            );
            if (priority !== undefined)
              events.push({ type: 'ticket.reprioritized', id: eventId(child), ticketId, at, priority });
          } else if (child.field === 'tags' || child.field === 'current_tags') {
            const now = new Set(tagList(child.value));
            const before = new Set(tagList(child.previous));
            const add = [...now].filter((t) => !before.has(t)).slice(0, 100);
            const remove = [...before].filter((t) => !now.has(t)).slice(0, 100);
            if (add.length > 0 || remove.length > 0) {
              events.push({
                type: 'ticket.tagged',
                id: eventId(child),
                ticketId,
                at,
                ...(add.length > 0 ? { add } : {}),
                ...(remove.length > 0 ? { remove } : {}),
              });
            }
          } else if (child.field === 'type') {
            const category = mappedOrReported(
              mapping.categories,
              String(child.value),
              out,
              part,
              ticketId,
              'unmapped_category',
              (key) => `the ticket type \`${key}\` is not in the mapping's categories`,
            );
            if (category !== undefined)
              events.push({ type: 'ticket.categorized', id: eventId(child), ticketId, at, category });
          } else {
            out.push(
              problem(
                part,
                ticketId,
                'not_in_carekit',
                `a change of \`${child.field}\` has no carekit event`,
              ),
            );
          }
          break;
        case 'added_tags':
        case 'removed_tags': {
          const list = tagList(child.value).slice(0, 100);
          if (list.length > 0) {
            events.push({
              type: 'ticket.tagged',
              id: eventId(child),
              ticketId,
              at,
              ...(child.field === 'added_tags' ? { add: list } : { remove: list }),
            });
          }
          break;
        }
        case 'status': {
          const key = String(child.value);
          if (key === 'new') break;
          const status = mapping.statuses[key];
          if (status === undefined) {
            out.push(
              problem(
                part,
                ticketId,
                'unmapped_status',
                `the status \`${key}\` is not in the mapping's statuses; add it (e.g. "${key}": "open")`,
              ),
            );
          } else if (status === 'closed' && child === closing && into !== null) {
            // Placed last in the update: a merged ticket takes no further change.
          } else if (status === 'closed') {
            if (child === closing && merging) {
              out.push(
                problem(
                  part,
                  ticketId,
                  'unknown_merge_target',
                  'the ticket was closed by a merge whose target the update does not name; it is imported as closed',
                ),
              );
            }
            events.push({ type: 'ticket.closed', id: eventId(child), ticketId, at });
          } else {
            events.push({ type: 'ticket.status_set', id: eventId(child), ticketId, at, status });
          }
          break;
        }
        case 'assignee_id': {
          const user = idOf(child.value);
          if (user === null) {
            if (!create)
              events.push({ type: 'ticket.assigned', id: eventId(child), ticketId, at, agentId: null });
            break;
          }
          const agent = agentFor(user);
          if ('unmapped' in agent) out.push(problem(part, ticketId, 'unmapped_agent', agent.unmapped));
          else events.push({ type: 'ticket.assigned', id: eventId(child), ticketId, at, agentId: agent.id });
          break;
        }
        case 'group_id': {
          const group = idOf(child.value);
          if (group === null) break;
          const mapped = groupTier(mapping, group, part, ticketId);
          if ('problem' in mapped) out.push(mapped.problem);
          else {
            events.push({
              type: 'ticket.escalated',
              id: eventId(child),
              ticketId,
              at,
              tier: mapped.tier,
              reason: `moved to group ${group}`,
            });
          }
          break;
        }
        default: {
          const name = child.field;
          if (name === null) {
            out.push(problem(part, ticketId, 'invalid_record', `a ${child.type} event names no field`));
            break;
          }
          const fieldId = mapping.fields[name];
          if (fieldId === undefined) {
            if (/^\d+$/.test(name)) {
              if (create && (child.value === null || child.value === '')) break;
              out.push(
                problem(
                  part,
                  ticketId,
                  'unmapped_field',
                  `the custom field ${name} is not in the mapping's fields; add it (e.g. "${name}": "order_id")`,
                ),
              );
            } else
              out.push(
                problem(part, ticketId, 'not_in_carekit', `a change of \`${name}\` has no carekit event`),
              );
            break;
          }
          if (create && (child.value === null || child.value === '')) break;
          events.push({
            type: 'ticket.fields_set',
            id: eventId(child),
            ticketId,
            at,
            fields: { [fieldId]: child.value === '' ? null : (child.value as never) },
          });
        }
      }
      continue;
    }
    if (child.type === 'Comment' || child.type === 'VoiceComment') {
      if (child === openingComment) continue;
      const writer = idOf(child.raw.author_id) ?? author;
      const commentAt = toMs(child.raw.created_at) ?? at;
      const customerSide =
        isEndUser(writer) || (writer !== null && state.requesters.get(ticketId) === writer);
      events.push({
        type: 'import.comment',
        id: eventId(child),
        ticketId,
        at: commentAt,
        body: bodyOf(child),
        public: child.raw.public !== false,
        customerId: `${mapping.customerPrefix}${writer ?? 'unknown'}`,
        agent: agentFor(writer),
        ...(customerSide ? { customerSide } : {}),
      });
      // The target's side of a merge: "Request #N ... was closed and merged into this request".
      const from =
        closing === undefined
          ? (MERGED_FROM.exec(bodyOf(child))?.[1] ??
            (mergeVia && isObject(viaSource?.from) ? idOf(viaSource.from.ticket_id) : null))
          : null;
      if (from !== null && from !== undefined) {
        events.push({
          type: 'ticket.merged_from',
          id: eventId(child, '-merged-from'),
          ticketId,
          at: commentAt,
          source: `${mapping.ticketPrefix}${from}`,
          moved: 0,
        });
      }
      continue;
    }
    if (child.type === 'SatisfactionRating') {
      const score = child.raw.score;
      if (score === 'good' || score === 'bad') {
        const comment =
          typeof child.raw.body === 'string' && child.raw.body !== '' ? child.raw.body : undefined;
        events.push({
          type: 'survey.answered',
          id: eventId(child),
          ticketId,
          at,
          survey: 'csat',
          score: score === 'good' ? 5 : 1,
          ...(comment ? { comment: comment.slice(0, 4000) } : {}),
        });
      } else out.push({ kind: 'ignored', what: `SatisfactionRating (${String(score)})`, place: part });
      continue;
    }
    if (EFFECT_TYPES.has(child.type)) {
      out.push({ kind: 'ignored', what: child.type, place: part });
      continue;
    }
    out.push(
      problem(
        part,
        ticketId,
        'not_in_carekit',
        `a \`${child.type || 'untyped'}\` event has no carekit event`,
      ),
    );
  }
  if (closing !== undefined && into !== null) {
    events.push({
      type: 'ticket.merged',
      id: eventId(closing),
      ticketId,
      at,
      into: `${mapping.ticketPrefix}${into}`,
    });
  }
  if (events.length > 0) yield { kind: 'events', ticketId, place, events };
  yield* out;
}

function bodyOf(child: Child): string {
  const raw = child.raw;
  // A body longer than carekit takes is refused at validation and reported, never cut.
  return typeof raw.body === 'string' ? raw.body : typeof raw.plain_body === 'string' ? raw.plain_body : '';
}

/** A string value that is not empty, or null. */
function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
