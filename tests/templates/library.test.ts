import { es, vi } from 'date-fns/locale';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CarekitValidationError } from '../../src/model/index.js';
import { fnv1a } from '../../src/templates/createTemplateLibrary.js';
import {
  createTemplateLibrary,
  formatForChannel,
  lintTemplate,
  smsLength,
  starterTemplates,
  type TemplateEntryInput,
  toPlainText,
} from '../../src/templates/index.js';

const entries: TemplateEntryInput[] = [
  {
    id: 'ack',
    purpose: 'acknowledgement',
    channels: ['chat', 'email', 'sms', 'social'],
    locales: {
      en: {
        subject: 'Re: {{ ticket.id }}',
        variants: ['Hi {{ name }}, got it.', 'Thanks {{ name }}, on it.', 'Hello {{ name }}!'],
      },
      pt: { variants: ['Olá {{ name }}, recebemos.'] },
      'es-MX': { variants: ['Hola {{ name }}, recibido.'] },
    },
  },
  {
    id: 'html',
    purpose: 'an HTML email',
    channels: ['email'],
    format: 'html',
    locales: { en: { variants: ['<p>Hi {{ name }},</p><p>Track it <a href="{{ url }}">here</a>.</p>'] } },
  },
];

describe('createTemplateLibrary', () => {
  const library = createTemplateLibrary(entries, { dateLocales: { es, vi } });

  it('falls back pt-BR → pt → the default, and finds a regional version from the language', () => {
    expect(library.resolveLocale('ack', 'pt-BR')).toBe('pt');
    expect(library.resolveLocale('ack', 'es')).toBe('es-mx');
    expect(library.resolveLocale('ack', 'de-AT')).toBe('en');
    expect(library.resolveLocale('ack')).toBe('en');
    expect(library.render('ack', { name: 'Rui' }, { channel: 'chat', locale: 'pt-BR' }).output).toBe(
      'Olá Rui, recebemos.',
    );
  });

  it('chooses the variant from (template, customer, ticket): stable for a thread, varied across customers', () => {
    const render = (customerId: string, ticketId: string) =>
      library.render('ack', { name: 'A' }, { channel: 'chat', customerId, ticketId }).variant;
    expect(render('c1', 't1')).toBe(render('c1', 't1'));
    const seen = new Set(Array.from({ length: 60 }, (_, i) => render(`c${i}`, `t${i}`)));
    expect(seen.size).toBe(3);
    expect(library.variantFor('ack', 'c1', 't1')).toBe(fnv1a('ack\u0000c1\u0000t1') % 3);
    expect(fnv1a('hello')).toBe(1335831723);
  });

  it('pins a variant per render or for the whole library', () => {
    expect(library.render('ack', { name: 'A' }, { channel: 'chat', variant: 2 }).output).toBe('Hello A!');
    const pinned = createTemplateLibrary(entries, { pinned: { ack: 1 } });
    expect(pinned.render('ack', { name: 'A' }, { channel: 'chat', customerId: 'x' }).output).toBe(
      'Thanks A, on it.',
    );
    // A locale with fewer variants wraps around.
    expect(pinned.render('ack', { name: 'A' }, { channel: 'chat', locale: 'pt' }).variant).toBe(0);
  });

  it('renders email as HTML with a plain-text part and a subject; text entries become paragraphs', () => {
    const message = library.render(
      'ack',
      { name: '<Ana>', ticket: { id: 'T-1' } },
      { channel: 'email', variant: 0 },
    );
    expect(message.html).toBe('<p>Hi &lt;Ana&gt;, got it.</p>');
    expect(message.text).toBe('Hi <Ana>, got it.');
    expect(message.subject).toBe('Re: T-1');
    const html = library.render(
      'html',
      { name: 'Bo & Co', url: 'https://t.example/1' },
      { channel: 'email' },
    );
    expect(html.html).toBe('<p>Hi Bo &amp; Co,</p><p>Track it <a href="https://t.example/1">here</a>.</p>');
    expect(html.text).toBe('Hi Bo & Co,\n\nTrack it here (https://t.example/1).');
  });

  it('reports what was missing and can fail in strict mode', () => {
    expect(library.render('ack', {}, { channel: 'chat', variant: 0 }).missing).toEqual(['name']);
    expect(() => library.render('ack', {}, { channel: 'chat', strict: true })).toThrow(/name/);
  });

  it('applies the channel length rules', () => {
    const long = createTemplateLibrary([
      {
        id: 'long',
        purpose: 'p',
        channels: ['social', 'sms'],
        locales: { en: { variants: ['{{ text }}'] } },
      },
    ]);
    const social = long.render('long', { text: 'word '.repeat(80) }, { channel: 'social' });
    expect(social.truncated).toBe(true);
    expect(Array.from(social.output).length).toBeLessThanOrEqual(280);
    expect(social.output.endsWith('…')).toBe(true);
    const sms = long.render('long', { text: 'x'.repeat(500) }, { channel: 'sms' });
    expect(sms.sms).toEqual({ encoding: 'gsm7', units: 500, segments: 4 });
    expect(sms.warnings.map((w) => w.code)).toEqual(['channel_length']);
  });

  it('refuses unknown templates and channels the entry is not for', () => {
    expect(() => library.render('nope', {}, { channel: 'chat' })).toThrow(
      expect.objectContaining({ code: 'unknown_template' }),
    );
    expect(() => library.render('html', {}, { channel: 'chat' })).toThrow(
      expect.objectContaining({ code: 'template_channel' }),
    );
    expect(() => library.render('ack', {}, { channel: 'chat', variant: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid_variant' }),
    );
    expect(() => library.render('ack', {}, { channel: 'fax' as 'chat' })).toThrow(CarekitValidationError);
    expect(library.has('ack')).toBe(true);
  });

  it('validates every entry up front and reports every problem with its path', () => {
    try {
      createTemplateLibrary(
        [
          {
            id: 'a',
            purpose: 'p',
            channels: ['chat'],
            locales: {
              en: { variants: ['{% if x %}'] },
              es: { variants: ['{{ x | nope }}'], subject: '{{' },
            },
          },
          { id: 'a', purpose: 'p', channels: ['chat'], locales: { en: { variants: ['ok'] } } },
          { id: 'b', purpose: 'p', channels: ['chat'], locales: { fr: { variants: ['ok'] } } },
        ],
        { pinned: { b: 5, zzz: 0 } },
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CarekitValidationError);
      const issues = (error as CarekitValidationError).issues.map((issue) => [
        issue.code,
        issue.path.join('.'),
      ]);
      expect(issues).toEqual([
        ['template_syntax', '0.locales.en.variants.0'],
        ['unknown_filter', '0.locales.es.variants.0'],
        ['template_syntax', '0.locales.es.subject'],
        ['duplicate_template_id', '1.id'],
        ['missing_default_locale', '2.locales'],
        ['invalid_variant', 'pinned.b'],
        ['unknown_template', 'pinned.zzz'],
      ]);
    }
    expect(() =>
      createTemplateLibrary([{ id: '', purpose: 'p', channels: [], locales: {} } as TemplateEntryInput]),
    ).toThrow(CarekitValidationError);
  });

  it('lists a catalogue with locales, variants and the variables read', () => {
    const catalogue = createTemplateLibrary(starterTemplates).catalogue();
    const delay = catalogue.find((entry) => entry.id === 'shipping_delay');
    expect(delay?.locales.map((l) => l.locale)).toEqual(['en', 'es', 'vi']);
    expect(delay?.variables).toContain('delay.new_date');
    expect(delay?.variables).toContain('order.tracking_url');
  });
});

describe('the starter templates', () => {
  const library = createTemplateLibrary(starterTemplates);

  it('cover the situations an online shop meets, in English, Spanish and Vietnamese', () => {
    expect(starterTemplates.map((entry) => entry.id)).toEqual([
      'acknowledgement',
      'shipping_delay',
      'order_status',
      'return_instructions',
      'refund_confirmation',
      'goodwill_offer',
      'damaged_item',
      'survey_request',
      'follow_up',
      'bot_did_this_help',
      'bot_handover',
    ]);
    for (const entry of starterTemplates) expect(Object.keys(entry.locales)).toEqual(['en', 'es', 'vi']);
  });

  it('lint clean against their schemas, every variant in every locale', () => {
    expect(library.lint()).toEqual([]);
  });

  it('render every variant, in every locale, with a full context and nothing missing', () => {
    const context = {
      customer: { first_name: 'ana' },
      brand: { name: 'Loja' },
      agent: { name: 'Bea' },
      ticket: { id: 'T-9' },
      reply_by: 'Monday 12:00',
      order: {
        id: 'O-1',
        status: 'shipped',
        carrier: 'DHL',
        tracking_url: 'https://t/1',
        estimated_delivery: '2026-12-03',
        items: [{ name: 'Mug', quantity: 2 }],
      },
      delay: { new_date: '2026-12-01T12:00:00Z', reason: 'weather' },
      return_: { label_url: 'https://l/1', deadline: '2026-12-20', address: 'Rua 1' },
      refund: { amount: 25.5, currency: 'EUR', days: 5 },
      discount: { code: 'sorry10', percent: 10, expires: '2027-01-31' },
      item: { name: 'Lamp' },
      remedies: { replacement_days: 3, refund_amount: 40, currency: 'USD' },
      survey: { url: 'https://s/1' },
    };
    for (const entry of starterTemplates) {
      for (const [locale, content] of Object.entries(entry.locales)) {
        content.variants.forEach((_, variant) => {
          const message = library.render(entry.id, context, {
            channel: entry.channels[0] ?? 'chat',
            locale,
            variant,
            strict: true,
          });
          expect(message.output).not.toMatch(/\{\{|\{%/);
          expect(message.missing).toEqual([]);
        });
      }
    }
    const es = library.render('refund_confirmation', context, { channel: 'chat', locale: 'es' });
    expect(es.output).toMatch(/^Hola Ana, hemos reembolsado 25,50\s€ del pedido O-1/u);
  });

  it('greet without a name gracefully', () => {
    const context = { customer: {}, brand: { name: 'L' }, ticket: { id: 'T' }, survey: { url: 'u' } };
    expect(library.render('survey_request', context, { channel: 'chat', variant: 0 }).output).toMatch(
      /^Hi there, /,
    );
    expect(library.render('survey_request', context, { channel: 'chat', locale: 'es' }).output).toMatch(
      /^Hola, /,
    );
    expect(library.render('survey_request', context, { channel: 'chat', locale: 'vi' }).output).toMatch(
      /^Xin chào bạn, /,
    );
  });
});

describe('lintTemplate', () => {
  const schema = z.object({
    customer: z.object({ first_name: z.string().optional(), tags: z.array(z.string()) }),
    order: z
      .object({ id: z.string(), items: z.array(z.object({ name: z.string(), note: z.string().nullable() })) })
      .optional(),
    meta: z.record(z.string(), z.string()),
  });
  const codes = (source: string) =>
    lintTemplate(source, schema).issues.map((issue) => [issue.code, issue.subject, issue.suggestion]);

  it('finds unknown variables with a suggestion', () => {
    expect(codes('{{ customer.firstname }}')).toEqual([
      ['unknown_variable', 'customer.firstname', 'customer.first_name'],
    ]);
    expect(codes('{{ custome.first_name | default: "x" }}')).toEqual([
      ['unknown_variable', 'custome', 'customer'],
    ]);
    expect(codes('{{ customer.tags.nope }}')).toEqual([
      ['unknown_variable', 'customer.tags.nope', undefined],
    ]);
  });

  it('finds unknown filters with a suggestion, and syntax errors', () => {
    expect(codes('{{ customer.tags | jion: ", " }}')).toEqual([['unknown_filter', 'jion', 'join']]);
    expect(lintTemplate('{% if %}', schema)).toMatchObject({
      ok: false,
      issues: [{ code: 'template_syntax', line: 1 }],
    });
    expect(
      lintTemplate('{{ x | shout }}', z.object({ x: z.string() }), { filters: { shout: (v) => v } }).ok,
    ).toBe(true);
  });

  it('warns about values that can be missing without a default or an enclosing test', () => {
    expect(codes('{{ customer.first_name }}')).toEqual([
      ['may_be_missing', 'customer.first_name', undefined],
    ]);
    expect(codes('{{ customer.first_name | default: "you" }}')).toEqual([]);
    expect(codes('{% if customer.first_name %}{{ customer.first_name }}{% endif %}')).toEqual([]);
    expect(
      codes('{% unless customer.first_name %}x{% else %}{{ customer.first_name }}{% endunless %}'),
    ).toEqual([]);
    expect(codes('{% if order %}{{ order.id }}{% endif %}')).toEqual([]);
    expect(codes('{{ order.id }}')).toEqual([['may_be_missing', 'order.id', undefined]]);
    expect(lintTemplate('{{ customer.first_name }}', schema).ok).toBe(true);
  });

  it('follows loops into the element schema, knows forloop, size and first, and records', () => {
    expect(
      codes(
        '{% if order %}{% for i in order.items %}{{ i.name }}{{ i.note }}{{ i.nam }}{{ forloop.index }}{% endfor %}{% endif %}',
      ),
    ).toEqual([
      ['may_be_missing', 'i.note', undefined],
      ['unknown_variable', 'i.nam', 'i.name'],
    ]);
    expect(
      codes('{{ customer.tags.size }} {{ customer.tags.first | default: "" }} {{ meta.anything }}'),
    ).toEqual([]);
    expect(codes('{% for t in customer.first_name %}{% endfor %}')).toEqual([
      ['may_be_missing', 'customer.first_name', undefined],
      ['not_a_list', 'customer.first_name', undefined],
    ]);
  });
});

describe('channel formatting', () => {
  it('counts SMS parts in GSM-7 and UCS-2', () => {
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2 });
    expect(smsLength('€'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsLength('Đơn hàng')).toEqual({ encoding: 'ucs2', units: 8, segments: 1 });
    expect(smsLength('đ'.repeat(71)).segments).toBe(2);
  });

  it('truncates at a word boundary when asked, and leaves email alone', () => {
    const cut = formatForChannel('one two three four', 'sms', { sms: { max: 1, overflow: 'truncate' } });
    expect(cut.truncated).toBe(false);
    const long = formatForChannel(`${'word '.repeat(60)}end`, 'sms', {
      sms: { max: 1, overflow: 'truncate' },
    });
    expect(long.truncated).toBe(true);
    expect(long.sms?.segments).toBe(1);
    expect(long.text.endsWith('word…')).toBe(true);
    expect(formatForChannel('x'.repeat(10_000), 'email').text.length).toBe(10_000);
    expect(
      formatForChannel('x'.repeat(300), 'chat', { chat: { max: 100, overflow: 'warn' } }).warnings[0]?.code,
    ).toBe('channel_length');
  });

  it('turns an HTML email into its plain-text part', () => {
    expect(
      toPlainText(
        '<style>p{}</style><h1>Hello</h1><ul><li>One &amp; two</li><li>Three</li></ul><p>See <a href="https://x.example">https://x.example</a>&nbsp;now&#33; &#x263A; &bogus;</p><!-- hidden -->',
      ),
    ).toBe('Hello\n\n- One & two\n- Three\n\nSee https://x.example now! ☺ &bogus;');
  });
});
