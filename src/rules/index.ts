/**
 * Business rules as data: triggers (on an event, if conditions, then actions), automations
 * (time conditions compiled to the instant they next hold, not scanned), macros (an agent's one
 * click), with explanations and what-if replays. Ticket fields and custom statuses are declared
 * in `carekit/model` (re-exported here) and interpreted by the lifecycle.
 *
 * @module carekit/rules
 */
export { defineFields, defineStatuses } from '../model/index.js';
export { actionOutcome, type RuleEventBody, type RuleOutcome } from './actionEvents.js';
export { type AutomationState, automationInstant, nextAutomationState } from './automationInstant.js';
export { type CustomAction, type DefineRulesOptions, defineRules, type RuleSet } from './defineRules.js';
export { type DryRunResult, dryRun, type RuleFiring, type RuleReplayer } from './dryRun.js';
export type { RulesErrorCode } from './errors.js';
export { compare, conditionHolds, type RuleSlaClock, type RuleTicket } from './evaluateCondition.js';
export {
  type ChangeAuthor,
  describeChange,
  type ExplainTicketOptions,
  explainTicket,
  type TicketChange,
} from './explainTicket.js';
export {
  AutomationAnchor,
  AutomationWhen,
  FieldCondition,
  PropCondition,
  type ResolvedRulesConfig,
  RuleAction,
  RuleAutomation,
  type RuleAutomationInput,
  RuleCondition,
  RuleId,
  RuleMacro,
  type RuleMacroInput,
  RuleOp,
  RuleProp,
  RulesConfig,
  type RulesConfigInput,
  RuleTrigger,
  type RuleTriggerInput,
  SlaClockCondition,
  TRIGGER_MOMENTS,
  TriggerWhen,
} from './schema.js';
