export {
  Authority,
  type CompiledRuleFn,
  createEscalationPolicy,
  EscalationActionSpec,
  type EscalationPolicy,
  EscalationPolicyConfig,
  EscalationRule,
  type EscalationRuleFn,
  type EscalationRuleInput,
  RemedyLimits,
  Tier,
  Trigger,
} from './createEscalationPolicy.js';
export { type EscalationAction, type EscalationOutcome, evaluateEscalation } from './evaluateEscalation.js';
export { Problem, proposeRemedies, type RemedyKind, type RemedyOption } from './proposeRemedies.js';
export { EscalationInput, type EscalationInputRaw, RemedyAuthority } from './signal.js';
export {
  type EscalateFn,
  type EscalationDecision,
  type EscalationSignal,
  type EscalationTicket,
  toEscalateFn,
} from './toEscalateFn.js';
