import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/metrics` throws ({@link MetricsArgumentError} and `CarekitError`), with the
 * shared argument codes.
 */
export type MetricsErrorCode =
  | ArgumentErrorCode
  | 'incompatible_sketches'
  | 'invalid_accumulator'
  | 'invalid_argument'
  | 'invalid_events'
  | 'invalid_facts'
  | 'invalid_quantile'
  | 'invalid_report'
  | 'invalid_scores'
  | 'invalid_sketch'
  | 'invalid_ticket_log'
  | 'unknown_definition'
  | 'unreadable_argument';
