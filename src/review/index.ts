/**
 * Documents for workflow review: Mermaid diagrams of machines and tables of the lifecycle.
 *
 * @module review
 */
export { describeDesk } from './describeDesk.js';
export { lifecycleTable } from './lifecycleTable.js';
export { guardLabel, type ToMermaidOptions, toMermaid } from './toMermaid.js';
