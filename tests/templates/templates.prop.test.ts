import { fc, test } from '@fast-check/vitest';
import { Liquid } from 'liquidjs';
import { describe, expect } from 'vitest';
import {
  compileTemplate,
  createTemplateLibrary,
  parseTemplate,
  printTemplate,
  TemplateRenderError,
} from '../../src/templates/index.js';
import { arbAnyContext, arbContext, arbTemplate, arbValueOf, withoutPositions } from './arbitraries.js';

const liquid = new Liquid({ ownPropertyOnly: true });

function liquidRender(source: string, context: object): string {
  return liquid.renderSync(liquid.parse(source), context) as string;
}

describe('equivalence with LiquidJS', () => {
  test.prop([arbTemplate(), arbContext], { numRuns: 300 })(
    'a generated template renders exactly as LiquidJS renders it',
    (ast, context) => {
      const source = printTemplate(ast);
      expect(compileTemplate(source).render(context).output).toBe(liquidRender(source, context));
    },
  );

  test.prop([arbTemplate(), arbContext], { numRuns: 100 })(
    'on the email channel it matches LiquidJS with `outputEscape: "escape"` when no output ends in an escaping filter',
    (ast, context) => {
      const source = printTemplate(ast);
      fc.pre(!/\|\s*(escape|escape_once|newline_to_br)\s*(-?\}\})/.test(source));
      const escaping = new Liquid({ ownPropertyOnly: true, outputEscape: 'escape' });
      const expected = escaping.renderSync(escaping.parse(source), context);
      expect(compileTemplate(source, { channel: 'email' }).render(context).output).toBe(expected);
    },
  );
});

describe('laws', () => {
  test.prop([arbTemplate()])('parse → print → parse gives the same syntax tree', (ast) => {
    const parsed = parseTemplate(printTemplate(ast));
    expect(withoutPositions(parseTemplate(printTemplate(parsed)))).toEqual(withoutPositions(parsed));
  });

  test.prop([arbTemplate(), fc.oneof(arbAnyContext, arbValueOf(true))])(
    'lenient rendering never throws for an accepted template and any JSON context',
    (ast, context) => {
      const template = compileTemplate(printTemplate(ast));
      expect(typeof template.render(context).output).toBe('string');
    },
  );

  test.prop([arbTemplate(), arbContext])(
    'strict rendering throws exactly when lenient rendering reports missing variables',
    (ast, context) => {
      const template = compileTemplate(printTemplate(ast));
      const lenient = template.render(context);
      if (lenient.missing.length === 0) {
        expect(template.render(context, { strict: true }).output).toBe(lenient.output);
      } else {
        expect(() => template.render(context, { strict: true })).toThrow(TemplateRenderError);
      }
    },
  );

  test.prop([arbTemplate(true), arbAnyContext])(
    'email output never contains an unescaped `<` coming from context data',
    (ast, context) => {
      const template = compileTemplate(printTemplate(ast), { channel: 'email' });
      const output = template.render(context).output.replaceAll('<br />', '');
      expect(output).not.toContain('<');
    },
  );

  const library = createTemplateLibrary([
    {
      id: 'ack',
      purpose: 'test',
      channels: ['chat'],
      locales: { en: { variants: ['one', 'two', 'three'] } },
    },
  ]);
  test.prop([fc.string(), fc.string()])(
    'the variant is stable per (template, customer, ticket) and in range',
    (customerId, ticketId) => {
      const first = library.render('ack', {}, { channel: 'chat', customerId, ticketId });
      const again = library.render('ack', {}, { channel: 'chat', customerId, ticketId });
      expect(again.variant).toBe(first.variant);
      expect(first.variant).toBeGreaterThanOrEqual(0);
      expect(first.variant).toBeLessThan(3);
      expect(first.output).toBe(['one', 'two', 'three'][first.variant]);
    },
  );
});
