// Regenerates the parts of docs/ that are computed from the code, between
// `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers. `npm run docs:generate`
// writes them; tests/review/docs.test.ts fails when a checked-in document is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeDesk, LIFECYCLE_AGENT_NOTE, lifecycleDiagram, lifecycleTable } from '../src/review/index.js';

export const generated: Record<string, Record<string, () => string>> = {
  'docs/lifecycle.md': {
    diagram: () => ['```mermaid', lifecycleDiagram(), '```', '', LIFECYCLE_AGENT_NOTE].join('\n'),
    table: () => lifecycleTable(),
  },
  'docs/review.md': {
    // Headings one level down, so the example sits under this guide's own title.
    review: () =>
      describeDesk(
        JSON.parse(readFileSync(join(import.meta.dirname, '../examples/loja-azul.desk.json'), 'utf8')),
        // A fixed date, so the checked-in copy changes only when the desk or carekit does.
        { date: Date.UTC(2026, 11, 1) },
      )
        .replace(/^(#+) /gm, '#$1 ')
        .trimEnd(),
  },
};

/** Replaces each generated region of `text` with fresh output. */
export function regenerate(text: string, parts: Record<string, () => string>): string {
  let out = text;
  for (const [name, make] of Object.entries(parts)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`missing ${open} ... ${close}`);
    out = `${out.slice(0, start + open.length)}\n${make()}\n${out.slice(end)}`;
  }
  return out;
}

if (process.argv[1]?.endsWith('generate-docs.ts')) {
  const root = join(import.meta.dirname, '..');
  for (const [file, parts] of Object.entries(generated)) {
    const path = join(root, file);
    writeFileSync(path, regenerate(readFileSync(path, 'utf8'), parts));
    console.log(`wrote ${file}`);
  }
}
