import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  parseTemplate,
  printTemplate,
  strftimeToDateFns,
  TemplateRenderError,
  TemplateSyntaxError,
} from '../../src/templates/index.js';
import { referenceRender } from './reference.js';

const render = (source: string, context: unknown = {}, options = {}) =>
  compileTemplate(source, options).render(context).output;

const liquid = new Liquid({ ownPropertyOnly: true });

/** A hand corpus of the supported syntax, each rendered by LiquidJS and carekit side by side. */
const corpus: [string, Record<string, unknown>][] = [
  ['Hi {{ customer.first_name | default: "there" | capitalize }}!', { customer: { first_name: 'ana' } }],
  ['Hi {{ customer.first_name | default: "there" | capitalize }}!', {}],
  // A default that reads nil is nil: `uniq` of it is an empty list, not a list of one empty text.
  ['{{ a | default: b | uniq | size }}|{{ a | default: b, allow_false: true | uniq | size }}', {}],
  // The list filters flatten their input, as Shopify's InputIterator.
  [
    '{{ lines | map: "skus" | join: ", " }}|{{ nested | uniq | size }}|{{ nested | reverse | join }}',
    {
      lines: [{ skus: ['A', 'B'] }, { skus: ['C'] }],
      nested: [
        [1, 2],
        [2, [3]],
      ],
    },
  ],
  // Every matching `when` renders.
  ['{% case 1 %}{% when 1 %}a{% when 2, 1 %}b{% else %}c{% endcase %}', {}],
  // An assigned nil equals a missing value (both are nil).
  [
    '{% assign v = nil %}{% if v == a %}same{% endif %}{% if a != v %}differ{% endif %}{% case v %}{% when a %}case{% endcase %}',
    {},
  ],
  ['{% if vip %}VIP{% elsif tier == "gold" %}Gold{% else %}Std{% endif %}', { tier: 'gold' }],
  ['{% unless paid %}Unpaid{% else %}Paid{% endunless %}', { paid: false }],
  [
    '{% for item in order.items %}{{ forloop.index }}. {{ item.name }}{% unless forloop.last %}; {% endunless %}{% endfor %}',
    { order: { items: [{ name: 'Mug' }, { name: 'Tea' }] } },
  ],
  ['{% for i in (1..5) limit: 2 offset: 1 reversed %}{{ i }}{% endfor %}', {}],
  ['{% for i in none %}x{% else %}empty{% endfor %}', {}],
  ['{% raw %}{{ not rendered }}{% endraw %}', {}],
  ['a{% comment %} hidden {{ x }} {% endcomment %}b{% # inline %}c', {}],
  ['a  \n  {{- name -}}  \n  b', { name: 'X' }],
  ['{%- if true -%}\n  yes\n{%- endif -%}\n', {}],
  ['{{ "Hello World" | truncate: 8 }}|{{ "one two three four" | truncatewords: 2 }}', {}],
  ['{{ "  pad  " | strip }}|{{ "x" | append: "y" | prepend: "w" }}|{{ "a-b-a" | replace: "a", "o" }}', {}],
  [
    '{{ items | size }}|{{ items | join: ", " }}|{{ items | first }}|{{ items | last }}',
    { items: ['a', 'b', 'c'] },
  ],
  [
    '{{ 4 | plus: 2 }}|{{ 4 | minus: 6 }}|{{ 3 | times: 1.5 }}|{{ 2.567 | round: 2 }}|{{ "7" | plus: 1 }}',
    {},
  ],
  [
    '{{ html | escape }}|{{ text | newline_to_br }}|{{ s | upcase }}|{{ s | downcase }}',
    { html: '<b>"x"</b>', text: 'a\nb', s: 'MiXed' },
  ],
  [
    '{% if list contains "b" %}has b{% endif %}{% if s contains "ell" %} has ell{% endif %}',
    { list: ['a', 'b'], s: 'hello' },
  ],
  ['{% if a and b or c %}T{% else %}F{% endif %}', { a: false, b: true, c: true }],
  ['{% if n > 2 and n <= 5 %}mid{% endif %}{% if x == nil %} nil{% endif %}', { n: 3 }],
  [
    '{{ user["first name"] }}|{{ list[-1] }}|{{ list[i] }}|{{ list.size }}',
    { user: { 'first name': 'Ana' }, list: [1, 2, 3], i: 1 },
  ],
  ['{% if e == empty %}E{% endif %}{% if b == blank %}B{% endif %}', { e: [], b: '  ' }],
  ['{{ 10 | divided_by: 4 }}|{{ -3 | abs }}|{{ 2.5 | floor }}|{{ 2.1 | ceil }}|{{ "a b" | url_encode }}', {}],
];

describe('the supported syntax, side by side with LiquidJS (with the documented differences applied)', () => {
  it.each(corpus)('%s', (source, context) => {
    expect(render(source, context)).toBe(referenceRender(source, context));
  });
});

describe('deliberate differences, documented in docs/templates.md', () => {
  it('reads a name with spaces as one key: the `{{Order Number}}` placeholders of real canned replies', () => {
    expect(render('Order {{Order Number}} ships soon', { 'Order Number': 'A-17' })).toBe(
      'Order A-17 ships soon',
    );
    expect(
      render('{{Website/App Name}}: {{7C23D0EF}}', { 'Website/App Name': 'Shop', '7C23D0EF': 'id' }),
    ).toBe('Shop: id');
    expect(compileTemplate('{{Order Number}}').render({}).missing).toEqual(['["Order Number"]']);
    // LiquidJS reads `Order` and ignores the rest.
    expect(liquid.parseAndRenderSync('{{Order Number}}', { Order: 'O' })).toBe('O');
  });

  it('gives the default for an empty object, as Shopify (Ruby `Hash#empty?`); LiquidJS keeps the object', () => {
    expect(render('{{ b | default: "x" }}', { b: {} })).toBe('x');
    expect(render('{{ b | default: "x" | size }}', { b: { k: 1 } })).toBe('1');
    expect(liquid.parseAndRenderSync('{{ b | default: "x" }}', { b: {} })).toBe('[object Object]');
  });

  it('rejects unknown filters and wrong arities when compiling, where LiquidJS would print NaN or nothing', () => {
    expect(() => compileTemplate('{{ n | plus }}')).toThrow(TemplateSyntaxError);
    expect(() => compileTemplate('{{ n | upcse }}')).toThrow(/did you mean `upcase`/);
  });

  it('prints a Date as ISO 8601 and formats dates in the render time zone, not the process one', () => {
    const at = Date.UTC(2026, 10, 23, 15, 4);
    expect(render('{{ at }}', { at: new Date(at) })).toBe('2026-11-23T15:04:00.000Z');
    expect(render('{{ at | date: "%b %-d, %Y %H:%M" }}', { at }, { timeZone: 'America/Sao_Paulo' })).toBe(
      'Nov 23, 2026 12:04',
    );
    expect(
      render('{{ at | date: "d MMM yyyy" }}', { at: '2026-11-23T01:00:00Z' }, { timeZone: 'Asia/Kolkata' }),
    ).toBe('23 Nov 2026');
  });
});

describe('filters that LiquidJS does not have in this form', () => {
  it('date: presets in the locale, strftime and date-fns patterns; non-dates unchanged', () => {
    const at = '2026-12-01T12:00:00Z';
    expect(render('{{ at | date: "long" }}', { at }, { locale: 'es' })).toBe('1 de diciembre de 2026');
    expect(render('{{ at | date: "long" }}', { at }, { locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' })).toBe(
      '1 tháng 12, 2026',
    );
    expect(render('{{ at | date: "short-time" }}', { at }, { locale: 'en-US' })).toBe('12/1/26, 12:00 PM');
    expect(render('{{ x | date: "long" }}', { x: 'soon' })).toBe('soon');
    expect(strftimeToDateFns('%A, %d %B %Y at %I:%M %p (100%%) %Q')).toBe(
      "EEEE', 'dd' 'MMMM' 'yyyy' at 'hh':'mm' 'a' (100%) %Q'",
    );
  });

  it('money: Intl currency formatting in the locale, currency from the argument or the options', () => {
    expect(render('{{ 25.5 | money: "EUR" }}', {}, { locale: 'es' })).toBe(
      new Intl.NumberFormat('es', { style: 'currency', currency: 'EUR' }).format(25.5),
    );
    expect(render('{{ 25.5 | money: "EUR" }}', {}, { locale: 'es' })).toMatch(/^25,50\s€$/u);
    expect(render('{{ 1234.5 | money }}', {}, { locale: 'en', currency: 'USD' })).toBe('$1,234.50');
    expect(render('{{ 10 | money: "VND" }}', {}, { locale: 'vi' })).toMatch(/^10\s₫$/u);
  });

  it('custom filters are added by name and receive the value and arguments', () => {
    const template = compileTemplate('{{ name | shout: 3 }}', {
      filters: { shout: (value, times) => `${String(value).toUpperCase()}${'!'.repeat(Number(times))}` },
    });
    expect(template.render({ name: 'hey' }).output).toBe('HEY!!!');
  });

  it('a custom filter that throws is skipped with a warning when lenient, and fails the render when strict', () => {
    const template = compileTemplate('{{ name | boom }}', {
      filters: {
        boom: () => {
          throw new Error('nope');
        },
      },
    });
    const result = template.render({ name: 'x' });
    expect(result.output).toBe('x');
    expect(result.warnings[0]?.code).toBe('filter_failed');
    expect(() => template.render({ name: 'x' }, { strict: true })).toThrow(/the filter `boom` failed/);
  });
});

describe('strict and lenient rendering', () => {
  const template = compileTemplate(
    'Hi {{ customer.name }}, order {{ order.id }} {{ order.note | default: "-" }}',
  );

  it('lenient prints nothing for a missing value and reports every missing path, and defaulted ones apart', () => {
    const result = template.render({ customer: {} });
    expect(result.output).toBe('Hi , order  -');
    expect(result.missing).toEqual(['customer.name', 'order.id']);
    expect(result.defaulted).toEqual(['order.note']);
  });

  it('strict fails with unknown_variable listing every missing path at once', () => {
    try {
      template.render({}, { strict: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateRenderError);
      expect((error as TemplateRenderError).code).toBe('unknown_variable');
      expect((error as TemplateRenderError).missing).toEqual(['customer.name', 'order.id']);
    }
  });

  it('a nil value is not missing, and conditions may test absent values freely', () => {
    const t = compileTemplate('{{ a }}{% if b %}b{% endif %}');
    expect(t.render({ a: null }, { strict: true }).output).toBe('');
  });
});

describe('escaping by channel', () => {
  const data = { name: '<script>alert("x")</script> & co' };
  it('email escapes every output; chat and SMS do not', () => {
    expect(render('Hi {{ name }}', data, { channel: 'email' })).toBe(
      'Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co',
    );
    expect(render('Hi {{ name }}', data, { channel: 'chat' })).toBe(`Hi ${data.name}`);
    expect(render('Hi {{ name }}', data, { channel: 'sms' })).toBe(`Hi ${data.name}`);
  });

  it('does not escape twice after `escape`, and a final newline_to_br escapes its input and keeps the breaks', () => {
    expect(render('{{ name | escape }}', { name: '<b>' }, { channel: 'email' })).toBe('&lt;b&gt;');
    expect(render('{{ note | newline_to_br }}', { note: '<i>\nx' }, { channel: 'email' })).toBe(
      '&lt;i&gt;<br />\nx',
    );
  });

  it('can be forced either way', () => {
    expect(render('{{ name }}', { name: '<b>' }, { channel: 'email', escape: false })).toBe('<b>');
    expect(render('{{ name }}', { name: '<b>' }, { channel: 'chat', escape: true })).toBe('&lt;b&gt;');
  });
});

describe('safety', () => {
  it('never reaches constructor, __proto__, prototype, inherited properties or functions', () => {
    const context = JSON.parse('{"user":{"name":"a","__proto__":{"polluted":"yes"}}}') as Record<
      string,
      unknown
    >;
    const source =
      '[{{ user.constructor }}][{{ user.__proto__ }}][{{ user.polluted }}][{{ user.toString }}][{{ user.hasOwnProperty }}][{{ fn }}][{{ obj.prototype }}][{{ user["constructor"] }}]';
    expect(render(source, { ...context, fn: () => 'called', obj: { prototype: 1 } })).toBe(
      '[][][yes][][][][][]'.replace('yes', ''),
    );
  });

  it('does not read class instances, Maps or getters, and calls no function', () => {
    let called = false;
    class Secret {
      token = 'x';
    }
    const withGetter = {
      get token() {
        called = true;
        return 'leak';
      },
    };
    const source = '[{{ s.token }}][{{ m.size }}][{{ g.token }}]';
    expect(render(source, { s: new Secret(), m: new Map([['a', 1]]), g: withGetter })).toBe('[][][]');
    expect(called).toBe(false);
  });

  it('accepts prototype-less objects as plain data', () => {
    const data = Object.create(null) as Record<string, unknown>;
    data.name = 'Ana';
    expect(render('{{ d.name }}', { d: data })).toBe('Ana');
  });

  it('limits template size, loop iterations and output length, each with its own code', () => {
    expect(() => compileTemplate('x'.repeat(20), { limits: { maxTemplateLength: 10 } })).toThrow(
      expect.objectContaining({ code: 'template_too_large' }),
    );
    const loop = compileTemplate('{% for i in items %}{% for j in items %}.{% endfor %}{% endfor %}', {
      limits: { maxLoopIterations: 50 },
    });
    expect(() => loop.render({ items: Array.from({ length: 10 }, (_, i) => i) })).toThrow(
      expect.objectContaining({ code: 'template_loop_limit' }),
    );
    expect(() => compileTemplate('{% for i in (1..100000000) %}{% endfor %}').render({})).toThrow(
      expect.objectContaining({ code: 'template_loop_limit' }),
    );
    const long = compileTemplate('{{ s }}{{ s }}', { limits: { maxOutputLength: 10 } });
    expect(() => long.render({ s: 'abcdefgh' })).toThrow(
      expect.objectContaining({ code: 'template_output_limit' }),
    );
    const inLoop = compileTemplate('{% for i in (1..100) %}{{ s }}{% endfor %}', {
      limits: { maxOutputLength: 10 },
    });
    expect(() => inLoop.render({ s: 'abcdefgh' })).toThrow(
      expect.objectContaining({ code: 'template_output_limit' }),
    );
  });
});

describe('parse errors name the line, the column and what was expected', () => {
  const cases: [string, number, number, RegExp][] = [
    ['Hi\n  {% if vip %}x', 2, 3, /expected `endif` to close `if` opened at 2:3/],
    ['{% for x in items %}', 1, 1, /expected `endfor` to close `for` opened at 1:1/],
    ['a {{ name ', 1, 3, /expected `}}` to close this output/],
    ['{% if x %}{% endfor %}', 1, 11, /unexpected `endfor`/],
    ['{% assing x = 1 %}', 1, 1, /unknown tag `assing`; carekit supports/],
    ['{% include "x" %}', 1, 1, /`include` is deprecated/],
    ['{% assign x %}', 1, 13, /expected `=` after `assign x`/],
    ['{% case %}{% endcase %}', 1, 1, /expected a value after `case`/],
    ['{% case x %}{% when %}{% endcase %}', 1, 13, /expected a value after `when`/],
    ['{% case x %}{% else %}{% when 1 %}{% endcase %}', 1, 23, /unexpected `when` after `else`/],
    ['{% capture %}{% endcapture %}', 1, 12, /expected a variable name after `capture`/],
    ['{% render snippet %}', 1, 11, /expected the quoted name of a snippet/],
    ['{% liquid\n  raw\n %}', 2, 3, /`raw` cannot be used inside `liquid`/],
    ['{{ name | }}', 1, 11, /expected a filter name after `|`/],
    ['{{ "open }}', 1, 4, /not closed/],
    ['{% if %}{% endif %}', 1, 1, /expected a condition after `if`/],
    ['{% for in items %}{% endfor %}', 1, 16, /expected `in` after `for in`|expected a loop variable/],
    ['{{ a b | upcase }}', 1, 6, /unexpected `b/],
    ['{% if x %}{% else %}{% elsif y %}{% endif %}', 1, 21, /unexpected `elsif` after `else`/],
    ['{% raw %}x', 1, 1, /expected `{% endraw %}`/],
    ['{{ (1.. }}', 1, 9, /expected a value/],
    ['{% endif %}', 1, 1, /no open block/],
    ['{% else x %}', 1, 1, /no open block/],
    ['{% if a %}{% endif extra %}', 1, 20, /takes nothing after its name/],
    ['{% for x in y limit 3 %}{% endfor %}', 1, 21, /expected `:` after `limit`/],
    ['{% for x in y sorted %}{% endfor %}', 1, 15, /expected `limit: n`, `offset: n` or `reversed`/],
    ['{{ 12abc | upcase }}', 1, 4, /is not a number or a variable name/],
    ['{{ a | default: x: 1, 2 }}', 1, 23, /positional arguments come before named ones/],
  ];
  it.each(cases)('%j', (source, line, column, message) => {
    try {
      compileTemplate(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateSyntaxError);
      const syntax = error as TemplateSyntaxError;
      expect(syntax.reason).toMatch(message);
      expect([syntax.line, syntax.column]).toEqual([line, column]);
      expect(syntax.message).toContain(`line ${line}, column ${column}`);
    }
  });

  it('rejects a non-string template', () => {
    expect(() => compileTemplate(42 as unknown as string)).toThrow(/must be a string/);
  });
});

describe('printTemplate', () => {
  it('prints a normal form that parses to the same tree', () => {
    const source =
      "{%- unless a contains 'x' -%}{{a|truncate:3,'…'}}{% elsif b %}{{ ['k y'] }}{% endunless %}{% raw %}{{x}}{% endraw %}";
    const printed = printTemplate(parseTemplate(source));
    expect(printed).toBe(
      '{%- unless a contains "x" -%}{{ a | truncate: 3, "…" }}{% elsif b %}{{ ["k y"] }}{% endunless %}{% raw %}{{x}}{% endraw %}',
    );
    expect(render(printed, { a: 'abcdef', 'k y': 1 })).toBe(render(source, { a: 'abcdef', 'k y': 1 }));
  });

  it('prints strings with escapes and large numbers without exponents', () => {
    expect(
      printTemplate(
        parseTemplate('{{ "a\\"b\\\\c\\nd" }}{{ 100000000000000000000000 }}{{ nil }}{{ empty }}'),
      ),
    ).toBe('{{ "a\\"b\\\\c\\nd" }}{{ 100000000000000000000000 }}{{ nil }}{{ empty }}');
  });
});

describe('Content-Security-Policy without unsafe-eval', () => {
  it('no module of carekit evaluates code: no eval, no Function constructor', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = new URL('../../src/', import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"`]/);
    }
  });
});
