import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/workflows` throws: the ticket lifecycle, the desk and its memory
 * store, outreach (with the shared argument codes). A refused event is not an error but a
 * `Rejection` (`RejectionCode`); a desk call that did less than asked returns a `DeskWarning`.
 */
export type WorkflowErrorCode =
  | ArgumentErrorCode
  | 'bot_needs_templates'
  | 'empty_log'
  | 'follow_up_chain_too_long'
  | 'invalid_effect_id'
  | 'invalid_erasure_request'
  | 'invalid_escalation_decision'
  | 'invalid_message_key'
  | 'invalid_options'
  | 'invalid_plan'
  | 'invalid_snapshot'
  | 'invalid_ticket_id'
  | 'merge_refused'
  | 'merge_target_lost'
  | 'not_an_opened_event'
  | 'relation_incomplete'
  | 'relation_refused'
  | 'rules_mismatch'
  | 'split_refused'
  | 'ticket_id_taken'
  | 'unknown_event'
  | 'unknown_ticket'
  | 'unknown_workflow'
  | 'unredactable_field'
  | 'unsupported_snapshot_version'
  | 'version_conflict';
