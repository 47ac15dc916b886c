export * from './chainClassifiers.js';
export * from './classification.js';
export * from './defaultRules.js';
export * from './ruleClassifier.js';
export * from './tokenize.js';
export * from './trainTextClassifier.js';
