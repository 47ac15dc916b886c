import type { ArgumentErrorCode } from '../model/errors.js';

/**
 * The codes of the errors `carekit/rules` throws (with the shared argument codes).
 */
export type RulesErrorCode = ArgumentErrorCode;
