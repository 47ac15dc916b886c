// What the store derives from a snapshot for its indexes. The same rules as `holderOf`,
// `needsAgent`, `waitingSince` and `npsAskedAt` of `carekit/workflows` (the contract), kept here
// so that `carekit/store-postgres` loads neither the workflows nor xstate;
// tests/store-postgres/derive.test.ts holds the two copies equal.
import type { TicketSnapshot } from '../workflows/index.js';

const HOLDING: ReadonlySet<string> = new Set(['new', 'open', 'pending', 'on_hold']);

/** The agent whose slot the ticket holds (`holderOf`). */
export function holderOf(snapshot: TicketSnapshot): string | null {
  return HOLDING.has(snapshot.status) ? snapshot.context.assigneeId : null;
}

/** Since when the ticket has waited for a person (`needsAgent`, `waitingSince`), or null. */
export function waitingOf(snapshot: TicketSnapshot): number | null {
  const { status, context } = snapshot;
  if ((status !== 'new' && status !== 'open') || context.assigneeId !== null || context.queue !== null) {
    return null;
  }
  return status === 'new' ? context.openedAt : context.statusChangedAt;
}

/** When the snapshot asked its customer for NPS (`npsAskedAt`), or null. */
export function npsAskedAt(snapshot: TicketSnapshot): number | null {
  const survey = snapshot.context.survey;
  return survey.requestedAt !== null && survey.kinds.includes('nps') ? survey.requestedAt : null;
}

/** When the ticket's last event happened (`context.lastEventAt`, retention's idle time), or null. */
export function lastEventOf(snapshot: TicketSnapshot): number | null {
  const at: unknown = (snapshot.context as { lastEventAt?: unknown }).lastEventAt;
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}
