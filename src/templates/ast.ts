/** Where a piece of syntax starts in the template source (1-based). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A literal value written in the template: a string, a number, `true`/`false` or `nil`. */
export interface LiteralExpression {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
  /** A number written with a decimal point (`7.0`): `divided_by` then divides as floats, as Liquid does. */
  readonly float?: true;
}

/** `empty` or `blank`: only meaningful in comparisons (`{% if items == empty %}`). */
export interface SpecialExpression {
  readonly kind: 'empty' | 'blank';
}

/** One step of a variable path: a name (`.first_name`), an index (`[0]`) or a computed key (`[key]`). */
export type PathSegment = string | number | Expression;

/**
 * A variable path such as `customer.first_name`, `order.items[0]` or `["Order Number"]`. `{{ [key] }}`
 * reads the variable named by the value of `key`: its `root` is `''` and `rootKey` is `key`.
 */
export interface PathExpression {
  readonly kind: 'path';
  readonly root: string;
  readonly rootKey?: Expression;
  readonly segments: readonly PathSegment[];
  readonly at: SourcePosition;
}

/** An integer range `(1..n)`: lazy (never built as an array unless a filter needs one). */
export interface RangeExpression {
  readonly kind: 'range';
  readonly from: Expression;
  readonly to: Expression;
}

/** A value in the template. */
export type Expression = LiteralExpression | SpecialExpression | PathExpression | RangeExpression;

/** A comparison operator of a condition. */
export type ComparisonOperator = '==' | '!=' | '<>' | '<' | '>' | '<=' | '>=' | 'contains';

/** A condition of `if`, `elsif` and `unless`. `and`/`or` group from the right, as in Liquid. */
export type Condition =
  | { readonly kind: 'test'; readonly value: Expression }
  | {
      readonly kind: 'compare';
      readonly op: ComparisonOperator;
      readonly left: Expression;
      readonly right: Expression;
    }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition };

/** A filter applied in an output: `| truncate: 20, "…"` or `| default: "x", allow_false: true`. */
export interface FilterCall {
  readonly name: string;
  readonly args: readonly Expression[];
  readonly named: readonly (readonly [string, Expression])[];
  readonly at: SourcePosition;
}

/** Whitespace control on a tag or output: `{{-` trims the text before it, `-}}` the text after it. */
export interface Trim {
  readonly left: boolean;
  readonly right: boolean;
}

/** Literal text of the template (after whitespace control). */
export interface TextNode {
  readonly kind: 'text';
  readonly value: string;
}

/** `{{ value | filter }}`. `placeholder` marks the `{{Order Number}}` form (a name with spaces). */
export interface OutputNode {
  readonly kind: 'output';
  readonly value: Expression;
  readonly filters: readonly FilterCall[];
  readonly trim: Trim;
  readonly placeholder?: true;
  readonly at: SourcePosition;
}

/** One `if`/`elsif` (or `unless`) branch. */
export interface Branch {
  readonly condition: Condition;
  readonly body: readonly TemplateNode[];
  readonly trim: Trim;
}

/** `{% if %}…{% elsif %}…{% else %}…{% endif %}`, or the same with `unless` (its first condition negated). */
export interface IfNode {
  readonly kind: 'if' | 'unless';
  readonly branches: readonly Branch[];
  readonly otherwise: readonly TemplateNode[] | null;
  readonly elseTrim: Trim | null;
  readonly endTrim: Trim;
  readonly at: SourcePosition;
}

/**
 * `{% for item in collection limit: n offset: n reversed %}…{% else %}…{% endfor %}`; `offset` is
 * `'continue'` for `offset: continue` (go on where the previous loop over the same collection stopped).
 */
export interface ForNode {
  readonly kind: 'for';
  readonly variable: string;
  readonly collection: Expression;
  readonly limit: Expression | null;
  readonly offset: Expression | 'continue' | null;
  readonly reversed: boolean;
  readonly body: readonly TemplateNode[];
  readonly otherwise: readonly TemplateNode[] | null;
  readonly trim: Trim;
  readonly elseTrim: Trim | null;
  readonly endTrim: Trim;
  readonly at: SourcePosition;
}

/** `{% raw %}…{% endraw %}`: text printed as written. */
export interface RawNode {
  readonly kind: 'raw';
  readonly value: string;
  readonly trim: Trim;
  readonly endTrim: Trim;
}

/** `{% comment %}…{% endcomment %}` or an inline `{% # note %}`: never printed. */
export interface CommentNode {
  readonly kind: 'comment';
  readonly value: string;
  readonly inline: boolean;
  readonly trim: Trim;
  readonly endTrim: Trim;
}

/** `{% echo value | filter %}`: an output written as a tag (the form the `liquid` tag uses). */
export interface EchoNode {
  readonly kind: 'echo';
  readonly value: Expression;
  readonly filters: readonly FilterCall[];
  readonly trim: Trim;
  readonly at: SourcePosition;
}

/** `{% assign name = value | filter %}`: a variable of the render (never the host's context). */
export interface AssignNode {
  readonly kind: 'assign';
  readonly name: string;
  readonly value: Expression;
  readonly filters: readonly FilterCall[];
  readonly trim: Trim;
  readonly at: SourcePosition;
}

/** `{% capture name %}…{% endcapture %}`: the rendered body as a variable. */
export interface CaptureNode {
  readonly kind: 'capture';
  readonly name: string;
  readonly body: readonly TemplateNode[];
  readonly trim: Trim;
  readonly endTrim: Trim;
  readonly at: SourcePosition;
}

/** One `{% when a, b or c %}` of a `case`. */
export interface WhenBranch {
  readonly values: readonly Expression[];
  readonly body: readonly TemplateNode[];
  readonly trim: Trim;
}

/** `{% case value %}{% when … %}…{% else %}…{% endcase %}`. */
export interface CaseNode {
  readonly kind: 'case';
  readonly value: Expression;
  readonly whens: readonly WhenBranch[];
  readonly otherwise: readonly TemplateNode[] | null;
  readonly trim: Trim;
  readonly elseTrim: Trim | null;
  readonly endTrim: Trim;
  readonly at: SourcePosition;
}

/** `{% cycle "a", "b" %}` or `{% cycle group: "a", "b" %}`. */
export interface CycleNode {
  readonly kind: 'cycle';
  readonly group: Expression | null;
  readonly values: readonly Expression[];
  readonly trim: Trim;
  readonly at: SourcePosition;
}

/** `{% increment name %}` / `{% decrement name %}`: counters apart from assigned variables. */
export interface CounterNode {
  readonly kind: 'increment' | 'decrement';
  readonly name: string;
  readonly trim: Trim;
  readonly at: SourcePosition;
}

/** `{% break %}` / `{% continue %}` inside a loop. */
export interface LoopControlNode {
  readonly kind: 'break' | 'continue';
  readonly trim: Trim;
  readonly at: SourcePosition;
}

/** `{% tablerow item in collection cols: n limit: n offset: n %}…{% endtablerow %}`. */
export interface TablerowNode {
  readonly kind: 'tablerow';
  readonly variable: string;
  readonly collection: Expression;
  readonly cols: Expression | null;
  readonly limit: Expression | null;
  readonly offset: Expression | null;
  readonly body: readonly TemplateNode[];
  readonly trim: Trim;
  readonly endTrim: Trim;
  readonly at: SourcePosition;
}

/** `{% ifchanged %}…{% endifchanged %}`: prints its body when it differs from the last time. */
export interface IfchangedNode {
  readonly kind: 'ifchanged';
  readonly body: readonly TemplateNode[];
  readonly trim: Trim;
  readonly endTrim: Trim;
  readonly at: SourcePosition;
}

/**
 * `{% render "snippet", key: value %}`, `{% render "snippet" with value as name %}` or
 * `{% render "snippet" for items as item %}`: a named snippet in its own scope.
 */
export interface RenderNode {
  readonly kind: 'render';
  readonly snippet: string;
  readonly mode: 'with' | 'for' | null;
  readonly value: Expression | null;
  readonly alias: string | null;
  readonly args: readonly (readonly [string, Expression])[];
  readonly trim: Trim;
  readonly at: SourcePosition;
}

/** A node of a parsed template. */
export type TemplateNode =
  | TextNode
  | OutputNode
  | EchoNode
  | IfNode
  | ForNode
  | RawNode
  | CommentNode
  | AssignNode
  | CaptureNode
  | CaseNode
  | CycleNode
  | CounterNode
  | LoopControlNode
  | TablerowNode
  | IfchangedNode
  | RenderNode;

/** A parsed template: what {@link parseTemplate} returns and {@link printTemplate} prints. */
export interface TemplateAst {
  readonly kind: 'template';
  readonly body: readonly TemplateNode[];
}
