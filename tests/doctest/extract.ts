// Extracts the TSDoc `@example` blocks of src/ (the ```ts fences after an `@example` tag) and turns
// each shown result (`//=> value`) into a check. See docs/architecture.md#doctests for the rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Example {
  /** `src/…/file.ts:line` of the fence. */
  readonly where: string;
  /** The symbol documented (the first declaration after the comment), for the test's name. */
  readonly symbol: string;
  readonly code: string;
  /** Whether the block shows a result (`//=>`). */
  readonly shows: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every example block of the .ts files under `dir`. */
export function extractExamples(root: string, dir = join(root, 'src')): Example[] {
  const out: Example[] = [];
  for (const file of walk(dir).sort()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\*\s*@example/.test(lines[i]!)) continue;
      // The fence opens on one of the next lines of the same comment.
      let j = i + 1;
      while (
        j < lines.length &&
        !/^\s*\*\s*```(ts|typescript)?\s*$/.test(lines[j]!) &&
        !/\*\//.test(lines[j]!)
      )
        j++;
      if (j >= lines.length || /\*\//.test(lines[j]!)) continue;
      const start = j;
      const body: string[] = [];
      for (j = start + 1; j < lines.length && !/^\s*\*\s*```\s*$/.test(lines[j]!); j++)
        body.push(lines[j]!.replace(/^\s*\* ?/, ''));
      let k = j;
      while (k < lines.length && !/\*\//.test(lines[k]!)) k++;
      const declaration = lines.slice(k + 1, k + 4).join(' ');
      const symbol =
        /(?:function\*?|const|class|interface|type|let)\s+([A-Za-z_$][\w$]*)/.exec(declaration)?.[1] ??
        /^\s*(?:async\s+)?(?:readonly\s+)?([A-Za-z_$][\w$]*)\s*[(:<]/.exec(lines[k + 1] ?? '')?.[1] ??
        '(anonymous)';
      const code = body.join('\n');
      out.push({ where: `${relative(root, file)}:${start + 1}`, symbol, code, shows: code.includes('//=>') });
      i = j;
    }
  }
  return out;
}
