/**
 * @module metrics
 */
export {};
