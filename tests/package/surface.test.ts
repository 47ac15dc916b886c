// The public surface of every subpath (export names and kinds, sorted), snapshotted in
// tests/package/surface/*.txt so that an export added or removed by accident shows in review.
// After a deliberate change: `npx vitest run tests/package/surface.test.ts -u`, and list the change
// in the release notes.
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain JavaScript script without declarations
import { publicSurface, subpaths } from '../../scripts/public-surface.mjs';

type Surface = Record<string, string[]>;
const entries = (subpaths() as { subpath: string }[]).map((e) => e.subpath);
let surface: Surface;

beforeAll(() => {
  surface = publicSurface() as Surface;
}, 240_000);

describe('the public surface', () => {
  it.each(entries)('%s matches its snapshot', async (subpath) => {
    const names = surface[subpath]!;
    const file = `./surface/${subpath.replace(/\//g, '__')}.txt`;
    await expect(`${subpath} (${names.length} exports)\n${names.join('\n')}\n`).toMatchFileSnapshot(file);
  });

  // Opt-in subpaths the root does not re-export: the store (its drivers), the importers (large, and
  // needed once), and the typed machine (its declarations carry xstate's types).
  const optIn = (s: string) =>
    s.startsWith('carekit/store-postgres') || s === 'carekit/import' || s === 'carekit/workflows/machine';

  it('the root re-exports every subpath but the opt-in ones, and nothing else', () => {
    const modules = entries.filter((s) => s !== 'carekit' && !optIn(s));
    const union = new Set(modules.flatMap((s) => surface[s]!));
    expect(surface.carekit).toEqual([...union].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it.each(entries)('%s: the values the compiler sees are the values a program imports', async (subpath) => {
    const loaded = (await import(/* @vite-ignore */ subpath)) as Record<string, unknown>;
    const values = surface[subpath]!.filter((entry) => /: (class|function|enum|const)/.test(entry)).map(
      (entry) => entry.split(':')[0],
    );
    expect(Object.keys(loaded).sort()).toEqual(values.sort());
  });

  it('no helper leaks: internal names are not exported anywhere', () => {
    const all = new Set(Object.values(surface).flatMap((names) => names.map((n) => n.split(':')[0])));
    for (const helper of [
      'textOf',
      'segmentsOf',
      'tokenize',
      'fnv1a',
      'gini',
      'EffectDraft',
      'identifyEffects',
    ])
      expect(all.has(helper), helper).toBe(false);
  });
});
