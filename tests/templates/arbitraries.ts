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

const arbPath = (scope: readonly string[]): fc.Arbitrary<Expression> =>
  fc
    .record({
      root: fc.constantFrom(...keys, ...scope),
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
    ].map((name) => call(name, fc.constant([]))),
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

/** A template syntax tree of the Liquid subset carekit shares with LiquidJS (printed, then parsed). */
export function arbTemplate(html = false): fc.Arbitrary<TemplateAst> {
  const nodes = (scope: readonly string[], depth: number): fc.Arbitrary<TemplateNode[]> => {
    const text = arbText(html).map((value) => ({ kind: 'text' as const, value }));
    const output = fc
      .record({
        value: arbValueExpression(scope, html),
        filters: fc.array(arbFilter(scope, html), { maxLength: 3 }),
        trim: arbTrim,
      })
      .map((o) => ({ kind: 'output' as const, ...o, at }));
    const leaves = [text, text, output, output];
    if (depth <= 0) return fc.array(fc.oneof(...leaves), { maxLength: 4 });
    const body = () => nodes(scope, depth - 1);
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
          offset: fc.option(smallInt, { nil: null }),
          reversed: fc.boolean(),
          body: nodes([...scope, variable], depth - 1),
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
    return fc.array(fc.oneof(...leaves, ifNode, forNode, raw, comment), { maxLength: 4 });
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
