import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain JavaScript script without declarations
import { measure, SUBPATHS } from '../../scripts/bundle-sizes.mjs';

describe('carekit/import bundled alone for the browser (esbuild)', () => {
  it('is a subpath of the package, bundles without any Node API, and loads no database driver', async () => {
    expect(SUBPATHS).toContain('import');
    const result = (await measure('import')) as { modules: string[]; packages: string[] };
    expect(result.modules).toContain('import');
    expect(result.modules).not.toContain('store-postgres');
    expect(result.modules).not.toContain('cli');
    expect(result.packages).not.toContain('pg');
    expect(result.packages).not.toContain('@electric-sql/pglite');
  });
});
