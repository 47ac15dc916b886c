import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type CompiledTemplate,
  compileTemplate,
  createTemplateLibrary,
  lintTemplate,
  parseTemplate,
  type RenderedMessage,
  type RenderResult,
  type TemplateAst,
  type TemplateLibrary,
  type TemplateLintResult,
} from '../../src/templates/index.js';

describe('template types', () => {
  it('compiles to a render function with a typed result', () => {
    expectTypeOf(compileTemplate('x')).toEqualTypeOf<CompiledTemplate>();
    expectTypeOf(compileTemplate('x').render({})).toEqualTypeOf<RenderResult>();
    expectTypeOf<RenderResult['missing']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf(parseTemplate('x')).toEqualTypeOf<TemplateAst>();
  });

  it('only accepts known channels and a zod schema for linting', () => {
    // @ts-expect-error a channel carekit does not know
    compileTemplate('x', { channel: 'fax' });
    expectTypeOf(lintTemplate('x', z.object({}))).toEqualTypeOf<TemplateLintResult>();
    const library = createTemplateLibrary([]);
    expectTypeOf(library).toEqualTypeOf<TemplateLibrary>();
    expectTypeOf(library.render('a', {}, { channel: 'chat' })).toEqualTypeOf<RenderedMessage>();
    // @ts-expect-error the channel is required
    library.render('a', {}, {});
  });
});
