import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Every subpath the package exports (`./model`...): package.json is the one list.
const modules = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> }).exports,
)
  .filter((key) => key !== '.' && key !== './package.json')
  .map((key) => key.slice(2));

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      ...Object.fromEntries(modules.map((name) => [`${name}/index`, `src/${name}/index.ts`])),
    },
    format: ['esm', 'cjs'],
    dts: true,
    tsconfig: 'tsconfig.build.json',
    // Shared chunks keep one copy of each module, so `carekit/calendar` and `carekit`
    // share state and a subpath never pulls in modules it does not import.
    splitting: true,
    treeshake: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist',
  },
  // The `carekit` command (the package's bin): Node only, one ES module with its dependencies
  // from the library bundled in (it must start fast and run from `npx carekit`).
  {
    entry: { 'cli/carekit': 'src/cli/carekit.ts' },
    format: ['esm'],
    dts: false,
    tsconfig: 'tsconfig.build.json',
    splitting: false,
    sourcemap: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
    external: ['mermaid'],
  },
]);
