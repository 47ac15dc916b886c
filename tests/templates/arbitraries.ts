import { fc } from '@fast-check/vitest';
import type {
  Condition,
  Expression,
  FilterCall,
  TemplateAst,
  TemplateNode,
  Trim,
} from '../../src/templates/ast.js';

/** Characters of generated text and strings: letters, accents, spaces, newlines and HTML-special ones. */
const textChars = fc.constantFrom(
  'a',
  'b',
  'Z',
  'é',
  'đ',
  ' ',
  ' ',
  '\n',
  '\t',
  '.',
  ',',
  '-',
  '1',
  '0',
  '&',
  '"',
  "'",
  '>',
  '<',
);
const safeTextChars = fc.constantFrom(
  'a',
  'b',
  'Z',
  'é',
  'đ',
  ' ',
  ' ',
  '\n',
  '\t',
  '.',
  ',',
  '-',
  '1',
  '0',
  '&',
  '"',
  "'",
);

export const arbText = (html: boolean) => fc.string({ unit: html ? safeTextChars : textChars, maxLength: 8 });

const keys = ['a', 'b', 'c', 'name', 'items'] as const;

/** JSON-like context values (with `nullPrototype`, objects may also come without a prototype). */
export const arbValueOf = (nullPrototype: boolean): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      arbText(false),
      fc.integer({ min: -20, max: 20 }),
      fc
        .double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true })
        .map((n) => Math.round(n * 100) / 100),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 3, noNullPrototype: !nullPrototype }),
    ),
  })).value;

/** JSON-like values (plain objects with the usual prototype, as `JSON.parse` makes them). */
export const arbValue = arbValueOf(false);

/** Contexts for equivalence with LiquidJS (which throws on some prototype-less objects). */
export const arbContext = fc.dictionary(fc.constantFrom(...keys), arbValue, {
  maxKeys: 5,
  noNullPrototype: true,
});

/** Contexts with prototype-less objects too. */
export const arbAnyContext = fc.dictionary(fc.constantFrom(...keys), arbValueOf(true), { maxKeys: 5 });

const at = { line: 1, column: 1 };

/** Names `assign`, `capture` and the counters write (read by paths too). */
export const assignedNames = ['v', 'w'] as const;
const counterNames = ['n1'] as const;

const arbPath = (scope: readonly string[]): fc.Arbitrary<Expression> =>
  fc
    .record({
      root: fc.constantFrom(...keys, ...scope, ...assignedNames, ...counterNames),
      segments: fc.array(
        fc.oneof(
          fc.constantFrom('a', 'b', 'name', 'size', 'first', 'last', '0'),
          fc.integer({ min: -2, max: 2 }),
        ),
        {
          maxLength: 2,
        },
      ),
    })
    .map(({ root, segments }) => ({ kind: 'path' as const, root, segments, at }));

const arbLiteral = (html: boolean): fc.Arbitrary<Expression> =>
  fc.oneof(
    arbText(html).map((value) => ({ kind: 'literal' as const, value })),
    fc.integer({ min: -5, max: 60 }).map((value) => ({ kind: 'literal' as const, value })),
    fc.constantFrom(1.5, 2.25, -0.5).map((value) => ({ kind: 'literal' as const, value })),
    fc.constantFrom(true, false, null).map((value) => ({ kind: 'literal' as const, value })),
  );

const arbValueExpression = (scope: readonly string[], html: boolean) =>
  fc.oneof(arbPath(scope), arbLiteral(html));

const smallInt = fc.integer({ min: 0, max: 6 }).map((value) => ({ kind: 'literal' as const, value }));
const smallSigned = fc.integer({ min: -4, max: 4 }).map((value) => ({ kind: 'literal' as const, value }));
const nonZero = fc.constantFrom(-3, -2, 2, 3, 5).map((value) => ({ kind: 'literal' as const, value }));
const propertyName = fc.constantFrom('a', 'b', 'name').map((value) => ({ kind: 'literal' as const, value }));

/** Filters whose behaviour carekit matches with LiquidJS, with arguments of the right arity. */
const arbFilter = (scope: readonly string[], html: boolean): fc.Arbitrary<FilterCall> => {
  const value = arbValueExpression(scope, html);
  const literal = arbLiteral(html);
  const call = (name: string, args: fc.Arbitrary<readonly Expression[]>) =>
    args.map((list) => ({ name, args: [...list], named: [] as [string, Expression][], at }));
  return fc.oneof(
    ...[
      'upcase',
      'downcase',
      'capitalize',
      'strip',
      'lstrip',
      'rstrip',
      'size',
      'first',
      'last',
      'escape',
      'escape_once',
      'newline_to_br',
      'strip_newlines',
      'url_encode',
      'abs',
      'floor',
      'ceil',
      'reverse',
      'compact',
      'uniq',
      'strip_html',
      'sum',
    ].map((name) => call(name, fc.constant([]))),
    call('default', fc.constant([])),
    call('slice', fc.oneof(fc.tuple(smallSigned), fc.tuple(smallSigned, smallInt))),
    call('map', fc.tuple(propertyName)),
    call('where', fc.oneof(fc.tuple(propertyName), fc.tuple(propertyName, literal))),
    call('concat', fc.tuple(arbPath(scope))),
    call('at_least', fc.tuple(value)),
    call('at_most', fc.tuple(value)),
    call('modulo', fc.tuple(nonZero)),
    call('replace_first', fc.tuple(literal, literal)),
    call('replace_last', fc.tuple(literal, literal)),
    call('remove_first', fc.tuple(literal)),
    call('remove_last', fc.tuple(literal)),
    call('default', fc.tuple(value)),
    fc.tuple(value).map((args) => ({
      name: 'default',
      args,
      named: [['allow_false', { kind: 'literal', value: true }]] as [string, Expression][],
      at,
    })),
    call('truncate', fc.oneof(fc.constant([]), fc.tuple(smallInt), fc.tuple(smallInt, literal))),
    call('truncatewords', fc.oneof(fc.constant([]), fc.tuple(smallInt), fc.tuple(smallInt, literal))),
    call('replace', fc.tuple(literal, literal)),
    call('remove', fc.tuple(literal)),
    call('append', fc.tuple(value)),
    call('prepend', fc.tuple(value)),
    call('split', fc.tuple(literal)),
    call('join', fc.oneof(fc.constant([]), fc.tuple(literal))),
    call('plus', fc.tuple(value)),
    call('minus', fc.tuple(value)),
    call('times', fc.tuple(value)),
    call('divided_by', fc.tuple(value)),
    call(
      'round',
      fc.oneof(
        fc.constant([]),
        fc.tuple(fc.integer({ min: 0, max: 3 }).map((v) => ({ kind: 'literal' as const, value: v }))),
      ),
    ),
  );
};

const arbCondition = (scope: readonly string[], html: boolean): fc.Arbitrary<Condition> =>
  fc.letrec<{ condition: Condition }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small' },
      arbValueExpression(scope, html).map((value) => ({ kind: 'test' as const, value })),
      fc
        .record({
          op: fc.constantFrom('==', '!=', '<', '>', '<=', '>=', 'contains') as fc.Arbitrary<'=='>,
          left: arbValueExpression(scope, html),
          right: arbValueExpression(scope, html),
        })
        .map((c) => ({ kind: 'compare' as const, ...c })),
      fc
        .record({
          kind: fc.constantFrom('and', 'or') as fc.Arbitrary<'and'>,
          left: tie('condition'),
          right: tie('condition'),
        })
        .map((c) => c as Condition),
    ),
  })).condition;

const arbTrim: fc.Arbitrary<Trim> = fc.record({ left: fc.boolean(), right: fc.boolean() });

/** Which tags the generator may use beyond the original subset. */
export interface TemplateShape {
  /** `assign`, `capture`, `case`, `echo`, `cycle`, `increment`/`decrement`, `break`/`continue`, `offset: continue`, `render`. */
  readonly liquid?: boolean;
  /** `capture` (not on the email channel, where carekit does not escape a capture twice and LiquidJS does). */
  readonly capture?: boolean;
}

/** Snippets generated `render` tags may name. */
export const generatedPartials: Readonly<Record<string, string>> = {
  card: '[{{ title }}|{{ item }}|{{ a }}]',
  line: '{{ forloop.index }}:{{ line }};',
};

/** A template syntax tree of the Liquid subset carekit shares with LiquidJS (printed, then parsed). */
export function arbTemplate(html = false, shape: TemplateShape = {}): fc.Arbitrary<TemplateAst> {
  const nodes = (scope: readonly string[], depth: number, inLoop = false): fc.Arbitrary<TemplateNode[]> => {
    const text = arbText(html).map((value) => ({ kind: 'text' as const, value }));
    const output = fc
      .record({
        value: arbValueExpression(scope, html),
        filters: fc.array(arbFilter(scope, html), { maxLength: 3 }),
        trim: arbTrim,
      })
      .map((o) => ({ kind: 'output' as const, ...o, at }));
    const leaves: fc.Arbitrary<TemplateNode>[] = [text, text, output, output];
    if (shape.liquid) {
      const filters = fc.array(arbFilter(scope, html), { maxLength: 2 });
      leaves.push(
        fc
          .record({
            name: fc.constantFrom(...assignedNames),
            value: arbValueExpression(scope, html),
            filters,
            trim: arbTrim,
          })
          .map((n) => ({ kind: 'assign' as const, ...n, at })),
        fc
          .record({ value: arbValueExpression(scope, html), filters, trim: arbTrim })
          .map((n) => ({ kind: 'echo' as const, ...n, at })),
        fc
          .record({
            group: fc.option(
              fc.constantFrom('g1', 'g2').map((value) => ({ kind: 'literal' as const, value })),
              { nil: null },
            ),
            // Shopify prints `false` and `0` in a cycle, LiquidJS nothing: strings only.
            values: fc.array(
              arbText(html).map((value) => ({ kind: 'literal' as const, value })),
              { minLength: 1, maxLength: 3 },
            ),
            trim: arbTrim,
          })
          // A group shared by cycles of different lengths: Shopify prints nothing past the end of the
          // shorter one, LiquidJS keeps a position per list of values (documented): a group's name fixes
          // its values here.
          .map((n) => ({
            kind: 'cycle' as const,
            ...n,
            group: n.group ? { kind: 'literal' as const, value: `g${n.values.length}` } : null,
            values: n.group
              ? n.values.map((_, i) => ({ kind: 'literal' as const, value: `v${i}` }))
              : n.values,
            at,
          })),
        fc
          .record({
            kind: fc.constantFrom('increment', 'decrement') as fc.Arbitrary<'increment'>,
            trim: arbTrim,
          })
          .map((n) => ({ ...n, name: 'n1', at })),
        fc
          .record({
            snippet: fc.constantFrom('card'),
            title: arbValueExpression(scope, html),
            // `with nil` gives LiquidJS an empty object and Shopify nil: only values that are there.
            with: fc.option(
              fc
                .oneof(arbText(html), fc.integer({ min: -5, max: 60 }))
                .map((value) => ({ kind: 'literal' as const, value })),
              { nil: null },
            ),
            trim: arbTrim,
          })
          .map(
            (n): TemplateNode => ({
              kind: 'render',
              snippet: n.snippet,
              mode: n.with ? 'with' : null,
              value: n.with,
              alias: n.with ? 'item' : null,
              args: [['title', n.title]],
              trim: n.trim,
              at,
            }),
          ),
      );
      if (inLoop)
        leaves.push(
          fc
            .record({ kind: fc.constantFrom('break', 'continue') as fc.Arbitrary<'break'>, trim: arbTrim })
            .map((n) => ({ ...n, at })),
        );
    }
    if (depth <= 0) return fc.array(fc.oneof(...leaves), { maxLength: 4 });
    const body = () => nodes(scope, depth - 1, inLoop);
    const ifNode = fc
      .record({
        kind: fc.constantFrom('if', 'unless') as fc.Arbitrary<'if'>,
        branches: fc.array(fc.record({ condition: arbCondition(scope, html), body: body(), trim: arbTrim }), {
          minLength: 1,
          maxLength: 2,
        }),
        otherwise: fc.option(body(), { nil: null }),
        elseTrim: arbTrim,
        endTrim: arbTrim,
      })
      .map((n) => ({ ...n, elseTrim: n.otherwise ? n.elseTrim : null, at }) as TemplateNode);
    const forNode = fc.constantFrom('x', 'y').chain((variable) =>
      fc
        .record({
          collection: fc.oneof(
            arbPath(scope),
            fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: -1, max: 4 })).map(([from, to]) => ({
              kind: 'range' as const,
              from: { kind: 'literal' as const, value: from },
              to: { kind: 'literal' as const, value: to },
            })),
          ),
          limit: fc.option(smallInt, { nil: null }),
          // `offset: continue` in a nested loop: LiquidJS and Shopify keep the position differently.
          offset:
            shape.liquid && scope.length === 0
              ? fc.option(fc.oneof(smallInt, fc.constant('continue' as const)), { nil: null })
              : fc.option(smallInt, { nil: null }),
          reversed: fc.boolean(),
          body: nodes([...scope, variable], depth - 1, true),
          otherwise: fc.option(body(), { nil: null }),
          trim: arbTrim,
          elseTrim: arbTrim,
          endTrim: arbTrim,
        })
        .map(
          (n) =>
            ({
              kind: 'for' as const,
              variable,
              ...n,
              // Shopify renders `else` when limit and offset leave nothing; LiquidJS only when the
              // collection is empty (documented): the generator gives `else` only to unsliced loops.
              ...(n.otherwise ? { limit: null, offset: null } : {}),
              elseTrim: n.otherwise ? n.elseTrim : null,
              at,
            }) as TemplateNode,
        ),
    );
    // LiquidJS cannot parse `{%- endraw %}` (carekit can), so the generator leaves that form out.
    const raw = fc
      .record({
        value: arbText(html),
        trim: arbTrim,
        endTrim: fc.record({ left: fc.constant(false), right: fc.boolean() }),
      })
      .map((n) => ({ kind: 'raw' as const, ...n }));
    const comment = fc
      .record({ value: arbText(html), trim: arbTrim, endTrim: arbTrim })
      .map((n) => ({ kind: 'comment' as const, inline: false, ...n }));
    const blocks: fc.Arbitrary<TemplateNode>[] = [ifNode, forNode, raw, comment];
    if (shape.liquid) {
      blocks.push(
        fc
          .record({
            value: arbValueExpression(scope, html),
            whens: fc.array(
              fc.record({
                values: fc.array(arbValueExpression(scope, html), { minLength: 1, maxLength: 2 }),
                body: nodes(scope, depth - 1, inLoop),
                trim: arbTrim,
              }),
              { minLength: 1, maxLength: 2 },
            ),
            otherwise: fc.option(nodes(scope, depth - 1, inLoop), { nil: null }),
            trim: arbTrim,
            elseTrim: arbTrim,
            endTrim: arbTrim,
          })
          .map((n) => ({ kind: 'case' as const, ...n, elseTrim: n.otherwise ? n.elseTrim : null, at })),
      );
      if (shape.capture)
        blocks.push(
          fc
            .record({
              name: fc.constantFrom(...assignedNames),
              body: nodes(scope, depth - 1, inLoop),
              trim: arbTrim,
              endTrim: arbTrim,
            })
            .map((n) => ({ kind: 'capture' as const, ...n, at })),
        );
    }
    return fc.array(fc.oneof(...leaves, ...blocks), { maxLength: 4 });
  };
  return nodes([], 2).map((body) => ({ kind: 'template' as const, body }));
}

/** The tree without source positions, for comparing trees parsed from different sources. */
export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'at')
        .map(([key, v]) => [key, withoutPositions(v)]),
    );
  }
  return value;
}
