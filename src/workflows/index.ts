/**
 * Workflows: the XState ticket lifecycle with its pure API (start, apply, replay, dueAt, view).
 *
 * @module workflows
 */
export * from './ticket/index.js';
