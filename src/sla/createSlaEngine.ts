import { z } from 'zod';
import { isInstantArgument } from '../model/arguments.js';
import { parseOptions, type TicketEvent, type TicketEventOf, type TicketStatus } from '../model/index.js';
import type { SlaCalendars } from './clockMeasure.js';
import type { SlaPolicy } from './createSlaPolicy.js';
import { assertSlaPolicy, CalendarsOption } from './options.js';
import { type ReadSlaOptions, readSla, type SlaReport } from './readSla.js';
import { initialSlaState, prepareSla, type SlaContext, type SlaState, stepPreparedSla } from './stepSla.js';

/** Options of {@link createSlaEngine}. */
export interface CreateSlaEngineOptions {
  /** Business calendars by the names the policy uses. Not needed for calendar-hours policies. */
  readonly calendars?: SlaCalendars | undefined;
}

const EngineOptions = z.strictObject({ calendars: CalendarsOption.optional() });

/** The incremental SLA engine bound to one policy and its calendars (what a ticket workflow holds). */
export interface SlaEngine {
  readonly policy: SlaPolicy;
  /** {@link initialSlaState} at the ticket's opening. */
  init(opened: TicketEventOf<'ticket.opened'>): SlaState;
  /**
   * {@link stepSla} over one event, with the status the lifecycle reached if it knows it, and
   * the clocks a custom status pauses or keeps running.
   */
  step(
    state: SlaState,
    event: TicketEvent,
    statusAfter?: TicketStatus,
    pauses?: Readonly<Partial<Record<string, boolean>>>,
  ): SlaState;
  /** {@link readSla} at `options.now` (default: the state's last event). */
  read(state: SlaState, options?: ReadSlaOptions): SlaReport;
  /**
   * The positional form, kept for one release.
   *
   * @deprecated Pass `now` as an option: `engine.read(state, { now })`.
   */
  read(state: SlaState, now: Date | number): SlaReport;
}

/**
 * Binds the incremental SLA functions to a policy and its calendars, checking once that every
 * calendar the policy names is given.
 *
 * @throws {@link "carekit/model"!CarekitError | CarekitError} `unknown_calendar`, `invalid_policy`; a
 * {@link "carekit/model"!CarekitValidationError | CarekitValidationError} for unknown or malformed options.
 * @example
 * ```ts
 * const engine = createSlaEngine(policy, { calendars: { 'support-hours': supportHours } });
 * let state = engine.init(openedEvent);
 * state = engine.step(state, replyEvent, 'pending');
 * engine.read(state, { now: Date.now() }).clocks.firstReply.status;
 * //=> 'fulfilled'
 * ```
 */
export function createSlaEngine(policy: SlaPolicy, options: CreateSlaEngineOptions = {}): SlaEngine {
  assertSlaPolicy(policy, 'createSlaEngine');
  options = parseOptions(EngineOptions, options, 'createSlaEngine options');
  const ctx: SlaContext = { policy, calendars: options.calendars };
  // Every calendar the policy names is resolved here, once: a step reads the measures.
  const prepared = prepareSla(ctx);
  return {
    policy,
    init: (opened) => initialSlaState(opened, ctx),
    step: (state, event, statusAfter, pauses) => stepPreparedSla(state, event, prepared, statusAfter, pauses),
    read: (state: SlaState, options?: ReadSlaOptions | Date | number) =>
      isInstantArgument(options) ? readSla(state, options, ctx) : readSla(state, ctx, options),
  };
}
