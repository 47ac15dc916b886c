import type { TicketEvent, TicketEventOf, TicketStatus } from '../../model/index.js';
import type { SlaClockReport } from '../../sla/index.js';

/**
 * The part of an SLA clock's report ({@link "carekit/sla"!SlaClockReport}) that an {@link SlaAdapter}
 * must fill and the lifecycle shows in `view.sla`. Plain JSON (epoch ms).
 */
export type SlaClockReading = Pick<
  SlaClockReport,
  'status' | 'targetMs' | 'dueAt' | 'elapsedMs' | 'remainingMs' | 'warnedAt' | 'breachedAt' | 'fulfilledAt'
>;

/**
 * One SLA clock as the lifecycle shows it.
 *
 * @deprecated The same type as {@link SlaClockReading}, the part of {@link "carekit/sla"!SlaClockReport}
 * an adapter fills; use that name.
 */
export type SlaClockView = SlaClockReading;

/** The SLA clocks of a ticket at an instant, and the next instant at which any of them changes. */
export interface SlaReading {
  readonly clocks: Readonly<Record<string, SlaClockReading>>;
  readonly nextChangeAt: number | null;
}

/**
 * How the lifecycle drives an SLA engine: a small plain-JSON state stepped once per event and
 * read at an instant. `step` receives the status the lifecycle reached, so pauses follow the
 * lifecycle's rules exactly (auto-solve on a tick, close on a late customer reply).
 */
export interface SlaAdapter {
  init(opened: TicketEventOf<'ticket.opened'>): unknown;
  /**
   * `pauses`, when given, overrides the policy's pauses for the named clocks (`true` paused,
   * `false` counting): a desk's custom status that pauses a clock (see `defineStatuses`).
   */
  step(
    state: unknown,
    event: TicketEvent,
    statusAfter: TicketStatus,
    pauses?: Readonly<Partial<Record<string, boolean>>>,
  ): unknown;
  read(state: unknown, now: number): SlaReading;
  /**
   * Optional fast check: could `read(state, at)` show a warning or breach not yet in `alerted`
   * (keyed `clock:warning` / `clock:breach`)? When it answers false the lifecycle skips the read.
   * Without it the lifecycle reads after every event.
   */
  alertsDue?(state: unknown, at: number, alerted: Readonly<Record<string, number>>): boolean;
}
