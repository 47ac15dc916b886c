export { type ChainClassifiersOptions, type ChainStep, chainClassifiers } from './chainClassifiers.js';
export { type Classification, type Classifier, ClassifyInput, Sentiment } from './classification.js';
export { defaultRules, defaultTaxonomy, type TaxonomyEntry } from './defaultRules.js';
export { unsafePatternReason } from './patternSafety.js';
export {
  ClassificationRule,
  type ClassificationRuleFn,
  type ClassificationRuleInput,
  MAX_PATTERN_LENGTH,
  type RuleClassifierOptions,
  ruleClassifier,
} from './ruleClassifier.js';
export {
  type TextClassifier,
  TextClassifierJson,
  TrainingExample,
  TrainTextClassifierOptions,
  textClassifierFromJSON,
  trainTextClassifier,
} from './trainTextClassifier.js';
