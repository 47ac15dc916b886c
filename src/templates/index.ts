/**
 * Response templates: a safe, fast, Liquid-compatible engine (`compileTemplate`), authoring-time
 * checks (`lintTemplate`), and a library of localised, varied canned responses with channel rules
 * (`createTemplateLibrary`, `starterTemplates`).
 *
 * @module carekit/templates
 */
export type {
  AssignNode,
  Branch,
  CaptureNode,
  CaseNode,
  CommentNode,
  ComparisonOperator,
  Condition,
  CounterNode,
  CycleNode,
  EchoNode,
  Expression,
  FilterCall,
  ForNode,
  IfchangedNode,
  IfNode,
  LiteralExpression,
  LoopControlNode,
  OutputNode,
  PathExpression,
  PathSegment,
  RangeExpression,
  RawNode,
  RenderNode,
  SourcePosition,
  SpecialExpression,
  TablerowNode,
  TemplateAst,
  TemplateNode,
  TextNode,
  Trim,
  WhenBranch,
} from './ast.js';
export {
  type CompiledTemplate,
  type CompileOptions,
  compileTemplate,
  type RenderEnvironment,
  type RenderOptions,
  type RenderResult,
  type TemplateLimits,
  type TemplateWarning,
} from './compileTemplate.js';
export {
  createTemplateLibrary,
  type LibraryRenderOptions,
  type RenderedMessage,
  sanitizeSubject,
  type TemplateCatalogueEntry,
  TemplateEntry,
  type TemplateEntryInput,
  type TemplateLibrary,
  type TemplateLibraryOptions,
  templateVariables,
} from './createTemplateLibrary.js';
export {
  type TemplateErrorCode,
  type TemplateLintCode,
  TemplateRenderError,
  TemplateSyntaxError,
  type TemplateWarningCode,
} from './errors.js';
export {
  builtinFilters,
  type TemplateFilter,
  type TemplateFilterEnvironment,
  type TemplateFilterSpec,
} from './filters.js';
export { strftimeToDateFns } from './formatDate.js';
export {
  type ChannelLimit,
  type ChannelText,
  DEFAULT_CHANNEL_LIMITS,
  formatForChannel,
  type SmsLength,
  smsLength,
  toPlainText,
} from './formatForChannel.js';
export {
  type LintOptions,
  lintTemplate,
  type TemplateLintIssue,
  type TemplateLintResult,
  type VariableSchema,
} from './lintTemplate.js';
export { type ParseOptions, parseTemplate } from './parseTemplate.js';
export { printExpression, printTemplate } from './printTemplate.js';
export {
  AcknowledgementVariables,
  BotMessageVariables,
  DamagedItemVariables,
  FollowUpVariables,
  GoodwillOfferVariables,
  OrderStatusVariables,
  RefundConfirmationVariables,
  ReturnInstructionsVariables,
  ShippingDelayVariables,
  SurveyRequestVariables,
  starterTemplates,
} from './starterTemplates.js';
