/**
 * KPI calculators: pure, named (every result says which definition it used and how many
 * items it counted) and mergeable (every calculator is also an accumulator whose partial
 * states merge across partitions).
 *
 * @module carekit/metrics
 */
export { chatAbandonmentAccumulator, chatAbandonmentRate } from './abandonment.js';
export { type Accumulator, fold, foldState } from './accumulator.js';
export {
  type CustomerJourney,
  customerJourney,
  type JourneyEntry,
  type JourneyFacts,
} from './customerJourney.js';
export {
  type CallbackAccumulator,
  type CallbackOptions,
  type ContactRecord,
  type ConversionOptions,
  type CustomerState,
  type CustomerSummary,
  callbackAccumulator,
  callbackRate,
  conversionRate,
  type ReturningState,
  returningCustomerAccumulator,
  returningCustomerRate,
} from './customers.js';
export {
  agentWaitTime,
  agentWorkTime,
  type DurationResult,
  type DurationState,
  durationAccumulator,
  EXACT_QUANTILE_LIMIT,
  firstReplyTime,
  firstResolutionTime,
  fullResolutionTime,
  handleTime,
  nextReplyTime,
  onHoldTime,
  type ResolutionOptions,
  requesterWaitTime,
  resolutionTime,
  type TimeOptions,
} from './durations.js';
export type { MetricsErrorCode } from './errors.js';
export { MetricsArgumentError } from './guards.js';
export { formatReport, kpiReport } from './kpiReport.js';
export {
  type KpiReport,
  type KpiReportAccumulator,
  type KpiReportState,
  kpiReportAccumulator,
  type SurveyAudience,
  surveyAudience,
} from './kpiReportAccumulator.js';
export {
  type KpiReportByResult,
  type KpiReportByState,
  kpiReportBy,
  kpiReportByAccumulator,
  type ReportGrouping,
} from './kpiReportBy.js';
export type { KpiReportOptions } from './kpiReportOptions.js';
export {
  backlog,
  categoryRate,
  complaintRate,
  escalationRate,
  FCR_DEFINITIONS,
  type FcrDefinition,
  type FcrOptions,
  fcr,
  oneTouchRate,
  type RateResult,
  type RateState,
  rateAccumulator,
  reopenRate,
  returnRate,
  slaCompliance,
  twoTouchRate,
  zeroTouchRate,
} from './rates.js';
export { type RelationFacts, type RelationsReport, relationsReport } from './relations.js';
export {
  createReportStream,
  type ReportStream,
  type ReportStreamLifecycle,
  type ReportStreamOptions,
} from './reportStream.js';
export type { KpiResult } from './result.js';
export {
  deflected,
  type SelfServiceReport,
  type SelfServiceState,
  selfServiceAccumulator,
  selfServiceReport,
} from './selfService.js';
export { addToSketch, emptySketch, mergeSketches, type QuantileSketch, sketchQuantile } from './sketch.js';
export {
  type CesOptions,
  type CesResult,
  type CountState,
  type CsatOptions,
  type CsatResult,
  ces,
  cesAccumulator,
  csat,
  csatAccumulator,
  type NpsResult,
  nps,
  npsAccumulator,
  type ScoreItem,
} from './surveys.js';
export {
  TICKET_FACTS_VERSION,
  type TicketFacts,
  type TicketFactsOptions,
  ticketFacts,
} from './ticketFacts.js';
export {
  type AgentUtilisation,
  agentUtilisation,
  agentUtilisationAccumulator,
  type UtilisationOptions,
  type UtilisationResult,
  type UtilisationState,
} from './utilisation.js';
export { type VolumeOptions, type VolumeResult, volume } from './volume.js';
