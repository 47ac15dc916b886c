/**
 * @module routing
 */
export {};
