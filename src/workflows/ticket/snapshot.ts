import { z } from 'zod';
import { checkString } from '../../model/arguments.js';
import {
  CarekitArgumentError,
  CarekitError,
  Channel,
  Customer,
  Priority,
  SurveyKind,
  TicketStatus,
} from '../../model/index.js';
import type { WorkflowErrorCode } from '../errors.js';
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

type Check = (value: unknown) => boolean;
const CHANNELS = new Set<string>(Channel.options);
const isInt: Check = (v) => Number.isSafeInteger(v);
const isIntOrNull: Check = (v) => v === null || Number.isSafeInteger(v);
const isString: Check = (v) => typeof v === 'string';
const isStringOrNull: Check = (v) => v === null || typeof v === 'string';
const isCount: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const isStrings: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const oneOf =
  (...values: readonly (string | null)[]): Check =>
  (v) =>
    values.includes(v as string | null);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// The hot path: a desk checks every snapshot it loads, so the common fields are checked by hand
// (a few microseconds; the zod schema above took a quarter of a millisecond per load on this
// machine). The schema then names the problem of a snapshot the check refused.
const CONTEXT_FIELDS: readonly (readonly [string, Check])[] = [
  ['ticketId', (v) => typeof v === 'string' && v.length > 0],
  ['channel', (v) => CHANNELS.has(v as string)],
  ['subject', isString],
  ['language', isStringOrNull],
  ['priority', oneOf(...Priority.options)],
  ['category', isStringOrNull],
  ['tags', isStrings],
  ['origin', oneOf('customer', 'agent', 'system')],
  ['followUpOf', isStringOrNull],
  ['assigneeId', isStringOrNull],
  ['tier', (v) => Number.isSafeInteger(v) && (v as number) >= 1],
  ['queue', isStringOrNull],
  ['openedAt', isInt],
  ['firstReplyAt', isIntOrNull],
  ['firstSolvedAt', isIntOrNull],
  ['solvedAt', isIntOrNull],
  ['solvedBy', oneOf('agent', 'auto', null)],
  ['closedAt', isIntOrNull],
  ['lastCustomerMessageAt', isIntOrNull],
  ['lastAgentReplyAt', isIntOrNull],
  ['statusChangedAt', isInt],
  ['lastEventAt', isInt],
  ['excluded', oneOf('spam', 'merged', null)],
  ['mergedInto', isStringOrNull],
  ['autoSolveAt', isIntOrNull],
  ['autoCloseAt', isIntOrNull],
  ['eventIds', isStrings],
];
const COUNTERS = [
  'agentReplies',
  'botReplies',
  'internalNotes',
  'customerReplies',
  'reopens',
  'escalations',
  'assignments',
];
const STATUSES: readonly string[] = TicketStatus.options;

/** The path of the first problem of a snapshot, or null when it has the layout of carekit's snapshots. */
function problemOf(input: unknown): readonly (string | number)[] | null {
  if (!isObject(input)) return [];
  if (input.schemaVersion !== TICKET_SNAPSHOT_VERSION) return ['schemaVersion'];
  if (!STATUSES.includes(input.status as string)) return ['status'];
  const ctx = input.context;
  if (!isObject(ctx)) return ['context'];
  for (const [key, check] of CONTEXT_FIELDS) if (!check(ctx[key])) return ['context', key];
  const counters = ctx.counters;
  if (!isObject(counters)) return ['context', 'counters'];
  for (const key of COUNTERS) if (!isCount(counters[key])) return ['context', 'counters', key];
  const survey = ctx.survey;
  if (
    !isObject(survey) ||
    !isIntOrNull(survey.dueAt) ||
    !isIntOrNull(survey.requestedAt) ||
    !Array.isArray(survey.kinds)
  )
    return ['context', 'survey'];
  if (!isObject(ctx.slaAlerts) || !Object.values(ctx.slaAlerts).every((v) => typeof v === 'number'))
    return ['context', 'slaAlerts'];
  if (!Array.isArray(ctx.surveys)) return ['context', 'surveys'];
  const customer = ctx.customer;
  if (!isObject(customer) || typeof customer.id !== 'string' || customer.id.length === 0)
    return ['context', 'customer'];
  return null;
}

/**
 * Checks a snapshot read back from a store. Returns it unchanged when it has the layout of
 * this carekit's snapshots; throws a `CarekitError` with code `invalid_snapshot` naming the
 * path of the first problem otherwise (the full {@link TicketSnapshotSchema} then says what is
 * wrong there).
 *
 * @example
 * ```ts
 * parseTicketSnapshot({ schemaVersion: 1, status: 'open', context: { eventIds: 'e1' } });
 * // throws invalid_snapshot: the stored snapshot is damaged at context.ticketId: ...
 * ```
 */
export function parseTicketSnapshot(input: unknown, what: string = 'the stored snapshot'): TicketSnapshot {
  checkString(
    what,
    'parseTicketSnapshot',
    ['what'],
    500,
    'a short description of the snapshot, for messages',
  );
  let problem: readonly (string | number)[] | null;
  let result: ReturnType<typeof TicketSnapshotSchema.safeParse> | null = null;
  try {
    problem = problemOf(input);
    if (problem === null) return input as TicketSnapshot;
    result = TicketSnapshotSchema.safeParse(input);
  } catch (cause) {
    // A Proxy or a getter that throws: nothing carekit stored.
    throw new CarekitArgumentError<WorkflowErrorCode>(
      'unreadable_input',
      [],
      `${what} could not be read (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
  const issue = result.success ? undefined : result.error.issues[0];
  const path = issue?.path ?? problem ?? [];
  throw Object.assign(
    new CarekitError<WorkflowErrorCode>(
      'invalid_snapshot',
      `${what} is damaged at ${path.join('.') || '(root)'}: ${issue?.message ?? 'not what carekit stores'}`,
    ),
    { path },
  );
}
