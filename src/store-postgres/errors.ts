import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/store-postgres` throws (with the shared argument codes):
 * `store_failed` is a {@link CarekitStoreError} (a database error, with its SQLSTATE); the others
 * refuse what the store was given before anything is written.
 */
export type StoreErrorCode =
  | ArgumentErrorCode
  | 'invalid_due_at'
  | 'invalid_effect_id'
  | 'invalid_erasure_request'
  | 'invalid_event'
  | 'invalid_message_key'
  | 'invalid_schema_name'
  | 'invalid_snapshot'
  | 'not_plain_json'
  | 'pglite_directory_locked'
  | 'schema_too_new'
  | 'store_failed'
  | 'unknown_event'
  | 'unknown_ticket'
  | 'unredactable_field'
  | 'unstorable_text';
