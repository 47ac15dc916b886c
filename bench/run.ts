// `npm run bench [name...]` runs bench/<name>.bench.ts (all of them without a name).
// Each benchmark file measures carekit and its peers in the same run and prints a table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();

if (files.length === 0) {
  console.error(
    `No benchmark matches ${wanted.join(', ')}. Available: ${readdirSync(dir)
      .filter((n) => n.endsWith('.bench.ts'))
      .join(', ')}`,
  );
  process.exit(2);
}
for (const file of files) {
  console.log(`\n## ${file}\n`);
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: () => Promise<void> | void };
  await mod.default?.();
}
