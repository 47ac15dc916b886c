import type { ArgumentErrorCode } from '../model/errors.js';
import { CarekitError } from '../model/errors.js';

/**
 * The codes of the errors `carekit/templates` throws ({@link TemplateSyntaxError}, {@link TemplateRenderError}
 * and `CarekitError`), with the shared argument codes.
 */
export type TemplateErrorCode =
  | ArgumentErrorCode
  | 'filter_failed'
  | 'invalid_ast'
  | 'invalid_variant'
  | 'template_channel'
  | 'template_loop_limit'
  | 'template_output_limit'
  | 'template_range_limit'
  | 'template_render_depth'
  | 'template_syntax'
  | 'template_time_limit'
  | 'template_too_deep'
  | 'template_too_large'
  | 'unknown_filter'
  | 'unknown_snippet'
  | 'unknown_template'
  | 'unknown_variable';

/** The codes of a `lintTemplate` issue: a syntax error's code, or what the lint found. */
export type TemplateLintCode = TemplateErrorCode | 'not_a_list' | 'may_be_missing';

/** The codes of a warning of a render that still produced output. */
export type TemplateWarningCode = 'unsafe_url' | 'filter_failed' | 'channel_length' | 'channel_truncated';

/**
 * A template that cannot be parsed or compiled: `code` is `template_syntax` (or `unknown_filter`,
 * `template_too_large`), with the `line` and `column` where the problem starts and what was expected.
 *
 * @example
 * ```ts
 * try {
 *   compileTemplate('{% if vip %}Hi');
 * } catch (error) {
 *   if (error instanceof TemplateSyntaxError) console.log(error.line, error.column, error.message);
 *   //=> 1 1 'expected `endif` to close `if` opened at 1:1 (line 1, column 1)'
 * }
 * ```
 */
export class TemplateSyntaxError extends CarekitError<TemplateErrorCode> {
  readonly line: number;
  readonly column: number;
  /** The sentence without the position, e.g. "expected `endif` to close `if` opened at 1:1". */
  readonly reason: string;

  constructor(code: TemplateErrorCode, reason: string, line: number, column: number) {
    super(code, `${reason} (line ${line}, column ${column})`);
    this.name = 'TemplateSyntaxError';
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/**
 * A render that failed: `unknown_variable` in strict mode (with every `missing` path at once),
 * or a limit (`template_loop_limit`, `template_output_limit`).
 *
 * @example
 * ```ts
 * try {
 *   compileTemplate('Hi {{ customer.name }}, order {{ order.id }}').render({}, { strict: true });
 * } catch (error) {
 *   if (error instanceof TemplateRenderError) console.log(error.code, error.missing);
 *   //=> 'unknown_variable' ['customer.name', 'order.id']
 * }
 * ```
 */
export class TemplateRenderError extends CarekitError<TemplateErrorCode> {
  /** The variable paths that had no value (for `unknown_variable`). */
  readonly missing: readonly string[];

  constructor(code: TemplateErrorCode, message: string, missing: readonly string[] = []) {
    super(code, message);
    this.name = 'TemplateRenderError';
    this.missing = missing;
  }
}
