import { z } from 'zod';
import { badArgument } from '../../model/arguments.js';
import {
  checkErasureRequest,
  describeRetentionWhen,
  holdsMessage,
  personalValuesOf,
  planRedaction,
  redactEventFields,
  redactedMessageOf,
  redactPersonalData,
  retentionMatches,
  retentionRuleId,
} from '../../model/dataProtection.js';
import {
  CarekitError,
  type PersonalDataOptions,
  parseOptions,
  parseRetentionPolicy,
  REDACTED,
  type RetentionAction,
  type RetentionPolicyInput,
  type TicketEvent,
} from '../../model/index.js';
import type { WorkflowErrorCode } from '../errors.js';
import type { TicketSnapshot } from '../ticket/context.js';
import type { BlocklistEntry } from './blocklistEntry.js';
import type { DeskEffect } from './effects.js';

/** A ticket as a store keeps it: the snapshot, its version, and what the desk indexes. */
export interface StoredTicket {
  readonly ticketId: string;
  readonly snapshot: TicketSnapshot;
  /** Starts at 1 when the ticket is created; every successful save adds one. */
  readonly version: number;
  /** Which workflow (SLA policy) the ticket runs under: the desk's key for it. */
  readonly workflowKey: string;
  /** When a `clock.tick` would change the ticket (auto-solve, SLA alerts...), or null. */
  readonly dueAt: number | null;
  readonly customerId: string;
  /** The inbound contact's id in the system it came from, for deduplication. */
  readonly externalId: string | null;
}

/** What a save writes, all at once. */
export interface TicketWrite {
  readonly snapshot: TicketSnapshot;
  readonly workflowKey: string;
  readonly dueAt: number | null;
  readonly customerId: string;
  /**
   * The inbound contact's key (channel-scoped, e.g. `email:<Message-ID>`) the ticket was opened
   * from. Kept from the save that created the ticket; later saves cannot change it. A new ticket
   * whose `externalId` another ticket already holds (as its own or as a message key) is refused
   * `external_id_taken`.
   */
  readonly externalId: string | null;
  /** The events applied since the version the writer loaded, in order. */
  readonly events: readonly TicketEvent[];
  /**
   * The effects the host must perform because of these events (what the desk call returns), each
   * with its unique, stable `id`. The store records them in the same atomic step as the events,
   * each id once: an effect whose id the store already holds (a retried call, a redelivery) is
   * not recorded again. A database store keeps them in an outbox for workers; every store lists
   * them with {@link TicketStore.effects}.
   */
  readonly effects?: readonly DeskEffect[];
  /**
   * Keys of the messages that belong to the ticket (channel-scoped message ids such as
   * `email:<Message-ID>`), indexed in the same atomic step so that
   * {@link TicketStore.findByExternalId} finds the ticket by any of them. A key another ticket
   * already holds stays with that ticket (the first writer wins; the save still succeeds).
   */
  readonly messageKeys?: readonly string[];
  /**
   * When the write gives the ticket's slot to a new holder ({@link holderOf} of the new snapshot
   * differs from the stored one's), the store takes the slot only while that agent holds fewer
   * than `capacity` tickets, in the same atomic step; otherwise the save is refused `agent_full`
   * and nothing is written. Without it the slot is taken whatever the load (a person's own
   * assignment). The previous holder's slot is always given back.
   */
  readonly capacity?: number;
  /**
   * When the write asks the customer for NPS ({@link npsAskedAt} of the new snapshot is later
   * than the customer's stored `npsAskedAt`), the store accepts it only if the last ask is at
   * least `npsEveryMs` earlier; otherwise the save is refused `survey_throttled`.
   */
  readonly npsEveryMs?: number;
}

/**
 * Why a save was refused (nothing was written):
 * - `version_conflict`: the stored version is not the expected one (another writer saved first);
 * - `external_id_taken`: a new ticket's `externalId` is held by another ticket;
 * - `agent_full`: the write gives the ticket to an agent who already holds `capacity` tickets;
 * - `survey_throttled`: the write asks a customer for NPS sooner than `npsEveryMs` after the last ask;
 * - `batch_refused`: the request would have been accepted, but it is part of an atomic batch
 *   ({@link SaveOptions.atomic}) another request of which was refused.
 */
export type SaveRefusal =
  | 'version_conflict'
  | 'external_id_taken'
  | 'agent_full'
  | 'survey_throttled'
  | 'batch_refused';

/** The outcome of a save: the new version, or a refusal with the version found. */
export type SaveResult =
  | { readonly ok: true; readonly version: number }
  | {
      readonly ok: false;
      readonly reason: SaveRefusal;
      readonly version: number;
      /** For `agent_full`: the agent who had no room. */
      readonly agentId?: string;
    };

/** One save of a batch ({@link TicketStore.saveMany}). */
export interface SaveRequest {
  readonly ticketId: string;
  readonly expectedVersion: number;
  readonly write: TicketWrite;
}

/** Options of a save. */
export interface SaveOptions {
  /**
   * The events were built or parsed by the caller already (a desk validates at its boundary): the
   * store checks only what it keys by (ids, keys, storable text), not each event's schema again.
   */
  readonly trusted?: boolean;
  /**
   * For `saveMany`: all or nothing. The batch is decided as one-by-one saves in order would
   * decide it; when every request is accepted, all are written (in one atomic step), and when any
   * is refused, **nothing** of the batch is written: each refused request is answered with its
   * refusal as usual, every other one `batch_refused` with the version stored. For writes that
   * must land together, such as the two tickets of a merge or a link (docs/relations.md). `save`
   * is a batch of one, for which it changes nothing.
   */
  readonly atomic?: boolean;
}

/**
 * An agent as the store counts them: the tickets they hold and the router's memory of its own
 * assignments to them. Shared by every desk over the store, so all workers route on the same loads.
 */
export interface AgentLoad {
  readonly agentId: string;
  /** Tickets whose slot the agent holds (see {@link holderOf}). */
  readonly load: number;
  /** How many times the router assigned the agent (`ticket.assigned` with `by: 'router'`). */
  readonly assigned: number;
  /** The store-wide sequence number of the router's last assignment to the agent (0: never). */
  readonly lastSequence: number;
  /** When the router last assigned the agent (the event's `at`), or null. */
  readonly lastAssignedAt: number | null;
}

/** What the store knows of a customer across their tickets. */
export interface StoredCustomer {
  readonly customerId: string;
  /** The agent the router last gave one of the customer's tickets to (sticky routing), or null. */
  readonly lastAgentId: string | null;
  /** When the customer was last asked for NPS (a snapshot's `survey.requestedAt`), or null. */
  readonly npsAskedAt: number | null;
}

/** A ticket with its whole log, as {@link TicketStore.stream} reads them. */
export interface StoredTicketWithEvents {
  readonly ticket: StoredTicket;
  readonly events: readonly TicketEvent[];
}

/** Options of {@link TicketStore.claimDue}. */
export interface ClaimDueOptions {
  /** Who claims (a worker's id); a claim by another owner that has not expired is skipped. */
  readonly owner: string;
  /** How long the claim holds (ms) unless the ticket is saved first. Default 60 000. */
  readonly leaseMs?: number;
  /** At most this many tickets. Default 1 000. */
  readonly limit?: number;
  /** The wall-clock instant the lease counts from (epoch ms). Default `Date.now()`. */
  readonly clockNow?: number;
}

/** Who asks for an erasure or a redaction, and why: what the audit row keeps. */
export interface ErasureOptions {
  /** Who erased (a person's or a system's id). */
  readonly by: string;
  /** Why (`GDPR art. 17 request #123`): kept in the audit row, so it must not quote the erased data. */
  readonly reason: string;
  /** When (epoch ms). Default `Date.now()`. */
  readonly now?: number;
}

/**
 * One erasure, redaction or retention action, as the store's audit trail keeps it: who, whom,
 * when and why, never the erased data ({@link TicketStore.erasures}).
 */
export interface ErasureRecord {
  /** `erase` (a customer), `redact` (parts of one message), `anonymise` or `delete` (retention). */
  readonly action: 'erase' | 'redact' | RetentionAction;
  /** The customer whose data it was. */
  readonly customerId: string;
  /** The tickets whose stored data changed (or were deleted). */
  readonly ticketIds: readonly string[];
  /** For `redact`: the event whose parts were removed. */
  readonly eventId: string | null;
  /** For `redact`: the names of the parts removed (`body`, `customer.email`), never their values. */
  readonly fields: readonly string[];
  readonly by: string;
  readonly reason: string;
  readonly at: number;
}

/** What {@link TicketStore.eraseCustomer} and {@link TicketStore.redact} did. */
export interface ErasureResult {
  /** The tickets whose stored data changed (their versions went up by one). Empty when nothing was left to erase. */
  readonly ticketIds: readonly string[];
  /** The audit row written. */
  readonly record: ErasureRecord;
}

/** Where {@link TicketStore.applyRetention} stands after a batch. */
export interface RetentionProgress {
  /** The rule being applied (its `id`, or `rule-<n>`). */
  readonly ruleId: string;
  readonly action: RetentionAction;
  /** The tickets this batch anonymised or deleted. */
  readonly ticketIds: readonly string[];
  /** Tickets done by this call so far, every rule counted. */
  readonly done: number;
}

/** Options of {@link TicketStore.applyRetention}. */
export interface RetentionOptions {
  /** Tickets per batch (one transaction each in a database). Default 100. */
  readonly batchSize?: number;
  /** Called after every batch. */
  readonly onProgress?: (progress: RetentionProgress) => void;
  /** Who runs it (a worker's id), for the audit rows. Default `retention`. */
  readonly owner?: string;
}

/** What {@link TicketStore.applyRetention} did. */
export interface RetentionResult {
  readonly anonymised: number;
  readonly deleted: number;
  readonly batches: number;
}

/** Statuses in which a ticket holds its assignee's slot. */
const HOLDING: ReadonlySet<string> = new Set(['new', 'open', 'pending', 'on_hold']);

/**
 * The snapshot helpers below read stored snapshots a store did not necessarily make: anything
 * but an object is refused, and a snapshot whose fields cannot be read (a Proxy, a getter that
 * throws) is refused as `invalid_snapshot` instead of the reader's own error.
 */
function checkSnapshot(fn: string, snapshot: unknown): void {
  if (snapshot === null || typeof snapshot !== 'object')
    badArgument(fn, ['snapshot'], 'a ticket snapshot (an object)', snapshot);
}
function unreadable(fn: string, snapshot: unknown, error: unknown): never {
  if (error instanceof CarekitError) throw error;
  return badArgument(fn, ['snapshot'], 'a readable ticket snapshot', snapshot, 'invalid_snapshot');
}

/**
 * The agent whose slot a ticket holds: its assignee while it is new, open, pending or on hold;
 * null otherwise (solved, closed, merged, or unassigned). A store derives agent loads from it.
 *
 * @example
 * ```ts
 * holderOf(stored.snapshot);
 * //=> 'a1'  (null once the ticket is solved)
 * ```
 */
export function holderOf(snapshot: TicketSnapshot): string | null {
  checkSnapshot('holderOf', snapshot);
  try {
    // A store reads snapshots it did not make (tests, migrations): a missing part holds nothing.
    const holder = HOLDING.has(snapshot.status) ? snapshot.context?.assigneeId : null;
    return typeof holder === 'string' ? holder : null;
  } catch (error) {
    return unreadable('holderOf', snapshot, error);
  }
}

/**
 * Whether a ticket waits for a person: new or open, nobody holds it, in no special queue. A store
 * indexes it for {@link TicketStore.waiting}.
 *
 * @example
 * ```ts
 * needsAgent(stored.snapshot);
 * //=> true  for a new, unassigned ticket outside any queue
 * ```
 */
export function needsAgent(snapshot: TicketSnapshot): boolean {
  checkSnapshot('needsAgent', snapshot);
  try {
    const status = snapshot.status;
    const context = snapshot.context;
    return (
      (status === 'new' || status === 'open') &&
      typeof context === 'object' &&
      context !== null &&
      context.assigneeId === null &&
      context.queue === null
    );
  } catch (error) {
    return unreadable('needsAgent', snapshot, error);
  }
}

/**
 * Since when a ticket that needs a person has waited: its opening while new, else its last change
 * of status. The order of {@link TicketStore.waiting}.
 *
 * @example
 * ```ts
 * waitingSince(stored.snapshot);
 * //=> 1764064800000
 * ```
 */
export function waitingSince(snapshot: TicketSnapshot): number {
  checkSnapshot('waitingSince', snapshot);
  try {
    const since = snapshot.status === 'new' ? snapshot.context?.openedAt : snapshot.context?.statusChangedAt;
    return typeof since === 'number' && Number.isFinite(since) ? since : 0;
  } catch (error) {
    return unreadable('waitingSince', snapshot, error);
  }
}

/**
 * When the snapshot asked its customer for NPS, or null: what a store keeps per customer for the
 * survey throttle.
 *
 * @example
 * ```ts
 * npsAskedAt(stored.snapshot);
 * //=> 1764064800000  (null when the ticket never asked for NPS)
 * ```
 */
export function npsAskedAt(snapshot: TicketSnapshot): number | null {
  checkSnapshot('npsAskedAt', snapshot);
  try {
    const survey = snapshot.context?.survey;
    const at = survey?.requestedAt;
    return typeof at === 'number' &&
      Number.isFinite(at) &&
      Array.isArray(survey?.kinds) &&
      survey.kinds.includes('nps')
      ? at
      : null;
  } catch (error) {
    return unreadable('npsAskedAt', snapshot, error);
  }
}

export type { BlocklistEntry };

/** A record of a blocklist change, kept for audit. */
export interface BlocklistChange extends BlocklistEntry {
  readonly action: 'add' | 'remove';
}

/** A range of instants (epoch ms), `from` included, `to` excluded. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

/**
 * Where a desk keeps its tickets. Every method is async so a database can implement it
 * (`carekit/store-postgres`); {@link createMemoryStore} is the default. The semantics a store
 * must keep (the contract suite `tests/store-postgres/contract.test.ts` holds every store to
 * them):
 *
 * - `save(ticketId, expectedVersion, write)` is **atomic and conditional**: when the stored
 *   version equals `expectedVersion` (0 for a ticket that does not exist yet), it writes the
 *   snapshot, the indexes (`dueAt`, `externalId`, `messageKeys`), appends `write.events` and
 *   records `write.effects` in one step and returns the new version; otherwise it writes nothing
 *   and returns a conflict with the version it found. A new ticket whose `externalId` another
 *   ticket already holds (as its opening key or as a message key) is refused the same way
 *   (`external_id_taken`). Nothing is ever half-written, and a refused save writes nothing: no
 *   event, no effect, no key.
 * - Events are keyed by ticket and event id: an event whose id the ticket's log already holds is
 *   not appended again. Effects are keyed by their `id`: an effect whose id the store already
 *   holds is not recorded again. Message keys are keyed by the key: a key another ticket holds
 *   stays with it (first writer wins, no error).
 * - `findByExternalId(key)` returns the ticket holding `key`, whether it is the ticket's opening
 *   `externalId` or one of its message keys.
 * - `dueTickets(now)` lists the ids of tickets whose `dueAt` is at or before `now` (an index,
 *   not a scan, in a database), earliest first.
 * - `events(range)` yields every stored event in the order it was saved, optionally only those
 *   whose `at` falls in the range; `ticketEvents(id)` one ticket's log in order; `effects()` every
 *   recorded effect in the order saved, each id once.
 * - **Shared decisions.** Each save moves the ticket's slot from the stored snapshot's
 *   {@link holderOf} to the new one's (agent loads, {@link TicketStore.agents}); with
 *   `write.capacity` the new holder's slot is taken only below capacity (else `agent_full`). The
 *   router's own assignments among `write.events` (`ticket.assigned`, `by: 'router'`) count into
 *   the agent's `assigned`, `lastSequence` (a store-wide sequence) and `lastAssignedAt`, and set
 *   the customer's `lastAgentId`; a snapshot asking for NPS sets the customer's `npsAskedAt`
 *   (refused `survey_throttled` inside `write.npsEveryMs` of the last ask). Tickets that
 *   {@link needsAgent} are indexed for `waiting`, by {@link waitingSince}. All in the save's one
 *   atomic step: no two workers can fill one agent's last slot.
 * - `saveMany(requests)` decides each request as one-by-one saves in order would, in one
 *   transaction; a refused request writes nothing and does not stop the others. With
 *   `{ atomic: true }` a refused request stops them all: nothing of the batch is written and the
 *   others are answered `batch_refused`.
 * - `claimDue(now, { owner, leaseMs })` hands each due ticket to one owner at a time until the
 *   lease ends or the ticket is saved.
 * - `stream(range)` yields each ticket with its log, in creation order.
 * - What a caller gets back is its own: mutating a loaded snapshot, event or effect never changes
 *   what the store holds (the memory store hands out frozen objects, a database fresh copies).
 * - The blocklist survives restarts and keeps an audit trail of changes.
 * - **Data protection** (docs/data-protection.md). `eraseCustomer` removes a customer's personal
 *   data from every event, snapshot and effect of their tickets (and the copies of their messages
 *   moved into other tickets) in one atomic step, by redaction in place
 *   (`redactPersonalData`): what is left replays to the same statuses and KPIs. Every changed
 *   ticket's version goes up by one, so a save decided on a copy read before is refused
 *   `version_conflict`. `redact` does the same for named parts of one event. `applyRetention`
 *   anonymises or deletes old tickets by a policy, in batches, safely on several workers and
 *   idempotently. Each writes audit rows ({@link TicketStore.erasures}) without the erased data.
 */
export interface TicketStore {
  load(ticketId: string): Promise<StoredTicket | null>;
  /** Several tickets at once (one query in a database); missing ones are left out. */
  loadMany(ticketIds: readonly string[]): Promise<readonly StoredTicket[]>;
  save(
    ticketId: string,
    expectedVersion: number,
    write: TicketWrite,
    options?: SaveOptions,
  ): Promise<SaveResult>;
  /**
   * Many saves in one atomic step per ticket and one transaction for all (a database's one round
   * of statements). Each request is decided as `save` would decide it one by one, in order (the
   * same ticket twice: the second sees the first's version); the answer has one result per
   * request, in order. A refused request writes nothing of its own and does not stop the others,
   * unless the batch is {@link SaveOptions.atomic}: then nothing of the batch is written.
   */
  saveMany(requests: readonly SaveRequest[], options?: SaveOptions): Promise<readonly SaveResult[]>;
  /** Every agent who ever held a ticket or was assigned by the router: loads and router memory. */
  agents(): Promise<readonly AgentLoad[]>;
  /** What the store knows of a customer (never null: an unknown customer has nulls). */
  customer(customerId: string): Promise<StoredCustomer>;
  /** The tickets whose slot one of the agents holds ({@link holderOf}), in ticket id order. */
  heldBy(agentIds: readonly string[]): Promise<readonly StoredTicket[]>;
  /** Tickets waiting for a person ({@link needsAgent}), longest waiting first, up to `limit`. */
  waiting(limit?: number): Promise<readonly StoredTicket[]>;
  /**
   * Takes the tickets due at or before `now` that no other owner holds a live claim on, earliest
   * first, and holds them for `leaseMs`: workers claiming at once get disjoint sets, and a crashed
   * worker's claims expire. Saving a claimed ticket ends its claim; {@link TicketStore.releaseDue}
   * gives claims back.
   */
  claimDue(now: number, options: ClaimDueOptions): Promise<readonly StoredTicket[]>;
  /** Ends the owner's claims on these tickets. */
  releaseDue(ticketIds: readonly string[], owner: string): Promise<void>;
  /**
   * Tickets with their logs in creation order, page by page (one ordered query per page in a
   * database), optionally only those opened (`snapshot.context.openedAt`) in the range.
   */
  stream(range?: TimeRange): AsyncIterable<StoredTicketWithEvents>;
  /**
   * The ticket holding `key`: its opening `externalId` or one of its `messageKeys`; null when no
   * ticket holds it. (The name is kept from when only the opening contact was indexed.)
   */
  findByExternalId(key: string): Promise<string | null>;
  dueTickets(now: number, limit?: number): Promise<readonly string[]>;
  ticketEvents(ticketId: string): Promise<readonly TicketEvent[]>;
  events(range?: TimeRange): AsyncIterable<TicketEvent>;
  /** Every effect recorded by a save, in the order saved, each `id` once. */
  effects(): AsyncIterable<DeskEffect>;
  /** The ids of every stored ticket, in creation order. */
  ticketIds(): AsyncIterable<string>;
  blocklist: {
    add(entry: BlocklistEntry): Promise<void>;
    remove(customerId: string, change: { by: string; at: number; reason?: string }): Promise<boolean>;
    get(customerId: string): Promise<BlocklistEntry | null>;
    list(): Promise<readonly BlocklistEntry[]>;
    history(): Promise<readonly BlocklistChange[]>;
  };
  /**
   * Erases a customer's personal data (name, email, handle, phone, every message body and
   * subject of their tickets, template output sent to them, survey comments, the `meta` keys and
   * fields the store was told are personal) from every event, snapshot and effect of their
   * tickets, and from copies of their messages moved into other tickets, in one atomic step.
   * Statuses, instants, assignees, SLA clocks, survey scores and ids stay: the KPIs do not change.
   * Idempotent (a second call changes no ticket, and still writes its audit row).
   *
   * @example
   * ```ts
   * const { ticketIds } = await store.eraseCustomer('c-42', { by: 'dpo@shop', reason: 'GDPR request 2026-118' });
   * //=> ['T-1', 'T-9'] (their versions went up by one)
   * (await store.erasures()).at(-1);
   * //=> { action: 'erase', customerId: 'c-42', ticketIds: ['T-1', 'T-9'], by: 'dpo@shop', ... }
   * ```
   */
  eraseCustomer(customerId: string, options: ErasureOptions): Promise<ErasureResult>;
  /**
   * Removes named parts of one stored event (a card number pasted into a chat): `body`,
   * `subject`, `comment`, `customer.<key>`, `meta.<key>`, `fields.<id>`, with the same
   * guarantees as {@link TicketStore.eraseCustomer}: the snapshot and the effects and moved copies
   * of that message follow, the version goes up, an audit row names the parts, not their values.
   *
   * @example
   * ```ts
   * await store.redact('T-1', 'e7', ['body'], { by: 'agent-ana', reason: 'card number pasted in chat' });
   * (await store.ticketEvents('T-1')).find((e) => e.id === 'e7')?.body;
   * //=> '[redacted]'
   * ```
   */
  redact(
    ticketId: string,
    eventId: string,
    fields: readonly string[],
    options: ErasureOptions,
  ): Promise<ErasureResult>;
  /**
   * Applies a retention policy at `now`: each rule in order, in batches of `batchSize` tickets
   * (one atomic step each), anonymising (as {@link TicketStore.eraseCustomer} does, ticket by
   * ticket) or deleting (the ticket, its events, effects and keys; its slot given back) the
   * tickets it matches. Safe on several workers at once (a ticket is taken by one), idempotent (an
   * anonymised ticket is not taken again until it changes), with progress after every batch.
   *
   * @example
   * ```ts
   * await store.applyRetention(
   *   { rules: [
   *     { when: { status: 'closed', olderThan: 'P2Y' }, action: 'anonymise' },
   *     { when: { tag: 'spam', olderThan: 'P30D' }, action: 'delete' },
   *   ] },
   *   Date.now(),
   *   { batchSize: 200, onProgress: (p) => console.log(p.ruleId, p.done) },
   * );
   * //=> { anonymised: 1240, deleted: 87, batches: 9 }
   * ```
   */
  applyRetention(
    policy: RetentionPolicyInput,
    now: number,
    options?: RetentionOptions,
  ): Promise<RetentionResult>;
  /**
   * The audit trail of erasures, redactions and retention actions, oldest first.
   *
   * @example
   * ```ts
   * (await store.erasures()).map((r) => `${r.at} ${r.by} ${r.action} ${r.customerId}: ${r.reason}`);
   * ```
   */
  erasures(): Promise<readonly ErasureRecord[]>;
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** What the host marks personal beyond carekit's own list (meta keys, ticket fields), for erasure. */
  readonly personal?: PersonalDataOptions;
}

const PersonalKeys = z.array(z.string().min(1).max(200)).max(1_000);
const MemoryStoreOptionsSchema = z.strictObject({
  personal: z.strictObject({ meta: PersonalKeys.optional(), fields: PersonalKeys.optional() }).optional(),
});

/** Code-point order, as a database's `COLLATE "C"`. */
const codePointOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Row {
  ticket: StoredTicket;
  events: TicketEvent[];
  /** The ids in `events`: the log's key, as a database's unique (ticket id, event id). */
  ids: Set<string>;
}

/**
 * Refuses, before anything is written, an effect without a usable id and a message key that is
 * not a non-empty string: a store keys effects and messages by them.
 */
function checkKeys(ticketId: string, write: TicketWrite): void {
  (write.effects ?? []).forEach((effect, i) => {
    if (typeof effect?.id !== 'string' || effect.id === '') {
      throw new CarekitError<WorkflowErrorCode>(
        'invalid_effect_id',
        `effect ${i} (${String(effect?.type)}) of ticket ${ticketId} has no id (a non-empty string): a store keeps each effect by its id; nothing was written`,
      );
    }
  });
  (write.messageKeys ?? []).forEach((key, i) => {
    if (typeof key !== 'string' || key === '') {
      throw new CarekitError<WorkflowErrorCode>(
        'invalid_message_key',
        `message key ${i} of ticket ${ticketId} is ${JSON.stringify(key) ?? String(key)}, not a non-empty string; nothing was written`,
      );
    }
  });
}

/**
 * Makes what the memory store keeps its own: plain objects and arrays are copied and frozen. A
 * frozen part is reused as it is: the parts of a loaded snapshot that the desk's next snapshot
 * shares (the customer, the SLA state...) are the store's own already, so a save copies only
 * what changed. (A frozen object a caller made itself is taken as deeply frozen too.)
 */
function own<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = value.slice();
    for (let i = 0; i < copy.length; i++) {
      const item = copy[i];
      if (typeof item === 'object' && item !== null) copy[i] = own(item);
    }
    return Object.freeze(copy) as T;
  }
  const proto = Object.getPrototypeOf(value);
  // Not plain data (a Date, a Map...): a deep copy, frozen at its top only.
  if (proto !== Object.prototype && proto !== null) return Object.freeze(structuredClone(value));
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const item = copy[key];
    if (typeof item === 'object' && item !== null) copy[key] = own(item);
  }
  return Object.freeze(copy) as T;
}

/**
 * The in-memory {@link TicketStore}: the default of `createDesk`, and the reference a database
 * store must behave like. Due times are kept in a heap, so a save costs O(log n) and `dueTickets`
 * costs the number of due tickets, not the number of tickets. What a save writes is copied and
 * frozen (a part the store already holds is reused, not copied), so what `load`, `ticketEvents`
 * and `effects` return cannot be changed by the caller, nor the stored ticket through the
 * objects the caller saved.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * const desk = createDesk({ store });
 * await store.findByExternalId('email:mail-1');
 * //=> null
 * ```
 */
export function createMemoryStore(input: MemoryStoreOptions = {}): TicketStore {
  const options = parseOptions(MemoryStoreOptionsSchema, input, 'createMemoryStore options');
  const personal = (options.personal ?? {}) as PersonalDataOptions;
  const rows = new Map<string, Row>();
  /** Opening external ids and message keys, each to the ticket holding it. */
  const byKey = new Map<string, string>();
  const log: TicketEvent[] = [];
  const recorded: DeskEffect[] = [];
  const effectIds = new Set<string>();
  // Due times: a min-heap of (dueAt, ticketId) with lazy deletion: an entry counts only while it
  // matches `dueOf`. Saving costs O(log n) and listing costs the due entries (plus stale ones),
  // never the whole set; the heap is rebuilt when stale entries outnumber live ones.
  let heap: { at: number; id: string }[] = [];
  const dueOf = new Map<string, number>();
  const earlier = (a: { at: number; id: string }, b: { at: number; id: string }) =>
    a.at < b.at || (a.at === b.at && a.id < b.id);
  const push = (entry: { at: number; id: string }) => {
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i] as { at: number; id: string }, heap[parent] as { at: number; id: string })) break;
      [heap[i], heap[parent]] = [
        heap[parent] as { at: number; id: string },
        heap[i] as { at: number; id: string },
      ];
      i = parent;
    }
  };
  const live = (entry: { at: number; id: string }) => dueOf.get(entry.id) === entry.at;
  const index = (at: number | null, id: string) => {
    if (at === null) dueOf.delete(id);
    else if (dueOf.get(id) !== at) {
      dueOf.set(id, at);
      push({ at, id });
    }
    if (heap.length > 64 && heap.length > 2 * dueOf.size) {
      heap = [];
      for (const [ticketId, dueAt] of dueOf) push({ at: dueAt, id: ticketId });
    }
  };

  const blocked = new Map<string, BlocklistEntry>();
  const history: BlocklistChange[] = [];
  const agentRows = new Map<string, AgentLoad>();
  const customers = new Map<string, StoredCustomer>();
  /** Tickets that need a person, by since when. */
  const waitingSet = new Map<string, number>();
  const claims = new Map<string, { owner: string; until: number }>();
  let sequence = 0;

  const agentRow = (agentId: string): AgentLoad =>
    agentRows.get(agentId) ?? { agentId, load: 0, assigned: 0, lastSequence: 0, lastAssignedAt: null };
  const customerRow = (customerId: string): StoredCustomer =>
    customers.get(customerId) ?? { customerId, lastAgentId: null, npsAskedAt: null };

  const dueTickets = (now: number, limit: number): string[] => {
    // Walk the heap from the top, pruning below entries later than `now`.
    const found: { at: number; id: string }[] = [];
    const seen = new Set<string>();
    const stack = heap.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const entry = heap[i] as { at: number; id: string };
      if (entry.at > now) continue;
      // An id may have two live-looking entries (due, not due, due again at the same instant).
      if (live(entry) && !seen.has(entry.id)) {
        seen.add(entry.id);
        found.push(entry);
      }
      for (const child of [2 * i + 1, 2 * i + 2]) if (child < heap.length) stack.push(child);
    }
    found.sort((a, b) => (earlier(a, b) ? -1 : 1));
    return found.slice(0, Math.min(found.length, limit)).map((entry) => entry.id);
  };

  /** One save, decided and applied in one synchronous step (all of it, or nothing). */
  const saveOne = (ticketId: string, expectedVersion: number, write: TicketWrite): SaveResult => {
    checkKeys(ticketId, write);
    const row = rows.get(ticketId);
    const current = row?.ticket.version ?? 0;
    if (current !== expectedVersion) return { ok: false, reason: 'version_conflict', version: current };
    if (!row && write.externalId !== null && byKey.has(write.externalId)) {
      return { ok: false, reason: 'external_id_taken', version: 0 };
    }
    const was = row ? holderOf(row.ticket.snapshot) : null;
    const holder = holderOf(write.snapshot);
    if (holder !== null && holder !== was && write.capacity !== undefined) {
      if (agentRow(holder).load >= write.capacity) {
        return { ok: false, reason: 'agent_full', version: current, agentId: holder };
      }
    }
    const customerId = write.customerId;
    const asked = npsAskedAt(write.snapshot);
    const lastAsked = customerRow(customerId).npsAskedAt;
    const newAsk = asked !== null && (lastAsked === null || asked > lastAsked);
    if (
      newAsk &&
      lastAsked !== null &&
      write.npsEveryMs !== undefined &&
      asked - lastAsked < write.npsEveryMs
    ) {
      return { ok: false, reason: 'survey_throttled', version: current };
    }
    // Copy everything before changing anything: a copy that throws (a value structuredClone
    // cannot copy) leaves the store as it was.
    const snapshot = own(write.snapshot);
    const events = write.events.map(own);
    const effects = (write.effects ?? []).map(own);
    const ticket: StoredTicket = Object.freeze({
      ticketId,
      snapshot,
      version: current + 1,
      workflowKey: write.workflowKey,
      dueAt: write.dueAt,
      customerId: write.customerId,
      externalId: row?.ticket.externalId ?? write.externalId,
    });
    index(ticket.dueAt, ticketId);
    claims.delete(ticketId);
    if (!row && ticket.externalId !== null) byKey.set(ticket.externalId, ticketId);
    for (const key of write.messageKeys ?? []) if (!byKey.has(key)) byKey.set(key, ticketId);
    const ticketLog = row?.events ?? [];
    const ids = row?.ids ?? new Set<string>();
    let customer = customerRow(customerId);
    for (const event of events) {
      if (ids.has(event.id)) continue;
      ids.add(event.id);
      ticketLog.push(event);
      log.push(event);
      if (event.type === 'ticket.assigned' && event.by === 'router' && event.agentId !== null) {
        const agent = agentRow(event.agentId);
        agentRows.set(event.agentId, {
          ...agent,
          assigned: agent.assigned + 1,
          lastSequence: ++sequence,
          lastAssignedAt: event.at,
        });
        customer = { ...customer, lastAgentId: event.agentId };
      }
    }
    if (newAsk) customer = { ...customer, npsAskedAt: asked };
    if (customer !== customerRow(customerId)) customers.set(customerId, Object.freeze(customer));
    if (was !== holder) {
      if (was !== null) agentRows.set(was, { ...agentRow(was), load: agentRow(was).load - 1 });
      if (holder !== null) agentRows.set(holder, { ...agentRow(holder), load: agentRow(holder).load + 1 });
    }
    if (needsAgent(snapshot)) waitingSet.set(ticketId, waitingSince(snapshot));
    else waitingSet.delete(ticketId);
    for (const effect of effects) {
      if (effectIds.has(effect.id)) continue;
      effectIds.add(effect.id);
      recorded.push(effect);
    }
    rows.set(ticketId, { ticket, events: ticketLog, ids });
    return { ok: true, version: ticket.version };
  };

  /**
   * What saves of these requests can change, taken before them: calling the answer puts it all
   * back (an atomic batch with a refused request leaves the store as it was).
   */
  const undoPoint = (requests: readonly SaveRequest[]): (() => void) => {
    const ids = [...new Set(requests.map((r) => r.ticketId))];
    const before = ids.map((id) => {
      const row = rows.get(id);
      return {
        id,
        row: row ? { ...row } : undefined,
        events: row ? row.events.length : 0,
        eventIds: row ? new Set(row.ids) : undefined,
        due: dueOf.get(id) ?? null,
        claim: claims.get(id),
        waiting: waitingSet.get(id),
      };
    });
    const keys = requests.flatMap((r) => [
      ...(r.write.externalId !== null ? [r.write.externalId] : []),
      ...(r.write.messageKeys ?? []),
    ]);
    const newKeys = keys.filter((key) => !byKey.has(key));
    const customerIds = [...new Set(requests.map((r) => r.write.customerId))];
    const customersBefore = customerIds.map((id) => [id, customers.get(id)] as const);
    const agentsBefore = new Map(agentRows);
    const logLength = log.length;
    const recordedLength = recorded.length;
    const sequenceBefore = sequence;
    return () => {
      for (const b of before) {
        if (b.row === undefined) rows.delete(b.id);
        else {
          b.row.events.length = b.events;
          b.row.ids.clear();
          for (const eventId of b.eventIds ?? []) b.row.ids.add(eventId);
          rows.set(b.id, b.row);
        }
        index(b.due, b.id);
        if (b.claim === undefined) claims.delete(b.id);
        else claims.set(b.id, b.claim);
        if (b.waiting === undefined) waitingSet.delete(b.id);
        else waitingSet.set(b.id, b.waiting);
      }
      for (const key of newKeys) byKey.delete(key);
      for (const [id, customer] of customersBefore) {
        if (customer === undefined) customers.delete(id);
        else customers.set(id, customer);
      }
      agentRows.clear();
      for (const [id, agent] of agentsBefore) agentRows.set(id, agent);
      log.length = logLength;
      for (const effect of recorded.splice(recordedLength)) effectIds.delete(effect.id);
      sequence = sequenceBefore;
    };
  };

  const erasures: ErasureRecord[] = [];
  /** The version at which each anonymised ticket was left: retention takes it again once it changes. */
  const anonymised = new Map<string, number>();
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  /** Replaces events of the log in place (the ticket's and the store-wide log), keeping their order. */
  const replaceEvents = (row: Row, next: readonly TicketEvent[]) => {
    const byOld = new Map<TicketEvent, TicketEvent>();
    row.events.forEach((event, i) => {
      const replacement = next[i] as TicketEvent;
      if (replacement !== event) byOld.set(event, replacement);
    });
    if (byOld.size === 0) return;
    row.events.splice(0, row.events.length, ...next);
    for (let i = 0; i < log.length; i++) {
      const replacement = byOld.get(log[i] as TicketEvent);
      if (replacement !== undefined) log[i] = replacement;
    }
  };
  /** Stores a changed snapshot with the version one up: a save decided on the old copy is refused. */
  const bump = (row: Row, snapshot: TicketSnapshot) => {
    row.ticket = Object.freeze({ ...row.ticket, snapshot: own(snapshot), version: row.ticket.version + 1 });
  };

  /**
   * Redacts the tickets' own data (events, snapshots, effects) and the copies of their messages in
   * other tickets; returns the tickets that changed. Synchronous: one atomic step.
   */
  const eraseTickets = (ids: ReadonlySet<string>): string[] => {
    const changed = new Set<string>();
    // The customer's name, email, handle and phone, also scrubbed from the free text that is kept.
    const values = personalValuesOf(
      [...ids].flatMap((id) => {
        const row = rows.get(id);
        return row ? [row.ticket.snapshot, ...row.events.filter((e) => e.type === 'ticket.opened')] : [];
      }),
    );
    for (const [ticketId, row] of rows) {
      const mine = ids.has(ticketId);
      const events = row.events.map((event) => {
        let next: TicketEvent = event;
        if (mine) next = redactPersonalData(event, 'event', personal, values);
        else if (event.type === 'message.moved' && ids.has(event.message.ticketId)) {
          next = redactEventFields(event, ['body']);
        } else if (
          event.type === 'ticket.opened' &&
          event.splitFrom &&
          ids.has(event.splitFrom.message.ticketId)
        ) {
          next = redactEventFields(event, ['body']);
        }
        return same(next, event) ? event : own(next);
      });
      const snapshot = mine
        ? redactPersonalData(row.ticket.snapshot, 'snapshot', personal, values)
        : row.ticket.snapshot;
      const eventsChanged = events.some((event, i) => event !== row.events[i]);
      const snapshotChanged = !same(snapshot, row.ticket.snapshot);
      if (!eventsChanged && !snapshotChanged) continue;
      replaceEvents(row, events);
      bump(row, snapshotChanged ? snapshot : row.ticket.snapshot);
      changed.add(ticketId);
    }
    for (let i = 0; i < recorded.length; i++) {
      const effect = recorded[i] as DeskEffect;
      if (!ids.has(effect.ticketId)) continue;
      const next = redactPersonalData(effect, 'effect', personal, values);
      if (!same(next, effect)) {
        recorded[i] = own(next);
        changed.add(effect.ticketId);
      }
    }
    for (const id of ids) {
      const row = rows.get(id);
      if (row) anonymised.set(id, row.ticket.version);
    }
    return [...changed].sort(codePointOrder);
  };

  /** Removes a ticket and everything stored of it; its slot is given back. */
  const deleteTicket = (ticketId: string) => {
    const row = rows.get(ticketId);
    if (!row) return;
    const holder = holderOf(row.ticket.snapshot);
    if (holder !== null) agentRows.set(holder, { ...agentRow(holder), load: agentRow(holder).load - 1 });
    rows.delete(ticketId);
    const gone = new Set(row.events);
    for (let i = log.length - 1; i >= 0; i--) if (gone.has(log[i] as TicketEvent)) log.splice(i, 1);
    for (let i = recorded.length - 1; i >= 0; i--) {
      const effect = recorded[i] as DeskEffect;
      if (effect.ticketId !== ticketId) continue;
      effectIds.delete(effect.id);
      recorded.splice(i, 1);
    }
    for (const [key, holderId] of byKey) if (holderId === ticketId) byKey.delete(key);
    index(null, ticketId);
    waitingSet.delete(ticketId);
    claims.delete(ticketId);
    anonymised.delete(ticketId);
  };

  const record = (entry: ErasureRecord): ErasureRecord => {
    const frozen = Object.freeze({
      ...entry,
      ticketIds: Object.freeze([...entry.ticketIds]),
      fields: Object.freeze([...entry.fields]),
    });
    erasures.push(frozen);
    return frozen;
  };

  return {
    async load(ticketId) {
      return rows.get(ticketId)?.ticket ?? null;
    },
    async loadMany(ticketIds) {
      return ticketIds.flatMap((id) => {
        const ticket = rows.get(id)?.ticket;
        return ticket ? [ticket] : [];
      });
    },
    async save(ticketId, expectedVersion, write) {
      return saveOne(ticketId, expectedVersion, write);
    },
    async saveMany(requests, saveOptions = {}) {
      // Every request is checked before any is applied: a malformed one throws, and nothing is written.
      for (const request of requests) checkKeys(request.ticketId, request.write);
      if (saveOptions.atomic !== true)
        return requests.map((r) => saveOne(r.ticketId, r.expectedVersion, r.write));
      // All or nothing: the saves are applied one by one, and undone when one is refused or throws.
      const undo = undoPoint(requests);
      let results: SaveResult[];
      try {
        results = requests.map((r) => saveOne(r.ticketId, r.expectedVersion, r.write));
      } catch (error) {
        undo();
        throw error;
      }
      if (results.every((r) => r.ok)) return results;
      undo();
      return results.map((r, i) =>
        r.ok
          ? {
              ok: false,
              reason: 'batch_refused',
              version: rows.get((requests[i] as SaveRequest).ticketId)?.ticket.version ?? 0,
            }
          : r,
      );
    },
    async agents() {
      return [...agentRows.values()].map((agent) => Object.freeze({ ...agent }));
    },
    async customer(customerId) {
      return customerRow(customerId);
    },
    async heldBy(agentIds) {
      const wanted = new Set(agentIds);
      return [...rows.values()]
        .filter((row) => {
          const holder = holderOf(row.ticket.snapshot);
          return holder !== null && wanted.has(holder);
        })
        .map((row) => row.ticket)
        .sort((a, b) => codePointOrder(a.ticketId, b.ticketId));
    },
    async waiting(limit = Number.POSITIVE_INFINITY) {
      return [...waitingSet]
        .sort((a, b) => a[1] - b[1] || codePointOrder(a[0], b[0]))
        .slice(0, Math.max(0, limit))
        .map(([id]) => (rows.get(id) as Row).ticket);
    },
    async claimDue(now, options) {
      const clockNow = options.clockNow ?? Date.now();
      const leaseMs = options.leaseMs ?? 60_000;
      const found: StoredTicket[] = [];
      for (const id of dueTickets(now, Number.POSITIVE_INFINITY)) {
        if (found.length >= (options.limit ?? 1000)) break;
        const claim = claims.get(id);
        if (claim !== undefined && claim.owner !== options.owner && claim.until > clockNow) continue;
        claims.set(id, { owner: options.owner, until: clockNow + leaseMs });
        found.push((rows.get(id) as Row).ticket);
      }
      return found;
    },
    async releaseDue(ticketIds, owner) {
      for (const id of ticketIds) if (claims.get(id)?.owner === owner) claims.delete(id);
    },
    async *stream(range = {}) {
      const from = range.from ?? Number.NEGATIVE_INFINITY;
      const to = range.to ?? Number.POSITIVE_INFINITY;
      for (const row of [...rows.values()]) {
        const openedAt = row.ticket.snapshot.context?.openedAt ?? 0;
        if (openedAt >= from && openedAt < to) yield { ticket: row.ticket, events: [...row.events] };
      }
    },
    async findByExternalId(key) {
      return byKey.get(key) ?? null;
    },
    async dueTickets(now, limit = Number.POSITIVE_INFINITY) {
      return dueTickets(now, limit);
    },
    async ticketEvents(ticketId) {
      return [...(rows.get(ticketId)?.events ?? [])];
    },
    async *events(range = {}) {
      const from = range.from ?? Number.NEGATIVE_INFINITY;
      const to = range.to ?? Number.POSITIVE_INFINITY;
      for (const event of [...log]) if (event.at >= from && event.at < to) yield event;
    },
    async *effects() {
      for (const effect of [...recorded]) yield effect;
    },
    async *ticketIds() {
      for (const id of [...rows.keys()]) yield id;
    },
    async eraseCustomer(customerId, request) {
      const at = checkErasureRequest(`eraseCustomer(${JSON.stringify(customerId)})`, request);
      if (typeof customerId !== 'string' || customerId === '') {
        throw new CarekitError<WorkflowErrorCode>(
          'invalid_erasure_request',
          'eraseCustomer needs a customer id (a non-empty string); nothing was erased',
        );
      }
      const ids = new Set(
        [...rows.values()]
          .filter((row) => row.ticket.customerId === customerId)
          .map((row) => row.ticket.ticketId),
      );
      const ticketIds = eraseTickets(ids);
      return {
        ticketIds,
        record: record({
          action: 'erase',
          customerId,
          ticketIds,
          eventId: null,
          fields: [],
          by: request.by,
          reason: request.reason,
          at,
        }),
      };
    },
    async redact(ticketId, eventId, fields, request) {
      const at = checkErasureRequest(
        `redact(${JSON.stringify(ticketId)}, ${JSON.stringify(eventId)})`,
        request,
      );
      const row = rows.get(ticketId);
      const position = row?.events.findIndex((event) => event.id === eventId) ?? -1;
      if (!row || position < 0) {
        throw new CarekitError<WorkflowErrorCode>(
          'unknown_event',
          `ticket ${ticketId} has no stored event ${eventId} to redact; nothing was changed`,
        );
      }
      if (!Array.isArray(fields) || fields.length === 0) {
        throw new CarekitError<WorkflowErrorCode>(
          'unredactable_field',
          `redact needs the parts to remove (like ['body']); nothing was changed`,
        );
      }
      const plan = planRedaction(row.events, position, fields, row.ticket.snapshot);
      // The message the body belongs to: a follow-up's opening is the message it was opened from.
      const redacted = row.events[position] as TicketEvent;
      const ref = redactedMessageOf(redacted);
      const body = 'body' in redacted && typeof redacted.body === 'string' ? redacted.body : undefined;
      const changed = new Set<string>();
      // Everything is computed before anything is changed: a refused part leaves the store as it was.
      const copies: { row: Row; events: TicketEvent[] }[] = [];
      const text = fields.filter((field) => field === 'body');
      for (const other of rows.values()) {
        const events = other.events.map((event) => {
          if (other === row && event.id === eventId) return same(plan.event, event) ? event : own(plan.event);
          if (!holdsMessage(event, ref, body) || text.length === 0) return event;
          const next = redactEventFields(event, text);
          return same(next, event) ? event : own(next);
        });
        if (events.some((event, i) => event !== other.events[i])) copies.push({ row: other, events });
      }
      for (const copy of copies) {
        replaceEvents(copy.row, copy.events);
        if (copy.row !== row) bump(copy.row, copy.row.ticket.snapshot);
        changed.add(copy.row.ticket.ticketId);
      }
      if (!same(plan.snapshot, row.ticket.snapshot) || changed.has(ticketId)) {
        bump(row, plan.snapshot);
        changed.add(ticketId);
      }
      for (let i = 0; i < recorded.length; i++) {
        const effect = recorded[i] as DeskEffect;
        if (effect.ticketId !== ref.ticketId || effect.causedBy !== ref.eventId || text.length === 0)
          continue;
        if (effect.type === 'open_follow_up' && effect.body !== '' && effect.body !== REDACTED) {
          recorded[i] = own({ ...effect, body: REDACTED });
          changed.add(effect.ticketId);
        }
      }
      const ticketIds = [...changed].sort(codePointOrder);
      return {
        ticketIds,
        record: record({
          action: 'redact',
          customerId: row.ticket.customerId,
          ticketIds,
          eventId,
          fields: [...fields],
          by: request.by,
          reason: request.reason,
          at,
        }),
      };
    },
    async applyRetention(input, now, retention = {}) {
      const policy = parseRetentionPolicy(input);
      const size = Math.max(1, Math.floor(retention.batchSize ?? 100));
      const by = retention.owner ?? 'retention';
      let anonymisedCount = 0;
      let deleted = 0;
      let batches = 0;
      for (const [i, rule] of policy.rules.entries()) {
        const ruleId = retentionRuleId(rule, i);
        for (;;) {
          // One batch is one synchronous step: workers calling at once never take a ticket twice.
          // In ticket id order, as a database takes them.
          const batch = [...rows.values()]
            .filter(
              (row) =>
                !(
                  rule.action === 'anonymise' && anonymised.get(row.ticket.ticketId) === row.ticket.version
                ) && retentionMatches(rule, row.ticket.snapshot, now),
            )
            .sort((a, b) => codePointOrder(a.ticket.ticketId, b.ticket.ticketId))
            .slice(0, size);
          if (batch.length === 0) break;
          const ticketIds = batch.map((row) => row.ticket.ticketId);
          for (const row of batch) {
            const id = row.ticket.ticketId;
            const reason = `retention rule ${ruleId}: ${rule.action} ${describeRetentionWhen(rule.when)}`;
            if (rule.action === 'delete') {
              deleteTicket(id);
              deleted++;
            } else {
              eraseTickets(new Set([id]));
              anonymisedCount++;
            }
            record({
              action: rule.action,
              customerId: row.ticket.customerId,
              ticketIds: [id],
              eventId: null,
              fields: [],
              by,
              reason,
              at: now,
            });
          }
          batches++;
          retention.onProgress?.({ ruleId, action: rule.action, ticketIds, done: anonymisedCount + deleted });
          // Let other calls in between batches, as a database's separate transactions would.
          await Promise.resolve();
        }
      }
      return { anonymised: anonymisedCount, deleted, batches };
    },
    async erasures() {
      return [...erasures];
    },
    blocklist: {
      async add(entry) {
        blocked.set(entry.customerId, entry);
        history.push({ ...entry, action: 'add' });
      },
      async remove(customerId, change) {
        if (!blocked.delete(customerId)) return false;
        history.push({
          customerId,
          reason: change.reason ?? '',
          by: change.by,
          at: change.at,
          action: 'remove',
        });
        return true;
      },
      async get(customerId) {
        return blocked.get(customerId) ?? null;
      },
      async list() {
        return [...blocked.values()];
      },
      async history() {
        return [...history];
      },
    },
  };
}
