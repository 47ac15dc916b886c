export * from './createSegmentRules.js';
