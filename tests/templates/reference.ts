// The reference the engine is compared with: LiquidJS 10, with each difference that
// docs/templates.md documents ("Where Shopify and LiquidJS disagree") applied to it, so a
// property "equals the reference" means "equals LiquidJS, except where the docs say otherwise".
import { type Context, defaultOperators, type Emitter, evalToken, Liquid, toValue } from 'liquidjs';
import type { TemplateAst, TemplateNode } from '../../src/templates/ast.js';
import { parseTemplate, printTemplate } from '../../src/templates/index.js';

const isInteger = (n: unknown) => typeof n === 'number' && Number.isInteger(n);
const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isNaN(n) ? 0 : n;
};
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const toText = (v: unknown): string => {
  if (Array.isArray(v)) return v.map(toText).join('');
  if (v === null || v === undefined) return '';
  if (
    typeof v === 'object' &&
    Object.getPrototypeOf(v) !== Object.prototype &&
    Object.getPrototypeOf(v) !== null
  ) {
    const inner = (v as { valueOf(): unknown }).valueOf();
    return inner === v ? '' : toText(inner);
  }
  return String(v);
};
const isNil = (v: unknown) => v === null || v === undefined;
type Compare = (l: unknown, r: unknown) => unknown;
const liquidEquals = defaultOperators['=='] as unknown as Compare;
const liquidDiffers = defaultOperators['!='] as unknown as Compare;
const escapeText = (s: unknown) => toText(s).replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);
const ordered = (l: unknown, r: unknown) =>
  (typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string');
const value = (v: unknown): unknown =>
  v !== null &&
  typeof v === 'object' &&
  'valueOf' in v &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) !== Object.prototype &&
  Object.getPrototypeOf(v) !== null
    ? (v as { valueOf(): unknown }).valueOf()
    : v;

/** A LiquidJS engine with Shopify's behaviour where docs/templates.md says carekit follows Shopify. */
export function referenceLiquid(
  options: { escape?: boolean; partials?: Record<string, string> } = {},
): Liquid {
  const engine = new Liquid({
    ownPropertyOnly: true,
    ...(options.escape ? { outputEscape: escapeText } : {}),
    ...(options.partials ? { templates: options.partials } : {}),
    operators: {
      ...defaultOperators,
      // nil equals nil: a JSON null, a missing variable and `nil` (Shopify's); LiquidJS: null ≠ undefined.
      '==': function* (l: unknown, r: unknown): Generator<unknown, boolean, boolean> {
        if (isNil(value(l)) && isNil(value(r))) return true;
        return yield liquidEquals(l, r);
      } as never,
      '!=': function* (l: unknown, r: unknown): Generator<unknown, boolean, boolean> {
        if (isNil(value(l)) && isNil(value(r))) return false;
        return yield liquidDiffers(l, r);
      } as never,
      '<': (l: unknown, r: unknown) =>
        ordered(value(l), value(r)) && (value(l) as number) < (value(r) as number),
      '>': (l: unknown, r: unknown) =>
        ordered(value(l), value(r)) && (value(l) as number) > (value(r) as number),
      '<=': (l: unknown, r: unknown) =>
        ordered(value(l), value(r)) && (value(l) as number) <= (value(r) as number),
      '>=': (l: unknown, r: unknown) =>
        ordered(value(l), value(r)) && (value(l) as number) >= (value(r) as number),
      contains: (l: unknown, r: unknown) => {
        const left = value(l);
        const right = value(r);
        if (Array.isArray(left)) return left.some((item) => defaultEquals(item, right));
        if (typeof left === 'string')
          return right !== null && right !== undefined && left.includes(String(right));
        if (left !== null && typeof left === 'object' && typeof right === 'string')
          return Object.hasOwn(left, right);
        return false;
      },
    },
  });
  // `case`/`when` compares as `==` does, nil equal to nil.
  const LiquidCase = engine.tags.case as unknown as new (
    ...args: never[]
  ) => {
    value: { value(ctx: Context, lenient: boolean): unknown };
    branches: { values: unknown[]; templates: unknown[] }[];
    elseTemplates: unknown[];
    liquid: Liquid;
  };
  class ShopifyCase extends LiquidCase {
    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const r = this.liquid.renderer;
      const target = toValue(yield this.value.value(ctx, ctx.opts.lenientIf));
      let hit = false;
      // Every matching `when` renders, as in Shopify and LiquidJS.
      for (const branch of this.branches) {
        for (const token of branch.values) {
          const found = yield evalToken(token as never, ctx, ctx.opts.lenientIf);
          const same = isNil(value(target)) && isNil(value(found)) ? true : yield liquidEquals(target, found);
          if (same) {
            yield r.renderTemplates(branch.templates as never, ctx, emitter);
            hit = true;
            // A `break` or `continue` stops the later matching `when`s too (carekit's choice).
            const flags = ctx as unknown as { breakCalled: boolean; continueCalled: boolean };
            if (flags.breakCalled || flags.continueCalled) return;
            break;
          }
        }
      }
      if (!hit) yield r.renderTemplates(this.elseTemplates as never, ctx, emitter);
    }
  }
  engine.registerTag('case', ShopifyCase as unknown as Parameters<Liquid['registerTag']>[1]);
  const defaultEquals = (l: unknown, r: unknown): boolean => {
    const left = value(l);
    const right = value(r);
    if (Array.isArray(left))
      return (
        Array.isArray(right) &&
        left.length === right.length &&
        left.every((x, i) => defaultEquals(x, right[i]))
      );
    return (
      left === right || ((left === null || left === undefined) && (right === null || right === undefined))
    );
  };
  engine.registerFilter('first', (v: unknown) => (Array.isArray(v) ? v[0] : undefined));
  engine.registerFilter('last', (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : undefined));
  engine.registerFilter('divided_by', (a: unknown, b: unknown) => {
    const x = num(a);
    const y = num(b);
    if (y === 0) return a;
    return isInteger(x) && isInteger(y) ? Math.floor(x / y) : x / y;
  });
  engine.registerFilter('modulo', (a: unknown, b: unknown) => {
    const y = num(b);
    return y === 0 ? a : ((num(a) % y) + y) % y;
  });
  engine.registerFilter('truncatewords', (v: unknown, n: unknown = 15, ellipsis: unknown = '...') => {
    const s = toText(v);
    let limit = Math.trunc(num(n));
    if (limit <= 0) limit = 1;
    const words = s.split(/[ \t\n\v\f\r]+/).filter((w) => w !== '');
    return words.length <= limit ? s : words.slice(0, limit).join(' ') + String(ellipsis);
  });
  // `default` of an empty object gives the default, as Shopify's (Ruby's `Hash#empty?`); LiquidJS keeps
  // it. With no default written it gives the empty text (Shopify's `default_value = ''`), not nil.
  const liquidDefault = engine.filters.default as (this: unknown, v: unknown, ...rest: unknown[]) => unknown;
  engine.registerFilter('default', function (this: unknown, v: unknown, ...args: unknown[]) {
    const named = (a: unknown) => Array.isArray(a) && a.length === 2 && a[0] === 'allow_false';
    const given = args.length > 0 && !named(args[0]);
    const fallback = given ? args[0] : '';
    const rest = given ? args.slice(1) : args;
    const plain = v !== null && typeof v === 'object' && !Array.isArray(v);
    const proto = plain ? Object.getPrototypeOf(v) : undefined;
    if (plain && (proto === Object.prototype || proto === null) && Object.keys(v).length === 0)
      return fallback;
    return liquidDefault.call(this, v, fallback, ...rest);
  });
  // `slice` of nil is the empty text (Shopify's `nil.to_s[…]`); LiquidJS gives an empty list.
  const liquidSlice = engine.filters.slice as (this: unknown, v: unknown, ...rest: unknown[]) => unknown;
  engine.registerFilter('slice', function (this: unknown, v: unknown, ...rest: unknown[]) {
    return isNil(value(v)) ? '' : liquidSlice.call(this, v, ...rest);
  });
  // `truncate` of a short value gives its text, as Shopify's (`to_s`); LiquidJS gives the value back.
  const liquidTruncate = engine.filters.truncate as (
    this: unknown,
    v: unknown,
    ...rest: unknown[]
  ) => unknown;
  engine.registerFilter('truncate', function (this: unknown, v: unknown, ...rest: unknown[]) {
    const out = liquidTruncate.call(this, v, ...rest);
    return typeof out === 'string' ? out : toText(out);
  });
  engine.registerFilter('size', (v: unknown) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v !== null && typeof v === 'object')
      return Object.hasOwn(v, 'size') && typeof (v as { size: unknown }).size === 'number'
        ? (v as { size: number }).size
        : Object.keys(v).length;
    return 0;
  });
  // A `concat` of something that is not a list fails in carekit (Shopify: an error) and keeps its input.
  engine.registerFilter('concat', (v: unknown, other: unknown) =>
    Array.isArray(other)
      ? [...(Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]), ...other]
      : v,
  );
  // `where` on items that have no properties (numbers, strings): they never match (Shopify: nil).
  engine.registerFilter('where', (v: unknown, property: unknown, ...target: unknown[]) =>
    (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((item: unknown) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
      const key = String(property);
      const found = Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : undefined;
      return target.length === 0
        ? found !== false && found !== null && found !== undefined
        : defaultEquals(found, target[0]);
    }),
  );
  // `sum` counts numbers and numeric strings; anything else (true, a list) counts 0, as in Shopify.
  engine.registerFilter('sum', (v: unknown, property?: unknown) => {
    let total = 0;
    for (const item of Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]) {
      const found =
        property === undefined
          ? item
          : item !== null && typeof item === 'object' && Object.hasOwn(item, String(property))
            ? (item as Record<string, unknown>)[String(property)]
            : undefined;
      if (typeof found === 'number') total += found;
      else if (typeof found === 'string') total += num(found);
    }
    return total;
  });
  engine.registerFilter('escape', escapeText);
  engine.registerFilter('escape_once', (v: unknown) =>
    toText(v).replace(/["><']|&(?!([a-zA-Z]+|(#\d+));)/g, (ch) => ESCAPES[ch] as string),
  );
  engine.registerFilter('url_encode', (v: unknown) =>
    encodeURIComponent(toText(v))
      .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+'),
  );
  engine.registerFilter('split', (v: unknown, sep: unknown) => {
    const s = toText(v);
    // Ruby's `split(nil)` splits on whitespace, as `split(" ")` (LiquidJS passes nil as a drop).
    const nil =
      sep === null ||
      sep === undefined ||
      (typeof sep === 'object' && (sep as { valueOf(): unknown }).valueOf() == null);
    const separator = nil ? ' ' : toText(sep);
    const parts = separator === ' ' ? s.trimStart().split(/[ \t\n\v\f\r]+/) : s.split(separator);
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
  });
  // The list filters read their input flattened, as Shopify's `InputIterator` (`[[1, 2], 3]` is
  // `[1, 2, 3]` to `join`, `map`, `uniq`, …); LiquidJS reads the nested lists as items.
  const flat = (v: unknown): unknown => (Array.isArray(v) ? v.flat(Number.POSITIVE_INFINITY) : v);
  for (const name of [
    'join',
    'sort',
    'sort_natural',
    'reverse',
    'compact',
    'uniq',
    'map',
    'where',
    'reject',
    'find',
    'find_index',
    'has',
    'sum',
    'concat',
  ]) {
    const filter = engine.filters[name] as
      | ((this: unknown, v: unknown, ...rest: unknown[]) => unknown)
      | undefined;
    if (filter === undefined) continue;
    engine.registerFilter(name, function (this: unknown, v: unknown, ...rest: unknown[]) {
      return filter.call(this, flat(v), ...rest);
    });
  }
  return engine;
}

/** Shopify's blank blocks: a block that can print nothing but whitespace prints nothing. */
function stripBlankBlocks(nodes: readonly TemplateNode[]): TemplateNode[] {
  const blank = (list: readonly TemplateNode[]): boolean => list.every(isBlank);
  const isBlank = (node: TemplateNode): boolean => {
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
        return node.branches.every((b) => blank(b.body)) && blank(node.otherwise ?? []);
      case 'case':
        return node.whens.every((w) => blank(w.body)) && blank(node.otherwise ?? []);
      case 'for':
        return blank(node.body) && blank(node.otherwise ?? []);
      default:
        return false;
    }
  };
  const clean = (list: readonly TemplateNode[], strip: boolean) =>
    stripBlankBlocks(strip ? list.filter((n) => n.kind !== 'text') : list);
  return nodes.map((node): TemplateNode => {
    switch (node.kind) {
      case 'if':
      case 'unless': {
        const strip = isBlank(node);
        return {
          ...node,
          branches: node.branches.map((b) => ({ ...b, body: clean(b.body, strip) })),
          otherwise: node.otherwise ? clean(node.otherwise, strip) : null,
        };
      }
      case 'case': {
        const strip = isBlank(node);
        return {
          ...node,
          whens: node.whens.map((w) => ({ ...w, body: clean(w.body, strip) })),
          otherwise: node.otherwise ? clean(node.otherwise, strip) : null,
        };
      }
      case 'for': {
        const strip = isBlank(node);
        return {
          ...node,
          body: clean(node.body, strip),
          otherwise: node.otherwise ? clean(node.otherwise, strip) : null,
        };
      }
      case 'capture':
      case 'tablerow':
      case 'ifchanged':
        return { ...node, body: stripBlankBlocks(node.body) };
      default:
        return node;
    }
  });
}

/** The source LiquidJS gets: carekit's documented blank-block rule applied to it. */
export function referenceSource(source: string): string {
  const ast: TemplateAst = parseTemplate(source);
  return printTemplate({ kind: 'template', body: stripBlankBlocks(ast.body) });
}

/** Renders with the reference: the host's context as LiquidJS's globals, as carekit's snippets see it. */
export function referenceRender(
  source: string,
  context: object,
  options: { escape?: boolean; partials?: Record<string, string> } = {},
): string {
  const engine = referenceLiquid(options);
  // LiquidJS writes `increment` counters into the context it is given: it gets a copy.
  const copy = structuredClone(context);
  return engine.renderSync(engine.parse(referenceSource(source)), copy, { globals: copy }) as string;
}
