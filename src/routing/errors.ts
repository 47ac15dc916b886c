import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/routing` throws (with the shared argument codes).
 */
export type RoutingErrorCode =
  | ArgumentErrorCode
  | 'invalid_answer_book'
  | 'invalid_locale'
  | 'invalid_pattern'
  | 'invalid_policy'
  | 'invalid_tier'
  | 'unknown_router';
