import type { Locale as DateFnsLocale } from 'date-fns';
import type { Channel } from '../model/enums.js';
import type { Condition, Expression, FilterCall, PathExpression, TemplateAst, TemplateNode } from './ast.js';
import { TemplateRenderError, TemplateSyntaxError } from './errors.js';
import {
  builtinFilters,
  SAFE_OUTPUT_FILTERS,
  type TemplateFilter,
  type TemplateFilterEnvironment,
  type TemplateFilterSpec,
} from './filters.js';
import { parseTemplate } from './parseTemplate.js';
import { pathText } from './printTemplate.js';
import { closest } from './suggest.js';
import {
  equals,
  escapeHtml,
  isBlank,
  isEmpty,
  isPlainObject,
  isTruthy,
  readProperty,
  safeString,
  stringify,
} from './values.js';

/** Limits that keep a staff-edited template from running away. Each breach is a clear error. */
export interface TemplateLimits {
  /** Longest template source, in characters. Default 100,000. */
  readonly maxTemplateLength?: number;
  /** Most loop iterations in one render, all loops together. Default 10,000. */
  readonly maxLoopIterations?: number;
  /** Longest output of one render, in characters. Default 1,000,000. */
  readonly maxOutputLength?: number;
}

/** Where and how a template renders: locale, time zone and currency for `date` and `money`. */
export interface RenderEnvironment {
  /** BCP 47 locale for `money` and the `date` presets. Default `en`. */
  readonly locale?: string;
  /** IANA time zone for `date`. Default `UTC`. */
  readonly timeZone?: string;
  /** ISO 4217 currency for `money` without an argument. Default `USD`. */
  readonly currency?: string;
  /** A date-fns locale for names in `date` patterns (`MMMM`, `%B`). Default English. */
  readonly dateLocale?: DateFnsLocale;
}

/** Options of {@link compileTemplate}. */
export interface CompileOptions extends RenderEnvironment {
  /** The channel the text goes to. `email` escapes HTML in every output by default; others do not. */
  readonly channel?: Channel;
  /** Overrides the channel's escaping. */
  readonly escape?: boolean;
  /** Filters to add (or to replace built-ins), by name. */
  readonly filters?: Readonly<Record<string, TemplateFilter>>;
  readonly limits?: TemplateLimits;
}

/** Options of one render. */
export interface RenderOptions extends RenderEnvironment {
  /** Fail with `unknown_variable` (listing every missing path) instead of printing nothing. */
  readonly strict?: boolean;
}

/** Something worth knowing about a render that still produced output. */
export interface TemplateWarning {
  readonly code: string;
  readonly message: string;
}

/** The output of a render and what was missing on the way. */
export interface RenderResult {
  readonly output: string;
  /** Paths an output needed that had no value (printed as nothing), in order of first use. */
  readonly missing: readonly string[];
  /** Paths that had no value where the template gave a `default`. */
  readonly defaulted: readonly string[];
  readonly warnings: readonly TemplateWarning[];
}

/** A template parsed once, ready to render many times. */
export interface CompiledTemplate {
  readonly source: string;
  readonly ast: TemplateAst;
  /** Whether outputs are HTML-escaped (the email channel). */
  readonly escapes: boolean;
  /**
   * Renders the template with a context (plain objects and arrays, as JSON gives). Lenient by
   * default: a missing value prints nothing and is reported in `missing`.
   *
   * @throws {@link TemplateRenderError} `unknown_variable` in strict mode, `template_loop_limit`
   * or `template_output_limit` when a limit is passed.
   */
  render(context: unknown, options?: RenderOptions): RenderResult;
}

interface Frame {
  item: unknown;
  index: number;
  length: number;
}

interface State {
  out: string;
  readonly root: unknown;
  readonly frames: Frame[];
  readonly missing: string[];
  readonly defaulted: string[];
  readonly warnings: TemplateWarning[];
  iterations: number;
  readonly env: TemplateFilterEnvironment;
  readonly strict: boolean;
}

type Run = (state: State) => void;
type Evaluate = (state: State) => unknown;

/**
 * Parses a template once and returns a render function built from closures (no `eval`, no
 * `new Function`: it runs under a Content-Security-Policy without `unsafe-eval`).
 *
 * @throws {@link TemplateSyntaxError} with the line, the column and what was expected; `unknown_filter`
 * (with a suggestion) for a filter that does not exist.
 * @example
 * ```ts
 * const hello = compileTemplate('Hi {{ customer.first_name | default: "there" | capitalize }}!');
 * hello.render({ customer: { first_name: 'ana' } }).output;
 * //=> 'Hi Ana!'
 * hello.render({}).output;
 * //=> 'Hi There!'
 * ```
 */
export function compileTemplate(source: string, options: CompileOptions = {}): CompiledTemplate {
  const limits = {
    maxTemplateLength: options.limits?.maxTemplateLength ?? 100_000,
    maxLoopIterations: options.limits?.maxLoopIterations ?? 10_000,
    maxOutputLength: options.limits?.maxOutputLength ?? 1_000_000,
  };
  const ast = parseTemplate(source, { maxLength: limits.maxTemplateLength });
  const escapes = options.escape ?? options.channel === 'email';
  const compiler = new Compiler(escapes, options.filters ?? {}, limits);
  const run = compiler.block(ast.body, []);
  const defaults = {
    locale: options.locale ?? 'en',
    timeZone: options.timeZone ?? 'UTC',
    currency: options.currency ?? 'USD',
    dateLocale: options.dateLocale,
  };

  return {
    source,
    ast,
    escapes,
    render(context: unknown, renderOptions: RenderOptions = {}): RenderResult {
      const dateLocale = renderOptions.dateLocale ?? defaults.dateLocale;
      const env: TemplateFilterEnvironment = {
        locale: renderOptions.locale ?? defaults.locale,
        timeZone: renderOptions.timeZone ?? defaults.timeZone,
        currency: renderOptions.currency ?? defaults.currency,
        escapes,
        ...(dateLocale ? { dateLocale } : {}),
      };
      const state: State = {
        out: '',
        root: context,
        frames: [],
        missing: [],
        defaulted: [],
        warnings: [],
        iterations: 0,
        env,
        strict: renderOptions.strict === true,
      };
      run(state);
      if (state.out.length > limits.maxOutputLength) throw outputLimit(limits.maxOutputLength);
      const missing = unique(state.missing);
      if (state.strict && missing.length > 0) {
        throw new TemplateRenderError(
          'unknown_variable',
          `the template needs ${missing.map((path) => `\`${path}\``).join(', ')}, which the context does not have`,
          missing,
        );
      }
      return { output: state.out, missing, defaulted: unique(state.defaulted), warnings: state.warnings };
    },
  };
}

function unique(paths: readonly string[]): string[] {
  return paths.length < 2 ? [...paths] : [...new Set(paths)];
}

function outputLimit(max: number): TemplateRenderError {
  return new TemplateRenderError(
    'template_output_limit',
    `the output is longer than the limit of ${max} characters`,
  );
}

class Compiler {
  constructor(
    private readonly escapes: boolean,
    private readonly custom: Readonly<Record<string, TemplateFilter>>,
    private readonly limits: { maxLoopIterations: number; maxOutputLength: number },
  ) {}

  block(nodes: readonly TemplateNode[], scope: readonly string[]): Run {
    const runs = nodes.map((node) => this.node(node, scope));
    if (runs.length === 1) return runs[0] as Run;
    return (state) => {
      for (let i = 0; i < runs.length; i++) (runs[i] as Run)(state);
    };
  }

  node(node: TemplateNode, scope: readonly string[]): Run {
    switch (node.kind) {
      case 'text':
      case 'raw': {
        const text = node.value;
        return (state) => {
          state.out += text;
        };
      }
      case 'comment':
        return () => {};
      case 'output':
        return this.output(node.value, node.filters, scope);
      case 'if':
      case 'unless': {
        const branches = node.branches.map((branch, index) => {
          const test = this.condition(branch.condition, scope);
          const negate = node.kind === 'unless' && index === 0;
          return {
            test: negate ? (state: State) => !test(state) : test,
            body: this.block(branch.body, scope),
          };
        });
        const otherwise = node.otherwise ? this.block(node.otherwise, scope) : null;
        return (state) => {
          for (const branch of branches) {
            if (branch.test(state)) {
              branch.body(state);
              return;
            }
          }
          if (otherwise) otherwise(state);
        };
      }
      case 'for':
        return this.loop(node, scope);
    }
  }

  output(value: Expression, filters: readonly FilterCall[], scope: readonly string[]): Run {
    const hasDefault = filters.some((filter) => filter.name === 'default');
    const read = this.expression(value, scope, hasDefault ? 'defaulted' : 'missing');
    const last = filters[filters.length - 1];
    const safeLast =
      last !== undefined && SAFE_OUTPUT_FILTERS.has(last.name) && !Object.hasOwn(this.custom, last.name);
    // On an escaping channel, a final `newline_to_br` escapes its input and keeps its `<br />`.
    const breakLines = this.escapes && safeLast && last.name === 'newline_to_br';
    const applied = (breakLines ? filters.slice(0, -1) : filters).map((filter) =>
      this.filter(filter, scope, hasDefault ? 'defaulted' : 'missing'),
    );
    const escapeOutput = this.escapes && !safeLast;
    if (applied.length === 0 && !escapeOutput && !breakLines) {
      return (state) => {
        state.out += stringify(read(state));
      };
    }
    return (state) => {
      let current = read(state);
      for (let i = 0; i < applied.length; i++) current = (applied[i] as AppliedFilter)(state, current);
      const text = stringify(current);
      if (breakLines) state.out += escapeHtml(text).replace(/\r?\n/gm, '<br />\n');
      else state.out += escapeOutput ? escapeHtml(text) : text;
    };
  }

  filter(call: FilterCall, scope: readonly string[], report: 'missing' | 'defaulted'): AppliedFilter {
    const custom = Object.hasOwn(this.custom, call.name) ? this.custom[call.name] : undefined;
    const spec: TemplateFilterSpec | undefined = custom ? undefined : builtinFilters[call.name];
    if (!custom && !spec) {
      const suggestion = closest(call.name, [...Object.keys(builtinFilters), ...Object.keys(this.custom)]);
      throw new TemplateSyntaxError(
        'unknown_filter',
        `unknown filter \`${call.name}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        call.at.line,
        call.at.column,
      );
    }
    const args = call.args.map((arg) => this.expression(arg, scope, report));
    const named = call.named.map(([key, arg]) => [key, this.expression(arg, scope, report)] as const);
    if (spec) {
      if (args.length < spec.min || args.length > spec.max) {
        const expected = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
        throw new TemplateSyntaxError(
          'template_syntax',
          `\`${call.name}\` takes ${expected} argument${spec.max === 1 ? '' : 's'}, got ${args.length}`,
          call.at.line,
          call.at.column,
        );
      }
      for (const [key] of call.named) {
        if (!spec.named?.includes(key)) {
          throw new TemplateSyntaxError(
            'template_syntax',
            `\`${call.name}\` has no option \`${key}\``,
            call.at.line,
            call.at.column,
          );
        }
      }
    }
    const name = call.name;
    return (state, value) => {
      const values = args.map((arg) => arg(state));
      try {
        if (custom) return custom(value, ...values);
        const options: Record<string, unknown> = {};
        for (const [key, arg] of named) options[key] = arg(state);
        return (spec as TemplateFilterSpec).apply(state.env, value, values, options);
      } catch (error) {
        if (state.strict) {
          throw new TemplateRenderError('filter_failed', `the filter \`${name}\` failed: ${String(error)}`);
        }
        state.warnings.push({
          code: 'filter_failed',
          message: `the filter \`${name}\` failed and was skipped: ${String(error)}`,
        });
        return value;
      }
    };
  }

  condition(condition: Condition, scope: readonly string[]): (state: State) => boolean {
    switch (condition.kind) {
      case 'test': {
        const read = this.expression(condition.value, scope, null);
        return (state) => isTruthy(read(state));
      }
      case 'not': {
        const operand = this.condition(condition.operand, scope);
        return (state) => !operand(state);
      }
      case 'and': {
        const left = this.condition(condition.left, scope);
        const right = this.condition(condition.right, scope);
        return (state) => left(state) && right(state);
      }
      case 'or': {
        const left = this.condition(condition.left, scope);
        const right = this.condition(condition.right, scope);
        return (state) => left(state) || right(state);
      }
      case 'compare':
        return this.compare(condition.op, condition.left, condition.right, scope);
    }
  }

  compare(op: string, leftExpression: Expression, rightExpression: Expression, scope: readonly string[]) {
    const special = (expression: Expression) =>
      expression.kind === 'empty' || expression.kind === 'blank' ? expression.kind : null;
    const leftSpecial = special(leftExpression);
    const rightSpecial = special(rightExpression);
    if ((leftSpecial || rightSpecial) && (op === '==' || op === '!=')) {
      const kind = (rightSpecial ?? leftSpecial) as 'empty' | 'blank';
      const other = this.expression(rightSpecial ? leftExpression : rightExpression, scope, null);
      const check = kind === 'empty' ? isEmpty : isBlank;
      return op === '==' ? (state: State) => check(other(state)) : (state: State) => !check(other(state));
    }
    const isNilLiteral = (expression: Expression) =>
      expression.kind === 'literal' && expression.value === null;
    if (isNilLiteral(leftExpression) || isNilLiteral(rightExpression)) {
      // `nil` written in a template equals any missing or nil value and is never ordered (Liquid's NullDrop).
      const other = this.expression(
        isNilLiteral(rightExpression) ? leftExpression : rightExpression,
        scope,
        null,
      );
      const isNil = (state: State) => {
        const value = other(state);
        return value === undefined || value === null;
      };
      if (op === '==') return isNil;
      if (op === '!=') return (state: State) => !isNil(state);
      if (op !== 'contains') return () => false;
    }
    const left = this.expression(leftExpression, scope, null);
    const right = this.expression(rightExpression, scope, null);
    switch (op) {
      case '==':
        return (state: State) => equals(left(state), right(state));
      case '!=':
        return (state: State) => !equals(left(state), right(state));
      case 'contains':
        return (state: State) => {
          const haystack = left(state);
          const needle = right(state);
          if (Array.isArray(haystack)) return haystack.some((item) => equals(item, needle));
          return typeof haystack === 'string' && haystack.indexOf(safeString(needle)) > -1;
        };
      default:
        return (state: State) => order(op, left(state), right(state));
    }
  }

  loop(node: Extract<TemplateNode, { kind: 'for' }>, scope: readonly string[]): Run {
    const collection = this.collection(node.collection, scope, node.otherwise ? null : 'missing');
    const limit = node.limit ? this.expression(node.limit, scope, null) : null;
    const offset = node.offset ? this.expression(node.offset, scope, null) : null;
    const inner = [...scope, node.variable];
    const depth = scope.length;
    const body = this.block(node.body, inner);
    const otherwise = node.otherwise ? this.block(node.otherwise, scope) : null;
    const reversed = node.reversed;
    const { maxLoopIterations, maxOutputLength } = this.limits;
    return (state) => {
      let items = collection(state);
      if (items.length === 0) {
        if (otherwise) otherwise(state);
        return;
      }
      const from = offset ? offset(state) : undefined;
      if (from !== undefined) items = items.slice(toInteger(from));
      const count = limit ? limit(state) : undefined;
      if (count !== undefined) items = items.slice(0, toInteger(count));
      if (reversed) items = [...items].reverse();
      const frame: Frame = { item: undefined, index: 0, length: items.length };
      const saved = state.frames[depth];
      state.frames[depth] = frame;
      for (let i = 0; i < items.length; i++) {
        if (++state.iterations > maxLoopIterations) {
          throw new TemplateRenderError(
            'template_loop_limit',
            `the loops of this template ran more than ${maxLoopIterations} times in one render`,
          );
        }
        frame.item = items[i];
        frame.index = i;
        body(state);
        if (state.out.length > maxOutputLength) throw outputLimit(maxOutputLength);
      }
      if (saved) state.frames[depth] = saved;
      else state.frames.length = depth;
    };
  }

  collection(
    expression: Expression,
    scope: readonly string[],
    report: 'missing' | null,
  ): (state: State) => readonly unknown[] {
    if (expression.kind === 'range') {
      const from = this.expression(expression.from, scope, null);
      const to = this.expression(expression.to, scope, null);
      const max = this.limits.maxLoopIterations;
      return (state) => {
        const start = toRangeNumber(from(state));
        const stop = toRangeNumber(to(state)) + 1;
        if (stop - start > max) {
          throw new TemplateRenderError('template_loop_limit', `the range has more than ${max} numbers`);
        }
        const out: number[] = [];
        for (let i = start; i < stop; i++) out.push(i);
        return out;
      };
    }
    const read = this.expression(expression, scope, report);
    return (state) => toEnumerable(read(state));
  }

  expression(
    expression: Expression,
    scope: readonly string[],
    report: 'missing' | 'defaulted' | null,
  ): Evaluate {
    switch (expression.kind) {
      case 'literal': {
        const value = expression.value;
        return () => value;
      }
      case 'empty':
      case 'blank':
        return () => '';
      case 'range':
        return () => undefined;
      case 'path': {
        const read = this.path(expression, scope);
        if (report === null) return read;
        const text = pathText(expression);
        return (state) => {
          const value = read(state);
          if (value === undefined) state[report].push(text);
          return value;
        };
      }
    }
  }

  path(path: PathExpression, scope: readonly string[]): Evaluate {
    const depth = scope.lastIndexOf(path.root);
    const segments = path.segments.map((segment) =>
      typeof segment === 'object' ? this.expression(segment, scope, null) : segment,
    );
    let root: Evaluate;
    let rest = segments;
    if (depth >= 0) {
      root = (state) => (state.frames[depth] as Frame).item;
    } else if (path.root === 'forloop' && scope.length > 0) {
      const loopDepth = scope.length - 1;
      const [first, ...others] = segments;
      rest = others;
      if (typeof first === 'string')
        root = (state) => forloopProperty(state.frames[loopDepth] as Frame, first);
      else root = () => undefined;
    } else {
      const name = path.root;
      root = (state) => readProperty(state.root, name);
    }
    if (rest.length === 0) return root;
    if (rest.length === 1 && typeof rest[0] !== 'function') {
      const key = rest[0] as string | number;
      return (state) => readProperty(root(state), key);
    }
    return (state) => {
      let value = root(state);
      for (const segment of rest) {
        if (value === undefined || value === null) return value;
        if (typeof segment === 'function') {
          const key = segment(state);
          value = typeof key === 'string' || typeof key === 'number' ? readProperty(value, key) : undefined;
        } else {
          value = readProperty(value, segment);
        }
      }
      return value;
    };
  }
}

type AppliedFilter = (state: State, value: unknown) => unknown;

function forloopProperty(frame: Frame, name: string): unknown {
  switch (name) {
    case 'index':
      return frame.index + 1;
    case 'index0':
      return frame.index;
    case 'rindex':
      return frame.length - frame.index;
    case 'rindex0':
      return frame.length - frame.index - 1;
    case 'first':
      return frame.index === 0;
    case 'last':
      return frame.index === frame.length - 1;
    case 'length':
      return frame.length;
    default:
      return undefined;
  }
}

/** JavaScript's ordering (as LiquidJS uses it), with objects turned to primitives without calling their methods. */
function order(op: string, left: unknown, right: unknown): boolean {
  const l = toPrimitive(left) as number;
  const r = toPrimitive(right) as number;
  switch (op) {
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    default:
      return l >= r;
  }
}

function toPrimitive(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'object' && value !== null ? safeString(value) : value;
}

function toEnumerable(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  if (isPlainObject(value)) return Object.keys(value).map((key) => [key, readProperty(value, key)]);
  return [];
}

function toInteger(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(safeString(value));
  return Number.isNaN(n) ? 0 : Math.trunc(n);
}

function toRangeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === null) return 0;
  if (typeof value === 'string' || typeof value === 'boolean') return Number(value);
  return Number.NaN;
}
