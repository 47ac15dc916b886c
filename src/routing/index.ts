/**
 * Classification, customer segments, routing and tiered escalation.
 *
 * @module routing
 */

export * from './answer/index.js';
export * from './assign/index.js';
export * from './classify/index.js';
export * from './escalate/index.js';
export * from './segments/index.js';
