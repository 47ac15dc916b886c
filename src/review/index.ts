/**
 * Documents for workflow review: the review of a desk, its diagrams and tables.
 *
 * @module carekit/review
 */
export { type DescribeDeskOptions, describeDesk, deskHash } from './describeDesk.js';
export {
  type DeskConfigChange,
  type DiffDeskConfigsOptions,
  diffDeskConfigChanges,
  diffDeskConfigs,
} from './diffDeskConfigs.js';
export type { ReviewErrorCode } from './errors.js';
export {
  drawnLifecycleArrows,
  LIFECYCLE_AGENT_NOTE,
  type LifecycleArrow,
  lifecycleArrows,
  lifecycleDiagram,
} from './lifecycleDiagram.js';
export { lifecycleTable } from './lifecycleTable.js';
export { guardLabel, type ToMermaidOptions, toMermaid } from './toMermaid.js';
export { withSummary } from './withSummary.js';
