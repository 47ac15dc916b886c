// The layer table of docs/architecture.md is enforced by Biome (biome.json: noRestrictedImports per
// folder, noImportCycles with type imports): an upward import or a cycle fails `biome lint`. Checked
// on a scratch copy of the configuration, so the repository is never touched.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const biome = join(root, 'node_modules/.bin/biome');
const scratch = mkdtempSync(join(tmpdir(), 'carekit-layers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
delete config.$schema;
config.vcs = { enabled: false };

function lint(files: Record<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(scratch, 'case-'));
  writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    const output = execFileSync(biome, ['lint', '--max-diagnostics=50', 'src'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const stub = 'export const value = 1;\n';

describe('the layers are lint rules', () => {
  it('a downward import passes (the control)', () => {
    const result = lint({
      'src/model/index.ts': stub,
      'src/calendar/index.ts': "import { value } from '../model/index.js';\nexport const calendar = value;\n",
    });
    expect(result.output).not.toContain('noRestrictedImports');
    expect(result.ok).toBe(true);
  });

  it.each([
    ['src/calendar/probe.ts', '../sla/index.js', 'src/sla/index.ts'],
    ['src/model/probe.ts', '../calendar/index.js', 'src/calendar/index.ts'],
    ['src/routing/assign/probe.ts', '../../workflows/index.js', 'src/workflows/index.ts'],
    ['src/templates/probe.ts', '../routing/index.js', 'src/routing/index.ts'],
    ['src/workflows/ticket/probe.ts', '../../review/index.js', 'src/review/index.ts'],
    ['src/store-postgres/probe.ts', '../sla/index.js', 'src/sla/index.ts'],
  ])('%s importing %s fails lint', (file, specifier, target) => {
    const result = lint({
      [target]: stub,
      [file]: `import { value } from '${specifier}';\nexport const probe = value;\n`,
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('noRestrictedImports');
    expect(result.output).toContain('docs/architecture.md');
  });

  it('xstate below the workflows fails lint', () => {
    const result = lint({
      'src/sla/probe.ts': "import { setup } from 'xstate';\nexport const probe = setup;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('xstate belongs to src/workflows');
  });

  it('a cycle through a type import fails lint', () => {
    const result = lint({
      'src/sla/a.ts': "import { b } from './b.js';\nexport const a = b + 1;\n",
      'src/sla/b.ts': "import type { a } from './a.js';\nexport const b: typeof a = 2;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('noImportCycles');
  });

  it('the desk folder has no exemption: the cycle it had (store.ts typing its effects from createDesk.ts) fails lint', () => {
    const result = lint({
      'src/workflows/desk/createDesk.ts':
        "import { createMemoryStore } from './store.js';\nexport type DeskEffect = { type: string };\nexport const createDesk = () => createMemoryStore();\n",
      'src/workflows/desk/store.ts':
        "import type { DeskEffect } from './createDesk.js';\nexport const createMemoryStore = (): DeskEffect[] => [];\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('noImportCycles');
    expect(result.output).toContain('src/workflows/desk/store.ts');
  });

  it('the desk folder without the cycle passes (the control)', () => {
    const result = lint({
      'src/workflows/desk/effects.ts': 'export type DeskEffect = { type: string };\n',
      'src/workflows/desk/createDesk.ts':
        "import { createMemoryStore } from './store.js';\nexport type { DeskEffect } from './effects.js';\nexport const createDesk = () => createMemoryStore();\n",
      'src/workflows/desk/store.ts':
        "import type { DeskEffect } from './effects.js';\nexport const createMemoryStore = (): DeskEffect[] => [];\n",
    });
    expect(result.output).not.toContain('noImportCycles');
    expect(result.ok).toBe(true);
  });
});
