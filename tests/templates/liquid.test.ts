// Every standard tag and filter, with the results Shopify's Liquid documentation gives
// (https://shopify.github.io/liquid/), and the cases outside checks found the subset got wrong.
import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  parseTemplate,
  printTemplate,
  TemplateRenderError,
} from '../../src/templates/index.js';

const render = (source: string, context: unknown = {}, options = {}) =>
  compileTemplate(source, options).render(context).output;

const fruits = '{% assign list = "apples, oranges, peaches, plums" | split: ", " %}';

describe('filters, as Shopify documents them', () => {
  const cases: [string, string, Record<string, unknown>?][] = [
    ['{{ -17 | abs }} {{ "-19.86" | abs }}', '17 19.86'],
    ['{{ "/my/fancy/url" | append: ".html" }}', '/my/fancy/url.html'],
    ['{{ 4 | at_least: 5 }} {{ 4 | at_least: 3 }} {{ 4 | at_most: 5 }} {{ 4 | at_most: 3 }}', '5 4 4 3'],
    ['{{ "my GREAT title" | capitalize }}', 'My great title'],
    ['{{ 1.2 | ceil }} {{ "3.5" | ceil }} {{ 1.2 | floor }} {{ 2.0 | floor }}', '2 4 1 2'],
    ['{{ list | compact | join: "," }}', 'a,b', { list: ['a', null, 'b', null] }],
    [
      '{% assign f = "apples, oranges" | split: ", " %}{% assign v = "carrots, turnips" | split: ", " %}{{ f | concat: v | join: "," }}',
      'apples,oranges,carrots,turnips',
    ],
    [
      '{{ product_price | default: 2.99 }} {{ "" | default: "x" }} {{ false | default: true, allow_false: true }}',
      '2.99 x false',
    ],
    ['[{{ missing | default }}]', '[]'],
    [
      '{{ 16 | divided_by: 4 }} {{ 5 | divided_by: 3 }} {{ 20 | divided_by: 7.0 }} {{ -7 | divided_by: 2 }}',
      '4 1 2.857142857142857 -4',
    ],
    ['{{ "Parker Moore" | downcase }} {{ "Parker Moore" | upcase }}', 'parker moore PARKER MOORE'],
    [
      '{{ "Have you read \'James & the Giant Peach\'?" | escape }}',
      'Have you read &#39;James &amp; the Giant Peach&#39;?',
    ],
    [
      '{{ "1 &lt; 2 &amp; 3" | escape_once }} {{ "<a> & b" | escape_once }}',
      '1 &lt; 2 &amp; 3 &lt;a&gt; &amp; b',
    ],
    [
      '{{ "Ground control to Major Tom." | split: " " | first }} {{ "Ground control to Major Tom." | split: " " | last }}',
      'Ground Tom.',
    ],
    ['[{{ "abc" | first }}][{{ "abc" | last }}]', '[][]'],
    [`${fruits}{{ list | join: " and " }}`, 'apples and oranges and peaches and plums'],
    [
      '[{{ "   So much room   " | lstrip }}][{{ "   So much room   " | rstrip }}][{{ "   So much room   " | strip }}]',
      '[So much room   ][   So much room][So much room]',
    ],
    [
      '{{ pages | map: "category" | join: "," }}',
      'business,celebrities,lifestyle',
      { pages: [{ category: 'business' }, { category: 'celebrities' }, { category: 'lifestyle' }] },
    ],
    ['{{ 4 | minus: 2 }} {{ 16 | minus: 4 }} {{ 183.357 | minus: 12 }}', '2 12 171.357'],
    ['{{ 3 | modulo: 2 }} {{ 24 | modulo: 7 }} {{ -7 | modulo: 3 }}', '1 3 2'],
    ['{{ text | newline_to_br }}', '<br />\nHello<br />\nthere<br />\n', { text: '\nHello\nthere\n' }],
    ['{{ 4 | plus: 2 }} {{ 16 | plus: 4 }} {{ 183.357 | plus: 12 }}', '6 20 195.357'],
    [
      '{{ "apples, oranges, and bananas" | prepend: "Some fruit: " }}',
      'Some fruit: apples, oranges, and bananas',
    ],
    [
      '{{ "I strained to see the train through the rain" | remove: "rain" }}',
      'I sted to see the t through the ',
    ],
    [
      '{{ "I strained to see the train through the rain" | remove_first: "rain" }}',
      'I sted to see the train through the rain',
    ],
    [
      '{{ "I strained to see the train through the rain" | remove_last: "rain" }}',
      'I strained to see the train through the ',
    ],
    [
      '{{ "Take my protein pills and put my helmet on" | replace: "my", "your" }}',
      'Take your protein pills and put your helmet on',
    ],
    [
      '{{ "Take my protein pills and put my helmet on" | replace_first: "my", "your" }}',
      'Take your protein pills and put my helmet on',
    ],
    [
      '{{ "Take my protein pills and put my helmet on" | replace_last: "my", "your" }}',
      'Take my protein pills and put your helmet on',
    ],
    [`${fruits}{{ list | reverse | join: ", " }}`, 'plums, peaches, oranges, apples'],
    ['{{ 1.2 | round }} {{ 2.7 | round }} {{ 183.357 | round: 2 }}', '1 3 183.36'],
    [
      '{{ "Ground control to Major Tom." | size }} {{ list | size }} {{ hash | size }}',
      '28 3 2',
      { list: [1, 2, 3], hash: { a: 1, b: 2 } },
    ],
    [
      '{{ "Liquid" | slice: 0 }} {{ "Liquid" | slice: 2 }} {{ "Liquid" | slice: 2, 5 }} {{ "Liquid" | slice: -3, 2 }}',
      'L q quid ui',
    ],
    [`${fruits}{{ list | slice: 1, 2 | join: "," }}`, 'oranges,peaches'],
    [
      '{% assign a = "zebra, octopus, giraffe, Sally Snake" | split: ", " %}{{ a | sort | join: ", " }} / {{ a | sort_natural | join: ", " }}',
      'Sally Snake, giraffe, octopus, zebra / giraffe, octopus, Sally Snake, zebra',
    ],
    [
      '{{ products | sort: "price" | map: "title" | join: "," }}',
      'B,C,A',
      {
        products: [
          { title: 'A', price: 30 },
          { title: 'B', price: 10 },
          { title: 'C', price: 20 },
        ],
      },
    ],
    [
      '{{ "Hi, how are you?" | split: " " | join: "|" }} {{ "a  b " | split: " " | size }}',
      'Hi,|how|are|you? 2',
    ],
    ['{{ "Have <em>you</em> read <strong>Ulysses</strong>?" | strip_html }}', 'Have you read Ulysses?'],
    ['{{ text | strip_newlines }}', 'Hellothere', { text: '\nHello\nthere\n' }],
    [
      '{{ nums | sum }} {{ items | sum: "price" }}',
      '6 30',
      { nums: [1, 2, 3], items: [{ price: 10 }, { price: '20' }, { price: null }] },
    ],
    ['{{ 3 | times: 2 }} {{ 24 | times: 7 }}', '6 168'],
    ['{{ "Ground control to Major Tom." | truncate: 20 }}', 'Ground control to...'],
    ['{{ "Ground control to Major Tom." | truncate: 25, ", and so on" }}', 'Ground control, and so on'],
    ['{{ "Ground control to Major Tom." | truncate: 20, "" }}', 'Ground control to Ma'],
    ['{{ "Ground control to Major Tom." | truncatewords: 3 }}', 'Ground control to...'],
    [
      '{{ "Ground control to Major Tom." | truncatewords: 3, "--" }} {{ "Ground  control to" | truncatewords: 3 }}',
      'Ground control to-- Ground  control to',
    ],
    [
      '{% assign a = "ants, bugs, bees, bugs, ants" | split: ", " %}{{ a | uniq | join: ", " }}',
      'ants, bugs, bees',
    ],
    ['{{ "%27Stop%21%27+said+Fred" | url_decode }}', "'Stop!' said Fred"],
    [
      '{{ "john@liquid.com" | url_encode }} {{ "Tetsuro Takara" | url_encode }} {{ "\'Stop!\' said Fred" | url_encode }}',
      'john%40liquid.com Tetsuro+Takara %27Stop%21%27+said+Fred',
    ],
    [
      '{{ products | where: "type", "kitchen" | map: "title" | join: "," }} {{ products | where: "available" | map: "title" | join: "," }}',
      'Spatula,Garlic press Coffee mug,Garlic press',
      {
        products: [
          { title: 'Coffee mug', type: 'kitchen?', available: true },
          { title: 'Spatula', type: 'kitchen', available: false },
          { title: 'Garlic press', type: 'kitchen', available: true },
        ],
      },
    ],
    [
      '{{ products | reject: "available" | map: "title" | join }} {{ products | find: "type", "b" | map: "title" }} {{ products | find_index: "type", "b" }} {{ products | has: "type", "z" }}',
      'S G S 1 false',
      {
        products: [
          { title: 'M', available: true, type: 'a' },
          { title: 'S', type: 'b' },
          { title: 'G', type: 'b' },
        ],
      },
    ],
    [
      '{{ "one two three" | base64_encode }} {{ "b25lIHR3byB0aHJlZQ==" | base64_decode }}',
      'b25lIHR3byB0aHJlZQ== one two three',
    ],
    [
      '{{ "~~~" | base64_url_safe_encode }} {{ "fn5-" | base64_url_safe_decode }} {{ "héllo" | base64_encode | base64_decode }}',
      'fn5- ~~~ héllo',
    ],
  ];
  it.each(cases)('%s', (source, expected, context = {}) => {
    expect(render(source, context)).toBe(expected);
  });
});

describe('tags, as Shopify documents them', () => {
  const cases: [string, string, Record<string, unknown>?][] = [
    [
      '{% assign my_variable = false %}{% if my_variable != true %}This statement is valid.{% endif %}',
      'This statement is valid.',
    ],
    ['{% assign foo = "bar" | upcase %}{{ foo }}', 'BAR'],
    [
      '{% capture my_variable %}I am being captured.{% endcapture %}{{ my_variable }}',
      'I am being captured.',
    ],
    [
      '{% assign handle = "cake" %}{% case handle %}{% when "cake" %}This is a cake{% when "cookie", "biscuit" %}This is a cookie{% else %}This is not a cake nor a cookie{% endcase %}',
      'This is a cake',
    ],
    [
      '{% case x %}{% when "cookie" or "biscuit" %}cookie{% else %}other{% endcase %}',
      'cookie',
      { x: 'biscuit' },
    ],
    ['{% case 1 %}{% when 1 %}a{% when 1 %}b{% else %}c{% endcase %}', 'ab'],
    ['{% case x %}{% when nil %}none{% endcase %}', 'none'],
    ['{% echo "hello" | upcase %}', 'HELLO'],
    [
      '{% liquid\n  assign product_type = "Health"\n  case product_type\n    when "Health"\n      echo "This is a health potion!"\n    else\n      echo "Unknown"\n  endcase\n  # a comment\n  comment\n  ignored\n  endcomment\n%}',
      'This is a health potion!',
    ],
    [
      '{% cycle "one", "two", "three" %} {% cycle "one", "two", "three" %} {% cycle "one", "two", "three" %} {% cycle "one", "two", "three" %}',
      'one two three one',
    ],
    [
      '{% cycle "first": "one", "two" %}{% cycle "second": "one", "two" %}{% cycle "second": "one", "two" %}{% cycle "first": "one", "two" %}',
      'oneonetwotwo',
    ],
    ['{% increment my_counter %} {% increment my_counter %} {% increment my_counter %}', '0 1 2'],
    ['{% decrement variable %} {% decrement variable %} {% decrement variable %}', '-1 -2 -3'],
    ['{% assign c = 10 %}{% increment c %} {{ c }}', '0 10'],
    ['{% for i in (1..5) %}{% if i == 4 %}{% break %}{% else %}{{ i }}{% endif %}{% endfor %}', '123'],
    ['{% for i in (1..5) %}{% if i == 4 %}{% continue %}{% else %}{{ i }}{% endif %}{% endfor %}', '1235'],
    ['{% for item in array limit: 2 %}{{ item }}{% endfor %}', '12', { array: [1, 2, 3, 4, 5, 6] }],
    ['{% for item in array offset: 2 %}{{ item }}{% endfor %}', '3456', { array: [1, 2, 3, 4, 5, 6] }],
    ['{%for i in array, limit: 4, offset: 2 %}{{ i }}{% endfor %}', '3456', { array: [1, 2, 3, 4, 5, 6] }],
    [
      '{% for item in array limit: 3 %}{{ item }}{% endfor %} {% for item in array limit: 3 offset: continue %}{{ item }}{% endfor %}',
      '123 456',
      { array: [1, 2, 3, 4, 5, 6, 7] },
    ],
    [
      '{% for i in (3..5) %}{{ i }}{% endfor %}{% assign num = 4 %}{% for i in (1..num) %}{{ i }}{% endfor %}',
      '3451234',
    ],
    ['{% for item in array reversed %}{{ item }}{% endfor %}', '654321', { array: [1, 2, 3, 4, 5, 6] }],
    [
      '{% for item in array limit: 0 %}x{% else %}The collection is empty.{% endfor %}',
      'The collection is empty.',
      { array: [1] },
    ],
    [
      '{% for a in (1..2) %}{% for b in (1..2) %}{{ forloop.parentloop.index }}.{{ forloop.index }} {% endfor %}{% endfor %}',
      '1.1 1.2 2.1 2.2 ',
    ],
    [
      '{% raw %}In Handlebars, {{ this }} will be HTML-escaped{% endraw %}',
      'In Handlebars, {{ this }} will be HTML-escaped',
    ],
    [
      'Anything you put{% comment %} between {% endcomment %} tags is turned into a comment.',
      'Anything you put tags is turned into a comment.',
    ],
    ['{% # for i in (1..3) -%}\n  {{ i }}\n{% # endfor %}x', '\nx'],
    ['a{% comment %}{% raw %}{% endcomment %}{% endraw %}{% endcomment xyz %}b', 'ab'],
    ['a{% comment %}{% comment %}x{% endcomment %}y{% endcomment %}b', 'ab'],
    [
      '{% for i in list %}{% ifchanged %}{{ i }}{% endifchanged %}{% endfor %}',
      '121',
      { list: [1, 1, 2, 2, 1] },
    ],
    [
      '{% tablerow i in (1..3) cols: 2 %}{{ i }}:{{ tablerowloop.col }}{% endtablerow %}',
      '<tr class="row1">\n<td class="col1">1:1</td><td class="col2">2:2</td></tr>\n<tr class="row2"><td class="col1">3:1</td></tr>\n',
    ],
    [
      '{% tablerow i in list limit: 2 offset: 1 %}{{ i }}{% endtablerow %}',
      '<tr class="row1">\n<td class="col1">b</td><td class="col2">c</td></tr>\n',
      { list: ['a', 'b', 'c', 'd'] },
    ],
  ];
  it.each(cases)('%s', (source, expected, context = {}) => {
    expect(render(source, context)).toBe(expected);
  });
});

describe('render: named snippets in their own scope', () => {
  const partials = {
    signature: '-- {{ name | default: "the team" }}',
    product: '{{ product.title }}{% if forloop %}({{ forloop.index }}/{{ forloop.length }}){% endif %};',
    leak: '[{{ secret }}][{{ customer.name }}]',
    self: 'x{% render "self" %}',
  };
  const r = (source: string, context: unknown = {}) => render(source, context, { partials });

  it('passes arguments, `with … as` and `for … as`', () => {
    expect(r('{% render "signature", name: "Bea" %}|{% render "signature" %}')).toBe('-- Bea|-- the team');
    expect(r('{% render "product" with featured as product %}', { featured: { title: 'Mug' } })).toBe('Mug;');
    expect(
      r('{% render "product" for items as product %}', { items: [{ title: 'A' }, { title: 'B' }] }),
    ).toBe('A(1/2);B(2/2);');
  });

  it('does not see the variables its parent assigns; the host context is visible to every snippet', () => {
    expect(r('{% assign secret = "s" %}{% render "leak" %}', { customer: { name: 'Ana' } })).toBe('[][Ana]');
  });

  it('a snippet cannot change its parent: assignments inside stay inside', () => {
    expect(
      render('{% render "set" %}[{{ v }}]', {}, { partials: { set: '{% assign v = 1 %}{{ v }}' } }),
    ).toBe('1[]');
  });

  it('stops recursion at the render depth limit with a clear error', () => {
    expect(() => r('{% render "self" %}')).toThrow(
      expect.objectContaining({ code: 'template_render_depth' }),
    );
    expect(() => render('{% render "self" %}', {}, { partials, limits: { maxRenderDepth: 3 } })).toThrow(
      /deeper than the limit of 3 snippets/,
    );
  });

  it('refuses an unknown snippet when compiling, with a suggestion; `include` is not supported', () => {
    expect(() => r('{% render "signatur" %}')).toThrow(
      /no snippet `signatur` to render; did you mean `signature`/,
    );
    expect(() => r('{% include "signature" %}')).toThrow(/`include` is deprecated/);
  });
});

describe('what outside checks found the subset got wrong', () => {
  it('`blank == empty` is false; ranges parse outside `for`; `nil.foo` is empty; `[key]` reads a variable by name', () => {
    expect(render('{% if blank == empty %}T{% else %}F{% endif %}')).toBe('F');
    expect(render('{% if 1 < (1..2) %}T{% else %}F{% endif %}')).toBe('F');
    expect(
      render(
        '{{ (1..4) | join: "," }}|{{ (1..4) }}|{% assign r = (2..4) %}{{ r.first }}{{ r.last }}{{ r.size }}',
      ),
    ).toBe('1,2,3,4|1..4|243');
    expect(render('[{{ nil.foo }}]')).toBe('[]');
    expect(render('{{ [key] }}', { key: 'name', name: 'Ana' })).toBe('Ana');
  });

  it('accepts a trailing colon or comma in filter arguments', () => {
    expect(render('{{ "a" | append: "b", }}|{{ "a" | upcase: }}')).toBe('ab|A');
  });

  it('whitespace-only blocks print nothing (Shopify), other blocks keep their whitespace', () => {
    expect(
      render('[{% if true %}  {% assign x = 1 %}\n{% endif %}][{% for i in (1..3) %} {% endfor %}]'),
    ).toBe('[][]');
    expect(render('[{% if true %} {{ "x" }} {% endif %}]')).toBe('[ x ]');
  });

  it('ordering comparisons between a number and a string are false (Shopify: an error), not JavaScript coercion', () => {
    expect(
      render(
        '{% if "10" > 9 %}T{% else %}F{% endif %}{% if 10 > 9 %}T{% endif %}{% if "b" > "a" %}T{% endif %}',
      ),
    ).toBe('FTT');
  });

  it('a hash contains its keys', () => {
    expect(render('{% if h contains "a" %}T{% endif %}', { h: { a: 1 } })).toBe('T');
  });
});

describe('print → parse round trip of every new node', () => {
  const sources = [
    '{% assign x = a.b | default: 1 %}',
    '{% capture c %}x{{ y }}{% endcapture %}',
    '{% case a %}{% when 1, "b" %}one{% else %}other{% endcase %}',
    '{% echo a | upcase %}',
    '{% cycle "g": "a", "b" %}{% cycle 1, 2 %}',
    '{% increment n %}{% decrement n %}',
    '{% for i in (1..n) offset: continue %}{% break %}{% continue %}{% endfor %}',
    '{% tablerow p in ps cols: 2 limit: 3 offset: 1 %}{{ p }}{% endtablerow %}',
    '{% ifchanged %}{{ x }}{% endifchanged %}',
    '{% render "s" with a as b, c: 1 %}{% render "s" for xs as x %}',
    '{{ [key].x }}{{ 7 | divided_by: 2.0 }}',
    '{% liquid\n assign a = 1\n echo a\n%}',
  ];
  it.each(sources)('%s', (source) => {
    const ast = parseTemplate(source);
    const printed = printTemplate(ast);
    expect(JSON.stringify(parseTemplate(printed), (key, value) => (key === 'at' ? undefined : value))).toBe(
      JSON.stringify(ast, (key, value) => (key === 'at' ? undefined : value)),
    );
  });
});

describe('the host context is never written', () => {
  it('assign, capture and counters leave the context object as it was, and never reach a prototype', () => {
    const context = { customer: { name: 'Ana' }, n: 5 };
    const before = structuredClone(context);
    const output = render(
      '{% assign customer = "x" %}{% assign __proto__ = "p" %}{% capture n %}9{% endcapture %}{% increment n %}{{ customer }}{{ n }}',
      context,
    );
    expect(output).toBe('0x9');
    expect(context).toEqual(before);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it('a strict render names missing variables read through assign', () => {
    expect(() =>
      compileTemplate('{% assign total = order.total %}{{ total }}').render({}, { strict: true }),
    ).toThrow(TemplateRenderError);
  });
});
