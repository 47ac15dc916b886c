#!/usr/bin/env node
// The public surface of carekit: for every subpath in package.json's exports, its export names
// and kinds, read with the TypeScript compiler from src/. tests/package/surface.test.ts snapshots
// it; `node scripts/public-surface.mjs [subpath]` prints it.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** The subpaths of package.json's `exports` with their source entry (`.` is `src/index.ts`). */
export function subpaths() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => ({
      subpath: key === '.' ? 'carekit' : `carekit/${key.slice(2)}`,
      entry: join(root, 'src', key === '.' ? 'index.ts' : `${key.slice(2)}/index.ts`),
    }));
}

const KINDS = [
  [ts.SymbolFlags.Class, 'class'],
  [ts.SymbolFlags.Function, 'function'],
  [ts.SymbolFlags.Enum, 'enum'],
  [ts.SymbolFlags.Variable, 'const'],
  [ts.SymbolFlags.Interface, 'interface'],
  [ts.SymbolFlags.TypeAlias, 'type'],
  [ts.SymbolFlags.Namespace, 'namespace'],
];

/** `{ [subpath]: ['name: kind', ...] }`, names sorted; a schema with a type of its name is `const + type`. */
export function publicSurface() {
  const entries = subpaths();
  const program = ts.createProgram(
    entries.map((e) => e.entry),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const out = {};
  for (const { subpath, entry } of entries) {
    const file = program.getSourceFile(entry);
    if (!file) throw new Error(`public-surface: ${entry} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(file);
    out[subpath] = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const kinds = KINDS.filter(([flag]) => target.flags & flag).map(([, kind]) => kind);
        return `${symbol.name}: ${kinds.join(' + ') || 'unknown'}`;
      })
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const surface = publicSurface();
  const only = process.argv[2];
  for (const [subpath, names] of Object.entries(surface))
    if (!only || subpath === only) console.log(`${subpath} (${names.length})\n  ${names.join('\n  ')}`);
}
