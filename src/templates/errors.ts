import { CarekitError } from '../model/errors.js';

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
export class TemplateSyntaxError extends CarekitError {
  readonly line: number;
  readonly column: number;
  /** The sentence without the position, e.g. "expected `endif` to close `if` opened at 1:1". */
  readonly reason: string;

  constructor(code: string, reason: string, line: number, column: number) {
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
export class TemplateRenderError extends CarekitError {
  /** The variable paths that had no value (for `unknown_variable`). */
  readonly missing: readonly string[];

  constructor(code: string, message: string, missing: readonly string[] = []) {
    super(code, message);
    this.name = 'TemplateRenderError';
    this.missing = missing;
  }
}
