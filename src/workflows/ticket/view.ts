import type { Channel, FieldValue, Priority, TicketStatus } from '../../model/index.js';
import type { RecordedSurvey, SideConversation, TicketCounters, TicketSnapshot } from './context.js';
import type { SlaAdapter, SlaReading } from './slaAdapter.js';

/** A ticket as plain JSON for a UI, an API or a report. Instants are epoch ms. */
export interface TicketView {
  readonly ticketId: string;
  readonly status: TicketStatus;
  /** The desk's custom status (its category is `status`), or null. */
  readonly customStatus: string | null;
  readonly channel: Channel;
  readonly subject: string;
  readonly customerId: string;
  readonly segment: string | null;
  readonly language: string | null;
  readonly priority: Priority;
  readonly category: string | null;
  readonly tags: readonly string[];
  readonly assigneeId: string | null;
  readonly tier: number;
  readonly queue: string | null;
  readonly counters: Readonly<TicketCounters>;
  readonly openedAt: number;
  readonly firstReplyAt: number | null;
  readonly firstSolvedAt: number | null;
  readonly solvedAt: number | null;
  readonly solvedBy: 'agent' | 'auto' | null;
  readonly closedAt: number | null;
  readonly lastEventAt: number;
  readonly excluded: 'spam' | 'merged' | null;
  readonly mergedInto: string | null;
  readonly followUpOf: string | null;
  /** The tickets merged into this one. */
  readonly mergedFrom: readonly string[];
  /** The ticket this one was split from, and the tickets split off it. */
  readonly splitFrom: string | null;
  readonly splitInto: readonly string[];
  /** The parent ticket, the child tickets with their state, and the open ones (sorted). */
  readonly parentId: string | null;
  readonly children: Readonly<Record<string, 'open' | 'done'>>;
  readonly openChildren: readonly string[];
  /** Side conversations by id (internal: never shown to the customer). */
  readonly sides: Readonly<Record<string, Readonly<SideConversation>>>;
  readonly surveys: readonly RecordedSurvey[];
  /** SLA clocks read at the `now` given to `view`, or null without an SLA policy. */
  readonly sla: SlaReading | null;
  /** The ticket fields' values (see `defineFields`). */
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly eventCount: number;
}

export function viewOf(snapshot: TicketSnapshot, now: number, sla: SlaAdapter | null): TicketView {
  const c = snapshot.context;
  return {
    ticketId: c.ticketId,
    status: snapshot.status,
    customStatus: c.customStatus ?? null,
    channel: c.channel,
    subject: c.subject,
    customerId: c.customer.id,
    segment: c.customer.segment ?? null,
    language: c.language,
    priority: c.priority,
    category: c.category,
    tags: [...c.tags],
    assigneeId: c.assigneeId,
    tier: c.tier,
    queue: c.queue,
    counters: { ...c.counters },
    openedAt: c.openedAt,
    firstReplyAt: c.firstReplyAt,
    firstSolvedAt: c.firstSolvedAt,
    solvedAt: c.solvedAt,
    solvedBy: c.solvedBy,
    closedAt: c.closedAt,
    lastEventAt: c.lastEventAt,
    excluded: c.excluded,
    mergedInto: c.mergedInto,
    followUpOf: c.followUpOf,
    mergedFrom: [...(c.mergedFrom ?? [])],
    splitFrom: c.splitFrom ?? null,
    splitInto: [...(c.splitInto ?? [])],
    parentId: c.parentId ?? null,
    children: { ...c.children },
    openChildren: Object.keys(c.children ?? {})
      .filter((id) => c.children[id] === 'open')
      .sort(),
    sides: Object.fromEntries(
      Object.entries(c.sides ?? {}).map(([id, side]) => [
        id,
        { ...side, participants: [...side.participants], breaches: [...side.breaches] },
      ]),
    ),
    surveys: c.surveys.map((s) => ({ ...s })),
    sla: sla === null || c.sla === null ? null : sla.read(c.sla, now),
    fields: { ...c.fields },
    eventCount: c.eventIds.length,
  };
}
