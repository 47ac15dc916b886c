import { z } from 'zod';
import { CarekitError, Channel, Customer, Priority, SurveyKind, TicketStatus } from '../../model/index.js';
import { TICKET_SNAPSHOT_VERSION, type TicketSnapshot } from './context.js';

const Ms = z.number().int();
const NullableMs = Ms.nullable();
const Count = z.number().int().min(0);

/**
 * The layout of a stored ticket snapshot, checked when a desk reads one back: a snapshot edited
 * by hand or damaged in a database is refused with `invalid_snapshot` and the path of the first
 * problem, instead of being trusted (an `eventIds` string would make unrelated events look like
 * duplicates). The SLA engine's state is the engine's to check.
 */
export const TicketSnapshotSchema = z.object({
  schemaVersion: z.literal(TICKET_SNAPSHOT_VERSION),
  status: TicketStatus,
  context: z.object({
    ticketId: z.string().min(1),
    channel: Channel,
    subject: z.string(),
    customer: Customer,
    language: z.string().nullable(),
    priority: Priority,
    category: z.string().nullable(),
    tags: z.array(z.string()),
    origin: z.enum(['customer', 'agent', 'system']),
    followUpOf: z.string().nullable(),
    assigneeId: z.string().nullable(),
    tier: z.number().int().min(1),
    queue: z.string().nullable(),
    counters: z.object({
      agentReplies: Count,
      botReplies: Count,
      internalNotes: Count,
      customerReplies: Count,
      reopens: Count,
      escalations: Count,
      assignments: Count,
    }),
    openedAt: Ms,
    firstReplyAt: NullableMs,
    firstSolvedAt: NullableMs,
    solvedAt: NullableMs,
    solvedBy: z.enum(['agent', 'auto']).nullable(),
    closedAt: NullableMs,
    lastCustomerMessageAt: NullableMs,
    lastAgentReplyAt: NullableMs,
    statusChangedAt: Ms,
    lastEventAt: Ms,
    excluded: z.enum(['spam', 'merged']).nullable(),
    mergedInto: z.string().nullable(),
    autoSolveAt: NullableMs,
    autoCloseAt: NullableMs,
    surveys: z.array(
      z.object({ survey: SurveyKind, score: z.number(), at: Ms, comment: z.string().optional() }),
    ),
    survey: z.object({
      status: z.enum(['none', 'scheduled', 'requested', 'reminded', 'answered', 'expired', 'skipped']),
      dueAt: NullableMs,
      kinds: z.array(SurveyKind),
      requestedAt: NullableMs,
      skipped: z.enum(['auto_solved', 'agent_created', 'spam', 'merged']).nullable(),
    }),
    sla: z.unknown(),
    slaAlerts: z.record(z.string(), z.number()),
    eventIds: z.array(z.string()),
  }),
});

/**
 * Checks a snapshot read back from a store. Returns it unchanged when it has the layout of
 * this carekit's snapshots; throws a `CarekitError` with code `invalid_snapshot` naming the
 * path of the first problem otherwise.
 *
 * @example
 * ```ts
 * parseTicketSnapshot({ schemaVersion: 1, status: 'open', context: { eventIds: 'e1' } });
 * // throws invalid_snapshot: the stored snapshot is damaged at context.ticketId: ...
 * ```
 */
export function parseTicketSnapshot(input: unknown, what = 'the stored snapshot'): TicketSnapshot {
  const result = TicketSnapshotSchema.safeParse(input);
  if (result.success) return input as TicketSnapshot;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') || '(root)';
  throw Object.assign(
    new CarekitError('invalid_snapshot', `${what} is damaged at ${path}: ${issue?.message ?? 'invalid'}`),
    { path: issue?.path ?? [] },
  );
}
