import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/sla` throws (with the shared argument codes).
 */
export type SlaErrorCode =
  | ArgumentErrorCode
  | 'invalid_calendar'
  | 'invalid_event'
  | 'invalid_locale'
  | 'invalid_policy'
  | 'invalid_sla_state'
  | 'invalid_time_zone'
  | 'invalid_timeline'
  | 'sla_policy_mismatch'
  | 'timeline_without_opening'
  | 'unknown_calendar';
