/**
 * @module review
 */
export {};
