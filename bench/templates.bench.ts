// The same canned reply rendered by carekit's compiled template and its peers, in the same run:
// Handlebars (compiled once), Mustache (template parsed once), LiquidJS (renderSync on a parsed
// template) and Eta (compiled once). Every engine must print the same text (checked first).
// Then a macro-style template (assign, capture, case, for with limit, render of a snippet and ten
// filters), as Zendesk macros and Shopify notifications write them, against LiquidJS.
import { Eta } from 'eta';
import Handlebars from 'handlebars';
import { Liquid } from 'liquidjs';
import Mustache from 'mustache';
import { Bench } from 'tinybench';
import { compileTemplate } from '../src/templates/index.js';

const context = {
  customer: { first_name: 'Ana' },
  brand: { name: 'Loja Azul' },
  agent: { name: 'Bea' },
  order: {
    id: 'O-1042',
    tracking_url: 'https://track.example/O-1042',
    items: [
      { name: 'Mug', quantity: 2 },
      { name: 'Tea', quantity: 1 },
      { name: 'Spoon', quantity: 4 },
    ],
  },
};

const sources = {
  carekit:
    'Hi {{ customer.first_name }}, your order {{ order.id }} is on its way. It contains {% for item in order.items %}{{ item.quantity }} x {{ item.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}.{% if order.tracking_url %} Track it: {{ order.tracking_url }}{% endif %}\n{{ agent.name }}, {{ brand.name }}',
  handlebars:
    'Hi {{customer.first_name}}, your order {{order.id}} is on its way. It contains {{#each order.items}}{{quantity}} x {{name}}{{#unless @last}}, {{/unless}}{{/each}}.{{#if order.tracking_url}} Track it: {{order.tracking_url}}{{/if}}\n{{agent.name}}, {{brand.name}}',
  mustache:
    'Hi {{customer.first_name}}, your order {{order.id}} is on its way. It contains {{#order.items}}{{quantity}} x {{name}}{{^last}}, {{/last}}{{/order.items}}.{{#order.tracking_url}} Track it: {{order.tracking_url}}{{/order.tracking_url}}\n{{agent.name}}, {{brand.name}}',
  eta: 'Hi <%= it.customer.first_name %>, your order <%= it.order.id %> is on its way. It contains <% it.order.items.forEach(function (item, i) { %><%= item.quantity %> x <%= item.name %><% if (i < it.order.items.length - 1) { %>, <% } %><% }) %>.<% if (it.order.tracking_url) { %> Track it: <%= it.order.tracking_url %><% } %>\n<%= it.agent.name %>, <%= it.brand.name %>',
};

const macro = {
  source: `{%- assign first = customer.first_name | default: "there" | strip | capitalize -%}
{%- assign count = order.items | size -%}
{%- capture greeting %}Hi {{ first }},{% endcapture -%}
{{ greeting }}
{% case order.status -%}
{%- when "shipped", "in_transit" %}your order {{ order.id | upcase }} is on its way.
{%- when "delayed" %}your order {{ order.id | upcase }} is late; sorry.
{%- else %}we are preparing your order.
{%- endcase %}
It holds {{ count }} item{% if count != 1 %}s{% endif %}{% if count > 2 %}, the first two being{% endif %}:
{% for item in order.items limit: 2 -%}
- {{ item.quantity }} × {{ item.name | truncate: 20 }} ({{ item.price | times: item.quantity | round: 2 }})
{% endfor -%}
Total: {{ order.items | map: "price" | sum | round: 2 }}; tags: {{ order.tags | uniq | sort | join: ", " }}.
{% render "signature", agent: agent, brand: brand %}`,
  partials: { signature: '-- {{ agent.name | append: " at " | append: brand.name }}' },
  context: {
    customer: { first_name: ' ana ' },
    agent: { name: 'Bea' },
    brand: { name: 'Loja Azul' },
    order: {
      id: 'o-1042',
      status: 'in_transit',
      tags: ['gift', 'fragile', 'gift'],
      items: [
        { name: 'Ceramic mug, blue glaze', quantity: 2, price: 12.5 },
        { name: 'Green tea', quantity: 1, price: 7.25 },
        { name: 'Spoon', quantity: 4, price: 1.1 },
      ],
    },
  },
};

function rate(bench: Bench, name: string): number {
  const task = bench.tasks.find((t) => t.name === name);
  return task?.result && 'throughput' in task.result ? task.result.throughput.mean : 0;
}

export default async function run(): Promise<void> {
  const carekit = compileTemplate(sources.carekit, { channel: 'chat' });
  const handlebars = Handlebars.compile(sources.handlebars, { noEscape: true });
  const mustacheContext = {
    ...context,
    order: {
      ...context.order,
      items: context.order.items.map((item, i, all) => ({ ...item, last: i === all.length - 1 })),
    },
  };
  Mustache.parse(sources.mustache);
  const liquid = new Liquid({ ownPropertyOnly: true });
  const liquidTemplate = liquid.parse(sources.carekit);
  const eta = new Eta({ autoEscape: false, useWith: false, autoTrim: false });
  const etaTemplate = eta.compile(sources.eta);

  const outputs = {
    carekit: carekit.render(context).output,
    handlebars: handlebars(context),
    mustache: Mustache.render(sources.mustache, mustacheContext, {}, { escape: (s: string) => s }),
    liquidjs: liquid.renderSync(liquidTemplate, context) as string,
    eta: eta.render(etaTemplate, context),
  };
  for (const [name, output] of Object.entries(outputs)) {
    if (output !== outputs.carekit)
      throw new Error(`${name} printed a different text:\n${output}\n---\n${outputs.carekit}`);
  }

  const bench = new Bench({ time: 800 });
  bench
    .add('carekit compileTemplate → render', () => {
      carekit.render(context);
    })
    .add('Handlebars (compiled)', () => {
      handlebars(context);
    })
    .add('Mustache (parsed, cached)', () => {
      Mustache.render(sources.mustache, mustacheContext, {}, { escape: (s: string) => s });
    })
    .add('LiquidJS renderSync (parsed)', () => {
      liquid.renderSync(liquidTemplate, context);
    })
    .add('Eta (compiled)', () => {
      eta.render(etaTemplate, context);
    });
  await bench.run();
  console.table(bench.table());
  const hz = Object.fromEntries(
    bench.tasks.map((task) => [
      task.name,
      task.result && 'throughput' in task.result ? task.result.throughput.mean : 0,
    ]),
  );
  const base = hz['carekit compileTemplate → render'] ?? 0;
  for (const [name, value] of Object.entries(hz)) {
    console.log(
      `${name.padEnd(36)} ${Math.round(value).toLocaleString('en-US').padStart(12)} renders/s   carekit is ${(base / value).toFixed(2)}×`,
    );
  }

  const macroTemplate = compileTemplate(macro.source, { channel: 'chat', partials: macro.partials });
  const macroLiquid = new Liquid({ ownPropertyOnly: true, templates: macro.partials });
  const macroParsed = macroLiquid.parse(macro.source);
  const ours = macroTemplate.render(macro.context).output;
  const theirs = macroLiquid.renderSync(macroParsed, macro.context) as string;
  if (ours !== theirs) throw new Error(`LiquidJS printed a different macro:\n${theirs}\n---\n${ours}`);
  const macroBench = new Bench({ time: 800 });
  macroBench
    .add('carekit macro (assign, capture, case, render)', () => {
      macroTemplate.render(macro.context);
    })
    .add('LiquidJS renderSync macro (parsed)', () => {
      macroLiquid.renderSync(macroParsed, macro.context);
    });
  await macroBench.run();
  console.table(macroBench.table());
  const ourRate = rate(macroBench, 'carekit macro (assign, capture, case, render)');
  const theirRate = rate(macroBench, 'LiquidJS renderSync macro (parsed)');
  console.log(
    `macro: carekit ${Math.round(ourRate).toLocaleString('en-US')} renders/s, LiquidJS ${Math.round(theirRate).toLocaleString('en-US')}: carekit is ${(ourRate / theirRate).toFixed(2)}×`,
  );
}
