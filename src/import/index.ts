/**
 * Importers of other helpdesks' exports (Zendesk, Freshdesk) into carekit events: streaming
 * readers (a 1 GB export in flat memory), an editable mapping, and a batched, resumable write
 * into any `TicketStore` with effects suppressed; and the agreement of carekit's figures with the
 * source's own metrics.
 *
 * @module import
 */
export {
  COMPARED_METRICS,
  type ComparedMetric,
  type CompareMetricsOptions,
  compareMetrics,
  type MetricAgreement,
  type MetricDisagreement,
  type MetricsAgreement,
  type MetricTolerance,
} from './compareMetrics.js';
export type { ImportErrorCode } from './errors.js';
export { createImportLifecycle, type ImportLifecycle, NO_SLA_KEY } from './importLifecycle.js';
export { type ImportSummary, type ImportTicketsOptions, importTickets } from './importTickets.js';
export type {
  ImportComment,
  ImportEvent,
  ImportItem,
  ImportProblem,
  MinutePair,
  RecordPlace,
  SourceMetrics,
} from './items.js';
export {
  defaultMapping,
  ImportMapping,
  ImportMappingInput,
  ImportSource,
  ImportStatus,
  parseImportMapping,
} from './mapping.js';
export { readFreshdesk } from './readFreshdesk.js';
export {
  EXPORT_ENVELOPES,
  type ExportChunk,
  type ExportRecord,
  type ReadJsonRecordsOptions,
  readJsonRecords,
} from './readJsonRecords.js';
export { type ReadZendeskOptions, readZendesk } from './readZendesk.js';
export {
  createZendeskPeople,
  readZendeskPeople,
  type ZendeskPeople,
  type ZendeskPerson,
  zendeskAgents,
} from './zendeskPeople.js';
