export * from './chainClassifiers.js';
export * from './classification.js';
export * from './defaultRules.js';
export { unsafePatternReason } from './patternSafety.js';
export * from './ruleClassifier.js';
export * from './tokenize.js';
export * from './trainTextClassifier.js';
