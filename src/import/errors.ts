import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/import` throws (with the shared argument codes). A record
 * that cannot be read is not an error but an entry of the import's report.
 */
export type ImportErrorCode =
  | ArgumentErrorCode
  | 'invalid_json'
  | 'invalid_lifecycle'
  | 'invalid_store'
  | 'unknown_source'
  | 'unknown_workflow';
