import type { Locale as DateFnsLocale } from 'date-fns';
import type { Channel } from '../model/enums.js';
import { CarekitValidationError } from '../model/errors.js';
import type {
  Condition,
  Expression,
  FilterCall,
  ForNode,
  PathExpression,
  TablerowNode,
  TemplateAst,
  TemplateNode,
} from './ast.js';
import {
  type TemplateErrorCode,
  TemplateRenderError,
  TemplateSyntaxError,
  type TemplateWarningCode,
} from './errors.js';
import {
  builtinFilters,
  SAFE_OUTPUT_FILTERS,
  type TemplateFilter,
  type TemplateFilterEnvironment,
  type TemplateFilterSpec,
} from './filters.js';
import { CompileOptionsSchema, checkOptions } from './options.js';
import { parseTemplate } from './parseTemplate.js';
import { pathText, printExpression } from './printTemplate.js';
import { closest } from './suggest.js';
import { atValueStart, urlAttributeOutputs } from './urlContext.js';
import {
  equals,
  escapeHtml,
  isBlank,
  isEmpty,
  isPlainObject,
  isTruthy,
  LiquidRange,
  outputLimit,
  readElement,
  readProperty,
  safeString,
  stringify,
} from './values.js';

/** Limits that keep a staff-edited template from running away. Each breach is a clear error. */
export interface TemplateLimits {
  /** Longest template source, in characters. Default 100,000. */
  readonly maxTemplateLength?: number;
  /** Most loop iterations in one render, all loops (and ranges a filter reads) together. Default 10,000. */
  readonly maxLoopIterations?: number;
  /** Longest output of one render, and longest string or list a filter builds, in characters. Default 1,000,000. */
  readonly maxOutputLength?: number;
  /** Deepest `render` of a snippet inside a snippet. Default 10. */
  readonly maxRenderDepth?: number;
  /** Deepest nesting of blocks, conditions and brackets, checked when parsing. Default 100. */
  readonly maxNestingDepth?: number;
  /** Longest time one render may take, in milliseconds. Default 1,000. */
  readonly maxRenderTime?: number;
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
  /** Snippets `{% render "name" %}` may render, by name (Liquid source). */
  readonly partials?: Readonly<Record<string, string>>;
  readonly limits?: TemplateLimits;
}

/** Options of one render. */
export interface RenderOptions extends RenderEnvironment {
  /** Fail with `unknown_variable` (listing every missing path) instead of printing nothing. */
  readonly strict?: boolean;
}

/** Something worth knowing about a render that still produced output. */
export interface TemplateWarning {
  readonly code: TemplateWarningCode;
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
   * default: a missing value prints nothing and is reported in `missing`. The context is only
   * read: `assign`, `capture` and counters live in the render, never in the host's objects.
   *
   * @throws {@link TemplateRenderError} `unknown_variable` in strict mode, or a limit:
   * `template_loop_limit`, `template_output_limit`, `template_render_depth`, `template_time_limit`,
   * `template_range_limit`.
   */
  render(context: unknown, options?: RenderOptions): RenderResult;
}

interface Frame {
  item: unknown;
  index: number;
  length: number;
  parent: Frame | null;
  cols: number;
}

const NIL = Symbol('nil');
const BREAK = 1;
const CONTINUE = 2;

interface State {
  out: string;
  root: unknown;
  // The maps below are made on first use: most renders assign nothing.
  vars: Map<string, unknown> | null;
  counters: Map<string, number> | null;
  frames: Frame[];
  readonly missing: string[];
  readonly defaulted: string[];
  readonly warnings: TemplateWarning[];
  iterations: number;
  /** Units of work done (characters built, items visited), to look at the clock now and then. */
  work: number;
  nextClockCheck: number;
  /** When the clock was first read (-1: not yet; it is read once work passes the first step). */
  startedAt: number;
  readonly maxRenderTime: number;
  readonly env: TemplateFilterEnvironment;
  readonly strict: boolean;
  control: number;
  renderDepth: number;
  cycles: Map<string, number> | null;
  offsets: Map<string, number> | null;
  ifchanged: string | undefined;
  /** Strings a `capture` built with escaped outputs, printed as they are on escaping channels. */
  safe: Set<string> | null;
}

type Run = (state: State) => void;
type Evaluate = (state: State) => unknown;

interface Limits {
  readonly maxTemplateLength: number;
  readonly maxLoopIterations: number;
  readonly maxOutputLength: number;
  readonly maxRenderDepth: number;
  readonly maxNestingDepth: number;
  readonly maxRenderTime: number;
}

const CLOCK_EVERY = 1 << 16;
const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

interface Snippet {
  run: Run | null;
}

/** What every compiler of one template and its snippets shares. */
interface Shared {
  readonly escapes: boolean;
  readonly custom: Readonly<Record<string, TemplateFilter>>;
  readonly limits: Limits;
  readonly partials: Readonly<Record<string, string>>;
  readonly snippets: Map<string, Snippet>;
}

/**
 * Parses a template once and returns a render function built from closures (no `eval`, no
 * `new Function`: it runs under a Content-Security-Policy without `unsafe-eval`).
 *
 * @throws {@link TemplateSyntaxError} with the line, the column and what was expected; `unknown_filter`
 * (with a suggestion) for a filter that does not exist, `unknown_snippet` for a `render` of a
 * snippet not in `partials`, `template_too_deep` past the nesting limit.
 * @throws `CarekitValidationError` (from `carekit/model`) for options that are not valid: an
 * unknown key (the allowed keys are listed), a limit that is not a positive whole number, a
 * channel that is not one of `Channel`.
 * @example
 * ```ts
 * const hello = compileTemplate('Hi {{ customer.first_name | default: "there" | capitalize }}!');
 * hello.render({ customer: { first_name: 'ana' } }).output;
 * //=> 'Hi Ana!'
 * hello.render({}).output;
 * //=> 'Hi There!'
 * compileTemplate('{% assign n = items | size %}{% case n %}{% when 0 %}none{% when 1, 2 %}a few{% else %}many{% endcase %}')
 *   .render({ items: [1, 2] }).output;
 * //=> 'a few'
 * ```
 */
export function compileTemplate(source: string, options: CompileOptions = {}): CompiledTemplate {
  checkOptions(CompileOptionsSchema, options, 'template options');
  const given = options.limits ?? {};
  const limits: Limits = {
    maxTemplateLength: given.maxTemplateLength ?? 100_000,
    maxLoopIterations: given.maxLoopIterations ?? 10_000,
    maxOutputLength: given.maxOutputLength ?? 1_000_000,
    maxRenderDepth: given.maxRenderDepth ?? 10,
    maxNestingDepth: given.maxNestingDepth ?? 100,
    maxRenderTime: given.maxRenderTime ?? 1_000,
  };
  const ast = parseTemplate(source, {
    maxLength: limits.maxTemplateLength,
    maxDepth: limits.maxNestingDepth,
  });
  const escapes = options.escape ?? options.channel === 'email';
  const shared: Shared = {
    escapes,
    custom: options.filters ?? {},
    limits,
    partials: options.partials ?? {},
    snippets: new Map(),
  };
  const run = new Compiler(shared, ast.body).program();
  const defaults = {
    locale: options.locale ?? 'en',
    timeZone: options.timeZone ?? 'UTC',
    currency: options.currency ?? 'USD',
    dateLocale: options.dateLocale,
  };
  const environmentOf = (renderOptions: RenderOptions): TemplateFilterEnvironment => {
    const dateLocale = renderOptions.dateLocale ?? defaults.dateLocale;
    return {
      locale: renderOptions.locale ?? defaults.locale,
      timeZone: renderOptions.timeZone ?? defaults.timeZone,
      currency: renderOptions.currency ?? defaults.currency,
      escapes,
      maxLength: limits.maxOutputLength,
      ...(dateLocale ? { dateLocale } : {}),
    };
  };
  const defaultEnv = environmentOf(NO_OPTIONS);

  return {
    source,
    ast,
    escapes,
    render(context: unknown, renderOptions: RenderOptions = NO_OPTIONS): RenderResult {
      let env = defaultEnv;
      if (renderOptions !== NO_OPTIONS) {
        checkRenderOptions(renderOptions);
        if (
          renderOptions.locale !== undefined ||
          renderOptions.timeZone !== undefined ||
          renderOptions.currency !== undefined ||
          renderOptions.dateLocale !== undefined
        )
          env = environmentOf(renderOptions);
      }
      const state: State = {
        out: '',
        root: context,
        vars: null,
        counters: null,
        frames: [],
        missing: [],
        defaulted: [],
        warnings: [],
        iterations: 0,
        work: 0,
        nextClockCheck: CLOCK_EVERY,
        startedAt: -1,
        maxRenderTime: limits.maxRenderTime,
        env,
        strict: renderOptions.strict === true,
        control: 0,
        renderDepth: 0,
        cycles: null,
        offsets: null,
        ifchanged: undefined,
        safe: null,
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

const NO_OPTIONS: RenderOptions = Object.freeze({});
const RENDER_OPTION_TYPES: Record<string, string> = {
  locale: 'string',
  timeZone: 'string',
  currency: 'string',
  dateLocale: 'object',
  strict: 'boolean',
};

/** The render options' shape, checked by hand: render is the hot path, zod would cost more than the render. */
function checkRenderOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CarekitValidationError(
      [{ code: 'invalid_type', path: [], message: '(root): the render options must be an object' }],
      'render options',
    );
  }
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    const type = RENDER_OPTION_TYPES[key];
    if (type === undefined) {
      const allowed = Object.keys(RENDER_OPTION_TYPES);
      const suggestion = closest(key, allowed);
      throw new CarekitValidationError(
        [
          {
            code: 'unrecognized_keys',
            path: [key],
            message: `${key}: is not an option${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; the options are ${allowed.join(', ')}`,
          },
        ],
        'render options',
      );
    }
    if (
      value !== undefined &&
      (typeof value !== type || value === null || (type === 'string' && value === ''))
    ) {
      throw new CarekitValidationError(
        [
          {
            code: 'invalid_type',
            path: [key],
            message: `${key}: expected a${type === 'object' ? 'n' : ''} ${type}`,
          },
        ],
        'render options',
      );
    }
  }
}

function unique(paths: readonly string[]): string[] {
  return paths.length < 2 ? [...paths] : [...new Set(paths)];
}

function renderError(
  code: TemplateErrorCode,
  message: string,
  at?: { line: number; column: number },
): TemplateRenderError {
  return new TemplateRenderError(code, at ? `${message} (line ${at.line}, column ${at.column})` : message);
}

/** Counts work and looks at the clock every so often: the time limit, checked where work is done. */
function charge(state: State, units: number): void {
  state.work += units;
  if (state.work < state.nextClockCheck) return;
  state.nextClockCheck = state.work + CLOCK_EVERY;
  checkClock(state);
}

function checkClock(state: State): void {
  const max = state.maxRenderTime;
  if (state.startedAt < 0) {
    state.startedAt = now();
    return;
  }
  if (now() - state.startedAt > max) {
    throw new TemplateRenderError(
      'template_time_limit',
      `the render took longer than the limit of ${max} ms`,
    );
  }
}

/** Whether nodes print nothing but whitespace whatever the data (Shopify's "blank" blocks). */
function isBlankBody(nodes: readonly TemplateNode[]): boolean {
  return nodes.every(isBlankNode);
}

function isBlankNode(node: TemplateNode): boolean {
  switch (node.kind) {
    case 'text':
      return /^[ \t\n\v\f\r]*$/.test(node.value);
    case 'assign':
    case 'capture':
    case 'comment':
      return true;
    case 'raw':
      return node.value === '';
    case 'if':
    case 'unless':
      return node.branches.every((branch) => isBlankBody(branch.body)) && isBlankBody(node.otherwise ?? []);
    case 'case':
      return node.whens.every((when) => isBlankBody(when.body)) && isBlankBody(node.otherwise ?? []);
    case 'for':
      return isBlankBody(node.body) && isBlankBody(node.otherwise ?? []);
    default:
      return false;
  }
}

function withoutWhitespace(nodes: readonly TemplateNode[]): readonly TemplateNode[] {
  return nodes.filter((node) => node.kind !== 'text');
}

/** The names a template assigns, captures or counts: only these are looked up among the render's variables. */
function dynamicNames(nodes: readonly TemplateNode[], into: Set<string>): Set<string> {
  for (const node of nodes) {
    switch (node.kind) {
      case 'assign':
      case 'increment':
      case 'decrement':
        into.add(node.name);
        break;
      case 'capture':
        into.add(node.name);
        dynamicNames(node.body, into);
        break;
      case 'if':
      case 'unless':
        for (const branch of node.branches) dynamicNames(branch.body, into);
        if (node.otherwise) dynamicNames(node.otherwise, into);
        break;
      case 'case':
        for (const when of node.whens) dynamicNames(when.body, into);
        if (node.otherwise) dynamicNames(node.otherwise, into);
        break;
      case 'for':
        dynamicNames(node.body, into);
        if (node.otherwise) dynamicNames(node.otherwise, into);
        break;
      case 'tablerow':
      case 'ifchanged':
        dynamicNames(node.body, into);
        break;
      default:
        break;
    }
  }
  return into;
}

function usesContinue(nodes: readonly TemplateNode[]): boolean {
  return nodes.some((node) => {
    switch (node.kind) {
      case 'for':
        return node.offset === 'continue' || usesContinue(node.body) || usesContinue(node.otherwise ?? []);
      case 'if':
      case 'unless':
        return (
          node.branches.some((branch) => usesContinue(branch.body)) || usesContinue(node.otherwise ?? [])
        );
      case 'case':
        return node.whens.some((when) => usesContinue(when.body)) || usesContinue(node.otherwise ?? []);
      case 'capture':
      case 'tablerow':
      case 'ifchanged':
        return usesContinue(node.body);
      default:
        return false;
    }
  });
}

function hasLoopControl(nodes: readonly TemplateNode[]): boolean {
  for (const node of nodes) {
    switch (node.kind) {
      case 'break':
      case 'continue':
        return true;
      case 'if':
      case 'unless':
        if (node.branches.some((branch) => hasLoopControl(branch.body))) return true;
        if (node.otherwise && hasLoopControl(node.otherwise)) return true;
        break;
      case 'case':
        if (node.whens.some((when) => hasLoopControl(when.body))) return true;
        if (node.otherwise && hasLoopControl(node.otherwise)) return true;
        break;
      case 'capture':
      case 'ifchanged':
        if (hasLoopControl(node.body)) return true;
        break;
      case 'for':
        // A `break` in a loop's `else` leaves the enclosing loop.
        if (node.otherwise && hasLoopControl(node.otherwise)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

interface ScopeEntry {
  readonly name: string;
  readonly loop: 'for' | 'tablerow';
}
type Scope = readonly ScopeEntry[];

class Compiler {
  private readonly dynamic: Set<string>;
  private readonly urlOutputs: ReadonlySet<object>;
  /** Whether a loop of this template uses `offset: continue` (only then do loops record where they stopped). */
  private readonly continues: boolean;

  constructor(
    private readonly shared: Shared,
    private readonly body: readonly TemplateNode[],
    extraNames: readonly string[] = [],
  ) {
    this.dynamic = dynamicNames(body, new Set(extraNames));
    this.urlOutputs = shared.escapes ? urlAttributeOutputs(body) : new Set();
    this.continues = usesContinue(body);
  }

  program(): Run {
    return this.block(this.body, []);
  }

  block(nodes: readonly TemplateNode[], scope: Scope): Run {
    const runs = nodes.map((node) => this.node(node, scope));
    if (runs.length === 0) return () => {};
    if (runs.length === 1) return runs[0] as Run;
    if (hasLoopControl(nodes)) {
      return (state) => {
        for (let i = 0; i < runs.length; i++) {
          (runs[i] as Run)(state);
          if (state.control !== 0) return;
        }
      };
    }
    return (state) => {
      for (let i = 0; i < runs.length; i++) (runs[i] as Run)(state);
    };
  }

  node(node: TemplateNode, scope: Scope): Run {
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
      case 'echo':
        return this.output(node, scope);
      case 'if':
      case 'unless': {
        const blank = isBlankNode(node);
        const branches = node.branches.map((branch, index) => {
          const test = this.condition(branch.condition, scope);
          const negate = node.kind === 'unless' && index === 0;
          return {
            test: negate ? (state: State) => !test(state) : test,
            body: this.block(blank ? withoutWhitespace(branch.body) : branch.body, scope),
          };
        });
        const otherwise = node.otherwise
          ? this.block(blank ? withoutWhitespace(node.otherwise) : node.otherwise, scope)
          : null;
        if (branches.length === 1 && otherwise === null) {
          const [only] = branches as [(typeof branches)[number]];
          return (state) => {
            if (only.test(state)) only.body(state);
          };
        }
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
      case 'case':
        return this.caseNode(node, scope);
      case 'for':
        return this.loop(node, scope);
      case 'tablerow':
        return this.tablerow(node, scope);
      case 'assign': {
        const value = this.pipeline(node.value, node.filters, scope, 'missing');
        const name = node.name;
        return (state) => {
          state.vars ??= new Map();
          state.vars.set(name, value(state));
        };
      }
      case 'capture': {
        const body = this.block(node.body, scope);
        const name = node.name;
        const escapes = this.shared.escapes;
        return (state) => {
          const outer = state.out;
          state.out = '';
          try {
            body(state);
          } finally {
            const captured = state.out;
            state.out = outer;
            state.vars ??= new Map();
            state.vars.set(name, captured);
            if (escapes) {
              state.safe ??= new Set();
              state.safe.add(captured);
            }
          }
        };
      }
      case 'increment':
      case 'decrement': {
        const name = node.name;
        const up = node.kind === 'increment';
        return (state) => {
          state.counters ??= new Map();
          const current = state.counters.get(name) ?? 0;
          if (up) {
            state.out += String(current);
            state.counters.set(name, current + 1);
          } else {
            state.counters.set(name, current - 1);
            state.out += String(current - 1);
          }
        };
      }
      case 'break':
        return (state) => {
          state.control = BREAK;
        };
      case 'continue':
        return (state) => {
          state.control = CONTINUE;
        };
      case 'cycle': {
        const values = node.values.map((value) => this.expression(value, scope, null));
        const group = node.group ? this.expression(node.group, scope, null) : null;
        const fixedKey = `\u0000${node.values.map(printExpression).join(',')}`;
        const escapes = this.shared.escapes;
        return (state) => {
          const key = group ? safeString(group(state)) : fixedKey;
          // Shopify's rule: a group's position may come from a cycle with more values (nothing printed then).
          state.cycles ??= new Map();
          const index = state.cycles.get(key) ?? 0;
          state.cycles.set(key, index + 1 >= values.length ? 0 : index + 1);
          const read = values[index];
          const text = read ? stringify(read(state), state.env.maxLength) : '';
          state.out += escapes ? escapeHtml(text) : text;
        };
      }
      case 'ifchanged': {
        const body = this.block(node.body, scope);
        return (state) => {
          const outer = state.out;
          state.out = '';
          let rendered = '';
          try {
            body(state);
          } finally {
            rendered = state.out;
            state.out = outer;
          }
          if (rendered !== state.ifchanged) {
            state.ifchanged = rendered;
            state.out += rendered;
          }
        };
      }
      case 'render':
        return this.renderSnippet(node, scope);
    }
  }

  /** `{{ value | filters }}` and `{% echo %}`: escaped on escaping channels, URLs checked in `href`/`src`. */
  output(node: Extract<TemplateNode, { kind: 'output' | 'echo' }>, scope: Scope): Run {
    const { value, filters } = node;
    const hasDefault = filters.some((filter) => filter.name === 'default');
    const report = hasDefault ? 'defaulted' : 'missing';
    const last = filters[filters.length - 1];
    const { escapes, custom, limits } = this.shared;
    const safeLast =
      last !== undefined && SAFE_OUTPUT_FILTERS.has(last.name) && !Object.hasOwn(custom, last.name);
    // On an escaping channel, a final `newline_to_br` escapes its input and keeps its `<br />`.
    const breakLines = escapes && safeLast && last.name === 'newline_to_br';
    const read = this.pipeline(value, breakLines ? filters.slice(0, -1) : filters, scope, report);
    const escapeOutput = escapes && !safeLast;
    const checkUrl = this.urlOutputs.has(node);
    const max = limits.maxOutputLength;
    const at = node.at;
    if (!escapeOutput && !breakLines && !checkUrl) {
      return (state) => {
        state.out += stringify(read(state), max);
        if (state.out.length > max) throw outputLimitAt(max, at);
      };
    }
    return (state) => {
      const current = read(state);
      let text = stringify(current, max);
      if (breakLines) text = escapeHtml(text).replace(/\r?\n/gm, '<br />\n');
      else if (escapeOutput && !(typeof current === 'string' && state.safe?.has(current)))
        text = escapeHtml(text);
      if (checkUrl && !isSafeUrl(text) && atValueStart(state.out)) {
        state.warnings.push({
          code: 'unsafe_url',
          message: `the URL printed at line ${at.line}, column ${at.column} is not http, https or mailto and was replaced by \`#\``,
        });
        text = '#';
      }
      state.out += text;
      if (state.out.length > max) throw outputLimitAt(max, at);
    };
  }

  /** A value followed by its filters. */
  pipeline(
    value: Expression,
    filters: readonly FilterCall[],
    scope: Scope,
    report: 'missing' | 'defaulted',
  ): Evaluate {
    const hasDefault = filters.some((filter) => filter.name === 'default');
    const read = this.expression(value, scope, hasDefault ? 'defaulted' : report);
    if (filters.length === 0) return read;
    const applied = filters.map((filter) => this.filter(filter, scope, hasDefault ? 'defaulted' : report));
    if (applied.length === 1) {
      const only = applied[0] as AppliedFilter;
      return (state) => only(state, read(state));
    }
    return (state) => {
      let current = read(state);
      for (let i = 0; i < applied.length; i++) current = (applied[i] as AppliedFilter)(state, current);
      return current;
    };
  }

  filter(call: FilterCall, scope: Scope, report: 'missing' | 'defaulted'): AppliedFilter {
    const { custom: customs } = this.shared;
    const custom = Object.hasOwn(customs, call.name) ? customs[call.name] : undefined;
    const spec: TemplateFilterSpec | undefined =
      custom || !Object.hasOwn(builtinFilters, call.name) ? undefined : builtinFilters[call.name];
    if (!custom && !spec) {
      const suggestion = closest(call.name, [...Object.keys(builtinFilters), ...Object.keys(customs)]);
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
    const first = call.args[0];
    const floatDivisor = name === 'divided_by' && first?.kind === 'literal' && first.float === true;
    const maxItems = this.shared.limits.maxLoopIterations;
    return (state, input) => {
      const value = input instanceof LiquidRange ? materialize(state, input, maxItems) : input;
      const values = args.map((arg) => {
        const v = arg(state);
        return v instanceof LiquidRange ? materialize(state, v, maxItems) : v;
      });
      let result: unknown;
      try {
        if (custom) result = custom(value, ...values);
        else {
          const options: Record<string, unknown> = floatDivisor ? { float_divisor: true } : {};
          for (const [key, arg] of named) options[key] = arg(state);
          result = (spec as TemplateFilterSpec).apply(state.env, value, values, options);
        }
      } catch (error) {
        if (error instanceof TemplateRenderError) throw error;
        if (state.strict) {
          throw new TemplateRenderError('filter_failed', `the filter \`${name}\` failed: ${String(error)}`);
        }
        state.warnings.push({
          code: 'filter_failed',
          message: `the filter \`${name}\` failed and was skipped: ${String(error)}`,
        });
        return value;
      }
      if (typeof result === 'string' || Array.isArray(result)) {
        const max = state.env.maxLength as number;
        // A custom filter's result is bounded like a built-in one's.
        if (result.length > max) throw outputLimit(max, `the result of \`${name}\``);
        charge(state, result.length + 1);
      } else charge(state, 1);
      return result;
    };
  }

  condition(condition: Condition, scope: Scope): (state: State) => boolean {
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

  compare(op: string, leftExpression: Expression, rightExpression: Expression, scope: Scope) {
    const special = (expression: Expression) =>
      expression.kind === 'empty' || expression.kind === 'blank' ? expression.kind : null;
    const leftSpecial = special(leftExpression);
    const rightSpecial = special(rightExpression);
    if (leftSpecial && rightSpecial) {
      // `blank == empty` and even `empty == empty` are false in Shopify's Liquid: neither is a value.
      return op === '!=' || op === '<>' ? () => true : () => false;
    }
    if ((leftSpecial || rightSpecial) && (op === '==' || op === '!=' || op === '<>')) {
      const kind = (rightSpecial ?? leftSpecial) as 'empty' | 'blank';
      const other = this.expression(rightSpecial ? leftExpression : rightExpression, scope, null);
      const check = kind === 'empty' ? isEmpty : isBlank;
      return op === '==' ? (state: State) => check(other(state)) : (state: State) => !check(other(state));
    }
    const isNilLiteral = (expression: Expression) =>
      expression.kind === 'literal' && expression.value === null;
    if (isNilLiteral(leftExpression) || isNilLiteral(rightExpression)) {
      // `nil` written in a template equals any missing or nil value and is never ordered.
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
      if (op === '!=' || op === '<>') return (state: State) => !isNil(state);
      if (op !== 'contains') return () => false;
    }
    const left = this.expression(leftExpression, scope, null);
    const right = this.expression(rightExpression, scope, null);
    switch (op) {
      case '==':
        return (state: State) => equals(left(state), right(state));
      case '!=':
      case '<>':
        return (state: State) => !equals(left(state), right(state));
      case 'contains':
        return (state: State) => contains(state, left(state), right(state));
      default:
        return (state: State) => order(op, left(state), right(state));
    }
  }

  caseNode(node: Extract<TemplateNode, { kind: 'case' }>, scope: Scope): Run {
    const subject = this.expression(node.value, scope, null);
    const blank = isBlankNode(node);
    const whens = node.whens.map((when) => ({
      // `when nil` matches a missing value too, as `== nil` does.
      values: when.values.map((value) =>
        value.kind === 'literal' && value.value === null ? () => NIL : this.expression(value, scope, null),
      ),
      body: this.block(blank ? withoutWhitespace(when.body) : when.body, scope),
    }));
    const otherwise = node.otherwise
      ? this.block(blank ? withoutWhitespace(node.otherwise) : node.otherwise, scope)
      : null;
    return (state) => {
      const value = subject(state);
      let matched = false;
      // Shopify runs every `when` that matches, in order; `else` only when none did.
      for (const when of whens) {
        if (
          when.values.some((candidate) => {
            const other = candidate(state);
            return other === NIL ? value === undefined || value === null : equals(value, other);
          })
        ) {
          matched = true;
          when.body(state);
          if (state.control !== 0) return;
        }
      }
      if (!matched && otherwise) otherwise(state);
    };
  }

  /** Reads the collection of a loop: a lazy range (from, count) or a list. */
  collection(expression: Expression, scope: Scope, report: 'missing' | null): (state: State) => unknown {
    return this.expression(expression, scope, report);
  }

  loopWindow(
    node: ForNode | TablerowNode,
    scope: Scope,
  ): (state: State) => {
    items: readonly unknown[] | null;
    from: number;
    start: number;
    count: number;
    end: number;
  } {
    const hasOtherwise = node.kind === 'for' && node.otherwise !== null;
    const collection = this.collection(node.collection, scope, hasOtherwise ? null : 'missing');
    const limit = node.limit ? this.expression(node.limit, scope, null) : null;
    const offsetNode = node.offset;
    const offset = offsetNode && offsetNode !== 'continue' ? this.expression(offsetNode, scope, null) : null;
    const continues = offsetNode === 'continue';
    // Every loop records where it stopped, for a later `offset: continue` over the same collection.
    const registry = `${node.variable}-${printExpression(node.collection)}`;
    const recorded = this.continues;
    return (state) => {
      const value = collection(state);
      let items: readonly unknown[] | null = null;
      let from = 0;
      let total: number;
      if (value instanceof LiquidRange) {
        from = value.from;
        total = value.size;
      } else {
        items = toEnumerable(value);
        total = items.length;
      }
      let start = 0;
      if (continues) start = state.offsets?.get(registry) ?? 0;
      else if (offset) start = Math.max(0, toInteger(offset(state)));
      start = Math.min(start, total);
      let end = total;
      if (limit) end = Math.min(total, start + Math.max(0, toInteger(limit(state))));
      const count = Math.max(0, end - start);
      if (recorded) {
        state.offsets ??= new Map();
        state.offsets.set(registry, end);
      }
      return { items, from, start, count, end };
    };
  }

  loop(node: ForNode, scope: Scope): Run {
    const window = this.loopWindow(node, scope);
    const inner: Scope = [...scope, { name: node.variable, loop: 'for' }];
    const depth = scope.length;
    const parentDepth = lastLoop(scope, 'for');
    const blank = isBlankNode(node);
    const body = this.block(blank ? withoutWhitespace(node.body) : node.body, inner);
    const otherwise = node.otherwise
      ? this.block(blank ? withoutWhitespace(node.otherwise) : node.otherwise, scope)
      : null;
    const reversed = node.reversed;
    const { maxLoopIterations, maxOutputLength } = this.shared.limits;
    const at = node.at;
    const controls = hasLoopControl(node.body);
    return (state) => {
      const { items, from, start, count, end } = window(state);
      if (count === 0) {
        if (otherwise) otherwise(state);
        return;
      }
      const frame: Frame = {
        item: undefined,
        index: 0,
        length: count,
        parent: parentDepth >= 0 ? (state.frames[parentDepth] as Frame) : null,
        cols: 0,
      };
      const saved = state.frames[depth];
      state.frames[depth] = frame;
      try {
        for (let i = 0; i < count; i++) {
          if (++state.iterations > maxLoopIterations) throw loopLimit(maxLoopIterations, at);
          const position = reversed ? end - 1 - i : start + i;
          frame.item = items === null ? from + position : readElement(items, position);
          frame.index = i;
          body(state);
          if (state.out.length > maxOutputLength) throw outputLimitAt(maxOutputLength, at);
          charge(state, 1);
          if (controls && state.control !== 0) {
            const signal = state.control;
            state.control = 0;
            if (signal === BREAK) break;
          }
        }
      } finally {
        if (saved) state.frames[depth] = saved;
        else state.frames.length = depth;
      }
    };
  }

  tablerow(node: TablerowNode, scope: Scope): Run {
    const window = this.loopWindow(node, scope);
    const cols = node.cols ? this.expression(node.cols, scope, null) : null;
    const inner: Scope = [...scope, { name: node.variable, loop: 'tablerow' }];
    const depth = scope.length;
    const body = this.block(node.body, inner);
    const { maxLoopIterations, maxOutputLength } = this.shared.limits;
    const at = node.at;
    const controls = hasLoopControl(node.body);
    return (state) => {
      const { items, from, start, count } = window(state);
      const columns = cols ? toInteger(cols(state)) : 0;
      const frame: Frame = {
        item: undefined,
        index: 0,
        length: count,
        parent: null,
        cols: columns > 0 ? columns : count,
      };
      const saved = state.frames[depth];
      state.frames[depth] = frame;
      state.out += '<tr class="row1">\n';
      try {
        for (let i = 0; i < count; i++) {
          if (++state.iterations > maxLoopIterations) throw loopLimit(maxLoopIterations, at);
          frame.item = items === null ? from + start + i : readElement(items, start + i);
          frame.index = i;
          const col = i % frame.cols;
          state.out += `<td class="col${col + 1}">`;
          body(state);
          state.out += '</td>';
          if (col === frame.cols - 1 && i !== count - 1)
            state.out += `</tr>\n<tr class="row${Math.floor(i / frame.cols) + 2}">`;
          if (state.out.length > maxOutputLength) throw outputLimitAt(maxOutputLength, at);
          charge(state, 1);
          if (controls && state.control !== 0) {
            const signal = state.control;
            state.control = 0;
            if (signal === BREAK) break;
          }
        }
      } finally {
        if (saved) state.frames[depth] = saved;
        else state.frames.length = depth;
      }
      state.out += '</tr>\n';
    };
  }

  renderSnippet(node: Extract<TemplateNode, { kind: 'render' }>, scope: Scope): Run {
    const { partials, snippets, limits } = this.shared;
    if (!Object.hasOwn(partials, node.snippet)) {
      const suggestion = closest(node.snippet, Object.keys(partials));
      throw new TemplateSyntaxError(
        'unknown_snippet',
        `there is no snippet \`${node.snippet}\` to render${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        node.at.line,
        node.at.column,
      );
    }
    const alias = node.alias ?? node.snippet;
    const names = [...node.args.map(([key]) => key), ...(node.value ? [alias] : [])];
    // One compiled body per (snippet, argument names): a recursive snippet refers to itself.
    const key = `${node.snippet}\u0000${names.join('\u0000')}`;
    let snippet = snippets.get(key);
    if (!snippet) {
      snippet = { run: null };
      snippets.set(key, snippet);
      const ast = parseTemplate(partials[node.snippet] as string, {
        maxLength: limits.maxTemplateLength,
        maxDepth: limits.maxNestingDepth,
      });
      snippet.run = new Compiler(this.shared, ast.body, names).program();
    }
    const target = snippet;
    const args = node.args.map(([name, value]) => [name, this.expression(value, scope, 'missing')] as const);
    const value = node.value ? this.expression(node.value, scope, 'missing') : null;
    const mode = node.mode;
    const at = node.at;
    const { maxRenderDepth, maxLoopIterations } = limits;
    const snippetName = node.snippet;
    const once = (state: State, vars: Map<string, unknown>) => {
      if (state.renderDepth >= maxRenderDepth) {
        throw renderError(
          'template_render_depth',
          `\`render "${snippetName}"\` goes deeper than the limit of ${maxRenderDepth} snippets`,
          at,
        );
      }
      const saved = { vars: state.vars, counters: state.counters, frames: state.frames };
      state.vars = vars;
      state.counters = null;
      state.frames = [];
      state.renderDepth++;
      checkClock(state);
      try {
        (target.run as Run)(state);
      } finally {
        state.renderDepth--;
        state.vars = saved.vars;
        state.counters = saved.counters;
        state.frames = saved.frames;
        state.control = 0;
      }
    };
    return (state) => {
      const base = new Map<string, unknown>();
      for (const [name, read] of args) base.set(name, read(state));
      if (mode === 'for' && value) {
        const collection = value(state);
        const items =
          collection instanceof LiquidRange
            ? materialize(state, collection, maxLoopIterations)
            : toEnumerable(collection);
        for (let i = 0; i < items.length; i++) {
          if (++state.iterations > maxLoopIterations) throw loopLimit(maxLoopIterations, at);
          const vars = new Map(base);
          vars.set(alias, readProperty(items, i));
          const frame: Frame = { item: undefined, index: i, length: items.length, parent: null, cols: 0 };
          vars.set('forloop', forloopObject(frame));
          once(state, vars);
        }
        return;
      }
      if (value) base.set(alias, value(state));
      once(state, base);
    };
  }

  expression(expression: Expression, scope: Scope, report: 'missing' | 'defaulted' | null): Evaluate {
    switch (expression.kind) {
      case 'literal': {
        const value = expression.value;
        return () => value;
      }
      case 'empty':
      case 'blank':
        return () => '';
      case 'range': {
        const from = this.expression(expression.from, scope, null);
        const to = this.expression(expression.to, scope, null);
        return (state) => toRange(from(state), to(state));
      }
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

  path(path: PathExpression, scope: Scope): Evaluate {
    const depth = path.rootKey ? -1 : lastIndexOfName(scope, path.root);
    const segments = path.segments.map((segment) =>
      typeof segment === 'object' ? this.expression(segment, scope, null) : segment,
    );
    let root: Evaluate;
    let rest = segments;
    const forDepth = lastLoop(scope, 'for');
    const tableDepth = lastLoop(scope, 'tablerow');
    if (path.rootKey) {
      const key = this.expression(path.rootKey, scope, null);
      root = (state) => {
        const name = key(state);
        return typeof name === 'string' ? this.lookup(state, name) : undefined;
      };
    } else if (depth >= 0) {
      root = (state) => (state.frames[depth] as Frame).item;
    } else if (
      (path.root === 'forloop' && forDepth >= 0) ||
      (path.root === 'tablerowloop' && tableDepth >= 0)
    ) {
      const loopDepth = path.root === 'forloop' ? forDepth : tableDepth;
      const table = path.root === 'tablerowloop';
      const [first, ...others] = segments;
      if (typeof first === 'string') {
        rest = others;
        root = (state) => loopProperty(state.frames[loopDepth] as Frame, first, table);
      } else root = (state) => forloopObject(state.frames[loopDepth] as Frame, table);
    } else if (this.dynamic.has(path.root) || path.root === 'forloop') {
      const name = path.root;
      root = (state) => this.lookup(state, name);
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

  /** A name at run time: the render's variables, then its counters, then the host's context. */
  lookup(state: State, name: string): unknown {
    if (state.vars?.has(name)) return state.vars.get(name);
    if (state.counters?.has(name)) return state.counters.get(name);
    return readProperty(state.root, name);
  }
}

type AppliedFilter = (state: State, value: unknown) => unknown;

function lastIndexOfName(scope: Scope, name: string): number {
  for (let i = scope.length - 1; i >= 0; i--) if ((scope[i] as ScopeEntry).name === name) return i;
  return -1;
}

function lastLoop(scope: Scope, loop: 'for' | 'tablerow'): number {
  for (let i = scope.length - 1; i >= 0; i--) if ((scope[i] as ScopeEntry).loop === loop) return i;
  return -1;
}

function outputLimitAt(max: number, at: { line: number; column: number }): TemplateRenderError {
  return renderError(
    'template_output_limit',
    `the output would be longer than the limit of ${max} characters`,
    at,
  );
}

function loopLimit(max: number, at: { line: number; column: number }): TemplateRenderError {
  return renderError(
    'template_loop_limit',
    `the loops of this template ran more than ${max} times in one render`,
    at,
  );
}

/** Builds a range's numbers for a filter, each one counted against the loop limit. */
function materialize(state: State, range: LiquidRange, max: number): number[] {
  const size = range.size;
  if (state.iterations + size > max) {
    throw new TemplateRenderError(
      'template_loop_limit',
      `the range ${range.from}..${range.to} has ${size} numbers; with the loops before it that passes the limit of ${max} iterations`,
    );
  }
  state.iterations += size;
  const out: number[] = [];
  for (let i = 0; i < size; i++) out.push(range.from + i);
  return out;
}

function loopProperty(frame: Frame, name: string, table: boolean): unknown {
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
    case 'parentloop':
      return table || frame.parent === null ? undefined : forloopObject(frame.parent);
    default:
      break;
  }
  if (!table) return undefined;
  const col = frame.index % frame.cols;
  switch (name) {
    case 'col':
      return col + 1;
    case 'col0':
      return col;
    case 'row':
      return Math.floor(frame.index / frame.cols) + 1;
    case 'col_first':
      return col === 0;
    case 'col_last':
      return col === frame.cols - 1;
    default:
      return undefined;
  }
}

/** `forloop` as a plain object (for `forloop.parentloop` and printing), built only when asked. */
function forloopObject(frame: Frame, table = false): Record<string, unknown> {
  const names = ['index', 'index0', 'rindex', 'rindex0', 'first', 'last', 'length'];
  if (table) names.push('col', 'col0', 'row', 'col_first', 'col_last');
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = loopProperty(frame, name, table);
  if (!table && frame.parent) out.parentloop = forloopObject(frame.parent);
  return out;
}

function toRange(fromValue: unknown, toValue: unknown): LiquidRange {
  const from = toRangeNumber(fromValue);
  const to = toRangeNumber(toValue);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
    throw new TemplateRenderError(
      'template_range_limit',
      `a range needs whole numbers between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got ${safeString(fromValue)}..${safeString(toValue)}`,
    );
  }
  return new LiquidRange(from, to);
}

function toRangeNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : value;
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isNaN(n) ? 0 : Math.trunc(n);
  }
  if (typeof value === 'boolean') return Number.NaN;
  return Number.NaN;
}

function contains(state: State, haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(haystack)) {
    charge(state, haystack.length);
    for (let i = 0; i < haystack.length; i++) if (equals(readProperty(haystack, i), needle)) return true;
    return false;
  }
  if (typeof haystack === 'string') {
    charge(state, haystack.length);
    return needle !== undefined && needle !== null && haystack.includes(safeString(needle));
  }
  // A hash contains its keys, as in Ruby.
  if (isPlainObject(haystack) && typeof needle === 'string')
    return readProperty(haystack, needle) !== undefined;
  return false;
}

/**
 * Ordering as Shopify's Liquid allows it: numbers with numbers, strings with strings. Anything
 * else (a number and a string, nil, a list) is not ordered and the comparison is false (Shopify
 * prints a "Liquid error" there; LiquidJS compares as JavaScript would).
 */
function order(op: string, left: unknown, right: unknown): boolean {
  const l = left instanceof Date ? left.getTime() : left;
  const r = right instanceof Date ? right.getTime() : right;
  if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string')))
    return false;
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

function toEnumerable(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  if (isPlainObject(value)) return Object.keys(value).map((key) => [key, readProperty(value, key)]);
  return [];
}

function toInteger(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(safeString(value));
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** A URL printed at the start of an `href`/`src` value on an escaping channel: http, https or mailto only. */
function isSafeUrl(text: string): boolean {
  // Browsers skip leading spaces and control characters before the scheme; so does this check.
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  return /^(https?:|mailto:)/i.test(text.slice(i, i + 7));
}
