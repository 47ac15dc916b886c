/**
 * carekit: the domain logic of customer care. Every module is also its own subpath export
 * (`carekit/model`, `carekit/calendar`, ...); this root re-exports them all.
 *
 * @module carekit
 */
export * from './calendar/index.js';
export * from './metrics/index.js';
export * from './model/index.js';
export * from './review/index.js';
export * from './routing/index.js';
export * from './rules/index.js';
export * from './sla/index.js';
export * from './templates/index.js';
export * from './workflows/index.js';
