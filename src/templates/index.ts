/**
 * @module templates
 */
export {};
