export {
  assignSegments,
  type CustomerFacts,
  type CustomSegmentRule,
  createSegmentRules,
  type SegmentRules,
  SegmentRulesConfig,
} from './createSegmentRules.js';
