// Bundles each subpath of carekit on its own (esbuild, minified, browser platform) and reports
// what it pulls in and its size, minified and gzipped. `node scripts/bundle-sizes.mjs` prints a
// Markdown table; `--json` prints the raw figures (the tests use them).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// Every subpath the package exports (`./model`...), as package.json lists them.
export const SUBPATHS = Object.keys(
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).exports,
)
  .filter((key) => key !== '.' && key !== './package.json')
  .map((key) => key.slice(2));

export async function measure(subpath) {
  const entry = subpath === '.' ? 'src/index.ts' : `src/${subpath}/index.ts`;
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  // The modules whose code is in the bundle (tree-shaken ones have no bytes in the output).
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([path]) => path);
  const packages = [
    ...new Set(
      inputs
        .filter((p) => p.includes('node_modules/'))
        .map((p) =>
          p
            .split('node_modules/')
            .pop()
            .split('/')
            .slice(0, p.split('node_modules/').pop().startsWith('@') ? 2 : 1)
            .join('/'),
        ),
    ),
  ].sort();
  const modules = [...new Set(inputs.filter((p) => p.startsWith('src/')).map((p) => p.split('/')[1]))].sort();
  return { subpath, minified: code.length, gzip: gzipSync(code).length, packages, modules };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = [];
  for (const subpath of [...SUBPATHS, '.']) rows.push(await measure(subpath));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
    console.log('| Import | Minified | Gzip | Packages in the bundle |');
    console.log('| --- | --- | --- | --- |');
    for (const row of rows) {
      const name = row.subpath === '.' ? '`carekit`' : `\`carekit/${row.subpath}\``;
      console.log(`| ${name} | ${kb(row.minified)} | ${kb(row.gzip)} | ${row.packages.join(', ') || '—'} |`);
    }
  }
}
