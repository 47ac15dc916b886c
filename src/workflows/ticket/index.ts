export type { RuleRun, RuleWarning } from './businessRules.js';
export {
  type RecordedSurvey,
  type SideConversation,
  type SurveyState,
  TICKET_SNAPSHOT_VERSION,
  type TicketContext,
  type TicketCounters,
  type TicketSnapshot,
} from './context.js';
export {
  EscalateEffect,
  NotifyEffect,
  NotifyReason,
  OpenFollowUpEffect,
  RequestSurveyEffect,
  RouteEffect,
  SendTemplateEffect,
  TicketEffect,
} from './effects.js';
export {
  defaultEscalation,
  type EscalateFn,
  type EscalationDecision,
  type EscalationSignal,
  type EscalationTicket,
  lifecycleFactsOptions,
  type ResolvedTicketWorkflowConfig,
  TicketWorkflowConfig,
  type TicketWorkflowConfigInput,
} from './options.js';
export { type GuardParams, type RejectionCode, type Rule, ticketRules } from './rules.js';
export type { SlaAdapter, SlaClockReading, SlaClockView, SlaReading } from './slaAdapter.js';
export { parseTicketSnapshot, TicketSnapshotSchema } from './snapshot.js';
export { type NpsEligibleFn, SurveyPolicy, type SurveyPolicyInput } from './survey.js';
export { refKey, type ThreadMessage, ticketThread } from './thread.js';
export type { TicketView } from './view.js';
export {
  type ApplyOptions,
  type ApplyResult,
  atOrAfter,
  createTicketWorkflow,
  type Rejection,
  type ReplayOptions,
  type ReplayResult,
  type TicketMachineHandle,
  type TicketWorkflow,
  type TicketWorkflowOptions,
} from './workflow.js';
