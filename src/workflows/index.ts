/**
 * @module workflows
 */
export {};
