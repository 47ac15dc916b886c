/** Where a piece of syntax starts in the template source (1-based). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A literal value written in the template: a string, a number, `true`/`false` or `nil`. */
export interface LiteralExpression {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
}

/** `empty` or `blank`: only meaningful in comparisons (`{% if items == empty %}`). */
export interface SpecialExpression {
  readonly kind: 'empty' | 'blank';
}

/** One step of a variable path: a name (`.first_name`), an index (`[0]`) or a computed key (`[key]`). */
export type PathSegment = string | number | Expression;

/** A variable path such as `customer.first_name`, `order.items[0]` or `["Order Number"]`. */
export interface PathExpression {
  readonly kind: 'path';
  readonly root: string;
  readonly segments: readonly PathSegment[];
  readonly at: SourcePosition;
}

/** An integer range `(1..n)`, allowed as the collection of a `for` loop. */
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

/** `{% for item in collection limit: n offset: n reversed %}…{% else %}…{% endfor %}`. */
export interface ForNode {
  readonly kind: 'for';
  readonly variable: string;
  readonly collection: Expression;
  readonly limit: Expression | null;
  readonly offset: Expression | null;
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

/** A node of a parsed template. */
export type TemplateNode = TextNode | OutputNode | IfNode | ForNode | RawNode | CommentNode;

/** A parsed template: what {@link parseTemplate} returns and {@link printTemplate} prints. */
export interface TemplateAst {
  readonly kind: 'template';
  readonly body: readonly TemplateNode[];
}
