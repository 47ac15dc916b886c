import type { z } from 'zod';
import type {
  Condition,
  Expression,
  FilterCall,
  PathExpression,
  SourcePosition,
  TemplateNode,
} from './ast.js';
import { type TemplateLintCode, TemplateSyntaxError } from './errors.js';
import { builtinFilters, type TemplateFilter } from './filters.js';
import { parseTemplate } from './parseTemplate.js';
import { pathText } from './printTemplate.js';
import { closest } from './suggest.js';

/** One problem `lintTemplate` found, where it is, and what to do. */
export interface TemplateLintIssue {
  /** `template_syntax`, `unknown_variable`, `unknown_filter`, `may_be_missing` or `not_a_list`. */
  readonly code: TemplateLintCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** The variable path or filter name concerned. */
  readonly subject: string;
  readonly line: number;
  readonly column: number;
  /** A name that exists and is close to the one written ("did you mean"). */
  readonly suggestion?: string;
}

/** What `lintTemplate` found: `ok` is false when there is at least one error. */
export interface TemplateLintResult {
  readonly ok: boolean;
  readonly issues: readonly TemplateLintIssue[];
}

/** Options of {@link lintTemplate}. */
export interface LintOptions {
  /** Custom filters the template may use (only the names matter). */
  readonly filters?: Readonly<Record<string, TemplateFilter>>;
  /** Snippets `{% render %}` may name (only the names matter). */
  readonly partials?: Readonly<Record<string, string>>;
}

/** A zod schema (zod 4), as `lintTemplate` accepts it. */
export type VariableSchema = z.core.$ZodType;
type Schema = VariableSchema;

interface Shape {
  /** null: anything goes (any, unknown, union, record values...). */
  readonly kind: 'object' | 'array' | 'scalar' | 'string' | 'any';
  readonly optional: boolean;
  readonly keys?: Readonly<Record<string, Schema>>;
  readonly element?: Schema;
  readonly values?: Schema;
}

function def(schema: Schema): { type: string } & Record<string, unknown> {
  return schema._zod.def as unknown as { type: string } & Record<string, unknown>;
}

function describe(schema: Schema): Shape {
  let current = schema;
  let optional = false;
  for (let guard = 0; guard < 32; guard++) {
    const d = def(current);
    switch (d.type) {
      case 'optional':
      case 'nullable':
        optional = true;
        current = d.innerType as Schema;
        continue;
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        current = d.innerType as Schema;
        continue;
      case 'pipe':
        current = d.in as Schema;
        continue;
      case 'lazy':
        current = (d.getter as () => Schema)();
        continue;
      case 'object':
        return { kind: 'object', optional, keys: d.shape as Record<string, Schema> };
      case 'array':
        return { kind: 'array', optional, element: d.element as Schema };
      case 'record':
        return { kind: 'object', optional, values: d.valueType as Schema };
      case 'string':
      case 'enum':
      case 'literal':
      case 'template_literal':
        return { kind: 'string', optional };
      case 'number':
      case 'int':
      case 'boolean':
      case 'bigint':
      case 'date':
      case 'null':
      case 'undefined':
        return { kind: 'scalar', optional: optional || d.type === 'undefined' || d.type === 'null' };
      default:
        return { kind: 'any', optional };
    }
  }
  return { kind: 'any', optional };
}

/**
 * Checks a template at authoring time against a zod schema of the variables it may use: unknown
 * variables (with a "did you mean"), unknown filters and wrong argument counts, snippets that
 * do not exist, loops over something that is not a list, and variables that can be missing
 * (optional or nullable in the schema) printed without a `default` filter or an enclosing `if`
 * that tests them. Variables made by `assign`, `capture`, `increment` and `decrement` are known.
 * Without a schema, everything but the variables is checked (syntax, unclosed tags, filters).
 *
 * @example
 * ```ts
 * const schema = z.object({ customer: z.object({ first_name: z.string().optional() }) });
 * lintTemplate('Hi {{ customer.firstname }} {{ customer.first_name }}', schema).issues.map((issue) => issue.message);
 * //=> ['unknown variable `customer.firstname`; did you mean `customer.first_name`?',
 * //    '`customer.first_name` can be missing; add `| default: "…"` or test it with `{% if %}`']
 * ```
 */
export function lintTemplate(source: string, schema?: Schema, options: LintOptions = {}): TemplateLintResult {
  let body: readonly TemplateNode[];
  try {
    body = parseTemplate(source).body;
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    return {
      ok: false,
      issues: [
        {
          code: error.code,
          severity: 'error',
          message: error.reason,
          subject: '',
          line: error.line,
          column: error.column,
        },
      ],
    };
  }
  const linter = new Linter(
    schema ?? null,
    Object.keys(options.filters ?? {}),
    Object.keys(options.partials ?? {}),
  );
  const scope = new Map<string, Schema | null>();
  for (const name of assignedNames(body, new Set())) scope.set(name, null);
  linter.nodes(body, scope, new Set());
  return { ok: linter.issues.every((issue) => issue.severity !== 'error'), issues: linter.issues };
}

type Scope = ReadonlyMap<string, Schema | null>;

class Linter {
  readonly issues: TemplateLintIssue[] = [];
  private readonly filterNames: string[];
  private readonly custom: ReadonlySet<string>;

  constructor(
    private readonly schema: Schema | null,
    custom: readonly string[],
    private readonly partials: readonly string[],
  ) {
    this.filterNames = [...Object.keys(builtinFilters), ...custom];
    this.custom = new Set(custom);
  }

  report(issue: Omit<TemplateLintIssue, 'line' | 'column'>, at: SourcePosition): void {
    this.issues.push({ ...issue, line: at.line, column: at.column });
  }

  nodes(nodes: readonly TemplateNode[], scope: Scope, guarded: ReadonlySet<string>): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'output':
        case 'echo': {
          const defaulted = node.filters.some((filter) => filter.name === 'default');
          this.expression(node.value, scope, defaulted ? null : guarded);
          this.filters(node.filters, scope);
          break;
        }
        case 'assign':
          this.expression(node.value, scope, null);
          this.filters(node.filters, scope);
          break;
        case 'capture':
        case 'ifchanged':
          this.nodes(node.body, scope, guarded);
          break;
        case 'case':
          this.expression(node.value, scope, null);
          for (const when of node.whens) {
            for (const value of when.values) this.expression(value, scope, null);
            this.nodes(when.body, scope, guarded);
          }
          if (node.otherwise) this.nodes(node.otherwise, scope, guarded);
          break;
        case 'cycle':
          if (node.group) this.expression(node.group, scope, null);
          for (const value of node.values) this.expression(value, scope, null);
          break;
        case 'tablerow': {
          const shape = this.expression(node.collection, scope, null);
          for (const attribute of [node.cols, node.limit, node.offset])
            if (attribute) this.expression(attribute, scope, null);
          const inner = new Map(scope);
          inner.set(node.variable, shape?.kind === 'array' ? (shape.element ?? null) : null);
          this.nodes(node.body, inner, guarded);
          break;
        }
        case 'render':
          if (!this.partials.includes(node.snippet)) {
            const suggestion = closest(node.snippet, this.partials);
            this.report(
              {
                code: 'unknown_snippet',
                severity: 'error',
                message: `there is no snippet \`${node.snippet}\` to render${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
                subject: node.snippet,
                ...(suggestion ? { suggestion } : {}),
              },
              node.at,
            );
          }
          if (node.value) this.expression(node.value, scope, null);
          for (const [, value] of node.args) this.expression(value, scope, null);
          break;
        case 'if':
        case 'unless': {
          let inherited = guarded;
          for (const [index, branch] of node.branches.entries()) {
            this.condition(branch.condition, scope);
            const positive = node.kind === 'if' || index > 0;
            this.nodes(branch.body, scope, positive ? withTested(inherited, branch.condition) : inherited);
            if (node.kind === 'unless' && index === 0) inherited = withTested(inherited, branch.condition);
          }
          if (node.otherwise)
            this.nodes(
              node.otherwise,
              scope,
              node.kind === 'unless'
                ? withTested(guarded, (node.branches[0] as { condition: Condition }).condition)
                : guarded,
            );
          break;
        }
        case 'for': {
          let element: Schema | null = null;
          if (node.collection.kind === 'path') {
            const shape = this.expression(node.collection, scope, node.otherwise ? null : guarded);
            if (shape?.kind === 'array') element = shape.element ?? null;
            else if (shape && shape.kind !== 'any') {
              this.report(
                {
                  code: 'not_a_list',
                  severity: 'warning',
                  message: `\`${pathText(node.collection)}\` is not a list, so the loop runs once or not at all`,
                  subject: pathText(node.collection),
                },
                node.collection.at,
              );
            }
          } else if (node.collection.kind === 'range') {
            this.expression(node.collection.from, scope, null);
            this.expression(node.collection.to, scope, null);
          }
          if (node.limit) this.expression(node.limit, scope, null);
          if (node.offset && node.offset !== 'continue') this.expression(node.offset, scope, null);
          const inner = new Map(scope);
          inner.set(node.variable, element);
          this.nodes(node.body, inner, guarded);
          if (node.otherwise) this.nodes(node.otherwise, scope, guarded);
          break;
        }
        default:
          break;
      }
    }
  }

  filters(filters: readonly FilterCall[], scope: Scope): void {
    for (const filter of filters) {
      if (!this.filterNames.includes(filter.name)) {
        const suggestion = closest(filter.name, this.filterNames);
        this.report(
          {
            code: 'unknown_filter',
            severity: 'error',
            message: `unknown filter \`${filter.name}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
            subject: filter.name,
            ...(suggestion ? { suggestion } : {}),
          },
          filter.at,
        );
      } else if (!this.custom.has(filter.name)) {
        const spec = builtinFilters[filter.name] as (typeof builtinFilters)[string];
        if (filter.args.length < spec.min || filter.args.length > spec.max) {
          const expected = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
          this.report(
            {
              code: 'template_syntax',
              severity: 'error',
              message: `\`${filter.name}\` takes ${expected} argument${spec.max === 1 ? '' : 's'}, got ${filter.args.length}`,
              subject: filter.name,
            },
            filter.at,
          );
        }
      }
      for (const arg of filter.args) this.expression(arg, scope, null);
      for (const [, arg] of filter.named) this.expression(arg, scope, null);
    }
  }

  condition(condition: Condition, scope: Scope): void {
    switch (condition.kind) {
      case 'test':
        this.expression(condition.value, scope, null);
        return;
      case 'compare':
        this.expression(condition.left, scope, null);
        this.expression(condition.right, scope, null);
        return;
      case 'not':
        this.condition(condition.operand, scope);
        return;
      default:
        this.condition(condition.left, scope);
        this.condition(condition.right, scope);
    }
  }

  /** Checks a path; `guarded` null means a missing value is acceptable here. Returns the path's shape. */
  expression(expression: Expression, scope: Scope, guarded: ReadonlySet<string> | null): Shape | null {
    if (expression.kind === 'range') {
      this.expression(expression.from, scope, null);
      this.expression(expression.to, scope, null);
      return null;
    }
    if (expression.kind !== 'path') return null;
    const path = expression;
    if (path.rootKey) {
      this.expression(path.rootKey, scope, null);
      return null;
    }
    if (this.schema === null) {
      for (const segment of path.segments)
        if (typeof segment === 'object') this.expression(segment, scope, null);
      return null;
    }
    let shape: Shape;
    let prefix = pathText({ ...path, segments: [] });
    if (scope.has(path.root)) {
      const element = scope.get(path.root);
      if (element === null || element === undefined) return null;
      shape = describe(element);
    } else if ((path.root === 'forloop' || path.root === 'tablerowloop') && scope.size > 0) {
      return null;
    } else {
      const rootShape = describe(this.schema);
      const found = this.member(rootShape, path.root, path, prefix, path.root);
      if (!found) return null;
      shape = found;
    }
    let optionalUnguarded = shape.optional && !(guarded?.has(prefix) ?? true) ? prefix : null;
    for (const [index, segment] of path.segments.entries()) {
      if (typeof segment === 'object') {
        this.expression(segment, scope, null);
        return null;
      }
      const key = String(segment);
      const next = this.member(shape, key, path, prefix, `${prefix}.${key}`);
      prefix = pathText({ ...path, segments: path.segments.slice(0, index + 1) });
      if (!next) return null;
      shape = next;
      if (shape.optional && optionalUnguarded === null && !(guarded?.has(prefix) ?? true))
        optionalUnguarded = prefix;
    }
    if (optionalUnguarded !== null && guarded !== null) {
      const text = pathText(path);
      this.report(
        {
          code: 'may_be_missing',
          severity: 'warning',
          message: `\`${text}\` can be missing; add \`| default: "…"\` or test it with \`{% if %}\``,
          subject: text,
        },
        path.at,
      );
    }
    return shape;
  }

  member(shape: Shape, key: string, path: PathExpression, parent: string, full: string): Shape | null {
    if (shape.kind === 'any') return null;
    if (shape.kind === 'array') {
      if (key === 'size' || key === 'length') return { kind: 'scalar', optional: false };
      if (key === 'first' || key === 'last' || /^-?\d+$/.test(key)) {
        const element = describe(shape.element as Schema);
        return { ...element, optional: true };
      }
    } else if (shape.kind === 'string') {
      if (key === 'size' || key === 'length') return { kind: 'scalar', optional: false };
    } else if (shape.kind === 'object') {
      if (shape.values) return describe(shape.values);
      const keys = shape.keys ?? {};
      if (Object.hasOwn(keys, key)) return describe(keys[key] as Schema);
      if (key === 'size') return { kind: 'scalar', optional: false };
      const suggestion = closest(key, Object.keys(keys));
      const suggested = suggestion === null ? null : full === key ? suggestion : `${parent}.${suggestion}`;
      this.report(
        {
          code: 'unknown_variable',
          severity: 'error',
          message: `unknown variable \`${full}\`${suggested ? `; did you mean \`${suggested}\`?` : ''}`,
          subject: full,
          ...(suggested ? { suggestion: suggested } : {}),
        },
        path.at,
      );
      return null;
    }
    this.report(
      {
        code: 'unknown_variable',
        severity: 'error',
        message: `\`${parent}\` has no property \`${key}\``,
        subject: full,
      },
      path.at,
    );
    return null;
  }
}

/** Names `assign`, `capture`, `increment` and `decrement` make anywhere in the template. */
function assignedNames(nodes: readonly TemplateNode[], into: Set<string>): Set<string> {
  for (const node of nodes) {
    if (node.kind === 'assign' || node.kind === 'increment' || node.kind === 'decrement') into.add(node.name);
    else if (node.kind === 'capture') {
      into.add(node.name);
      assignedNames(node.body, into);
    } else if (node.kind === 'if' || node.kind === 'unless') {
      for (const branch of node.branches) assignedNames(branch.body, into);
      if (node.otherwise) assignedNames(node.otherwise, into);
    } else if (node.kind === 'case') {
      for (const when of node.whens) assignedNames(when.body, into);
      if (node.otherwise) assignedNames(node.otherwise, into);
    } else if (node.kind === 'for') {
      assignedNames(node.body, into);
      if (node.otherwise) assignedNames(node.otherwise, into);
    } else if (node.kind === 'tablerow' || node.kind === 'ifchanged') assignedNames(node.body, into);
  }
  return into;
}

/** The guarded set plus every prefix of the paths a condition tests as present. */
function withTested(guarded: ReadonlySet<string>, condition: Condition): ReadonlySet<string> {
  const out = new Set(guarded);
  const visit = (c: Condition): void => {
    if (c.kind === 'test' && c.value.kind === 'path') addPrefixes(out, c.value);
    else if (c.kind === 'compare' && c.op !== '==') {
      if (c.left.kind === 'path') addPrefixes(out, c.left);
    } else if (c.kind === 'and') {
      visit(c.left);
      visit(c.right);
    }
  };
  visit(condition);
  return out;
}

function addPrefixes(set: Set<string>, path: PathExpression): void {
  for (let i = 0; i <= path.segments.length; i++)
    set.add(pathText({ ...path, segments: path.segments.slice(0, i) }));
}
