#!/usr/bin/env node
// Lists the import cycles among the files of src/ (type-only imports included: a cycle through
// types still ties two files together) and the imports between modules (src/<module>/), so a
// cycle or an upward import can be found before Biome's noImportCycles and noRestrictedImports
// refuse it. Usage: node scripts/import-cycles.mjs [--edges]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return null;
}

const files = walk(src);
const graph = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  graph.set(
    file,
    importedFiles.map((f) => resolveImport(file, f.fileName)).filter((target) => target !== null),
  );
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
const components = [];
function connect(v) {
  meta.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!meta.has(w)) {
      connect(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).onStack) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
  }
  if (meta.get(v).low === meta.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component);
  }
}
for (const file of files) if (!meta.has(file)) connect(file);

const rel = (file) => relative(root, file);
for (const component of components) {
  console.log(`cycle of ${component.length} files:`);
  const inside = new Set(component);
  for (const file of component.sort())
    for (const target of graph.get(file))
      if (inside.has(target)) console.log(`  ${rel(file)} -> ${rel(target)}`);
}
if (process.argv.includes('--edges')) {
  const moduleOf = (file) => relative(src, file).split('/')[0].replace(/\.ts$/, '');
  const edges = new Map();
  for (const [file, targets] of graph)
    for (const target of targets) {
      const [a, b] = [moduleOf(file), moduleOf(target)];
      if (a === b) continue;
      const key = `${a} -> ${b}`;
      edges.set(key, [...(edges.get(key) ?? []), `${rel(file)} -> ${rel(target)}`]);
    }
  for (const [key, list] of [...edges].sort()) console.log(`${key} (${list.length})`);
}
console.log(`${components.length} cycle(s) among ${files.length} files`);
process.exitCode = components.length > 0 ? 1 : 0;
