import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/review` throws (with the shared argument codes).
 */
export type ReviewErrorCode = ArgumentErrorCode | 'invalid_machine';
