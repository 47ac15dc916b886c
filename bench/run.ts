// `npm run bench [name...]` runs bench/<name>.bench.ts (all of them without a name).
// Each benchmark file measures carekit and its peers in the same run and prints a table.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Memory figures need a collection on demand: run again with --expose-gc when it is missing.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function' && process.env.CAREKIT_BENCH_GC !== 'off') {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, process.argv[1] as string, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, CAREKIT_BENCH_GC: 'off' } },
  );
  process.exit(child.status ?? 1);
}

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
