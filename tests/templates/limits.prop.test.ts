import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compileTemplate, TemplateRenderError } from '../../src/templates/index.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';

// Hostile pieces: loops over huge ranges, strings and lists that double, replace and split
// explosions, searches in long strings and a snippet that renders itself, nested at random.
const leaf = fc.constantFrom(
  '{% assign s = s | append: s %}',
  '{% capture s %}{{ s }}{{ s }}{% endcapture %}',
  '{% assign l = l | concat: l %}',
  '{% assign s = s | replace: "x", s %}',
  '{{ s | split: "" | join: s }}',
  '{{ s | upcase | size }}',
  '{% if s contains "y" %}y{% endif %}',
  '{{ l }}',
  '{% render "self" %}',
  '{% increment n %}',
  '{{ (1..9007199254740991) | size }}',
);
const range = fc.constantFrom('(1..10)', '(1..100000)', '(1..9007199254740991)', '(0..n)');
const hostile: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc
      .tuple(range, fc.array(tie('node'), { maxLength: 3 }))
      .map(([r, body]) => `{% for i in ${r} %}${body.join('')}{% endfor %}`),
    fc.array(tie('node'), { maxLength: 3 }).map((body) => `{% if true %}${body.join('')}{% endif %}`),
  ),
})).node;

const LIMIT_CODES = new Set([
  'template_loop_limit',
  'template_output_limit',
  'template_render_depth',
  'template_time_limit',
  'template_range_limit',
]);
const limits = { maxLoopIterations: 2_000, maxOutputLength: 50_000, maxRenderTime: 500 };

describe('hostile templates stop within the limits', () => {
  test.prop([fc.array(hostile, { minLength: 1, maxLength: 4 })], propertyRuns(60, 25))(
    'every render ends, with output or a limit error, in a time bounded by the limits',
    (pieces) => {
      const source = `{% assign s = "xx" %}{% assign l = s | split: "" %}${pieces.join('')}`;
      const template = compileTemplate(source, { limits, partials: { self: 'x{% render "self" %}' } });
      const start = performance.now();
      try {
        const result = template.render({ n: 2 ** 40 });
        expect(result.output.length).toBeLessThanOrEqual(limits.maxOutputLength);
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateRenderError);
        expect(LIMIT_CODES.has((error as TemplateRenderError).code)).toBe(true);
      }
      // The time limit plus one step of work (at most one filter over the output limit): generous,
      // because the machine is shared (the render's time limit is wall time, so this bound is too).
      expect(performance.now() - start).toBeLessThan(limits.maxRenderTime + 5_000);
    },
    propertyTimeout(60_000),
  );
});
