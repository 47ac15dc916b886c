import {
  CarekitError,
  safeParseTicketEvent,
  type TicketEvent,
  type TicketEventInput,
  type TicketEventOf,
} from '../model/index.js';
import type {
  SaveRequest,
  StoredTicket,
  TicketSnapshot,
  TicketStore,
  TicketWorkflow,
} from '../workflows/index.js';
import type { ImportErrorCode } from './errors.js';
import type { ImportLifecycle } from './importLifecycle.js';
import type { ImportEvent, ImportItem, ImportProblem, RecordPlace } from './items.js';

/** Options of {@link importTickets}. */
export interface ImportTicketsOptions {
  /** The lifecycle history is applied with ({@link createImportLifecycle}). */
  readonly lifecycle: ImportLifecycle;
  /** How many items are gathered before one `saveMany`. Default 500. */
  readonly batchSize?: number;
  /** Called for every record (or part) not imported, as it is found. */
  readonly onProblem?: (problem: ImportProblem) => void;
  /** Called after every batch with the totals so far. */
  readonly onProgress?: (progress: ImportSummary) => void;
}

/** What an import did. Every record read is in exactly one of these counts. */
export interface ImportSummary {
  /** Items read from the export (updates, tickets, metrics, problems, ignored parts). */
  readonly items: number;
  /** Tickets the import created. */
  readonly created: number;
  /** Tickets the import added events to that existed before this batch. */
  readonly updated: number;
  /** Events written. */
  readonly events: number;
  /** Events skipped because the store held them already (a re-import, a resumed import). */
  readonly duplicates: number;
  /** Records or parts not imported, by code (each was passed to `onProblem`). */
  readonly problems: Readonly<Record<string, number>>;
  /** The source's own effects left out by design (notifications...), by kind. */
  readonly ignored: Readonly<Record<string, number>>;
  /** Ticket metrics records seen (compare them with {@link compareMetrics}). */
  readonly metrics: number;
  /** Users and organizations read (they name the customers and agents, see {@link readZendesk}). */
  readonly people: number;
  /** The last line read. */
  readonly line: number;
}

interface Pending {
  readonly events: { readonly event: ImportEvent; readonly place: RecordPlace }[];
}

const MAX_ATTEMPTS = 5;

/**
 * Writes what a reader made of an export into a store, in batches (one `saveMany` per batch), with
 * effects suppressed: every save carries the events and the snapshot they lead to and no effect,
 * so nothing is acknowledged, surveyed or routed, and no rule fires. Events are keyed by the
 * source's ids: a ticket's snapshot knows every event id applied to it, so running the same import
 * again (after a crash, or on an export that overlaps the last) applies nothing twice, and a
 * crashed import resumes by being run again. A ticket's events are applied in the export's order
 * under the desk's time rule (an event stamped before the ticket's last one is applied at that
 * instant, its own time kept in `sentAt`). An event carekit refuses (its shape, or the lifecycle:
 * a reply to a closed ticket) is reported with its record's line, and the rest goes on.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * const mapping = parseImportMapping('zendesk');
 * const summary = await importTickets(store, readZendesk(readJsonRecords(chunks), mapping), {
 *   lifecycle: createImportLifecycle(deskConfig),
 *   onProblem: (p) => console.error(`line ${p.line}: ${p.message}`),
 * });
 * [summary.created, summary.events, summary.problems];
 * //=> [300, 4112, { unmapped_group: 12 }]
 * ```
 */
export async function importTickets(
  store: TicketStore,
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  options: ImportTicketsOptions,
): Promise<ImportSummary> {
  if (typeof store?.saveMany !== 'function' || typeof store?.loadMany !== 'function') {
    throw new CarekitError<ImportErrorCode>(
      'invalid_store',
      'importTickets needs a TicketStore (createMemoryStore, createPostgresStore)',
    );
  }
  const lifecycle = options.lifecycle;
  if (typeof lifecycle?.select !== 'function') {
    throw new CarekitError<ImportErrorCode>(
      'invalid_lifecycle',
      'importTickets needs `lifecycle` from createImportLifecycle(deskConfig)',
    );
  }
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
  const totals = {
    items: 0,
    created: 0,
    updated: 0,
    events: 0,
    duplicates: 0,
    problems: {} as Record<string, number>,
    ignored: {} as Record<string, number>,
    metrics: 0,
    people: 0,
    line: 0,
  };
  const report = (p: ImportProblem) => {
    totals.problems[p.code] = (totals.problems[p.code] ?? 0) + 1;
    options.onProblem?.(p);
  };
  let batch = new Map<string, Pending>();
  let gathered = 0;

  const flush = async () => {
    if (batch.size === 0) return;
    const current = batch;
    batch = new Map();
    gathered = 0;
    await writeBatch(store, lifecycle, current, totals, report);
    options.onProgress?.(snapshotOf(totals));
  };

  for await (const item of items as AsyncIterable<ImportItem>) {
    totals.items++;
    if (item.kind === 'problem') {
      totals.line = Math.max(totals.line, item.problem.line);
      report(item.problem);
      continue;
    }
    totals.line = Math.max(totals.line, item.place.line);
    if (item.kind === 'ignored') {
      totals.ignored[item.what] = (totals.ignored[item.what] ?? 0) + 1;
      continue;
    }
    if (item.kind === 'metrics') {
      totals.metrics++;
      continue;
    }
    if (item.kind === 'person') {
      totals.people++;
      continue;
    }
    let pending = batch.get(item.ticketId);
    if (pending === undefined) {
      pending = { events: [] };
      batch.set(item.ticketId, pending);
    }
    for (const event of item.events) pending.events.push({ event, place: item.place });
    if (++gathered >= batchSize) await flush();
  }
  await flush();
  return snapshotOf(totals);
}

function snapshotOf(totals: ImportSummary): ImportSummary {
  return { ...totals, problems: { ...totals.problems }, ignored: { ...totals.ignored } };
}

type Totals = { -readonly [K in keyof ImportSummary]: ImportSummary[K] } & {
  problems: Record<string, number>;
};

/** One ticket's decision: the save to make and what it adds. */
interface Decided {
  readonly request: SaveRequest;
  readonly added: number;
  readonly duplicates: number;
  readonly problems: ImportProblem[];
  readonly isNew: boolean;
}

async function writeBatch(
  store: TicketStore,
  lifecycle: ImportLifecycle,
  batch: Map<string, Pending>,
  totals: Totals,
  report: (p: ImportProblem) => void,
): Promise<void> {
  let todo = [...batch.keys()];
  for (let attempt = 1; todo.length > 0; attempt++) {
    const stored = new Map((await store.loadMany(todo)).map((t) => [t.ticketId, t]));
    const decided: Decided[] = [];
    for (const ticketId of todo) {
      const d = decide(
        lifecycle,
        ticketId,
        stored.get(ticketId) ?? null,
        (batch.get(ticketId) as Pending).events,
      );
      if (d === null) continue;
      if ('request' in d) decided.push(d);
      else {
        for (const p of d.problems) report(p);
        totals.duplicates += d.duplicates;
      }
    }
    if (decided.length === 0) return;
    const results = await store.saveMany(
      decided.map((d) => d.request),
      { trusted: true },
    );
    const retry: string[] = [];
    results.forEach((result, i) => {
      const d = decided[i] as Decided;
      if (result.ok) {
        totals.events += d.added;
        totals.duplicates += d.duplicates;
        if (d.isNew) totals.created++;
        else totals.updated++;
        for (const p of d.problems) report(p);
        return;
      }
      if (result.reason === 'version_conflict' && attempt < MAX_ATTEMPTS) {
        // Another writer (a desk, a second import) saved the ticket meanwhile: decide again on its state.
        retry.push(d.request.ticketId);
        return;
      }
      const first = (batch.get(d.request.ticketId) as Pending).events[0]?.place ?? {
        line: 0,
        index: 0,
        source: 'record',
      };
      report({
        ...first,
        ticketId: d.request.ticketId,
        code: 'refused',
        reason: result.reason,
        message: `the store refused the ticket's save (${result.reason}); its ${d.added} new events were not written`,
      });
    });
    todo = retry;
  }
}

/** What applying one ticket's pending events to its stored state gives. */
function decide(
  lifecycle: ImportLifecycle,
  ticketId: string,
  stored: StoredTicket | null,
  pending: Pending['events'],
): Decided | { readonly problems: ImportProblem[]; readonly duplicates: number } | null {
  const problems: ImportProblem[] = [];
  let snapshot: TicketSnapshot | null = stored?.snapshot ?? null;
  let workflow: TicketWorkflow | null = stored ? lifecycle.workflow(stored.workflowKey) : null;
  let key = stored?.workflowKey ?? null;
  const written: TicketEvent[] = [];
  let duplicates = 0;
  let externalId: string | null = null;
  for (const { event: draft, place } of pending) {
    const fail = (code: string, message: string, reason?: string) =>
      problems.push({ ...place, ticketId, code, message, ...(reason !== undefined ? { reason } : {}) });
    let input: TicketEventInput;
    if (draft.type === 'import.comment') {
      if (snapshot === null) {
        fail('no_opening', 'a message for a ticket whose creation is not in the export (nor in the store)');
        continue;
      }
      if (draft.customerId === snapshot.context.customer.id || draft.customerSide === true) {
        input = { type: 'customer.replied', id: draft.id, ticketId, at: draft.at, body: draft.body };
      } else if ('unmapped' in draft.agent) {
        fail('unmapped_agent', draft.agent.unmapped);
        continue;
      } else {
        input = draft.public
          ? {
              type: 'agent.replied',
              id: draft.id,
              ticketId,
              at: draft.at,
              agentId: draft.agent.id,
              body: draft.body,
            }
          : {
              type: 'agent.noted',
              id: draft.id,
              ticketId,
              at: draft.at,
              agentId: draft.agent.id,
              body: draft.body,
              ...(draft.workMs !== undefined ? { workMs: draft.workMs } : {}),
            };
      }
    } else input = draft;
    const parsed = safeParseTicketEvent(input);
    if (!parsed.success) {
      fail(
        'invalid_event',
        `the ${input.type} event does not fit carekit's schema: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      );
      continue;
    }
    let event = parsed.data;
    if (snapshot === null || workflow === null) {
      if (event.type !== 'ticket.opened') {
        fail(
          'no_opening',
          `a ${event.type} for a ticket whose creation is not in the export (nor in the store)`,
        );
        continue;
      }
      const opened = event as TicketEventOf<'ticket.opened'>;
      const chosen = lifecycle.select(opened);
      workflow = chosen.workflow;
      key = chosen.key;
      snapshot = workflow.start(opened).snapshot;
      externalId = opened.externalId ?? null;
      written.push(opened);
      continue;
    }
    if (snapshot.context.eventIds.includes(event.id)) {
      duplicates++;
      continue;
    }
    const last = snapshot.context.lastEventAt;
    if (event.at < last) event = { ...event, at: last, sentAt: event.sentAt ?? event.at };
    const result = workflow.apply(snapshot, event, { trusted: true });
    if (result.duplicate) {
      duplicates++;
      continue;
    }
    if (result.rejected) {
      fail(
        'rejected',
        `carekit's lifecycle refused the ${event.type}: ${result.rejected.message}`,
        result.rejected.code,
      );
      continue;
    }
    snapshot = result.snapshot;
    written.push(event);
  }
  if (written.length === 0 || snapshot === null || workflow === null || key === null) {
    return problems.length === 0 && duplicates === 0 ? null : { problems, duplicates };
  }
  return {
    request: {
      ticketId,
      expectedVersion: stored?.version ?? 0,
      write: {
        snapshot,
        workflowKey: key,
        dueAt: workflow.dueAt(snapshot),
        customerId: snapshot.context.customer.id,
        externalId: stored ? stored.externalId : externalId,
        events: written,
        effects: [],
      },
    },
    added: written.length,
    duplicates,
    problems,
    isNew: stored === null,
  };
}
