/**
 * Workflows: the XState ticket lifecycle with its pure API (start, apply, replay, dueAt, view),
 * surveys after solving, and proactive outreach for order events.
 *
 * @module workflows
 */

export * from './desk/index.js';
export type { OpenChildOptions } from './desk/operations/openChild.js';
export type {
  DeskRelationResult,
  MergeOptions,
  RelationOptions,
  SplitOptions,
} from './desk/operations/relations.js';
export * from './outreach/index.js';
export * from './ticket/index.js';
