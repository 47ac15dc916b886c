/**
 * @module calendar
 */
export {};
