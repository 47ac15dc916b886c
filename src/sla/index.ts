/**
 * SLA policies and the pure SLA engine: from a ticket's events to each clock's state, due
 * time and breach, in business hours of a calendar or in calendar hours.
 *
 * @module carekit/sla
 */

/** The SLA clock names, declared once in `carekit/model` and re-exported here for SLA users. */
export { SLA_CLOCKS, SlaClock } from '../model/index.js';
export {
  businessHours,
  type ClockMeasure,
  calendarHours,
  resolveClockMeasure,
  type SlaCalendars,
} from './clockMeasure.js';
export { type CreateSlaEngineOptions, createSlaEngine, type SlaEngine } from './createSlaEngine.js';
export {
  createSlaPolicy,
  PausableStatus,
  SlaCalendarRef,
  SlaClockConfig,
  type SlaClockName,
  type SlaClockRule,
  SlaCondition,
  type SlaPolicy,
  SlaPolicyConfig,
  SlaTargets,
} from './createSlaPolicy.js';
export type { SlaErrorCode } from './errors.js';
export { type EvaluateSlaOptions, evaluateSla, foldSla, type SlaTimeline } from './evaluateSla.js';
export { nextTicketStatus } from './nextTicketStatus.js';
export { CalendarsOption, InstantOption } from './options.js';
export {
  type CarePromise,
  formatPromise,
  type PromiseOptions,
  promiseFor,
  type QueueEstimate,
} from './promiseFor.js';
export {
  type ReadSlaOptions,
  readSla,
  type SlaClockReport,
  type SlaClockStatus,
  type SlaReport,
} from './readSla.js';
export { type SlaTicketFacts, selectSlaPolicy, slaPolicyApplies } from './selectSlaPolicy.js';
export {
  initialSlaState,
  type SlaClockState,
  type SlaContext,
  type SlaState,
  stepSla,
} from './stepSla.js';
