import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain JavaScript script without declarations
import { measure } from '../../scripts/bundle-sizes.mjs';

interface Measured {
  readonly modules: readonly string[];
  readonly packages: readonly string[];
  readonly gzip: number;
}

describe('what each subpath loads (bundled alone with esbuild)', () => {
  it.each(['metrics', 'calendar', 'model', 'sla', 'routing', 'rules'])(
    'carekit/%s loads neither xstate nor the templates engine nor the workflows',
    async (subpath) => {
      const result = (await measure(subpath)) as Measured;
      expect(result.packages).not.toContain('xstate');
      expect(result.modules).not.toContain('templates');
      expect(result.modules).not.toContain('workflows');
    },
  );

  it('carekit/templates loads no xstate and no routing or workflows', async () => {
    const result = (await measure('templates')) as Measured;
    expect(result.packages).not.toContain('xstate');
    expect(result.modules).toEqual(['model', 'templates']);
  });

  it('carekit/calendar only needs the model, zod and @date-fns/tz', async () => {
    const result = (await measure('calendar')) as Measured;
    expect(result.modules).toEqual(['calendar', 'model']);
    expect(result.packages).toEqual(['@date-fns/tz', 'zod']);
  });

  it('carekit/store-postgres needs only the model and zod: no driver, no xstate, no workflows', async () => {
    const result = (await measure('store-postgres')) as Measured;
    expect(result.modules).toEqual(['model', 'store-postgres']);
    expect(result.packages).toEqual(['zod']);
  });
});
